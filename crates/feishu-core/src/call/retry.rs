//! The retry policy: which failures are worth another attempt, how long to
//! wait before it, and when to give up. Decided here, once, for every adapter.
//! Docs: <https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control>

use std::fmt;
use std::time::Duration;

use http::StatusCode;

use crate::{Error, TransportErrorKind, codes};

/// How a call retries. One value in [`Config`](crate::Config); every knob is
/// here.
///
/// ```
/// use std::time::Duration;
/// use feishu_core::{Config, RetryPolicy};
///
/// let config = Config::feishu().with_retry_policy(RetryPolicy::never());
/// assert_eq!(config.retry_policy().max_attempts, 1);
///
/// let mut patient = RetryPolicy::default();
/// patient.max_attempts = 8;
/// patient.deadline = Duration::from_secs(600);
/// let config = Config::feishu().with_retry_policy(patient);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts at most, the first included (1 = never retry). Default 5.
    pub max_attempts: u32,
    /// The whole call's budget, waits included; each request's timeout is cut
    /// to what remains. Default 5 min.
    pub deadline: Duration,
    /// The first backoff's cap; each further one doubles it. Default 250 ms.
    pub initial_backoff: Duration,
    /// The largest backoff cap. Default 30 s.
    pub max_backoff: Duration,
    /// The longest wait for a rate limit's `x-ogw-ratelimit-reset`. Default 60 s.
    pub max_rate_limit_wait: Duration,
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before retry number `retry` (1 for the first): "full jitter",
    /// a uniform draw in `[0, min(max_backoff, initial_backoff × 2^(retry-1)))`,
    /// so clients that failed together do not retry together.
    pub(crate) fn backoff(&self, retry: u32, random: u64) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let cap = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random % nanos)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            deadline: Duration::from_secs(300),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(30),
            max_rate_limit_wait: Duration::from_secs(60),
        }
    }
}

/// Why one attempt failed, as the retry policy saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// HTTP 429 or a rate-limit code; `reset` is `x-ogw-ratelimit-reset`.
    RateLimited {
        /// The HTTP status.
        status: StatusCode,
        /// The Feishu code, if the body had one.
        code: Option<i64>,
        /// The wait the server asked for.
        reset: Option<Duration>,
    },
    /// A 5xx status or a server-fault code.
    Server {
        /// The HTTP status.
        status: StatusCode,
        /// The Feishu code, if the body had one.
        code: Option<i64>,
    },
    /// The transport failed.
    Transport(TransportErrorKind),
}

impl Failure {
    /// Classifies a failed attempt; `None` means retrying would not help.
    pub(crate) fn of(error: &Error, rate_limit_reset: Option<Duration>) -> Option<Self> {
        let (status, code) = match error {
            Error::Api(error) => (error.status, Some(error.code)),
            Error::UnexpectedResponse(error) => (error.status, None),
            Error::Transport(error) => {
                return match error.kind() {
                    TransportErrorKind::BodyTooLarge => None,
                    kind => Some(Self::Transport(kind)),
                };
            }
            _ => return None,
        };
        if status == StatusCode::TOO_MANY_REQUESTS
            || code.is_some_and(|c| codes::RATE_LIMITED.contains(&c))
        {
            let reset = rate_limit_reset;
            return Some(Self::RateLimited {
                status,
                code,
                reset,
            });
        }
        if status.is_server_error() || code.is_some_and(|c| codes::SERVER_FAULT.contains(&c)) {
            return Some(Self::Server { status, code });
        }
        None
    }

    /// Whether a request that may have been processed is safe to repeat after
    /// this failure: always for rate limits and refused connections (nothing
    /// was processed), otherwise only for idempotent requests.
    pub(crate) fn allows_repeat(&self, idempotent: bool) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Transport(TransportErrorKind::Connect) => true,
            Self::Server { .. } | Self::Transport(_) => idempotent,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = |code: &Option<i64>| code.map(|c| format!(" code {c}")).unwrap_or_default();
        match self {
            Self::RateLimited {
                status,
                code: c,
                reset,
            } => {
                write!(f, "rate limited (HTTP {}{}", status.as_u16(), code(c))?;
                if let Some(reset) = reset {
                    write!(f, ", reset in {} s", reset.as_secs())?;
                }
                f.write_str(")")
            }
            Self::Server { status, code: c } => {
                write!(f, "server error (HTTP {}{})", status.as_u16(), code(c))
            }
            Self::Transport(kind) => write!(f, "{kind} error"),
        }
    }
}

/// A call that ran out of attempts or time after retries: why each attempt
/// failed, and the last error in full.
#[derive(Debug)]
#[non_exhaustive]
pub struct Exhausted {
    /// Why each attempt failed, in order; the last one's error is
    /// [`Exhausted::last`] (or, when the deadline passed while the call
    /// waited, `last` says so).
    pub failures: Vec<Failure>,
    /// How the call ended.
    pub last: Error,
}

impl Exhausted {
    /// How many attempts were made.
    pub fn attempts(&self) -> usize {
        self.failures.len()
    }
}

impl fmt::Display for Exhausted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gave up after {} attempts (", self.attempts())?;
        for (i, failure) in self.failures.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{failure}")?;
        }
        write!(f, "): {}", self.last)
    }
}

impl std::error::Error for Exhausted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.last)
    }
}

/// SplitMix64: a tiny, well-mixed generator, seeded by the caller so the core
/// draws no randomness of its own and tests replay exactly.
#[derive(Clone, Debug)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A random (version 4) UUID, for Feishu's `uuid` deduplication key.
    /// Written digit by digit: `format!` costs more than the rest of a call.
    pub(crate) fn uuid(&mut self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let (high, low) = (self.next_u64(), self.next_u64());
        let high = (high & !0xF000) | 0x4000; // version 4
        let low = (low & !(0xC << 60)) | (0x8 << 60); // RFC 4122 variant
        let bits = (u128::from(high) << 64) | u128::from(low);
        let mut uuid = String::with_capacity(36);
        for nibble in 0..32 {
            if matches!(nibble, 8 | 12 | 16 | 20) {
                uuid.push('-');
            }
            let digit = (bits >> (124 - 4 * nibble)) & 0xF;
            uuid.push(char::from(HEX[digit as usize]));
        }
        uuid
    }
}
