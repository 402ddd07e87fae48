//! Whether Redis answers: after a failure a store leaves it alone for a
//! while, so calls go on at once from their process's cache instead of each
//! waiting out a timeout; the first failure and the recovery are logged.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::log;

/// One store's view of its Redis.
#[derive(Debug)]
pub(crate) struct Health {
    retry_after: Duration,
    /// Until when Redis is left alone.
    down_until: Mutex<Option<Instant>>,
    /// Whether the last attempt failed: only changes are logged.
    degraded: AtomicBool,
}

impl Health {
    pub(crate) fn new(retry_after: Duration) -> Self {
        Self {
            retry_after,
            down_until: Mutex::new(None),
            degraded: AtomicBool::new(false),
        }
    }

    /// Whether to skip Redis now.
    pub(crate) fn resting(&self) -> bool {
        let down_until = self
            .down_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        down_until.is_some_and(|until| Instant::now() < until)
    }

    /// Redis failed `what`: leave it alone for a while.
    pub(crate) fn failed(&self, target: &str, what: &str, error: &dyn std::fmt::Display) {
        let mut down_until = self
            .down_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *down_until = Instant::now().checked_add(self.retry_after);
        drop(down_until);
        if !self.degraded.swap(true, Ordering::Relaxed) {
            log::degraded(target, what, error);
        }
    }

    /// Redis answered.
    pub(crate) fn answered(&self, target: &str) {
        if self.degraded.swap(false, Ordering::Relaxed) {
            log::recovered(target);
        }
    }
}
