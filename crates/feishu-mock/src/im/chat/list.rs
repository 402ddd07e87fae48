//! `GET /open-apis/im/v1/chats`
//!
//! Lists the group chats the bot is in: `oc_mock_general`, `oc_mock_random`
//! and any added with [`MockServer::add_chat`](crate::MockServer::add_chat)
//! (or the control API), in the order they were added, on one page.
//! Docs: <https://open.feishu.cn/document/server-docs/group/chat/list>

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::bearer;
use crate::reply::{self, LogId};
use crate::state::Shared;

pub(crate) async fn list_chats(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
) -> Response {
    let tenant_key = match bearer::tenant(&shared, &headers, shared.now()) {
        Ok(key) => key.tenant_key,
        Err(e) => return e.reply(&log_id),
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
    let items: Vec<_> = shared
        .messages()
        .chats()
        .groups()
        .iter()
        .map(|group| chat(&group.chat_id, &group.name))
        .collect();
    let body = json!({
        "code": 0,
        "msg": "success",
        "data": {
            "items": items,
            "has_more": false,
            "page_token": "",
        },
    });
    reply::json(StatusCode::OK, &body)
}
