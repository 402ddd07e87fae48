//! The `auth/v3` endpoints: app and tenant access tokens, and `app_ticket/resend`.
//!
//! Feishu answers all of them with HTTP 200 and a flat body (no `data`), errors
//! included, so every outcome here is a 200 whose `code` tells the story.
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/tenant_access_token_internal>

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{MethodRouter, post};
use axum::{Extension, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::reply::{self, LogId, MAX_BODY};
use crate::state::{App, AppKind, SELF_BUILT_TENANT_KEY, Shared};
use crate::tokens::{TokenKey, TokenKind};

/// The auth routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/open-apis/auth/v3/tenant_access_token/internal",
            endpoint(tenant_access_token_internal),
        )
        .route(
            "/open-apis/auth/v3/app_access_token/internal",
            endpoint(app_access_token_internal),
        )
        .route(
            "/open-apis/auth/v3/app_access_token",
            endpoint(app_access_token),
        )
        .route(
            "/open-apis/auth/v3/tenant_access_token",
            endpoint(tenant_access_token),
        )
        .route(
            "/open-apis/auth/v3/app_ticket/resend",
            endpoint(app_ticket_resend),
        )
}

/// The failures the auth endpoints report, with Feishu's codes.
#[derive(Clone, Copy, Debug)]
enum AuthError {
    InvalidParam,
    AppTicketInvalid,
    TenantTokenFailed,
    AppSecretInvalid,
    NotMarketplaceApp,
    AppTokenInvalid,
}

impl AuthError {
    fn code(self) -> u32 {
        match self {
            AuthError::InvalidParam => 10003,
            AuthError::AppTicketInvalid => 10012,
            AuthError::TenantTokenFailed => 10013,
            AuthError::AppSecretInvalid => 10014,
            AuthError::NotMarketplaceApp => 10016,
            AuthError::AppTokenInvalid => 99991664,
        }
    }

    fn msg(self) -> &'static str {
        match self {
            AuthError::InvalidParam => "invalid param",
            AuthError::AppTicketInvalid => "app ticket invalid",
            AuthError::TenantTokenFailed => "get tenant access token failed",
            AuthError::AppSecretInvalid => "app secret invalid",
            AuthError::NotMarketplaceApp => "resend app ticket failed: not a marketplace app",
            AuthError::AppTokenInvalid => "invalid app access token",
        }
    }
}

/// One endpoint's logic: the raw body in, the success body or an error out.
type Logic = fn(&Shared, &[u8], Instant) -> Result<Value, AuthError>;

/// Wraps `logic` as a `POST` handler that reads a bounded body and always
/// answers HTTP 200.
fn endpoint(logic: Logic) -> MethodRouter<Arc<Shared>> {
    post(
        move |State(shared): State<Arc<Shared>>,
              Extension(log_id): Extension<LogId>,
              body: Body| async move {
            let result = match to_bytes(body, MAX_BODY).await {
                Ok(bytes) => logic(&shared, &bytes, shared.now()),
                Err(_) => Err(AuthError::InvalidParam),
            };
            match result {
                Ok(body) => reply::json(StatusCode::OK, &body),
                Err(e) => reply::error(StatusCode::OK, e.code(), e.msg(), &log_id),
            }
        },
    )
}

/// `{app_id, app_secret}`: the self-built endpoints and `app_ticket/resend`.
#[derive(Deserialize)]
struct AppCredentials {
    app_id: String,
    app_secret: String,
}

/// `{app_id, app_secret, app_ticket}`: the marketplace app token endpoint.
#[derive(Deserialize)]
struct TicketCredentials {
    app_id: String,
    app_secret: String,
    // Missing is an invalid ticket (10012), not an invalid param.
    app_ticket: Option<String>,
}

/// `{app_access_token, tenant_key}`: the marketplace tenant token endpoint.
#[derive(Deserialize)]
struct TenantRequest {
    app_access_token: String,
    tenant_key: String,
}

/// `POST /open-apis/auth/v3/tenant_access_token/internal`
fn tenant_access_token_internal(
    shared: &Shared,
    body: &[u8],
    now: Instant,
) -> Result<Value, AuthError> {
    let request: AppCredentials = parse(body)?;
    let token = self_built_token(shared, &request, now)?;
    shared.count_issued(TokenKind::Tenant);
    Ok(json!({ "code": 0, "msg": "ok", "tenant_access_token": token.0, "expire": token.1 }))
}

