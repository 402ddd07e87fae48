//! `Authorization: Bearer <token>` on the API endpoints, and the answer when
//! it is missing.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use crate::reply::{self, LogId};

/// The token after `Bearer `, if the header has that shape.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .filter(|token| !token.is_empty())
}

/// HTTP 400 with 99991661: no header, or no `Bearer ` prefix.
pub(crate) fn missing_token(log_id: &LogId) -> Response {
    reply::error(
        StatusCode::BAD_REQUEST,
        99991661,
        "Missing access token for authorization. Please make a request with token attached.",
        log_id,
    )
}
