//! `Authorization: Bearer <token>` on the API endpoints, and the answers when
//! it is missing or not a usable tenant token.

use std::time::Instant;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use crate::codes;
use crate::reply::{self, LogId};
use crate::state::Shared;
use crate::tokens::{Rejection, TokenKey, TokenKind};

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
        codes::MISSING_ACCESS_TOKEN,
        "Missing access token for authorization. Please make a request with token attached.",
        log_id,
    )
}

/// Why a request's tenant access token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TenantAuthError {
    /// No `Authorization: Bearer …` header (99991661).
    Missing,
    /// Unknown, revoked, or not a tenant token (99991663).
    Invalid,
    /// A tenant token that was valid once and has run out (99991677).
    Expired,
}

impl TenantAuthError {
    /// Feishu's HTTP 400 answer.
    pub(crate) fn reply(self, log_id: &LogId) -> Response {
        let (code, msg) = match self {
            TenantAuthError::Missing => return missing_token(log_id),
            TenantAuthError::Invalid => (
                codes::TENANT_ACCESS_TOKEN_INVALID,
                "Invalid access token for authorization. Please make a request with token attached",
            ),
            TenantAuthError::Expired => (codes::ACCESS_TOKEN_EXPIRED, "token expired"),
        };
        reply::error(StatusCode::BAD_REQUEST, code, msg, log_id)
    }
}

/// What the tenant access token in `headers` was issued for, judged at `now`.
pub(crate) fn tenant(
    shared: &Shared,
    headers: &HeaderMap,
    now: Instant,
) -> Result<TokenKey, TenantAuthError> {
    let token = bearer_token(headers).ok_or(TenantAuthError::Missing)?;
    shared
        .tokens()
        .lookup(token, TokenKind::Tenant, now)
        .cloned()
        .map_err(|rejection| match rejection {
            Rejection::Invalid => TenantAuthError::Invalid,
            Rejection::Expired => TenantAuthError::Expired,
        })
}
