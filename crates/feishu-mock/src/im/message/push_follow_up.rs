//! `POST /open-apis/im/v1/messages/:message_id/push_follow_up`
//!
//! Shows follow-up bubbles, suggested answers a user can tap, under a
//! message the bot sent; see [`StoredMessage::follow_ups`](crate::StoredMessage::follow_ups).
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/push_follow_up>

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::im::error::ImError;
use crate::im::request;
use crate::reply::LogId;
use crate::state::Shared;

pub(crate) async fn push_follow_up(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(message_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    request::respond(push(&shared, &headers, &message_id, body).await, &log_id)
}

async fn push(
    shared: &Shared,
    headers: &HeaderMap,
    message_id: &str,
    body: Body,
) -> Result<Value, ImError> {
    let bot = request::bot(shared, headers)?;
    let (fields, _) = request::json_body(body).await?;
    let follow_ups = follow_ups(&fields)?;
    shared
        .messages()
        .push_follow_ups(message_id, &bot.id, follow_ups)?;
    Ok(json!({}))
}

/// The `content` of each `follow_ups` item: a non-empty list of objects with
/// a non-empty `content` string and, optionally, `i18n_contents`
/// (`[{content, language}]`), which the mock checks but does not keep.
fn follow_ups(fields: &Map<String, Value>) -> Result<Vec<String>, ImError> {
    let items = fields
        .get("follow_ups")
        .and_then(Value::as_array)
        .filter(|items| !items.is_empty())
        .ok_or_else(|| ImError::invalid("follow_ups", "must be a non-empty array"))?;
    items.iter().map(follow_up).collect()
}

fn follow_up(item: &Value) -> Result<String, ImError> {
    let content = item
        .get("content")
        .and_then(Value::as_str)
        .filter(|content| !content.is_empty())
        .ok_or_else(|| {
            ImError::invalid(
                "follow_ups.content",
                "every follow-up needs a non-empty content",
            )
        })?;
    match item.get("i18n_contents") {
        None | Some(Value::Null) => {}
        Some(Value::Array(translations)) if translations.iter().all(is_translation) => {}
        Some(_) => {
            return Err(ImError::invalid(
                "follow_ups.i18n_contents",
                "must be an array of {content, language} strings",
            ));
        }
    }
    Ok(content.to_owned())
}

fn is_translation(value: &Value) -> bool {
    ["content", "language"]
        .iter()
        .all(|name| value.get(name).is_some_and(Value::is_string))
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
    fn follow_ups_need_content() {
        let ok = fields(json!({ "follow_ups": [
            { "content": "Yes" },
            { "content": "No", "i18n_contents": [{ "content": "いいえ", "language": "ja_jp" }] },
        ]}));
        assert_eq!(follow_ups(&ok), Ok(vec!["Yes".to_owned(), "No".to_owned()]));
        for bad in [
            json!({}),
            json!({ "follow_ups": [] }),
            json!({ "follow_ups": "Yes" }),
            json!({ "follow_ups": [{ "content": "" }] }),
            json!({ "follow_ups": [{ "text": "Yes" }] }),
            json!({ "follow_ups": [{ "content": "Yes", "i18n_contents": [{ "content": "x" }] }] }),
        ] {
            assert!(follow_ups(&fields(bad.clone())).is_err(), "{bad}");
        }
    }
}
