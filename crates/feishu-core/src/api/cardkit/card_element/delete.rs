//! `DELETE /open-apis/cardkit/v1/cards/:card_id/elements/:element_id`
//!
//! Remove one component (a container with its contents) from a card entity.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card-element/delete>

use serde::Serialize;

use crate::card::ElementId;
use crate::cardkit::{CardId, Sequence, Uuid};
use crate::endpoint;

/// `DELETE /open-apis/cardkit/v1/cards/:card_id/elements/:element_id`:
/// removes a component. The request has a JSON body (`uuid`, `sequence`).
///
/// ```
/// use feishu_core::card::ElementId;
/// use feishu_core::cardkit::{CardId, Sequence, card_element::DeleteCardElement};
///
/// let delete = DeleteCardElement::new(CardId::new("7355439197428236291")?, ElementId::new("stop")?, Sequence::new(44)?);
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &delete, Some(&"t-x".into()))?;
/// assert_eq!(request.method(), "DELETE");
/// assert_eq!(request.body(), br#"{"sequence":44}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct DeleteCardElement {
    #[serde(skip)]
    card_id: CardId,
    #[serde(skip)]
    element_id: ElementId,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
    sequence: Sequence,
}

impl DeleteCardElement {
    /// Removes `element_id` as operation `sequence`.
    pub fn new(card_id: CardId, element_id: ElementId, sequence: Sequence) -> Self {
        Self {
            card_id,
            element_id,
            uuid: None,
            sequence,
        }
    }

    /// Sets the idempotency key (a call sets a fresh one otherwise).
    pub fn uuid(mut self, uuid: Uuid) -> Self {
        self.uuid = Some(uuid.into_string());
        self
    }
}

endpoint! {
    DeleteCardElement => () {
        id: "cardkit.v1.card_element.delete",
        method: DELETE,
        path: "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id",
        tokens: [Tenant],
        params: [card_id, element_id],
        body: json,
        shape: unit,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/cardkit-v1/card-element/delete",
    }
}
