//! `POST /open-apis/im/v1/messages/merge_forward`
//!
//! Forwards several messages of one chat as one `merge_forward` message.
//! Answers `{message, invalid_message_id_list}` as Feishu documents it.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/merge_forward>

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use crate::im::error::ImError;
use crate::im::message::forward::route;
use crate::im::request;
use crate::query::Query;
use crate::reply::LogId;
use crate::state::Shared;

/// The most messages one merge-forward takes.
const MAX_MESSAGES: usize = 100;

pub(crate) async fn merge_forward(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    request::respond(merge(&shared, &headers, &uri, body).await, &log_id)
}

async fn merge(
    shared: &Shared,
    headers: &HeaderMap,
    uri: &Uri,
    body: Body,
) -> Result<Value, ImError> {
    let sender = request::bot(shared, headers)?;
    let query = Query::parse(uri.query());
    let (fields, _) = request::json_body(body).await?;
    let route = route(&query, &fields, sender)?;
    let ids: Option<Vec<String>> = fields
        .get("message_id_list")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .map(|id| id.as_str().map(str::to_owned))
                .collect()
        });
    let ids = ids
        .filter(|ids| (1..=MAX_MESSAGES).contains(&ids.len()))
        .ok_or_else(|| {
            ImError::invalid("message_id_list", "must be a list of 1 to 100 message ids")
        })?;
    let mut messages = shared.messages();
    let (message, invalid) = messages.merge_forward(&ids, route, &shared.ids, shared.moment())?;
    Ok(json!({ "message": message.to_json(), "invalid_message_id_list": invalid }))
}
