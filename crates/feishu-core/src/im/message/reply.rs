//! `POST /open-apis/im/v1/messages/:message_id/reply`
//!
//! Reply to a message, in its chat or in a thread.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/reply>

use std::borrow::Cow;

use http::Method;
use serde::Serialize;

use super::{Message, check_uuid, content_body, message_path, require, uuid_or_none};
use crate::im::content::MessageContent;
use crate::{Body, Endpoint, Error, InvalidRequest, Shape, TokenKind};

/// `POST /open-apis/im/v1/messages/:message_id/reply`: replies to a message.
/// In a topic group the reply goes into the thread on its own. Deduplicated
/// by `uuid` like [`SendMessage`](super::SendMessage).
#[derive(Clone, Debug)]
pub struct ReplyMessage {
    message_id: String,
    content: MessageContent,
    reply_in_thread: bool,
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

#[derive(Serialize)]
struct Wire<'a> {
    content: &'a str,
    msg_type: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reply_in_thread: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<&'a str>,
}

impl Endpoint for ReplyMessage {
    type Output = Message;
    const TAKES_UUID: bool = true;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Owned(message_path(&self.message_id, "/reply"))
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        require("message_id", &self.message_id)?;
        check_uuid(self.uuid.as_deref())?;
        content_body(&self.content, |content| {
            Body::json(&Wire {
                content,
                msg_type: self.content.msg_type(),
                reply_in_thread: self.reply_in_thread,
                uuid: self.uuid.as_deref(),
            })
        })
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    // With a uuid, Feishu posts a repeat once.
    fn idempotent(&self) -> bool {
        self.uuid.is_some()
    }

    fn with_uuid(&self, uuid: &str) -> Option<Self> {
        self.uuid.is_none().then(|| self.clone().uuid(uuid))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Message, Error> {
        Shape::Data.decode(response)
    }
}
