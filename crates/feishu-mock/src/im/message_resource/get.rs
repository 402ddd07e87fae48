//! `GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=image|file`
//!
//! Downloads an image or file a message carries in its content: the bytes as
//! an attachment (see [`download`](crate::im::download)); 234003 when the
//! message does not carry that key as that `type`, 230011 for a recalled
//! message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get>

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;

use crate::im::download::{resource, respond};
use crate::query::Query;
use crate::reply::LogId;
use crate::state::Shared;

pub(crate) async fn message_resource(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path((message_id, key)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let query = Query::parse(uri.query());
    respond(
        resource(&shared, &headers, &message_id, &key, &query),
        &log_id,
    )
}
