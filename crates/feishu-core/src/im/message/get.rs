//! `GET /open-apis/im/v1/messages/:message_id`
//!
//! Get one message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/get>

use std::borrow::Cow;

use http::Method;
use serde::Deserialize;

use super::{Message, message_path, require};
use crate::{Body, Endpoint, Error, InvalidRequest, Shape, TokenKind};

/// `GET /open-apis/im/v1/messages/:message_id`: one message (the bot must be
/// in its chat).
#[derive(Clone, Debug)]
pub struct GetMessage {
    message_id: String,
}

impl GetMessage {
    /// Gets `message_id`.
    pub fn new(message_id: impl Into<String>) -> Self {
        Self {
            message_id: message_id.into(),
        }
    }
}

/// Feishu answers `{"items":[message]}`, a list even for one id.
#[derive(Deserialize)]
#[serde(try_from = "Items")]
struct OneMessage(Message);

#[derive(Deserialize)]
struct Items {
    items: Vec<Message>,
}

impl TryFrom<Items> for OneMessage {
    type Error = &'static str;

    fn try_from(items: Items) -> Result<Self, Self::Error> {
        items
            .items
            .into_iter()
            .next()
            .map(OneMessage)
            .ok_or("`items` is empty")
    }
}

impl Endpoint for GetMessage {
    type Output = Message;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Owned(message_path(&self.message_id, ""))
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        require("message_id", &self.message_id)?;
        Ok(Body::Empty)
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Message, Error> {
        Shape::Data
            .decode(response)
            .map(|OneMessage(message)| message)
    }
}
