//! The clock: the system's time, and sleeps that a token refresh's end cuts
//! short.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use feishu_core::Waker;
use feishu_core::driver::Clock;

/// The [`Clock`]: `SystemTime::now`, `thread::sleep`, and a condition
/// variable its [waker](Clock::waker) rings, so a call waiting for another
/// call's token refresh goes on as soon as it ends. Cloning shares it.
#[derive(Clone, Debug, Default)]
pub struct StdClock {
    bell: Arc<(Mutex<()>, Condvar)>,
}

impl Clock for StdClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) {
        thread::sleep(duration);
    }

    fn waker(&self) -> Option<Waker> {
        let bell = self.bell.clone();
        Some(Arc::new(move || {
            // Under the waiters' lock: none is between its check and its wait.
            let _guard = lock(&bell.0);
            bell.1.notify_all();
        }))
    }

    fn sleep_unless(&self, duration: Duration, woken: &dyn Fn() -> bool) {
        let (mutex, condvar) = &*self.bell;
        let deadline = Instant::now().checked_add(duration);
        let mut guard = lock(mutex);
        while !woken() {
            let left = deadline.map_or(duration, |at| at.saturating_duration_since(Instant::now()));
            if left.is_zero() {
                return;
            }
            guard = condvar
                .wait_timeout(guard, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

fn lock(mutex: &Mutex<()>) -> MutexGuard<'_, ()> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
