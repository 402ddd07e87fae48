//! `POST /open-apis/im/v1/messages/:message_id/forward`
//!
//! Forward a message to a user, a chat or a thread.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/forward>

use serde::Serialize;

use super::{Message, ReceiveIdType, Receiver, check_uuid, uuid_or_none};
use crate::{Body, Query, endpoint};

/// `POST /open-apis/im/v1/messages/:message_id/forward`: forwards a message.
/// Deduplicated by `uuid` (a query parameter here).
#[derive(Clone, Debug, Serialize)]
pub struct ForwardMessage {
    #[serde(skip)]
    message_id: String,
    #[serde(rename = "receive_id", serialize_with = "Receiver::serialize_id")]
    receiver: Receiver,
    /// A query parameter here, not a body field.
    #[serde(skip)]
    uuid: Option<String>,
}

impl ForwardMessage {
    /// Forwards `message_id` to `receive_id`, its type told from the id.
    pub fn new(message_id: impl Into<String>, receive_id: impl Into<String>) -> Self {
        Self {
            message_id: message_id.into(),
            receiver: Receiver::inferred(receive_id.into()),
            uuid: None,
        }
    }

    /// Forwards to a receiver whose id type is named.
    pub fn to(
        message_id: impl Into<String>,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
    ) -> Self {
        Self {
            message_id: message_id.into(),
            receiver: Receiver::named(receive_id_type, receive_id.into()),
            uuid: None,
        }
    }

    /// Sets the deduplication key (at most 50 characters).
    pub fn uuid(mut self, uuid: impl Into<String>) -> Self {
        self.uuid = uuid_or_none(uuid.into());
        self
    }
}

endpoint! {
    ForwardMessage => Message {
        id: "im.v1.message.forward",
        method: POST,
        path: "/open-apis/im/v1/messages/:message_id/forward",
        tokens: [Tenant, User],
        params: [message_id],
        query: |forward: &ForwardMessage, query: &mut Query<'_>| {
            forward.receiver.push_type(query);
            if let Some(uuid) = &forward.uuid {
                query.push("uuid", uuid);
            }
        },
        body: json(|forward: &ForwardMessage| {
            forward.receiver.kind()?;
            check_uuid(forward.uuid.as_deref())?;
            Body::json(forward)
        }),
        shape: data,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/forward",
    }
}
