//! The error every call returns, and the errors found before a request exists.

use crate::{ApiError, Exhausted, PaginationError, TokenKind, TransportError, UnexpectedResponse};

/// Why a call failed.
///
/// The variants follow the life of a call: the request could not be built
/// ([`Error::InvalidRequest`]), it could not be sent or answered
/// ([`Error::Transport`]), Feishu answered with a non-zero `code`
/// ([`Error::Api`]), or the answer was not what the endpoint promised
/// ([`Error::UnexpectedResponse`]). No variant ever contains a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused before anything was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(#[from] InvalidRequest),
    /// Feishu answered with a non-zero `code` (under any HTTP status).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The response was not the JSON the endpoint expects: an HTML error page,
    /// an empty or truncated body, wrong field types. The raw body is kept.
    #[error(transparent)]
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// The request could not be sent or its response could not be read.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The call was retried and gave up: every attempt's failure, and the last
    /// error in full.
    #[error(transparent)]
    Exhausted(Box<Exhausted>),
    /// A marketplace app has no valid `app_ticket` yet. Feishu was asked to
    /// push one (`app_ticket/resend`); it arrives as the `app_ticket` event, so
    /// retry after that. Holds the [`APP_TICKET_INVALID`](crate::codes::APP_TICKET_INVALID)
    /// answer when Feishu rejected a ticket.
    #[error("the marketplace app's app_ticket is pending: a resend was requested; retry once the app_ticket event has arrived{}", .0.as_ref().map(|e| format!(" ({e})")).unwrap_or_default())]
    AppTicketPending(Option<Box<ApiError>>),
    /// A list's pages do not chain: more pages announced without a token, a
    /// token that came back, or more pages than the pager's bounds allow (a
    /// server that would go on forever).
    #[error("broken pagination: {0}")]
    BrokenPagination(#[from] PaginationError),
    /// The user's access token expired and no refresh token can renew it:
    /// send the user through the authorize page again.
    #[error("the user access token expired and cannot be refreshed: the user must authorize again")]
    UserTokenExpired,
    /// The driver broke the call's contract (see [`Misuse`]).
    #[error("driver misuse: {0}")]
    Misuse(#[from] Misuse),
}

impl Error {
    /// The Feishu `code` of an [`Error::Api`] (or of the last attempt of an
    /// [`Error::Exhausted`]).
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Exhausted(exhausted) => exhausted.last.code(),
            Error::Api(error) => Some(error.code),
            Error::AppTicketPending(Some(error)) => Some(error.code),
            _ => None,
        }
    }

    /// The `X-Tt-Logid` of the response that caused this error, if one came back.
    /// Feishu support asks for it.
    pub fn log_id(&self) -> Option<&str> {
        match self {
            Error::Api(error) => error.log_id.as_deref(),
            Error::UnexpectedResponse(error) => error.log_id.as_deref(),
            Error::AppTicketPending(error) => error.as_ref().and_then(|e| e.log_id.as_deref()),
            Error::Exhausted(exhausted) => exhausted.last.log_id(),
            Error::InvalidRequest(_)
            | Error::Transport(_)
            | Error::UserTokenExpired
            | Error::Misuse(_)
            | Error::BrokenPagination(_) => None,
        }
    }
}

// Boxed: they are large, and `Result<_, Error>` is on every hot path.
impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

impl From<UnexpectedResponse> for Error {
    fn from(error: UnexpectedResponse) -> Self {
        Error::UnexpectedResponse(Box::new(error))
    }
}

/// Why a response did not give the endpoint's output: what
/// [`Endpoint::parse`](crate::Endpoint::parse) can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// Feishu answered with a non-zero `code` (under any HTTP status).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The response was not the JSON the endpoint expects; the raw body is
    /// kept.
    #[error(transparent)]
    UnexpectedResponse(Box<UnexpectedResponse>),
}

impl ParseError {
    /// The Feishu `code` of an [`ParseError::Api`].
    pub fn code(&self) -> Option<i64> {
        match self {
            Self::Api(error) => Some(error.code),
            Self::UnexpectedResponse(_) => None,
        }
    }

