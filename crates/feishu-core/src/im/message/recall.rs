//! `DELETE /open-apis/im/v1/messages/:message_id`
//!
//! Recall a message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/delete>

use std::borrow::Cow;

use http::Method;

use super::{message_path, require};
use crate::{Body, Endpoint, Error, InvalidRequest, Shape, TokenKind};

/// `DELETE /open-apis/im/v1/messages/:message_id`: recalls a message. A bot
/// may recall its own messages up to 24 h old (others' as a group owner or
/// admin); a second recall answers 230011.
#[derive(Clone, Debug)]
pub struct RecallMessage {
    message_id: String,
}

impl RecallMessage {
    /// Recalls `message_id`.
    pub fn new(message_id: impl Into<String>) -> Self {
        Self {
            message_id: message_id.into(),
        }
    }
}

impl Endpoint for RecallMessage {
    type Output = ();

    fn method(&self) -> Method {
        Method::DELETE
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

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<(), Error> {
        Shape::Data.check(response)
    }
}
