//! The values every CardKit call carries, checked when they are made:
//! `card_id`, `sequence` and `uuid`.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::card::CardError;

/// A card entity's id (`card_id`), 1–20 characters, as
/// [`CreateCard`](super::card::CreateCard) returns it.
///
/// ```
/// use feishu_core::cardkit::CardId;
///
/// assert_eq!(&*CardId::new("7355372766134157313")?, "7355372766134157313");
/// assert!(CardId::new("").is_err());
/// # Ok::<(), feishu_core::card::CardError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardId(String);

impl CardId {
    /// Checks a card id.
    pub fn new(card_id: impl Into<String>) -> Result<Self, CardError> {
        let card_id = card_id.into();
        length("card_id", &card_id, 1, 20)?;
        Ok(Self(card_id))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for CardId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for CardId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

// Checked as it is read: an answer with an id Feishu's own rules refuse is
// an unexpected response, not a value that fails later.
impl<'de> Deserialize<'de> for CardId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let card_id = String::deserialize(deserializer)?;
        CardId::new(card_id).map_err(serde::de::Error::custom)
    }
}

/// The order of an operation on a card (`sequence`): 1 to 2,147,483,647,
/// strictly increasing over every operation on one card.
/// [`CardStream`](super::stream::CardStream) keeps it for you.
///
/// ```
/// use feishu_core::cardkit::Sequence;
///
/// let first = Sequence::FIRST;
/// assert_eq!(first.next().map(Sequence::get), Some(2));
/// assert!(Sequence::new(0).is_err());
/// assert!(Sequence::new(i64::from(i32::MAX) + 1).is_err());
/// assert!(Sequence::new(i64::from(i32::MAX))?.next().is_none());
/// # Ok::<(), feishu_core::card::CardError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Sequence(i32);

impl Sequence {
    /// The first operation's: 1.
    pub const FIRST: Sequence = Sequence(1);

    /// Checks a sequence number.
    pub fn new(sequence: i64) -> Result<Self, CardError> {
        match i32::try_from(sequence) {
            Ok(n) if n >= 1 => Ok(Self(n)),
            _ => Err(CardError::OutOfRange {
                field: "sequence",
                value: sequence,
                min: 1,
                max: i64::from(i32::MAX),
            }),
        }
    }

    /// The number.
    pub fn get(self) -> i32 {
        self.0
    }

    /// The next number, unless this is the last one.
    pub fn next(self) -> Option<Self> {
        self.0.checked_add(1).map(Self)
    }
}

/// Feishu's idempotency key (`uuid`) for a CardKit operation: 1–64
/// characters; an operation sent twice with the same `uuid` happens once.
///
/// ```
/// use feishu_core::cardkit::Uuid;
///
/// assert!(Uuid::new("a0d69e20-1dd1-458b-k525-dfeca4015204").is_ok());
/// assert!(Uuid::new("x".repeat(65)).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Uuid(String);

impl Uuid {
    /// Checks a uuid.
    pub fn new(uuid: impl Into<String>) -> Result<Self, CardError> {
        let uuid = uuid.into();
        length("uuid", &uuid, 1, 64)?;
        Ok(Self(uuid))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }

    /// A key drawn by the crate's generator: 36 characters, always valid.
    pub(crate) fn generated(uuid: String) -> Self {
        Self(uuid)
    }
}

/// Refuses a text whose length in characters is outside `min..=max`.
pub(crate) fn length(
    field: &'static str,
    text: &str,
    min: usize,
    max: usize,
) -> Result<(), CardError> {
    // Counting stops past `max`: a huge text costs no more than a long one.
    let len = text.chars().take(max + 1).count();
    if (min..=max).contains(&len) {
        return Ok(());
    }
    Err(CardError::Length {
        field,
        len: if len > max { text.chars().count() } else { len },
        min,
        max,
    })
}
