//! `POST /open-apis/im/v1/images`
//!
//! Uploads an image (`multipart/form-data`: `image_type`, then the `image`
//! part) and answers its `image_key`.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/create>

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
use crate::uploads::{IMAGE_LIMIT, NewUpload, UploadKind, sniff_image};

pub(crate) async fn upload_image(
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
    let image_type = form::text(&parts, "image_type")
        .filter(|t| matches!(*t, "message" | "avatar"))
        .ok_or_else(|| ImError::invalid_file("image_type", "must be message or avatar"))?;
    let image = form::file(&parts, "image", IMAGE_LIMIT)?;
    let sniffed = sniff_image(&image.data).ok_or_else(|| {
        ImError::invalid_file(
            "image",
            "not a JPEG, PNG, WEBP, GIF, BMP, ICO, TIFF or HEIC image",
        )
    })?;
    let new = NewUpload {
        app_id: bot.id,
        kind: UploadKind::Image,
        upload_type: image_type.to_owned(),
        file_name: image.filename.clone(),
        content_type: image
            .content_type
            .clone()
            .unwrap_or_else(|| sniffed.to_owned()),
        duration_ms: None,
        bytes: image.data.clone(),
    };
    let key = shared.uploads().add(new, &shared.ids);
    Ok(json!({ "image_key": key }))
}
