//! `POST /open-apis/cardkit/v1/cards/:card_id/elements`
//!
//! Insert components into a card entity.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card-element/create>

use serde::Serialize;

use super::{Placement, Position, elements_json};
use crate::card::{CardError, Element};
use crate::cardkit::{CardId, Sequence, Uuid};
use crate::endpoint;

/// `POST /open-apis/cardkit/v1/cards/:card_id/elements`: inserts
/// components, e.g. feedback buttons under a streamed answer.
///
/// ```
/// use feishu_core::card::{Button, ElementId};
/// use feishu_core::cardkit::{CardId, Sequence, card_element::{CreateCardElement, Position}};
///
/// let insert = CreateCardElement::new(
///     CardId::new("7355439197428236291")?,
///     Position::After(ElementId::new("answer")?),
///     [Button::new("Helpful").id("helpful").into()],
///     Sequence::new(40)?,
/// )?;
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &insert, Some(&"t-x".into()))?;
/// let body: serde_json::Value = serde_json::from_slice(request.body())?;
/// assert_eq!(body["type"], "insert_after");
/// assert_eq!(body["target_element_id"], "answer");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct CreateCardElement {
    #[serde(skip)]
    card_id: CardId,
    #[serde(flatten)]
    placement: Placement,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
    sequence: Sequence,
    elements: String,
}

impl CreateCardElement {
    /// Inserts `elements` at `position` as operation `sequence`; refused
    /// when there are none or they break the card rules.
    pub fn new(
        card_id: CardId,
        position: Position,
        elements: impl IntoIterator<Item = Element>,
        sequence: Sequence,
    ) -> Result<Self, CardError> {
        let elements = serde_json::Value::Array(elements_json(elements)?).to_string();
        crate::cardkit::length("elements", &elements, 1, 1_000_000)?;
        Ok(Self {
            card_id,
            placement: position.placement(),
            uuid: None,
            sequence,
            elements,
        })
    }

    /// Sets the idempotency key (a call sets a fresh one otherwise).
    pub fn uuid(mut self, uuid: Uuid) -> Self {
        self.uuid = Some(uuid.into_string());
        self
    }
}

endpoint! {
    CreateCardElement => () {
        id: "cardkit.v1.card_element.create",
        method: POST,
        path: "/open-apis/cardkit/v1/cards/:card_id/elements",
        tokens: [Tenant],
        params: [card_id],
        body: json,
        shape: unit,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/cardkit-v1/card-element/create",
    }
}
