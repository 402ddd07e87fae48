//! Card actions as Feishu delivers them (`card.action.trigger`), with the
//! card-update token they carry, and the cards their answers and delayed
//! updates put in the message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication>

use serde_json::{Value, json};

use super::request;
use crate::actions::ActionError;
use crate::ids::{check_open_id, union_id, user_id};
use crate::state::{SELF_BUILT_TENANT_KEY, Shared};

impl Shared {
    /// A v2 `card.action.trigger` event: `open_id` clicked a component of
    /// the card in `message_id` whose `value` is `value`. Its `event.token`
    /// is a fresh card-update token for that message (30 minutes, two uses).
    pub(crate) fn card_action_event(
        &self,
        message_id: &str,
        open_id: &str,
        value: &Value,
        token: &str,
    ) -> Result<Value, ActionError> {
        check_open_id(open_id).map_err(ActionError::Invalid)?;
        let (chat_id, app_id, msg_type) = {
            let messages = self.messages();
            let message = messages
                .message(message_id)
                .ok_or_else(|| ActionError::NotFound(format!("no message {message_id:?}")))?;
            (
                message.record.chat_id.clone(),
                message.record.sender_id.clone(),
                message.record.msg_type.clone(),
            )
        };
        if msg_type != "interactive" {
            return Err(ActionError::Invalid(format!(
                "message {message_id} is not a card"
            )));
        }
        let now = request::now(self);
        let update_token = self.ids.token("c-");
        self.cards()
            .issue_token(update_token.clone(), message_id, now);
        let create_time = now
            .wall
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
            .to_string();
        Ok(json!({
            "schema": "2.0",
            "header": {
                "event_id": self.events.random.hex32(),
                "event_type": "card.action.trigger",
                "create_time": create_time,
                "token": token,
                "app_id": app_id,
                "tenant_key": SELF_BUILT_TENANT_KEY,
            },
            "event": {
                "operator": {
                    "tenant_key": SELF_BUILT_TENANT_KEY,
                    "user_id": user_id(open_id),
                    "open_id": open_id,
                    "union_id": union_id(open_id),
                },
                "token": update_token,
                "action": { "tag": "button", "value": value },
                "host": "im_message",
                "delivery_type": "card",
                "context": { "open_message_id": message_id, "open_chat_id": chat_id },
            },
        }))
    }

    /// Shows `card` in `message_id`, as a callback answer or a delayed
    /// update does: the card entity it carries is replaced (history
    /// `operation`), or else the message's card content.
    pub(crate) fn show_card(
        &self,
        message_id: &str,
        card: Value,
        operation: &'static str,
    ) -> Result<(), ActionError> {
        let now = request::now(self);
        if self
            .cards()
            .replace_shown(message_id, card.clone(), operation, now)
        {
            return Ok(());
        }
        let mut messages = self.messages();
        let app_id = messages
            .message(message_id)
            .map(|m| m.record.sender_id.clone())
            .ok_or_else(|| ActionError::NotFound(format!("no message {message_id:?}")))?;
        messages
            .patch_card(message_id, &app_id, &card.to_string(), self.moment())
            .map_err(|e| ActionError::Invalid(format!("{e:?}")))
    }
}

/// The card a card action's answer sets: `{"card": {"type": "raw", "data":
/// card}}` (new protocol) or a bare card with `schema` or `elements` (old);
/// `None` for a toast or `{}`.
pub(crate) fn answered_card(answer: &Value) -> Option<Value> {
    match &answer["card"] {
        Value::Object(card) if card.get("type").and_then(Value::as_str) == Some("raw") => {
            card.get("data").cloned()
        }
        Value::Null if answer.get("schema").is_some() || answer.get("elements").is_some() => {
            Some(answer.clone())
        }
        _ => None,
    }
}
