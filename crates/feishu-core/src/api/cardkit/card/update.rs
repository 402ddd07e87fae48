//! `PUT /open-apis/cardkit/v1/cards/:card_id`
//!
//! Replace a card entity's whole JSON.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card/update>

use serde::Serialize;

use crate::card::CardJson;
use crate::cardkit::{CardId, Sequence, Uuid};
use crate::endpoint;

/// `PUT /open-apis/cardkit/v1/cards/:card_id`: replaces the whole card.
///
/// ```
/// use feishu_core::card::{CardV2, Markdown};
/// use feishu_core::cardkit::{CardId, Sequence, card::UpdateCard};
///
/// let card = CardV2::new().title("title").add(Markdown::new("body")).build()?;
/// let update = UpdateCard::new(CardId::new("7355372766134157313")?, &card, Sequence::new(2)?);
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &update, Some(&"t-x".into()))?;
/// let body: serde_json::Value = serde_json::from_slice(request.body())?;
/// assert_eq!(body["card"]["type"], "card_json");
/// assert_eq!(body["sequence"], 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct UpdateCard {
    #[serde(skip)]
    card_id: CardId,
    card: CardData,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
    sequence: Sequence,
}

/// `{"type": "card_json", "data": "<card JSON>"}`.
#[derive(Clone, Debug, Serialize)]
struct CardData {
    #[serde(rename = "type")]
    data_type: &'static str,
    data: String,
}

impl UpdateCard {
    /// Replaces `card_id` with `card` as operation `sequence`.
    pub fn new(card_id: CardId, card: &CardJson, sequence: Sequence) -> Self {
        Self {
            card_id,
            card: CardData {
                data_type: "card_json",
                data: card.to_json_string(),
            },
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
    UpdateCard => () {
        id: "cardkit.v1.card.update",
        method: PUT,
        path: "/open-apis/cardkit/v1/cards/:card_id",
        tokens: [Tenant],
        params: [card_id],
        body: json,
        shape: unit,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/cardkit-v1/card/update",
    }
}
