//! What a test reads of a card: the card as the mock holds it, and each
//! operation on it.

use std::time::SystemTime;

use serde_json::Value;

use super::tree;

/// A card entity as the mock holds it; see
/// [`MockServer::card`](crate::MockServer::card).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct StoredCard {
    /// The entity's id: 19 digits, like Feishu's.
    pub card_id: String,
    /// The app that created it.
    pub app_id: String,
    /// The card JSON now, with every write applied.
    pub card: Value,
    /// The `sequence` of the last operation applied (0 before any).
    pub sequence: i64,
    /// Whether the card is in streaming mode.
    pub streaming: bool,
    /// The message it was sent as, once sent.
    pub message_id: Option<String>,
    /// Every operation on it, oldest first, refused ones included.
    pub writes: Vec<CardWrite>,
}

impl StoredCard {
    /// The `content` of the element `element_id`, if it has one.
    pub fn text(&self, element_id: &str) -> Option<&str> {
        tree::find(&self.card, element_id)?.get("content")?.as_str()
    }
}

/// One operation on a card, as the mock received it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CardWrite {
    /// What it was: the endpoint's id, as in Feishu's API explorer
    /// (`card.create`, `card.settings`, `card.update`, `card.batch_update`,
    /// `card_element.create`, `card_element.update`, `card_element.patch`,
    /// `card_element.delete`, `card_element.content`), or `card.delay_update`
    /// and `card.callback` for the card a token or a callback answer set.
    pub operation: &'static str,
    /// When the mock's clock received it.
    pub at: SystemTime,
    /// Its `sequence`, if it had one.
    pub sequence: Option<i64>,
    /// Its `uuid`, if it had one.
    pub uuid: Option<String>,
    /// The element it addressed, if one.
    pub element_id: Option<String>,
    /// The text of a content write.
    pub content: Option<String>,
    /// `0` when applied, else the code it was refused with.
    pub code: u32,
    /// A repeat of an applied operation's `uuid` and `sequence`: answered
    /// as before, applied once.
    pub replay: bool,
    /// For an applied content write: whether the old text was a prefix of
    /// the new (typed out), rather than replaced.
    pub extends: bool,
}
