//! `POST /open-apis/authen/v2/oauth/token` and `POST /oauth/v3/token`
//!
//! Exchange an authorization code, or a refresh token, for a user access
//! token and a new refresh token. Answers are flat OAuth bodies; errors are
//! HTTP 400 with `code`, `error` and `error_description`.
//! v3 is the accounts host's endpoint (`accounts.feishu.cn`), which Feishu
//! recommends over v2 and official SDKs such as lark-oapi call; the mock's
//! accounts host is its own base URL, and both versions take and give the
//! same shapes. The grant itself, shared with the legacy OIDC endpoints
//! ([`crate::oidc`]), is [`grant_user_tokens`].
//! Docs: <https://open.feishu.cn/document/authentication-management/access-token/obtain-oauth-code>
//! and <https://open.larksuite.com/document/uAjLw4CM/ukTMukTMukTM/authentication-management/access-token/refresh-user-access-token>

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use serde_json::{Map, Value, json};

use crate::reply::{self, MAX_BODY};
use crate::state::Shared;
use crate::tokens::TokenKind;
use crate::users::ACCESS_TOKEN_GRACE;

/// The OAuth routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/open-apis/authen/v2/oauth/token", post(token))
        .route("/oauth/v3/token", post(token))
}

/// What every user token grant reports; the mock grants no other scopes.
pub(crate) const SCOPE: &str = "auth:user.id:read offline_access";

/// The failures of the token endpoint, with Feishu's codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OAuthError {
    MissingParameter(&'static str),
    MalformedRequest,
    UnsupportedGrantType,
    InvalidClient,
    CodeNotFound,
    CodeExpired,
    CodeUsed,
    OtherClient,
    RefreshTokenInvalid,
    RefreshTokenExpired,
    RefreshTokenUsed,
}

impl OAuthError {
    pub(crate) fn code(self) -> u32 {
        match self {
            OAuthError::MissingParameter(_) => 20001,
            OAuthError::InvalidClient => 20002,
            OAuthError::CodeNotFound => 20003,
            OAuthError::CodeExpired => 20004,
            OAuthError::OtherClient => 20024,
            OAuthError::RefreshTokenInvalid => 20026,
            OAuthError::UnsupportedGrantType => 20036,
            OAuthError::RefreshTokenExpired => 20037,
            OAuthError::MalformedRequest => 20063,
            OAuthError::CodeUsed => 20065,
            OAuthError::RefreshTokenUsed => 20073,
        }
    }

    /// The RFC 6749 error name.
    fn name(self) -> &'static str {
        match self {
            OAuthError::MissingParameter(_) | OAuthError::MalformedRequest => "invalid_request",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::InvalidClient => "invalid_client",
            _ => "invalid_grant",
        }
    }

    pub(crate) fn description(self) -> String {
        let text = match self {
            OAuthError::MissingParameter(name) => {
                return format!("The request is missing a required parameter: {name}.");
            }
            OAuthError::MalformedRequest => "The request body is not a JSON object of strings.",
            OAuthError::UnsupportedGrantType => "The grant_type is not supported.",
            OAuthError::InvalidClient => "Client authentication failed.",
            OAuthError::CodeNotFound => "The authorization code is not found.",
            OAuthError::CodeExpired => "The authorization code has expired.",
            OAuthError::CodeUsed => "The authorization code has already been used.",
            OAuthError::OtherClient => "The code or refresh token belongs to another client.",
            OAuthError::RefreshTokenInvalid => "The refresh token is invalid.",
            OAuthError::RefreshTokenExpired => "The refresh token has expired.",
            OAuthError::RefreshTokenUsed => "The refresh token has already been used.",
        };
        text.to_owned()
    }

    fn response(self) -> Response {
        let body = json!({
            "code": self.code(),
            "error": self.name(),
            "error_description": self.description(),
        });
        reply::json(StatusCode::BAD_REQUEST, &body)
    }
}

