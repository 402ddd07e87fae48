//! `POST /open-apis/im/v1/messages/:message_id/reply`
//!
//! Replies to a message, in its chat, optionally in a thread on its root.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/reply>

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;

use crate::im::error::ImError;
use crate::im::request;
use crate::messages::NewReply;
use crate::reply::LogId;
use crate::state::Shared;

pub(crate) async fn reply_message(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(message_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    request::respond(reply(&shared, &headers, &message_id, body).await, &log_id)
}

async fn reply(
    shared: &Shared,
    headers: &HeaderMap,
    message_id: &str,
    body: Body,
) -> Result<Value, ImError> {
    let sender = request::bot(shared, headers)?;
    let (fields, len) = request::json_body(body).await?;
    let msg_type = request::msg_type(&fields, len)?.to_owned();
    let in_thread = match fields.get("reply_in_thread") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(in_thread)) => *in_thread,
        Some(_) => return Err(ImError::invalid("reply_in_thread", "must be a boolean")),
    };
    let (content, uuid) = (
        request::content(&fields)?,
        request::uuid(fields.get("uuid"))?,
    );
    let app_id = sender.id.clone();
    let new = NewReply {
        sender,
        msg_type: msg_type.clone(),
        content: content.clone(),
        uuid: uuid.clone(),
        in_thread,
    };
    crate::cardkit::send_entity(
        shared,
        &app_id,
        &msg_type,
        &content,
        uuid.as_deref(),
        || {
            let mut messages = shared.messages();
            Ok(messages
                .reply(message_id, new, &shared.ids, shared.moment())?
                .to_json())
        },
    )
}
