//! `PUT /open-apis/im/v1/messages/:message_id`
//!
//! Edit a text or post message the bot sent.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/update>

use serde::Serialize;

use super::{Message, content_body};
use crate::endpoint;
use crate::im::content::MessageContent;

/// `PUT /open-apis/im/v1/messages/:message_id`: replaces a text or post
/// message's content (other types are refused by Feishu with
/// [`UNSUPPORTED_MESSAGE_TYPE`](crate::codes::UNSUPPORTED_MESSAGE_TYPE)).
#[derive(Clone, Debug, Serialize)]
pub struct UpdateMessage {
    #[serde(skip)]
    message_id: String,
    #[serde(flatten)]
    content: MessageContent,
}

impl UpdateMessage {
    /// New content for `message_id`.
    pub fn new(message_id: impl Into<String>, content: MessageContent) -> Self {
        Self {
            message_id: message_id.into(),
            content,
        }
    }
}

endpoint! {
    UpdateMessage => Message {
        id: "im.v1.message.update",
        method: PUT,
        path: "/open-apis/im/v1/messages/:message_id",
        tokens: [Tenant],
        params: [message_id],
        body: json(|update: &UpdateMessage| content_body(update, &update.content)),
        shape: data,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/update",
    }
}
