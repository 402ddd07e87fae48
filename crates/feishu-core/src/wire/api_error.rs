//! What Feishu said when it said no, and what it sent when it said nothing we
//! could read.

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use serde::Deserialize;

/// Feishu answered with a non-zero `code`.
///
/// Everything the server told us is here: the HTTP status, `code`, `msg`, the
/// log id support asks for, the `error` object, and the rate-limit reset.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status (Feishu reports many errors under 200 or 400).
    pub status: StatusCode,
    /// The Feishu error code, e.g.
    /// [`TENANT_ACCESS_TOKEN_INVALID`](crate::codes::TENANT_ACCESS_TOKEN_INVALID); see
    /// [`codes`](crate::codes).
    pub code: i64,
    /// The message, from `msg` (or OAuth's `error_description`); may be empty.
    pub msg: String,
    /// The `X-Tt-Logid` header (or `X-Request-Id`, or `error.log_id`).
    pub log_id: Option<String>,
    /// The `error` object, when the body had one.
    pub details: Option<ErrorDetails>,
    /// The OAuth `error` name, e.g. `invalid_grant`, on OAuth endpoints.
    pub oauth_error: Option<String>,
    /// How long until the rate limit resets (`x-ogw-ratelimit-reset`).
    pub rate_limit_reset: Option<Duration>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Feishu error {} (HTTP {})",
            self.code,
            self.status.as_u16()
        )?;
        if !self.msg.is_empty() {
            write!(f, ": {}", self.msg)?;
        }
        if let Some(log_id) = &self.log_id {
            write!(f, " [log id {log_id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The optional `error` object next to `code` and `msg`.
#[derive(Clone, Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetails {
    /// Same value as the `X-Tt-Logid` header.
    #[serde(default, deserialize_with = "lenient::string")]
    pub log_id: Option<String>,
    /// Text and a link to Feishu's troubleshooting search.
    #[serde(default, deserialize_with = "lenient::string")]
    pub troubleshooter: Option<String>,
    /// A link to a "how to fix" page.
    #[serde(default, deserialize_with = "lenient::string")]
    pub message: Option<String>,
    /// Key/value details.
    #[serde(default, deserialize_with = "lenient::list")]
    pub details: Vec<ErrorDetail>,
    /// The scopes or privileges that were missing.
    #[serde(default, deserialize_with = "lenient::list")]
    pub permission_violations: Vec<PermissionViolation>,
}

/// One `{key, value}` entry of [`ErrorDetails::details`].
#[derive(Clone, Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The key.
    #[serde(default, deserialize_with = "lenient::string")]
    pub key: Option<String>,
    /// The value.
    #[serde(default, deserialize_with = "lenient::string")]
    pub value: Option<String>,
}

/// One entry of [`ErrorDetails::permission_violations`].
#[derive(Clone, Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct PermissionViolation {
    /// E.g. `action_privilege_required`.
    #[serde(rename = "type", default, deserialize_with = "lenient::string")]
    pub kind: Option<String>,
    /// The scope, e.g. `task:task:read`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub subject: Option<String>,
    /// A description, when given.
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
}

/// Readers for the `error` object that never fail: one ill-typed field must
/// not cost the others (or the log id).
mod lenient {
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;
    use serde_json::value::RawValue;

    /// A string; a number or bool in its place is kept as text, null is none.
    pub(super) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(text) => Some(text),
            Value::Null => None,
            other => Some(other.to_string()),
        })
    }

    /// A list; entries that do not read are skipped, a non-list is empty.
    /// Kept raw and read from text like the rest of the envelope, so the
    /// entries need no second deserializer (one over `Value`) in the binary.
    pub(super) fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        let items: Vec<Box<RawValue>> = serde_json::from_str(raw.get()).unwrap_or_default();
        Ok(items
            .iter()
            .filter_map(|item| serde_json::from_str(item.get()).ok())
            .collect())
    }
}

/// The response was not the JSON the endpoint expects.
///
/// The raw body is kept whole ([`UnexpectedResponse::body`]). `Display` shows an
/// excerpt of it, except for responses that may carry credentials (token
/// endpoints), whose bytes are never printed.
#[derive(Clone)]
#[non_exhaustive]
pub struct UnexpectedResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `X-Tt-Logid` header (or `X-Request-Id`).
    pub log_id: Option<String>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// Why the body was rejected, e.g. a JSON syntax error and its position.
    pub reason: String,
    body: Vec<u8>,
    secret: bool,
}

/// How much of an unexpected body `Display` shows.
const EXCERPT_BYTES: usize = 200;

impl UnexpectedResponse {
    pub(crate) fn new(
        parts: &http::response::Parts,
        body: Vec<u8>,
        reason: String,
        secret: bool,
    ) -> Self {
        Self {
            status: parts.status,
            log_id: log_id(&parts.headers, None),
            content_type: parts
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            reason,
            body,
            secret,
        }
    }

    /// The body exactly as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Takes the body exactly as received.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    fn excerpt(&self) -> Option<String> {
        if self.secret || self.body.is_empty() {
            return None;
        }
        let cut = self.body.len().min(EXCERPT_BYTES);
        let mut excerpt = String::from_utf8_lossy(&self.body[..cut]).into_owned();
        if cut < self.body.len() {
            excerpt.push('…');
        }
        Some(excerpt)
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response (HTTP {}", self.status.as_u16())?;
        if let Some(content_type) = &self.content_type {
            write!(f, ", {content_type}")?;
        }
        write!(f, ", {} bytes", self.body.len())?;
        if let Some(log_id) = &self.log_id {
            write!(f, ", log id {log_id}")?;
        }
        write!(f, "): {}", self.reason)?;
        if let Some(excerpt) = self.excerpt() {
            write!(f, "; body: {excerpt:?}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("status", &self.status)
            .field("log_id", &self.log_id)
            .field("content_type", &self.content_type)
            .field("reason", &self.reason)
            .field("body_len", &self.body.len())
            .field("body_excerpt", &self.excerpt())
            .finish()
    }
}

impl std::error::Error for UnexpectedResponse {}

/// The log id of a response: `X-Tt-Logid`, else `X-Request-Id`, else the one in
/// the body's `error` object.
pub(crate) fn log_id(headers: &http::HeaderMap, from_body: Option<&str>) -> Option<String> {
    ["x-tt-logid", "x-request-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .or(from_body)
        .map(str::to_owned)
}
