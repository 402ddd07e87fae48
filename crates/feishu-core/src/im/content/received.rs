//! Content as received from `GET` message, the history list and events.

use std::collections::BTreeMap;

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::PostElement;

/// Content as received (`GET` message, the history list, events). It differs
/// from what is sent ([`MessageContent`](super::MessageContent)): mentions are
/// placeholders, a post has no locale wrapper, a card is a simplified rendering.
///
/// ```
/// use feishu_core::im::content::ReceivedContent;
///
/// let content = ReceivedContent::parse("text", r#"{"text":"@_user_1 hello"}"#);
/// assert_eq!(content, ReceivedContent::Text { text: "@_user_1 hello".into() });
///
/// let forwarded = ReceivedContent::parse("merge_forward", r#"{"content":"Merged and Forwarded Message"}"#);
/// assert_eq!(forwarded.msg_type(), "merge_forward");
/// assert!(matches!(forwarded, ReceivedContent::Unknown { .. }));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ReceivedContent {
    /// `text`. Mentions arrive as `@_user_N` placeholders, resolved through
    /// the message's `mentions`.
    Text {
        /// The text.
        text: String,
    },
    /// `post`, in the reader's locale only.
    Post {
        /// The title; empty when there is none.
        title: String,
        /// The paragraphs, each a line of elements.
        content: Vec<Vec<PostElement>>,
    },
    /// `image`.
    Image {
        /// The image, `img_…`.
        image_key: String,
    },
    /// `file`.
    File {
        /// The file, `file_v2_…`.
        file_key: String,
        /// Its name; empty when the content has none.
        file_name: String,
    },
    /// `audio`.
    Audio {
        /// The audio file, `file_v2_…`.
        file_key: String,
        /// Its length in milliseconds.
        duration_ms: Option<u64>,
    },
    /// `media` (a video).
    Media {
        /// The video file, `file_v2_…`.
        file_key: String,
        /// Its cover image, `img_…`.
        image_key: Option<String>,
        /// Its name.
        file_name: Option<String>,
        /// Its length in milliseconds.
        duration_ms: Option<u64>,
    },
    /// `sticker`.
    Sticker {
        /// The sticker, reusable only by the bot that received it.
        file_key: String,
    },
    /// `interactive`: a simplified rendering of the card, not the card sent.
    Interactive(Value),
    /// `share_chat`: a shared group.
    ShareChat {
        /// The chat, `oc_…`.
        chat_id: String,
    },
    /// `share_user`: a shared contact.
    ShareUser {
        /// The user's open_id.
        user_id: String,
    },
    /// `system`: e.g. "{from_user} invited {to_chatters} to this chat."
    System {
        /// The sentence, with `{from_user}` and `{to_chatters}` placeholders.
        template: String,
        /// Who did it.
        from_user: Vec<String>,
        /// Whom it was done to.
        to_chatters: Vec<String>,
    },
    /// Any other `msg_type` (`merge_forward`, `location`, `todo`, `vote`,
    /// `video_chat`, `share_calendar_event`, `hongbao`, …), or content that
    /// does not match its `msg_type`: kept exactly as received.
    Unknown {
        /// The `msg_type`, as received.
        msg_type: String,
        /// The `content` string, as received.
        content: String,
    },
}

impl ReceivedContent {
    /// Reads a message's `content` string by its `msg_type` (`message_type`
    /// in events).
    ///
    /// Never fails and never panics: content that is not JSON, or not the
    /// JSON of its `msg_type`, is kept as [`ReceivedContent::Unknown`] with
    /// the raw string.
    pub fn parse(msg_type: &str, content: &str) -> ReceivedContent {
        Self::parse_known(msg_type, content).unwrap_or_else(|| Self::Unknown {
            msg_type: msg_type.to_owned(),
            content: content.to_owned(),
        })
    }

