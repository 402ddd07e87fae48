//! `POST /open-apis/im/v1/messages/:message_id/reply`
//!
//! Reply to a message, in its chat or in a thread.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/reply>

use serde::Serialize;

use super::{Message, check_uuid, content_body, uuid_or_none};
use crate::endpoint;
use crate::im::content::MessageContent;

/// `POST /open-apis/im/v1/messages/:message_id/reply`: replies to a message.
/// In a topic group the reply goes into the thread on its own. Deduplicated
/// by `uuid` like [`SendMessage`](super::SendMessage).
#[derive(Clone, Debug, Serialize)]
pub struct ReplyMessage {
    #[serde(skip)]
    message_id: String,
    #[serde(flatten)]
    content: MessageContent,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reply_in_thread: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
}

impl ReplyMessage {
    /// A reply to `message_id`.
    pub fn new(message_id: impl Into<String>, content: MessageContent) -> Self {
        Self {
            message_id: message_id.into(),
            content,
            reply_in_thread: false,
            uuid: None,
        }
    }

    /// Replies in the message's thread (creating it) instead of the chat.
    pub fn in_thread(mut self) -> Self {
        self.reply_in_thread = true;
        self
    }

    /// Sets the deduplication key (at most 50 characters).
    pub fn uuid(mut self, uuid: impl Into<String>) -> Self {
        self.uuid = uuid_or_none(uuid.into());
        self
    }
}

endpoint! {
    ReplyMessage => Message {
        id: "im.v1.message.reply",
        method: POST,
        path: "/open-apis/im/v1/messages/:message_id/reply",
        tokens: [Tenant, User],
        params: [message_id],
        body: json(|reply: &ReplyMessage| {
            check_uuid(reply.uuid.as_deref())?;
            content_body(reply, &reply.content)
        }),
        shape: data,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/reply",
    }
}
