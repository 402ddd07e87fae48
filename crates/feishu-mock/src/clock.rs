//! What time it is for the mock: the seam its tests use to let tokens expire,
//! grants lapse and the uuid dedup window pass without sleeping.
//!
//! The server reads its [`Clock`] whenever it judges time: token lifetimes
//! and the re-issue threshold, authorization codes and refresh tokens, the
//! 1-hour `uuid` dedup window, and message times. Event delivery runs on the
//! real clock: its deadlines, retry delays and signature timestamps are real
//! I/O with a real receiver.
//!
//! ```
//! use std::time::Duration;
//!
//! use feishu_mock::{ManualClock, MockServer};
//!
//! let clock = ManualClock::new();
//! let server = MockServer::builder().clock(clock.clone()).start().expect("started");
//! // … fetch a token, then let it run out at once:
//! clock.advance(Duration::from_secs(7200));
//! # drop(server);
//! ```

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// A source of the current time for a [`MockServer`](crate::MockServer);
/// see [`MockServerBuilder::clock`](crate::MockServerBuilder::clock).
pub trait Clock: Send + Sync + 'static {
    /// Monotonic time: what lifetimes and windows are measured against.
    fn now(&self) -> Instant;
    /// Wall-clock time: what message `create_time`s are stamped with.
    fn system_now(&self) -> SystemTime;
}

/// The real clock, the default.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn system_now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that stands still until it is [advanced](ManualClock::advance).
/// It starts at the real time it was made; clones share one time.
#[derive(Clone)]
pub struct ManualClock {
    start: (Instant, SystemTime),
    elapsed: Arc<Mutex<Duration>>,
}

impl ManualClock {
    /// A clock at the real time now, standing still.
    pub fn new() -> Self {
        Self {
            start: (Instant::now(), SystemTime::now()),
            elapsed: Arc::default(),
        }
    }

    /// Moves this clock, and every clone of it, `by` forward.
    pub fn advance(&self, by: Duration) {
        let mut elapsed = self.elapsed.lock().unwrap_or_else(PoisonError::into_inner);
        *elapsed = elapsed.saturating_add(by);
    }

    /// How far the clock was advanced since it was made.
    pub fn elapsed(&self) -> Duration {
        *self.elapsed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start.0 + self.elapsed()
    }

    fn system_now(&self) -> SystemTime {
        self.start.1 + self.elapsed()
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock")
            .field("elapsed", &self.elapsed())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_clones_share_it() {
        let clock = ManualClock::new();
        let (now, wall) = (clock.now(), clock.system_now());
        let clone = clock.clone();
        clone.advance(Duration::from_secs(90));
        assert_eq!(clock.now() - now, Duration::from_secs(90));
        let wall_elapsed = clock.system_now().duration_since(wall).ok();
        assert_eq!(wall_elapsed, Some(Duration::from_secs(90)));
    }
}
