//! Blocking adapter for feishu-rs over [ureq] 3.
//!
//! [`Client`] is `feishu-core`'s [`BlockingClient`] over this crate's
//! [`UreqTransport`] and [`StdClock`]: every method it offers (`send`,
//! `send_as`, `tenant`, `pages`, `items`, `share_app_ticket`, …) is the
//! core's. This crate only moves bytes: redirects are not followed, every
//! HTTP status comes back as a response, all headers are kept, each request's
//! timeout bounds the whole exchange and bodies are read up to a size cap.
//! A fleet of processes fetches each token once through a store they share:
//! [`Client::with_shared_store`].
//!
//! ```
//! use feishu_ureq::{App, Client, Config, feishu_core::RawEndpoint};
//! # let mock = feishu_mock::MockServer::start();
//! # let (base_url, app_id, app_secret) = (mock.url(), feishu_mock::SELF_BUILT_APP_ID, feishu_mock::SELF_BUILT_APP_SECRET);
//!
//! // Config::feishu() or Config::lark() in production; here, feishu-mock.
//! let client = Client::new(Config::new(base_url)?.with_app(App::self_built(app_id, app_secret)));
//! // The tenant token is fetched, cached and refreshed on the way.
//! let chats = client.send(&RawEndpoint::get("/open-apis/im/v1/chats"))?;
//! assert!(chats["items"].is_array());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use feishu_core::{self, App, Config, Error, Secret, UserToken};

pub use clock::StdClock;
#[cfg(feature = "long-connection")]
pub use long_connection::LongConnection;

use std::hash::{BuildHasher, RandomState};
use std::{ops::Deref, sync::Arc, time::Duration};

use feishu_core::driver::{self, BlockingClient, HttpRequest, HttpResponse, Transport};
use feishu_core::{Client as Core, Timeout, TokenStore};
use feishu_core::{TransportError, TransportErrorKind as Kind};
use resolver::CachingResolver;
use ureq::{Agent, unversioned::transport::DefaultConnector};

mod clock;
#[cfg(feature = "long-connection")]
pub mod long_connection;
mod resolver;
#[cfg(feature = "tracing")]
pub use feishu_core::driver::trace;

/// A blocking Feishu client. Cloning is cheap and shares the token cache and
/// the connection pool. Its methods are [`BlockingClient`]'s.
#[derive(Clone, Debug)]
pub struct Client(BlockingClient<UreqTransport, StdClock>);

/// A marketplace app's client for one tenant; see [`BlockingClient::tenant`].
pub type Tenant = driver::Tenant<UreqTransport, StdClock>;
/// The pages of a list; see [`BlockingClient::pages`].
pub type Pages<'a, E> = driver::Pages<'a, E, UreqTransport, StdClock>;
/// The items of a list; see [`BlockingClient::items`].
pub type Items<'a, E> = driver::Items<'a, E, UreqTransport, StdClock>;

impl Client {
    /// A client for a configuration, with an in-memory token cache.
    pub fn new(config: Config) -> Self {
        Self::with_core(Core::new(config, os_seed()))
    }

    /// A client whose tokens live in `store`, e.g. one shared by a cluster.
    pub fn with_token_store(config: Config, store: Arc<dyn TokenStore>) -> Self {
        Self::with_core(Core::with_token_store(config, store, os_seed()))
    }

    /// A client over a `feishu_core::Client` built (and seeded) by the caller,
    /// e.g. to share its token state with a driver of their own.
    pub fn with_core(core: Core) -> Self {
        let transport = UreqTransport::new(core.config());
        let client = BlockingClient::new(core, transport, StdClock::default());
        #[cfg(feature = "tracing")]
        let client = client.with_observer(Arc::new(trace::Tracing));
        Self(client)
    }

    /// The client with a store shared with other processes, meeting
    /// [`SharedStore`](driver::SharedStore#contract)'s contract; see
    /// [`BlockingClient::with_shared_store`].
    pub fn with_shared_store(self, store: Arc<dyn driver::SharedStore>) -> Self {
        Self(self.0.with_shared_store(store))
    }

    /// The client with one more observer of its calls (metrics: a closure
    /// over each [`CallSummary`](driver::CallSummary)); see
    /// [`BlockingClient::with_observer`].
    pub fn with_observer(self, observer: Arc<dyn driver::Observer>) -> Self {
        Self(self.0.with_observer(observer))
    }

    /// Sends one request as built by [`feishu_core::build`] and reads the whole
    /// response, whatever its status.
    pub fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.transport().send(request)
    }
}

impl Deref for Client {
    type Target = BlockingClient<UreqTransport, StdClock>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// The [`Transport`]: a ureq agent that follows no redirect and returns every
/// status, with a DNS cache. Cloning shares its pool.
#[derive(Clone, Debug)]
pub struct UreqTransport {
    agent: Agent,
    resolver: CachingResolver,
    timeout: Duration,
    max_response_bytes: usize,
}

impl UreqTransport {
    /// A transport with the timeout and body cap of `config`.
    pub fn new(config: &Config) -> Self {
        let resolver = CachingResolver::default();
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0);
        Self {
            agent: Agent::with_parts(agent.build(), DefaultConnector::default(), resolver.clone()),
            resolver,
            timeout: config.timeout(),
            max_response_bytes: config.max_response_bytes(),
        }
    }

    /// One exchange, with ureq's errors.
    fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, ureq::Error> {
        let timeout = request.extensions().get::<Timeout>();
        // One budget for the whole exchange, name resolution to the last
        // byte of the body, as the core's `Timeout` means; ureq's per-phase
        // timeouts would each get all of it.
        let timeout = Some(timeout.map_or(self.timeout, |t| t.0));
        let request = self.agent.configure_request(request);
        let request = request.timeout_global(timeout).build();
        let response = if request.body().is_empty() {
            self.agent.run(request.map(|_| ()))
        } else {
            self.agent.run(request)
        };
        let (parts, body) = response?.into_parts();
        let limit = u64::try_from(self.max_response_bytes).unwrap_or(u64::MAX);
        let body = body.into_with_config().limit(limit).read_to_vec()?;
        Ok(HttpResponse::from_parts(parts, body))
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.exchange(request).map_err(|error| {
            let kind = match &error {
                ureq::Error::BodyExceedsLimit(_) => {
                    return TransportError::body_too_large(self.max_response_bytes);
                }
                ureq::Error::Timeout(_) => Kind::Timeout,
                ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => Kind::Connect,
                ureq::Error::Io(io) => Kind::from_source_chain(io).unwrap_or(Kind::Other),
                _ => Kind::Other,
            };
            if kind == Kind::Connect {
                // The host may have moved: look it up again next time.
                self.resolver.forget();
            }
            TransportError::new(kind, error)
        })
    }
}

/// Fresh random bits for a client's calls: std's hasher keys come from the
/// OS and differ for every `RandomState`.
fn os_seed() -> u64 {
    RandomState::new().hash_one(())
}
