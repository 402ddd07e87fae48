//! Drivers: the whole client surface over any transport, blocking or async.
//!
//! A [`Call`](crate::Call) says what it needs next (`Send`, `Wait`, `Done`);
//! a driver does it. This module writes that loop once per flavour, together
//! with everything a user calls (`send`, `send_as`, `tenant(..)`, `pages`,
//! `items`, …), generic over two seams the caller supplies:
//!
//! - a transport, [`Transport`] (blocking) or [`AsyncTransport`]: one request
//!   out, the whole response back, whatever its status. Any closure of the
//!   right shape is one.
//! - a clock, [`Clock`] or [`AsyncClock`]: the time now, and a way to wait.
//!   A pair of functions is one: `(SystemTime::now, std::thread::sleep)`. A
//!   clock that also has a [waker](Clock::waker) ends a call's wait for
//!   another call's token refresh the moment it ends; without one the call
//!   looks again every 20 ms.
//!
//! and, for a fleet of processes that should fetch each token once, a third:
//!
//! - a shared store, [`SharedStore`] or [`AsyncSharedStore`] (Redis, a
//!   database), given with `with_shared_store`: the drive loop carries out
//!   the [`Step::Store`](crate::Step::Store) operations of its calls on it.
//!
//! and, to see what calls do, any number of [`Observer`]s, given with
//! `with_observer`: each call's requests, waits and store operations, and a
//! [`CallSummary`] at its end, the same for both flavours.
//!
//! The driver itself stays pure: it reads no clock, sleeps never and opens no
//! socket; its randomness is the seed of the [`Client`](crate::Client) it is given. An
//! adapter (`feishu-ureq`, `feishu-reqwest`) is then its transport, its
//! clock and its error mapping, and your own HTTP stack is a function:
//!
//! ```
//! use std::time::SystemTime;
//! use feishu_core::driver::BlockingClient;
//! use feishu_core::{App, Client, Config, RawEndpoint, TransportError};
//!
//! // Your HTTP stack: here, canned answers.
//! fn transport(request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
//!     let body = if request.uri().path().ends_with("/tenant_access_token/internal") {
//!         r#"{"code":0,"msg":"ok","tenant_access_token":"t-7f1bcd13fc57d46bac21793a18e560","expire":7200}"#
//!     } else {
//!         r#"{"code":0,"msg":"success","data":{"items":[],"has_more":false}}"#
//!     };
//!     Ok(http::Response::new(body.into()))
//! }
//!
//! let config = Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "app-secret"));
//! // Fresh random bits in real code, e.g. std's `RandomState::new().hash_one(())`.
//! let core = Client::new(config, 0x5eed);
//! let client = BlockingClient::new(core, transport, (SystemTime::now, std::thread::sleep));
//! let chats = client.send(&RawEndpoint::get("/open-apis/im/v1/chats"))?;
//! assert_eq!(chats["has_more"], false);
//! # Ok::<(), feishu_core::Error>(())
//! ```

use std::future::Future;
use std::io;
use std::time::{Duration, SystemTime};

use http::{Request, Response};

use crate::{Error, Page, Pager, Paginated, TransportError, TransportErrorKind, Waker};

mod blocking;
mod card_stream;
mod nonblocking;
mod observe;
mod shared_store;
#[cfg(feature = "tracing")]
pub mod trace;

pub use blocking::{BlockingClient, Items, Pages, Tenant};
pub use card_stream::{Chunk, ChunkStream, FromFn, StreamReplyError, chunks_from_fn};
pub use nonblocking::{AsyncClient, AsyncItems, AsyncPages, AsyncTenant};
pub use observe::{
    Attempt, CallEvent, CallInfo, CallObserver, CallSummary, Observer, Outcome, Purpose,
    StoreOutcome, WaitReason, Watching,
};
pub use shared_store::{AsyncSharedStore, SharedStore};

/// A request as the core builds it: [`build`](crate::build)'s output.
pub type HttpRequest = Request<Vec<u8>>;

/// A response as the core reads it: the whole body, whatever the status.
pub type HttpResponse = Response<Vec<u8>>;

/// A blocking HTTP transport: sends one request and reads the whole response.
///
/// Every status (4xx, 5xx) is a response, not an error; redirects are not
/// followed; all response headers are kept; the request's
/// [`Timeout`](crate::Timeout) bounds the whole exchange; the body is read up
/// to [`Config::max_response_bytes`](crate::Config::max_response_bytes). An
/// error is a failure to get a response at all, classified by its
/// [`TransportErrorKind`] (an [`io::Error`] converts with `?`).
///
/// Any `Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError>`
/// is a transport.
pub trait Transport {
    /// Sends `request` and returns its response.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl<F> Transport for F
where
    F: Fn(HttpRequest) -> Result<HttpResponse, TransportError>,
{
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request)
    }
}

/// An async HTTP transport, with the contract of [`Transport`].
///
/// Any `Fn(http::Request<Vec<u8>>) -> F` whose `F` is a `Send` future of
/// `Result<http::Response<Vec<u8>>, TransportError>` is a transport.
pub trait AsyncTransport: Send + Sync {
    /// Sends `request` and returns its response.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;
}

impl<F, Fut> AsyncTransport for F
where
    F: Fn(HttpRequest) -> Fut + Send + Sync,
    Fut: Future<Output = Result<HttpResponse, TransportError>> + Send,
{
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        self(request)
    }
}

