//! Blocking adapter for feishu-rs over [ureq] 3.
//!
//! [`Client`] drives `feishu-core`'s [`Call`] state machine and sends the
//! requests it asks for; tokens, their cache and every protocol decision stay
//! in the core. Redirects are not followed, every HTTP status comes back as a
//! response, all headers are kept, each request's timeout is applied and bodies
//! are read up to a size cap.
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

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::thread;
use std::time::SystemTime;

use feishu_core::auth::{TenantAccessToken, TenantAccessTokenRequest};
use feishu_core::{
    Call, Endpoint, Page, Pager, Paginated, StoreAnswer, Step, Timeout, TokenStore, TransportError,
    TransportErrorKind,
};
use ureq::Agent;
use ureq::unversioned::transport::DefaultConnector;

use resolver::CachingResolver;

mod resolver;

/// A blocking Feishu client. Cloning is cheap and shares the token cache and
/// the connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    core: feishu_core::Client,
    agent: Agent,
    resolver: CachingResolver,
}

impl Client {
    /// A client for a configuration, with an in-memory token cache.
    pub fn new(config: Config) -> Self {
        Self::with_core(feishu_core::Client::new(config, os_seed()))
    }

    /// A client whose tokens live in `store`, e.g. one shared by a cluster.
    pub fn with_token_store(config: Config, store: Arc<dyn TokenStore>) -> Self {
        Self::with_core(feishu_core::Client::with_token_store(
            config,
            store,
            os_seed(),
        ))
    }

    /// A client over a `feishu_core::Client` built (and seeded) by the caller,
    /// e.g. to share its token state with a driver of their own.
    pub fn with_core(core: feishu_core::Client) -> Self {
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build();
        let resolver = CachingResolver::default();
        let agent = Agent::with_parts(config, DefaultConnector::default(), resolver.clone());
        Self {
            core,
            agent,
            resolver,
        }
    }

    /// The sans-IO client underneath.
    pub fn core(&self) -> &feishu_core::Client {
        &self.core
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.core.config()
    }

