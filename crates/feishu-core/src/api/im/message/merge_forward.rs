//! `POST /open-apis/im/v1/messages/merge_forward`
//!
//! Forward several messages of one chat as a single merged message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/merge_forward>

use serde::{Deserialize, Serialize};

use super::{Message, ReceiveIdType, Receiver, check_uuid, uuid_or_none};
use crate::{Body, InvalidRequest, Query, Shape, endpoint};

/// `POST /open-apis/im/v1/messages/merge_forward` (an underscore): forwards
/// messages as one. Deduplicated by `uuid` (a query parameter here).
#[derive(Clone, Debug, Serialize)]
pub struct MergeForward {
    #[serde(rename = "receive_id", serialize_with = "Receiver::serialize_id")]
    receiver: Receiver,
    #[serde(rename = "message_id_list")]
    message_ids: Vec<String>,
    /// A query parameter here, not a body field.
    #[serde(skip)]
    uuid: Option<String>,
}

impl MergeForward {
    /// Forwards `message_ids` to `receive_id`, its type told from the id.
    pub fn new(receive_id: impl Into<String>, message_ids: Vec<String>) -> Self {
        Self {
            receiver: Receiver::inferred(receive_id.into()),
            message_ids,
            uuid: None,
        }
    }

    /// Forwards to a receiver whose id type is named.
    pub fn to(
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        message_ids: Vec<String>,
    ) -> Self {
        Self {
            receiver: Receiver::named(receive_id_type, receive_id.into()),
            message_ids,
            uuid: None,
        }
    }

    /// Sets the deduplication key (at most 50 characters).
    pub fn uuid(mut self, uuid: impl Into<String>) -> Self {
        self.uuid = uuid_or_none(uuid.into());
        self
    }
}

/// The answer names the new message; some doc copies wrap it in `message`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Answer {
    Wrapped { message: Message },
    Plain(Message),
}

endpoint! {
    MergeForward => Message {
        id: "im.v1.message.merge_forward",
        method: POST,
        path: "/open-apis/im/v1/messages/merge_forward",
        tokens: [Tenant],
        query: |merge: &MergeForward, query: &mut Query<'_>| {
            merge.receiver.push_type(query);
            if let Some(uuid) = &merge.uuid {
                query.push("uuid", uuid);
            }
        },
        body: json(|merge: &MergeForward| {
            merge.receiver.kind()?;
            if merge.message_ids.is_empty() {
                return Err(InvalidRequest::empty("message_id_list"));
            }
            check_uuid(merge.uuid.as_deref())?;
            Body::json(merge)
        }),
        shape: data(|_: &MergeForward, response| {
            Shape::Data.decode(response).map(|answer| match answer {
                Answer::Wrapped { message } | Answer::Plain(message) => message,
            })
        }),
        dedup: uuid,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/merge_forward",
    }
}
