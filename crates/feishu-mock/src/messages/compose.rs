//! Messages made from other messages: replies (and the threads they open),
//! forwards and merge-forwards.

use super::store::{Draft, Op, Placement};
use super::{MERGE_FORWARD_CONTENT, Message, MessageStore, Moment, Sender};
use crate::ids::IdSource;
use crate::im::error::ImError;

/// A validated reply request.
#[derive(Clone, Debug)]
pub(crate) struct NewReply {
    pub(crate) sender: Sender,
    pub(crate) msg_type: String,
    pub(crate) content: String,
    pub(crate) uuid: Option<String>,
    /// `reply_in_thread`: open a thread on the root if it has none.
    pub(crate) in_thread: bool,
}

/// Where a forward or merge-forward goes, and its idempotency key.
#[derive(Clone, Debug)]
pub(crate) struct Route {
    pub(crate) sender: Sender,
    pub(crate) receive_id_type: String,
    pub(crate) receive_id: String,
    pub(crate) uuid: Option<String>,
}

impl MessageStore {
    /// Replies to `target`. The reply's `root_id` is the root of the target's
    /// reply tree. Outside a thread its `parent_id` is the target; inside one
    /// (the root has a thread, or `in_thread` opens one) it is the root, as
    /// every reply in a thread replies to its root (Feishu's message docs).
    pub(crate) fn reply(
        &mut self,
        target: &str,
        new: NewReply,
        ids: &IdSource,
        clock: Moment,
    ) -> Result<&Message, ImError> {
        let NewReply {
            sender,
            msg_type,
            content,
            uuid,
            in_thread,
        } = new;
        if let Some(index) = self.deduped(&sender.id, Op::Reply, uuid.as_deref(), clock) {
            return Ok(&self.messages[index]);
        }
        let target = &self.messages[self.live(target)?].record;
        let target_id = target.message_id.clone();
        let chat_id = target.chat_id.clone();
        let root_id = target.root_id.clone().unwrap_or_else(|| target_id.clone());
        let root = self.index_of(&root_id)?;
        let thread_id = match &self.messages[root].record.thread_id {
            Some(thread_id) => Some(thread_id.clone()),
            None if in_thread => {
                let thread_id = ids.thread_id();
                self.messages[root].record.thread_id = Some(thread_id.clone());
                self.threads.insert(thread_id.clone(), root);
                Some(thread_id)
            }
            None => None,
        };
        let parent_id = if thread_id.is_some() {
            root_id.clone()
        } else {
            target_id
        };
        let draft = Draft {
            sender,
            receive_id: chat_id.clone(),
            receive_id_type: "chat_id".to_owned(),
            placement: Placement {
                chat_id,
                root_id: Some(root_id),
                parent_id: Some(parent_id),
                thread_id,
            },
            msg_type,
            content,
            uuid,
            merged: Vec::new(),
        };
        let index = self.insert(draft, Op::Reply, ids, clock);
        Ok(&self.messages[index])
    }

    /// Forwards a copy of `source` (its `msg_type` and content) along `route`.
    pub(crate) fn forward(
        &mut self,
        source: &str,
        route: Route,
        ids: &IdSource,
        clock: Moment,
    ) -> Result<&Message, ImError> {
        if let Some(index) =
            self.deduped(&route.sender.id, Op::Forward, route.uuid.as_deref(), clock)
        {
            return Ok(&self.messages[index]);
        }
        let source = &self.messages[self.live(source)?];
        let (msg_type, content, merged) = (
            source.record.msg_type.clone(),
            source.record.content.clone(),
            source.merged.clone(),
        );
        let placement =
            self.placement(&route.sender.id, &route.receive_id_type, &route.receive_id)?;
        let index = self.insert(
            draft(route, placement, msg_type, content, merged),
            Op::Forward,
            ids,
            clock,
        );
        Ok(&self.messages[index])
    }

    /// Forwards `sources` as one `merge_forward` message along `route`, and
    /// lists the ids that could not be forwarded (unknown, recalled or system
    /// messages), as Feishu's `invalid_message_id_list` does. At least one
    /// message must be valid, and all valid ones must be from one chat (230001).
    pub(crate) fn merge_forward(
        &mut self,
        sources: &[String],
        route: Route,
        ids: &IdSource,
        clock: Moment,
    ) -> Result<(&Message, Vec<String>), ImError> {
        let dedup = self.deduped(
            &route.sender.id,
            Op::MergeForward,
            route.uuid.as_deref(),
            clock,
        );
        if let Some(index) = dedup {
            let message = &self.messages[index];
            let invalid = sources
                .iter()
                .filter(|id| !message.merged.contains(id))
                .cloned()
                .collect();
            return Ok((message, invalid));
        }
        let (valid, invalid): (Vec<&String>, Vec<&String>) = sources.iter().partition(|id| {
            self.message(id)
                .is_some_and(|m| !m.record.deleted && m.record.msg_type != "system")
        });
        let first = valid
            .first()
            .and_then(|id| self.message(id))
            .ok_or_else(|| ImError::invalid("message_id_list", "no message can be forwarded"))?;
        let chat_id = &first.record.chat_id;
        if valid
            .iter()
            .filter_map(|id| self.message(id))
            .any(|m| m.record.chat_id != *chat_id)
        {
            return Err(ImError::invalid(
                "message_id_list",
                "the messages must come from one chat",
            ));
        }
        let merged = valid.into_iter().cloned().collect();
        let invalid = invalid.into_iter().cloned().collect();
        let placement =
            self.placement(&route.sender.id, &route.receive_id_type, &route.receive_id)?;
        let draft = draft(
            route,
            placement,
            "merge_forward".to_owned(),
            MERGE_FORWARD_CONTENT.to_owned(),
            merged,
        );
        let index = self.insert(draft, Op::MergeForward, ids, clock);
        Ok((&self.messages[index], invalid))
    }
}

