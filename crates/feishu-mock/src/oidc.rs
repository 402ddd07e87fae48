//! `POST /open-apis/authen/v1/oidc/access_token` and
//! `POST /open-apis/authen/v1/oidc/refresh_access_token`
//!
//! The legacy user token endpoints ("historical version, not recommended"),
//! still offered by official SDKs: the app authenticates with its app access token as
//! `Authorization: Bearer` (a self-built app's is its tenant token), not with
//! its secret. Answers are `data`-wrapped; grant errors keep Feishu's 200xx
//! codes but come with HTTP 200, as this legacy API sends them. Codes,
//! refresh tokens and their rotation are the OAuth endpoints' ([`crate::oauth`]).
//! Docs: <https://open.feishu.cn/document/server-docs/authentication-management/access-token/create-2>
//! and <https://open.feishu.cn/document/server-docs/authentication-management/access-token/create>

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use serde_json::{Map, Value, json};

use crate::bearer::{bearer_token, missing_token};
use crate::codes;
use crate::oauth::{Grant, OAuthError, SCOPE, grant_user_tokens};
use crate::reply::{self, LogId, MAX_BODY};
use crate::request_body;
use crate::state::{AppKind, SELF_BUILT_TENANT_KEY, Shared};
use crate::tokens::{Rejection, TokenKind};

/// The OIDC routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/open-apis/authen/v1/oidc/access_token", post(access_token))
        .route(
            "/open-apis/authen/v1/oidc/refresh_access_token",
            post(refresh_access_token),
        )
}

async fn access_token(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    oidc(&shared, &log_id, &headers, body, Kind::Code).await
}

async fn refresh_access_token(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    oidc(&shared, &log_id, &headers, body, Kind::Refresh).await
}

/// Which of the two endpoints was called.
#[derive(Clone, Copy)]
enum Kind {
    Code,
    Refresh,
}

/// Why the request never reached the grant.
enum Refusal {
    /// No `Authorization: Bearer …` (99991661, HTTP 400).
    MissingToken,
    /// The app access token is unknown, revoked or expired: the gateway's
    /// HTTP 400 with this code and message.
    Token(u32, &'static str),
    /// A 200xx grant error, sent with HTTP 200.
    Grant(OAuthError),
}

async fn oidc(
    shared: &Shared,
    log_id: &LogId,
    headers: &HeaderMap,
    body: Body,
    kind: Kind,
) -> Response {
    let now = shared.now();
    let result = match app_id(shared, headers, now) {
        Ok(app_id) => match request_body::read(body, MAX_BODY).await {
            Ok(bytes) => exchange(shared, &app_id, &bytes, kind, now).map_err(Refusal::Grant),
            Err(_) => Err(Refusal::Grant(OAuthError::MalformedRequest)),
        },
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(data) => reply::json(
            StatusCode::OK,
            &json!({ "code": 0, "msg": "success", "data": data }),
        ),
        Err(Refusal::MissingToken) => missing_token(log_id),
        Err(Refusal::Token(code, msg)) => reply::error(StatusCode::BAD_REQUEST, code, msg, log_id),
        Err(Refusal::Grant(e)) => {
            let body = json!({
                "code": e.code(),
                "msg": e.description(),
                "error": { "log_id": log_id.0 },
            });
            reply::json(StatusCode::OK, &body)
        }
    }
}

/// The app whose app access token authorizes the request: a marketplace
/// app's `a-…` token, or a self-built app's, which is its tenant token.
fn app_id(shared: &Shared, headers: &HeaderMap, now: Instant) -> Result<String, Refusal> {
    let token = bearer_token(headers).ok_or(Refusal::MissingToken)?;
    let tokens = shared.tokens();
    let key = match tokens.lookup(token, TokenKind::App, now) {
        Ok(key) => Ok(key),
        Err(Rejection::Invalid) => tokens
            .lookup(token, TokenKind::Tenant, now)
            .and_then(|key| {
                let self_built = matches!(
                    shared.apps.get(&key.app_id).map(|app| &app.kind),
                    Some(AppKind::SelfBuilt)
                );
                if self_built && key.tenant_key == SELF_BUILT_TENANT_KEY {
                    Ok(key)
                } else {
                    Err(Rejection::Invalid)
                }
            }),
        Err(expired) => Err(expired),
    };
    match key {
        Ok(key) => Ok(key.app_id.clone()),
        Err(Rejection::Expired) => {
            Err(Refusal::Token(codes::ACCESS_TOKEN_EXPIRED, "token expired"))
        }
        Err(Rejection::Invalid) => Err(Refusal::Token(
            codes::APP_ACCESS_TOKEN_INVALID,
            "Invalid access token for authorization. Please make a request with token attached",
        )),
    }
}

/// Checks the body, spends the grant and answers the `data` object.
fn exchange(
    shared: &Shared,
    app_id: &str,
    body: &[u8],
    kind: Kind,
    now: Instant,
) -> Result<Value, OAuthError> {
    let request: Map<String, Value> =
        serde_json::from_slice(body).map_err(|_| OAuthError::MalformedRequest)?;
    let field = |name: &'static str| match request.get(name) {
        Some(Value::String(value)) if !value.is_empty() => Ok(value.as_str()),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            Err(OAuthError::MissingParameter(name))
        }
        Some(_) => Err(OAuthError::MalformedRequest),
    };
    let expected = match kind {
        Kind::Code => "authorization_code",
        Kind::Refresh => "refresh_token",
    };
    if field("grant_type")? != expected {
        return Err(OAuthError::UnsupportedGrantType);
    }
    let grant = match kind {
        Kind::Code => Grant::Code(field("code")?),
        Kind::Refresh => Grant::RefreshToken(field("refresh_token")?),
    };
    let tokens = grant_user_tokens(shared, app_id, grant, now)?;
    Ok(json!({
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "token_type": "Bearer",
        "expires_in": tokens.expires_in,
        "refresh_expires_in": tokens.refresh_expires_in,
        "scope": SCOPE,
    }))
}
