//! Async adapter for feishu-rs over [reqwest].
//!
//! [`Client`] drives `feishu-core`'s [`Call`] state machine and sends the
//! requests it asks for; tokens, their cache and every protocol decision stay
//! in the core. Redirects are not followed, every HTTP status comes back as a
//! response, all headers are kept, each request's timeout is applied and bodies
//! are read up to a size cap.
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

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::time::SystemTime;

use feishu_core::auth::{TenantAccessToken, TenantAccessTokenRequest};
use feishu_core::{
    Call, Endpoint, Page, Pager, Paginated, StoreAnswer, Step, Timeout, TokenStore, TransportError,
    TransportErrorKind,
};
use futures_util::{Stream, StreamExt, stream};
use reqwest::redirect::Policy;

/// An async Feishu client. Cloning is cheap and shares the token cache and the
/// connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    core: feishu_core::Client,
    http: reqwest::Client,
}

impl Client {
    /// A client for a configuration, with an in-memory token cache. Fails
    /// only if the TLS backend cannot start.
    pub fn new(config: Config) -> Result<Self, Error> {
        Self::with_core(feishu_core::Client::new(config, os_seed()))
    }

    /// A client whose tokens live in `store`, e.g. one shared by a cluster.
    pub fn with_token_store(config: Config, store: Arc<dyn TokenStore>) -> Result<Self, Error> {
        Self::with_core(feishu_core::Client::with_token_store(
            config,
            store,
            os_seed(),
        ))
    }

    /// A client over a `feishu_core::Client` built (and seeded) by the caller,
    /// e.g. to share its token state with a driver of their own.
    pub fn with_core(core: feishu_core::Client) -> Result<Self, Error> {
        // No client-wide timeout: every request carries its own, and two
        // would cost two timers per request.
        let http = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .map_err(transport_error)?;
        Ok(Self { core, http })
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
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint)).await
    }

    /// Calls an endpoint as a user, refreshing their token when due.
    pub async fn send_as<E: Endpoint>(
        &self,
        endpoint: &E,
        user: &UserToken,
    ) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint).as_user(user)).await
    }

    /// Calls an endpoint with this token, as given.
    pub async fn send_with_token<E: Endpoint>(
        &self,
        endpoint: &E,
        token: &Secret,
    ) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint).with_token(token.clone()))
            .await
    }

    /// The pages of a list endpoint (or of a [`Pager`] with an item cap), one
    /// request per page, as a stream that ends after the first error. A walk
    /// cut short by the pager's [bounds](Pager#bounds) ends with an
    /// [`Error::BrokenPagination`] after its last page.
    pub fn pages<E>(
        &self,
        list: impl Into<Pager<E>>,
    ) -> impl Stream<Item = Result<Page<E::Item>, Error>> + '_
    where
        E: Paginated + 'static,
    {
        stream::unfold((self, list.into()), |(client, mut pager)| async move {
            let Some(request) = pager.next_request().cloned() else {
                // A walk cut short by a bound ends with why.
                let error = pager.take_error()?;
                return Some((Err(error.into()), (client, pager)));
            };
            let page = match client.send(&request).await {
                Ok(page) => pager.on_page(page),
                Err(error) => Err(error),
            };
            if page.is_err() {
                pager.stop();
            }
            Some((page, (client, pager)))
        })
    }

    /// The items of a list endpoint, across its pages, as a stream.
    pub fn items<E>(
        &self,
        list: impl Into<Pager<E>>,
    ) -> impl Stream<Item = Result<E::Item, Error>> + '_
    where
        E: Paginated + 'static,
    {
        self.pages(list).flat_map(|page| {
            stream::iter(match page {
                Ok(page) => page.items.into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            })
        })
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
    pub async fn user_token(
        &self,
        code: &str,
        redirect_uri: Option<&str>,
    ) -> Result<UserToken, Error> {
        let token = self
            .send(&self.core.code_exchange(code, redirect_uri)?)
            .await?;
        Ok(UserToken::new(token, SystemTime::now()))
    }

    /// Gets a tenant access token the way open-feishu's
    /// `get_tenant_access_token(input_a, input_b)` does: `cli_…` + app secret
    /// for a self-built app, `a-…` app access token + tenant key for a
    /// marketplace app; any other prefix is refused before anything is sent.
    pub async fn tenant_access_token(
        &self,
        input_a: &str,
        input_b: &str,
    ) -> Result<TenantAccessToken, Error> {
        self.send(&TenantAccessTokenRequest::from_inputs(input_a, input_b)?)
            .await
    }

    /// Drives a call to its end: the whole of this adapter's logic.
    async fn run<E: Endpoint>(&self, mut call: Call<'_, E>) -> Result<E::Output, Error> {
        loop {
            match call.poll(SystemTime::now()) {
                Step::Send(request) => match self.execute(request).await {
                    Ok(response) => call.on_response(response, SystemTime::now()),
                    Err(error) => call.on_transport_error(error, SystemTime::now()),
                },
                Step::Wait(until) => {
                    let wait = until.duration_since(SystemTime::now()).unwrap_or_default();
                    tokio::time::sleep(wait).await;
                }
                // This client has no shared store, so no call asks for one.
                Step::Store(_) => call.on_store(StoreAnswer::Unavailable, SystemTime::now()),
                Step::Done(result) => return result,
            }
        }
    }

    /// Sends one request as built by [`feishu_core::build`] and reads the whole
    /// response, whatever its status.
    pub async fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let timeout = request
            .extensions()
            .get::<Timeout>()
            .map_or(self.config().timeout(), |t| t.0);
        let mut request = reqwest::Request::try_from(request).map_err(transport_error)?;
        *request.timeout_mut() = Some(timeout);
        let mut response = self.http.execute(request).await.map_err(transport_error)?;

        let limit = self.config().max_response_bytes();
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

        let mut out = http::Response::new(body);
        *out.status_mut() = response.status();
        *out.version_mut() = response.version();
        *out.headers_mut() = std::mem::take(response.headers_mut());
        Ok(out)
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
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let call = self
            .client
            .core
            .call(endpoint)
            .for_tenant(self.tenant_key.clone());
        self.client.run(call).await
    }
}

/// Fresh random bits for a client's calls: std's hasher keys come from the
/// OS and differ for every `RandomState`.
fn os_seed() -> u64 {
    RandomState::new().hash_one(())
}

fn transport_error(error: reqwest::Error) -> TransportError {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::from_source_chain(&error).unwrap_or(TransportErrorKind::Other)
    };
    TransportError::new(kind, error)
}
