//! Typed IM events: a message received or read, the bot added to or removed
//! from a chat.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/events/receive>

use serde::Deserialize;

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
    pub fn content(&self) -> ReceivedContent {
        ReceivedContent::parse(&self.message_type, &self.content)
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

/// The `app_ticket` event (v1 only): a marketplace app's hourly ticket.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppTicket {
    /// The app it is for.
    #[serde(default)]
    pub app_id: String,
    /// The ticket.
    pub app_ticket: crate::Secret,
}
