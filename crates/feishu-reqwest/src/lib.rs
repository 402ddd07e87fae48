//! Async adapter for feishu-rs over [reqwest].
//!
//! [`Client`] sends the requests `feishu-core` builds and hands the responses
//! back to it; all protocol knowledge stays in the core. Redirects are not
//! followed, every HTTP status comes back as a response, all headers are kept,
//! each request's timeout is applied and bodies are read up to a size cap.
//!
//! ```no_run
//! use feishu_reqwest::{Client, Config};
//!
//! # async fn run() -> Result<(), feishu_reqwest::Error> {
//! let client = Client::new(Config::feishu())?;
//! let token = client.tenant_access_token("cli_a5d611352af9d00b", "app-secret").await?;
//! println!("token valid for {} s", token.expire);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use feishu_core::{self, Config, Error};

use feishu_core::auth::{TenantAccessToken, TenantAccessTokenRequest};
use feishu_core::{Endpoint, Secret, Timeout, TransportError, TransportErrorKind};
use reqwest::redirect::Policy;

/// An async Feishu client. Cloning is cheap and shares the connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    config: Config,
    http: reqwest::Client,
}

impl Client {
    /// A client for the given configuration. Fails only if the TLS backend
    /// cannot be initialised.
    pub fn new(config: Config) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .redirect(Policy::none())
            .timeout(config.timeout())
            .build()
            .map_err(transport_error)?;
        Ok(Self { config, http })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls an endpoint that needs no access token, such as the token
    /// endpoints themselves.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.call(endpoint, None).await
    }

    /// Calls an endpoint with the access token it needs.
    pub async fn send_with_token<E: Endpoint>(
        &self,
        endpoint: &E,
        token: &Secret,
    ) -> Result<E::Output, Error> {
        self.call(endpoint, Some(token)).await
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

    async fn call<E: Endpoint>(
        &self,
        endpoint: &E,
        token: Option<&Secret>,
    ) -> Result<E::Output, Error> {
        let request = feishu_core::build(&self.config, endpoint, token)?;
        let response = self.execute(request).await?;
        endpoint.parse(response)
    }

    /// Sends one request as built by [`feishu_core::build`] and reads the whole
    /// response, whatever its status.
    pub async fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let timeout = request.extensions().get::<Timeout>().map(|t| t.0);
        let mut request = reqwest::Request::try_from(request).map_err(transport_error)?;
        *request.timeout_mut() = timeout;
        let mut response = self.http.execute(request).await.map_err(transport_error)?;

        let limit = self.config.max_response_bytes();
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
