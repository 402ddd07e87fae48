//! Decoding of every JSON response, in one place.
//!
//! Feishu answers `{"code": 0, "msg": "success", "data": {…}}`; token endpoints
//! put their fields beside `code` instead. `code` is an integer, or a numeric
//! string on some OAuth pages. A non-zero `code` is an error under any HTTP
//! status; a body that is not the JSON expected is an error that keeps the raw
//! bytes. Nothing here panics, whatever the bytes.
//! Docs: <https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code>

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use http::response::Parts;
use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::wire::api_error::log_id;
use crate::{ApiError, ErrorDetails, ParseError, UnexpectedResponse};

/// How an endpoint lays out its response body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shape {
    /// `{code, msg, data}`: the output is `data` (a missing `data` reads as `{}`).
    Data,
    /// A token endpoint's flat body: the output's fields sit beside `code` and
    /// `msg`. The body carries credentials, so errors never print it.
    Token,
    /// A file's bytes; errors come as the `{code, msg}` envelope, which
    /// [`Shape::decode`] reads as for [`Shape::Data`].
    Binary,
}

/// Why a body was rejected, before it is wrapped with the response's context.
enum Rejection {
    Api(Box<ApiError>),
    Unexpected(String),
}

impl Shape {
    /// Decodes a response into the endpoint's output.
    ///
    /// ```
    /// use feishu_core::Shape;
    ///
    /// let ok = http::Response::new(br#"{"code":0,"msg":"success","data":{"n":1}}"#.to_vec());
    /// let data: serde_json::Value = Shape::Data.decode(ok)?;
    /// assert_eq!(data["n"], 1);
    ///
    /// let denied = http::Response::builder()
    ///     .status(400)
    ///     .header("X-Tt-Logid", "2024072607")
    ///     .body(br#"{"code":99991663,"msg":"Invalid access token"}"#.to_vec())?;
    /// let error = Shape::Data.decode::<serde_json::Value>(denied).unwrap_err();
    /// assert_eq!(error.code(), Some(feishu_core::codes::TENANT_ACCESS_TOKEN_INVALID));
    /// assert_eq!(error.log_id(), Some("2024072607"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode<T: DeserializeOwned>(
        self,
        response: http::Response<Vec<u8>>,
    ) -> Result<T, ParseError> {
        // The common case in one pass: a success with its `data`. Anything
        // else (an error, a missing `data`, a surprise) takes the careful path.
        // (serde_json skips unread strings without checking their UTF-8,
        // so the body is checked whole first: invalid bytes are refused.)
        if self == Shape::Data
            && response.status().is_success()
            && let Ok(Ok(Success {
                code: Code(0),
                data: Some(data),
            })) = std::str::from_utf8(response.body()).map(serde_json::from_str)
        {
            return Ok(data);
        }
        let (parts, body) = response.into_parts();
        let judged = self.judge(&parts, &body).and_then(|payload| {
            let text = text(&body, payload)?;
            serde_json::from_str(text).map_err(|e| self.rejection("unexpected fields", &e))
        });
        judged.map_err(|rejection| self.error(&parts, body, rejection))
    }

    /// Checks a response whose output is nothing but success, such as
    /// `app_ticket/resend`.
    pub fn check(self, response: http::Response<Vec<u8>>) -> Result<(), ParseError> {
        let (parts, body) = response.into_parts();
        let judged = self.judge(&parts, &body).map(drop);
        judged.map_err(|rejection| self.error(&parts, body, rejection))
    }

    /// Reads the envelope's head. On success, returns where the output lies:
    /// `data` for [`Shape::Data`], the whole body (`None`) for [`Shape::Token`].
    fn judge<'b>(self, parts: &Parts, body: &'b [u8]) -> Result<Option<&'b [u8]>, Rejection> {
        let head: Head<'b> = serde_json::from_slice(body).map_err(|e| {
            let what = if body.is_empty() {
                "empty body"
            } else {
                "not a JSON envelope"
            };
            self.rejection(what, &e)
        })?;
        let Some(Code(code)) = head.code else {
            return Err(Rejection::Unexpected("no `code` field".to_owned()));
        };
        if code != 0 {
            return Err(Rejection::Api(Box::new(head.into_api_error(parts, code))));
        }
        if !parts.status.is_success() {
            return Err(Rejection::Unexpected(format!(
                "HTTP {} with code 0",
                parts.status.as_u16()
            )));
        }
        Ok(match self {
            Shape::Data | Shape::Binary => Some(
                head.data
                    .map_or(b"{}".as_slice(), |raw| raw.get().as_bytes()),
            ),
            Shape::Token => None,
        })
    }

    fn rejection(self, what: &str, error: &serde_json::Error) -> Rejection {
        Rejection::Unexpected(match self {
            // serde's messages quote the offending value; on a token endpoint
            // that value could be a credential, so only its position is kept.
            Shape::Token => format!(
                "{what}: {:?} error at line {} column {}",
                error.classify(),
                error.line(),
                error.column()
            ),
            Shape::Data | Shape::Binary => format!("{what}: {error}"),
        })
    }

    fn error(self, parts: &Parts, body: Vec<u8>, rejection: Rejection) -> ParseError {
        match rejection {
            Rejection::Api(error) => ParseError::Api(error),
            Rejection::Unexpected(reason) => {
                UnexpectedResponse::new(parts, body, reason, self == Shape::Token).into()
            }
        }
    }
}

