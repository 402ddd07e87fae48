//! `DELETE /open-apis/im/v1/messages/:message_id`
//!
//! Recall a message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/delete>

use crate::endpoint;

/// `DELETE /open-apis/im/v1/messages/:message_id`: recalls a message. A bot
/// may recall its own messages up to 24 h old (others' as a group owner or
/// admin); a second recall answers
/// [`MESSAGE_RECALLED`](crate::codes::MESSAGE_RECALLED).
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

endpoint! {
    RecallMessage => () {
        id: "im.v1.message.delete",
        method: DELETE,
        path: "/open-apis/im/v1/messages/:message_id",
        tokens: [Tenant, User],
        params: [message_id],
        body: none,
        shape: unit,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/delete",
    }
}
