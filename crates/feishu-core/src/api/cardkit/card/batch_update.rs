//! `POST /open-apis/cardkit/v1/cards/:card_id/batch_update`
//!
//! Apply several setting and element changes to a card entity in one operation.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card/batch_update>

use serde::Serialize;
use serde_json::{Map, Value};

use super::CardSettings;
use crate::card::{CardError, Element, ElementId};
use crate::cardkit::card_element::{
    Placement, Position, element_json, elements_json, partial_json,
};
use crate::cardkit::{CardId, Sequence, Uuid};
use crate::endpoint;

/// The longest `actions` string Feishu accepts, in characters.
const MAX_ACTIONS_CHARS: usize = 1_000_000;

/// One change of a [`BatchUpdateCard`], checked when it is made.
///
/// ```
/// use feishu_core::card::{ElementId, Markdown};
/// use feishu_core::cardkit::card::BatchAction;
/// use feishu_core::cardkit::card_element::Position;
///
/// let add = BatchAction::add(Position::After(ElementId::new("answer")?), [Markdown::new("Sources: …").into()])?;
/// assert_eq!(serde_json::to_value(&add)?["params"]["type"], "insert_after");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BatchAction(Action);

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", content = "params", rename_all = "snake_case")]
enum Action {
    PartialUpdateSetting {
        settings: CardSettings,
    },
    AddElements {
        #[serde(flatten)]
        placement: Placement,
        elements: Vec<Value>,
    },
    DeleteElements {
        element_ids: Vec<ElementId>,
    },
    PartialUpdateElement {
        element_id: ElementId,
        partial_element: Map<String, Value>,
    },
    UpdateElement {
        element_id: ElementId,
        element: Value,
    },
}

impl BatchAction {
    /// `partial_update_setting`: changes the card's settings.
    pub fn settings(settings: CardSettings) -> Self {
        Self(Action::PartialUpdateSetting { settings })
    }

    /// `add_elements`: inserts components at `position`.
    pub fn add(
        position: Position,
        elements: impl IntoIterator<Item = Element>,
    ) -> Result<Self, CardError> {
        Ok(Self(Action::AddElements {
            placement: position.placement(),
            elements: elements_json(elements)?,
        }))
    }

    /// `delete_elements`: removes components (a container with its contents).
    pub fn delete(element_ids: impl IntoIterator<Item = ElementId>) -> Self {
        Self(Action::DeleteElements {
            element_ids: element_ids.into_iter().collect(),
        })
    }

    /// `partial_update_element`: changes some properties of a component
    /// (not its `tag`).
    pub fn patch(element_id: ElementId, partial: Map<String, Value>) -> Result<Self, CardError> {
        Ok(Self(Action::PartialUpdateElement {
            element_id,
            partial_element: partial_json(partial)?,
        }))
    }

    /// `update_element`: replaces a component.
    pub fn replace(element_id: ElementId, element: impl Into<Element>) -> Result<Self, CardError> {
        Ok(Self(Action::UpdateElement {
            element_id,
            element: element_json(element.into())?,
        }))
    }
}

/// `POST /open-apis/cardkit/v1/cards/:card_id/batch_update`: applies
/// several changes as one operation (one `sequence`).
///
/// ```
/// use feishu_core::card::ElementId;
/// use feishu_core::cardkit::{CardId, Sequence, card::{BatchAction, BatchUpdateCard}};
///
/// let batch = BatchUpdateCard::new(
///     CardId::new("7355439197428236291")?,
///     &[BatchAction::delete([ElementId::new("stop_button")?])],
///     Sequence::new(30)?,
/// )?;
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &batch, Some(&"t-x".into()))?;
/// let body: serde_json::Value = serde_json::from_slice(request.body())?;
/// assert_eq!(body["actions"], r#"[{"action":"delete_elements","params":{"element_ids":["stop_button"]}}]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct BatchUpdateCard {
    #[serde(skip)]
    card_id: CardId,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
    sequence: Sequence,
    actions: String,
}

impl BatchUpdateCard {
    /// Applies `actions` to `card_id` as operation `sequence`; refused when
    /// there are none or they are over 1,000,000 characters of JSON.
    pub fn new(
        card_id: CardId,
        actions: &[BatchAction],
        sequence: Sequence,
    ) -> Result<Self, CardError> {
        if actions.is_empty() {
            return Err(CardError::Length {
                field: "actions",
                len: 0,
                min: 1,
                max: MAX_ACTIONS_CHARS,
            });
        }
        let actions = serde_json::to_string(actions).map_err(|_| CardError::Malformed {
            path: "actions".to_owned(),
            reason: "the actions could not be serialised",
        })?;
        crate::cardkit::length("actions", &actions, 1, MAX_ACTIONS_CHARS)?;
        Ok(Self {
            card_id,
            uuid: None,
            sequence,
            actions,
        })
    }

    /// Sets the idempotency key (a call sets a fresh one otherwise).
    pub fn uuid(mut self, uuid: Uuid) -> Self {
        self.uuid = Some(uuid.into_string());
        self
    }
}

endpoint! {
    BatchUpdateCard => () {
        id: "cardkit.v1.card.batch_update",
        method: POST,
        path: "/open-apis/cardkit/v1/cards/:card_id/batch_update",
        tokens: [Tenant],
        params: [card_id],
        body: json,
        shape: unit,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/cardkit-v1/card/batch_update",
    }
}
