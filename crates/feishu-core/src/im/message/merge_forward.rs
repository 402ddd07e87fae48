//! `POST /open-apis/im/v1/messages/merge_forward`
//!
//! Forward several messages of one chat as a single merged message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/merge_forward>

use std::borrow::Cow;

use http::Method;
use serde::{Deserialize, Serialize};

use super::{Message, ReceiveIdType, Receiver, check_uuid, uuid_or_none};
use crate::{Body, Endpoint, Error, InvalidRequest, Query, Shape, TokenKind};

/// `POST /open-apis/im/v1/messages/merge_forward` (an underscore): forwards
/// messages as one. Deduplicated by `uuid` (a query parameter here).
#[derive(Clone, Debug)]
pub struct MergeForward {
    receiver: Receiver,
    message_ids: Vec<String>,
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

#[derive(Serialize)]
struct Wire<'a> {
    receive_id: &'a str,
    message_id_list: &'a [String],
}

/// The answer names the new message; some doc copies wrap it in `message`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Answer {
    Wrapped { message: Message },
    Plain(Message),
}

impl Endpoint for MergeForward {
    type Output = Message;
    const TAKES_UUID: bool = true;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/open-apis/im/v1/messages/merge_forward")
    }

    fn query(&self, query: &mut Query<'_>) {
        if let Ok(kind) = self.receiver.kind() {
            query.push("receive_id_type", kind);
        }
        if let Some(uuid) = &self.uuid {
            query.push("uuid", uuid);
        }
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        self.receiver.kind()?;
        if self.message_ids.is_empty() {
            return Err(InvalidRequest::EmptyField("message_id_list"));
        }
        check_uuid(self.uuid.as_deref())?;
        Body::json(&Wire {
            receive_id: self.receiver.id(),
            message_id_list: &self.message_ids,
        })
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    // With a uuid, Feishu forwards a repeat once.
    fn idempotent(&self) -> bool {
        self.uuid.is_some()
    }

    fn with_uuid(&self, uuid: &str) -> Option<Self> {
        self.uuid.is_none().then(|| self.clone().uuid(uuid))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Message, Error> {
        Shape::Data.decode(response).map(|answer| match answer {
            Answer::Wrapped { message } | Answer::Plain(message) => message,
        })
    }
}
