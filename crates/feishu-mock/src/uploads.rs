//! Uploaded images and files: their bytes, and what was said about them.

use std::collections::HashMap;

use axum::body::Bytes;

use crate::ids::IdSource;

/// The largest image `POST /im/v1/images` accepts.
pub(crate) const IMAGE_LIMIT: usize = 10 << 20;
/// The largest file `POST /im/v1/files` accepts.
pub(crate) const FILE_LIMIT: usize = 30 << 20;

/// Which endpoint a resource was uploaded to, and the `type` that downloads
/// it from a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UploadKind {
    /// `POST /im/v1/images`: an `image_key` (`img_v2_…`).
    Image,
    /// `POST /im/v1/files`: a `file_key` (`file_v2_…`).
    File,
}

impl UploadKind {
    /// The kind a message resource download asks for with `type=`.
    pub(crate) fn from_type(value: &str) -> Option<UploadKind> {
        match value {
            "image" => Some(UploadKind::Image),
            "file" => Some(UploadKind::File),
            _ => None,
        }
    }
}

/// An upload the mock stored, as [`MockServer::uploads`](crate::MockServer::uploads)
/// reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredUpload {
    /// The `image_key` or `file_key` handed out.
    pub key: String,
    /// Image or file.
    pub kind: UploadKind,
    /// The `image_type` (`message`, `avatar`) or `file_type` (`opus`, `mp4`,
    /// `pdf`, `doc`, `xls`, `ppt`, `stream`) it was uploaded as.
    pub upload_type: String,
    /// The `file_name` field of a file; the part's `filename` of an image
    /// (the key when it had none).
    pub file_name: String,
    /// The `Content-Type` of the file part, served back on download.
    pub content_type: String,
    /// The number of bytes.
    pub len: usize,
    /// The `duration` field (milliseconds) of audio and video files.
    pub duration_ms: Option<u64>,
    /// The app that uploaded it; only it can download it by key.
    pub app_id: String,
}

/// A validated upload.
#[derive(Clone, Debug)]
pub(crate) struct NewUpload {
    pub(crate) app_id: String,
    pub(crate) kind: UploadKind,
    pub(crate) upload_type: String,
    /// `None` for an image part without a `filename`.
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: String,
    pub(crate) duration_ms: Option<u64>,
    pub(crate) bytes: Bytes,
}

/// A stored upload: its record and its bytes.
#[derive(Clone, Debug)]
pub(crate) struct Upload {
    pub(crate) record: StoredUpload,
    pub(crate) bytes: Bytes,
}

/// Every upload, oldest first.
#[derive(Debug, Default)]
pub(crate) struct UploadStore {
    uploads: Vec<Upload>,
    by_key: HashMap<String, usize>,
}

impl UploadStore {
    /// Stores `new` and returns its key.
    pub(crate) fn add(&mut self, new: NewUpload, ids: &IdSource) -> String {
        let key = match new.kind {
            UploadKind::Image => ids.upload_key("img_v2_"),
            UploadKind::File => ids.upload_key("file_v2_"),
        };
        let record = StoredUpload {
            file_name: new.file_name.unwrap_or_else(|| key.clone()),
            key: key.clone(),
            kind: new.kind,
            upload_type: new.upload_type,
            content_type: new.content_type,
            len: new.bytes.len(),
            duration_ms: new.duration_ms,
            app_id: new.app_id,
        };
        self.by_key.insert(key.clone(), self.uploads.len());
        self.uploads.push(Upload {
            record,
            bytes: new.bytes,
        });
        key
    }

    /// The upload with `key`, if it is of `kind`.
    pub(crate) fn get(&self, key: &str, kind: UploadKind) -> Option<&Upload> {
        let upload = &self.uploads[*self.by_key.get(key)?];
        (upload.record.kind == kind).then_some(upload)
    }

    /// The public records, oldest first.
    pub(crate) fn records(&self) -> Vec<StoredUpload> {
        self.uploads.iter().map(|u| u.record.clone()).collect()
    }
}

/// The MIME type of an image in one of the formats Feishu accepts (JPEG,
/// PNG, WEBP, GIF, BMP, ICO, TIFF, HEIC), judged by its first bytes.
pub(crate) fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let mime = if starts(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if starts(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        "image/gif"
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(&b"WEBP"[..]) {
        "image/webp"
    } else if starts(b"BM") {
        "image/bmp"
    } else if starts(b"\0\0\x01\0") {
        "image/x-icon"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "image/tiff"
    } else if bytes.get(4..8) == Some(&b"ftyp"[..])
        && matches!(
            bytes.get(8..12),
            Some(b"heic" | b"heix" | b"mif1" | b"msf1")
        )
    {
        "image/heic"
    } else {
        return None;
    };
    Some(mime)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(kind: UploadKind, name: Option<&str>) -> NewUpload {
        NewUpload {
            app_id: "cli".to_owned(),
            kind,
            upload_type: "stream".to_owned(),
            file_name: name.map(str::to_owned),
            content_type: "application/octet-stream".to_owned(),
            duration_ms: None,
            bytes: Bytes::from_static(b"abc"),
        }
    }

    #[test]
    fn keys_are_shaped_and_typed() {
        let ids = IdSource::new();
        let mut store = UploadStore::default();
        let file = store.add(upload(UploadKind::File, Some("a.txt")), &ids);
        let image = store.add(upload(UploadKind::Image, None), &ids);
        assert!(file.starts_with("file_v2_"), "{file}");
        assert!(image.starts_with("img_v2_"), "{image}");
        assert!(store.get(&file, UploadKind::File).is_some());
        assert!(store.get(&file, UploadKind::Image).is_none());
        assert!(store.get("nope", UploadKind::File).is_none());
        let records = store.records();
        assert_eq!(records[0].file_name, "a.txt");
        assert_eq!(records[1].file_name, image);
        assert_eq!(records[1].len, 3);
    }

    #[test]
    fn sniffs_image_formats() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_image(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"\0\0\0\x18ftypheic"), Some("image/heic"));
        assert_eq!(sniff_image(b"%PDF-1.7"), None);
        assert_eq!(sniff_image(b""), None);
    }
}
