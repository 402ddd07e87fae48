//! Card entities: create, configure, update whole or in part, and find the
//! card behind a message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/cardkit-v1/feishu-card-resource-overview>

mod batch_update;
mod create;
mod id_convert;
mod settings;
mod update;

pub use batch_update::{BatchAction, BatchUpdateCard};
pub use create::CreateCard;
pub use id_convert::IdConvertCard;
pub use settings::UpdateCardSettings;
pub use update::UpdateCard;

use serde::{Deserialize, Serialize};

use crate::card::{CardError, CardLink, Config, validate};
use crate::cardkit::CardId;

/// A card entity, as CardKit returns it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct CardEntity {
    /// The card entity's id.
    pub card_id: CardId,
}

/// A card's settings: its `config` and `card_link`, each left out unless
/// set. Only the fields given change.
///
/// ```
/// use feishu_core::card::Config;
/// use feishu_core::cardkit::card::CardSettings;
///
/// let close = CardSettings::config(Config::new().streaming_mode(false));
/// assert_eq!(serde_json::to_string(&close)?, r#"{"config":{"streaming_mode":false}}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CardSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<Config>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_link: Option<CardLink>,
}

impl CardSettings {
    /// Settings that change the `config` (only its fields that are set).
    pub fn config(config: Config) -> Self {
        Self {
            config: Some(config),
            card_link: None,
        }
    }

    /// Settings that change the `card_link`.
    pub fn card_link(card_link: CardLink) -> Self {
        Self {
            config: None,
            card_link: Some(card_link),
        }
    }

    /// Also changes the `card_link`.
    pub fn with_card_link(mut self, card_link: CardLink) -> Self {
        self.card_link = Some(card_link);
        self
    }

    /// The settings as the JSON string CardKit takes, checked.
    fn to_checked_string(&self, max_chars: usize) -> Result<String, CardError> {
        let value = serde_json::to_value(self).map_err(|_| CardError::Malformed {
            path: "settings".to_owned(),
            reason: "the settings could not be serialised",
        })?;
        if let Some(config) = value.get("config") {
            validate::config_(config)?;
        }
        let settings = value.to_string();
        super::length("settings", &settings, 1, max_chars)?;
        Ok(settings)
    }
}
