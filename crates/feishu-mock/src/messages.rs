//! Messages as data: what the IM endpoints store, the chats and threads they
//! live in, and the rules Feishu applies to them.
//!
//! The store is given the time ([`Moment`]); only handlers read the server's
//! [`Clock`](crate::Clock).
//! Every operation that creates a message takes an optional `uuid`: a repeat
//! by the same sender to the same operation within an hour stores nothing and
//! gets the first message back, as Feishu's send-message `uuid` promises.

use std::time::{Instant, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::Clock;

mod chats;
mod compose;
mod content;
mod edits;
mod history;
mod reading;
mod store;

pub(crate) use chats::{Chats, ChatsError, DEFAULT_CHATS};
pub use chats::{StoredChat, StoredUser};
pub(crate) use compose::{NewReply, Route};
pub(crate) use content::{
    MERGE_FORWARD_CONTENT, RECALLED_CONTENT, is_json_object, received, resource_keys, size_limit,
};
pub(crate) use history::{Container, HistoryQuery};
pub(crate) use store::{MessageStore, NewMessage};

/// A message the mock stored, as [`MockServer::messages`](crate::MockServer::messages)
/// reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredMessage {
    /// `om_` and 32 hex digits.
    pub message_id: String,
    /// The `receive_id` it was sent or forwarded to; for a reply, its chat.
    pub receive_id: String,
    /// The `receive_id_type` it was sent with: `open_id`, `user_id`,
    /// `union_id`, `email` or `chat_id` (`thread_id` for a forward into a
    /// thread, `chat_id` for a reply).
    pub receive_id_type: String,
    /// Such as `text`, `post`, `interactive` or `merge_forward`.
    pub msg_type: String,
    /// The `content` string as last sent or edited: serialized JSON. It is
    /// kept after a recall, though the API then shows the recalled text.
    pub content: String,
    /// The idempotency key it was created with, if any.
    pub uuid: Option<String>,
    /// The chat it is in: a group, or the p2p chat between the app and the
    /// user (`oc_…`, stable per app and receive id).
    pub chat_id: String,
    /// The first message of its reply tree, for replies.
    pub root_id: Option<String>,
    /// The message it replies to, for replies (the root, inside a thread).
    pub parent_id: Option<String>,
    /// `omt_…` when it is in a thread (roots of threads included).
    pub thread_id: Option<String>,
    /// The `app_id` of the bot that sent it, or the `open_id` of a user.
    pub sender_id: String,
    /// When it was created, in milliseconds since the Unix epoch; strictly
    /// increasing in store order.
    pub create_time_ms: u64,
    /// When it was last edited, patched or recalled (else its creation).
    pub update_time_ms: u64,
    /// Recalled.
    pub deleted: bool,
    /// Edited (`PUT`) or, for cards, patched (`PATCH`).
    pub updated: bool,
    /// The texts of the follow-up bubbles last pushed under it
    /// (`POST …/push_follow_up`), in order; a new push replaces them.
    pub follow_ups: Vec<String>,
}

/// The current time, read once by a handler and handed to the store.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Moment {
    pub(crate) now: Instant,
    pub(crate) unix_ms: u64,
}

impl Moment {
    /// What `clock` says now.
    pub(crate) fn of(clock: &dyn Clock) -> Moment {
        let unix_ms = clock
            .system_now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        Moment {
            now: clock.now(),
            unix_ms,
        }
    }
}

/// Who sent a message: a bot (`app_id`) or a user (`open_id`), in a tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sender {
    pub(crate) id: String,
    pub(crate) is_app: bool,
    pub(crate) tenant_key: String,
}

impl Sender {
    pub(crate) fn app(app_id: &str, tenant_key: &str) -> Sender {
        Sender {
            id: app_id.to_owned(),
            is_app: true,
            tenant_key: tenant_key.to_owned(),
        }
    }

    pub(crate) fn user(open_id: &str, tenant_key: &str) -> Sender {
        Sender {
            id: open_id.to_owned(),
            is_app: false,
            tenant_key: tenant_key.to_owned(),
        }
    }

    fn to_json(&self) -> Value {
        let (id_type, sender_type) = if self.is_app {
            ("app_id", "app")
        } else {
            ("open_id", "user")
        };
        json!({
            "id": self.id,
            "id_type": id_type,
            "sender_type": sender_type,
            "tenant_key": self.tenant_key,
        })
    }
}

/// One user having read a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Read {
    pub(crate) open_id: String,
    pub(crate) time_ms: u64,
}

/// A stored message: the public record plus what only the API reports.
#[derive(Clone, Debug)]
pub(crate) struct Message {
    pub(crate) record: StoredMessage,
    pub(crate) sender: Sender,
    /// For a `merge_forward`: the messages it carries, in order.
    pub(crate) merged: Vec<String>,
    /// Read receipts, oldest first, one per user.
    pub(crate) reads: Vec<Read>,
}

impl Message {
    /// Whether the bot of `app_id` sent it.
    pub(crate) fn is_own(&self, app_id: &str) -> bool {
        self.sender.is_app && self.sender.id == app_id
    }

    /// The message object of Feishu's API responses. The content reads back
    /// as Feishu shows it ([`received`]); a recalled message shows
    /// [`RECALLED_CONTENT`]; ids of the reply tree appear only when set.
    pub(crate) fn to_json(&self) -> Value {
        let record = &self.record;
        let content = if record.deleted {
            RECALLED_CONTENT.into()
        } else {
            received(&record.msg_type, &record.content)
        };
        let mut object = json!({
            "message_id": record.message_id,
            "msg_type": record.msg_type,
            "create_time": record.create_time_ms.to_string(),
            "update_time": record.update_time_ms.to_string(),
            "deleted": record.deleted,
            "updated": record.updated,
            "chat_id": record.chat_id,
            "sender": self.sender.to_json(),
            "body": { "content": content },
        });
        let optional = [
            ("root_id", &record.root_id),
            ("parent_id", &record.parent_id),
            ("thread_id", &record.thread_id),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                object[name] = json!(value);
            }
        }
        object
    }

    /// The object of a message shown inside the merge-forward `upper`.
    pub(crate) fn to_json_inside(&self, upper: &str) -> Value {
        let mut object = self.to_json();
        object["upper_message_id"] = json!(upper);
        object
    }
}