/// The output's text, `payload` or else the whole body. Read from a `str`,
/// as the one-pass path does: each output type is then compiled for one
/// deserializer, not two (a smaller binary), and invalid bytes anywhere in
/// the body are refused on this path too. Not generic, so compiled once.
#[inline(never)]
fn text<'b>(body: &'b [u8], payload: Option<&'b [u8]>) -> Result<&'b str, Rejection> {
    let not_utf8 = |_| Rejection::Unexpected("the body is not UTF-8".to_owned());
    let body = std::str::from_utf8(body).map_err(not_utf8)?;
    payload.map_or(Ok(body), |payload| {
        std::str::from_utf8(payload).map_err(not_utf8)
    })
}

/// A success read in one pass: `code` and `data`, everything else skipped.
#[derive(Deserialize)]
struct Success<T> {
    code: Code,
    data: Option<T>,
}

/// A token endpoint's output: it carries `code`, so a success reads in one pass.
pub(crate) trait Coded: DeserializeOwned {
    fn code(&self) -> i64;
}

/// Decodes a token endpoint's flat answer: one pass for a success, the
/// careful path (and its typed errors) otherwise.
pub(crate) fn decode_token<T: Coded>(response: http::Response<Vec<u8>>) -> Result<T, ParseError> {
    if response.status().is_success() {
        let text = std::str::from_utf8(response.body());
        if let Ok(Ok(output)) = text.map(serde_json::from_str::<T>)
            && output.code() == 0
        {
            return Ok(output);
        }
    }
    Shape::Token.decode(response)
}

/// The fields every envelope may carry. Unknown fields are skipped.
#[derive(Deserialize)]
struct Head<'a> {
    code: Option<Code>,
    #[serde(borrow)]
    msg: Option<Text<'a>>,
    // One doc copy spells it `message`; a separate field (not an alias) so a
    // body with both is still read.
    #[serde(borrow)]
    message: Option<Text<'a>>,
    // An object on OpenAPI errors, a string on OAuth errors: kept raw and
    // read as either in `into_api_error` (serde's `untagged` would buffer it
    // and link a second deserializer for that alone).
    #[serde(borrow)]
    error: Option<&'a RawValue>,
    error_description: Option<String>,
    #[serde(borrow)]
    data: Option<&'a RawValue>,
}

impl Head<'_> {
    fn into_api_error(self, parts: &Parts, code: i64) -> ApiError {
        let error = self.error.map(RawValue::get);
        let details = error.and_then(|raw| serde_json::from_str::<ErrorDetails>(raw).ok());
        let oauth_error = error.and_then(|raw| serde_json::from_str::<String>(raw).ok());
        let body_log_id = details.as_ref().and_then(|d| d.log_id.as_deref());
        ApiError {
            status: parts.status,
            code,
            msg: self
                .msg
                .or(self.message)
                .map(|Text(text)| text.into_owned())
                .or(self.error_description)
                .unwrap_or_default(),
            log_id: log_id(&parts.headers, body_log_id),
            details,
            oauth_error,
            rate_limit_reset: rate_limit_reset(&parts.headers),
        }
    }
}

/// A string field that borrows from the body when it can (no escapes) and
/// owns otherwise; serde borrows a bare `Cow<str>` but not an `Option` of one.
pub(crate) struct Text<'a>(pub(crate) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> de::Visitor<'de> for Visitor<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor(std::marker::PhantomData))
    }
}

/// `code`, as an integer or a numeric string (`"20050"`).
struct Code(i64);

/// Reads a `code` field of an output type the way the envelope does.
pub(crate) fn deserialize_code<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<i64, D::Error> {
    Code::deserialize(deserializer).map(|Code(code)| code)
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Code;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a numeric string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Code, E> {
                Ok(Code(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Code, E> {
                i64::try_from(v).map(Code).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Code, E> {
                v.trim().parse().map(Code).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `x-ogw-ratelimit-reset`: seconds until the rate-limit window resets.
pub(crate) fn rate_limit_reset(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get("x-ogw-ratelimit-reset")?.to_str().ok()?;
    value.trim().parse().ok().map(Duration::from_secs)
}
