//! `GET /open-apis/im/v1/messages/:message_id/read_users`
//!
//! Lists who read a message the bot sent, a page at a time. Tests mark
//! messages read with [`MockServer::mark_read`](crate::MockServer::mark_read).
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/read_users>

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use crate::ids::{union_id, user_id};
use crate::im::error::ImError;
use crate::im::request;
use crate::pagination::{PageRequest, PageRules};
use crate::query::Query;
use crate::reply::LogId;
use crate::state::Shared;

/// `page_size` is 1 to 100, 20 when absent.
const RULES: PageRules = PageRules {
    default: 20,
    max: 100,
};

pub(crate) async fn read_users(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(message_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    request::respond(list(&shared, &headers, &uri, &message_id), &log_id)
}

fn list(
    shared: &Shared,
    headers: &HeaderMap,
    uri: &Uri,
    message_id: &str,
) -> Result<Value, ImError> {
    let bot = request::bot(shared, headers)?;
    let query = Query::parse(uri.query());
    let user_id_type = match query.get("user_id_type") {
        Some(t @ ("open_id" | "union_id" | "user_id")) => t,
        _ => {
            return Err(ImError::invalid(
                "user_id_type",
                "must be open_id, union_id or user_id",
            ));
        }
    };
    let context = ["read_users", message_id, user_id_type];
    let page = PageRequest::parse(&query, RULES, &shared.ids, &context)?;
    let messages = shared.messages();
    let reads = messages.read_users(message_id, &bot.id)?;
    let page = page.take((0_u64..).zip(reads), false).map(|read| {
        let id = match user_id_type {
            "union_id" => union_id(&read.open_id),
            "user_id" => user_id(&read.open_id),
            _ => read.open_id.clone(),
        };
        json!({
            "user_id_type": user_id_type,
            "user_id": id,
            "timestamp": read.time_ms.to_string(),
            "tenant_key": bot.tenant_key,
        })
    });
    Ok(page.to_json(&shared.ids, &context))
}
