//! What a test does to the mock's world, as fallible operations: shared by
//! [`MockServer`](crate::MockServer)'s methods, which panic on an error (a
//! bug in the test), and the control API, which answers it as a 4xx.

use std::fmt;

use serde_json::{Value, json};

use crate::events::payloads::{self, Received};
use crate::ids::check_open_id;
use crate::messages::{ChatsError, Sender, is_json_object};
use crate::state::{SELF_BUILT_TENANT_KEY, Shared};

/// Why an operation on the mock's world cannot be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ActionError {
    /// An id of the wrong shape, or content that is not serialized JSON;
    /// the text says which.
    Invalid(String),
    /// No such chat, group, message or app; the text names it.
    NotFound(String),
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::Invalid(problem) | ActionError::NotFound(problem) => f.write_str(problem),
        }
    }
}

impl From<ChatsError> for ActionError {
    fn from(e: ChatsError) -> Self {
        match e {
            ChatsError::BadId(_) => ActionError::Invalid(e.to_string()),
            ChatsError::UnknownGroup(_) => ActionError::NotFound(e.to_string()),
        }
    }
}

impl Shared {
    /// Adds a group chat the bot is in, or renames it.
    pub(crate) fn add_chat(&self, chat_id: &str, name: &str) -> Result<(), ActionError> {
        Ok(self.messages().chats_mut().add_group(chat_id, name)?)
    }

    /// Adds a user, or renames them.
    pub(crate) fn add_user(&self, open_id: &str, name: &str) -> Result<(), ActionError> {
        Ok(self.messages().chats_mut().add_user(open_id, name)?)
    }

    /// Makes a user a member of a group.
    pub(crate) fn add_chat_member(&self, chat_id: &str, open_id: &str) -> Result<(), ActionError> {
        Ok(self.messages().chats_mut().add_member(chat_id, open_id)?)
    }

    /// Stores a message from the user `open_id` in `chat_id` and returns its
    /// `message_id`.
    pub(crate) fn post_user_message(
        &self,
        chat_id: &str,
        open_id: &str,
        msg_type: &str,
        content: &str,
    ) -> Result<String, ActionError> {
        check_open_id(open_id).map_err(ActionError::Invalid)?;
        if !is_json_object(content) {
            return Err(ActionError::Invalid(
                "content must be a string holding a serialized JSON object".to_owned(),
            ));
        }
        let sender = Sender::user(open_id, SELF_BUILT_TENANT_KEY);
        self.messages()
            .post_as_user(sender, chat_id, msg_type, content, &self.ids, self.moment())
            .ok_or_else(|| ActionError::NotFound(format!("the bot is in no chat {chat_id:?}")))
    }

    /// Records that `open_id` read `message_id`.
    pub(crate) fn mark_read(&self, message_id: &str, open_id: &str) -> Result<(), ActionError> {
        check_open_id(open_id).map_err(ActionError::Invalid)?;
        if self
            .messages()
            .mark_read(message_id, open_id, self.moment())
        {
            Ok(())
        } else {
            Err(ActionError::NotFound(format!("no message {message_id:?}")))
        }
    }

    /// Stores a text message from `open_id` in `chat_id` (a group, or else
    /// the p2p chat the user opens with the bot) and returns the
    /// `im.message.receive_v1` event of it, carrying `token`.
    pub(crate) fn message_event(
        &self,
        chat_id: &str,
        open_id: &str,
        text: &str,
        token: &str,
    ) -> Result<Value, ActionError> {
        check_open_id(open_id).map_err(ActionError::Invalid)?;
        // `Value`'s `Display` is its compact JSON form and cannot fail.
        let content = json!({ "text": text }).to_string();
        let mut messages = self.messages();
        let chat_type = if messages.chats().is_group(chat_id) {
            "group"
        } else {
            messages.chats_mut().add_p2p(chat_id)?;
            "p2p"
        };
        let sender = Sender::user(open_id, SELF_BUILT_TENANT_KEY);
        let clock = self.moment();
        let stored = messages
            .post_as_user(sender, chat_id, "text", &content, &self.ids, clock)
            .and_then(|id| messages.message(&id))
            .map(|message| message.record.clone());
        drop(messages);
        let message =
            stored.ok_or_else(|| ActionError::NotFound(format!("no chat {chat_id:?}")))?;
        let received = Received {
            app_id: crate::SELF_BUILT_APP_ID,
            tenant_key: SELF_BUILT_TENANT_KEY,
            chat_type,
            message: &message,
        };
        Ok(payloads::message_receive(
            &self.events.random,
            token,
            &received,
        ))
    }

    /// The `app_ticket` event of a marketplace app's current ticket.
    pub(crate) fn app_ticket_event(&self, app_id: &str, token: &str) -> Result<Value, ActionError> {
        let ticket = self
            .apps
            .get(app_id)
            .and_then(|app| self.app_ticket(app))
            .ok_or_else(|| not_marketplace(app_id))?;
        Ok(payloads::app_ticket(
            &self.events.random,
            app_id,
            &ticket,
            token,
        ))
    }

    /// Gives a marketplace app a new ticket and returns it.
    pub(crate) fn new_app_ticket(&self, app_id: &str) -> Result<String, ActionError> {
        self.rotate_app_ticket(app_id)
            .ok_or_else(|| not_marketplace(app_id))
    }

    /// A fresh authorization code of `open_id` for `app_id`.
    pub(crate) fn authorization_code(
        &self,
        app_id: &str,
        open_id: &str,
    ) -> Result<String, ActionError> {
        check_open_id(open_id).map_err(ActionError::Invalid)?;
        Ok(self.authorize(app_id, open_id, self.now()))
    }
}

fn not_marketplace(app_id: &str) -> ActionError {
    ActionError::NotFound(format!("{app_id:?} is not a marketplace app"))
}
