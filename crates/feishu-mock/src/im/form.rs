//! Reading the `multipart/form-data` bodies of the upload endpoints.

use axum::body::Body;
use axum::http::{HeaderMap, header};

use crate::im::error::ImError;
use crate::multipart::{self, Part};
use crate::request_body::{self, BodyError};
use crate::uploads::FILE_LIMIT;

/// Upload bodies may be this long: the largest file plus room for the form.
/// The 1 MiB bound of JSON bodies does not apply to uploads.
const UPLOAD_BODY_LIMIT: usize = FILE_LIMIT + (1 << 20);

/// The parts of an upload form. A body past [`UPLOAD_BODY_LIMIT`] is "file
/// too large" (234006); anything but a well-formed form is 234001.
pub(crate) async fn read(headers: &HeaderMap, body: Body) -> Result<Vec<Part>, ImError> {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(multipart::boundary)
        .ok_or_else(|| {
            ImError::invalid_file(
                "Content-Type",
                "must be multipart/form-data with a boundary",
            )
        })?;
    let bytes = match request_body::read(body, UPLOAD_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => return Err(ImError::FileTooLarge),
        Err(BodyError::Broken) => return Err(ImError::invalid_file("body", "could not be read")),
    };
    multipart::parse(&bytes, &boundary)
        .ok_or_else(|| ImError::invalid_file("body", "not a well-formed multipart/form-data body"))
}

/// The first part named `name`.
pub(crate) fn part<'a>(parts: &'a [Part], name: &str) -> Option<&'a Part> {
    parts.iter().find(|part| part.name == name)
}

/// The text of the first part named `name`.
pub(crate) fn text<'a>(parts: &'a [Part], name: &str) -> Option<&'a str> {
    part(parts, name).and_then(Part::text)
}

/// The file part `name`: present, not empty (234001), at most `limit`
/// bytes (234006).
pub(crate) fn file<'a>(
    parts: &'a [Part],
    name: &'static str,
    limit: usize,
) -> Result<&'a Part, ImError> {
    let file = part(parts, name).ok_or_else(|| ImError::invalid_file(name, "required"))?;
    if file.data.is_empty() {
        return Err(ImError::invalid_file(name, "must not be empty"));
    }
    if file.data.len() > limit {
        return Err(ImError::FileTooLarge);
    }
    Ok(file)
}
