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

/// A request refused before it was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// The first input of the tenant-token dispatch is neither an app id
    /// (`cli_…`) nor a marketplace app access token (`a-…`). The input itself
    /// is not repeated: it may be a secret passed in the wrong place.
    #[error(
        "expected an app id starting with `cli_` (self-built app) or an app access token starting with `a-` (marketplace app)"
    )]
    UnknownAppKind,
    /// The receiver's id type cannot be told from the id (a `user_id` has no
    /// prefix): name it.
    #[error("cannot tell the receive_id_type of this id: name it explicitly")]
    UnknownReceiveIdType,
    /// The message content breaks a rule of its `msg_type`.
    #[error("invalid message content: {0}")]
    InvalidContent(&'static str),
    /// The request body is over Feishu's limit for its kind; nothing was sent.
    #[error("the {what} is {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// What is too large, e.g. `text message body`.
        what: &'static str,
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A file to upload is empty.
    #[error("the file to upload is empty")]
    EmptyFile,
    /// A `uuid` longer than Feishu's 50 characters.
    #[error("a uuid is at most 50 characters")]
    UuidTooLong,
    /// An id is `.` or `..`, which would change the request's path.
    #[error("`{0}` cannot be `.` or `..`")]
    InvalidId(&'static str),
    /// The receiver's kind cannot receive this request (a thread takes
    /// forwards, not sends).
    #[error("a {0} cannot receive this request")]
    UnsupportedReceiver(&'static str),
    /// A required field is empty.
    #[error("`{0}` must not be empty")]
    EmptyField(&'static str),
    /// The endpoint needs the app's token and the configuration has no app
    /// (see [`Config::with_app`](crate::Config::with_app)).
    #[error("this call needs app credentials: set them with Config::with_app")]
    NoApp,
    /// A marketplace app's tenant call names no tenant.
    #[error("a marketplace app's tenant call needs a tenant_key")]
    MissingTenantKey,
    /// A [`Call`](crate::Call) was driven out of order: polled while a request
    /// was out, answered with nothing out, or polled after `Done`.
    #[error("the call was driven out of order")]
    OutOfOrder,
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
