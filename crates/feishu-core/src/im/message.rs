//! `POST /open-apis/im/v1/messages`
//!
//! Send a message to a user or a chat.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create>

use std::borrow::Cow;
use std::fmt;

use http::Method;
use serde::{Deserialize, Serialize};

use crate::{Body, Endpoint, Error, InvalidRequest, Query, Shape, TokenKind};

/// What kind of id a message's `receive_id` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReceiveIdType {
    /// A user's open_id, `ou_…`.
    OpenId,
    /// A user's user_id (no prefix).
    UserId,
    /// A user's union_id, `on_…`.
    UnionId,
    /// A user's email address.
    Email,
    /// A chat's id, `oc_…`.
    ChatId,
}

impl ReceiveIdType {
    /// The wire name, e.g. `chat_id`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OpenId => "open_id",
            Self::UserId => "user_id",
            Self::UnionId => "union_id",
            Self::Email => "email",
            Self::ChatId => "chat_id",
        }
    }
}

impl fmt::Display for ReceiveIdType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Sends a message. `content` is the JSON **string** Feishu wants, e.g.
/// `{"text":"hello"}` for `msg_type` `text`.
///
/// Its `uuid` makes a repeat post once: [`Call`](crate::Call) sets one when
/// the caller did not, so a retry after a lost answer cannot post twice.
///
/// ```
/// use feishu_core::im::message::{ReceiveIdType, SendMessage};
///
/// let send = SendMessage::new(ReceiveIdType::ChatId, "oc_5ad11d72b830411d72b836c20", "text", r#"{"text":"hello"}"#);
/// # let _ = send;
/// ```
#[derive(Clone, Debug)]
pub struct SendMessage {
    receive_id_type: ReceiveIdType,
    receive_id: String,
    msg_type: String,
    content: String,
    uuid: Option<String>,
}

impl SendMessage {
    /// A message of `msg_type` with `content` (serialized JSON) for a receiver.
    pub fn new(
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        msg_type: impl Into<String>,
        content: impl Into<String>,
    ) -> Self {
        Self {
            receive_id_type,
            receive_id: receive_id.into(),
            msg_type: msg_type.into(),
            content: content.into(),
            uuid: None,
        }
    }

    /// Sets the deduplication key (at most 50 characters): requests with the
    /// same `uuid` post at most once an hour. Derive it from an inbound
    /// `event_id` to answer a redelivered event once.
    pub fn uuid(mut self, uuid: impl Into<String>) -> Self {
        self.uuid = Some(uuid.into());
        self
    }
}

#[derive(Serialize)]
struct Wire<'a> {
    receive_id: &'a str,
    msg_type: &'a str,
    content: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<&'a str>,
}

/// The longest `uuid` Feishu accepts.
const MAX_UUID_CHARS: usize = 50;

impl Endpoint for SendMessage {
    type Output = Message;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/open-apis/im/v1/messages")
    }

    fn query(&self, query: &mut Query<'_>) {
        query.push("receive_id_type", self.receive_id_type);
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        if self.receive_id.is_empty() {
            return Err(InvalidRequest::EmptyField("receive_id"));
        }
        if self
            .uuid
            .as_ref()
            .is_some_and(|uuid| uuid.chars().count() > MAX_UUID_CHARS)
        {
            return Err(InvalidRequest::UuidTooLong);
        }
        Body::json(&Wire {
            receive_id: &self.receive_id,
            msg_type: &self.msg_type,
            content: &self.content,
            uuid: self.uuid.as_deref(),
        })
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    // With a uuid, Feishu posts a repeat once.
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

/// A message, as the API returns it.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// The message id, `om_…`.
    pub message_id: String,
    /// The message type, e.g. `text`.
    #[serde(default)]
    pub msg_type: String,
    /// The chat it is in, `oc_…`.
    #[serde(default)]
    pub chat_id: String,
    /// When it was created, in milliseconds, as Feishu sends it (a string).
    #[serde(default)]
    pub create_time: String,
    /// The body: its `content` is the JSON string of the message.
    pub body: Option<MessageBody>,
}

/// A message's body.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct MessageBody {
    /// The content, a JSON string.
    pub content: String,
}
