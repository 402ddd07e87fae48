//! How a store reaches Redis: key prefix, time bounds, dedup window.

use std::time::Duration;

/// The settings every store of this crate shares.
///
/// Every Redis operation is bounded: connecting by
/// [`connect_timeout`](Self::connect_timeout), each command by
/// [`command_timeout`](Self::command_timeout), both well under a call's
/// [timeout](feishu_core::Config::timeout), so Redis never holds a call
/// past its deadline. After a failure the store does not try Redis again for
/// [`retry_after`](Self::retry_after): calls then go on at once from their
/// process's cache, degraded, instead of each waiting for a timeout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub(crate) prefix: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) command_timeout: Duration,
    pub(crate) retry_after: Duration,
    pub(crate) dedup_window: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            prefix: "feishu-rs:".to_owned(),
            connect_timeout: Duration::from_millis(300),
            command_timeout: Duration::from_millis(300),
            retry_after: Duration::from_secs(1),
            // Feishu redelivers for about 7.1 hours; the in-process default
            // (`MemorySeenStore`) keeps ids 12 hours too.
            dedup_window: Duration::from_secs(12 * 3600),
        }
    }
}

impl Options {
    /// The defaults: prefix `feishu-rs:`, 300 ms to connect, 300 ms per
    /// command, 1 s before retrying a Redis that failed, 12 h dedup window.
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts every key under `prefix`, e.g. one per deployment sharing a Redis.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long opening a connection may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one command may take, sending to reading its answer.
    pub fn command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// How long a store that found Redis unreachable or slow leaves it alone.
    pub fn retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = wait;
        self
    }

    /// How long an event id stays claimed: Feishu's redeliveries within it
    /// are dropped.
    pub fn dedup_window(mut self, window: Duration) -> Self {
        self.dedup_window = window;
        self
    }
}
