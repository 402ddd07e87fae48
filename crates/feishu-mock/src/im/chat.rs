//! Group chats: list the ones the bot is in.

pub(super) mod list;
