//! Typed IM events: a message received, read, recalled or reacted to, the
//! bot added to or removed from a chat, a user opening its chat, a menu click.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/events/receive>

use serde::Deserialize;

use super::lenient;
use crate::im::content::ReceivedContent;

/// A user's ids, as events carry them (an object, unlike the message API).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserId {
    /// The open_id, `ou_…`.
    pub open_id: Option<String>,
    /// The union_id, `on_…`.
    pub union_id: Option<String>,
    /// The user_id.
    pub user_id: Option<String>,
}

/// `im.message.receive_v1`: a message sent to the bot or in its chats.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct MessageReceived {
    /// Who sent it.
    pub sender: EventSender,
    /// The message.
    pub message: EventMessage,
}

/// The sender of a received message.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct EventSender {
    /// Their ids.
    #[serde(default)]
    pub sender_id: UserId,
    /// `user`, `app`, …
    #[serde(default)]
    pub sender_type: String,
    /// Their tenant.
    pub tenant_key: Option<String>,
}

/// A received message.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct EventMessage {
    /// The message id, `om_…`.
    pub message_id: String,
    /// The root of its reply tree.
    pub root_id: Option<String>,
    /// The message it replies to.
    pub parent_id: Option<String>,
    /// Its thread.
    pub thread_id: Option<String>,
    /// When it was created, as sent (a string; no unit is assumed).
    #[serde(default)]
    pub create_time: String,
    /// When it was updated, as sent.
    pub update_time: Option<String>,
    /// The chat, `oc_…`.
    #[serde(default)]
    pub chat_id: String,
    /// `p2p`, `group` or `topic_group`.
    #[serde(default)]
    pub chat_type: String,
    /// The message type, e.g. `text`.
    #[serde(default)]
    pub message_type: String,
    /// The content, a JSON string.
    #[serde(default)]
    pub content: String,
    /// The users it mentions (`@_user_N` in the text).
    #[serde(default)]
    pub mentions: Vec<EventMention>,
}

impl EventMessage {
    /// The content, typed by `message_type` (unknown or malformed kept raw).
    /// Mentions stay `@_user_N` placeholders; see
    /// [`EventMessage::resolved_content`].
    pub fn content(&self) -> ReceivedContent {
        ReceivedContent::parse(&self.message_type, &self.content)
    }

    /// The content with its mentions resolved from
    /// [`mentions`](EventMessage::mentions): in a text each `@_user_N`
    /// becomes `@Name`, as the reader saw it; in a post each `at` element
    /// gets the user's open_id (else union_id, else user_id) and name.
    ///
    /// ```
    /// # use feishu_core::event::EventMessage;
    /// # use feishu_core::im::content::ReceivedContent;
    /// let message: EventMessage = serde_json::from_value(serde_json::json!({
    ///     "message_id": "om_1", "message_type": "text",
    ///     "content": "{\"text\":\"@_user_1 deploy\"}",
    ///     "mentions": [{"key": "@_user_1", "id": {"open_id": "ou_bot"}, "name": "Release Bot"}],
    /// }))?;
    /// assert_eq!(message.resolved_content(), ReceivedContent::Text { text: "@Release Bot deploy".into() });
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn resolved_content(&self) -> ReceivedContent {
        self.content()
            .resolve_mentions(self.mentions.iter().map(|mention| {
                let id = &mention.id;
                let id = id.open_id.as_deref().or(id.union_id.as_deref());
                let id = id.or(mention.id.user_id.as_deref()).unwrap_or_default();
                (mention.key.as_str(), id, mention.name.as_str())
            }))
    }

    /// The message this one quotes (a reply, 回复): its `parent_id`. Fetch it
    /// with [`GetMessage`](crate::im::message::GetMessage) to read what was quoted.
    pub fn reply_to(&self) -> Option<&str> {
        self.parent_id.as_deref().filter(|id| !id.is_empty())
    }

    /// Whether the message mentions the user or bot with this open_id.
    pub fn mentions_open_id(&self, open_id: &str) -> bool {
        self.mentions
            .iter()
            .any(|mention| mention.id.open_id.as_deref() == Some(open_id))
    }
}

