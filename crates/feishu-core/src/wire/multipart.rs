//! `multipart/form-data` for the upload endpoints: a few text fields and one
//! file, written by hand to keep the core small.

use http::HeaderValue;

use crate::Body;

/// A form under construction. Text fields go before the file part, as Feishu
/// asks.
pub(crate) struct Multipart<'a> {
    fields: Vec<(&'static str, &'a str)>,
    file: Option<FilePart<'a>>,
}

struct FilePart<'a> {
    name: &'static str,
    filename: String,
    bytes: &'a [u8],
}

impl<'a> Multipart<'a> {
    pub(crate) fn new() -> Self {
        Self {
            fields: Vec::new(),
            file: None,
        }
    }

    pub(crate) fn text(mut self, name: &'static str, value: &'a str) -> Self {
        self.fields.push((name, value));
        self
    }

    pub(crate) fn file(mut self, name: &'static str, filename: &str, bytes: &'a [u8]) -> Self {
        self.file = Some(FilePart {
            name,
            filename: sanitize_filename(filename),
            bytes,
        });
        self
    }

    /// The body. The boundary is derived from the content and checked absent
    /// from it, so building stays pure (no randomness) and always valid.
    pub(crate) fn into_body(self) -> Body {
        let mut salt = fingerprint(&self);
        let boundary = loop {
            let candidate = format!("feishu-rs-{salt:016x}");
            if !self.contains(candidate.as_bytes()) {
                break candidate;
            }
            salt = salt.wrapping_mul(0x0000_0100_0000_01B3).wrapping_add(1);
        };
        let mut bytes = Vec::with_capacity(self.file.as_ref().map_or(0, |f| f.bytes.len()) + 512);
        for (name, value) in &self.fields {
            bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            bytes.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
            bytes.extend_from_slice(value.as_bytes());
            bytes.extend_from_slice(b"\r\n");
        }
        if let Some(file) = &self.file {
            bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            bytes.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n",
                    file.name, file.filename
                )
                .as_bytes(),
            );
            bytes.extend_from_slice(file.bytes);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        Body::Bytes {
            // The boundary is ASCII alphanumerics and dashes: always valid.
            content_type: HeaderValue::try_from(content_type)
                .unwrap_or_else(|_| HeaderValue::from_static("multipart/form-data")),
            bytes,
        }
    }

    fn contains(&self, needle: &[u8]) -> bool {
        let within = |hay: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        self.fields.iter().any(|(_, v)| within(v.as_bytes()))
            || self
                .file
                .as_ref()
                .is_some_and(|f| within(f.bytes) || within(f.filename.as_bytes()))
    }
}

/// FNV-1a over the form's content: a boundary seed that differs per upload.
fn fingerprint(form: &Multipart<'_>) -> u64 {
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
        }
    };
    for (name, value) in &form.fields {
        feed(name.as_bytes());
        feed(value.as_bytes());
    }
    if let Some(file) = &form.file {
        feed(file.filename.as_bytes());
        feed(file.bytes);
    }
    hash
}

/// A real, safe filename: path separators, `..`, quotes, CR, LF and NUL
/// replaced, so a name cannot break the header or climb directories.
pub(crate) fn sanitize_filename(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | '"' | '\r' | '\n' | '\0' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.replace("..", "_");
    let trimmed = cleaned.trim();
    if trimmed.is_empty() || trimmed == "." {
        "file".to_owned()
    } else {
        trimmed.to_owned()
    }
}