    /// The `X-Tt-Logid` of the response, if one came back.
    pub fn log_id(&self) -> Option<&str> {
        match self {
            Self::Api(error) => error.log_id.as_deref(),
            Self::UnexpectedResponse(error) => error.log_id.as_deref(),
        }
    }
}

impl From<ParseError> for Error {
    fn from(error: ParseError) -> Self {
        match error {
            ParseError::Api(error) => Error::Api(error),
            ParseError::UnexpectedResponse(error) => Error::UnexpectedResponse(error),
        }
    }
}

impl From<ApiError> for ParseError {
    fn from(error: ApiError) -> Self {
        Self::Api(Box::new(error))
    }
}

impl From<UnexpectedResponse> for ParseError {
    fn from(error: UnexpectedResponse) -> Self {
        Self::UnexpectedResponse(Box::new(error))
    }
}

/// A request refused before it was sent.
///
/// The variants are kinds of fault, not one per endpoint: a field that breaks
/// a rule Feishu has for it is an [`InvalidRequest::InvalidField`], whatever
/// the endpoint.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// A field breaks a rule Feishu has for it: empty, too long, a path
    /// segment that would change the path (`.`, `..`), an id whose type
    /// cannot be told, content its `msg_type` does not allow.
    #[error("`{field}`: {reason}")]
    InvalidField {
        /// The field, as Feishu names it (`message_id`, `uuid`, `content`).
        field: &'static str,
        /// What is wrong with it, e.g. `must not be empty`.
        reason: &'static str,
    },
    /// The request body, or a file in it, is over Feishu's limit for its
    /// kind; nothing was sent.
    #[error("the {what} is {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// What is too large, e.g. `message body`.
        what: &'static str,
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The first input of the tenant-token dispatch is neither an app id
    /// (`cli_…`) nor a marketplace app access token (`a-…`). The input itself
    /// is not repeated: it may be a secret passed in the wrong place.
    #[error(
        "expected an app id starting with `cli_` (self-built app) or an app access token starting with `a-` (marketplace app)"
    )]
    UnknownAppKind,
    /// The endpoint needs the app's token and the configuration has no app
    /// (see [`Config::with_app`](crate::Config::with_app)).
    #[error("this call needs app credentials: set them with Config::with_app")]
    NoApp,
    /// A marketplace app's tenant call names no tenant.
    #[error("a marketplace app's tenant call needs a tenant_key")]
    MissingTenantKey,
    /// The API does not accept this kind of token (e.g. a user token for an
    /// API only a bot may call).
    #[error("this API does not accept a {0} access token")]
    TokenNotAccepted(TokenKind),
    /// The endpoint needs a token and none was given.
    #[error("this endpoint needs a {0} access token and none was given")]
    MissingToken(TokenKind),
    /// The token contains characters an HTTP header cannot carry.
    #[error("the access token contains characters an HTTP header cannot carry")]
    InvalidToken,
    /// A raw endpoint's path does not start with `/`, or has a `#fragment`.
    #[error("the path must start with `/` and have no `#fragment`")]
    InvalidPath,
    /// The base URL, path and query do not make a valid URI.
    #[error("the request URI is invalid: {0}")]
    InvalidUri(#[from] http::uri::InvalidUri),
    /// The request body could not be serialized.
    #[error("the request body could not be serialized: {0}")]
    Body(#[from] serde_json::Error),
}

impl InvalidRequest {
    /// `field` breaks a rule: `reason`.
    pub const fn field(field: &'static str, reason: &'static str) -> Self {
        Self::InvalidField { field, reason }
    }

    /// `field` is empty, and Feishu requires it.
    pub const fn empty(field: &'static str) -> Self {
        Self::field(field, "must not be empty")
    }

    /// The field at fault, for an [`InvalidRequest::InvalidField`].
    pub fn field_name(&self) -> Option<&'static str> {
        match self {
            Self::InvalidField { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// A driver used a [`Call`](crate::Call) against its contract: the caller's
/// bug, not the request's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Misuse {
    /// Polled while a request or a store operation was out, answered with
    /// nothing out, or polled after `Done`.
    #[error("the call was driven out of order")]
    OutOfOrder,
}
