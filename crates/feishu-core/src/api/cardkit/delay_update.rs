//! `POST /open-apis/interactive/v1/card/update`
//!
//! Update a card after answering its callback, with the callback's token.
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/uMDO1YjLzgTN24yM4UjN>

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::card::{CardError, CardJson, MAX_CARD_BYTES};
use crate::{Body, InvalidRequest, Secret, endpoint};

/// How long a callback's card-update token is good for.
pub const DELAY_UPDATE_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// How many delayed updates one token allows.
pub const DELAY_UPDATE_TOKEN_USES: u32 = 2;

/// `POST /open-apis/interactive/v1/card/update`: replaces the card a user
/// interacted with, using the `token` (`c-…`) of the callback.
///
/// Call it only **after** answering the callback (within 3 s): sent before
/// or alongside the answer, the update is lost or undone. The token works
/// for [30 minutes](DELAY_UPDATE_TOKEN_LIFETIME) and
/// [twice](DELAY_UPDATE_TOKEN_USES); the card is at most 30 KB. Not
/// repeated on a lost answer, since each try spends a use of the token. The
/// token is a [`Secret`]: `Debug` shows `***`.
///
/// ```
/// use feishu_core::card::factory;
/// use feishu_core::cardkit::DelayUpdateCard;
///
/// let card = factory::text("Approved", "Approved by **Tom**").build()?;
/// let update = DelayUpdateCard::new("c-295ee57216a5dc9de90fefd0aadb4b1d7d", &card);
/// assert!(!format!("{update:?}").contains("c-295e"));
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &update, Some(&"t-x".into()))?;
/// let body: serde_json::Value = serde_json::from_slice(request.body())?;
/// assert_eq!(body["token"], "c-295ee57216a5dc9de90fefd0aadb4b1d7d");
/// assert_eq!(body["card"]["schema"], "2.0");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct DelayUpdateCard {
    #[serde(serialize_with = "crate::secret::expose")]
    token: Secret,
    card: Value,
}

impl DelayUpdateCard {
    /// Replaces the card with `card`.
    pub fn new(token: impl Into<Secret>, card: &CardJson) -> Self {
        Self {
            token: token.into(),
            card: card.as_value().clone(),
        }
    }

    /// Replaces the card with JSON not in Card JSON 2.0 (a 1.0 card, with
    /// its `open_ids`); it must be an object of at most 30 KB.
    pub fn raw(token: impl Into<Secret>, card: Value) -> Result<Self, CardError> {
        if !card.is_object() {
            return Err(CardError::Malformed {
                path: String::new(),
                reason: "a card is a JSON object",
            });
        }
        let size = card.to_string().len();
        if size > MAX_CARD_BYTES {
            return Err(CardError::TooLarge {
                size,
                limit: MAX_CARD_BYTES,
            });
        }
        Ok(Self {
            token: token.into(),
            card,
        })
    }
}

endpoint! {
    DelayUpdateCard => () {
        id: "interactive.v1.card.update",
        method: POST,
        path: "/open-apis/interactive/v1/card/update",
        tokens: [Tenant],
        body: json(|update: &DelayUpdateCard| {
            if update.token.expose().is_empty() {
                return Err(InvalidRequest::empty("token"));
            }
            Body::json(update)
        }),
        shape: unit,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uMDO1YjLzgTN24yM4UjN",
    }
}
