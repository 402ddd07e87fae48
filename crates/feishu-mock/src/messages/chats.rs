//! The chats the bot is in, their members, and the users the mock knows:
//! named groups, and p2p chats with users, which exist from the first
//! message the bot sends to the user.
//!
//! Users are known by `open_id`, with a name; a user who posts in a group
//! joins it and becomes known, so tests only declare users and members
//! they want to name or list.

use std::collections::HashSet;

use crate::ids::{check_chat_id, check_open_id, p2p_chat_id, union_id, user_id};

/// The groups every server starts with: `(chat_id, name)`.
pub(crate) const DEFAULT_CHATS: [(&str, &str); 2] =
    [("oc_mock_general", "General"), ("oc_mock_random", "Random")];

/// The name of a user nobody named.
pub(crate) const DEFAULT_USER_NAME: &str = "Mock User";

/// A group chat, as [`MockServer::chats`](crate::MockServer::chats) reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredChat {
    /// `oc_…`.
    pub chat_id: String,
    /// Its name.
    pub name: String,
    /// Its description, empty unless one was set through the chat API.
    pub description: String,
    /// The `open_id`s of its members (users, not bots), in the order they
    /// joined.
    pub members: Vec<String>,
}

/// A user the mock knows, as [`MockServer::users`](crate::MockServer::users)
/// reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredUser {
    /// `ou_…`.
    pub open_id: String,
    /// The name `GET /open-apis/authen/v1/user_info` and the chat member
    /// list show.
    pub name: String,
}

/// Why a chat, user or member cannot be added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ChatsError {
    /// An id of the wrong shape; the text says which and why.
    BadId(String),
    /// No group with this `chat_id`.
    UnknownGroup(String),
}

impl std::fmt::Display for ChatsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChatsError::BadId(problem) => f.write_str(problem),
            ChatsError::UnknownGroup(chat_id) => write!(f, "no group chat {chat_id:?}"),
        }
    }
}

/// Every chat the bot is in, and every user the mock knows.
#[derive(Debug, Default)]
pub(crate) struct Chats {
    /// In the order they were added.
    groups: Vec<StoredChat>,
    /// The p2p chats opened so far.
    p2p: HashSet<String>,
    /// In the order they became known.
    users: Vec<StoredUser>,
}

impl Chats {
    /// Adds a group, or renames it if it exists (keeping its members).
    pub(crate) fn add_group(&mut self, chat_id: &str, name: &str) -> Result<(), ChatsError> {
        check_chat_id(chat_id).map_err(ChatsError::BadId)?;
        match self.groups.iter_mut().find(|g| g.chat_id == chat_id) {
            Some(group) => name.clone_into(&mut group.name),
            None => self.groups.push(StoredChat {
                chat_id: chat_id.to_owned(),
                name: name.to_owned(),
                description: String::new(),
                members: Vec::new(),
            }),
        }
        Ok(())
    }

    /// The group `chat_id`, to change its name, description or members.
    pub(crate) fn group_mut(&mut self, chat_id: &str) -> Option<&mut StoredChat> {
        self.groups.iter_mut().find(|g| g.chat_id == chat_id)
    }

    /// Disbands the group `chat_id`; whether the bot was in it.
    pub(crate) fn remove_group(&mut self, chat_id: &str) -> bool {
        let before = self.groups.len();
        self.groups.retain(|g| g.chat_id != chat_id);
        self.groups.len() < before
    }

    /// The `open_id` of the user `id` names as `id_type` (`open_id`,
    /// `union_id` or `user_id`). An `open_id` of the right shape names a
    /// user even if the mock has not met them; the derived ids only name
    /// users it knows, as only those can be mapped back.
    pub(crate) fn resolve(&self, id_type: &str, id: &str) -> Option<String> {
        match id_type {
            "open_id" => check_open_id(id).is_ok().then(|| id.to_owned()),
            "union_id" | "user_id" => self
                .users
                .iter()
                .map(|u| &u.open_id)
                .find(|open_id| {
                    let derived = if id_type == "union_id" {
                        union_id(open_id)
                    } else {
                        user_id(open_id)
                    };
                    derived == id
                })
                .cloned(),
            _ => None,
        }
    }

    /// Adds a user, or renames them if known.
    pub(crate) fn add_user(&mut self, open_id: &str, name: &str) -> Result<(), ChatsError> {
        check_open_id(open_id).map_err(ChatsError::BadId)?;
        match self.users.iter_mut().find(|u| u.open_id == open_id) {
            Some(user) => name.clone_into(&mut user.name),
            None => self.users.push(StoredUser {
                open_id: open_id.to_owned(),
                name: name.to_owned(),
            }),
        }
        Ok(())
    }

    /// Makes `open_id` a member of the group `chat_id` (once), and a known
    /// user if they were not.
    pub(crate) fn add_member(&mut self, chat_id: &str, open_id: &str) -> Result<(), ChatsError> {
        check_open_id(open_id).map_err(ChatsError::BadId)?;
        let group = self
            .groups
            .iter_mut()
            .find(|g| g.chat_id == chat_id)
            .ok_or_else(|| ChatsError::UnknownGroup(chat_id.to_owned()))?;
        if !group.members.iter().any(|m| m == open_id) {
            group.members.push(open_id.to_owned());
        }
        self.know(open_id);
        Ok(())
    }

