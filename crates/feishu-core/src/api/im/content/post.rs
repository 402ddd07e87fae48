//! Rich text (`msg_type` `post`): locales, paragraphs and their elements.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A rich-text message: one [`PostLocale`] per language, keyed by locale
/// (`zh_cn`, `en_us`, `ja_jp`, …). Feishu shows the reader's locale.
///
/// ```
/// use feishu_core::im::content::{MessageContent, Post, PostElement, PostLocale};
///
/// let post = Post::new().locale(
///     "zh_cn",
///     PostLocale::new("Release")
///         .paragraph(vec![
///             PostElement::text("shipped ").bold(),
///             PostElement::link("notes", "https://example.com/notes"),
///             PostElement::at("ou_155184d1e73cbfb8973e5a9e698e74f2"),
///         ])
///         .paragraph(vec![PostElement::image("img_v2_xxx")]),
/// );
/// let content = MessageContent::Post(post).to_content_string()?;
/// assert!(content.starts_with(r#"{"zh_cn":{"title":"Release","content":[[{"tag":"text","#));
/// # Ok::<(), feishu_core::InvalidRequest>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct Post {
    /// The content of each locale, by locale key (e.g. `zh_cn`).
    pub locales: BTreeMap<String, PostLocale>,
}

impl Post {
    /// A post with no locale yet (Feishu needs at least one).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the content of one locale (e.g. `zh_cn`, `en_us`), replacing any
    /// content that locale had.
    pub fn locale(mut self, locale: impl Into<String>, content: PostLocale) -> Self {
        self.locales.insert(locale.into(), content);
        self
    }

    /// Why Feishu would refuse this post, if it would.
    pub(crate) fn validate(&self) -> Result<(), &'static str> {
        if self.locales.is_empty() {
            return Err("a post needs at least one locale");
        }
        let paragraphs = self.locales.values().flat_map(|locale| &locale.content);
        for paragraph in paragraphs {
            let has_image = paragraph
                .iter()
                .any(|element| matches!(element, PostElement::Image { .. }));
            if has_image && paragraph.len() > 1 {
                return Err("an img element must be alone in its paragraph");
            }
        }
        Ok(())
    }
}

/// The title and paragraphs of a post in one locale.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PostLocale {
    /// The title; may be empty (then it is left out).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The paragraphs, each a line of elements.
    #[serde(default)]
    pub content: Vec<Vec<PostElement>>,
}

impl PostLocale {
    /// A locale's content with a title and no paragraph yet.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            content: Vec::new(),
        }
    }

    /// Appends a paragraph. An [`PostElement::Image`] must be alone in its own.
    pub fn paragraph(mut self, elements: Vec<PostElement>) -> Self {
        self.content.push(elements);
        self
    }
}

