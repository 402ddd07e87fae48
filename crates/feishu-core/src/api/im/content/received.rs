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

    /// Resolves the `@_user_N` placeholders of mentions from the message's
    /// `mentions`, given as `(key, id, name)`: in a text each placeholder
    /// becomes `@name`, as the reader saw it; in a post each `at` element
    /// gets the user's id and name. Placeholders with no mention (`@_all`,
    /// an id-less mention) stay as they are; other contents are unchanged.
    ///
    /// ```
    /// use feishu_core::im::content::{PostElement, ReceivedContent};
    ///
    /// let mentions = [("@_user_1", "ou_84aad35d084aa403a838cf73ee18467", "Tom")];
    /// let text = ReceivedContent::parse("text", r#"{"text":"@_user_1 hello"}"#);
    /// assert_eq!(text.resolve_mentions(mentions), ReceivedContent::Text { text: "@Tom hello".into() });
    ///
    /// let post = ReceivedContent::parse("post", r#"{"title":"","content":[[{"tag":"at","user_id":"@_user_1","user_name":""}]]}"#);
    /// let ReceivedContent::Post { content, .. } = post.resolve_mentions(mentions) else { unreachable!() };
    /// assert_eq!(content[0][0], PostElement::At {
    ///     user_id: "ou_84aad35d084aa403a838cf73ee18467".into(),
    ///     user_name: Some("Tom".into()),
    ///     style: vec![],
    /// });
    /// ```
    pub fn resolve_mentions<'a>(
        self,
        mentions: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Self {
        // Longest keys first, so `@_user_1` never eats the start of `@_user_12`.
        let mut mentions: Vec<(&str, &str, &str)> = mentions
            .into_iter()
            .filter(|(key, _, _)| !key.is_empty())
            .collect();
        mentions.sort_by_key(|(key, _, _)| std::cmp::Reverse(key.len()));
        if mentions.is_empty() {
            return self;
        }
        match self {
            Self::Text { text } => Self::Text {
                text: replace_mentions(&text, &mentions),
            },
            Self::Post { title, content } => Self::Post {
                title,
                content: content
                    .into_iter()
                    .map(|line| {
                        line.into_iter()
                            .map(|element| resolve_at(element, &mentions))
                            .collect()
                    })
                    .collect(),
            },
            other => other,
        }
    }

    /// The words a reader sees, for a `text` or a `post` (its title, then
    /// one line per paragraph: text, link texts, `@name` for mentions, code,
    /// `[EMOJI]` for emoji; images, videos and rules add nothing); `None`
    /// for other contents.
    ///
    /// ```
    /// use feishu_core::im::content::ReceivedContent;
    ///
    /// let post = ReceivedContent::parse("post", r#"{"title":"Build","content":[[{"tag":"text","text":"see "},{"tag":"a","text":"logs","href":"https://ci"}],[{"tag":"code_block","language":"SHELL","text":"make test"}]]}"#);
    /// assert_eq!(post.plain_text().as_deref(), Some("Build\nsee logs\nmake test"));
    /// ```
    pub fn plain_text(&self) -> Option<String> {
        match self {
            Self::Text { text } => Some(text.clone()),
            Self::Post { title, content } => {
                let mut lines: Vec<String> = Vec::with_capacity(content.len() + 1);
                if !title.is_empty() {
                    lines.push(title.clone());
                }
                for paragraph in content {
                    lines.push(paragraph.iter().map(element_text).collect());
                }
                Some(lines.join("\n"))
            }
            _ => None,
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

/// `text` with each mention placeholder replaced by `@name`; `mentions` is
/// sorted longest key first.
fn replace_mentions(text: &str, mentions: &[(&str, &str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match mentions.iter().find(|(key, _, _)| rest.starts_with(key)) {
            Some((key, _, name)) => {
                out.push('@');
                out.push_str(name);
                rest = &rest[key.len()..];
            }
            None => {
                out.push('@');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// An `at` element with its placeholder resolved, when a mention has it.
fn resolve_at(element: PostElement, mentions: &[(&str, &str, &str)]) -> PostElement {
    match element {
        PostElement::At {
            user_id,
            user_name,
            style,
        } => match mentions.iter().find(|(key, _, _)| *key == user_id) {
            Some((_, id, name)) if !id.is_empty() => PostElement::At {
                user_id: (*id).to_owned(),
                user_name: Some((*name).to_owned())
                    .filter(|name| !name.is_empty())
                    .or(user_name),
                style,
            },
            _ => PostElement::At {
                user_id,
                user_name,
                style,
            },
        },
        other => other,
    }
}

/// What a reader sees of one post element.
fn element_text(element: &PostElement) -> String {
    match element {
        PostElement::Text { text, .. }
        | PostElement::Link { text, .. }
        | PostElement::CodeBlock { text, .. }
        | PostElement::Markdown { text } => text.clone(),
        PostElement::At {
            user_id, user_name, ..
        } => match user_name.as_deref() {
            Some(name) if !name.is_empty() => format!("@{name}"),
            _ => format!("@{user_id}"),
        },
        PostElement::Emotion { emoji_type } => format!("[{emoji_type}]"),
        _ => String::new(),
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
