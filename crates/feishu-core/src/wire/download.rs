//! Binary downloads: the bytes as sent, their type, and the filename from
//! `Content-Disposition`.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get>

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use percent_encoding::percent_decode;
use serde::de::IgnoredAny;

use crate::wire::multipart::sanitize_filename;
use crate::{ParseError, Shape, UnexpectedResponse};

/// A downloaded file, its bytes exactly as the server sent them.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Download {
    /// The file.
    pub bytes: Vec<u8>,
    /// The `Content-Type` the server gave.
    pub content_type: Option<String>,
    /// The filename from `Content-Disposition` (`filename*` preferred), made
    /// safe to use as a path component; the key when the header has none.
    pub filename: String,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("bytes", &self.bytes.len())
            .field("content_type", &self.content_type)
            .field("filename", &self.filename)
            .finish()
    }
}

/// Reads a download: 200 with a non-JSON body is the file; anything else is
/// the error envelope (or an unexpected body), never mistaken for a file.
pub(crate) fn parse(response: http::Response<Vec<u8>>, key: &str) -> Result<Download, ParseError> {
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let is_json = content_type
        .as_deref()
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("application/json"));
    if !response.status().is_success() || is_json {
        let (parts, body) = response.into_parts();
        let decoded = Shape::Data
            .decode::<IgnoredAny>(http::Response::from_parts(parts.clone(), body.clone()));
        return Err(decoded.err().unwrap_or_else(|| {
            let reason = "a JSON success where a file was expected".to_owned();
            UnexpectedResponse::new(&parts, body, reason, false).into()
        }));
    }
    let filename = response
        .headers()
        .get(CONTENT_DISPOSITION)
        .and_then(|value| filename(value.as_bytes()))
        .unwrap_or_else(|| key.to_owned());
    Ok(Download {
        bytes: response.into_body(),
        content_type,
        filename: sanitize_filename(&filename),
    })
}

/// The filename of a `Content-Disposition` value: RFC 5987 `filename*`
/// (UTF-8 or ISO-8859-1) wins over `filename`, which may be quoted, raw UTF-8,
/// or an RFC 2047 encoded word. `None` if neither yields a name.
pub fn filename(content_disposition: &[u8]) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for param in params(content_disposition) {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "filename*" => extended = extended.or_else(|| ext_value(value.trim())),
            "filename" => plain = plain.or_else(|| Some(plain_value(value.trim()))),
            _ => {}
        }
    }
    extended.or(plain).filter(|name| !name.is_empty())
}

/// Splits parameters on `;` outside quotes; bytes are read as UTF-8 (lossy),
/// since servers put raw UTF-8 in headers.
fn params(value: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(value);
    let (mut out, mut current, mut quoted, mut escaped) = (Vec::new(), String::new(), false, false);
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current);
    out
}

/// `charset'lang'percent-encoded` (RFC 5987).
fn ext_value(value: &str) -> Option<String> {
    let value = value.trim_matches('"');
    let mut pieces = value.splitn(3, '\'');
    let (charset, _lang, encoded) = (pieces.next()?, pieces.next()?, pieces.next()?);
    let bytes: Vec<u8> = percent_decode(encoded.as_bytes()).collect();
    match charset.to_ascii_lowercase().as_str() {
        "utf-8" => String::from_utf8(bytes).ok(),
        "iso-8859-1" => Some(bytes.into_iter().map(char::from).collect()),
        _ => None,
    }
}

/// A quoted string (with `\"` escapes) or a token; an RFC 2047 encoded word
/// is decoded.
fn plain_value(value: &str) -> String {
    let unquoted = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().unwrap_or('\\')
                } else {
                    c
                });
            }
            out
        }
        None => value.to_owned(),
    };
    encoded_words(&unquoted).unwrap_or(unquoted)
}

/// Decodes `=?UTF-8?B?…?=` / `=?UTF-8?Q?…?=` words (RFC 2047); `None` when
/// the value is not made of encoded words.
fn encoded_words(value: &str) -> Option<String> {
    let mut out = String::new();
    for word in value.split_whitespace() {
        let inner = word.strip_prefix("=?")?.strip_suffix("?=")?;
        let mut pieces = inner.splitn(3, '?');
        let (charset, encoding, text) = (pieces.next()?, pieces.next()?, pieces.next()?);
        if !charset.eq_ignore_ascii_case("utf-8") {
            return None;
        }
        let bytes = match encoding {
            "B" | "b" => STANDARD.decode(text).ok()?,
            "Q" | "q" => q_decode(text)?,
            _ => return None,
        };
        out.push_str(&String::from_utf8(bytes).ok()?);
    }
    Some(out)
}

/// RFC 2047 "Q": `_` is a space, `=XX` a byte, anything else itself.
fn q_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(byte) = bytes.next() {
        out.push(match byte {
            b'_' => b' ',
            b'=' => {
                let hex = [bytes.next()?, bytes.next()?];
                u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?
            }
            other => other,
        });
    }
    Some(out)
}
