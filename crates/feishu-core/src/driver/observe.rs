//! What each call did, for metrics and logs: the drive loop tells
//! [`Observer`]s every request, wait and store operation of a call, and sums
//! the call up at its end in a [`CallSummary`].
//!
//! The core logs nothing itself; the adapters' `tracing` feature is an
//! observer that turns these into spans and events, and a metrics exporter
//! is a closure over the summary:
//!
//! ```
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicU32, Ordering};
//! use std::time::SystemTime;
//! use feishu_core::driver::{BlockingClient, CallSummary};
//! use feishu_core::{App, Client, Config, RawEndpoint, TransportError};
//!
//! let transport = |request: http::Request<Vec<u8>>| -> Result<_, TransportError> {
//!     let body = if request.uri().path().ends_with("/tenant_access_token/internal") {
//!         r#"{"code":0,"msg":"ok","tenant_access_token":"t-7f1bcd13fc57d46bac21793a18e560","expire":7200}"#
//!     } else {
//!         r#"{"code":0,"msg":"success","data":{"items":[],"has_more":false}}"#
//!     };
//!     Ok(http::Response::new(body.as_bytes().to_vec()))
//! };
//! let attempts = Arc::new(AtomicU32::new(0));
//! let counted = attempts.clone();
//! let metrics = move |summary: &CallSummary| {
//!     counted.fetch_add(summary.attempts, Ordering::Relaxed);
//!     assert_eq!(summary.token_requests, 1);
//!     assert_eq!(summary.outcome.as_str(), "ok");
//! };
//! let config = Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "app-secret"));
//! let client = BlockingClient::new(Client::new(config, 0x5eed), transport, (SystemTime::now, std::thread::sleep))
//!     .with_observer(Arc::new(metrics));
//! client.send(&RawEndpoint::get("/open-apis/im/v1/chats"))?;
//! assert_eq!(attempts.load(Ordering::Relaxed), 1);
//! # Ok::<(), feishu_core::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::header::AUTHORIZATION;
use http::{Method, StatusCode};
use serde::Deserialize;

use crate::wire::envelope::rate_limit_reset;
use crate::{Endpoint, Error, StoreAnswer, StoreOp, TransportError, TransportErrorKind};

/// Watches calls: told when each starts and, as it says at the start, of
/// every step through a [`CallObserver`], of the [`CallSummary`] at the end,
/// or of nothing. Give one to `with_observer`; a client may have several.
///
/// Any `Fn(&CallSummary)` that is `Send + Sync` is an observer of every
/// call's summary.
pub trait Observer: Send + Sync {
    /// A call starts: how to watch it. The default: its summary, given to
    /// [`end`](Self::end).
    fn start(&self, call: &CallInfo) -> Watching {
        let _ = call;
        Watching::Summary
    }

    /// A call this observer watches for its [summary](Watching::Summary) ended.
    fn end(&self, summary: &CallSummary) {
        let _ = summary;
    }
}

/// How an [`Observer`] watches one call.
#[non_exhaustive]
pub enum Watching {
    /// Not at all: a call no observer watches costs nothing (e.g. `tracing`
    /// with no subscriber interested).
    Not,
    /// Its summary, given to [`Observer::end`].
    Summary,
    /// Every step, and the summary, given to this.
    Steps(Box<dyn CallObserver>),
}

impl fmt::Debug for Watching {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Not => "Not",
            Self::Summary => "Summary",
            Self::Steps(_) => "Steps",
        })
    }
}

impl<F> Observer for F
where
    F: Fn(&CallSummary) + Send + Sync,
{
    fn end(&self, summary: &CallSummary) {
        self(summary);
    }
}

