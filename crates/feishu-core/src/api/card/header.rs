//! The card's title bar: title, subtitle, tags, colour and icon.
//! Docs: <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/title>

use serde::Serialize;

use super::{Icon, Text};

/// The title bar's colour theme, one of the documented set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Template {
    /// `blue`.
    Blue,
    /// `wathet`.
    Wathet,
    /// `turquoise`.
    Turquoise,
    /// `green`.
    Green,
    /// `yellow`.
    Yellow,
    /// `orange`.
    Orange,
    /// `red`.
    Red,
    /// `carmine`.
    Carmine,
    /// `violet`.
    Violet,
    /// `purple`.
    Purple,
    /// `indigo`.
    Indigo,
    /// `grey`.
    Grey,
    /// `default`.
    Default,
}

impl Template {
    /// Every documented colour's name, as Feishu spells it.
    pub const NAMES: [&'static str; 13] = [
        "blue",
        "wathet",
        "turquoise",
        "green",
        "yellow",
        "orange",
        "red",
        "carmine",
        "violet",
        "purple",
        "indigo",
        "grey",
        "default",
    ];
}

/// A header tag's colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TagColor {
    /// `neutral`.
    Neutral,
    /// `blue`.
    Blue,
    /// `turquoise`.
    Turquoise,
    /// `lime`.
    Lime,
    /// `orange`.
    Orange,
    /// `violet`.
    Violet,
    /// `indigo`.
    Indigo,
    /// `wathet`.
    Wathet,
    /// `green`.
    Green,
    /// `yellow`.
    Yellow,
    /// `red`.
    Red,
    /// `purple`.
    Purple,
    /// `carmine`.
    Carmine,
}

/// A suffix tag after the title (a header shows at most three).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "tag", rename = "text_tag")]
pub struct HeaderTag {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<TagColor>,
}

impl HeaderTag {
    /// A tag reading `text`.
    pub fn new(text: impl Into<Text>) -> Self {
        Self {
            element_id: None,
            text: text.into(),
            color: None,
        }
    }

    setters! {
        /// The `element_id`, checked when the card is built.
        element_id as id: String,
        /// The colour (blue by default).
        color: TagColor,
    }
}

/// The card's title bar.
///
/// ```
/// use feishu_core::card::{Header, HeaderTag, TagColor, Template};
///
/// let header = Header::new("Deploy finished").subtitle("prod").template(Template::Green)
///     .tag(HeaderTag::new("v1.2").color(TagColor::Blue));
/// assert_eq!(serde_json::to_value(&header)?["template"], "green");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Header {
    title: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtitle: Option<Text>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    text_tag_list: Vec<HeaderTag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<Template>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<Icon>,
    #[serde(skip_serializing_if = "Option::is_none")]
    padding: Option<String>,
}

impl Header {
    /// A header with this title (`plain_text` when given a string; pass a
    /// [`Text::lark_md`] for Markdown).
    pub fn new(title: impl Into<Text>) -> Self {
        Self {
            title: title.into(),
            subtitle: None,
            text_tag_list: Vec::new(),
            template: None,
            icon: None,
            padding: None,
        }
    }

    /// Adds a suffix tag.
    pub fn tag(mut self, tag: HeaderTag) -> Self {
        self.text_tag_list.push(tag);
        self
    }

    setters! {
        /// The subtitle (one line).
        subtitle: Text,
        /// The colour theme.
        template: Template,
        /// The prefix icon.
        icon: Icon,
        /// The padding, e.g. `12px`.
        padding: String,
    }
}
