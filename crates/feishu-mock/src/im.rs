//! `GET /open-apis/im/v1/chats`
//!
//! Lists the chats the bot is in. The mock serves a fixed list; it exists so
//! clients can exercise bearer auth, generic calls and error mapping.
//! Docs: <https://open.feishu.cn/document/server-docs/group/chat/list>

use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::json;

use crate::reply::{self, LogId};
use crate::state::Shared;
use crate::tokens::TokenKind;

/// The IM routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/open-apis/im/v1/chats", get(list_chats))
}

const MISSING_TOKEN: (u32, &str) = (
    99991661,
    "Missing access token for authorization. Please make a request with token attached.",
);
const INVALID_TOKEN: (u32, &str) = (
    99991663,
    "Invalid access token for authorization. Please make a request with token attached",
);

async fn list_chats(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = bearer_token(&headers) else {
        let (code, msg) = MISSING_TOKEN;
        return reply::error(StatusCode::BAD_REQUEST, code, msg, &log_id);
    };
    let tenant_key = shared
        .tokens()
        .lookup(token, TokenKind::Tenant, Instant::now())
        .map(|key| key.tenant_key.clone());
    let Some(tenant_key) = tenant_key else {
        let (code, msg) = INVALID_TOKEN;
        return reply::error(StatusCode::BAD_REQUEST, code, msg, &log_id);
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

/// The token after `Bearer `, if the header has that shape.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .filter(|token| !token.is_empty())
}
