//! Events pushed to a webhook, as Feishu delivers them
//! ([event subscription](https://open.feishu.cn/document/ukTMukTMukTM/uUTNz4SN1MjL1UzM)):
//! the types of [`MockServer::deliver_event`](crate::MockServer::deliver_event)
//! and its relatives.
//!
//! A delivery runs on the mock's own runtime: each attempt encrypts and signs
//! afresh (new timestamp, nonce and IV), `POST`s over a new connection and
//! counts as delivered only on HTTP 200 within the delivery timeout; a failed
//! attempt is retried after the next redelivery delay until none is left.

mod api;
mod crypto;
mod delivery;
mod http;
pub(crate) mod payloads;

use std::time::Duration;

use serde_json::Value;

pub(crate) use delivery::{EventConfig, EventHub, Job};

/// Whether events can be delivered to `url` (an `http://` URL with a host);
/// the error says why not.
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    http::Endpoint::parse(url).map(drop)
}

/// How the app's webhook is secured in the developer console.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum EventSecurity {
    /// Encrypt Key set: bodies `{"encrypt":"…"}` (AES-256-CBC, random IV), signed with
    /// X-Lark-Request-Timestamp / -Nonce / -Signature = hex(sha256(ts ‖ nonce ‖ encrypt_key ‖ body)).
    /// The plaintext carries the verification token (v1 `token`, v2 `header.token`).
    Encrypted {
        /// The Encrypt Key: SHA-256 of it is the AES key, and it is hashed
        /// into every signature.
        encrypt_key: String,
        /// The Verification Token the payloads carry.
        verification_token: String,
    },
    /// No Encrypt Key: plain JSON bodies, unsigned; the verification token inside.
    TokenOnly {
        /// The Verification Token the payloads carry.
        verification_token: String,
    },
}

impl EventSecurity {
    /// The Verification Token, which the payload builders embed.
    pub(crate) fn verification_token(&self) -> &str {
        match self {
            EventSecurity::Encrypted {
                verification_token, ..
            }
            | EventSecurity::TokenOnly { verification_token } => verification_token,
        }
    }
}

/// Where and how to deliver.
#[derive(Clone, Debug)]
pub struct WebhookTarget {
    /// The request URL; only `http://` URLs (such as `http://127.0.0.1:8080/events`).
    pub url: String,
    /// How bodies are encrypted and signed.
    pub security: EventSecurity,
}

/// Ways to spoil a delivery, to test a receiver's defences.
///
/// The spoiling needs something to spoil: with [`EventSecurity::TokenOnly`]
/// nothing is signed, so [`Timestamp`](Tamper::Timestamp),
/// [`WrongKey`](Tamper::WrongKey) and [`Unsigned`](Tamper::Unsigned) change
/// nothing there, and [`Body`](Tamper::Body) alters the verification token.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Tamper {
    /// Deliver as Feishu does.
    #[default]
    None,
    /// Flip one byte of the body after signing. The body stays valid JSON:
    /// with an Encrypt Key, one base64 character in the middle of `encrypt`
    /// changes (to `A`, or to `B` if it was `A`); without one, the last
    /// character of the verification token in the body does (to `x`, or `y`).
    Body,
    /// Sign with a timestamp this many seconds off now (negative: in the
    /// past); the signature matches that timestamp.
    Timestamp(i64),
    /// Encrypt and sign with this key instead of the target's.
    WrongKey(String),
    /// Leave out the three signature headers (the body is still encrypted).
    Unsigned,
}

/// The outcome of one delivery, with every attempt.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DeliveryReport {
    /// Every attempt, the first one first.
    pub attempts: Vec<DeliveryAttempt>,
    /// Whether the last attempt got HTTP 200 in time.
    pub delivered: bool,
    /// The target URL.
    pub url: String,
    /// The plaintext event delivered.
    pub payload: Value,
}

/// One `POST` of a delivery.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DeliveryAttempt {
    /// The receiver's HTTP status; `None` if it did not answer in time, or
    /// the connection failed.
    pub status: Option<u16>,
    /// The receiver's answer body (empty without an answer).
    pub body: Vec<u8>,
    /// From connecting to the end of the answer, or to the failure.
    pub elapsed: Duration,
    /// The exact body bytes sent (after any [`Tamper::Body`]).
    pub sent_body: Vec<u8>,
    /// Why there is no status: the timeout, or a connection error.
    pub error: Option<String>,
}
