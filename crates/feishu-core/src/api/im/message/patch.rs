//! `PATCH /open-apis/im/v1/messages/:message_id`
//!
//! Update a card the bot sent with `"update_multi": true`.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch>

use serde::Serialize;

use super::content_body;
use crate::endpoint;
use crate::im::content::{Card, MessageContent};

/// `PATCH /open-apis/im/v1/messages/:message_id`: replaces a card's content.
/// Only cards sent with `"config":{"update_multi":true}`, within 14 days, at
/// most 5 updates a second per message; the card is at most 30 KB.
#[derive(Clone, Debug, Serialize)]
pub struct PatchMessage {
    #[serde(skip)]
    message_id: String,
    /// Only `content` goes out: a patch carries no `msg_type`.
    #[serde(rename = "content", serialize_with = "content_only")]
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

endpoint! {
    PatchMessage => () {
        id: "im.v1.message.patch",
        method: PATCH,
        path: "/open-apis/im/v1/messages/:message_id",
        tokens: [Tenant, User],
        params: [message_id],
        body: json(|patch: &PatchMessage| content_body(patch, &patch.card)),
        shape: unit,
        // Setting the same card twice leaves the same card.
        idempotent: true,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch",
    }
}

fn content_only<S: serde::Serializer>(
    card: &MessageContent,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let content = card
        .to_content_string()
        .map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&content)
}
