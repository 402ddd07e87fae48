//! `PATCH /open-apis/cardkit/v1/cards/:card_id/elements/:element_id`
//!
//! Change some properties of one component of a card entity.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card-element/patch>

use serde::Serialize;
use serde_json::{Map, Value};

use super::partial_json;
use crate::card::{CardError, ElementId};
use crate::cardkit::{CardId, Sequence, Uuid};
use crate::endpoint;

/// `PATCH /open-apis/cardkit/v1/cards/:card_id/elements/:element_id`:
/// changes the given properties of a component; its `tag` cannot change.
///
/// ```
/// use feishu_core::card::ElementId;
/// use feishu_core::cardkit::{CardId, Sequence, card_element::PatchCardElement};
///
/// let mut partial = serde_json::Map::new();
/// partial.insert("disabled".into(), true.into());
/// let patch = PatchCardElement::new(CardId::new("7355439197428236291")?, ElementId::new("helpful")?, partial, Sequence::new(42)?)?;
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &patch, Some(&"t-x".into()))?;
/// let body: serde_json::Value = serde_json::from_slice(request.body())?;
/// assert_eq!(body["partial_element"], r#"{"disabled":true}"#);
///
/// let mut retag = serde_json::Map::new();
/// retag.insert("tag".into(), "div".into());
/// assert!(PatchCardElement::new(CardId::new("7355439197428236291")?, ElementId::new("helpful")?, retag, Sequence::new(43)?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct PatchCardElement {
    #[serde(skip)]
    card_id: CardId,
    #[serde(skip)]
    element_id: ElementId,
    partial_element: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
    sequence: Sequence,
}

impl PatchCardElement {
    /// Sets `partial`'s properties on `element_id` as operation `sequence`.
    pub fn new(
        card_id: CardId,
        element_id: ElementId,
        partial: Map<String, Value>,
        sequence: Sequence,
    ) -> Result<Self, CardError> {
        let partial_element = Value::Object(partial_json(partial)?).to_string();
        crate::cardkit::length("partial_element", &partial_element, 1, 1_000_000)?;
        Ok(Self {
            card_id,
            element_id,
            partial_element,
            uuid: None,
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
    PatchCardElement => () {
        id: "cardkit.v1.card_element.patch",
        method: PATCH,
        path: "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id",
        tokens: [Tenant],
        params: [card_id, element_id],
        body: json,
        shape: unit,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/cardkit-v1/card-element/patch",
    }
}
