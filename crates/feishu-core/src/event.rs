//! Receiving: events and card callbacks, over a webhook or the
//! [long connection](crate::long_connection), typed and dispatched to the
//! same handlers.
//!
//! - [`Webhook`]: a pure pipeline from an incoming `http::Request` to a
//!   verified, decrypted, typed event and the `http::Response` to answer,
//!   safe against forgery and replay.
//! - [`Event`] / [`EventKind`] / [`V1Event`]: every event Feishu sends that
//!   bots use, typed ([`types`] lists them), the rest kept raw and still
//!   acknowledged.
//! - [`Dispatcher`]: typed handlers per event type, a fallback, a
//!   card-action handler answering a [`CardResponse`]; [`Webhook::serve`]
//!   and the long connection's [`Session`](crate::long_connection::Session)
//!   feed it the same [`Incoming`] values, deduplicated by `event_id`
//!   through one [`SeenStore`].
//!
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/uUTNz4SN1MjL1UzM>

mod approval;
mod card;
mod chat;
mod contact;
mod crypto;
mod dedup;
mod dispatch;
pub(crate) mod envelope;
mod im;
mod kind;
pub(crate) mod lenient;
mod serve;
mod signature;
mod v1;
mod webhook;
mod workflow;

pub use approval::{ApprovalInstance, ApprovalStatus, ApprovalTask};
pub use card::{Action, CardAction, CardProtocol, CardResponse, ToastKind};
pub use chat::{
    ChatDisbanded, ChatMembersChanged, ChatSettings, ChatUpdated, ChatUser, ModeratorList,
};
pub use contact::{
    ContactUser, Department, DepartmentChanged, DepartmentStatus, UserChanged, UserStatus,
};
pub use crypto::encrypt;
pub use dedup::{MemorySeenStore, SeenStore};
pub use dispatch::{
    Async, Blocking, BoxFuture, Dispatcher, Flavor, HandlerError, Incoming, Outcome,
};
pub use im::{
    BotMembership, BotMenu, BotP2pChatEntered, Emoji, EventMention, EventMessage, EventSender,
    MenuOperator, MessageRead, MessageRecalled, MessageReceived, Reaction, Reader, UserId,
};
pub use kind::{EventKind, EventType, V1Event, types};
pub use v1::{
    AppOpened, AppStatusChanged, AppTicket, AppUninstalled, OrderPaid, P2pChatCreated,
    V1BotMembership, V1MessageRead, V1User,
};
pub use webhook::{DEFAULT_REPLAY_WINDOW, Delivery, Handled, Webhook};
pub use workflow::{
    BitableRecordChanged, CalendarEventChanged, FieldValue, RecordAction, TaskUpdated, TaskUsers,
};

use std::time::Duration;

use http::StatusCode;

/// Why a webhook request was refused. None of these messages contains a
/// secret or the body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// Events are `POST`s.
    #[error("events are POSTed")]
    MethodNotAllowed,
    /// The body is not JSON, or not a JSON object.
    #[error("the body is not a JSON object")]
    InvalidJson,
    /// The JSON is not an event, a callback or a URL verification.
    #[error("the body is not an event, a card callback or a URL verification")]
    NotAnEvent,
    /// A signature is required and absent (or a header is duplicated).
    #[error("the request is not signed")]
    MissingSignature,
    /// The signature does not match the body.
    #[error("the signature does not match")]
    BadSignature,
    /// `X-Lark-Request-Timestamp` is not Unix seconds.
    #[error("the request timestamp is not Unix seconds")]
    InvalidTimestamp,
    /// The timestamp is outside the replay window.
    #[error("the request timestamp is {} s from now, outside the replay window", .skew.as_secs())]
    StaleTimestamp {
        /// How far it is from `now`.
        skew: Duration,
    },
    /// The verification token does not match (or is absent).
    #[error("the verification token does not match")]
    BadToken,
    /// An encrypted body arrived and no encrypt key is configured.
    #[error("the body is encrypted and no encrypt key is configured")]
    EncryptedWithoutKey,
    /// An old-protocol card callback needs the verification token to check its
    /// SHA-1 signature.
    #[error("card callbacks need the verification token")]
    NoVerificationToken,
    /// `encrypt` is not valid base64.
    #[error("the encrypted body is not valid base64")]
    BadBase64,
    /// The ciphertext is not an IV plus whole AES blocks.
    #[error("the ciphertext is {0} bytes: not an IV plus whole 16-byte blocks")]
    BadCiphertextLength(usize),
    /// The padding is not valid PKCS#7: most often a wrong encrypt key.
    #[error("the decrypted padding is invalid (a wrong encrypt key?)")]
    BadPadding,
}

impl EventError {
    /// The status to answer with: 401 for authentication failures, 405 for a
    /// wrong method, 400 for malformed requests.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MissingSignature
            | Self::BadSignature
            | Self::InvalidTimestamp
            | Self::StaleTimestamp { .. }
            | Self::BadToken => StatusCode::UNAUTHORIZED,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// Which envelope an event came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Schema {
    /// `{"type":"event_callback","uuid",…,"event":{…}}`.
    V1,
    /// `{"schema":"2.0","header":{…},"event":{…}}`.
    V2,
}

/// An event, from either envelope.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The envelope it came in.
    pub schema: Schema,
    /// The dedup id: `header.event_id` (v2) or `uuid` (v1).
    pub event_id: Option<String>,
    /// The type, e.g. `im.message.receive_v1` (v1: `event.type`).
    pub event_type: String,
    /// When it was created, as sent: a string, no unit assumed (v1: `ts`).
    pub create_time: Option<String>,
    /// The tenant.
    pub tenant_key: Option<String>,
    /// The app it is for.
    pub app_id: Option<String>,
    /// The event itself.
    pub kind: EventKind,
}

/// An [`Event`] without its payload: what a typed handler gets beside the
/// payload ([`Dispatcher::on`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventHeader {
    /// The envelope it came in.
    pub schema: Schema,
    /// The dedup id: `header.event_id` (v2) or `uuid` (v1).
    pub event_id: Option<String>,
    /// The type, e.g. `im.message.receive_v1` (v1: `event.type`).
    pub event_type: String,
    /// When it was created, as sent (v1: `ts`).
    pub create_time: Option<String>,
    /// The tenant.
    pub tenant_key: Option<String>,
    /// The app it is for.
    pub app_id: Option<String>,
}

impl Event {
    /// The header and the payload, apart.
    pub fn into_parts(self) -> (EventHeader, EventKind) {
        let header = EventHeader {
            schema: self.schema,
            event_id: self.event_id,
            event_type: self.event_type,
            create_time: self.create_time,
            tenant_key: self.tenant_key,
            app_id: self.app_id,
        };
        (header, self.kind)
    }
}

impl EventHeader {
    /// The event again, with `kind` as its payload.
    pub fn with_kind(self, kind: EventKind) -> Event {
        Event {
            schema: self.schema,
            event_id: self.event_id,
            event_type: self.event_type,
            create_time: self.create_time,
            tenant_key: self.tenant_key,
            app_id: self.app_id,
            kind,
        }
    }
}

/// A JSON answer.
fn json_response(status: StatusCode, body: &serde_json::Value) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body.to_string().into_bytes());
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
