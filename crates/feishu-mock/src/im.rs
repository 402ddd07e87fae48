//! `GET /open-apis/im/v1/chats`
//!
//! Lists the chats the bot is in. The mock serves a fixed list; it exists so
//! clients can exercise bearer auth, generic calls and error mapping.
//! Docs: <https://open.feishu.cn/document/server-docs/group/chat/list>

use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::json;

use crate::bearer::{bearer_token, missing_token};
use crate::reply::{self, LogId};
use crate::state::Shared;
use crate::tokens::{Rejection, TokenKind};

/// The IM routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/open-apis/im/v1/chats", get(list_chats))
}

/// Unknown, revoked, or not a tenant token.
const INVALID_TOKEN: (u32, &str) = (
    99991663,
    "Invalid access token for authorization. Please make a request with token attached",
);
/// A tenant token that was valid once and has run out.
const EXPIRED_TOKEN: (u32, &str) = (99991677, "token expired");

async fn list_chats(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = bearer_token(&headers) else {
        return missing_token(&log_id);
    };
    let tenant_key = shared
        .tokens()
        .lookup(token, TokenKind::Tenant, Instant::now())
        .map(|key| key.tenant_key.clone());
    let tenant_key = match tenant_key {
        Ok(tenant_key) => tenant_key,
        Err(rejection) => {
            let (code, msg) = match rejection {
                Rejection::Invalid => INVALID_TOKEN,
                Rejection::Expired => EXPIRED_TOKEN,
            };
            return reply::error(StatusCode::BAD_REQUEST, code, msg, &log_id);
        }
    };
    let chat = |chat_id: &str, name: &str| {
        json!({
            "chat_id": chat_id,
            "name": name,
            "owner_id": "ou_mock_owner",
            "owner_id_type": "open_id",
            "external": false,
            "tenant_key": tenant_key,
        })
    };
    let body = json!({
        "code": 0,
        "msg": "success",
        "data": {
            "items": [chat("oc_mock_general", "General"), chat("oc_mock_random", "Random")],
            "has_more": false,
            "page_token": "",
        },
    });
    reply::json(StatusCode::OK, &body)
}