    /// The `msg_type` this content was received as.
    pub fn msg_type(&self) -> &str {
        match self {
            Self::Text { .. } => "text",
            Self::Post { .. } => "post",
            Self::Image { .. } => "image",
            Self::File { .. } => "file",
            Self::Audio { .. } => "audio",
            Self::Media { .. } => "media",
            Self::Sticker { .. } => "sticker",
            Self::Interactive(_) => "interactive",
            Self::ShareChat { .. } => "share_chat",
            Self::ShareUser { .. } => "share_user",
            Self::System { .. } => "system",
            Self::Unknown { msg_type, .. } => msg_type,
        }
    }

    fn parse_known(msg_type: &str, content: &str) -> Option<Self> {
        Some(match msg_type {
            "text" => {
                let Keys { text, .. } = json(content)?;
                Self::Text { text: text? }
            }
            "post" => {
                let PostWire { title, content } = post(content)?;
                Self::Post {
                    title: title.unwrap_or_default(),
                    content,
                }
            }
            "image" => Self::Image {
                image_key: json::<Keys>(content)?.image_key?,
            },
            "file" => {
                let keys: Keys = json(content)?;
                Self::File {
                    file_key: keys.file_key?,
                    file_name: keys.file_name.unwrap_or_default(),
                }
            }
            "audio" => {
                let keys: Keys = json(content)?;
                Self::Audio {
                    file_key: keys.file_key?,
                    duration_ms: keys.duration,
                }
            }
            "media" => {
                let keys: Keys = json(content)?;
                Self::Media {
                    file_key: keys.file_key?,
                    image_key: keys.image_key,
                    file_name: keys.file_name,
                    duration_ms: keys.duration,
                }
            }
            "sticker" => Self::Sticker {
                file_key: json::<Keys>(content)?.file_key?,
            },
            "interactive" => {
                let card: Value = json(content)?;
                card.is_object().then_some(Self::Interactive(card))?
            }
            "share_chat" => Self::ShareChat {
                chat_id: json::<Keys>(content)?.chat_id?,
            },
            "share_user" => Self::ShareUser {
                user_id: json::<Keys>(content)?.user_id?,
            },
            "system" => {
                let SystemWire {
                    template,
                    from_user,
                    to_chatters,
                } = json(content)?;
                Self::System {
                    template,
                    from_user,
                    to_chatters,
                }
            }
            _ => return None,
        })
    }
}

fn json<T: DeserializeOwned>(content: &str) -> Option<T> {
    serde_json::from_str(content).ok()
}

/// A received post; the send form's locale wrapper is accepted when it holds
/// exactly one locale, so a sent post reads back too.
fn post(content: &str) -> Option<PostWire> {
    json(content).or_else(|| {
        let mut locales: BTreeMap<String, PostWire> = json(content)?;
        let (_, only) = locales.pop_first()?;
        locales.is_empty().then_some(only)
    })
}

/// The fields of the key-only contents; each reader takes the ones it needs.
#[derive(Deserialize)]
struct Keys {
    text: Option<String>,
    image_key: Option<String>,
    file_key: Option<String>,
    file_name: Option<String>,
    chat_id: Option<String>,
    user_id: Option<String>,
    #[serde(default, deserialize_with = "milliseconds")]
    duration: Option<u64>,
}

#[derive(Deserialize)]
struct PostWire {
    title: Option<String>,
    content: Vec<Vec<PostElement>>,
}

#[derive(Deserialize)]
struct SystemWire {
    template: String,
    #[serde(default)]
    from_user: Vec<String>,
    #[serde(default)]
    to_chatters: Vec<String>,
}

/// A duration in milliseconds: an integer, or a numeric string.
fn milliseconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Millis {
        Integer(u64),
        String(String),
    }
    match Option::<Millis>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Millis::Integer(ms)) => Ok(Some(ms)),
        Some(Millis::String(ms)) if ms.trim().is_empty() => Ok(None),
        Some(Millis::String(ms)) => ms.trim().parse().map(Some).map_err(de::Error::custom),
    }
}
