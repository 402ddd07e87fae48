//! `POST /open-apis/im/v1/messages/:message_id/push_follow_up`
//!
//! Show follow-up suggestions under a message the bot sent.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/push_follow_up>

use std::borrow::Cow;

use http::Method;
use serde::Serialize;

use super::{message_path, require};
use crate::{Body, Endpoint, Error, InvalidRequest, Shape, TokenKind};

/// `POST /open-apis/im/v1/messages/:message_id/push_follow_up`: follow-up
/// bubbles a user can tap to answer a bot's message.
#[derive(Clone, Debug)]
pub struct PushFollowUp {
    message_id: String,
    follow_ups: Vec<FollowUp>,
}

/// One follow-up bubble.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FollowUp {
    /// Its text.
    pub content: String,
}

impl FollowUp {
    /// A bubble with this text.
    pub fn new(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
        }
    }
}

impl PushFollowUp {
    /// Follow-ups under `message_id`.
    pub fn new(message_id: impl Into<String>, follow_ups: Vec<FollowUp>) -> Self {
        Self {
            message_id: message_id.into(),
            follow_ups,
        }
    }
}

#[derive(Serialize)]
struct Wire<'a> {
    follow_ups: &'a [FollowUp],
}

impl Endpoint for PushFollowUp {
    type Output = ();

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Owned(message_path(&self.message_id, "/push_follow_up"))
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        require("message_id", &self.message_id)?;
        if self.follow_ups.is_empty() {
            return Err(InvalidRequest::EmptyField("follow_ups"));
        }
        Body::json(&Wire {
            follow_ups: &self.follow_ups,
        })
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<(), Error> {
        Shape::Data.check(response)
    }
}
