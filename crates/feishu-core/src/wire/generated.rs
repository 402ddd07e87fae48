//! What the generated endpoints (the `feishu-api` crates) are built from,
//! beside [`endpoint!`](crate::endpoint!): integers Feishu sends either as
//! numbers or as strings, open string enums, upload forms, downloads, and
//! pages whose items sit under a field other than `items`.
//!
//! Each piece is one small non-generic function or type, so ~1,600
//! generated endpoints share them instead of each carrying its own copy.

use std::fmt;

mod id_types;
mod model;

pub use id_types::{DepartmentIdType, UserIdType};

#[doc(hidden)]
pub use model::{Fields, read_field, read_fields};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::download::Download;
use crate::wire::multipart::Multipart;
use crate::{Body, Page, ParseError};

/// An integer as Feishu's responses carry it: a JSON number, or the same
/// number as a string (int64 fields are strings on the wire, and the
/// packages the schemas come from do not always say which).
///
/// ```
/// use feishu_core::generated::Int64;
///
/// let both: Vec<Int64> = serde_json::from_str(r#"[1700000000, "1700000000"]"#)?;
/// assert_eq!(both[0], both[1]);
/// assert_eq!(i64::from(both[1]), 1_700_000_000);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Int64(pub i64);

impl From<Int64> for i64 {
    fn from(value: Int64) -> Self {
        value.0
    }
}

impl From<i64> for Int64 {
    fn from(value: i64) -> Self {
        Self(value)
    }
}

impl fmt::Display for Int64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Int64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Lenient;
        impl Visitor<'_> for Lenient {
            type Value = Int64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, or an integer in a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int64, E> {
                Ok(Int64(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int64, E> {
                i64::try_from(v)
                    .map(Int64)
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Int64, E> {
                // Whole numbers written with a fraction (`3.0`) are still integers.
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    #[allow(clippy::cast_possible_truncation)]
                    return Ok(Int64(v as i64));
                }
                Err(E::invalid_type(de::Unexpected::Float(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int64, E> {
                v.trim()
                    .parse()
                    .map(Int64)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_any(Lenient)
    }
}

/// Declares an open string enum: the values Feishu documents as variants,
/// and `Unknown` keeping any other value, so a value added later parses
/// and sends back unchanged.
///
/// ```
/// feishu_core::string_enum! {
///     /// The kind of a user id.
///     pub enum UserIdType {
///         /// `open_id`.
///         OpenId = "open_id",
///         /// `user_id`.
///         UserId = "user_id",
///     }
/// }
///
/// assert_eq!(UserIdType::OpenId.as_str(), "open_id");
/// let later: UserIdType = serde_json::from_str(r#""lark_id""#)?;
/// assert_eq!(later, UserIdType::Unknown("lark_id".into()));
/// assert_eq!(serde_json::to_string(&later)?, r#""lark_id""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version does not know, kept as sent.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other.into()),
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::generated::deserialize_str(deserializer).map(|s| Self::from(s.as_str()))
            }
        }
    };
}

/// A string, for [`string_enum!`](crate::string_enum!)'s `Deserialize`.
#[doc(hidden)]
pub fn deserialize_str<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    String::deserialize(deserializer)
}

/// A `multipart/form-data` body: text fields first, then the file, as
/// Feishu asks.
///
/// ```
/// use feishu_core::{Body, generated::form};
///
/// let body = form(&[("file_type", "pdf".into())], Some(("file", "a.pdf", b"%PDF")));
/// let Body::Bytes { content_type, bytes } = body else { unreachable!() };
/// assert!(content_type.to_str()?.starts_with("multipart/form-data; boundary="));
/// assert!(bytes.windows(4).any(|w| w == b"%PDF"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn form(texts: &[(&'static str, String)], file: Option<(&'static str, &str, &[u8])>) -> Body {
    let mut form = Multipart::new();
    for (name, value) in texts {
        form = form.text(name, value);
    }
    if let Some((name, filename, bytes)) = file {
        form = form.file(name, filename, bytes);
    }
    form.into_body()
}

/// Reads a download: the file, or the error envelope Feishu answers with
/// instead; `key` names the file when the response does not.
pub fn download(response: http::Response<Vec<u8>>, key: &str) -> Result<Download, ParseError> {
    crate::wire::download::parse(response, key)
}

/// A page from a list whose items sit under another field than `items`;
/// an empty token reads as none, as on [`Page`]'s own reading.
pub fn page<T>(items: Vec<T>, has_more: bool, page_token: Option<String>) -> Page<T> {
    Page {
        items,
        has_more,
        page_token: page_token.filter(|t| !t.is_empty()),
    }
}

/// Serializes a body's `page_token`, `""` for the first page: for the lists
/// that require the field in their body.
pub fn page_token_or_empty<S: Serializer>(
    token: &Option<String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(token.as_deref().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int64_refuses_what_is_not_an_integer() {
        for bad in [
            r#""12a""#,
            "1.5",
            "true",
            "null",
            r#""""#,
            "18446744073709551615",
        ] {
            assert!(serde_json::from_str::<Int64>(bad).is_err(), "{bad}");
        }
        assert_eq!(
            serde_json::from_str::<Int64>(r#"" -7 ""#).expect("an integer"),
            Int64(-7)
        );
        assert_eq!(
            serde_json::from_str::<Int64>("3.0").expect("an integer"),
            Int64(3)
        );
        assert_eq!(serde_json::to_string(&Int64(5)).expect("serialises"), "5");
    }

    #[test]
    fn a_page_reads_an_empty_token_as_none() {
        let page = page(vec![1], true, Some(String::new()));
        assert_eq!(page.page_token, None);
        assert_eq!(page.items, [1]);
    }

    #[test]
    fn a_required_body_page_token_starts_empty() {
        #[derive(Serialize)]
        struct Query {
            #[serde(serialize_with = "page_token_or_empty")]
            page_token: Option<String>,
        }
        let first = serde_json::to_string(&Query { page_token: None }).expect("serialises");
        assert_eq!(first, r#"{"page_token":""}"#);
        let next = serde_json::to_string(&Query {
            page_token: Some("p2".into()),
        })
        .expect("serialises");
        assert_eq!(next, r#"{"page_token":"p2"}"#);
    }

    #[test]
    fn a_form_without_a_file_is_still_a_form() {
        let Body::Bytes { bytes, .. } = form(&[("a", "b".into())], None) else {
            panic!("not bytes")
        };
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(text.contains("name=\"a\"\r\n\r\nb\r\n"));
    }
}
