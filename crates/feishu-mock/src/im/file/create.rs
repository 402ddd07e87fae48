//! `POST /open-apis/im/v1/files`
//!
//! Uploads a file (`multipart/form-data`: `file_type`, `file_name`,
//! `duration`, then the `file` part) and answers its `file_key`.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/create>

use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use crate::im::error::ImError;
use crate::im::{form, request};
use crate::reply::LogId;
use crate::state::Shared;
use crate::uploads::{FILE_LIMIT, NewUpload, UploadKind};

/// The `file_type`s Feishu accepts.
const FILE_TYPES: [&str; 7] = ["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"];

pub(crate) async fn upload_file(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    request::respond(upload(&shared, &headers, body).await, &log_id)
}

async fn upload(shared: &Shared, headers: &HeaderMap, body: Body) -> Result<Value, ImError> {
    let bot = request::bot(shared, headers)?;
    let parts = form::read(headers, body).await?;
    let file_type = form::text(&parts, "file_type")
        .filter(|t| FILE_TYPES.contains(t))
        .ok_or_else(|| {
            ImError::invalid_file(
                "file_type",
                "must be opus, mp4, pdf, doc, xls, ppt or stream",
            )
        })?;
    let file_name = form::text(&parts, "file_name")
        .filter(|name| !name.is_empty())
        .ok_or_else(|| ImError::invalid_file("file_name", "required"))?;
    let duration_ms = match form::text(&parts, "duration") {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<u64>().map_err(|_| {
            ImError::invalid_file("duration", "must be a whole number of milliseconds")
        })?),
    };
    let file = form::file(&parts, "file", FILE_LIMIT)?;
    let new = NewUpload {
        app_id: bot.id,
        kind: UploadKind::File,
        upload_type: file_type.to_owned(),
        file_name: Some(file_name.to_owned()),
        content_type: file
            .content_type
            .clone()
            .unwrap_or_else(|| "application/octet-stream".to_owned()),
        duration_ms,
        bytes: file.data.clone(),
    };
    let key = shared.uploads().add(new, &shared.ids);
    Ok(json!({ "file_key": key }))
}
