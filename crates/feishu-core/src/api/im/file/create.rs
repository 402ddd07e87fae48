//! `POST /open-apis/im/v1/files`
//!
//! Upload a file to send in messages.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/create>

use std::fmt;

use serde::Deserialize;

use crate::wire::multipart::{Multipart, sanitize_filename};
use crate::{InvalidRequest, endpoint};

/// The largest file Feishu takes: 30 MB.
pub const MAX_FILE_BYTES: usize = 30 * 1024 * 1024;

/// The kind of an uploaded file; it must match the `msg_type` it is sent as
/// (else [`FILE_TYPE_MISMATCH`](crate::codes::FILE_TYPE_MISMATCH)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileType {
    /// Audio, to send as `audio` (OPUS).
    Opus,
    /// Video, to send as `media` (MP4).
    Mp4,
    /// PDF.
    Pdf,
    /// Word.
    Doc,
    /// Excel.
    Xls,
    /// PowerPoint.
    Ppt,
    /// Anything else.
    Stream,
}

impl FileType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Opus => "opus",
            Self::Mp4 => "mp4",
            Self::Pdf => "pdf",
            Self::Doc => "doc",
            Self::Xls => "xls",
            Self::Ppt => "ppt",
            Self::Stream => "stream",
        }
    }
}

/// `POST /open-apis/im/v1/files`: uploads a file (at most 30 MB, not empty)
/// as `multipart/form-data`.
#[derive(Clone)]
pub struct UploadFile {
    file_type: FileType,
    file_name: String,
    duration_ms: Option<u64>,
    file: Vec<u8>,
}

impl UploadFile {
    /// A file with its real name (extension included; made safe in the upload).
    pub fn new(file_type: FileType, file_name: impl Into<String>, file: Vec<u8>) -> Self {
        Self {
            file_type,
            file_name: file_name.into(),
            duration_ms: None,
            file,
        }
    }

    /// The length of an audio or video file, in milliseconds.
    pub fn duration_ms(mut self, duration_ms: u64) -> Self {
        self.duration_ms = Some(duration_ms);
        self
    }
}

impl fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadFile")
            .field("file_type", &self.file_type)
            .field("file_name", &self.file_name)
            .field("duration_ms", &self.duration_ms)
            .field("bytes", &self.file.len())
            .finish()
    }
}

/// An uploaded file's key.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileKey {
    /// The key, `file_v2_…`, to put in file, audio or media content.
    pub file_key: String,
}

endpoint! {
    UploadFile => FileKey {
        id: "im.v1.file.create",
        method: POST,
        path: "/open-apis/im/v1/files",
        tokens: [Tenant, User],
        body: multipart(|upload: &UploadFile| {
            if upload.file.is_empty() {
                return Err(InvalidRequest::empty("file"));
            }
            if upload.file.len() > MAX_FILE_BYTES {
                return Err(InvalidRequest::TooLarge {
                    what: "file",
                    size: upload.file.len(),
                    limit: MAX_FILE_BYTES,
                });
            }
            let sanitized = sanitize_filename(&upload.file_name);
            let duration = upload.duration_ms.map(|ms| ms.to_string());
            let mut form = Multipart::new()
                .text("file_type", upload.file_type.as_str())
                .text("file_name", &sanitized);
            if let Some(duration) = &duration {
                form = form.text("duration", duration);
            }
            Ok(form.file("file", &upload.file_name, &upload.file).into_body())
        }),
        shape: data,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/create",
    }
}