/// A mention in a received message.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct EventMention {
    /// The placeholder, e.g. `@_user_1`.
    pub key: String,
    /// The user's ids.
    #[serde(default)]
    pub id: UserId,
    /// The user's name.
    #[serde(default)]
    pub name: String,
    /// The user's tenant.
    pub tenant_key: Option<String>,
}

/// `im.message.message_read_v1`: a user read messages the bot sent.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct MessageRead {
    /// Who read them.
    pub reader: Reader,
    /// The messages read.
    #[serde(default)]
    pub message_id_list: Vec<String>,
}

/// The reader of [`MessageRead`].
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Reader {
    /// Their ids.
    #[serde(default)]
    pub reader_id: UserId,
    /// When, as sent.
    #[serde(default)]
    pub read_time: String,
    /// Their tenant.
    pub tenant_key: Option<String>,
}

/// `im.chat.member.bot.added_v1` / `im.chat.member.bot.deleted_v1`: the bot
/// joined or left a chat.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct BotMembership {
    /// The chat, `oc_…`.
    pub chat_id: String,
    /// Who added or removed the bot.
    #[serde(default)]
    pub operator_id: UserId,
    /// Whether the chat is external.
    #[serde(default)]
    pub external: bool,
    /// The operator's tenant.
    pub operator_tenant_key: Option<String>,
    /// The chat's name.
    pub name: Option<String>,
}

/// `im.message.reaction.created_v1` / `im.message.reaction.deleted_v1`: a
/// reaction added to or removed from a message.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Reaction {
    /// The message, `om_…`.
    pub message_id: String,
    /// The emoji.
    #[serde(default)]
    pub reaction_type: Emoji,
    /// `user` or `app`.
    #[serde(default)]
    pub operator_type: String,
    /// The user who reacted (when `operator_type` is `user`).
    #[serde(default)]
    pub user_id: UserId,
    /// The app that reacted (when `operator_type` is `app`).
    pub app_id: Option<String>,
    /// When, in milliseconds, as sent.
    #[serde(default, deserialize_with = "lenient::text_or_empty")]
    pub action_time: String,
}

/// An emoji, e.g. `THUMBSUP`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Emoji {
    /// Its name, e.g. `THUMBSUP`, `SMILE`, `DONE`.
    #[serde(default)]
    pub emoji_type: String,
}

/// `im.message.recalled_v1`: a message was recalled.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct MessageRecalled {
    /// The message, `om_…`.
    pub message_id: String,
    /// Its chat, `oc_…`.
    #[serde(default)]
    pub chat_id: String,
    /// When, in milliseconds, as sent.
    #[serde(default, deserialize_with = "lenient::text_or_empty")]
    pub recall_time: String,
    /// Who recalled it: `message_owner`, `group_owner`, `group_manager` or
    /// `enterprise_manager`.
    #[serde(default)]
    pub recall_type: String,
}

/// `im.chat.access_event.bot_p2p_chat_entered_v1`: a user opened the chat
/// with the bot.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct BotP2pChatEntered {
    /// The one-to-one chat, `oc_…`.
    pub chat_id: String,
    /// The user.
    #[serde(default)]
    pub operator_id: UserId,
    /// The last message in the chat, if any.
    pub last_message_id: Option<String>,
    /// When it was sent, in milliseconds, as sent.
    #[serde(default, deserialize_with = "lenient::text")]
    pub last_message_create_time: Option<String>,
}

/// `application.bot.menu_v6`: a user clicked the bot's menu.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct BotMenu {
    /// Who clicked.
    #[serde(default)]
    pub operator: MenuOperator,
    /// The menu item's key, as configured in the developer console.
    pub event_key: String,
    /// When, in seconds, as sent.
    #[serde(default, deserialize_with = "lenient::text")]
    pub timestamp: Option<String>,
}

/// The user of a [`BotMenu`] click.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct MenuOperator {
    /// Their name.
    pub operator_name: Option<String>,
    /// Their ids.
    #[serde(default)]
    pub operator_id: UserId,
}
