//! `PATCH /open-apis/im/v1/messages/:message_id`
//!
//! Replaces the content of a card (`interactive`) message the bot sent.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch>

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use crate::im::error::ImError;
use crate::im::request;
use crate::messages::size_limit;
use crate::reply::LogId;
use crate::state::Shared;

pub(crate) async fn patch_message(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(message_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    request::respond(patch(&shared, &headers, &message_id, body).await, &log_id)
}

async fn patch(
    shared: &Shared,
    headers: &HeaderMap,
    message_id: &str,
    body: Body,
) -> Result<Value, ImError> {
    let bot = request::bot(shared, headers)?;
    let (fields, len) = request::json_body(body).await?;
    if len > size_limit("interactive") {
        return Err(ImError::ContentTooLong);
    }
    let content = request::content(&fields)?;
    let mut messages = shared.messages();
    messages.patch_card(message_id, &bot.id, &content, shared.moment())?;
    Ok(json!({}))
}
