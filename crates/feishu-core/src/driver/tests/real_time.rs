//! The drivers on real threads and the real clock, standing in for an
//! adapter (the core itself reads no clock and sleeps never): a fleet's
//! concurrent cold calls fetch one token, and a call waiting for another's
//! refresh goes on when it ends, not at the wait's 1 s fallback.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    reason = "an adapter's stand-in: real threads, sleeps and clock"
)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use super::shared_store::{CHATS, Feishu, FencedStore, process, self_built, wire};
use crate::driver::Clock;
use crate::{RawEndpoint, Waker};

/// Long enough for the other calls to find the refresh under way.
fn slow_token() {
    thread::sleep(Duration::from_millis(20));
}

#[test]
fn sixteen_cold_calls_over_two_processes_fetch_one_token() {
    let feishu = Arc::new(Feishu::default());
    let store = Arc::new(FencedStore::default());
    let clock = (SystemTime::now, thread::sleep);
    let fleet = [
        process(self_built(), wire(&feishu, slow_token), clock).with_shared_store(store.clone()),
        process(self_built(), wire(&feishu, slow_token), clock).with_shared_store(store.clone()),
    ];
    let chats = RawEndpoint::get(CHATS);
    thread::scope(|scope| {
        for n in 0..16 {
            let (client, chats) = (&fleet[n % 2], &chats);
            scope.spawn(move || client.send(chats).expect("the chats"));
        }
    });
    assert_eq!(feishu.tokens(), 1, "one token for the fleet");
    assert_eq!(feishu.chats.load(Ordering::SeqCst), 16);
    assert!(
        store.ops.load(Ordering::Relaxed) >= 4,
        "both processes asked it"
    );
}

/// A clock that waits by looking at `woken` every millisecond, and records
/// what it was asked to wait.
#[derive(Default)]
struct PollingClock {
    rung: Arc<AtomicUsize>,
    waits: Mutex<Vec<Duration>>,
}

impl Clock for PollingClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) {
        thread::sleep(duration);
    }

    fn waker(&self) -> Option<Waker> {
        let rung = self.rung.clone();
        Some(Arc::new(move || {
            rung.fetch_add(1, Ordering::SeqCst);
        }))
    }

    fn sleep_unless(&self, duration: Duration, woken: &dyn Fn() -> bool) {
        self.waits.lock().expect("unpoisoned").push(duration);
        let start = Instant::now();
        while !woken() && start.elapsed() < duration {
            thread::sleep(Duration::from_millis(1));
        }
    }
}

#[test]
fn a_waiting_call_goes_on_when_the_refresh_it_waits_for_ends() {
    let feishu = Arc::new(Feishu::default());
    let slow = || thread::sleep(Duration::from_millis(100));
    let client = process(self_built(), wire(&feishu, slow), PollingClock::default());
    let chats = RawEndpoint::get(CHATS);
    let call = || {
        client.send(&chats).expect("the chats");
        Instant::now()
    };

    let (first, second) = thread::scope(|scope| {
        let first = scope.spawn(call);
        thread::sleep(Duration::from_millis(20));
        let second = scope.spawn(call);
        (
            first.join().expect("joined"),
            second.join().expect("joined"),
        )
    });

    assert_eq!(feishu.tokens(), 1, "the second call waited");
    let clock = client.clock();
    assert!(
        clock.rung.load(Ordering::SeqCst) >= 1,
        "the refresh's end rang"
    );
    let waits = clock.waits.lock().expect("unpoisoned");
    assert!(
        waits.iter().any(|wait| *wait >= Duration::from_millis(500)),
        "the wait was the fallback: {waits:?}"
    );
    let behind = second.saturating_duration_since(first);
    assert!(
        behind < Duration::from_millis(500),
        "woken, not at the fallback: {behind:?} behind"
    );
}
