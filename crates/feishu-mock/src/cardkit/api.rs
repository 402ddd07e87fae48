//! The CardKit methods of [`MockServer`]: the cards, and card actions.

use serde_json::Value;

use super::action::answered_card;
use super::record::StoredCard;
use crate::events::{DeliveryReport, WebhookTarget};
use crate::server::MockServer;

impl MockServer {
    /// Every card entity created so far, oldest first, with its JSON now
    /// and the history of its writes.
    ///
    /// ```
    /// let server = feishu_mock::MockServer::start();
    /// assert!(server.cards().is_empty());
    /// ```
    pub fn cards(&self) -> Vec<StoredCard> {
        self.shared.cards().cards()
    }

    /// The card entity `card_id`: its JSON now (every write applied), its
    /// last `sequence`, whether it streams, the message it was sent as, and
    /// every operation on it with the time the mock's clock received it
    /// (refused ones with their code).
    pub fn card(&self, card_id: &str) -> Option<StoredCard> {
        self.shared.cards().card(card_id)
    }

    /// The card entity sent as `message_id`.
    pub fn card_of_message(&self, message_id: &str) -> Option<StoredCard> {
        let cards = self.shared.cards();
        let card_id = cards.card_of(message_id)?.to_owned();
        cards.card(&card_id)
    }

    /// A v2 `card.action.trigger` event, as Feishu sends it to the default
    /// self-built app: the user `open_id` clicked a button whose `value` is
    /// `value` on the card in `message_id`; `token` is the verification
    /// token to embed (`header.token`). Its `event.token` is a fresh
    /// card-update token for `POST /open-apis/interactive/v1/card/update`
    /// (valid 30 minutes, twice). Deliver it with
    /// [`deliver_card_action`](MockServer::deliver_card_action).
    ///
    /// # Panics
    ///
    /// If `open_id` is not shaped `ou_…`, or `message_id` is no card message.
    pub fn card_action_event(
        &self,
        message_id: &str,
        open_id: &str,
        value: &Value,
        token: &str,
    ) -> Value {
        self.shared
            .card_action_event(message_id, open_id, value, token)
            .unwrap_or_else(|e| panic!("feishu-mock: card_action_event: {e}"))
    }

    /// Delivers a card action `event` as
    /// [`deliver_event`](MockServer::deliver_event) does, then shows the
    /// card the bot answered with, if any (`{"card":{"type":"raw","data":…}}`,
    /// or a bare card in the old protocol), in the event's message: the
    /// card entity it carries is replaced (history `card.callback`), or the
    /// message's card content.
    ///
    /// # Panics
    ///
    /// If `target.url` is not an `http://` URL.
    pub fn deliver_card_action(&self, target: &WebhookTarget, event: &Value) -> DeliveryReport {
        let report = self.deliver_event(target, event);
        let answer = report
            .attempts
            .last()
            .filter(|_| report.delivered)
            .and_then(|attempt| serde_json::from_slice::<Value>(&attempt.body).ok());
        let message_id = event["event"]["context"]["open_message_id"].as_str();
        if let (Some(card), Some(message_id)) =
            (answer.as_ref().and_then(answered_card), message_id)
        {
            // The message was found when the event was built; a recalled
            // one keeps what it showed.
            let _ = self.shared.show_card(message_id, card, "card.callback");
        }
        report
    }
}
