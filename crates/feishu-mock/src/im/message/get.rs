//! `GET /open-apis/im/v1/messages/:message_id`
//!
//! Gets one message as a list of one (a merge-forward also lists the
//! messages it carries, each with its `upper_message_id`).
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/get>

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

pub(crate) async fn get_message(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(message_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    request::respond(get(&shared, &headers, &message_id), &log_id)
}

fn get(shared: &Shared, headers: &HeaderMap, message_id: &str) -> Result<Value, ImError> {
    request::bot(shared, headers)?;
    let items = shared.messages().get(message_id)?;
    Ok(json!({ "items": items }))
}
