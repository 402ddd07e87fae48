//! A card entity's components: insert, replace, patch, delete, and stream
//! text into.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/cardkit-v1/feishu-card-resource-overview>

mod content;
mod create;
mod delete;
mod patch;
mod update;

pub use content::StreamElementContent;
pub use create::CreateCardElement;
pub use delete::DeleteCardElement;
pub use patch::PatchCardElement;
pub use update::UpdateCardElement;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::card::{CardError, Element, ElementId, validate};

/// Where inserted components go.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Position {
    /// `append`: at the end of the card's body.
    Append,
    /// `append` with a target: at the end of this container.
    AppendTo(ElementId),
    /// `insert_before` this component.
    Before(ElementId),
    /// `insert_after` this component.
    After(ElementId),
}

impl Position {
    pub(crate) fn placement(self) -> Placement {
        let (kind, target) = match self {
            Position::Append => ("append", None),
            Position::AppendTo(target) => ("append", Some(target)),
            Position::Before(target) => ("insert_before", Some(target)),
            Position::After(target) => ("insert_after", Some(target)),
        };
        Placement {
            kind,
            target_element_id: target,
        }
    }
}

/// A [`Position`] on the wire: `type` and `target_element_id`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Placement {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_element_id: Option<ElementId>,
}

/// Components as JSON, checked by the card rules (ids, names, limits).
pub(crate) fn elements_json(
    elements: impl IntoIterator<Item = Element>,
) -> Result<Vec<Value>, CardError> {
    let elements = elements
        .into_iter()
        .map(to_value)
        .collect::<Result<Vec<_>, _>>()?;
    if elements.is_empty() {
        return Err(CardError::Length {
            field: "elements",
            len: 0,
            min: 1,
            max: validate::MAX_ELEMENTS,
        });
    }
    validate::elements(&Value::Array(elements.clone()))?;
    Ok(elements)
}

/// One component as JSON, checked.
pub(crate) fn element_json(element: Element) -> Result<Value, CardError> {
    let value = to_value(element)?;
    validate::elements(&Value::Array(vec![value.clone()]))?;
    Ok(value)
}

/// A partial component: no `tag`, and a valid `element_id` if it renames.
pub(crate) fn partial_json(partial: Map<String, Value>) -> Result<Map<String, Value>, CardError> {
    if partial.contains_key("tag") {
        return Err(CardError::PatchesTag);
    }
    if let Some(element_id) = partial.get("element_id") {
        let element_id = element_id
            .as_str()
            .ok_or_else(|| CardError::InvalidElementId {
                id: element_id.to_string(),
                reason: "it is not a string",
            })?;
        ElementId::new(element_id)?;
    }
    Ok(partial)
}

fn to_value(element: Element) -> Result<Value, CardError> {
    serde_json::to_value(element).map_err(|_| CardError::Malformed {
        path: "elements".to_owned(),
        reason: "a component could not be serialised",
    })
}
