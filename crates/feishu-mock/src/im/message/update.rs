//! `PUT /open-apis/im/v1/messages/:message_id`
//!
//! Edits a text or rich-text message the bot sent.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/update>

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;

use crate::im::error::ImError;
use crate::im::request;
use crate::reply::LogId;
use crate::state::Shared;

pub(crate) async fn update_message(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(message_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    request::respond(update(&shared, &headers, &message_id, body).await, &log_id)
}

async fn update(
    shared: &Shared,
    headers: &HeaderMap,
    message_id: &str,
    body: Body,
) -> Result<Value, ImError> {
    let bot = request::bot(shared, headers)?;
    let (fields, len) = request::json_body(body).await?;
    let msg_type = request::msg_type(&fields, len)?;
    let content = request::content(&fields)?;
    let mut messages = shared.messages();
    Ok(messages
        .edit(message_id, &bot.id, msg_type, &content, shared.moment())?
        .to_json())
}
