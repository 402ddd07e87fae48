//! `POST /open-apis/im/v1/messages`
//!
//! Sends a message to a user or a chat, as the bot of the tenant token.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create>

use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::Extension;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::bearer;
use crate::im::error::ImError;
use crate::messages::{NewMessage, Sender};
use crate::query::Query;
use crate::reply::{self, LogId, MAX_BODY};
use crate::request_body::{self, BodyError};
use crate::state::Shared;

/// The `receive_id_type`s a send accepts.
const RECEIVE_ID_TYPES: [&str; 5] = ["open_id", "user_id", "union_id", "email", "chat_id"];

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

/// Request body limit for rich text and cards.
const POST_LIMIT: usize = 30 * 1024;
/// Request body limit for every other `msg_type`, text included.
const TEXT_LIMIT: usize = 150 * 1024;
/// The longest `uuid` accepted, in characters.
const UUID_MAX_CHARS: usize = 50;

pub(crate) async fn create_message(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let key = match bearer::tenant(&shared, &headers, Instant::now()) {
        Ok(key) => key,
        Err(e) => return e.reply(&log_id),
    };
    let sender = Sender {
        app_id: key.app_id,
        tenant_key: key.tenant_key,
    };
    let query = Query::parse(uri.query());
    let new = match receive_id_type(&query) {
        Ok(receive_id_type) => match request_body::read(body, MAX_BODY).await {
            Ok(bytes) => parse(receive_id_type, &bytes, sender),
            Err(BodyError::TooLarge) => Err(ImError::ContentTooLong),
            Err(BodyError::Broken) => Err(ImError::invalid("body", "could not be read")),
        },
        Err(e) => Err(e),
    };
    let new = match new {
        Ok(new) => new,
        Err(e) => return e.reply(&log_id),
    };
    let now_ms = unix_millis(SystemTime::now());
    let message = shared
        .messages()
        .send(new, &shared.ids, Instant::now(), now_ms)
        .to_json();
    reply::json(
        StatusCode::OK,
        &json!({ "code": 0, "msg": "success", "data": message }),
    )
}

/// The `receive_id_type` query parameter, if it is one Feishu accepts.
fn receive_id_type(query: &Query) -> Result<&str, ImError> {
    match query.get("receive_id_type") {
        Some(t) if RECEIVE_ID_TYPES.contains(&t) => Ok(t),
        _ => Err(ImError::invalid(
            "receive_id_type",
            "must be one of open_id, user_id, union_id, email, chat_id",
        )),
    }
}

/// Validates a send body `{receive_id, msg_type, content, uuid?}`.
fn parse(receive_id_type: &str, body: &[u8], sender: Sender) -> Result<NewMessage, ImError> {
    let fields: Map<String, Value> = serde_json::from_slice(body)
        .map_err(|_| ImError::invalid("body", "must be a JSON object"))?;
    let text = |name: &'static str| fields.get(name).and_then(Value::as_str);

    let msg_type = text("msg_type").ok_or_else(|| ImError::invalid("msg_type", "required"))?;
    if !MSG_TYPES.contains(&msg_type) {
        return Err(ImError::invalid(
            "msg_type",
            format!("{msg_type:?} cannot be sent"),
        ));
    }
    let limit = match msg_type {
        "post" | "interactive" => POST_LIMIT,
        _ => TEXT_LIMIT,
    };
    if body.len() > limit {
        return Err(ImError::ContentTooLong);
    }
    let receive_id = text("receive_id")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| ImError::invalid("receive_id", "required"))?;
    let content = text("content")
        .filter(|content| serde_json::from_str::<Map<String, Value>>(content).is_ok())
        .ok_or_else(|| {
            ImError::invalid(
                "content",
                "must be a string holding a serialized JSON object",
            )
        })?;
    let uuid = match fields.get("uuid") {
        None | Some(Value::Null) => None,
        Some(Value::String(uuid)) if uuid.is_empty() => None,
        Some(Value::String(uuid)) if uuid.chars().count() <= UUID_MAX_CHARS => Some(uuid.clone()),
        Some(_) => {
            return Err(ImError::invalid(
                "uuid",
                "must be a string of at most 50 characters",
            ));
        }
    };
    Ok(NewMessage {
        sender,
        receive_id: receive_id.to_owned(),
        receive_id_type: receive_id_type.to_owned(),
        msg_type: msg_type.to_owned(),
        content: content.to_owned(),
        uuid,
    })
}

fn unix_millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sender() -> Sender {
        Sender {
            app_id: "cli_a".to_owned(),
            tenant_key: "t".to_owned(),
        }
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
        let new = parse("open_id", body.to_string().as_bytes(), sender()).expect("valid");
        assert_eq!(new.receive_id, "ou_x");
        assert_eq!(new.content, r#"{"text":"hi"}"#);
        assert_eq!(new.uuid.as_deref(), Some("u-1"));
    }

    #[test]
    fn names_the_bad_field() {
        let parse_json = |v: Value| parse("chat_id", v.to_string().as_bytes(), sender());
        let ok = json!({ "receive_id": "oc_x", "msg_type": "text", "content": "{}" });
        let with = |name: &str, value: Value| {
            let mut v = ok.clone();
            v[name] = value;
            v
        };
        assert_eq!(field_of(parse("open_id", b"[1]", sender())), "body");
        assert_eq!(
            field_of(parse_json(with("msg_type", json!("merge_forward")))),
            "msg_type"
        );
        assert_eq!(
            field_of(parse_json(with("receive_id", json!("")))),
            "receive_id"
        );
        assert_eq!(
            field_of(parse_json(with("content", json!({"text": "hi"})))),
            "content"
        );
        assert_eq!(
            field_of(parse_json(with("content", json!("not json")))),
            "content"
        );
        assert_eq!(
            field_of(parse_json(with("uuid", json!("u".repeat(51))))),
            "uuid"
        );
        assert!(parse_json(with("uuid", json!("é".repeat(50)))).is_ok());
    }
}
