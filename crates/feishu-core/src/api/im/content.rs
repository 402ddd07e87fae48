//! Typed message content: [`MessageContent`] to send, [`ReceivedContent`] as
//! received.
//!
//! Feishu wants `content` as a **string** of serialized JSON whose shape
//! depends on `msg_type`; what comes back differs from what was sent.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/create_json>

mod card;
mod post;
mod received;

use serde::Serialize;

use crate::InvalidRequest;

pub use card::{Card, System};
pub use post::{Post, PostElement, PostLocale, TextStyle};
pub use received::ReceivedContent;

/// Content to send, one variant per `msg_type`.
///
/// ```
/// use feishu_core::im::content::{MessageContent, Text};
///
/// let hello = MessageContent::text("a\nb");
/// assert_eq!(hello.msg_type(), "text");
/// assert_eq!(hello.to_content_string()?, r#"{"text":"a\nb"}"#);
///
/// let mention = MessageContent::Text(Text::new("ping ").at("ou_155184d1e73cbfb8973e5a9e698e74f2", "Tom"));
/// assert_eq!(
///     mention.to_content_string()?,
///     r#"{"text":"ping <at user_id=\"ou_155184d1e73cbfb8973e5a9e698e74f2\">Tom</at>"}"#,
/// );
/// # Ok::<(), feishu_core::InvalidRequest>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MessageContent {
    /// `text`: `{"text":"…"}`.
    Text(Text),
    /// `post`: rich text in one or more locales.
    Post(Post),
    /// `image`: an uploaded image.
    Image {
        /// The image, `img_…`.
        image_key: String,
    },
    /// `file`: an uploaded file.
    File {
        /// The file, `file_v2_…`.
        file_key: String,
    },
    /// `audio`: an uploaded `opus` file.
    Audio {
        /// The audio file, `file_v2_…`.
        file_key: String,
    },
    /// `media`: an uploaded `mp4` video.
    Media {
        /// The video file, `file_v2_…`.
        file_key: String,
        /// Its cover image, `img_…`.
        image_key: Option<String>,
    },
    /// `sticker`: a sticker the bot has received.
    Sticker {
        /// The sticker's `file_key`, as received.
        file_key: String,
    },
    /// `interactive`: a card.
    Interactive(Card),
    /// `share_chat`: a group card; the bot must be in that chat.
    ShareChat {
        /// The chat, `oc_…`.
        chat_id: String,
    },
    /// `share_user`: a contact card.
    ShareUser {
        /// The user's open_id (no other id type).
        user_id: String,
    },
    /// `system`: a divider (schema unconfirmed).
    System(System),
}

impl MessageContent {
    /// A `text` message.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(Text::new(text))
    }

    /// The `msg_type` Feishu wants beside this content.
    pub fn msg_type(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Post(_) => "post",
            Self::Image { .. } => "image",
            Self::File { .. } => "file",
            Self::Audio { .. } => "audio",
            Self::Media { .. } => "media",
            Self::Sticker { .. } => "sticker",
            Self::Interactive(_) => "interactive",
            Self::ShareChat { .. } => "share_chat",
            Self::ShareUser { .. } => "share_user",
            Self::System(_) => "system",
        }
    }

    /// The `content` string: the content serialized as JSON, to be put in
    /// the request body as a string.
    ///
    /// Refuses (an [`InvalidRequest::InvalidField`] of `content`) what Feishu would refuse:
    /// a post without a locale, an `img` sharing its paragraph, a raw card
    /// that is not a JSON object.
    pub fn to_content_string(&self) -> Result<String, InvalidRequest> {
        self.validate()
            .map_err(|reason| InvalidRequest::field("content", reason))?;
        Ok(self.content_string()?)
    }

    /// The `content` string, unchecked.
    fn content_string(&self) -> Result<String, serde_json::Error> {
        match self {
            Self::Text(text) => serde_json::to_string(text),
            Self::Post(post) => serde_json::to_string(post),
            Self::Image { image_key } => serde_json::to_string(&Keys {
                image_key: Some(image_key),
                ..Keys::default()
            }),
            Self::File { file_key } | Self::Audio { file_key } | Self::Sticker { file_key } => {
                serde_json::to_string(&Keys {
                    file_key: Some(file_key),
                    ..Keys::default()
                })
            }
            Self::Media {
                file_key,
                image_key,
            } => serde_json::to_string(&Keys {
                file_key: Some(file_key),
                image_key: image_key.as_deref(),
                ..Keys::default()
            }),
            Self::Interactive(card) => serde_json::to_string(card),
            Self::ShareChat { chat_id } => serde_json::to_string(&Keys {
                chat_id: Some(chat_id),
                ..Keys::default()
            }),
            Self::ShareUser { user_id } => serde_json::to_string(&Keys {
                user_id: Some(user_id),
                ..Keys::default()
            }),
            Self::System(system) => serde_json::to_string(system),
        }
    }

    /// Why Feishu would refuse this content, if it would.
    pub(crate) fn validate(&self) -> Result<(), &'static str> {
        match self {
            Self::Post(post) => post.validate(),
            Self::Interactive(card) => card.validate(),
            _ => Ok(()),
        }
    }
}

