//! A small `multipart/form-data` parser (RFC 7578), enough for Feishu's
//! upload endpoints: named parts, an optional `filename` (or RFC 5987
//! `filename*`), an optional `Content-Type`. Part bodies are slices of the
//! request body, not copies.

use axum::body::Bytes;
use percent_encoding::percent_decode_str;

/// One part of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) filename: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) data: Bytes,
}

impl Part {
    /// The part's body as text, for text fields.
    pub(crate) fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.data).ok()
    }
}

/// The `boundary` of a `multipart/form-data` content type.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let essence = params.next()?.trim();
    if !essence.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .filter_map(|param| param.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        .filter(|b| !b.is_empty() && b.len() <= 70)
}

/// The parts of `body`, or `None` if it is not a well-formed form.
pub(crate) fn parse(body: &Bytes, boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    // The first delimiter may follow a preamble; later ones follow CRLF.
    let mut at = if body.starts_with(delimiter) {
        delimiter.len()
    } else {
        find(body, &[b"\r\n", delimiter].concat(), 0)? + 2 + delimiter.len()
    };
    let next_delimiter = [b"\r\n", delimiter].concat();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Some(parts);
        }
        // Transport padding, then the CRLF that ends the delimiter line.
        while matches!(body.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        if !body[at..].starts_with(b"\r\n") {
            return None;
        }
        at += 2;
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = std::str::from_utf8(&body[at..head_end]).ok()?;
        let data_start = head_end + 4;
        let data_end = find(body, &next_delimiter, data_start)?;
        parts.push(part(head, body.slice(data_start..data_end))?);
        at = data_end + next_delimiter.len();
    }
}

/// A part from its header block and body; `None` without a form-data name.
fn part(head: &str, data: Bytes) -> Option<Part> {
    let mut disposition = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (name, value) = line.split_once(':')?;
        if name.trim().eq_ignore_ascii_case("content-disposition") {
            disposition = Some(value.trim());
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_owned());
        }
    }
    let params = disposition_params(disposition?)?;
    let param = |wanted: &str| {
        params
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.clone())
    };
    let extended = param("filename*").and_then(|value| {
        let (charset, rest) = value.split_once('\'')?;
        let (_language, encoded) = rest.split_once('\'')?;
        charset
            .eq_ignore_ascii_case("utf-8")
            .then(|| percent_decode_str(encoded).decode_utf8_lossy().into_owned())
    });
    Some(Part {
        name: param("name")?,
        filename: extended.or_else(|| param("filename")),
        content_type,
        data,
    })
}

/// The `name=value` parameters of `form-data; name="a"; filename="b"`,
/// with quoted strings unescaped.
fn disposition_params(value: &str) -> Option<Vec<(String, String)>> {
    let (kind, mut rest) = value.split_once(';').unwrap_or((value, ""));
    if !kind.trim().eq_ignore_ascii_case("form-data") {
        return None;
    }
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            return Some(params);
        }
        let (name, after) = rest.split_once('=')?;
        let (value, after) = if let Some(quoted) = after.strip_prefix('"') {
            quoted_string(quoted)?
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        params.push((name.trim().to_owned(), value));
        rest = after;
    }
}

/// A quoted string's value (after its opening quote) and what follows it.
fn quoted_string(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &text[i + 1..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

/// The first position of `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = from;
    while at + needle.len() <= haystack.len() {
        let offset = haystack[at..=haystack.len() - needle.len()]
            .iter()
            .position(|&b| b == first)?;
        at += offset;
        if haystack[at + 1..at + needle.len()] == *rest {
            return Some(at);
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_boundary() {
        let ct = "multipart/form-data; boundary=----abc";
        assert_eq!(boundary(ct).as_deref(), Some("----abc"));
        let quoted = "Multipart/Form-Data;charset=utf-8; boundary=\"x y\"";
        assert_eq!(boundary(quoted).as_deref(), Some("x y"));
        assert_eq!(boundary("application/json"), None);
        assert_eq!(boundary("multipart/form-data"), None);
    }

    #[test]
    fn parses_fields_and_files() {
        let body = Bytes::from_static(
            b"preamble\r\n--XX\r\nContent-Disposition: form-data; name=\"image_type\"\r\n\r\nmessage\r\n\
--XX\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a \\\"b\\\".png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--X\r\n\
--XX\r\ncontent-disposition: form-data; name=file; filename=\"x.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf\r\n\r\n\r\n--XX--\r\n",
        );
        let parts = parse(&body, "XX").expect("parsed");
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].name, "image_type");
        assert_eq!(parts[0].text(), Some("message"));
        assert_eq!(parts[0].filename, None);
        assert_eq!(parts[1].filename.as_deref(), Some("a \"b\".png"));
        assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
        assert_eq!(&parts[1].data[..], b"\x89PNG\r\n--X");
        assert_eq!(parts[2].name, "file");
        assert_eq!(parts[2].filename.as_deref(), Some("报告.pdf"));
        assert!(parts[2].data.is_empty());
    }

    #[test]
    fn refuses_broken_forms() {
        let unterminated =
            Bytes::from_static(b"--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue");
        assert_eq!(parse(&unterminated, "XX"), None);
        let nameless =
            Bytes::from_static(b"--XX\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XX--");
        assert_eq!(parse(&nameless, "XX"), None);
        assert_eq!(parse(&Bytes::from_static(b"nothing"), "XX"), None);
        let empty = Bytes::from_static(b"--XX--\r\n");
        assert_eq!(parse(&empty, "XX"), Some(Vec::new()));
    }

    #[test]
    fn finds_needles() {
        assert_eq!(find(b"abcabd", b"abd", 0), Some(3));
        assert_eq!(find(b"abcabd", b"abc", 1), None);
        assert_eq!(find(b"ab", b"abc", 0), None);
    }
}