/// `POST /open-apis/auth/v3/app_access_token/internal`: a self-built app's app
/// token is its tenant token, so both fields carry the same value.
fn app_access_token_internal(
    shared: &Shared,
    body: &[u8],
    now: Instant,
) -> Result<Value, AuthError> {
    let request: AppCredentials = parse(body)?;
    let token = self_built_token(shared, &request, now)?;
    shared.count_issued(TokenKind::App);
    Ok(json!({
        "code": 0, "msg": "ok",
        "app_access_token": token.0, "tenant_access_token": token.0, "expire": token.1,
    }))
}

/// `POST /open-apis/auth/v3/app_access_token` (marketplace apps).
fn app_access_token(shared: &Shared, body: &[u8], now: Instant) -> Result<Value, AuthError> {
    let request: TicketCredentials = parse(body)?;
    non_empty(&[&request.app_id, &request.app_secret])?;
    let app = authenticate(shared, &request.app_id, &request.app_secret)?;
    let app_ticket = shared.app_ticket(app).ok_or(AuthError::InvalidParam)?;
    if request.app_ticket.as_ref() != Some(&app_ticket) {
        return Err(AuthError::AppTicketInvalid);
    }
    let key = TokenKey::app(&request.app_id);
    let granted = shared.tokens().grant(key, shared.policy, &shared.ids, now);
    shared.count_issued(TokenKind::App);
    Ok(json!({
        "code": 0, "msg": "success", "app_access_token": granted.token, "expire": granted.expire,
    }))
}

/// `POST /open-apis/auth/v3/tenant_access_token` (marketplace apps): takes the
/// app access token, not the app id.
fn tenant_access_token(shared: &Shared, body: &[u8], now: Instant) -> Result<Value, AuthError> {
    let request: TenantRequest = parse(body)?;
    non_empty(&[&request.app_access_token, &request.tenant_key])?;
    let mut tokens = shared.tokens();
    let app_id = tokens
        .lookup(&request.app_access_token, TokenKind::App, now)
        .map(|key| key.app_id.clone())
        .map_err(|_| AuthError::AppTokenInvalid)?;
    let installed = match shared.apps.get(&app_id).map(|app| &app.kind) {
        Some(AppKind::Marketplace { tenant_keys, .. }) => tenant_keys.contains(&request.tenant_key),
        _ => false,
    };
    if !installed {
        return Err(AuthError::TenantTokenFailed);
    }
    let key = TokenKey::tenant(&app_id, &request.tenant_key);
    let granted = tokens.grant(key, shared.policy, &shared.ids, now);
    drop(tokens);
    shared.count_issued(TokenKind::Tenant);
    Ok(json!({
        "code": 0, "msg": "success", "tenant_access_token": granted.token, "expire": granted.expire,
    }))
}

/// `POST /open-apis/auth/v3/app_ticket/resend`: answers, and pushes the
/// current ticket to the event target (`set_event_target`) in the background,
/// if one is set; tests change the ticket with `rotate_app_ticket`.
fn app_ticket_resend(shared: &Shared, body: &[u8], _now: Instant) -> Result<Value, AuthError> {
    let request: AppCredentials = parse(body)?;
    non_empty(&[&request.app_id, &request.app_secret])?;
    let app = authenticate(shared, &request.app_id, &request.app_secret)?;
    let ticket = shared.app_ticket(app).ok_or(AuthError::NotMarketplaceApp)?;
    shared.events.push_app_ticket(&request.app_id, &ticket);
    Ok(json!({ "code": 0, "msg": "success" }))
}

/// Checks a self-built app's credentials and grants its tenant token.
fn self_built_token(
    shared: &Shared,
    request: &AppCredentials,
    now: Instant,
) -> Result<(String, u64), AuthError> {
    non_empty(&[&request.app_id, &request.app_secret])?;
    let app = authenticate(shared, &request.app_id, &request.app_secret)?;
    if !matches!(app.kind, AppKind::SelfBuilt) {
        return Err(AuthError::InvalidParam);
    }
    let key = TokenKey::tenant(&request.app_id, SELF_BUILT_TENANT_KEY);
    let granted = shared.tokens().grant(key, shared.policy, &shared.ids, now);
    Ok((granted.token, granted.expire))
}

/// The app with this id, if the secret matches.
fn authenticate<'a>(shared: &'a Shared, app_id: &str, secret: &str) -> Result<&'a App, AuthError> {
    let app = shared.apps.get(app_id).ok_or(AuthError::InvalidParam)?;
    if app.secret != secret {
        return Err(AuthError::AppSecretInvalid);
    }
    Ok(app)
}

/// Not JSON, a missing field or a field of the wrong type: all 10003.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AuthError> {
    serde_json::from_slice(body).map_err(|_| AuthError::InvalidParam)
}

fn non_empty(fields: &[&str]) -> Result<(), AuthError> {
    if fields.iter().any(|field| field.is_empty()) {
        return Err(AuthError::InvalidParam);
    }
    Ok(())
}