/// One element of a post paragraph, tagged by `tag` on the wire.
///
/// Elements with a tag this crate does not know, or whose fields do not
/// match their tag, are kept whole as [`PostElement::Unknown`], and are sent
/// back unchanged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "tag")]
#[non_exhaustive]
pub enum PostElement {
    /// `text`: plain text.
    #[serde(rename = "text")]
    Text {
        /// The text.
        text: String,
        /// Whether to unescape HTML entities such as `&nbsp;`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        un_escape: Option<bool>,
        /// Its styles.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        style: Vec<TextStyle>,
    },
    /// `a`: a hyperlink.
    #[serde(rename = "a")]
    Link {
        /// The text shown.
        text: String,
        /// The URL.
        href: String,
        /// Its styles.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        style: Vec<TextStyle>,
    },
    /// `at`: a mention.
    #[serde(rename = "at")]
    At {
        /// An open_id, union_id or user_id, or `all` for everyone. Received
        /// posts carry an `@_user_N` placeholder instead.
        user_id: String,
        /// The name shown; only in received posts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_name: Option<String>,
        /// Its styles.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        style: Vec<TextStyle>,
    },
    /// `img`: an uploaded image. It must be alone in its paragraph.
    #[serde(rename = "img")]
    Image {
        /// The image, `img_…`.
        image_key: String,
    },
    /// `media`: an uploaded video.
    #[serde(rename = "media")]
    Media {
        /// The video file, `file_v2_…`.
        file_key: String,
        /// Its cover image, `img_…`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        image_key: Option<String>,
    },
    /// `emotion`: an emoji, e.g. `SMILE`.
    #[serde(rename = "emotion")]
    Emotion {
        /// The emoji's name, e.g. `SMILE`.
        emoji_type: String,
    },
    /// `hr`: a horizontal rule.
    #[serde(rename = "hr")]
    Hr,
    /// `code_block`: a block of code.
    #[serde(rename = "code_block")]
    CodeBlock {
        /// The language, e.g. `GO`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        /// The code.
        text: String,
    },
    /// `md`: Markdown; send only (it arrives converted into other elements).
    #[serde(rename = "md")]
    Markdown {
        /// The Markdown.
        text: String,
    },
    /// Any other element, as received.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

impl PostElement {
    /// A `text` element.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text {
            text: text.into(),
            un_escape: None,
            style: Vec::new(),
        }
    }

    /// An `a` element: `text` linking to `href`.
    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self::Link {
            text: text.into(),
            href: href.into(),
            style: Vec::new(),
        }
    }

    /// An `at` element mentioning a user (open_id, union_id or user_id).
    pub fn at(user_id: impl Into<String>) -> Self {
        Self::At {
            user_id: user_id.into(),
            user_name: None,
            style: Vec::new(),
        }
    }

    /// An `at` element mentioning everyone in the chat.
    pub fn at_all() -> Self {
        Self::at("all")
    }

    /// An `img` element; put it in a paragraph of its own.
    pub fn image(image_key: impl Into<String>) -> Self {
        Self::Image {
            image_key: image_key.into(),
        }
    }

    /// A `media` element (a video) without a cover.
    pub fn media(file_key: impl Into<String>) -> Self {
        Self::Media {
            file_key: file_key.into(),
            image_key: None,
        }
    }

    /// A `media` element (a video) with a cover image.
    pub fn media_with_cover(file_key: impl Into<String>, image_key: impl Into<String>) -> Self {
        Self::Media {
            file_key: file_key.into(),
            image_key: Some(image_key.into()),
        }
    }

    /// An `emotion` element, e.g. `SMILE`.
    pub fn emotion(emoji_type: impl Into<String>) -> Self {
        Self::Emotion {
            emoji_type: emoji_type.into(),
        }
    }

    /// An `hr` element.
    pub fn hr() -> Self {
        Self::Hr
    }

    /// A `code_block` element in a language, e.g. `GO`.
    pub fn code_block(language: impl Into<String>, text: impl Into<String>) -> Self {
        Self::CodeBlock {
            language: Some(language.into()),
            text: text.into(),
        }
    }

    /// An `md` element.
    pub fn markdown(text: impl Into<String>) -> Self {
        Self::Markdown { text: text.into() }
    }

    /// Adds a style to a `text`, `a` or `at` element; other elements have no
    /// style and are returned unchanged.
    pub fn with_style(mut self, added: TextStyle) -> Self {
        if let Self::Text { style, .. } | Self::Link { style, .. } | Self::At { style, .. } =
            &mut self
            && !style.contains(&added)
        {
            style.push(added);
        }
        self
    }

    /// Adds [`TextStyle::Bold`] (see [`PostElement::with_style`]).
    pub fn bold(self) -> Self {
        self.with_style(TextStyle::Bold)
    }

    /// Adds [`TextStyle::Italic`] (see [`PostElement::with_style`]).
    pub fn italic(self) -> Self {
        self.with_style(TextStyle::Italic)
    }

    /// Adds [`TextStyle::Underline`] (see [`PostElement::with_style`]).
    pub fn underline(self) -> Self {
        self.with_style(TextStyle::Underline)
    }

    /// Adds [`TextStyle::LineThrough`] (see [`PostElement::with_style`]).
    pub fn line_through(self) -> Self {
        self.with_style(TextStyle::LineThrough)
    }
}

/// A text style of a post element.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum TextStyle {
    /// `bold`.
    Bold,
    /// `underline`.
    Underline,
    /// `lineThrough` (strikethrough).
    LineThrough,
    /// `italic`.
    Italic,
    /// Any other style, as received.
    #[serde(untagged)]
    Other(String),
}
