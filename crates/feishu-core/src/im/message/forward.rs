//! `POST /open-apis/im/v1/messages/:message_id/forward`
//!
//! Forward a message to a user, a chat or a thread.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/forward>

use std::borrow::Cow;

use http::Method;
use serde::Serialize;

use super::{Message, ReceiveIdType, Receiver, check_uuid, message_path, require, uuid_or_none};
use crate::{Body, Endpoint, Error, InvalidRequest, Query, Shape, TokenKind};

/// `POST /open-apis/im/v1/messages/:message_id/forward`: forwards a message.
/// Deduplicated by `uuid` (a query parameter here).
#[derive(Clone, Debug)]
pub struct ForwardMessage {
    message_id: String,
    receiver: Receiver,
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

#[derive(Serialize)]
struct Wire<'a> {
    receive_id: &'a str,
}

impl Endpoint for ForwardMessage {
    type Output = Message;
    const TAKES_UUID: bool = true;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Owned(message_path(&self.message_id, "/forward"))
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
        require("message_id", &self.message_id)?;
        self.receiver.kind()?;
        check_uuid(self.uuid.as_deref())?;
        Body::json(&Wire {
            receive_id: self.receiver.id(),
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
        Shape::Data.decode(response)
    }
}
