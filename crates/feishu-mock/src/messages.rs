//! Sent messages: what the IM endpoints store, and the `uuid` dedup rule.
//!
//! A send with a `uuid` that the same app used less than an hour before stores
//! nothing and gets the first message back, as Feishu documents (protocol
//! notes §6.1). The store is given the time; only handlers read a clock.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::ids::{IdSource, p2p_chat_id};

/// How long a send's `uuid` is remembered.
pub(crate) const UUID_WINDOW: Duration = Duration::from_secs(60 * 60);

/// A message the mock stored, as [`MockServer::messages`](crate::MockServer::messages)
/// reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredMessage {
    /// `om_` and 32 hex digits.
    pub message_id: String,
    /// The `receive_id` it was sent to.
    pub receive_id: String,
    /// The `receive_id_type` it was sent with: `open_id`, `user_id`,
    /// `union_id`, `email` or `chat_id`.
    pub receive_id_type: String,
    /// Such as `text`, `post` or `interactive`.
    pub msg_type: String,
    /// The `content` string as sent: serialized JSON.
    pub content: String,
    /// The idempotency key it was sent with, if any.
    pub uuid: Option<String>,
    /// The receive id when sent to a chat, else the p2p chat between the app
    /// and the user (`oc_…`, stable per app and receive id).
    pub chat_id: String,
    /// When it was created, in milliseconds since the Unix epoch.
    pub create_time_ms: u64,
}

/// The app that sent a message, in the tenant it sent it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sender {
    pub(crate) app_id: String,
    pub(crate) tenant_key: String,
}

/// A validated send request.
#[derive(Clone, Debug)]
pub(crate) struct NewMessage {
    pub(crate) sender: Sender,
    pub(crate) receive_id: String,
    pub(crate) receive_id_type: String,
    pub(crate) msg_type: String,
    pub(crate) content: String,
    pub(crate) uuid: Option<String>,
}

/// A stored message: the public record plus what only the API reports.
#[derive(Clone, Debug)]
pub(crate) struct Message {
    pub(crate) record: StoredMessage,
    pub(crate) sender: Sender,
    pub(crate) update_time_ms: u64,
    pub(crate) deleted: bool,
    pub(crate) updated: bool,
}

impl Message {
    /// The message object of Feishu's API responses (`data` of a send).
    pub(crate) fn to_json(&self) -> Value {
        let record = &self.record;
        json!({
            "message_id": record.message_id,
            "msg_type": record.msg_type,
            "create_time": record.create_time_ms.to_string(),
            "update_time": self.update_time_ms.to_string(),
            "deleted": self.deleted,
            "updated": self.updated,
            "chat_id": record.chat_id,
            "sender": {
                "id": self.sender.app_id,
                "id_type": "app_id",
                "sender_type": "app",
                "tenant_key": self.sender.tenant_key,
            },
            "body": { "content": record.content },
        })
    }
}

/// Every message sent to this server, oldest first.
#[derive(Debug, Default)]
pub(crate) struct MessageStore {
    messages: Vec<Message>,
    /// (app id, uuid) to the index of the message it created and when.
    uuids: HashMap<(String, String), (usize, Instant)>,
}

impl MessageStore {
    /// Stores `new` and returns it, unless its `uuid` was used by the same app
    /// less than [`UUID_WINDOW`] before `now`: then returns that first message
    /// and stores nothing. `now_ms` is the wall-clock time of `now`.
    pub(crate) fn send(
        &mut self,
        new: NewMessage,
        ids: &IdSource,
        now: Instant,
        now_ms: u64,
    ) -> &Message {
        let key = new
            .uuid
            .as_ref()
            .map(|uuid| (new.sender.app_id.clone(), uuid.clone()));
        if let Some(key) = &key {
            if let Some(&(index, first)) = self.uuids.get(key) {
                if now.saturating_duration_since(first) < UUID_WINDOW {
                    return &self.messages[index];
                }
            }
        }
        let chat_id = if new.receive_id_type == "chat_id" {
            new.receive_id.clone()
        } else {
            p2p_chat_id(&new.sender.app_id, &new.receive_id)
        };
        let record = StoredMessage {
            message_id: ids.message_id(),
            receive_id: new.receive_id,
            receive_id_type: new.receive_id_type,
            msg_type: new.msg_type,
            content: new.content,
            uuid: new.uuid,
            chat_id,
            create_time_ms: now_ms,
        };
        let index = self.messages.len();
        if let Some(key) = key {
            self.uuids.insert(key, (index, now));
        }
        self.messages.push(Message {
            record,
            sender: new.sender,
            update_time_ms: now_ms,
            deleted: false,
            updated: false,
        });
        &self.messages[index]
    }

    /// The public records, oldest first.
    pub(crate) fn records(&self) -> Vec<StoredMessage> {
        self.messages.iter().map(|m| m.record.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(app_id: &str, receive_id_type: &str, uuid: Option<&str>) -> NewMessage {
        NewMessage {
            sender: Sender {
                app_id: app_id.to_owned(),
                tenant_key: "t".to_owned(),
            },
            receive_id: "ou_x".to_owned(),
            receive_id_type: receive_id_type.to_owned(),
            msg_type: "text".to_owned(),
            content: r#"{"text":"hi"}"#.to_owned(),
            uuid: uuid.map(str::to_owned),
        }
    }

    #[test]
    fn a_uuid_dedups_per_app_for_an_hour() {
        let ids = IdSource::new();
        let mut store = MessageStore::default();
        let t0 = Instant::now();
        let first = store
            .send(new("a", "open_id", Some("u")), &ids, t0, 1)
            .record
            .clone();
        let again = store.send(
            new("a", "open_id", Some("u")),
            &ids,
            t0 + UUID_WINDOW / 2,
            2,
        );
        assert_eq!(again.record, first);
        store.send(new("b", "open_id", Some("u")), &ids, t0, 3);
        assert_eq!(store.records().len(), 2);
        let later = store.send(new("a", "open_id", Some("u")), &ids, t0 + UUID_WINDOW, 4);
        assert_ne!(later.record.message_id, first.message_id);
        assert_eq!(store.records().len(), 3);
    }

    #[test]
    fn chat_id_is_the_chat_or_a_p2p_chat() {
        let ids = IdSource::new();
        let mut store = MessageStore::default();
        let now = Instant::now();
        let mut to_chat = new("a", "chat_id", None);
        to_chat.receive_id = "oc_group".to_owned();
        assert_eq!(store.send(to_chat, &ids, now, 0).record.chat_id, "oc_group");
        let p2p = store
            .send(new("a", "open_id", None), &ids, now, 0)
            .record
            .chat_id
            .clone();
        assert_eq!(p2p, p2p_chat_id("a", "ou_x"));
        let json = store
            .send(new("a", "open_id", None), &ids, now, 7)
            .to_json();
        assert_eq!(json["chat_id"], p2p);
        assert_eq!(json["create_time"], "7");
        assert_eq!(store.records().len(), 3);
    }
}
