//! [`MessageStore`]: every message, chat and thread of one server, the `uuid`
//! dedup rule, and sending.

use std::collections::HashMap;
use std::time::Duration;

use super::{Chats, Message, Moment, Sender, StoredMessage};
use crate::ids::IdSource;
use crate::im::error::ImError;

/// How long a `uuid` is remembered.
pub(crate) const UUID_WINDOW: Duration = Duration::from_secs(60 * 60);

/// The operations a `uuid` dedups; each has its own namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Op {
    Send,
    Reply,
    Forward,
    MergeForward,
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

/// Where a new message goes: a chat, and maybe a thread in it.
#[derive(Clone, Debug, Default)]
pub(super) struct Placement {
    pub(super) chat_id: String,
    pub(super) root_id: Option<String>,
    pub(super) parent_id: Option<String>,
    pub(super) thread_id: Option<String>,
}

/// A message about to be stored.
#[derive(Clone, Debug)]
pub(super) struct Draft {
    pub(super) sender: Sender,
    pub(super) receive_id: String,
    pub(super) receive_id_type: String,
    pub(super) placement: Placement,
    pub(super) msg_type: String,
    pub(super) content: String,
    pub(super) uuid: Option<String>,
    pub(super) merged: Vec<String>,
}

/// Every message sent to this server, oldest first, with its chats and threads.
#[derive(Debug, Default)]
pub(crate) struct MessageStore {
    pub(super) messages: Vec<Message>,
    by_id: HashMap<String, usize>,
    /// (sender id, operation, uuid) to the message it created and when.
    uuids: HashMap<(String, Op, String), (usize, std::time::Instant)>,
    /// Thread id to the index of its root message.
    pub(super) threads: HashMap<String, usize>,
    pub(super) chats: Chats,
    last_create_ms: u64,
}

impl MessageStore {
    pub(crate) fn new(chats: Chats) -> Self {
        Self {
            chats,
            ..Self::default()
        }
    }

    pub(crate) fn chats(&self) -> &Chats {
        &self.chats
    }

    pub(crate) fn chats_mut(&mut self) -> &mut Chats {
        &mut self.chats
    }

    /// The public records, oldest first.
    pub(crate) fn records(&self) -> Vec<StoredMessage> {
        self.messages.iter().map(|m| m.record.clone()).collect()
    }

    /// The message with `message_id`, recalled or not.
    pub(crate) fn message(&self, message_id: &str) -> Option<&Message> {
        self.by_id.get(message_id).map(|&i| &self.messages[i])
    }

    /// The index of `message_id`; 230001 if there is none.
    pub(super) fn index_of(&self, message_id: &str) -> Result<usize, ImError> {
        self.by_id
            .get(message_id)
            .copied()
            .ok_or_else(ImError::unknown_message)
    }

    /// The index of `message_id` if it was not recalled (else 230011).
    pub(super) fn live(&self, message_id: &str) -> Result<usize, ImError> {
        let index = self.index_of(message_id)?;
        if self.messages[index].record.deleted {
            return Err(ImError::Recalled);
        }
        Ok(index)
    }

    /// The message an earlier `op` by `sender_id` with this `uuid` created,
    /// if that was less than [`UUID_WINDOW`] ago.
    pub(super) fn deduped(
        &self,
        sender_id: &str,
        op: Op,
        uuid: Option<&str>,
        clock: Moment,
    ) -> Option<usize> {
        let key = (sender_id.to_owned(), op, uuid?.to_owned());
        let &(index, first) = self.uuids.get(&key)?;
        (clock.now.saturating_duration_since(first) < UUID_WINDOW).then_some(index)
    }

