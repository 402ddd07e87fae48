//! Where requests go, how they are sent and for which app: base URL, user
//! agent, timeout, response size cap, app credentials, token refresh margin.

use std::time::Duration;

use http::HeaderValue;
use http::uri::{Authority, Scheme, Uri};

use crate::{App, RetryPolicy};

/// The Feishu (China) OpenAPI base URL.
pub const FEISHU_BASE_URL: &str = "https://open.feishu.cn";

/// The Lark (international) OpenAPI base URL.
pub const LARK_BASE_URL: &str = "https://open.larksuite.com";

/// The Feishu accounts host (OAuth authorize page).
pub const FEISHU_ACCOUNTS_URL: &str = "https://accounts.feishu.cn";

/// The Lark accounts host (OAuth authorize page).
pub const LARK_ACCOUNTS_URL: &str = "https://accounts.larksuite.com";

/// The timeout of a request that sets none of its own: 120 s, as in open-feishu.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// The largest response body adapters read by default: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// How long before a token expires it is refreshed, by default: 5 minutes.
pub const DEFAULT_TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

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
    /// The base URL's scheme and host, parsed once: every request URI is
    /// put together from them without parsing the base again.
    origin: Origin,
    accounts_origin: Origin,
    accounts_url: String,
    user_agent: HeaderValue,
    timeout: Duration,
    max_response_bytes: usize,
    app: Option<App>,
    token_refresh_margin: Duration,
    retry_policy: RetryPolicy,
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
        Self::with_valid_base_url(FEISHU_BASE_URL.to_owned(), FEISHU_ACCOUNTS_URL.to_owned())
    }

    /// A configuration for Lark (`https://open.larksuite.com`).
    pub fn lark() -> Self {
        Self::with_valid_base_url(LARK_BASE_URL.to_owned(), LARK_ACCOUNTS_URL.to_owned())
    }

    /// A configuration for any base URL: a private deployment, a proxy, or
    /// `feishu-mock`. A trailing `/` is dropped, so paths join without `//`.
    /// The accounts URL (OAuth authorize page) defaults to the same URL.
    pub fn new(base_url: &str) -> Result<Self, ConfigError> {
        let base_url = valid_url(base_url)?;
        Ok(Self::with_valid_base_url(base_url.clone(), base_url))
    }

    fn with_valid_base_url(base_url: String, accounts_url: String) -> Self {
        Self {
            origin: Origin::of(&base_url),
            accounts_origin: Origin::of(&accounts_url),
            base_url,
            accounts_url,
            user_agent: HeaderValue::from_static(DEFAULT_USER_AGENT),
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            app: None,
            token_refresh_margin: DEFAULT_TOKEN_REFRESH_MARGIN,
            retry_policy: RetryPolicy::default(),
        }
    }

    /// Sets the app the client acts for; its tokens are then fetched, cached and
    /// refreshed automatically.
    pub fn with_app(mut self, app: App) -> Self {
        self.app = Some(app);
        self
    }

    /// Sets the accounts URL, the host of the OAuth authorize page
    /// (`https://accounts.feishu.cn` for Feishu).
    pub fn with_accounts_url(mut self, accounts_url: &str) -> Result<Self, ConfigError> {
        self.accounts_url = valid_url(accounts_url)?;
        self.accounts_origin = Origin::of(&self.accounts_url);
        Ok(self)
    }

    /// Sets how long before expiry a cached token is refreshed (default 5 min).
    /// Keep it well under 30 min: Feishu returns the same token until less than
    /// 30 min remain, so a larger margin would refresh on every call. A token
    /// whose whole lifetime is under twice the margin is refreshed halfway.
    pub fn with_token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// Sets how calls retry; [`RetryPolicy::never`] turns retries off.
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
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

    /// The base URL's scheme, host and path prefix, for building request URIs.
    pub(crate) fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The same for the accounts URL.
    pub(crate) fn accounts_origin(&self) -> &Origin {
        &self.accounts_origin
    }

    /// The accounts URL, without a trailing `/`.
    pub fn accounts_url(&self) -> &str {
        &self.accounts_url
    }

    /// The app the client acts for, if one is set.
    pub fn app(&self) -> Option<&App> {
        self.app.as_ref()
    }

    /// How long before expiry a cached token is refreshed.
    pub fn token_refresh_margin(&self) -> Duration {
        self.token_refresh_margin
    }

    /// How calls retry.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry_policy
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

/// Checks an absolute `http(s)` URL without query or fragment; drops a
/// trailing `/`.
fn valid_url(url: &str) -> Result<String, ConfigError> {
    let invalid = |reason| ConfigError::InvalidBaseUrl {
        url: url.to_owned(),
        reason,
    };
    let uri: Uri = url.parse().map_err(|_| invalid("not a valid URI"))?;
    match uri.scheme() {
        Some(scheme) if *scheme == Scheme::HTTP || *scheme == Scheme::HTTPS => {}
        _ => return Err(invalid("the scheme must be http or https")),
    }
    match uri.authority() {
        None => return Err(invalid("a host is required")),
        // Credentials in the URL would travel in every request line and show
        // in every `Debug` of the configuration.
        Some(authority) if authority.as_str().contains('@') => {
            return Err(invalid("a base URL takes no user info"));
        }
        Some(_) => {}
    }
    if uri.query().is_some() || url.contains('#') {
        return Err(invalid("a base URL takes no query or fragment"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// A base URL taken apart: `scheme://authority` and the path before
/// `/open-apis` (empty unless a proxy serves Feishu under a prefix).
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    pub(crate) scheme: Scheme,
    pub(crate) authority: Authority,
    pub(crate) prefix: String,
}

impl Origin {
    /// The parts of a base URL [`valid_url`] accepted.
    fn of(base_url: &str) -> Self {
        // Accepted URLs always parse; the fallback only keeps this total.
        let uri: Uri = base_url.parse().unwrap_or_default();
        Self {
            scheme: uri.scheme().cloned().unwrap_or(Scheme::HTTPS),
            authority: uri
                .authority()
                .cloned()
                .unwrap_or_else(|| Authority::from_static("open.feishu.cn")),
            prefix: uri.path().trim_end_matches('/').to_owned(),
        }
    }
}

impl Default for Config {
    /// Feishu, as [`Config::feishu`].
    fn default() -> Self {
        Self::feishu()
    }
}