/// The time and a way to wait, for a blocking driver: the core reads no
/// clock of its own.
///
/// A pair `(now, sleep)` of `Fn() -> SystemTime` and `Fn(Duration)` is a
/// clock: `(SystemTime::now, std::thread::sleep)`, or a simulated one in tests.
///
/// # Wake-ups
///
/// A call that waits for another call's token refresh is told when it ends
/// if the clock has a [`waker`](Self::waker): the driver registers it with
/// [`Client::add_waker`](crate::Client::add_waker), and waits with
/// [`sleep_unless`](Self::sleep_unless), which such a clock ends early.
/// Without one, the call looks again every 20 ms. E.g. a condition variable:
/// the waker notifies it under its mutex, and `sleep_unless` checks `woken`
/// under the same mutex before each `wait_timeout`, so no wake-up falls
/// between the check and the wait.
pub trait Clock {
    /// The time now: token expiry, backoff and deadlines are judged by it.
    fn now(&self) -> SystemTime;
    /// Blocks for `duration`: a retry's backoff or a rate limit's reset.
    fn sleep(&self, duration: Duration);
    /// What wakes [`sleep_unless`](Self::sleep_unless) early: cheap, and
    /// never blocking. `None` (the default): nothing does.
    fn waker(&self) -> Option<Waker> {
        None
    }
    /// Blocks for `duration`, or until `woken()` is true after the
    /// [waker](Self::waker) was called, whichever comes first (ending
    /// sooner is harmless: the call is polled again). The default checks
    /// `woken` once, then sleeps the whole `duration`.
    fn sleep_unless(&self, duration: Duration, woken: &dyn Fn() -> bool) {
        if !woken() {
            self.sleep(duration);
        }
    }
}

impl<N, S> Clock for (N, S)
where
    N: Fn() -> SystemTime,
    S: Fn(Duration),
{
    fn now(&self) -> SystemTime {
        (self.0)()
    }
    fn sleep(&self, duration: Duration) {
        (self.1)(duration);
    }
}

/// The time and a way to wait, for an async driver.
///
/// A pair `(now, sleep)` of `Fn() -> SystemTime` and `Fn(Duration) -> F`,
/// `F` a `Send` future, is a clock: `(SystemTime::now, tokio::time::sleep)`.
///
/// Wake-ups work as for [`Clock`](Clock#wake-ups). E.g. with tokio's
/// `Notify`: the waker calls `notify_waiters`, and `sleep_unless` makes its
/// `notified()` future, pins it and `enable`s it before it checks `woken`,
/// then waits for it under a `timeout`.
pub trait AsyncClock: Send + Sync {
    /// The time now: token expiry, backoff and deadlines are judged by it.
    fn now(&self) -> SystemTime;
    /// Waits for `duration` without blocking the thread.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
    /// What wakes [`sleep_unless`](Self::sleep_unless) early: cheap, and
    /// never blocking. `None` (the default): nothing does.
    fn waker(&self) -> Option<Waker> {
        None
    }
    /// Waits for `duration`, or until `woken()` is true after the
    /// [waker](Self::waker) was called, whichever comes first (ending
    /// sooner is harmless: the call is polled again). The default checks
    /// `woken` once, then sleeps the whole `duration`.
    fn sleep_unless(
        &self,
        duration: Duration,
        woken: &(dyn Fn() -> bool + Sync),
    ) -> impl Future<Output = ()> + Send {
        async move {
            if !woken() {
                self.sleep(duration).await;
            }
        }
    }
}

impl<N, S, F> AsyncClock for (N, S)
where
    N: Fn() -> SystemTime + Send + Sync,
    S: Fn(Duration) -> F + Send + Sync,
    F: Future<Output = ()> + Send,
{
    fn now(&self) -> SystemTime {
        (self.0)()
    }
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        (self.1)(duration)
    }
}

/// An I/O error as a transport failure, its kind read from the error (see
/// [`TransportErrorKind::from_source_chain`]): `?` in a transport over
/// `std::io`.
impl From<io::Error> for TransportError {
    fn from(error: io::Error) -> Self {
        let kind =
            TransportErrorKind::from_source_chain(&error).unwrap_or(TransportErrorKind::Other);
        Self::new(kind, error)
    }
}

/// How long from `now` until `until`; nothing if it passed.
fn until(now: SystemTime, until: SystemTime) -> Duration {
    until.duration_since(now).unwrap_or_default()
}

/// The request of a walk's next page; at the end, `Err` if a bound cut the
/// walk short, so drivers report why as its last item.
fn next_page<E: Paginated>(pager: &mut Pager<E>) -> Option<Result<E, Error>> {
    match pager.next_request() {
        Some(request) => Some(Ok(request.clone())),
        None => pager.take_error().map(|error| Err(error.into())),
    }
}

/// Hands a page to its pager; the first error ends the walk.
fn on_page<E: Paginated>(
    pager: &mut Pager<E>,
    page: Result<Page<E::Item>, Error>,
) -> Result<Page<E::Item>, Error> {
    let page = page.and_then(|page| pager.on_page(page));
    if page.is_err() {
        pager.stop();
    }
    page
}

#[cfg(test)]
mod tests;
