//! Response builders: JSON bodies, Feishu error envelopes, the plain-text 404.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

/// The `Content-Type` Feishu sends on every JSON body.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Larger request bodies are refused rather than buffered; real ones are
/// ~100 bytes.
pub(crate) const MAX_BODY: usize = 1 << 20;

/// The log id of one request; the interceptor puts it in the `X-Tt-Logid`
/// header and handlers repeat it in `error.log_id`.
#[derive(Clone, Debug)]
pub(crate) struct LogId(pub(crate) String);

/// A JSON response with Feishu's content type.
pub(crate) fn json(status: StatusCode, body: &Value) -> Response {
    // `Value`'s `Display` is its compact JSON form and cannot fail.
    with_content_type(status, JSON_CONTENT_TYPE, body.to_string())
}

/// A flat error body `{"code","msg","error":{"log_id"}}`.
pub(crate) fn error(status: StatusCode, code: u32, msg: &str, log_id: &LogId) -> Response {
    json(
        status,
        &json!({ "code": code, "msg": msg, "error": { "log_id": log_id.0 } }),
    )
}

/// A response with the given content type and body.
pub(crate) fn with_content_type(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Body>,
) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// What Feishu's gateway answers for a path it does not know.
pub(crate) async fn not_found() -> Response {
    with_content_type(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        "404 page not found",
    )
}