/// One call's observer, from [`Observer::start`]: told its steps in order,
/// then its end (instead of [`Observer::end`]).
pub trait CallObserver: Send {
    /// A step of the call.
    fn on_event(&mut self, event: &CallEvent<'_>);
    /// The call ended.
    fn on_end(self: Box<Self>, summary: &CallSummary);
}

/// Which API a call is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallInfo {
    /// Feishu's id of the API, e.g. `im.v1.message.create` (`raw` for a
    /// [`RawEndpoint`](crate::RawEndpoint)).
    pub endpoint: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/open-apis/im/v1/messages/:message_id/reply`;
    /// a raw endpoint's path as sent.
    pub path: Cow<'static, str>,
}

impl CallInfo {
    /// The API `endpoint` calls.
    pub fn of<E: Endpoint>(endpoint: &E) -> Self {
        let metadata = endpoint.metadata();
        Self {
            endpoint: metadata.id,
            method: endpoint.method(),
            path: Cow::Borrowed(metadata.path),
        }
    }

    /// The API of an endpoint type, when no value is at hand.
    pub fn of_type<E: Endpoint>() -> Self {
        Self {
            endpoint: E::METADATA.id,
            method: E::METADATA.method,
            path: Cow::Borrowed(E::METADATA.path),
        }
    }
}

/// What a request was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Purpose {
    /// The API the call is for.
    Endpoint,
    /// A token (or app ticket resend) the call needed first.
    Token,
}

/// One request of a call and how it went. Never a token or a body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// What it was for.
    pub purpose: Purpose,
    /// 1 for the first request of its purpose, 2 for the next…
    pub number: u32,
    /// The method.
    pub method: Method,
    /// The path (no query).
    pub path: String,
    /// The response's status; `None` if none came back.
    pub status: Option<StatusCode>,
    /// Feishu's `code` in the response body, if it has one.
    pub code: Option<i64>,
    /// The response's `X-Tt-Logid` (or `X-Request-Id`).
    pub log_id: Option<String>,
    /// Why no response came back.
    pub transport_error: Option<TransportErrorKind>,
    /// From sending to the answer (or failure).
    pub elapsed: Duration,
}

/// Why a call waited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WaitReason {
    /// Backing off before a retry.
    Retry,
    /// Until a rate limit resets (`x-ogw-ratelimit-reset`, or a 429).
    RateLimit,
    /// For another call's (or, with a shared store, another process's) token
    /// refresh.
    TokenRefresh,
}

impl WaitReason {
    /// A short name, fit for a metric label: `retry`, `rate_limit`,
    /// `token_refresh`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Retry => "retry",
            Self::RateLimit => "rate_limit",
            Self::TokenRefresh => "token_refresh",
        }
    }
}

/// How a shared-store operation went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreOutcome {
    /// `Load` found a token.
    Hit,
    /// `Load` found none.
    Miss,
    /// `Lock` took the lock.
    Locked,
    /// `Lock` found another process holding it.
    Busy,
    /// A write was carried out.
    Done,
    /// The store could not be reached: the call goes on degraded.
    Unavailable,
}

/// A step of a call, as its driver carried it out.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallEvent<'a> {
    /// A request went out and was answered (or failed).
    Attempt(&'a Attempt),
    /// The call waited.
    Waited {
        /// Why.
        reason: WaitReason,
        /// How long (until it was polled again).
        duration: Duration,
    },
    /// A shared-store operation was carried out.
    Stored {
        /// `load`, `lock`, `save`, `unlock` or `invalidate`.
        operation: &'static str,
        /// How it went.
        outcome: StoreOutcome,
    },
}

/// How a call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// It succeeded.
    Ok,
    /// Feishu answered with a non-zero `code`.
    Api,
    /// No usable response came (connect, timeout, deadline).
    Transport,
    /// The response was not what the endpoint expects.
    UnexpectedResponse,
    /// Refused before anything was sent (invalid request, misuse).
    Refused,
    /// A marketplace app's `app_ticket` is pending.
    AppTicketPending,
    /// A user must authorize again.
    UserTokenExpired,
    /// A list's pages did not chain.
    BrokenPagination,
}

impl Outcome {
    fn of(error: &Error) -> Self {
        match error {
            Error::Exhausted(exhausted) => Self::of(&exhausted.last),
            Error::Api(_) => Self::Api,
            Error::Transport(_) => Self::Transport,
            Error::UnexpectedResponse(_) => Self::UnexpectedResponse,
            Error::AppTicketPending(_) => Self::AppTicketPending,
            Error::UserTokenExpired => Self::UserTokenExpired,
            Error::BrokenPagination(_) => Self::BrokenPagination,
            Error::InvalidRequest(_) | Error::Misuse(_) => Self::Refused,
        }
    }

    /// A short name, fit for a metric label: `ok`, `api`, `transport`,
    /// `unexpected_response`, `refused`, `app_ticket_pending`,
    /// `user_token_expired`, `broken_pagination`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Api => "api",
            Self::Transport => "transport",
            Self::UnexpectedResponse => "unexpected_response",
            Self::Refused => "refused",
            Self::AppTicketPending => "app_ticket_pending",
            Self::UserTokenExpired => "user_token_expired",
            Self::BrokenPagination => "broken_pagination",
        }
    }
}

/// A call, summed up: plain numbers for metrics, no token, no body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallSummary {
    /// Which API.
    pub call: CallInfo,
    /// Requests sent to the API itself (retries included).
    pub attempts: u32,
    /// Token requests (and app ticket resends) the call made first.
    pub token_requests: u32,
    /// How long the call waited, in all.
    pub waited: Duration,
    /// How long it waited for each reason, in that order: retries, rate
    /// limits, token refreshes.
    pub waited_for: [(WaitReason, Duration); 3],
    /// Shared-store operations carried out.
    pub store_operations: u32,
    /// Whether the shared store was unavailable: the call went on without it.
    pub store_unavailable: bool,
    /// How the call ended.
    pub outcome: Outcome,
    /// The status of the API's last response.
    pub status: Option<StatusCode>,
    /// Feishu's `code` of the failure, if it had one.
    pub code: Option<i64>,
    /// The `X-Tt-Logid` of the API's last response, for Feishu support.
    pub log_id: Option<String>,
    /// From the first poll to the end.
    pub elapsed: Duration,
}

/// Responses larger than this are not read for their `code`.
const MAX_CODE_SCAN: usize = 64 * 1024;

/// An observer, and how it watches this call: `None` for its summary.
type Watcher = (Arc<dyn Observer>, Option<Box<dyn CallObserver>>);

/// A drive loop's bookkeeping for one call, when it has observers.
pub(super) struct Watch {
    observers: Vec<Watcher>,
    summary: CallSummary,
    needs_token: bool,
    started: SystemTime,
    /// Whether any observer watches the steps: without, only the summary is
    /// kept, and no response is read for its `code`.
    stepwise: bool,
    /// The request out: its attempt so far, and when it left.
    sending: Option<(Attempt, SystemTime)>,
    /// The last step was an answered (or failed) exchange, and whether that
    /// one carried a rate limit.
    after_exchange: Option<bool>,
}

impl Watch {
    /// Bookkeeping for a call of `info` starting at `now`; `None` without
    /// observers, so an unobserved call pays nothing.
    pub(super) fn start(
        observers: &[Arc<dyn Observer>],
        info: impl FnOnce() -> CallInfo,
        needs_token: bool,
        now: SystemTime,
    ) -> Option<Box<Self>> {
        if observers.is_empty() {
            return None;
        }
        let info = info();
        let observers: Vec<Watcher> = observers
            .iter()
            .filter_map(|observer| match observer.start(&info) {
                Watching::Not => None,
                Watching::Summary => Some((observer.clone(), None)),
                Watching::Steps(call) => Some((observer.clone(), Some(call))),
            })
            .collect();
        if observers.is_empty() {
            return None;
        }
        let stepwise = observers.iter().any(|(_, call)| call.is_some());
        // Boxed: the bookkeeping stays out of every call's future.
        Some(Box::new(Self {
            observers,
            summary: CallSummary {
                call: info,
                attempts: 0,
                token_requests: 0,
                waited: Duration::ZERO,
                waited_for: [
                    (WaitReason::Retry, Duration::ZERO),
                    (WaitReason::RateLimit, Duration::ZERO),
                    (WaitReason::TokenRefresh, Duration::ZERO),
                ],
                store_operations: 0,
                store_unavailable: false,
                outcome: Outcome::Ok,
                status: None,
                code: None,
                log_id: None,
                elapsed: Duration::ZERO,
            },
            needs_token,
            started: now,
            stepwise,
            sending: None,
            after_exchange: None,
        }))
    }

    fn tell(&mut self, event: &CallEvent<'_>) {
        for (_, call) in &mut self.observers {
            if let Some(call) = call {
                call.on_event(event);
            }
        }
    }

    /// A request goes out at `now`.
    pub(super) fn sending(&mut self, request: &http::Request<Vec<u8>>, now: SystemTime) {
        // A call that needs a token sends the API request with one; a
        // request without is for the token.
        let token = self.needs_token && !request.headers().contains_key(AUTHORIZATION);
        let (purpose, number) = if token {
            self.summary.token_requests += 1;
            (Purpose::Token, self.summary.token_requests)
        } else {
            self.summary.attempts += 1;
            if self.summary.call.path.is_empty() {
                self.summary.call.path = Cow::Owned(request.uri().path().to_owned());
            }
            (Purpose::Endpoint, self.summary.attempts)
        };
        let path = if self.stepwise {
            request.uri().path().to_owned()
        } else {
            String::new()
        };
        let attempt = Attempt {
            purpose,
            number,
            method: request.method().clone(),
            path,
            status: None,
            code: None,
            log_id: None,
            transport_error: None,
            elapsed: Duration::ZERO,
        };
        self.sending = Some((attempt, now));
    }

    /// The request's response came back at `now`.
    pub(super) fn answered(&mut self, response: &http::Response<Vec<u8>>, now: SystemTime) {
        let Some((mut attempt, sent)) = self.sending.take() else {
            return;
        };
        attempt.status = Some(response.status());
        if self.stepwise {
            attempt.code = feishu_code(response.body());
        }
        if self.stepwise || attempt.purpose == Purpose::Endpoint {
            attempt.log_id = crate::wire::api_error::log_id(response.headers(), None);
        }
        attempt.elapsed = super::until(sent, now);
        // Only a failure is followed by a backoff: a success needs no look.
        let limited = !response.status().is_success()
            && (response.status() == StatusCode::TOO_MANY_REQUESTS
                || rate_limit_reset(response.headers()).is_some());
        self.after_exchange = Some(limited);
        if attempt.purpose == Purpose::Endpoint {
            self.summary.status = attempt.status;
            self.summary.log_id.clone_from(&attempt.log_id);
        }
        self.tell(&CallEvent::Attempt(&attempt));
    }

    /// The request got no response, as of `now`.
    pub(super) fn failed(&mut self, error: &TransportError, now: SystemTime) {
        let Some((mut attempt, sent)) = self.sending.take() else {
            return;
        };
        attempt.transport_error = Some(error.kind());
        attempt.elapsed = super::until(sent, now);
        self.after_exchange = Some(false);
        self.tell(&CallEvent::Attempt(&attempt));
    }

    /// The call waited from `from` to `to`.
    pub(super) fn waited(&mut self, from: SystemTime, to: SystemTime) {
        let reason = match self.after_exchange {
            Some(true) => WaitReason::RateLimit,
            Some(false) => WaitReason::Retry,
            None => WaitReason::TokenRefresh,
        };
        let duration = super::until(from, to);
        self.summary.waited += duration;
        if let Some((_, total)) = self
            .summary
            .waited_for
            .iter_mut()
            .find(|(r, _)| *r == reason)
        {
            *total += duration;
        }
        self.tell(&CallEvent::Waited { reason, duration });
    }

    /// Polled: the next step is not a wait right after an exchange.
    pub(super) fn polled(&mut self, waits: bool) {
        if !waits {
            self.after_exchange = None;
        }
    }

    /// A store operation was answered.
    pub(super) fn stored(&mut self, op: &StoreOp, answer: &StoreAnswer) {
        self.summary.store_operations += 1;
        let outcome = match answer {
            StoreAnswer::Loaded(Some(_)) => StoreOutcome::Hit,
            StoreAnswer::Loaded(None) => StoreOutcome::Miss,
            StoreAnswer::Locked(Some(_)) => StoreOutcome::Locked,
            StoreAnswer::Locked(None) => StoreOutcome::Busy,
            StoreAnswer::Done => StoreOutcome::Done,
            StoreAnswer::Unavailable => StoreOutcome::Unavailable,
        };
        self.summary.store_unavailable |= outcome == StoreOutcome::Unavailable;
        self.after_exchange = None;
        let operation = store_operation(op);
        self.tell(&CallEvent::Stored { operation, outcome });
    }

    /// The call ended with `result` at `now`: the summary goes out.
    pub(super) fn end<T>(self: Box<Self>, result: &Result<T, Error>, now: SystemTime) {
        let Self {
            observers,
            mut summary,
            started,
            ..
        } = *self;
        if let Err(error) = result {
            summary.outcome = Outcome::of(error);
            summary.code = error.code();
            if let Some(log_id) = error.log_id() {
                summary.log_id = Some(log_id.to_owned());
            }
        }
        summary.elapsed = super::until(started, now);
        for (observer, call) in observers {
            match call {
                Some(call) => call.on_end(&summary),
                None => observer.end(&summary),
            }
        }
    }
}

/// The name of a store operation.
fn store_operation(op: &StoreOp) -> &'static str {
    match op {
        StoreOp::Load(_) => "load",
        StoreOp::Lock { .. } => "lock",
        StoreOp::Save { .. } => "save",
        StoreOp::Unlock { .. } => "unlock",
        StoreOp::Invalidate { .. } => "invalidate",
    }
}

/// Feishu's `code` in a JSON body (a number, or a numeric string on some
/// OAuth pages); `None` for any other body.
pub(super) fn feishu_code(body: &[u8]) -> Option<i64> {
    #[derive(Deserialize)]
    struct Code {
        code: Option<serde_json::Value>,
    }
    if body.len() > MAX_CODE_SCAN || body.first() != Some(&b'{') {
        return None;
    }
    match serde_json::from_slice::<Code>(body).ok()?.code? {
        serde_json::Value::Number(code) => code.as_i64(),
        serde_json::Value::String(code) => code.parse().ok(),
        _ => None,
    }
}
