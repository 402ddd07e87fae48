//! `GET /open-apis/authen/v1/user_info`
//!
//! Returns the user a user access token belongs to.
//! The response is `data`-wrapped, unlike the OAuth token endpoint.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::json;

use crate::bearer::{bearer_token, missing_token};
use crate::codes;
use crate::ids::union_id;
use crate::reply::{self, LogId};
use crate::state::Shared;
use crate::tokens::TokenKind;

/// The user info route.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/open-apis/authen/v1/user_info", get(user_info))
}

async fn user_info(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = bearer_token(&headers) else {
        return missing_token(&log_id);
    };
    // Unknown, expired, revoked or not a user token: Feishu says 99991668 to all.
    let key = shared
        .tokens()
        .lookup(token, TokenKind::User, shared.now())
        .ok()
        .cloned();
    let Some(key) = key else {
        let msg =
            "Invalid access token for authorization. Please make a request with token attached";
        return reply::error(
            StatusCode::BAD_REQUEST,
            codes::USER_ACCESS_TOKEN_INVALID,
            msg,
            &log_id,
        );
    };
    // The name given with `add_user`, else "Mock User".
    let name = shared.messages().chats().user_name(&key.open_id).to_owned();
    let body = json!({
        "code": 0,
        "msg": "success",
        "data": {
            "name": name,
            "open_id": key.open_id,
            "union_id": union_id(&key.open_id),
            "tenant_key": key.tenant_key,
        },
    });
    reply::json(StatusCode::OK, &body)
}
