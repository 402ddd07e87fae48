//! The chats the bot is in: named groups, and p2p chats with users, which
//! exist from the first message the bot sends to the user.

use std::collections::HashSet;

use crate::ids::p2p_chat_id;

/// The groups every server starts with: `(chat_id, name)`.
pub(crate) const DEFAULT_CHATS: [(&str, &str); 2] =
    [("oc_mock_general", "General"), ("oc_mock_random", "Random")];

/// A group chat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Group {
    pub(crate) chat_id: String,
    pub(crate) name: String,
}

/// Every chat the bot is in.
#[derive(Debug, Default)]
pub(crate) struct Chats {
    /// In the order they were added.
    groups: Vec<Group>,
    /// The p2p chats opened so far.
    p2p: HashSet<String>,
}

impl Chats {
    /// Adds a group, or renames it if it exists.
    pub(crate) fn add_group(&mut self, chat_id: &str, name: &str) {
        match self.groups.iter_mut().find(|g| g.chat_id == chat_id) {
            Some(group) => name.clone_into(&mut group.name),
            None => self.groups.push(Group {
                chat_id: chat_id.to_owned(),
                name: name.to_owned(),
            }),
        }
    }

    /// The groups, oldest first.
    pub(crate) fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Whether the bot is in `chat_id`, a group or a p2p chat.
    pub(crate) fn contains(&self, chat_id: &str) -> bool {
        self.p2p.contains(chat_id) || self.groups.iter().any(|g| g.chat_id == chat_id)
    }

    /// Whether `chat_id` is a group the bot is in.
    pub(crate) fn is_group(&self, chat_id: &str) -> bool {
        self.groups.iter().any(|g| g.chat_id == chat_id)
    }

    /// Adds `chat_id` as a p2p chat, one a user opened with the bot.
    pub(crate) fn add_p2p(&mut self, chat_id: &str) {
        self.p2p.insert(chat_id.to_owned());
    }

    /// The p2p chat between the bot of `app_id` and the user `receive_id`,
    /// created on first use.
    pub(crate) fn p2p(&mut self, app_id: &str, receive_id: &str) -> String {
        let chat_id = p2p_chat_id(app_id, receive_id);
        self.p2p.insert(chat_id.clone());
        chat_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_added_renamed_and_found() {
        let mut chats = Chats::default();
        chats.add_group("oc_a", "A");
        chats.add_group("oc_b", "B");
        chats.add_group("oc_a", "A2");
        let names: Vec<_> = chats.groups().iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["A2", "B"]);
        assert!(chats.contains("oc_b"));
        assert!(!chats.contains("oc_c"));
    }

    #[test]
    fn p2p_chats_exist_once_used() {
        let mut chats = Chats::default();
        let id = p2p_chat_id("cli_a", "ou_x");
        assert!(!chats.contains(&id));
        assert_eq!(chats.p2p("cli_a", "ou_x"), id);
        assert!(chats.contains(&id));
        assert_eq!(chats.p2p("cli_a", "ou_x"), id);
    }
}
