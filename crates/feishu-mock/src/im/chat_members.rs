//! Group members: list the users in a group the bot is in.

pub(super) mod get;
