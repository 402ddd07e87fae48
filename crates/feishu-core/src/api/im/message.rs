//! Messages: send, reply, update, patch a card, recall, get, list history,
//! forward, merge forward, read receipts, follow-ups and resources.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/intro>

mod create;
mod delete;
mod forward;
mod get;
mod list;
mod merge_forward;
mod patch;
mod push_follow_up;
mod read_users;
mod reply;
mod update;

pub use create::SendMessage;
pub use delete::RecallMessage;
pub use forward::ForwardMessage;
pub use get::GetMessage;
pub use list::{ContainerIdType, ListMessages, SortType};
pub use merge_forward::MergeForward;
pub use patch::PatchMessage;
pub use push_follow_up::{FollowUp, PushFollowUp};
pub use read_users::{ReadUser, ReadUsers};
pub use reply::ReplyMessage;
pub use update::UpdateMessage;
// A resource of its own in Feishu's docs (`message-resource`), read through
// messages: re-exported here, where callers look for it.
pub use crate::im::message_resource::{MessageResource, ResourceType};

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::im::content::{MessageContent, ReceivedContent, body_limit};
use crate::{Body, InvalidRequest};

/// A receiver whose id type cannot be told from its id (a `user_id` has no
/// prefix).
const UNKNOWN_RECEIVE_ID_TYPE: InvalidRequest =
    InvalidRequest::field("receive_id_type", "cannot be told from the id: name it");

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
    /// A thread's id, `omt_…` (forwarding only).
    ThreadId,
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
            Self::ThreadId => "thread_id",
        }
    }

    /// Tells the type from the id: `oc_` chat, `ou_` open_id, `on_` union_id,
    /// `omt_` thread, an email address. A `user_id` has no prefix, so it must
    /// be named (an [`InvalidRequest::InvalidField`] of `receive_id_type`).
    ///
    /// ```
    /// use feishu_core::im::message::ReceiveIdType;
    ///
    /// assert_eq!(ReceiveIdType::infer("oc_5ad11d72b830411d72b836c20")?, ReceiveIdType::ChatId);
    /// assert_eq!(ReceiveIdType::infer("tom@example.com")?, ReceiveIdType::Email);
    /// assert!(ReceiveIdType::infer("e33ggbyz").is_err());
    /// # Ok::<(), feishu_core::InvalidRequest>(())
    /// ```
    pub fn infer(id: &str) -> Result<Self, InvalidRequest> {
        let by_prefix = [
            ("oc_", Self::ChatId),
            ("ou_", Self::OpenId),
            ("on_", Self::UnionId),
            ("omt_", Self::ThreadId),
        ];
        if let Some((_, kind)) = by_prefix.iter().find(|(prefix, _)| id.starts_with(prefix)) {
            return Ok(*kind);
        }
        match id.split_once('@') {
            Some((local, domain)) if !local.is_empty() && domain.contains('.') => Ok(Self::Email),
            _ => Err(UNKNOWN_RECEIVE_ID_TYPE),
        }
    }
}

impl fmt::Display for ReceiveIdType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A receiver: an id and its type, named or inferred.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Receiver {
    id: String,
    kind: Option<ReceiveIdType>,
}

impl Receiver {
    pub(crate) fn inferred(id: String) -> Self {
        let kind = ReceiveIdType::infer(&id).ok();
        Self { id, kind }
    }

    pub(crate) fn named(kind: ReceiveIdType, id: String) -> Self {
        Self {
            id,
            kind: Some(kind),
        }
    }

    /// Serialises as the `receive_id` field; its type goes in the query.
    pub(crate) fn serialize_id<S: Serializer>(
        receiver: &Receiver,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&receiver.id)
    }

    /// Appends `receive_id_type`, when it is known.
    pub(crate) fn push_type(&self, query: &mut crate::Query<'_>) {
        if let Ok(kind) = self.kind() {
            query.push("receive_id_type", kind);
        }
    }

    /// The type, or the error a request without one gets.
    pub(crate) fn kind(&self) -> Result<ReceiveIdType, InvalidRequest> {
        if self.id.is_empty() {
            return Err(InvalidRequest::empty("receive_id"));
        }
        self.kind.ok_or(UNKNOWN_RECEIVE_ID_TYPE)
    }
}

