//! Reading messages: `GET` (merge-forwards included) and read receipts.

use serde_json::Value;

use super::{MessageStore, Moment, Read};
use crate::im::error::ImError;

impl MessageStore {
    /// The `items` of a `GET`: the message, then, for a merge-forward, the
    /// messages it carries with their `upper_message_id`.
    pub(crate) fn get(&self, message_id: &str) -> Result<Vec<Value>, ImError> {
        let message = &self.messages[self.index_of(message_id)?];
        let inner = message
            .merged
            .iter()
            .filter_map(|id| self.message(id))
            .map(|m| m.to_json_inside(message_id));
        Ok(std::iter::once(message.to_json()).chain(inner).collect())
    }

    /// Records that `open_id` read `message_id` (once per user); `false` if
    /// there is no such message.
    pub(crate) fn mark_read(&mut self, message_id: &str, open_id: &str, clock: Moment) -> bool {
        let Ok(index) = self.index_of(message_id) else {
            return false;
        };
        let reads = &mut self.messages[index].reads;
        if !reads.iter().any(|r| r.open_id == open_id) {
            reads.push(Read {
                open_id: open_id.to_owned(),
                time_ms: clock.unix_ms,
            });
        }
        true
    }

    /// Who read a message the bot of `app_id` sent, oldest read first.
    pub(crate) fn read_users(&self, message_id: &str, app_id: &str) -> Result<&[Read], ImError> {
        let message = &self.messages[self.live(message_id)?];
        if !message.is_own(app_id) {
            return Err(ImError::NotOwnMessage);
        }
        Ok(&message.reads)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::ids::IdSource;
    use crate::messages::{Chats, NewMessage, Sender};

    fn clock(now: Instant, unix_ms: u64) -> Moment {
        Moment { now, unix_ms }
    }

    fn store() -> MessageStore {
        let mut chats = Chats::default();
        chats.add_group("oc_group", "Group").expect("a group");
        MessageStore::new(chats)
    }

    fn new(app_id: &str, receive_id_type: &str, uuid: Option<&str>) -> NewMessage {
        NewMessage {
            sender: Sender::app(app_id, "t"),
            receive_id: "oc_group".to_owned(),
            receive_id_type: receive_id_type.to_owned(),
            msg_type: "text".to_owned(),
            content: r#"{"text":"hi"}"#.to_owned(),
            uuid: uuid.map(str::to_owned),
        }
    }

    #[test]
    fn reads_are_kept_once_per_user_for_the_sender() {
        let ids = IdSource::new();
        let mut store = store();
        let now = clock(Instant::now(), 1);
        let id = store
            .send(new("a", "chat_id", None), &ids, now)
            .expect("sent")
            .record
            .message_id
            .clone();
        assert!(store.mark_read(&id, "ou_1", now));
        assert!(store.mark_read(&id, "ou_1", now));
        assert!(!store.mark_read("om_nope", "ou_1", now));
        assert_eq!(store.read_users(&id, "a").map(<[Read]>::len), Ok(1));
        assert_eq!(
            store.read_users(&id, "b").map(<[Read]>::len),
            Err(ImError::NotOwnMessage)
        );
    }
}
