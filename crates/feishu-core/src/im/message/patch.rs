//! `PATCH /open-apis/im/v1/messages/:message_id`
//!
//! Update a card the bot sent with `"update_multi": true`.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch>

use std::borrow::Cow;

use http::Method;
use serde::Serialize;

use super::{content_body, message_path, require};
use crate::im::content::{Card, MessageContent};
use crate::{Body, Endpoint, Error, InvalidRequest, Shape, TokenKind};

/// `PATCH /open-apis/im/v1/messages/:message_id`: replaces a card's content.
/// Only cards sent with `"config":{"update_multi":true}`, within 14 days, at
/// most 5 updates a second per message; the card is at most 30 KB.
#[derive(Clone, Debug)]
pub struct PatchMessage {
    message_id: String,
    card: MessageContent,
}

impl PatchMessage {
    /// A new card for `message_id`.
    pub fn new(message_id: impl Into<String>, card: Card) -> Self {
        Self {
            message_id: message_id.into(),
            card: MessageContent::Interactive(card),
        }
    }
}

#[derive(Serialize)]
struct Wire<'a> {
    content: &'a str,
}

impl Endpoint for PatchMessage {
    type Output = ();

    fn method(&self) -> Method {
        Method::PATCH
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Owned(message_path(&self.message_id, ""))
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        require("message_id", &self.message_id)?;
        content_body(&self.card, |content| Body::json(&Wire { content }))
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    // Setting the same card twice leaves the same card.
    fn idempotent(&self) -> bool {
        true
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<(), Error> {
        Shape::Data.check(response)
    }
}
