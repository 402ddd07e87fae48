//! `POST /open-apis/im/v1/messages`
//!
//! Send a message to a user or a chat.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create>

use serde::Serialize;

use super::{Message, ReceiveIdType, Receiver, check_uuid, content_body, uuid_or_none};
use crate::im::content::MessageContent;
use crate::{InvalidRequest, Query, endpoint};

/// `POST /open-apis/im/v1/messages`: sends a message.
///
/// Its `uuid` makes a repeat post once: [`Call`](crate::Call) sets one when
/// the caller did not, so a retry after a lost answer cannot post twice.
/// The body is checked against Feishu's size limit before anything is sent.
///
/// ```
/// use feishu_core::im::{content::MessageContent, message::SendMessage};
///
/// let send = SendMessage::new("oc_5ad11d72b830411d72b836c20", MessageContent::text("hello"));
/// let request = feishu_core::build(&feishu_core::Config::feishu(), &send, Some(&"t-x".into()))?;
/// assert_eq!(request.uri().query(), Some("receive_id_type=chat_id"));
/// # Ok::<(), feishu_core::Error>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct SendMessage {
    #[serde(rename = "receive_id", serialize_with = "Receiver::serialize_id")]
    receiver: Receiver,
    #[serde(flatten)]
    content: MessageContent,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
}

impl SendMessage {
    /// A message for `receive_id`, its type told from the id (`oc_`, `ou_`,
    /// `on_`, an email); a `user_id` needs [`SendMessage::to`].
    pub fn new(receive_id: impl Into<String>, content: MessageContent) -> Self {
        Self {
            receiver: Receiver::inferred(receive_id.into()),
            content,
            uuid: None,
        }
    }

    /// A message for a receiver whose id type is named.
    pub fn to(
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        content: MessageContent,
    ) -> Self {
        Self {
            receiver: Receiver::named(receive_id_type, receive_id.into()),
            content,
            uuid: None,
        }
    }

    /// Sets the deduplication key (at most 50 characters): requests with the
    /// same `uuid` post at most once an hour. Derive it from an inbound
    /// `event_id` to answer a redelivered event once.
    pub fn uuid(mut self, uuid: impl Into<String>) -> Self {
        self.uuid = uuid_or_none(uuid.into());
        self
    }
}

endpoint! {
    SendMessage => Message {
        id: "im.v1.message.create",
        method: POST,
        path: "/open-apis/im/v1/messages",
        tokens: [Tenant, User],
        query: |send: &SendMessage, query: &mut Query<'_>| send.receiver.push_type(query),
        body: json(|send: &SendMessage| {
            // A thread receives forwards, not sends.
            if send.receiver.kind()? == ReceiveIdType::ThreadId {
                return Err(InvalidRequest::field(
                    "receive_id_type",
                    "cannot be thread_id: a thread receives forwards, not sends",
                ));
            }
            check_uuid(send.uuid.as_deref())?;
            content_body(send, &send.content)
        }),
        shape: data,
        dedup: uuid,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create",
    }
}
