//! Where requests go and how they are sent: base URL, user agent, timeout,
//! response size cap.

use std::time::Duration;

use http::HeaderValue;
use http::uri::{Scheme, Uri};

/// The Feishu (China) OpenAPI base URL.
pub const FEISHU_BASE_URL: &str = "https://open.feishu.cn";

/// The Lark (international) OpenAPI base URL.
pub const LARK_BASE_URL: &str = "https://open.larksuite.com";

/// The timeout of a request that sets none of its own: 120 s, as in open-feishu.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// The largest response body adapters read by default: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// The `User-Agent` sent by default: `feishu-rs/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("feishu-rs/", env!("CARGO_PKG_VERSION"));

/// Settings shared by every request of a client.
///
/// ```
/// use std::time::Duration;
/// use feishu_core::Config;
///
/// let config = Config::new("http://127.0.0.1:9000/")?.with_timeout(Duration::from_secs(5));
/// assert_eq!(config.base_url(), "http://127.0.0.1:9000");
/// assert_eq!(Config::lark().base_url(), "https://open.larksuite.com");
/// # Ok::<(), feishu_core::ConfigError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    base_url: String,
    user_agent: HeaderValue,
    timeout: Duration,
    max_response_bytes: usize,
}

/// A setting that [`Config`] refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL is not an absolute `http` or `https` URL without query or fragment.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The user agent contains characters a header cannot carry.
    #[error("invalid user agent: {0}")]
    InvalidUserAgent(#[from] http::header::InvalidHeaderValue),
}

impl Config {
    /// A configuration for Feishu (`https://open.feishu.cn`).
    pub fn feishu() -> Self {
        Self::with_valid_base_url(FEISHU_BASE_URL.to_owned())
    }

    /// A configuration for Lark (`https://open.larksuite.com`).
    pub fn lark() -> Self {
        Self::with_valid_base_url(LARK_BASE_URL.to_owned())
    }

    /// A configuration for any base URL: a private deployment, a proxy, or
    /// `feishu-mock`. A trailing `/` is dropped, so paths join without `//`.
    pub fn new(base_url: &str) -> Result<Self, ConfigError> {
        let invalid = |reason| ConfigError::InvalidBaseUrl {
            url: base_url.to_owned(),
            reason,
        };
        let uri: Uri = base_url.parse().map_err(|_| invalid("not a valid URI"))?;
        match uri.scheme() {
            Some(scheme) if *scheme == Scheme::HTTP || *scheme == Scheme::HTTPS => {}
            _ => return Err(invalid("the scheme must be http or https")),
        }
        if uri.authority().is_none() {
            return Err(invalid("a host is required"));
        }
        if uri.query().is_some() || base_url.contains('#') {
            return Err(invalid("a base URL takes no query or fragment"));
        }
        Ok(Self::with_valid_base_url(
            base_url.trim_end_matches('/').to_owned(),
        ))
    }

    fn with_valid_base_url(base_url: String) -> Self {
        Self {
            base_url,
            user_agent: HeaderValue::from_static(DEFAULT_USER_AGENT),
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sets the timeout of requests that do not set their own.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the `User-Agent` header.
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, ConfigError> {
        self.user_agent = HeaderValue::from_str(user_agent)?;
        Ok(self)
    }

    /// Sets the largest response body an adapter reads before failing with
    /// [`TransportErrorKind::BodyTooLarge`](crate::TransportErrorKind::BodyTooLarge).
    pub fn with_max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The `User-Agent` header value.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }

    /// The timeout of requests that do not set their own.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The largest response body an adapter reads.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

impl Default for Config {
    /// Feishu, as [`Config::feishu`].
    fn default() -> Self {
        Self::feishu()
    }
}
