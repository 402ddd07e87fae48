//! What the IM handlers share: the bot behind the tenant token, JSON bodies,
//! the common fields (`msg_type`, `content`, `uuid`, `receive_id_type`), and
//! the success envelope.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::bearer;
use crate::im::error::ImError;
use crate::messages::{Sender, is_json_object, size_limit};
use crate::query::Query;
use crate::reply::{self, LogId, MAX_BODY};
use crate::request_body::{self, BodyError};
use crate::state::Shared;

/// The longest `uuid` accepted, in characters.
const UUID_MAX_CHARS: usize = 50;

/// The bot of the request's tenant access token.
pub(crate) fn bot(shared: &Shared, headers: &HeaderMap) -> Result<Sender, ImError> {
    let key = bearer::tenant(shared, headers, shared.now())?;
    Ok(Sender::app(&key.app_id, &key.tenant_key))
}

/// A JSON object body and its length in bytes. A body past the mock's read
/// bound is "content too long" (230025), as any message body that size is.
pub(crate) async fn json_body(body: Body) -> Result<(Map<String, Value>, usize), ImError> {
    let bytes = match request_body::read(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => return Err(ImError::ContentTooLong),
        Err(BodyError::Broken) => return Err(ImError::invalid("body", "could not be read")),
    };
    let fields = serde_json::from_slice(&bytes)
        .map_err(|_| ImError::invalid("body", "must be a JSON object"))?;
    Ok((fields, bytes.len()))
}

/// A string field of a JSON body.
pub(crate) fn text<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(Value::as_str)
}

/// `msg_type`, required, and the body length checked against its limit (230025).
pub(crate) fn msg_type(fields: &Map<String, Value>, body_len: usize) -> Result<&str, ImError> {
    let msg_type =
        text(fields, "msg_type").ok_or_else(|| ImError::invalid("msg_type", "required"))?;
    if body_len > size_limit(msg_type) {
        return Err(ImError::ContentTooLong);
    }
    Ok(msg_type)
}

/// `content`: a string holding a serialized JSON object.
pub(crate) fn content(fields: &Map<String, Value>) -> Result<String, ImError> {
    text(fields, "content")
        .filter(|content| is_json_object(content))
        .map(str::to_owned)
        .ok_or_else(|| {
            ImError::invalid(
                "content",
                "must be a string holding a serialized JSON object",
            )
        })
}

/// An optional idempotency key of at most 50 characters; empty means none.
pub(crate) fn uuid(value: Option<&Value>) -> Result<Option<String>, ImError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(uuid)) if uuid.is_empty() => Ok(None),
        Some(Value::String(uuid)) if uuid.chars().count() <= UUID_MAX_CHARS => {
            Ok(Some(uuid.clone()))
        }
        Some(_) => Err(ImError::invalid(
            "uuid",
            "must be a string of at most 50 characters",
        )),
    }
}

/// The `uuid` query parameter of forwards.
pub(crate) fn query_uuid(query: &Query) -> Result<Option<String>, ImError> {
    uuid(
        query
            .get("uuid")
            .map(|u| Value::String(u.to_owned()))
            .as_ref(),
    )
}

/// The `receive_id_type` query parameter, if it is one of `allowed`.
pub(crate) fn receive_id_type<'q>(query: &'q Query, allowed: &[&str]) -> Result<&'q str, ImError> {
    match query.get("receive_id_type") {
        Some(t) if allowed.contains(&t) => Ok(t),
        _ => Err(ImError::invalid(
            "receive_id_type",
            format!("must be one of {}", allowed.join(", ")),
        )),
    }
}

/// `receive_id`: a non-empty string.
pub(crate) fn receive_id(fields: &Map<String, Value>) -> Result<String, ImError> {
    text(fields, "receive_id")
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| ImError::invalid("receive_id", "required"))
}

/// `{"code":0,"msg":"success","data":…}`, or the error's envelope.
pub(crate) fn respond(result: Result<Value, ImError>, log_id: &LogId) -> Response {
    match result {
        Ok(data) => reply::json(
            StatusCode::OK,
            &json!({ "code": 0, "msg": "success", "data": data }),
        ),
        Err(e) => e.reply(log_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn uuids_are_optional_and_short() {
        assert_eq!(uuid(None), Ok(None));
        assert_eq!(uuid(Some(&json!(""))), Ok(None));
        assert_eq!(uuid(Some(&json!("é".repeat(50)))), Ok(Some("é".repeat(50))));
        assert!(uuid(Some(&json!("u".repeat(51)))).is_err());
        assert!(uuid(Some(&json!(7))).is_err());
        let query = Query::parse(Some("uuid=abc"));
        assert_eq!(query_uuid(&query), Ok(Some("abc".to_owned())));
    }

    #[test]
    fn content_and_msg_type_are_checked() {
        let ok = fields(json!({ "msg_type": "post", "content": "{}" }));
        assert_eq!(msg_type(&ok, 100), Ok("post"));
        assert_eq!(msg_type(&ok, 31 * 1024), Err(ImError::ContentTooLong));
        assert_eq!(content(&ok), Ok("{}".to_owned()));
        let bad = fields(json!({ "content": { "text": "x" } }));
        assert!(content(&bad).is_err());
        assert!(msg_type(&bad, 1).is_err());
    }

    #[test]
    fn receive_id_types_are_listed() {
        let query = Query::parse(Some("receive_id_type=thread_id"));
        assert_eq!(
            receive_id_type(&query, &["chat_id", "thread_id"]),
            Ok("thread_id")
        );
        let Err(ImError::InvalidParam { description, .. }) = receive_id_type(&query, &["chat_id"])
        else {
            panic!("accepted");
        };
        assert_eq!(description, "must be one of chat_id");
    }
}
