//! One refresh at a time per credential: the lease every token refresh holds
//! while its request is out, for app, tenant and user tokens alike.
//!
//! The other calls that need the same credential wait rather than refresh
//! too: a refresh token works once, and a fleet of duplicate token requests
//! earns a rate limit. The lease lapses on its own (one request's timeout,
//! plus a second) so a caller that stopped driving its call cannot block the
//! rest, and it is held by number, so a holder that stalled past its lease
//! cannot release the one that took over. Releasing wakes the waiters
//! through the driver's [`Waker`], when it registered one.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

/// Wakes a driver's waiting calls: [`Client::add_waker`](crate::Client::add_waker).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// Identifies one holder of a lease.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LeaseId(u64);

/// Whether a credential could be leased.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Taken {
    /// This caller holds the lease.
    Held(LeaseId),
    /// Another caller does, until then at the latest.
    Busy(SystemTime),
}

/// The leases of one family of credentials.
pub(crate) struct SingleFlight<K> {
    leases: Mutex<HashMap<K, (LeaseId, SystemTime)>>,
    next: AtomicU64,
    /// Every driver's waker: clones of one client may have several drivers.
    wakers: Mutex<Vec<Waker>>,
    /// How many times waiters were woken: a driver that saw it change since
    /// its call's last poll polls at once, so no wake-up is lost.
    wakeups: AtomicU64,
}

impl<K: Eq + Hash + Clone> SingleFlight<K> {
    pub(crate) fn new() -> Self {
        Self {
            leases: Mutex::new(HashMap::new()),
            next: AtomicU64::new(1),
            wakers: Mutex::new(Vec::new()),
            wakeups: AtomicU64::new(0),
        }
    }

    /// Takes the lease on `key` until `until`, unless another holds it.
    pub(crate) fn take(&self, key: &K, now: SystemTime, until: SystemTime) -> Taken {
        let mut leases = lock(&self.leases);
        if let Some(&(_, held_until)) = leases.get(key).filter(|(_, at)| now < *at) {
            return Taken::Busy(held_until);
        }
        let id = LeaseId(self.next.fetch_add(1, Ordering::Relaxed));
        leases.insert(key.clone(), (id, until));
        Taken::Held(id)
    }

    /// Extends a lease its holder still holds (or takes it back if it lapsed
    /// and nobody took it); `false` if another caller holds it now.
    pub(crate) fn renew(&self, key: &K, id: LeaseId, now: SystemTime, until: SystemTime) -> bool {
        let mut leases = lock(&self.leases);
        match leases.get_mut(key) {
            Some((held, at)) if *held == id => {
                *at = until;
                true
            }
            Some((_, at)) if now < *at => false,
            _ => {
                leases.insert(key.clone(), (id, until));
                true
            }
        }
    }

    /// Releases a lease if `id` still holds it, and wakes the waiters.
    pub(crate) fn release(&self, key: &K, id: LeaseId) {
        let released = {
            let mut leases = lock(&self.leases);
            let holds = leases.get(key).is_some_and(|(held, _)| *held == id);
            if holds {
                leases.remove(key);
            }
            holds
        };
        if released {
            self.wake();
        }
    }

    /// Whether `id` holds the lease on `key`.
    pub(crate) fn holds(&self, key: &K, id: LeaseId) -> bool {
        lock(&self.leases)
            .get(key)
            .is_some_and(|(held, _)| *held == id)
    }

    pub(crate) fn add_waker(&self, waker: Waker) {
        lock(&self.wakers).push(waker);
    }

    pub(crate) fn wakeups(&self) -> u64 {
        self.wakeups.load(Ordering::Acquire)
    }

    pub(crate) fn has_waker(&self) -> bool {
        !lock(&self.wakers).is_empty()
    }

    /// Counts the wake-up, then calls the driver's waker, outside every lock.
    pub(crate) fn wake(&self) {
        self.wakeups.fetch_add(1, Ordering::Release);
        let wakers = lock(&self.wakers).clone();
        for waker in wakers {
            waker();
        }
    }
}

impl<K> fmt::Debug for SingleFlight<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let leases = lock(&self.leases).len();
        f.debug_struct("SingleFlight")
            .field("leases", &leases)
            .finish_non_exhaustive()
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn one_holder_at_a_time_until_release_or_lapse() {
        let flight = SingleFlight::new();
        let Taken::Held(first) = flight.take(&"k", at(0), at(10)) else {
            panic!("free at first");
        };
        assert_eq!(flight.take(&"k", at(1), at(11)), Taken::Busy(at(10)));
        assert!(matches!(
            flight.take(&"other", at(1), at(11)),
            Taken::Held(_)
        ));
        flight.release(&"k", first);
        assert!(matches!(flight.take(&"k", at(2), at(12)), Taken::Held(_)));
        // Lapsed: anyone may take it.
        assert!(matches!(flight.take(&"k", at(12), at(22)), Taken::Held(_)));
    }

    #[test]
    fn a_stale_holder_cannot_release_or_renew_its_successor() {
        let flight = SingleFlight::new();
        let Taken::Held(stale) = flight.take(&"k", at(0), at(10)) else {
            panic!("free at first");
        };
        let Taken::Held(fresh) = flight.take(&"k", at(11), at(21)) else {
            panic!("lapsed");
        };
        flight.release(&"k", stale);
        assert!(flight.holds(&"k", fresh));
        assert!(!flight.renew(&"k", stale, at(12), at(22)));
        assert!(flight.renew(&"k", fresh, at(12), at(22)));
    }

    #[test]
    fn release_wakes_the_waiters_once_per_release() {
        let flight = SingleFlight::new();
        let woken = Arc::new(AtomicUsize::new(0));
        let counter = woken.clone();
        flight.add_waker(Arc::new(move || {
            counter.fetch_add(1, Ordering::Relaxed);
        }));
        let Taken::Held(id) = flight.take(&"k", at(0), at(10)) else {
            panic!("free at first");
        };
        flight.release(&"k", id);
        flight.release(&"k", id);
        assert_eq!(
            woken.load(Ordering::Relaxed),
            1,
            "a second release is no release"
        );
    }
}
