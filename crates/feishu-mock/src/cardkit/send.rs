//! A card entity sent as a message or a reply: `msg_type: "interactive"`,
//! content `{"type":"card","data":{"card_id":"…"}}`. The entity must be the
//! app's, alive, and not sent before; the message is stored as any other.

use serde_json::Value;

use crate::im::error::ImError;
use crate::state::Shared;

/// The card entity `content` names, if it is a card entity message.
fn entity(msg_type: &str, content: &str) -> Option<String> {
    if msg_type != "interactive" {
        return None;
    }
    let content: Value = serde_json::from_str(content).ok()?;
    if content["type"] != "card" {
        return None;
    }
    Some(
        content["data"]["card_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Stores a message with `send`, checking first the card entity its
/// content names, if any, and binding it to the message after. A repeat
/// of the send (same `uuid`) gets the same message back.
pub(crate) fn send_entity(
    shared: &Shared,
    app_id: &str,
    msg_type: &str,
    content: &str,
    uuid: Option<&str>,
    send: impl FnOnce() -> Result<Value, ImError>,
) -> Result<Value, ImError> {
    let Some(card_id) = entity(msg_type, content) else {
        return send();
    };
    // Cards are locked before messages, never after.
    let mut cards = shared.cards();
    cards
        .check_send(&card_id, app_id, uuid, super::request::now(shared))
        .map_err(|e| ImError::invalid("content", e))?;
    let message = send()?;
    if let Some(message_id) = message["message_id"].as_str() {
        cards.sent(&card_id, message_id, uuid.map(str::to_owned));
    }
    Ok(message)
}
