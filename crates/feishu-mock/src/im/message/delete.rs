//! `DELETE /open-apis/im/v1/messages/:message_id`
//!
//! Recalls a message the bot sent.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/delete>

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use crate::im::error::ImError;
use crate::im::request;
use crate::reply::LogId;
use crate::state::Shared;

pub(crate) async fn recall_message(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(message_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    request::respond(recall(&shared, &headers, &message_id), &log_id)
}

fn recall(shared: &Shared, headers: &HeaderMap, message_id: &str) -> Result<Value, ImError> {
    let bot = request::bot(shared, headers)?;
    shared
        .messages()
        .recall(message_id, &bot.id, shared.moment())?;
    Ok(json!({}))
}
