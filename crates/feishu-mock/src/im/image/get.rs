//! `GET /open-apis/im/v1/images/:image_key`
//!
//! Downloads an image this app uploaded: the bytes as an attachment (see
//! [`download`](crate::im::download)); 234003 for an unknown key, 230017 for
//! another app's image.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/get>

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::im::download::{own_upload, respond};
use crate::reply::LogId;
use crate::state::Shared;
use crate::uploads::UploadKind;

pub(crate) async fn get_image(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    respond(
        own_upload(&shared, &headers, &key, UploadKind::Image),
        &log_id,
    )
}
