//! Async adapter for feishu-rs over [reqwest].
//!
//! [`Client`] is `feishu-core`'s [`AsyncClient`] over this crate's
//! [`ReqwestTransport`] and [`TokioClock`]: every method it offers (`send`,
//! `send_as`, `tenant`, `share_app_ticket`, …) is the core's, and
//! [`pages`](Client::pages) and [`items`](Client::items) are its walks as
//! `Stream`s. This crate only moves bytes: redirects are not followed, every
//! HTTP status comes back as a response, all headers are kept, each request's
//! timeout is applied and bodies are read up to a size cap. A fleet of
//! processes fetches each token once through a store they share:
//! [`Client::with_shared_store`].
//!
//! ```
//! use feishu_reqwest::{App, Client, Config, feishu_core::RawEndpoint};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = feishu_mock::MockServer::start();
//! # let (base_url, app_id, app_secret) = (mock.url(), feishu_mock::SELF_BUILT_APP_ID, feishu_mock::SELF_BUILT_APP_SECRET);
//!
//! // Config::feishu() or Config::lark() in production; here, feishu-mock.
//! let client = Client::new(Config::new(base_url)?.with_app(App::self_built(app_id, app_secret)))?;
//! // The tenant token is fetched, cached and refreshed on the way.
//! let chats = client.send(&RawEndpoint::get("/open-apis/im/v1/chats")).await?;
//! assert!(chats["items"].is_array());
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use feishu_core::{self, App, Config, Error, Secret, UserToken};

pub use clock::TokioClock;
#[cfg(feature = "long-connection")]
pub use long_connection::LongConnection;

use std::hash::{BuildHasher, RandomState};
use std::{ops::Deref, sync::Arc, time::Duration};

use feishu_core::driver::{self, AsyncClient, AsyncTransport, HttpRequest, HttpResponse};
use feishu_core::{Client as Core, Page, Pager, Paginated, Timeout, TokenStore};
use feishu_core::{TransportError, TransportErrorKind as Kind};
use futures_util::{Stream, stream};

mod card_stream;
mod clock;
#[cfg(feature = "long-connection")]
pub mod long_connection;
#[cfg(feature = "tracing")]
pub use feishu_core::driver::trace;

/// An async Feishu client. Cloning is cheap and shares the token cache and the
/// connection pool. Its methods are [`AsyncClient`]'s, but for the walks.
#[derive(Clone, Debug)]
pub struct Client(AsyncClient<ReqwestTransport, TokioClock>);

/// A marketplace app's client for one tenant; see [`AsyncClient::tenant`].
pub type Tenant = driver::AsyncTenant<ReqwestTransport, TokioClock>;

impl Client {
    /// A client for a configuration, with an in-memory token cache. Fails
    /// only if the TLS backend cannot start.
    pub fn new(config: Config) -> Result<Self, Error> {
        Self::with_core(Core::new(config, os_seed()))
    }

    /// A client whose tokens live in `store`, e.g. one shared by a cluster.
    pub fn with_token_store(config: Config, store: Arc<dyn TokenStore>) -> Result<Self, Error> {
        Self::with_core(Core::with_token_store(config, store, os_seed()))
    }

    /// A client over a `feishu_core::Client` built (and seeded) by the caller,
    /// e.g. to share its token state with a driver of their own.
    pub fn with_core(core: Core) -> Result<Self, Error> {
        let transport = ReqwestTransport::new(core.config())?;
        let clock = TokioClock::default();
        let client = AsyncClient::new(core, transport, clock);
        #[cfg(feature = "tracing")]
        let client = client.with_observer(Arc::new(trace::Tracing));
        Ok(Self(client))
    }

    /// The client with a store shared with other processes, meeting
    /// [`SharedStore`](driver::SharedStore#contract)'s contract; see
    /// [`AsyncClient::with_shared_store`].
    pub fn with_shared_store<S: driver::AsyncSharedStore + 'static>(self, store: Arc<S>) -> Self {
        Self(self.0.with_shared_store(store))
    }

    /// The client with one more observer of its calls (metrics: a closure
    /// over each [`CallSummary`](driver::CallSummary)); see
    /// [`AsyncClient::with_observer`].
    pub fn with_observer(self, observer: Arc<dyn driver::Observer>) -> Self {
        Self(self.0.with_observer(observer))
    }

    /// Sends one request as built by [`feishu_core::build`] and reads the whole
    /// response, whatever its status.
    pub async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.transport().send(request).await
    }

    /// [`AsyncClient::pages`] as a stream.
    pub fn pages<E: Paginated>(
        &self,
        list: impl Into<Pager<E>>,
    ) -> impl Stream<Item = Result<Page<E::Item>, Error>> {
        stream::unfold(self.0.pages(list), |mut pages| async {
            Some((pages.next().await?, pages))
        })
    }

    /// [`AsyncClient::items`] as a stream.
    pub fn items<E: Paginated>(
        &self,
        list: impl Into<Pager<E>>,
    ) -> impl Stream<Item = Result<E::Item, Error>> {
        stream::unfold(self.0.items(list), |mut items| async {
            Some((items.next().await?, items))
        })
    }
}

impl Deref for Client {
    type Target = AsyncClient<ReqwestTransport, TokioClock>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// The [`AsyncTransport`]: a reqwest client that follows no redirect.
/// Cloning shares its pool.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    http: reqwest::Client,
    timeout: Duration,
    max_response_bytes: usize,
}

impl ReqwestTransport {
    /// A transport with the timeout and body cap of `config`. Fails only if
    /// the TLS backend cannot start.
    pub fn new(config: &Config) -> Result<Self, Error> {
        // No client-wide timeout: every request carries its own, and two
        // would cost two timers per request.
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        Ok(Self {
            http: http.build().map_err(transport_error)?,
            timeout: config.timeout(),
            max_response_bytes: config.max_response_bytes(),
        })
    }
}

impl AsyncTransport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let timeout = request.extensions().get::<Timeout>();
        let timeout = Some(timeout.map_or(self.timeout, |t| t.0));
        let mut request = reqwest::Request::try_from(request).map_err(transport_error)?;
        *request.timeout_mut() = timeout;
        let mut response = self.http.execute(request).await.map_err(transport_error)?;

        let limit = self.max_response_bytes;
        let declared = response.content_length().unwrap_or(0);
        if declared > u64::try_from(limit).unwrap_or(u64::MAX) {
            return Err(TransportError::body_too_large(limit));
        }
        // Trust the declared length for sizing only up to 1 MiB: a server may lie.
        let mut body = Vec::with_capacity(usize::try_from(declared.min(1 << 20)).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if body.len() + chunk.len() > limit {
                return Err(TransportError::body_too_large(limit));
            }
            body.extend_from_slice(&chunk);
        }

        // Status, version and every header, as reqwest read them.
        Ok(http::Response::from(response).map(|_| body))
    }
}

/// Fresh random bits for a client's calls: std's hasher keys come from the
/// OS and differ for every `RandomState`.
fn os_seed() -> u64 {
    RandomState::new().hash_one(())
}

fn transport_error(error: reqwest::Error) -> TransportError {
    let kind = match () {
        _ if error.is_timeout() => Kind::Timeout,
        _ if error.is_connect() => Kind::Connect,
        _ => Kind::from_source_chain(&error).unwrap_or(Kind::Other),
    };
    TransportError::new(kind, error)
}
