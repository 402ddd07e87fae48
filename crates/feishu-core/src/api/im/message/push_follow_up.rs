//! `POST /open-apis/im/v1/messages/:message_id/push_follow_up`
//!
//! Show follow-up suggestions under a message the bot sent.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/push_follow_up>

use serde::Serialize;

use crate::{Body, InvalidRequest, endpoint};

/// `POST /open-apis/im/v1/messages/:message_id/push_follow_up`: follow-up
/// bubbles a user can tap to answer a bot's message.
#[derive(Clone, Debug, Serialize)]
pub struct PushFollowUp {
    #[serde(skip)]
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

endpoint! {
    PushFollowUp => () {
        id: "im.v1.message.push_follow_up",
        method: POST,
        path: "/open-apis/im/v1/messages/:message_id/push_follow_up",
        tokens: [Tenant],
        params: [message_id],
        body: json(|push: &PushFollowUp| {
            if push.follow_ups.is_empty() {
                return Err(InvalidRequest::empty("follow_ups"));
            }
            Body::json(push)
        }),
        shape: unit,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/push_follow_up",
    }
}
