//! The pieces components are made of: text objects, icons, alignments.

use serde::Serialize;

/// How a text object's `content` is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TextTag {
    /// `plain_text`: shown as written.
    PlainText,
    /// `lark_md`: a subset of Markdown (titles, plain text components).
    LarkMd,
    /// `markdown`: full Markdown (collapsible panel titles).
    Markdown,
}

/// A text object: `{"tag": "plain_text", "content": "…"}`, with optional
/// style. `&str` and `String` convert into a `plain_text` one.
///
/// ```
/// use feishu_core::card::{HorizontalAlign, Text};
///
/// let text = Text::plain("Hello").size("normal").align(HorizontalAlign::Center);
/// assert_eq!(
///     serde_json::to_value(&text)?,
///     serde_json::json!({"tag": "plain_text", "content": "Hello", "text_size": "normal", "text_align": "center"}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Text {
    tag: TextTag,
    content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_align: Option<HorizontalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<u32>,
}

impl Text {
    /// A text of this kind.
    pub fn new(tag: TextTag, content: impl Into<String>) -> Self {
        Self {
            tag,
            content: content.into(),
            text_size: None,
            text_align: None,
            text_color: None,
            lines: None,
        }
    }

    /// `plain_text`.
    pub fn plain(content: impl Into<String>) -> Self {
        Self::new(TextTag::PlainText, content)
    }

    /// `lark_md`.
    pub fn lark_md(content: impl Into<String>) -> Self {
        Self::new(TextTag::LarkMd, content)
    }

    /// `markdown`.
    pub fn markdown(content: impl Into<String>) -> Self {
        Self::new(TextTag::Markdown, content)
    }

    /// The content.
    pub fn content(&self) -> &str {
        &self.content
    }

    setters! {
        /// `text_size`: `normal`, `heading`, `notation`, `heading-1`…, or a
        /// custom size from `config.style`.
        text_size as size: String,
        /// `text_align`.
        text_align as align: HorizontalAlign,
        /// `text_color`: `default`, a colour name or a custom colour.
        text_color as color: String,
        /// `lines`: the most lines shown before `…`.
        lines = u32,
    }
}

impl From<&str> for Text {
    fn from(content: &str) -> Self {
        Self::plain(content)
    }
}

impl From<String> for Text {
    fn from(content: String) -> Self {
        Self::plain(content)
    }
}

/// Where an icon comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum IconTag {
    StandardIcon,
    CustomIcon,
}

/// A prefix icon: one of Feishu's icon library, or an uploaded image.
///
/// ```
/// use feishu_core::card::Icon;
///
/// let icon = Icon::standard("chat-forbidden_outlined").color("orange");
/// assert_eq!(
///     serde_json::to_value(&icon)?,
///     serde_json::json!({"tag": "standard_icon", "token": "chat-forbidden_outlined", "color": "orange"}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Icon {
    tag: IconTag,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    img_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<String>,
}

impl Icon {
    /// An icon of the icon library, by token (`chat_outlined`, …).
    pub fn standard(token: impl Into<String>) -> Self {
        Self {
            tag: IconTag::StandardIcon,
            token: Some(token.into()),
            color: None,
            img_key: None,
            size: None,
        }
    }

    /// An uploaded image as the icon, by `img_key`.
    pub fn custom(img_key: impl Into<String>) -> Self {
        Self {
            tag: IconTag::CustomIcon,
            token: None,
            color: None,
            img_key: Some(img_key.into()),
            size: None,
        }
    }

    setters! {
        /// `color` of a library icon.
        color: String,
        /// `size`, e.g. `16px 16px` (collapsible panel headers).
        size: String,
    }
}

/// Horizontal alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HorizontalAlign {
    /// `left`.
    Left,
    /// `center`.
    Center,
    /// `right`.
    Right,
}

/// Vertical alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum VerticalAlign {
    /// `top`.
    Top,
    /// `center`.
    Center,
    /// `bottom`.
    Bottom,
}

/// How a container lays out its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Direction {
    /// `vertical`.
    Vertical,
    /// `horizontal`.
    Horizontal,
}
