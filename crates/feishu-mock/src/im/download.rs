//! What the binary downloads share: finding the upload a request may read,
//! and answering it.
//!
//! Success is HTTP 200 with the raw bytes, the upload's `Content-Type`, and a
//! `Content-Disposition` with both an ASCII `filename` and an RFC 5987
//! `filename*`. Failure is the usual JSON envelope: 234003 for an unknown key,
//! 230017 for another app's upload. The endpoints are
//! [`image::get`](crate::im::image::get), [`file::get`](crate::im::file::get)
//! and [`message_resource::get`](crate::im::message_resource::get).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::im::error::ImError;
use crate::im::request;
use crate::messages::resource_keys;
use crate::query::Query;
use crate::reply::LogId;
use crate::state::Shared;
use crate::uploads::{Upload, UploadKind};

/// RFC 5987 `attr-char`s stay as they are; everything else is encoded.
const ATTR_CHAR_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// An upload of `kind` that the request's app made (another app's: 230017).
pub(crate) fn own_upload(
    shared: &Shared,
    headers: &HeaderMap,
    key: &str,
    kind: UploadKind,
) -> Result<Upload, ImError> {
    let bot = request::bot(shared, headers)?;
    let uploads = shared.uploads();
    let upload = uploads.get(key, kind).ok_or(ImError::FileNotFound)?;
    if upload.record.app_id != bot.id {
        return Err(ImError::NotResourceOwner);
    }
    Ok(upload.clone())
}

/// A resource of `message_id`: its content must carry `key` as the kind
/// `type` asks for (234003 otherwise), and the key must have been uploaded.
pub(crate) fn resource(
    shared: &Shared,
    headers: &HeaderMap,
    message_id: &str,
    key: &str,
    query: &Query,
) -> Result<Upload, ImError> {
    request::bot(shared, headers)?;
    let kind = query
        .get("type")
        .and_then(UploadKind::from_type)
        .ok_or_else(|| ImError::invalid_file("type", "must be image or file"))?;
    let keys = {
        let messages = shared.messages();
        let message = messages
            .message(message_id)
            .ok_or_else(ImError::unknown_message)?;
        if message.record.deleted {
            return Err(ImError::Recalled);
        }
        resource_keys(&message.record.msg_type, &message.record.content)
    };
    if !keys.iter().any(|(k, found)| *k == kind && found == key) {
        return Err(ImError::FileNotFound);
    }
    let uploads = shared.uploads();
    uploads.get(key, kind).cloned().ok_or(ImError::FileNotFound)
}

/// The upload as an attachment, or the error's JSON envelope.
pub(crate) fn respond(result: Result<Upload, ImError>, log_id: &LogId) -> Response {
    match result {
        Ok(upload) => attachment(upload),
        Err(e) => e.reply(log_id),
    }
}

/// HTTP 200 with the bytes, their type, length and file name.
fn attachment(upload: Upload) -> Response {
    let content_type = HeaderValue::from_str(&upload.record.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&upload.record.file_name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let length = HeaderValue::from(upload.bytes.len());
    let mut response = Response::new(Body::from(upload.bytes));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CONTENT_LENGTH, length);
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    response
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`.
/// The fallback replaces non-ASCII, control characters, `"` and `\` with `_`.
pub(crate) fn content_disposition(file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = utf8_percent_encode(file_name, ATTR_CHAR_ESCAPES);
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ascii_and_utf8_files() {
        assert_eq!(
            content_disposition("report 1.pdf"),
            "attachment; filename=\"report 1.pdf\"; filename*=UTF-8''report%201.pdf"
        );
        assert_eq!(
            content_disposition("报告.pdf"),
            "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"
        );
        assert_eq!(
            content_disposition("a\"b\\c\r.txt"),
            "attachment; filename=\"a_b_c_.txt\"; filename*=UTF-8''a%22b%5Cc%0D.txt"
        );
    }
}
