//! The per-card rate: at most N operations in any second, and a pause
//! between text writes.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

const SECOND: Duration = Duration::from_secs(1);

/// When the next operation on a card may go out.
///
/// Operations are timed by when their answer came back, not when they were
/// sent: Feishu received each one somewhere in between, and sequential
/// operations each start after the last one's answer. So if an operation
/// starts a second or more after the answer to the one `per_second` before
/// it, no second of Feishu's clock can hold more than `per_second` of them,
/// however long each took on the wire.
#[derive(Debug)]
pub(super) struct Throttle {
    per_second: usize,
    interval: Duration,
    /// Answer times of the last `per_second` operations, oldest first.
    answered: VecDeque<SystemTime>,
    /// When the last text write went out.
    last_write: Option<SystemTime>,
}

impl Throttle {
    pub(super) fn new(per_second: usize, interval: Duration) -> Self {
        Self {
            per_second,
            interval,
            answered: VecDeque::with_capacity(per_second),
            last_write: None,
        }
    }

    /// The earliest time an operation may go out, seen at `now`.
    pub(super) fn operation_at(&self, now: SystemTime) -> SystemTime {
        if self.answered.len() < self.per_second {
            return now;
        }
        // A clock that went backwards must not stall the card for as long as
        // it jumped: a recorded time after `now` counts as `now`.
        self.answered
            .front()
            .map_or(now, |&oldest| oldest.min(now) + SECOND)
    }

    /// The earliest time a text write may go out: the rate, and the pause
    /// since the last write.
    pub(super) fn write_at(&self, now: SystemTime) -> SystemTime {
        let paused = self
            .last_write
            .map_or(now, |last| last.min(now) + self.interval);
        self.operation_at(now).max(paused)
    }

    /// A text write went out at `now`.
    pub(super) fn wrote(&mut self, now: SystemTime) {
        self.last_write = Some(now);
    }

    /// An operation's answer (success or failure) came back at `now`.
    pub(super) fn answered(&mut self, now: SystemTime) {
        if self.answered.len() == self.per_second {
            self.answered.pop_front();
        }
        self.answered.push_back(now);
    }
}