fn draft(
    route: Route,
    placement: Placement,
    msg_type: String,
    content: String,
    merged: Vec<String>,
) -> Draft {
    Draft {
        sender: route.sender,
        receive_id: route.receive_id,
        receive_id_type: route.receive_id_type,
        placement,
        msg_type,
        content,
        uuid: route.uuid,
        merged,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::messages::{Chats, NewMessage};

    struct World {
        store: MessageStore,
        ids: IdSource,
        clock: Moment,
    }

    impl World {
        fn new() -> World {
            let mut chats = Chats::default();
            chats.add_group("oc_a", "A").expect("a group");
            chats.add_group("oc_b", "B").expect("a group");
            World {
                store: MessageStore::new(chats),
                ids: IdSource::new(),
                clock: Moment {
                    now: Instant::now(),
                    unix_ms: 1,
                },
            }
        }

        fn send(&mut self, chat: &str) -> String {
            let new = NewMessage {
                sender: Sender::app("cli", "t"),
                receive_id: chat.to_owned(),
                receive_id_type: "chat_id".to_owned(),
                msg_type: "text".to_owned(),
                content: "{}".to_owned(),
                uuid: None,
            };
            let sent = self.store.send(new, &self.ids, self.clock).expect("sent");
            sent.record.message_id.clone()
        }

        fn reply(&mut self, target: &str, in_thread: bool) -> crate::StoredMessage {
            let new = NewReply {
                sender: Sender::app("cli", "t"),
                msg_type: "text".to_owned(),
                content: "{}".to_owned(),
                uuid: None,
                in_thread,
            };
            let reply = self.store.reply(target, new, &self.ids, self.clock);
            reply.expect("replied").record.clone()
        }

        fn route(&self, receive_id: &str) -> Route {
            Route {
                sender: Sender::app("cli", "t"),
                receive_id_type: "chat_id".to_owned(),
                receive_id: receive_id.to_owned(),
                uuid: None,
            }
        }
    }

    #[test]
    fn replies_chain_to_the_root() {
        let mut world = World::new();
        let root = world.send("oc_a");
        let first = world.reply(&root, false);
        assert_eq!(first.root_id.as_deref(), Some(root.as_str()));
        assert_eq!(first.parent_id.as_deref(), Some(root.as_str()));
        assert_eq!(first.thread_id, None);
        assert_eq!(first.chat_id, "oc_a");
        let second = world.reply(&first.message_id, false);
        assert_eq!(second.root_id.as_deref(), Some(root.as_str()));
        assert_eq!(second.parent_id, Some(first.message_id));
    }

    #[test]
    fn a_thread_opens_on_the_root_and_keeps_replies() {
        let mut world = World::new();
        let root = world.send("oc_a");
        let plain = world.reply(&root, false);
        let threaded = world.reply(&plain.message_id, true);
        let thread = threaded.thread_id.clone().expect("thread");
        assert!(thread.starts_with("omt_"));
        assert_eq!(threaded.parent_id.as_deref(), Some(root.as_str()));
        let root_record = world.store.message(&root).expect("root").record.clone();
        assert_eq!(root_record.thread_id.as_deref(), Some(thread.as_str()));
        // Once there is a thread, every reply goes into it.
        let later = world.reply(&root, false);
        assert_eq!(later.thread_id, Some(thread));
    }

    #[test]
    fn merge_forward_sorts_out_invalid_ids() {
        let mut world = World::new();
        let a = world.send("oc_a");
        let b = world.send("oc_a");
        let other = world.send("oc_b");
        let sources = [a.clone(), "om_missing".to_owned(), b.clone()];
        let (clock, route) = (world.clock, world.route("oc_b"));
        let (merged, invalid) = world
            .store
            .merge_forward(&sources, route, &world.ids, clock)
            .expect("merged");
        assert_eq!(merged.merged, [a.clone(), b]);
        assert_eq!(merged.record.msg_type, "merge_forward");
        assert_eq!(invalid, ["om_missing"]);
        let mixed = [a, other];
        let refused = world
            .store
            .merge_forward(&mixed, world.route("oc_b"), &world.ids, clock)
            .map(|(m, _)| m.record.clone());
        assert!(matches!(refused, Err(ImError::InvalidParam { .. })));
    }
}