    /// Calls an endpoint with the app's token it needs, fetched and cached on
    /// the way (or none, for the token endpoints themselves).
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint))
    }

    /// Calls an endpoint as a user, refreshing their token when due.
    pub fn send_as<E: Endpoint>(&self, endpoint: &E, user: &UserToken) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint).as_user(user))
    }

    /// Calls an endpoint with this token, as given.
    pub fn send_with_token<E: Endpoint>(
        &self,
        endpoint: &E,
        token: &Secret,
    ) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint).with_token(token.clone()))
    }

    /// The pages of a list endpoint (or of a [`Pager`] with an item cap), one
    /// request per page, stopping at the first error. A walk cut short by the
    /// pager's [bounds](Pager#bounds) ends with an
    /// [`Error::BrokenPagination`] after its last page.
    pub fn pages<E: Paginated>(&self, list: impl Into<Pager<E>>) -> Pages<'_, E> {
        Pages {
            client: self,
            pager: list.into(),
        }
    }

    /// The items of a list endpoint, across its pages.
    pub fn items<E: Paginated>(&self, list: impl Into<Pager<E>>) -> Items<'_, E> {
        Items {
            pages: self.pages(list),
            page: Vec::new().into_iter(),
        }
    }

    /// This marketplace app, acting in one tenant.
    pub fn tenant(&self, tenant_key: &str) -> Tenant {
        Tenant {
            client: self.clone(),
            tenant_key: tenant_key.into(),
        }
    }

    /// Keeps the `app_ticket` Feishu pushed to this marketplace app.
    pub fn set_app_ticket(&self, ticket: impl Into<Secret>) -> Result<(), Error> {
        self.core.set_app_ticket(ticket, SystemTime::now())
    }

    /// Exchanges an OAuth authorization code for the user's tokens.
    pub fn user_token(&self, code: &str, redirect_uri: Option<&str>) -> Result<UserToken, Error> {
        let token = self.send(&self.core.code_exchange(code, redirect_uri)?)?;
        Ok(UserToken::new(token, SystemTime::now()))
    }

    /// Gets a tenant access token the way open-feishu's
    /// `get_tenant_access_token(input_a, input_b)` does: `cli_…` + app secret
    /// for a self-built app, `a-…` app access token + tenant key for a
    /// marketplace app; any other prefix is refused before anything is sent.
    pub fn tenant_access_token(
        &self,
        input_a: &str,
        input_b: &str,
    ) -> Result<TenantAccessToken, Error> {
        self.send(&TenantAccessTokenRequest::from_inputs(input_a, input_b)?)
    }

    /// Drives a call to its end: the whole of this adapter's logic.
    fn run<E: Endpoint>(&self, mut call: Call<'_, E>) -> Result<E::Output, Error> {
        loop {
            match call.poll(SystemTime::now()) {
                Step::Send(request) => match self.execute(request) {
                    Ok(response) => call.on_response(response, SystemTime::now()),
                    Err(error) => call.on_transport_error(error, SystemTime::now()),
                },
                Step::Wait(until) => {
                    thread::sleep(until.duration_since(SystemTime::now()).unwrap_or_default());
                }
                // This client has no shared store, so no call asks for one.
                Step::Store(_) => call.on_store(StoreAnswer::Unavailable, SystemTime::now()),
                Step::Done(result) => return result,
            }
        }
    }

    /// Sends one request as built by [`feishu_core::build`] and reads the whole
    /// response, whatever its status.
    pub fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let timeout = request
            .extensions()
            .get::<Timeout>()
            .map_or(self.config().timeout(), |t| t.0);
        // One budget for the whole exchange, name resolution to the last
        // byte of the body, as the core's `Timeout` means; ureq's per-phase
        // timeouts would each get all of it.
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(Some(timeout))
            .build();
        let response = if request.body().is_empty() {
            self.agent.run(request.map(|_| ()))
        } else {
            self.agent.run(request)
        };
        let (parts, body) = response
            .map_err(|error| {
                let error = transport_error(error);
                if error.kind() == TransportErrorKind::Connect {
                    // The host may have moved: look it up again next time.
                    self.resolver.forget();
                }
                error
            })?
            .into_parts();
        let limit = self.config().max_response_bytes();
        let body = body
            .into_with_config()
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .read_to_vec()
            .map_err(|error| match error {
                ureq::Error::BodyExceedsLimit(_) => TransportError::body_too_large(limit),
                error => transport_error(error),
            })?;
        Ok(http::Response::from_parts(parts, body))
    }
}

/// The pages of a list, one request each; see [`Client::pages`].
#[derive(Debug)]
pub struct Pages<'a, E> {
    client: &'a Client,
    pager: Pager<E>,
}

impl<E: Paginated> Iterator for Pages<'_, E> {
    type Item = Result<Page<E::Item>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let Some(request) = self.pager.next_request().cloned() else {
            // A walk cut short by a bound ends with why.
            return self.pager.take_error().map(|error| Err(error.into()));
        };
        let page = self
            .client
            .send(&request)
            .and_then(|page| self.pager.on_page(page));
        if page.is_err() {
            self.pager.stop();
        }
        Some(page)
    }
}

/// The items of a list, fetched page by page; see [`Client::items`].
#[derive(Debug)]
pub struct Items<'a, E: Paginated> {
    pages: Pages<'a, E>,
    page: std::vec::IntoIter<E::Item>,
}

impl<E: Paginated> Iterator for Items<'_, E> {
    type Item = Result<E::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.page.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.page = page.items.into_iter(),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

/// A marketplace app's client for one tenant; see [`Client::tenant`].
#[derive(Clone, Debug)]
pub struct Tenant {
    client: Client,
    tenant_key: Arc<str>,
}

impl Tenant {
    /// Calls an endpoint with this tenant's token, fetched and cached on the way.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let call = self
            .client
            .core
            .call(endpoint)
            .for_tenant(self.tenant_key.clone());
        self.client.run(call)
    }
}

/// Fresh random bits for a client's calls: std's hasher keys come from the
/// OS and differ for every `RandomState`.
fn os_seed() -> u64 {
    RandomState::new().hash_one(())
}

fn transport_error(error: ureq::Error) -> TransportError {
    let kind = match &error {
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
        ureq::Error::Io(io) => {
            TransportErrorKind::from_source_chain(io).unwrap_or(TransportErrorKind::Other)
        }
        _ => TransportErrorKind::Other,
    };
    TransportError::new(kind, error)
}
