//! A strict reader of the `multipart/form-data` bodies the uploads build
//! (RFC 7578): it takes the boundary from the `Content-Type` and fails on
//! anything out of shape, so the upload tests check the bytes, not a summary.

use feishu_core::http::Request;

/// One part of a form: its header lines and its content, byte for byte.
#[derive(Debug)]
pub struct Part {
    pub headers: Vec<String>,
    pub content: Vec<u8>,
}

/// A parsed form.
#[derive(Debug)]
pub struct Form {
    pub boundary: String,
    pub parts: Vec<Part>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// How often `needle` occurs in `hay` (overlaps counted).
pub fn occurrences(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// Parses an upload request's body by the boundary its `Content-Type` names.
pub fn parse(request: &Request<Vec<u8>>) -> Form {
    let content_type = request
        .headers()
        .get("content-type")
        .expect("an upload has a Content-Type")
        .to_str()
        .expect("visible ASCII");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a multipart content type: {content_type}"))
        .to_owned();
    assert!(
        !boundary.is_empty()
            && boundary.len() <= 70
            && boundary
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "a boundary needs no quoting: {boundary}"
    );
    let body = request.body().as_slice();
    let first = format!("--{boundary}\r\n");
    let between = format!("\r\n--{boundary}\r\n");
    let last = format!("\r\n--{boundary}--\r\n");
    let mut rest = body
        .strip_prefix(first.as_bytes())
        .expect("the body opens with the boundary")
        .strip_suffix(last.as_bytes())
        .expect("the body ends with the closing boundary");
    let mut raw_parts = Vec::new();
    while let Some(at) = find(rest, between.as_bytes()) {
        raw_parts.push(&rest[..at]);
        rest = &rest[at + between.len()..];
    }
    raw_parts.push(rest);
    let parts: Vec<Part> = raw_parts.into_iter().map(part).collect();
    assert_eq!(
        occurrences(body, format!("--{boundary}").as_bytes()),
        parts.len() + 1,
        "the boundary occurs only as a delimiter"
    );
    Form { boundary, parts }
}

fn part(raw: &[u8]) -> Part {
    let end = find(raw, b"\r\n\r\n").expect("a part's headers end with an empty line");
    let headers = std::str::from_utf8(&raw[..end])
        .expect("part headers are UTF-8")
        .split("\r\n")
        .map(str::to_owned)
        .collect();
    Part {
        headers,
        content: raw[end + 4..].to_vec(),
    }
}

impl Form {
    /// The text fields, in order, as `(name, value)`, checking each part's
    /// headers are exactly one `Content-Disposition` without a filename.
    pub fn text_fields(&self) -> Vec<(String, String)> {
        let fields = &self.parts[..self.parts.len() - 1];
        fields
            .iter()
            .map(|part| {
                assert_eq!(part.headers.len(), 1, "{:?}", part.headers);
                let name = part.headers[0]
                    .strip_prefix("Content-Disposition: form-data; name=\"")
                    .and_then(|rest| rest.strip_suffix('"'))
                    .unwrap_or_else(|| panic!("not a text field: {:?}", part.headers));
                let value = String::from_utf8(part.content.clone()).expect("UTF-8 text");
                (name.to_owned(), value)
            })
            .collect()
    }

    /// The last part, which must be the file.
    pub fn file(&self) -> &Part {
        self.parts.last().expect("a form has parts")
    }
}
