//! Changing a sent message: editing text and rich text, patching cards,
//! recalling. Only the bot that sent a message may change it (230027).

use super::{Message, MessageStore, Moment, StoredMessage};
use crate::im::error::ImError;

/// The `msg_type`s `PUT` can edit, and edit into.
const EDITABLE: [&str; 2] = ["text", "post"];

impl MessageStore {
    /// Replaces a text or rich-text message's content (230054 for any other
    /// type); marks it `updated`.
    pub(crate) fn edit(
        &mut self,
        message_id: &str,
        app_id: &str,
        msg_type: &str,
        content: &str,
        clock: Moment,
    ) -> Result<&Message, ImError> {
        let index = self.own_live(message_id, app_id)?;
        let record = &mut self.messages[index].record;
        if !EDITABLE.contains(&record.msg_type.as_str()) || !EDITABLE.contains(&msg_type) {
            return Err(ImError::UnsupportedMsgType);
        }
        msg_type.clone_into(&mut record.msg_type);
        content.clone_into(&mut record.content);
        record.updated = true;
        touch(record, clock);
        Ok(&self.messages[index])
    }

    /// Replaces a card's content (230054 for anything but `interactive`);
    /// marks it `updated`.
    pub(crate) fn patch_card(
        &mut self,
        message_id: &str,
        app_id: &str,
        content: &str,
        clock: Moment,
    ) -> Result<(), ImError> {
        let index = self.own_live(message_id, app_id)?;
        let record = &mut self.messages[index].record;
        if record.msg_type != "interactive" {
            return Err(ImError::UnsupportedMsgType);
        }
        content.clone_into(&mut record.content);
        record.updated = true;
        touch(record, clock);
        Ok(())
    }

    /// Recalls a message: it stays in the store and in history, `deleted`,
    /// with its body shown as recalled. A second recall gets 230011.
    pub(crate) fn recall(
        &mut self,
        message_id: &str,
        app_id: &str,
        clock: Moment,
    ) -> Result<(), ImError> {
        let index = self.own_live(message_id, app_id)?;
        let record = &mut self.messages[index].record;
        record.deleted = true;
        touch(record, clock);
        Ok(())
    }

    /// Shows `follow_ups` under a message the bot sent, replacing any shown
    /// before; its content and `update_time` stay as they are.
    pub(crate) fn push_follow_ups(
        &mut self,
        message_id: &str,
        app_id: &str,
        follow_ups: Vec<String>,
    ) -> Result<(), ImError> {
        let index = self.own_live(message_id, app_id)?;
        self.messages[index].record.follow_ups = follow_ups;
        Ok(())
    }

    /// The index of a message that exists (230001), is not recalled (230011)
    /// and was sent by the bot of `app_id` (230027).
    fn own_live(&self, message_id: &str, app_id: &str) -> Result<usize, ImError> {
        let index = self.live(message_id)?;
        if !self.messages[index].is_own(app_id) {
            return Err(ImError::NotOwnMessage);
        }
        Ok(index)
    }
}

/// A new `update_time`: now, but always later than the last one.
fn touch(record: &mut StoredMessage, clock: Moment) {
    record.update_time_ms = clock.unix_ms.max(record.update_time_ms.saturating_add(1));
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::ids::IdSource;
    use crate::messages::{Chats, NewMessage, Sender};

    fn store_with(msg_type: &str) -> (MessageStore, String, Moment) {
        let mut chats = Chats::default();
        chats.add_group("oc_a", "A").expect("a group");
        let mut store = MessageStore::new(chats);
        let clock = Moment {
            now: Instant::now(),
            unix_ms: 100,
        };
        let new = NewMessage {
            sender: Sender::app("cli", "t"),
            receive_id: "oc_a".to_owned(),
            receive_id_type: "chat_id".to_owned(),
            msg_type: msg_type.to_owned(),
            content: "{}".to_owned(),
            uuid: None,
        };
        let id = store
            .send(new, &IdSource::new(), clock)
            .expect("sent")
            .record
            .message_id
            .clone();
        (store, id, clock)
    }

    #[test]
    fn edits_text_and_post_only() {
        let (mut store, id, clock) = store_with("text");
        let edited = store
            .edit(&id, "cli", "post", r#"{"zh_cn":{}}"#, clock)
            .expect("edited");
        assert!(edited.record.updated);
        assert_eq!(edited.record.msg_type, "post");
        assert_eq!(edited.record.update_time_ms, 101);
        let into_card = store.edit(&id, "cli", "interactive", "{}", clock);
        assert_eq!(into_card.err(), Some(ImError::UnsupportedMsgType));
        assert_eq!(
            store.edit(&id, "other", "text", "{}", clock).err(),
            Some(ImError::NotOwnMessage)
        );
        let (mut cards, card, clock) = store_with("interactive");
        assert_eq!(
            cards.edit(&card, "cli", "text", "{}", clock).err(),
            Some(ImError::UnsupportedMsgType)
        );
    }

    #[test]
    fn patches_cards_only() {
        let (mut store, id, clock) = store_with("interactive");
        store
            .patch_card(&id, "cli", r#"{"elements":[]}"#, clock)
            .expect("patched");
        let record = &store.message(&id).expect("stored").record;
        assert_eq!(record.content, r#"{"elements":[]}"#);
        let (mut texts, text, clock) = store_with("text");
        assert_eq!(
            texts.patch_card(&text, "cli", "{}", clock),
            Err(ImError::UnsupportedMsgType)
        );
    }

    #[test]
    fn follow_ups_go_under_own_live_messages() {
        let (mut store, id, clock) = store_with("text");
        let bubbles = vec!["Yes".to_owned(), "No".to_owned()];
        assert_eq!(store.push_follow_ups(&id, "cli", bubbles.clone()), Ok(()));
        let record = &store.message(&id).expect("stored").record;
        assert_eq!(record.follow_ups, bubbles);
        assert!(!record.updated);
        assert_eq!(
            store.push_follow_ups(&id, "other", bubbles.clone()),
            Err(ImError::NotOwnMessage)
        );
        store.recall(&id, "cli", clock).expect("recalled");
        assert_eq!(
            store.push_follow_ups(&id, "cli", bubbles),
            Err(ImError::Recalled)
        );
    }

    #[test]
    fn recalls_once() {
        let (mut store, id, clock) = store_with("text");
        assert_eq!(
            store.recall(&id, "other", clock),
            Err(ImError::NotOwnMessage)
        );
        assert_eq!(store.recall(&id, "cli", clock), Ok(()));
        assert_eq!(store.recall(&id, "cli", clock), Err(ImError::Recalled));
        assert_eq!(
            store.edit(&id, "cli", "text", "{}", clock).err(),
            Some(ImError::Recalled)
        );
        let json = store.get(&id).expect("still there");
        assert_eq!(json[0]["deleted"], true);
        assert_eq!(
            json[0]["body"]["content"],
            crate::messages::RECALLED_CONTENT
        );
        assert_eq!(
            store.recall("om_nope", "cli", clock),
            Err(ImError::unknown_message())
        );
    }
}
