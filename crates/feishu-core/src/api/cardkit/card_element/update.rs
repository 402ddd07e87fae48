//! `PUT /open-apis/cardkit/v1/cards/:card_id/elements/:element_id`
//!
//! Replace one component of a card entity.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card-element/update>

use serde::Serialize;

use super::element_json;
use crate::card::{CardError, Element, ElementId};
use crate::cardkit::{CardId, Sequence, Uuid};
use crate::endpoint;

/// `PUT /open-apis/cardkit/v1/cards/:card_id/elements/:element_id`:
/// replaces a component. Works whether or not the card is streaming, so
/// [`CardStream`](crate::cardkit::stream::CardStream) finishes with it when
/// Feishu has closed streaming on its own.
///
/// ```
/// use feishu_core::card::{ElementId, Markdown};
/// use feishu_core::cardkit::{CardId, Sequence, card_element::UpdateCardElement};
///
/// let update = UpdateCardElement::new(
///     CardId::new("7355439197428236291")?,
///     ElementId::new("answer")?,
///     Markdown::new("Final answer").id("answer"),
///     Sequence::new(41)?,
/// )?;
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &update, Some(&"t-x".into()))?;
/// assert_eq!(request.method(), "PUT");
/// assert_eq!(request.uri().path(), "/open-apis/cardkit/v1/cards/7355439197428236291/elements/answer");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct UpdateCardElement {
    #[serde(skip)]
    card_id: CardId,
    #[serde(skip)]
    element_id: ElementId,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
    element: String,
    sequence: Sequence,
}

impl UpdateCardElement {
    /// Replaces `element_id` with `element` as operation `sequence`.
    pub fn new(
        card_id: CardId,
        element_id: ElementId,
        element: impl Into<Element>,
        sequence: Sequence,
    ) -> Result<Self, CardError> {
        let element = element_json(element.into())?.to_string();
        crate::cardkit::length("element", &element, 1, 1_000_000)?;
        Ok(Self {
            card_id,
            element_id,
            uuid: None,
            element,
            sequence,
        })
    }

    /// Sets the idempotency key (a call sets a fresh one otherwise).
    pub fn uuid(mut self, uuid: Uuid) -> Self {
        self.uuid = Some(uuid.into_string());
        self
    }
}

endpoint! {
    UpdateCardElement => () {
        id: "cardkit.v1.card_element.update",
        method: PUT,
        path: "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id",
        tokens: [Tenant],
        params: [card_id, element_id],
        body: json,
        shape: unit,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/cardkit-v1/card-element/update",
    }
}
