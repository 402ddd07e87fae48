//! `GET /open-apis/im/v1/messages/:message_id`
//!
//! Get one message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/get>

use serde::Deserialize;

use super::Message;
use crate::{Shape, endpoint};

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

endpoint! {
    GetMessage => Message {
        id: "im.v1.message.get",
        method: GET,
        path: "/open-apis/im/v1/messages/:message_id",
        tokens: [Tenant, User],
        params: [message_id],
        body: none,
        shape: data(|_: &GetMessage, response| {
            Shape::Data
                .decode(response)
                .map(|OneMessage(message)| message)
        }),
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/get",
    }
}