/// Serialises as a request body's `msg_type` and `content` fields, the
/// content as its JSON string. Request bodies check the content's rules
/// first, so a refusal is a typed error rather than a serialisation one.
impl Serialize for MessageContent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeStruct as _};
        let content = self.content_string().map_err(S::Error::custom)?;
        let mut fields = serializer.serialize_struct("MessageContent", 2)?;
        fields.serialize_field("msg_type", self.msg_type())?;
        fields.serialize_field("content", &content)?;
        fields.end()
    }
}

impl From<Text> for MessageContent {
    fn from(text: Text) -> Self {
        Self::Text(text)
    }
}

impl From<Post> for MessageContent {
    fn from(post: Post) -> Self {
        Self::Post(post)
    }
}

impl From<Card> for MessageContent {
    fn from(card: Card) -> Self {
        Self::Interactive(card)
    }
}

impl From<System> for MessageContent {
    fn from(system: System) -> Self {
        Self::System(system)
    }
}

/// The key-only contents: every field is left out unless set.
#[derive(Default, Serialize)]
struct Keys<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    chat_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<&'a str>,
}

/// The text of a `text` message, with Feishu's inline markup: mentions
/// (`<at user_id="ou_…">Name</at>`) and links (`[text](url)`).
///
/// The text is sent as is: nothing in it is escaped.
///
/// ```
/// use feishu_core::im::content::Text;
///
/// let text = Text::new("release is out ").at_all().push(", see [notes](https://example.com)");
/// assert_eq!(
///     text.as_str(),
///     r#"release is out <at user_id="all">所有人</at>, see [notes](https://example.com)"#,
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    text: String,
}

impl Text {
    /// A text.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }

    /// Appends text.
    pub fn push(mut self, text: &str) -> Self {
        self.text.push_str(text);
        self
    }

    /// Appends a mention of a user (open_id, union_id or user_id), shown as
    /// `name`: `<at user_id="ou_…">name</at>`.
    pub fn at(mut self, user_id: &str, name: &str) -> Self {
        self.text.push_str("<at user_id=\"");
        self.text.push_str(user_id);
        self.text.push_str("\">");
        self.text.push_str(name);
        self.text.push_str("</at>");
        self
    }

    /// Appends a mention of everyone in the chat: `<at user_id="all">所有人</at>`.
    pub fn at_all(self) -> Self {
        self.at("all", "所有人")
    }

    /// The text, markup included.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.text
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

/// The largest request body Feishu accepts for a message of `msg_type`, in
/// bytes: 30 KB for `post` and `interactive`, 150 KB for the others (a KB
/// is 1024 bytes). Style markup counts; beyond it Feishu answers
/// [`CONTENT_TOO_LONG`](crate::codes::CONTENT_TOO_LONG).
///
/// ```
/// assert_eq!(feishu_core::im::content::body_limit("post"), 30 * 1024);
/// assert_eq!(feishu_core::im::content::body_limit("text"), 150 * 1024);
/// ```
pub fn body_limit(msg_type: &str) -> usize {
    match msg_type {
        "post" | "interactive" => 30 * 1024,
        _ => 150 * 1024,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_post_needs_a_locale() {
        let empty = MessageContent::Post(Post::new());
        assert_eq!(empty.validate(), Err("a post needs at least one locale"));
    }

    #[test]
    fn an_image_is_alone_in_its_paragraph() {
        let shared = Post::new().locale(
            "zh_cn",
            PostLocale::new("T").paragraph(vec![
                PostElement::text("look: "),
                PostElement::image("img_x"),
            ]),
        );
        assert_eq!(
            MessageContent::Post(shared).validate(),
            Err("an img element must be alone in its paragraph")
        );
        let alone = Post::new()
            .locale(
                "zh_cn",
                PostLocale::new("T").paragraph(vec![PostElement::text("look:")]),
            )
            .locale(
                "en_us",
                PostLocale::new("T").paragraph(vec![PostElement::image("img_x")]),
            );
        assert_eq!(MessageContent::Post(alone).validate(), Ok(()));
    }

    #[test]
    fn a_raw_card_is_an_object() {
        let list = MessageContent::Interactive(Card::raw(json!([1])));
        assert_eq!(list.validate(), Err("a card must be a JSON object"));
        let card = MessageContent::Interactive(Card::raw(json!({"elements": []})));
        assert_eq!(card.validate(), Ok(()));
        assert_eq!(MessageContent::text("").validate(), Ok(()));
    }
}
