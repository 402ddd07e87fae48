//! `PATCH /open-apis/cardkit/v1/cards/:card_id/settings`
//!
//! Update a card entity's `config` and `card_link`, e.g. to end streaming.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/card/settings>

use serde::Serialize;

use super::CardSettings;
use crate::card::CardError;
use crate::cardkit::{CardId, Sequence, Uuid};
use crate::endpoint;

/// The longest `settings` string Feishu accepts, in characters.
const MAX_SETTINGS_CHARS: usize = 100_000;

/// `PATCH /open-apis/cardkit/v1/cards/:card_id/settings`: changes a card's
/// settings. Ends streaming with `streaming_mode: false`; without it a card
/// keeps streaming for about ten minutes.
///
/// ```
/// use feishu_core::card::Config;
/// use feishu_core::cardkit::{CardId, Sequence, Uuid, card::{CardSettings, UpdateCardSettings}};
///
/// let close = UpdateCardSettings::new(
///     CardId::new("7355372766134157313")?,
///     &CardSettings::config(Config::new().streaming_mode(false)),
///     Sequence::new(12)?,
/// )?
/// .uuid(Uuid::new("a0d69e20-1dd1-458b-k525-dfeca4015204")?);
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &close, Some(&"t-x".into()))?;
/// assert_eq!(request.uri().path(), "/open-apis/cardkit/v1/cards/7355372766134157313/settings");
/// assert_eq!(
///     request.body(),
///     br#"{"settings":"{\"config\":{\"streaming_mode\":false}}","uuid":"a0d69e20-1dd1-458b-k525-dfeca4015204","sequence":12}"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct UpdateCardSettings {
    #[serde(skip)]
    card_id: CardId,
    settings: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
    sequence: Sequence,
}

impl UpdateCardSettings {
    /// Changes `card_id`'s settings as operation `sequence`. Refused when the
    /// settings are over 100,000 characters or set `update_multi: false`.
    pub fn new(
        card_id: CardId,
        settings: &CardSettings,
        sequence: Sequence,
    ) -> Result<Self, CardError> {
        Ok(Self {
            card_id,
            settings: settings.to_checked_string(MAX_SETTINGS_CHARS)?,
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
    UpdateCardSettings => () {
        id: "cardkit.v1.card.settings",
        method: PATCH,
        path: "/open-apis/cardkit/v1/cards/:card_id/settings",
        tokens: [Tenant],
        params: [card_id],
        body: json,
        shape: unit,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/cardkit-v1/card/settings",
    }
}
