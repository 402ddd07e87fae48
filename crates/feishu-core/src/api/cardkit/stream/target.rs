//! Where a stream's card goes: a reply or a message.

use super::StreamRequest;
use crate::cardkit::CardId;
use crate::im::content::{Card, MessageContent};
use crate::im::message::{ReceiveIdType, ReplyMessage, SendMessage};

/// Where the card goes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Target {
    /// A reply to a message.
    Reply {
        /// The message replied to, `om_…`.
        message_id: String,
        /// Whether the reply goes into the message's thread.
        in_thread: bool,
    },
    /// A message to a chat or user.
    Send {
        /// The receiver.
        receive_id: String,
        /// Its id type; told from the id when `None` (see
        /// [`ReceiveIdType::infer`]).
        receive_id_type: Option<ReceiveIdType>,
    },
}

impl Target {
    /// A reply to `message_id`, in its chat.
    pub fn reply(message_id: impl Into<String>) -> Self {
        Self::Reply {
            message_id: message_id.into(),
            in_thread: false,
        }
    }

    /// A reply to `message_id`, in its thread.
    pub fn reply_in_thread(message_id: impl Into<String>) -> Self {
        Self::Reply {
            message_id: message_id.into(),
            in_thread: true,
        }
    }

    /// A message to `receive_id` (`oc_…`, `ou_…`, `on_…`, an email).
    pub fn to(receive_id: impl Into<String>) -> Self {
        Self::Send {
            receive_id: receive_id.into(),
            receive_id_type: None,
        }
    }

    /// A message to a receiver whose id type is named (a `user_id`).
    pub fn to_typed(receive_id_type: ReceiveIdType, receive_id: impl Into<String>) -> Self {
        Self::Send {
            receive_id: receive_id.into(),
            receive_id_type: Some(receive_id_type),
        }
    }

    pub(super) fn request(&self, card_id: &CardId) -> StreamRequest {
        let content = MessageContent::Interactive(Card::entity(card_id.as_str()));
        match self {
            Target::Reply {
                message_id,
                in_thread,
            } => {
                let reply = ReplyMessage::new(message_id.as_str(), content);
                StreamRequest::ReplyMessage(if *in_thread { reply.in_thread() } else { reply })
            }
            Target::Send {
                receive_id,
                receive_id_type: None,
            } => StreamRequest::SendMessage(SendMessage::new(receive_id.as_str(), content)),
            Target::Send {
                receive_id,
                receive_id_type: Some(kind),
            } => StreamRequest::SendMessage(SendMessage::to(*kind, receive_id.as_str(), content)),
        }
    }
}
