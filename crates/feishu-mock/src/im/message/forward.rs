//! `POST /open-apis/im/v1/messages/:message_id/forward`
//!
//! Forwards a copy of a message to a user, a chat or a thread.
//! Docs: <https://open.feishu.cn/document/server-docs/im-v1/message/forward>

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::Value;

use crate::im::error::ImError;
use crate::im::request;
use crate::messages::Route;
use crate::query::Query;
use crate::reply::LogId;
use crate::state::Shared;

/// The `receive_id_type`s a forward or merge-forward accepts.
pub(crate) const FORWARD_ID_TYPES: [&str; 6] = [
    "open_id",
    "user_id",
    "union_id",
    "email",
    "chat_id",
    "thread_id",
];

pub(crate) async fn forward_message(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(message_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let result = forward(&shared, &headers, &uri, &message_id, body).await;
    request::respond(result, &log_id)
}

async fn forward(
    shared: &Shared,
    headers: &HeaderMap,
    uri: &Uri,
    message_id: &str,
    body: Body,
) -> Result<Value, ImError> {
    let sender = request::bot(shared, headers)?;
    let query = Query::parse(uri.query());
    let (fields, _) = request::json_body(body).await?;
    let route = route(&query, &fields, sender)?;
    let mut messages = shared.messages();
    Ok(messages
        .forward(message_id, route, &shared.ids, shared.moment())?
        .to_json())
}

/// Where a forward goes: `receive_id_type` and `uuid` from the query,
/// `receive_id` from the body.
pub(crate) fn route(
    query: &Query,
    fields: &serde_json::Map<String, Value>,
    sender: crate::messages::Sender,
) -> Result<Route, ImError> {
    Ok(Route {
        sender,
        receive_id_type: request::receive_id_type(query, &FORWARD_ID_TYPES)?.to_owned(),
        receive_id: request::receive_id(fields)?,
        uuid: request::query_uuid(query)?,
    })
}
