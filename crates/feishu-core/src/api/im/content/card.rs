//! Cards (`msg_type` `interactive`) and system messages (`msg_type` `system`).

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// A card (`msg_type` `interactive`), in one of the three forms Feishu takes.
///
/// A card that will be updated later (`PATCH`) needs
/// `"config":{"update_multi":true}` in its JSON.
///
/// ```
/// use feishu_core::im::content::{Card, MessageContent};
///
/// let variables = serde_json::json!({"name": "Tom"});
/// let card = Card::template("ctp_AAxxxx", variables.as_object().cloned().unwrap_or_default());
/// assert_eq!(
///     MessageContent::Interactive(card).to_content_string()?,
///     r#"{"type":"template","data":{"template_id":"ctp_AAxxxx","template_variable":{"name":"Tom"}}}"#,
/// );
/// # Ok::<(), feishu_core::InvalidRequest>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Card {
    /// The full card JSON (`config`, `header`, `elements`, …), sent as is.
    Raw(Value),
    /// A card built in the card builder: `{"type":"template","data":{…}}`.
    Template {
        /// The template, `ctp_…`.
        template_id: String,
        /// The values of the template's variables; left out when empty.
        template_variable: Map<String, Value>,
    },
    /// A card entity created beforehand: `{"type":"card","data":{"card_id":…}}`
    /// (this form is unconfirmed).
    Entity {
        /// The card entity's id.
        card_id: String,
    },
}

impl Card {
    /// The full card JSON, sent as is.
    pub fn raw(card: Value) -> Self {
        Self::Raw(card)
    }

    /// A card-builder template with its variables.
    pub fn template(template_id: impl Into<String>, template_variable: Map<String, Value>) -> Self {
        Self::Template {
            template_id: template_id.into(),
            template_variable,
        }
    }

    /// A card entity, by id.
    pub fn entity(card_id: impl Into<String>) -> Self {
        Self::Entity {
            card_id: card_id.into(),
        }
    }

    /// Why Feishu would refuse this card, if it would.
    pub(crate) fn validate(&self) -> Result<(), &'static str> {
        match self {
            Self::Raw(card) if !card.is_object() => Err("a card must be a JSON object"),
            _ => Ok(()),
        }
    }
}

/// The wire form of the template and entity cards.
#[derive(Serialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
enum CardWire<'a> {
    Template {
        template_id: &'a str,
        #[serde(skip_serializing_if = "Map::is_empty")]
        template_variable: &'a Map<String, Value>,
    },
    Card {
        card_id: &'a str,
    },
}

impl Serialize for Card {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Raw(card) => card.serialize(serializer),
            Self::Template {
                template_id,
                template_variable,
            } => CardWire::Template {
                template_id,
                template_variable,
            }
            .serialize(serializer),
            Self::Entity { card_id } => CardWire::Card { card_id }.serialize(serializer),
        }
    }
}

/// A system message (`msg_type` `system`): a divider line with text, as
/// bots show between conversations.
///
/// **Unconfirmed:** this schema is taken from one sample, not from a
/// specification; Feishu may want other fields.
///
/// ```
/// use feishu_core::im::content::{MessageContent, System};
///
/// let divider = System::divider("新会话").i18n("en_US", "New Session").need_rollup(true);
/// let content = MessageContent::System(divider).to_content_string()?;
/// assert!(content.starts_with(r#"{"type":"divider","params":{"divider_text":{"text":"新会话""#));
/// # Ok::<(), feishu_core::InvalidRequest>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct System {
    /// The divider's text.
    pub divider_text: String,
    /// The divider's text by locale (`zh_CN`, `en_US`, …); left out when empty.
    pub i18n_text: BTreeMap<String, String>,
    /// `options.need_rollup`; the `options` object is left out when `None`.
    pub need_rollup: Option<bool>,
}

impl System {
    /// A divider showing `text`.
    pub fn divider(text: impl Into<String>) -> Self {
        Self {
            divider_text: text.into(),
            ..Self::default()
        }
    }

    /// Sets the divider's text in one locale, e.g. `en_US`.
    pub fn i18n(mut self, locale: impl Into<String>, text: impl Into<String>) -> Self {
        self.i18n_text.insert(locale.into(), text.into());
        self
    }

    /// Sets `options.need_rollup`.
    pub fn need_rollup(mut self, need_rollup: bool) -> Self {
        self.need_rollup = Some(need_rollup);
        self
    }
}

#[derive(Serialize)]
struct SystemWire<'a> {
    r#type: &'static str,
    params: Params<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Options>,
}

#[derive(Serialize)]
struct Params<'a> {
    divider_text: DividerText<'a>,
}

#[derive(Serialize)]
struct DividerText<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    i18n_text: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Options {
    need_rollup: bool,
}

impl Serialize for System {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SystemWire {
            r#type: "divider",
            params: Params {
                divider_text: DividerText {
                    text: &self.divider_text,
                    i18n_text: &self.i18n_text,
                },
            },
            options: self.need_rollup.map(|need_rollup| Options { need_rollup }),
        }
        .serialize(serializer)
    }
}
