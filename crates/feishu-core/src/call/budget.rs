//! The retry budget of one call: its attempts, its deadline, its jitter.

use std::mem;
use std::time::{Duration, SystemTime};

use crate::call::retry::SplitMix64;
use crate::call::token_store::later;
use crate::{Error, Exhausted, Failure, RetryPolicy};

/// What a call has spent: when it started, why each retried attempt failed,
/// and the randomness its backoffs draw from.
pub(super) struct Budget {
    /// When the first poll happened: the deadline counts from there.
    started: Option<SystemTime>,
    /// Every retried failure so far.
    failures: Vec<Failure>,
    /// The call's randomness, for jitter and the `uuid`.
    pub(super) random: SplitMix64,
}

impl Budget {
    pub(super) fn new(seed: u64) -> Self {
        Self {
            started: None,
            failures: Vec::new(),
            random: SplitMix64::new(seed),
        }
    }

    /// Marks the start at the first poll.
    pub(super) fn start(&mut self, now: SystemTime) {
        self.started.get_or_insert(now);
    }

    /// When the call's budget runs out.
    pub(super) fn deadline(&self, policy: &RetryPolicy, now: SystemTime) -> SystemTime {
        later(self.started.unwrap_or(now), policy.deadline)
    }

    /// What remains of the deadline at `now`.
    pub(super) fn remaining(&self, policy: &RetryPolicy, now: SystemTime) -> Duration {
        self.deadline(policy, now)
            .duration_since(now)
            .unwrap_or_default()
    }

    /// After a failure: when to try again, or the error that ends the call.
    /// A failure the policy does not retry (or one not safe to repeat) ends
    /// it as it is: a business error after a retried 503 is still that
    /// business error.
    pub(super) fn after_failure(
        &mut self,
        policy: &RetryPolicy,
        error: Error,
        idempotent: bool,
        reset: Option<Duration>,
        now: SystemTime,
    ) -> Result<SystemTime, Error> {
        let failure =
            Failure::of(&error, reset).filter(|failure| failure.allows_repeat(idempotent));
        let Some(failure) = failure else {
            return Err(error);
        };
        let wait = match &failure {
            Failure::RateLimited {
                reset: Some(reset), ..
            } => (*reset).min(policy.max_rate_limit_wait),
            _ => {
                let retry = u32::try_from(self.failures.len() + 1).unwrap_or(u32::MAX);
                policy.backoff(retry, self.random.next_u64())
            }
        };
        let until = later(now, wait);
        self.failures.push(failure);
        let attempts = u32::try_from(self.failures.len()).unwrap_or(u32::MAX);
        if attempts >= policy.max_attempts || until >= self.deadline(policy, now) {
            return Err(self.gave_up(error));
        }
        Ok(until)
    }

    /// The error of a call that ran out of budget or time: the error itself
    /// after one attempt; after retries, the earlier attempts' failures too.
    pub(super) fn gave_up(&mut self, last: Error) -> Error {
        if self.failures.len() <= 1 {
            return last;
        }
        let failures = mem::take(&mut self.failures);
        Error::Exhausted(Box::new(Exhausted { failures, last }))
    }
}
