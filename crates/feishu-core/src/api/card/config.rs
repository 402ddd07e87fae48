//! `config` and `card_link`: how the whole card behaves.
//! Docs: <https://open.feishu.cn/document/feishu-cards/card-json-v2-structure>

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// The card's `config`. Every field is left out unless set, so a `Config`
/// also serves as the partial config of
/// [`UpdateCardSettings`](crate::cardkit::card::UpdateCardSettings).
///
/// ```
/// use feishu_core::card::{Config, WidthMode};
///
/// let config = Config::new().streaming_mode(true).summary("[Generating]").width_mode(WidthMode::Fill);
/// assert_eq!(
///     serde_json::to_value(&config)?,
///     serde_json::json!({"streaming_mode": true, "summary": {"content": "[Generating]"}, "width_mode": "fill"}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Config {
    #[serde(skip_serializing_if = "Option::is_none")]
    streaming_mode: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    streaming_config: Option<StreamingConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enable_forward: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    update_multi: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width_mode: Option<WidthMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enable_forward_interaction: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    style: Option<Value>,
}

impl Config {
    /// An empty config: Feishu's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether nothing is set (the card then leaves `config` out).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Declares `update_multi: true`. Card JSON 2.0 cards are always shared,
    /// but a card patched through `PATCH /im/v1/messages/:id` must say so;
    /// `false` is not offered, since 2.0 refuses it.
    pub fn update_multi(mut self) -> Self {
        self.update_multi = Some(true);
        self
    }

    /// Whether the card is streamed (by [`CardStream`](crate::cardkit::stream::CardStream)).
    pub fn is_streaming(&self) -> bool {
        self.streaming_mode == Some(true)
    }

    setters! {
        /// `streaming_mode`: text elements may be streamed into with
        /// [`StreamElementContent`](crate::cardkit::card_element::StreamElementContent).
        streaming_mode: bool,
        /// `streaming_config`: how clients type streamed text out.
        streaming_config: StreamingConfig,
        /// `summary`: the chat-list preview (while streaming, `[Generating...]`
        /// by default).
        summary: Summary,
        /// `enable_forward`: whether the card may be forwarded.
        enable_forward: bool,
        /// `width_mode`.
        width_mode: WidthMode,
        /// `enable_forward_interaction`: whether a forwarded card stays interactive.
        enable_forward_interaction: bool,
        /// `style`: custom text sizes and colours, as raw JSON.
        style: Value,
    }
}

/// The chat-list preview text of a card.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    content: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    i18n_content: BTreeMap<String, String>,
}

impl Summary {
    /// A summary reading `content`.
    pub fn new(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            i18n_content: BTreeMap::new(),
        }
    }

    /// The summary in one locale (`zh_cn`, `en_us`, `ja_jp`, …).
    pub fn i18n(mut self, locale: impl Into<String>, content: impl Into<String>) -> Self {
        self.i18n_content.insert(locale.into(), content.into());
        self
    }
}

impl From<&str> for Summary {
    fn from(content: &str) -> Self {
        Self::new(content)
    }
}

impl From<String> for Summary {
    fn from(content: String) -> Self {
        Self::new(content)
    }
}

/// `width_mode`: the card's width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WidthMode {
    /// `default`: at most 600 px.
    Default,
    /// `compact`: 400 px.
    Compact,
    /// `fill`: the chat window's width.
    Fill,
}

/// `config.streaming_config`: how clients type streamed text out (Feishu
/// 7.23 and later; earlier clients use their defaults).
///
/// ```
/// use feishu_core::card::{PerPlatform, PrintStrategy, StreamingConfig};
///
/// let config = StreamingConfig::new()
///     .print_frequency_ms(PerPlatform::all(70))
///     .print_step(PerPlatform::new(1))
///     .print_strategy(PrintStrategy::Fast);
/// assert_eq!(
///     serde_json::to_value(&config)?,
///     serde_json::json!({
///         "print_frequency_ms": {"default": 70, "android": 70, "ios": 70, "pc": 70},
///         "print_step": {"default": 1},
///         "print_strategy": "fast",
///     }),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StreamingConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    print_frequency_ms: Option<PerPlatform>,
    #[serde(skip_serializing_if = "Option::is_none")]
    print_step: Option<PerPlatform>,
    #[serde(skip_serializing_if = "Option::is_none")]
    print_strategy: Option<PrintStrategy>,
}

impl StreamingConfig {
    /// Clients' defaults (70 ms, 1 character, `fast`).
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// `print_frequency_ms`: the pause between two typed steps.
        print_frequency_ms: PerPlatform,
        /// `print_step`: characters typed per step.
        print_step: PerPlatform,
        /// `print_strategy`.
        print_strategy: PrintStrategy,
    }
}

/// A number for every client, with per-platform overrides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PerPlatform {
    default: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    android: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ios: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pc: Option<u32>,
}

impl PerPlatform {
    /// `default` only.
    pub fn new(default: u32) -> Self {
        Self {
            default,
            android: None,
            ios: None,
            pc: None,
        }
    }

    /// The same value for `default` and each platform, spelled out.
    pub fn all(value: u32) -> Self {
        Self {
            default: value,
            android: Some(value),
            ios: Some(value),
            pc: Some(value),
        }
    }

    setters! {
        /// The Android value.
        android = u32,
        /// The iOS value.
        ios = u32,
        /// The desktop value.
        pc = u32,
    }
}

/// What a client does with text it has not typed out yet when new text
/// arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PrintStrategy {
    /// `fast`: show the rest at once, then type the new text.
    Fast,
    /// `delay`: type the rest, then the new text.
    Delay,
}

/// Where a click on the whole card (or a column) leads: `card_link`, and a
/// column's `action.multi_url`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CardLink {
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    android_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ios_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pc_url: Option<String>,
}

impl CardLink {
    /// A link for every platform.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: Some(url.into()),
            ..Self::default()
        }
    }

    setters! {
        /// The Android link (`lark://msgcard/unsupported_action` to disable).
        android_url: String,
        /// The iOS link.
        ios_url: String,
        /// The desktop link.
        pc_url: String,
    }
}
