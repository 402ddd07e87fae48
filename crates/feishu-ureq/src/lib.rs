//! Blocking adapter for feishu-rs over [ureq] 3.
//!
//! [`Client`] sends the requests `feishu-core` builds and hands the responses
//! back to it; all protocol knowledge stays in the core. Redirects are not
//! followed, every HTTP status comes back as a response, all headers are kept,
//! each request's timeout is applied and bodies are read up to a size cap.
//!
//! ```no_run
//! use feishu_ureq::{Client, Config};
//!
//! let client = Client::new(Config::feishu());
//! let token = client.tenant_access_token("cli_a5d611352af9d00b", "app-secret")?;
//! println!("token valid for {} s", token.expire);
//! # Ok::<(), feishu_ureq::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use feishu_core::{self, Config, Error};

use feishu_core::auth::{TenantAccessToken, TenantAccessTokenRequest};
use feishu_core::{Endpoint, Secret, Timeout, TransportError, TransportErrorKind};
use ureq::Agent;

/// A blocking Feishu client. Cloning is cheap and shares the connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    config: Config,
    agent: Agent,
}

impl Client {
    /// A client for the given configuration.
    pub fn new(config: Config) -> Self {
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(config.timeout()))
            .build()
            .new_agent();
        Self { config, agent }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls an endpoint that needs no access token, such as the token
    /// endpoints themselves.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.call(endpoint, None)
    }

    /// Calls an endpoint with the access token it needs.
    pub fn send_with_token<E: Endpoint>(
        &self,
        endpoint: &E,
        token: &Secret,
    ) -> Result<E::Output, Error> {
        self.call(endpoint, Some(token))
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

    fn call<E: Endpoint>(&self, endpoint: &E, token: Option<&Secret>) -> Result<E::Output, Error> {
        let request = feishu_core::build(&self.config, endpoint, token)?;
        let response = self.execute(request)?;
        endpoint.parse(response)
    }

    /// Sends one request as built by [`feishu_core::build`] and reads the whole
    /// response, whatever its status.
    pub fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let timeout = request.extensions().get::<Timeout>().map(|t| t.0);
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(timeout)
            .build();
        let response = if request.body().is_empty() {
            self.agent.run(request.map(|_| ()))
        } else {
            self.agent.run(request)
        };
        let (parts, body) = response.map_err(transport_error)?.into_parts();
        let limit = self.config.max_response_bytes();
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
