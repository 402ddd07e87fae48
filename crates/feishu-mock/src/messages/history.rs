//! Chat and thread history, as `GET /im/v1/messages` lists it.

use super::{Message, MessageStore};
use crate::im::error::ImError;

/// What a history lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    /// A chat: its messages, with the roots of threads but not the replies
    /// inside them.
    Chat(String),
    /// A thread: its root and every message in it.
    Thread(String),
}

/// A history request, without its paging.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HistoryQuery {
    pub(crate) container: Container,
    /// Inclusive bounds on `create_time`, in milliseconds; chats only.
    pub(crate) start_ms: Option<u64>,
    pub(crate) end_ms: Option<u64>,
    /// `ByCreateTimeDesc`.
    pub(crate) descending: bool,
}

impl HistoryQuery {
    fn includes(&self, message: &Message) -> bool {
        let record = &message.record;
        match &self.container {
            Container::Thread(thread_id) => record.thread_id.as_ref() == Some(thread_id),
            Container::Chat(chat_id) => {
                let in_thread = record.thread_id.is_some() && record.root_id.is_some();
                let created = record.create_time_ms;
                record.chat_id == *chat_id
                    && !in_thread
                    && self.start_ms.is_none_or(|start| created >= start)
                    && self.end_ms.is_none_or(|end| created <= end)
            }
        }
    }
}

impl MessageStore {
    /// The container's messages in the query's order, each with its position
    /// in the store (a stable cursor for paging). An unknown chat gets 230002,
    /// an unknown thread 230019.
    pub(crate) fn history(&self, query: &HistoryQuery) -> Result<Vec<(u64, &Message)>, ImError> {
        match &query.container {
            Container::Chat(chat_id) if !self.chats.contains(chat_id) => {
                return Err(ImError::BotNotInChat);
            }
            Container::Thread(thread_id) if !self.threads.contains_key(thread_id) => {
                return Err(ImError::ThreadNotFound);
            }
            _ => {}
        }
        let mut items: Vec<(u64, &Message)> = (0_u64..)
            .zip(&self.messages)
            .filter(|(_, message)| query.includes(message))
            .collect();
        if query.descending {
            items.reverse();
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::ids::IdSource;
    use crate::messages::{Chats, Moment, NewMessage, NewReply, Sender};

    #[test]
    fn chats_hide_thread_replies_and_threads_show_them() {
        let mut chats = Chats::default();
        chats.add_group("oc_a", "A").expect("a group");
        let mut store = MessageStore::new(chats);
        let ids = IdSource::new();
        let clock = |ms| Moment {
            now: Instant::now(),
            unix_ms: ms,
        };
        let mut ids_sent = Vec::new();
        for ms in [1000, 2000, 3000] {
            let new = NewMessage {
                sender: Sender::app("cli", "t"),
                receive_id: "oc_a".to_owned(),
                receive_id_type: "chat_id".to_owned(),
                msg_type: "text".to_owned(),
                content: "{}".to_owned(),
                uuid: None,
            };
            let sent = store.send(new, &ids, clock(ms)).expect("sent");
            ids_sent.push(sent.record.message_id.clone());
        }
        let reply = NewReply {
            sender: Sender::app("cli", "t"),
            msg_type: "text".to_owned(),
            content: "{}".to_owned(),
            uuid: None,
            in_thread: true,
        };
        let reply = store.reply(&ids_sent[0], reply, &ids, clock(4000));
        let thread = reply
            .expect("reply")
            .record
            .thread_id
            .clone()
            .expect("thread");

        let listed = |store: &MessageStore, query: HistoryQuery| -> Vec<u64> {
            let items = store.history(&query).expect("history");
            items.into_iter().map(|(i, _)| i).collect()
        };
        let chat = HistoryQuery {
            container: Container::Chat("oc_a".to_owned()),
            start_ms: None,
            end_ms: None,
            descending: false,
        };
        assert_eq!(listed(&store, chat.clone()), [0, 1, 2]);
        let window = HistoryQuery {
            start_ms: Some(2000),
            end_ms: Some(3000),
            descending: true,
            ..chat.clone()
        };
        assert_eq!(listed(&store, window), [2, 1]);
        let in_thread = HistoryQuery {
            container: Container::Thread(thread),
            ..chat
        };
        assert_eq!(listed(&store, in_thread), [0, 3]);
        let unknown = HistoryQuery {
            container: Container::Thread("omt_x".to_owned()),
            start_ms: None,
            end_ms: None,
            descending: false,
        };
        assert_eq!(store.history(&unknown).err(), Some(ImError::ThreadNotFound));
    }
}