    /// Stores `draft` and returns its index. Creation times strictly increase
    /// in store order: a message created in the same millisecond as the one
    /// before gets the next millisecond.
    pub(super) fn insert(&mut self, draft: Draft, op: Op, ids: &IdSource, clock: Moment) -> usize {
        let create_ms = clock.unix_ms.max(self.last_create_ms.saturating_add(1));
        self.last_create_ms = create_ms;
        let Draft {
            sender,
            receive_id,
            receive_id_type,
            placement,
            msg_type,
            content,
            uuid,
            merged,
        } = draft;
        let record = StoredMessage {
            message_id: ids.message_id(),
            receive_id,
            receive_id_type,
            msg_type,
            content,
            uuid,
            chat_id: placement.chat_id,
            root_id: placement.root_id,
            parent_id: placement.parent_id,
            thread_id: placement.thread_id,
            sender_id: sender.id.clone(),
            create_time_ms: create_ms,
            update_time_ms: create_ms,
            deleted: false,
            updated: false,
            follow_ups: Vec::new(),
        };
        let index = self.messages.len();
        if let Some(uuid) = &record.uuid {
            let key = (sender.id.clone(), op, uuid.clone());
            self.uuids.insert(key, (index, clock.now));
        }
        self.by_id.insert(record.message_id.clone(), index);
        self.messages.push(Message {
            record,
            sender,
            merged,
            reads: Vec::new(),
        });
        index
    }

    /// Where a message for `receive_id` of `receive_id_type`, sent by the bot
    /// of `app_id`, goes. Users get their p2p chat; chats must be known
    /// (230002); threads too (230019).
    pub(super) fn placement(
        &mut self,
        app_id: &str,
        receive_id_type: &str,
        receive_id: &str,
    ) -> Result<Placement, ImError> {
        let prefix = match receive_id_type {
            "chat_id" if self.chats.contains(receive_id) => {
                return Ok(Placement {
                    chat_id: receive_id.to_owned(),
                    ..Placement::default()
                });
            }
            "chat_id" => return Err(ImError::BotNotInChat),
            "thread_id" => {
                let &root = self
                    .threads
                    .get(receive_id)
                    .ok_or(ImError::ThreadNotFound)?;
                let root = &self.messages[root].record;
                return Ok(Placement {
                    chat_id: root.chat_id.clone(),
                    root_id: Some(root.message_id.clone()),
                    parent_id: Some(root.message_id.clone()),
                    thread_id: Some(receive_id.to_owned()),
                });
            }
            "open_id" => "ou_",
            "union_id" => "on_",
            _ => "",
        };
        if !receive_id.starts_with(prefix) {
            return Err(ImError::invalid(
                "receive_id",
                format!("an {receive_id_type} starts with {prefix}"),
            ));
        }
        Ok(Placement {
            chat_id: self.chats.p2p(app_id, receive_id),
            ..Placement::default()
        })
    }

    /// Sends `new`, unless its `uuid` was used for a send by the same app less
    /// than [`UUID_WINDOW`] before: then returns that first message.
    pub(crate) fn send(
        &mut self,
        new: NewMessage,
        ids: &IdSource,
        clock: Moment,
    ) -> Result<&Message, ImError> {
        let NewMessage {
            sender,
            receive_id,
            receive_id_type,
            msg_type,
            content,
            uuid,
        } = new;
        if let Some(index) = self.deduped(&sender.id, Op::Send, uuid.as_deref(), clock) {
            return Ok(&self.messages[index]);
        }
        let placement = self.placement(&sender.id, &receive_id_type, &receive_id)?;
        let draft = Draft {
            sender,
            receive_id,
            receive_id_type,
            placement,
            msg_type,
            content,
            uuid,
            merged: Vec::new(),
        };
        let index = self.insert(draft, Op::Send, ids, clock);
        Ok(&self.messages[index])
    }