/// A message, as the API returns it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// The message id, `om_…`.
    pub message_id: String,
    /// The root of its reply tree.
    pub root_id: Option<String>,
    /// The message it replies to.
    pub parent_id: Option<String>,
    /// Its thread, `omt_…`.
    pub thread_id: Option<String>,
    /// The message type, e.g. `text` (an open set: `merge_forward`, `location`, …).
    #[serde(default)]
    pub msg_type: String,
    /// When it was created: milliseconds, as Feishu sends them (a string).
    #[serde(default)]
    pub create_time: String,
    /// When it was last updated: milliseconds, as a string.
    #[serde(default)]
    pub update_time: String,
    /// Whether it was recalled.
    #[serde(default)]
    pub deleted: bool,
    /// Whether it was edited.
    #[serde(default)]
    pub updated: bool,
    /// The chat it is in, `oc_…`.
    #[serde(default)]
    pub chat_id: String,
    /// Who sent it.
    pub sender: Option<Sender>,
    /// Its body: `content` is the JSON string of the message.
    pub body: Option<MessageBody>,
    /// The users it mentions.
    #[serde(default)]
    pub mentions: Vec<Mention>,
    /// The merge-forward message it belongs to.
    pub upper_message_id: Option<String>,
}

impl Message {
    /// The content, typed by `msg_type` (unknown or malformed content kept raw).
    pub fn content(&self) -> ReceivedContent {
        let content = self.body.as_ref().map_or("", |body| body.content.as_str());
        ReceivedContent::parse(&self.msg_type, content)
    }
}

/// A message's body.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct MessageBody {
    /// The content, a JSON string.
    pub content: String,
}

/// Who sent a message.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Sender {
    /// The sender's id (an open_id, or an app_id for bots).
    pub id: String,
    /// `open_id` or `app_id`.
    #[serde(default)]
    pub id_type: String,
    /// `user`, `app`, `anonymous` or `unknown`.
    #[serde(default)]
    pub sender_type: String,
    /// The sender's tenant.
    pub tenant_key: Option<String>,
}

/// A user a message mentions.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Mention {
    /// The placeholder in the text, e.g. `@_user_1`.
    pub key: String,
    /// The user's id (a string here; an object in events).
    pub id: String,
    /// The id's type, e.g. `open_id`.
    #[serde(default)]
    pub id_type: String,
    /// The user's name.
    #[serde(default)]
    pub name: String,
    /// The user's tenant.
    pub tenant_key: Option<String>,
}

/// A content-carrying request's JSON body, checked first against the rules
/// of its content and then against Feishu's size limit for its `msg_type`,
/// before anything is sent.
pub(crate) fn content_body(
    request: &impl Serialize,
    content: &MessageContent,
) -> Result<Body, InvalidRequest> {
    content
        .validate()
        .map_err(|reason| InvalidRequest::field("content", reason))?;
    let body = Body::json(request)?;
    let size = match &body {
        Body::Json(bytes) | Body::Bytes { bytes, .. } => bytes.len(),
        Body::Empty => 0,
    };
    let limit = body_limit(content.msg_type());
    if size > limit {
        return Err(InvalidRequest::TooLarge {
            what: "message body",
            size,
            limit,
        });
    }
    Ok(body)
}

/// The longest `uuid` Feishu accepts.
const MAX_UUID_CHARS: usize = 50;

/// Refuses a `uuid` Feishu would.
pub(crate) fn check_uuid(uuid: Option<&str>) -> Result<(), InvalidRequest> {
    if uuid.is_some_and(|uuid| uuid.chars().count() > MAX_UUID_CHARS) {
        return Err(InvalidRequest::field("uuid", "is at most 50 characters"));
    }
    Ok(())
}

/// A caller's `uuid`; an empty one is none (Feishu would not deduplicate it).
pub(crate) fn uuid_or_none(uuid: String) -> Option<String> {
    Some(uuid).filter(|uuid| !uuid.is_empty())
}