    /// Records that `open_id` posted in `chat_id`: they become known, and a
    /// member if it is a group.
    pub(crate) fn note_poster(&mut self, chat_id: &str, open_id: &str) {
        if let Some(group) = self.groups.iter_mut().find(|g| g.chat_id == chat_id)
            && !group.members.iter().any(|m| m == open_id)
        {
            group.members.push(open_id.to_owned());
        }
        self.know(open_id);
    }

    fn know(&mut self, open_id: &str) {
        if !self.users.iter().any(|u| u.open_id == open_id) {
            self.users.push(StoredUser {
                open_id: open_id.to_owned(),
                name: DEFAULT_USER_NAME.to_owned(),
            });
        }
    }

    /// The groups, oldest first.
    pub(crate) fn groups(&self) -> &[StoredChat] {
        &self.groups
    }

    /// The group `chat_id`, if the bot is in it.
    pub(crate) fn group(&self, chat_id: &str) -> Option<&StoredChat> {
        self.groups.iter().find(|g| g.chat_id == chat_id)
    }

    /// The known users, oldest first.
    pub(crate) fn users(&self) -> &[StoredUser] {
        &self.users
    }

    /// The name of `open_id`: theirs if known, else [`DEFAULT_USER_NAME`].
    pub(crate) fn user_name(&self, open_id: &str) -> &str {
        self.users
            .iter()
            .find(|u| u.open_id == open_id)
            .map_or(DEFAULT_USER_NAME, |u| u.name.as_str())
    }

    /// Whether the bot is in `chat_id`, a group or a p2p chat.
    pub(crate) fn contains(&self, chat_id: &str) -> bool {
        self.p2p.contains(chat_id) || self.is_group(chat_id)
    }

    /// Whether `chat_id` is a group the bot is in.
    pub(crate) fn is_group(&self, chat_id: &str) -> bool {
        self.group(chat_id).is_some()
    }

    /// Adds `chat_id` as a p2p chat, one a user opened with the bot.
    pub(crate) fn add_p2p(&mut self, chat_id: &str) -> Result<(), ChatsError> {
        check_chat_id(chat_id).map_err(ChatsError::BadId)?;
        self.p2p.insert(chat_id.to_owned());
        Ok(())
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
        chats.add_group("oc_a", "A").expect("added");
        chats.add_group("oc_b", "B").expect("added");
        chats.add_member("oc_a", "ou_1").expect("joined");
        chats.add_group("oc_a", "A2").expect("renamed");
        let names: Vec<_> = chats.groups().iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["A2", "B"]);
        assert_eq!(
            chats.groups()[0].members,
            ["ou_1"],
            "renaming keeps members"
        );
        assert!(chats.contains("oc_b"));
        assert!(!chats.contains("oc_c"));
        assert!(chats.add_group("chat", "x").is_err());
        assert!(chats.add_group("oc_", "x").is_err());
    }

    #[test]
    fn members_and_users_are_kept_once() {
        let mut chats = Chats::default();
        chats.add_group("oc_a", "A").expect("added");
        chats.add_user("ou_1", "Alice").expect("added");
        chats.add_member("oc_a", "ou_1").expect("joined");
        chats.add_member("oc_a", "ou_1").expect("joined");
        chats.note_poster("oc_a", "ou_2");
        chats.note_poster("oc_elsewhere", "ou_3");
        assert_eq!(chats.groups()[0].members, ["ou_1", "ou_2"]);
        assert_eq!(chats.user_name("ou_1"), "Alice");
        assert_eq!(chats.user_name("ou_2"), DEFAULT_USER_NAME);
        assert_eq!(chats.users().len(), 3);
        assert_eq!(
            chats.add_member("oc_nope", "ou_1"),
            Err(ChatsError::UnknownGroup("oc_nope".to_owned()))
        );
        assert!(matches!(
            chats.add_member("oc_a", "alice"),
            Err(ChatsError::BadId(_))
        ));
        assert!(chats.add_user("on_1", "x").is_err());
    }

    #[test]
    fn users_are_resolved_by_any_id_they_have() {
        let mut chats = Chats::default();
        chats.add_user("ou_1", "Alice").expect("added");
        assert_eq!(chats.resolve("open_id", "ou_2").as_deref(), Some("ou_2"));
        assert_eq!(chats.resolve("open_id", "alice"), None);
        let by_union = chats.resolve("union_id", &union_id("ou_1"));
        assert_eq!(by_union.as_deref(), Some("ou_1"));
        let by_user_id = chats.resolve("user_id", &user_id("ou_1"));
        assert_eq!(by_user_id.as_deref(), Some("ou_1"));
        assert_eq!(chats.resolve("user_id", &user_id("ou_unknown")), None);
        assert_eq!(chats.resolve("app_id", "cli_x"), None);
    }

    #[test]
    fn groups_are_disbanded_once() {
        let mut chats = Chats::default();
        chats.add_group("oc_a", "A").expect("added");
        assert!(chats.remove_group("oc_a"));
        assert!(!chats.remove_group("oc_a"));
        assert!(!chats.contains("oc_a"));
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