    /// Stores a message a user posted in a chat the bot is in, making them a
    /// member of it if it is a group; `None` if the bot is in no such chat.
    pub(crate) fn post_as_user(
        &mut self,
        sender: Sender,
        chat_id: &str,
        msg_type: &str,
        content: &str,
        ids: &IdSource,
        clock: Moment,
    ) -> Option<String> {
        if !self.chats.contains(chat_id) {
            return None;
        }
        self.chats.note_poster(chat_id, &sender.id);
        let draft = Draft {
            sender,
            receive_id: chat_id.to_owned(),
            receive_id_type: "chat_id".to_owned(),
            placement: Placement {
                chat_id: chat_id.to_owned(),
                ..Placement::default()
            },
            msg_type: msg_type.to_owned(),
            content: content.to_owned(),
            uuid: None,
            merged: Vec::new(),
        };
        let index = self.insert(draft, Op::Send, ids, clock);
        Some(self.messages[index].record.message_id.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::ids::p2p_chat_id;

    fn clock(now: Instant, unix_ms: u64) -> Moment {
        Moment { now, unix_ms }
    }

    fn new(app_id: &str, receive_id_type: &str, uuid: Option<&str>) -> NewMessage {
        NewMessage {
            sender: Sender::app(app_id, "t"),
            receive_id: if receive_id_type == "chat_id" {
                "oc_group".to_owned()
            } else {
                "ou_x".to_owned()
            },
            receive_id_type: receive_id_type.to_owned(),
            msg_type: "text".to_owned(),
            content: r#"{"text":"hi"}"#.to_owned(),
            uuid: uuid.map(str::to_owned),
        }
    }

    fn store() -> MessageStore {
        let mut chats = Chats::default();
        chats.add_group("oc_group", "Group").expect("a group");
        MessageStore::new(chats)
    }

    #[test]
    fn a_uuid_dedups_per_app_for_an_hour() {
        let ids = IdSource::new();
        let mut store = store();
        let t0 = Instant::now();
        let send = |store: &mut MessageStore, app, at, ms| {
            let new = new(app, "open_id", Some("u"));
            store
                .send(new, &ids, clock(at, ms))
                .map(|m| m.record.clone())
        };
        let first = send(&mut store, "a", t0, 1).expect("sent");
        let again = send(&mut store, "a", t0 + UUID_WINDOW / 2, 2).expect("deduped");
        assert_eq!(again, first);
        send(&mut store, "b", t0, 3).expect("other app");
        assert_eq!(store.records().len(), 2);
        let later = send(&mut store, "a", t0 + UUID_WINDOW, 4).expect("sent");
        assert_ne!(later.message_id, first.message_id);
        assert_eq!(store.records().len(), 3);
    }

    #[test]
    fn chat_id_is_the_chat_or_a_p2p_chat() {
        let ids = IdSource::new();
        let mut store = store();
        let now = clock(Instant::now(), 7);
        let to_chat = store
            .send(new("a", "chat_id", None), &ids, now)
            .expect("sent");
        assert_eq!(to_chat.record.chat_id, "oc_group");
        let p2p = store
            .send(new("a", "open_id", None), &ids, now)
            .expect("sent");
        assert_eq!(p2p.record.chat_id, p2p_chat_id("a", "ou_x"));
        assert!(store.chats().contains(&p2p_chat_id("a", "ou_x")));
        let mut unknown = new("a", "chat_id", None);
        unknown.receive_id = "oc_nowhere".to_owned();
        let refused = store.send(unknown, &ids, now).map(|m| m.record.clone());
        assert_eq!(refused, Err(ImError::BotNotInChat));
        let mut bad = new("a", "open_id", None);
        bad.receive_id = "x".to_owned();
        assert!(store.send(bad, &ids, now).is_err());
    }

    #[test]
    fn create_times_strictly_increase() {
        let ids = IdSource::new();
        let mut store = store();
        let now = clock(Instant::now(), 1000);
        for _ in 0..3 {
            store
                .send(new("a", "chat_id", None), &ids, now)
                .expect("sent");
        }
        let later = clock(Instant::now(), 5000);
        store
            .send(new("a", "chat_id", None), &ids, later)
            .expect("sent");
        let times: Vec<u64> = store.records().iter().map(|r| r.create_time_ms).collect();
        assert_eq!(times, [1000, 1001, 1002, 5000]);
    }
}
