//! Values that must never appear in a log line or an error message.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer};

/// An app secret, access token, ticket or key.
///
/// `Debug` and `Display` print `***`; the value is reachable only through
/// [`Secret::expose`], so a secret shows up in output only where code asks for it
/// by name. Cloning is cheap (a shared, immutable string), so a token cache hit
/// allocates nothing.
///
/// ```
/// use feishu_core::Secret;
///
/// let secret = Secret::new("dskLLdkasdjlasdKK");
/// assert_eq!(format!("{secret:?} {secret}"), "*** ***");
/// assert_eq!(secret.expose(), "dskLLdkasdjlasdKK");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<Arc<str>>) -> Self {
        Self(value.into())
    }

    /// The secret value itself, for putting on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value.into())
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.into())
    }
}

// Deserialize only: a secret is read from a response, and written to a request
// through `expose`, never serialized by accident.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Straight into the shared string: one allocation, not two.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Secret;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Secret, E> {
                Ok(Secret(Arc::from(v)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// Serialises a secret's value, for the request fields that carry one: named
/// field by field (`#[serde(serialize_with = "crate::secret::expose")]`), so
/// no secret is ever serialised by accident.
pub(crate) fn expose<S: serde::Serializer>(
    secret: &Secret,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose())
}

/// A token from a response that must not be empty: an empty one would go out
/// as `Bearer ` and fail every call it is cached for, so the answer is
/// refused as unexpected instead.
pub(crate) fn non_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
    let secret = Secret::deserialize(deserializer)?;
    if secret.0.is_empty() {
        return Err(serde::de::Error::invalid_value(
            serde::de::Unexpected::Str(""),
            &"a non-empty token",
        ));
    }
    Ok(secret)
}

/// An optional token from a response, where an empty string means none.
pub(crate) fn empty_as_none<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Secret>, D::Error> {
    let secret = Option::<Secret>::deserialize(deserializer)?;
    Ok(secret.filter(|secret| !secret.0.is_empty()))
}
