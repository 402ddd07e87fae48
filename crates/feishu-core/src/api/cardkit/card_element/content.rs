//! `PUT /open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content`
//!
//! Stream text into a `markdown` or `plain_text` element: the full text each time.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card-element/content>

use serde::Serialize;

use crate::card::{CardError, ElementId};
use crate::cardkit::{CardId, Sequence, Uuid};
use crate::endpoint;

/// `PUT /open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content`:
/// sets a text element's content while the card streams.
///
/// Send the **whole** text each time: when the text shown is a prefix of
/// the new one, only the new part is typed out; otherwise the text is
/// replaced at once. The card must be in `streaming_mode`.
/// [`CardStream`](crate::cardkit::stream::CardStream) does all of this.
///
/// ```
/// use feishu_core::card::ElementId;
/// use feishu_core::cardkit::{CardId, Sequence, card_element::StreamElementContent};
///
/// let write = StreamElementContent::new(
///     CardId::new("7355439197428236291")?,
///     ElementId::new("markdown_1")?,
///     "Hello, wor",
///     Sequence::new(3)?,
/// )?;
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &write, Some(&"t-x".into()))?;
/// assert_eq!(request.uri().path(), "/open-apis/cardkit/v1/cards/7355439197428236291/elements/markdown_1/content");
/// assert_eq!(request.body(), br#"{"content":"Hello, wor","sequence":3}"#);
/// assert!(StreamElementContent::new(CardId::new("1")?, ElementId::new("a")?, "", Sequence::FIRST).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct StreamElementContent {
    #[serde(skip)]
    card_id: CardId,
    #[serde(skip)]
    element_id: ElementId,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
    content: String,
    sequence: Sequence,
}

impl StreamElementContent {
    /// The longest content Feishu accepts, in characters.
    pub const MAX_CHARS: usize = 100_000;

    /// Sets `element_id`'s text to `content` (1–100,000 characters) as
    /// operation `sequence`.
    pub fn new(
        card_id: CardId,
        element_id: ElementId,
        content: impl Into<String>,
        sequence: Sequence,
    ) -> Result<Self, CardError> {
        let content = content.into();
        crate::cardkit::length("content", &content, 1, Self::MAX_CHARS)?;
        Ok(Self {
            card_id,
            element_id,
            uuid: None,
            content,
            sequence,
        })
    }

    /// Sets the idempotency key (a call sets a fresh one otherwise).
    pub fn uuid(mut self, uuid: Uuid) -> Self {
        self.uuid = Some(uuid.into_string());
        self
    }

    /// The text this write sets.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// This write's sequence number.
    pub fn sequence(&self) -> Sequence {
        self.sequence
    }
}

endpoint! {
    StreamElementContent => () {
        id: "cardkit.v1.card_element.content",
        method: PUT,
        path: "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content",
        tokens: [Tenant],
        params: [card_id, element_id],
        body: json,
        shape: unit,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/cardkit-v1/card-element/content",
    }
}