/// What the client offers in exchange for tokens.
pub(crate) enum Grant<'a> {
    Code(&'a str),
    RefreshToken(&'a str),
}

async fn token(State(shared): State<Arc<Shared>>, body: Body) -> Response {
    let result = match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => exchange(&shared, &bytes, shared.now()),
        Err(_) => Err(OAuthError::MalformedRequest),
    };
    match result {
        Ok(body) => reply::json(StatusCode::OK, &body),
        Err(e) => e.response(),
    }
}

/// Checks the request, spends the grant and issues the user's new tokens.
fn exchange(shared: &Shared, body: &[u8], now: Instant) -> Result<Value, OAuthError> {
    let request: Map<String, Value> =
        serde_json::from_slice(body).map_err(|_| OAuthError::MalformedRequest)?;
    let grant_type = required(&request, "grant_type")?;
    if !matches!(grant_type, "authorization_code" | "refresh_token") {
        return Err(OAuthError::UnsupportedGrantType);
    }
    let client_id = required(&request, "client_id")?;
    let client_secret = required(&request, "client_secret")?;
    let grant = match grant_type {
        "authorization_code" => Grant::Code(required(&request, "code")?),
        _ => Grant::RefreshToken(required(&request, "refresh_token")?),
    };
    // Accepted and type-checked only: the mock's authorize step records no
    // redirect URI or PKCE challenge to compare them with, and grants one
    // fixed set of scopes for `scope` to narrow.
    optional(&request, "redirect_uri")?;
    optional(&request, "code_verifier")?;
    optional(&request, "scope")?;
    let app = shared
        .apps
        .get(client_id)
        .ok_or(OAuthError::InvalidClient)?;
    if app.secret != client_secret {
        return Err(OAuthError::InvalidClient);
    }
    let tokens = grant_user_tokens(shared, client_id, grant, now)?;
    Ok(json!({
        "code": 0,
        "access_token": tokens.access_token,
        "expires_in": tokens.expires_in,
        "refresh_token": tokens.refresh_token,
        "refresh_token_expires_in": tokens.refresh_expires_in,
        "scope": SCOPE,
        "token_type": "Bearer",
    }))
}

/// A user's new access and refresh tokens.
pub(crate) struct UserTokens {
    pub(crate) access_token: String,
    pub(crate) expires_in: u64,
    pub(crate) refresh_token: String,
    pub(crate) refresh_expires_in: u64,
}

/// Spends `grant` for the app `client_id` (already authenticated) and issues
/// the user's new tokens; a refresh cuts the old access token's life to the
/// grace period.
pub(crate) fn grant_user_tokens(
    shared: &Shared,
    client_id: &str,
    grant: Grant<'_>,
    now: Instant,
) -> Result<UserTokens, OAuthError> {
    let mut grants = shared.grants();
    let (user, retired) = match grant {
        Grant::Code(code) => (grants.redeem_code(code, client_id, now)?, None),
        Grant::RefreshToken(token) => {
            let (user, access_token) = grants.redeem_refresh(token, client_id, now)?;
            (user, Some(access_token))
        }
    };
    let access = {
        let mut tokens = shared.tokens();
        if let Some(old) = retired {
            tokens.expire_by(&old, now + ACCESS_TOKEN_GRACE);
        }
        tokens.mint(user.token_key(), shared.policy.lifetime, &shared.ids, now)
    };
    let lifetime = shared.policy.refresh_lifetime;
    let refresh = grants.issue_refresh(user, &access.token, lifetime, &shared.ids, now);
    drop(grants);
    shared.count_issued(TokenKind::User);
    Ok(UserTokens {
        access_token: access.token,
        expires_in: access.expire,
        refresh_token: refresh.token,
        refresh_expires_in: refresh.expires_in,
    })
}

/// A string field that must be present and non-empty.
fn required<'a>(
    request: &'a Map<String, Value>,
    name: &'static str,
) -> Result<&'a str, OAuthError> {
    optional(request, name)?.ok_or(OAuthError::MissingParameter(name))
}

/// A string field; missing, `null` and `""` all count as absent.
fn optional<'a>(
    request: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, OAuthError> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.as_str()).filter(|v| !v.is_empty())),
        Some(_) => Err(OAuthError::MalformedRequest),
    }
}
