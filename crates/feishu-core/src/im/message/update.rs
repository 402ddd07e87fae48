//! `PUT /open-apis/im/v1/messages/:message_id`
//!
//! Edit a text or post message the bot sent.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/update>

use std::borrow::Cow;

use http::Method;
use serde::Serialize;

use super::{Message, content_body, message_path, require};
use crate::im::content::MessageContent;
use crate::{Body, Endpoint, Error, InvalidRequest, Shape, TokenKind};

/// `PUT /open-apis/im/v1/messages/:message_id`: replaces a text or post
/// message's content (other types are refused by Feishu with 230054).
#[derive(Clone, Debug)]
pub struct UpdateMessage {
    message_id: String,
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

#[derive(Serialize)]
struct Wire<'a> {
    msg_type: &'a str,
    content: &'a str,
}

impl Endpoint for UpdateMessage {
    type Output = Message;

    fn method(&self) -> Method {
        Method::PUT
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Owned(message_path(&self.message_id, ""))
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        require("message_id", &self.message_id)?;
        content_body(&self.content, |content| {
            Body::json(&Wire {
                msg_type: self.content.msg_type(),
                content,
            })
        })
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Message, Error> {
        Shape::Data.decode(response)
    }
}
