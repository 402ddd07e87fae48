//! `POST /open-apis/im/v1/messages`
//!
//! Sends a message to a user or a chat, as the bot of the tenant token.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create>

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::{Map, Value};

use crate::im::error::ImError;
use crate::im::request;
use crate::messages::{NewMessage, Sender};
use crate::query::Query;
use crate::reply::LogId;
use crate::state::Shared;

/// The `receive_id_type`s a send accepts.
pub(crate) const RECEIVE_ID_TYPES: [&str; 5] =
    ["open_id", "user_id", "union_id", "email", "chat_id"];

/// The `msg_type`s a send accepts (receive-only types are refused).
const MSG_TYPES: [&str; 11] = [
    "text",
    "post",
    "image",
    "file",
    "audio",
    "media",
    "sticker",
    "interactive",
    "share_chat",
    "share_user",
    "system",
];

pub(crate) async fn create_message(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    request::respond(send(&shared, &headers, &uri, body).await, &log_id)
}

async fn send(
    shared: &Shared,
    headers: &HeaderMap,
    uri: &Uri,
    body: Body,
) -> Result<Value, ImError> {
    let sender = request::bot(shared, headers)?;
    let query = Query::parse(uri.query());
    let receive_id_type = request::receive_id_type(&query, &RECEIVE_ID_TYPES)?;
    let (fields, len) = request::json_body(body).await?;
    let new = parse(receive_id_type, &fields, len, sender)?;
    let (app_id, msg_type, content, uuid) = (
        new.sender.id.clone(),
        new.msg_type.clone(),
        new.content.clone(),
        new.uuid.clone(),
    );
    crate::cardkit::send_entity(
        shared,
        &app_id,
        &msg_type,
        &content,
        uuid.as_deref(),
        || {
            let mut messages = shared.messages();
            Ok(messages.send(new, &shared.ids, shared.moment())?.to_json())
        },
    )
}

/// Validates a send body `{receive_id, msg_type, content, uuid?}` of `len` bytes.
fn parse(
    receive_id_type: &str,
    fields: &Map<String, Value>,
    len: usize,
    sender: Sender,
) -> Result<NewMessage, ImError> {
    let msg_type = request::msg_type(fields, len)?;
    if !MSG_TYPES.contains(&msg_type) {
        return Err(ImError::invalid(
            "msg_type",
            format!("{msg_type:?} cannot be sent"),
        ));
    }
    Ok(NewMessage {
        sender,
        receive_id: request::receive_id(fields)?,
        receive_id_type: receive_id_type.to_owned(),
        msg_type: msg_type.to_owned(),
        content: request::content(fields)?,
        uuid: request::uuid(fields.get("uuid"))?,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse_json(receive_id_type: &str, value: &Value) -> Result<NewMessage, ImError> {
        let Value::Object(fields) = value else {
            return Err(ImError::invalid("body", "must be a JSON object"));
        };
        let len = value.to_string().len();
        parse(receive_id_type, fields, len, Sender::app("cli_a", "t"))
    }

    fn field_of(result: Result<NewMessage, ImError>) -> &'static str {
        match result {
            Err(ImError::InvalidParam { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn accepts_a_text_message() {
        let body = json!({ "receive_id": "ou_x", "msg_type": "text", "content": "{\"text\":\"hi\"}", "uuid": "u-1" });
        let new = parse_json("open_id", &body).expect("valid");
        assert_eq!(new.receive_id, "ou_x");
        assert_eq!(new.content, r#"{"text":"hi"}"#);
        assert_eq!(new.uuid.as_deref(), Some("u-1"));
    }

    #[test]
    fn names_the_bad_field() {
        let ok = json!({ "receive_id": "oc_x", "msg_type": "text", "content": "{}" });
        let with = |name: &str, value: Value| {
            let mut v = ok.clone();
            v[name] = value;
            parse_json("chat_id", &v)
        };
        assert_eq!(field_of(parse_json("open_id", &json!([1]))), "body");
        assert_eq!(
            field_of(with("msg_type", json!("merge_forward"))),
            "msg_type"
        );
        assert_eq!(field_of(with("receive_id", json!(""))), "receive_id");
        assert_eq!(field_of(with("content", json!({"text": "hi"}))), "content");
        assert_eq!(field_of(with("content", json!("not json"))), "content");
        assert_eq!(field_of(with("uuid", json!("u".repeat(51)))), "uuid");
        assert!(with("uuid", json!("é".repeat(50))).is_ok());
    }
}
