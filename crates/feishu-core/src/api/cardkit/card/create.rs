//! `POST /open-apis/cardkit/v1/cards`
//!
//! Create a card entity from Card JSON 2.0, to send once and update for 14 days.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card/create>

use serde::Serialize;

use super::CardEntity;
use crate::card::CardJson;
use crate::endpoint;

/// `POST /open-apis/cardkit/v1/cards`: creates a card entity.
///
/// The entity lives 14 days and can be sent once, as
/// [`Card::entity`](crate::im::content::Card::entity) content. The card is
/// a checked [`CardJson`], so it is Card JSON 2.0, shared and within 30 KB.
/// Not repeated on a lost answer: a second call would make a second card.
///
/// ```
/// use feishu_core::card::{CardV2, Markdown};
/// use feishu_core::cardkit::card::CreateCard;
///
/// let card = CardV2::new().streaming(true).add(Markdown::new("…").id("answer")).build()?;
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &CreateCard::new(&card), Some(&"t-x".into()))?;
/// let body: serde_json::Value = serde_json::from_slice(request.body())?;
/// assert_eq!(body["type"], "card_json");
/// assert_eq!(body["data"], card.to_json_string());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct CreateCard {
    #[serde(rename = "type")]
    data_type: &'static str,
    data: String,
}

impl CreateCard {
    /// Creates an entity of this card.
    pub fn new(card: &CardJson) -> Self {
        Self {
            data_type: "card_json",
            data: card.to_json_string(),
        }
    }
}

endpoint! {
    CreateCard => CardEntity {
        id: "cardkit.v1.card.create",
        method: POST,
        path: "/open-apis/cardkit/v1/cards",
        tokens: [Tenant],
        body: json,
        shape: data,
        doc: "https://open.feishu.cn/document/cardkit-v1/card/create",
    }
}
