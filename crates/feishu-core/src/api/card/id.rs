//! `element_id`: the handle CardKit updates a component by.

use std::fmt;
use std::ops::Deref;

use serde::{Serialize, Serializer};

use super::CardError;

/// The longest `element_id` Feishu accepts.
const MAX_CHARS: usize = 20;

/// A component's `element_id`, checked: 1–20 characters, a letter then
/// letters, digits and underscores. Unique within its card (checked when
/// the card is built).
///
/// ```
/// use feishu_core::card::ElementId;
///
/// assert_eq!(&*ElementId::new("markdown_1")?, "markdown_1");
/// assert!(ElementId::new("1st").is_err());
/// assert!(ElementId::new("a".repeat(21)).is_err());
/// # Ok::<(), feishu_core::card::CardError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementId(String);

impl ElementId {
    /// Checks an `element_id`.
    pub fn new(id: impl Into<String>) -> Result<Self, CardError> {
        let id = id.into();
        check(&id)?;
        Ok(Self(id))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An id the crate spelled itself and knows to be valid.
    pub(crate) fn trusted(id: &str) -> Self {
        Self(id.to_owned())
    }
}

/// Why `id` is not an `element_id`, if it is not.
pub(crate) fn check(id: &str) -> Result<(), CardError> {
    let invalid = |reason| CardError::InvalidElementId {
        id: id.to_owned(),
        reason,
    };
    let mut chars = id.chars();
    match chars.next() {
        None => return Err(invalid("it is empty")),
        Some(first) if !first.is_ascii_alphabetic() => {
            return Err(invalid("it must start with a letter"));
        }
        Some(_) => {}
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(invalid("only letters, digits and `_` are allowed"));
    }
    // All ASCII by now, so bytes are characters.
    if id.len() > MAX_CHARS {
        return Err(invalid("it is longer than 20 characters"));
    }
    Ok(())
}

impl Deref for ElementId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ElementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ElementId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl TryFrom<&str> for ElementId {
    type Error = CardError;
    fn try_from(id: &str) -> Result<Self, CardError> {
        Self::new(id)
    }
}
