//! The webhook pipeline: method, signature and replay window, decryption,
//! URL verification, token check, envelope, dedup, answer.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/event-subscription-guide/callback-subscription/configure-callback-request-address>

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::{Method, StatusCode};
use serde_json::json;

use super::crypto::decrypt;
use super::dedup::{MemorySeenStore, SeenStore};
use super::envelope::{self, Envelope, Kind, Outer, Payload, object};
use super::signature::{Verified, constant_time_eq, is_signed, verify_sha1, verify_sha256};
use super::{CardAction, Event, EventError, EventKind, Incoming, V1Event, json_response};
use crate::wire::envelope::Text;
use crate::{Client, Secret};

/// The default replay window: a request more than 5 minutes from `now` is refused.
pub const DEFAULT_REPLAY_WINDOW: Duration = Duration::from_secs(300);

/// A webhook receiver's configuration and its seen-set.
///
/// Two constructors, two security models, both explicit:
/// - [`Webhook::encrypted`]: an encrypt key is set in the developer console.
///   Every request must be signed (SHA-256, replay window) before anything is
///   decrypted or trusted; the verification token is checked too if given.
/// - [`Webhook::token_only`]: no encrypt key. The verification token, compared
///   in constant time, is the only check — named so it is never a silent bypass.
///
/// ```
/// use std::time::SystemTime;
/// use feishu_core::event::{Delivery, Webhook};
///
/// let webhook = Webhook::token_only("41a9425ea7df4536a7623e38fa321bae");
/// let request = http::Request::post("/webhook")
///     .body(br#"{"challenge":"0f4a","token":"41a9425ea7df4536a7623e38fa321bae","type":"url_verification"}"#.to_vec())?;
/// let handled = webhook.handle(&request, SystemTime::now());
/// assert!(matches!(handled.delivery, Delivery::Challenge));
/// assert_eq!(handled.response.body(), br#"{"challenge":"0f4a"}"#);
/// # Ok::<(), http::Error>(())
/// ```
#[derive(Clone)]
pub struct Webhook {
    encrypt_key: Option<Secret>,
    verification_token: Option<Secret>,
    replay_window: Duration,
    seen: Arc<dyn SeenStore>,
    client: Option<Client>,
}

/// What a request turned out to be.
#[derive(Debug)]
#[non_exhaustive]
pub enum Delivery {
    /// A URL verification, answered.
    Challenge,
    /// A new event: process it (after answering, within 3 s).
    Event(Box<Event>),
    /// A card action: answer it with [`CardResponse`](super::CardResponse)
    /// within 3 s (the prepared answer, `{}`, leaves the card as it is).
    CardAction(Box<CardAction>),
    /// An event already seen: acknowledged, not delivered again.
    Duplicate {
        /// Its id.
        event_id: String,
    },
    /// Refused: the answer carries the status, nothing was delivered.
    Rejected(EventError),
}

/// The answer to send and what arrived.
#[derive(Debug)]
#[non_exhaustive]
pub struct Handled {
    /// Send this back.
    pub response: http::Response<Vec<u8>>,
    /// What the request was.
    pub delivery: Delivery,
}

impl Webhook {
    /// A webhook for an app with an encrypt key: signatures are required.
    pub fn encrypted(encrypt_key: impl Into<Secret>) -> Self {
        Self::with(Some(encrypt_key.into()), None)
    }

    /// A webhook for an app without an encrypt key: the verification token is
    /// the only check.
    pub fn token_only(verification_token: impl Into<Secret>) -> Self {
        Self::with(None, Some(verification_token.into()))
    }

    fn with(encrypt_key: Option<Secret>, verification_token: Option<Secret>) -> Self {
        Self {
            encrypt_key,
            verification_token,
            replay_window: DEFAULT_REPLAY_WINDOW,
            seen: Arc::new(MemorySeenStore::default()),
            client: None,
        }
    }

    /// Also checks the verification token (recommended; needed for old-protocol
    /// card callbacks and unsigned URL verifications).
    pub fn verification_token(mut self, token: impl Into<Secret>) -> Self {
        self.verification_token = Some(token.into());
        self
    }

    /// Sets how far a request's timestamp may be from `now`.
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.replay_window = window;
        self
    }

    /// Keeps seen event ids in `store` (e.g. one shared by a cluster).
    pub fn seen_store(mut self, store: Arc<dyn SeenStore>) -> Self {
        self.seen = store;
        self
    }

    /// Hands every `app_ticket` event to `client`'s token cache, so marketplace
    /// calls work as soon as the ticket arrives.
    pub fn app_tickets_to(mut self, client: &Client) -> Self {
        self.client = Some(client.clone());
        self
    }

    /// Forgets an event id, so its redelivery is processed again: for a
    /// handler that failed before it could process the event.
    pub fn forget(&self, event_id: &str) {
        self.seen.release(event_id);
    }

    /// Handles one request received at `now`. Pure: no I/O, never panics.
    pub fn handle<B: AsRef<[u8]>>(&self, request: &http::Request<B>, now: SystemTime) -> Handled {
        match self.process(request, now) {
            Ok((delivery, response)) => Handled { response, delivery },
            Err(error) => {
                // A short, fixed reason: nothing of the request echoes back.
                let reason = if error.status() == StatusCode::UNAUTHORIZED {
                    "unauthorized"
                } else {
                    "bad request"
                };
                let mut response = json_response(error.status(), &json!({ "msg": reason }));
                if error == EventError::MethodNotAllowed {
                    response
                        .headers_mut()
                        .insert(http::header::ALLOW, http::HeaderValue::from_static("POST"));
                }
                Handled {
                    response,
                    delivery: Delivery::Rejected(error),
                }
            }
        }
    }

    fn process<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
        now: SystemTime,
    ) -> Result<(Delivery, http::Response<Vec<u8>>), EventError> {
        if request.method() != Method::POST {
            return Err(EventError::MethodNotAllowed);
        }
        let (headers, body) = (request.headers(), request.body().as_ref());
        let outer: Outer<'_> = object(body)?;
        let legacy_card = outer.is_legacy_card();

        // Authenticate the raw bytes first; decrypt only what was verified.
        let (plaintext, signed): (Cow<'_, [u8]>, Signature) =
            match (&self.encrypt_key, outer.encrypt) {
                (None, Some(_)) => return Err(EventError::EncryptedWithoutKey),
                (Some(key), Some(Text(encrypt))) if is_signed(headers) => {
                    let verified = verify_sha256(headers, body, key, now, self.replay_window)?;
                    (Cow::Owned(decrypt(&verified, &encrypt)?), Signature::Valid)
                }
                (Some(key), Some(Text(encrypt))) => {
                    return self.unsigned_challenge(key, &encrypt);
                }
                (Some(key), None) if is_signed(headers) && !legacy_card => {
                    verify_sha256(headers, body, key, now, self.replay_window)?;
                    (Cow::Borrowed(body), Signature::Valid)
                }
                (_, None) => (Cow::Borrowed(body), Signature::Absent),
            };

        let payload: Payload<'_> = object(&plaintext)?;
        match payload.classify()? {
            Kind::Challenge { challenge, token } => {
                // With an encrypt key, an unsigned challenge needs the token.
                if self.encrypt_key.is_some()
                    && signed == Signature::Absent
                    && self.verification_token.is_none()
                {
                    return Err(EventError::MissingSignature);
                }
                self.check_token(token.as_deref())?;
                Ok((Delivery::Challenge, challenge_response(challenge)))
            }
            Kind::LegacyCard => {
                let token = self
                    .verification_token
                    .as_ref()
                    .ok_or(EventError::NoVerificationToken)?;
                verify_sha1(headers, body, token, now, self.replay_window)?;
                let action = envelope::legacy_card(&plaintext)?;
                Ok((Delivery::CardAction(Box::new(action)), empty_answer()))
            }
            Kind::Event(envelope) => {
                // With an encrypt key, an unsigned plain event is refused.
                if self.encrypt_key.is_some() && signed == Signature::Absent {
                    return Err(EventError::MissingSignature);
                }
                self.check_token(envelope.token.as_deref())?;
                self.deliver(envelope, now)
            }
        }
    }

    /// An encrypted body without signature headers: only a URL verification
    /// carrying the right verification token is answered. Every failure looks
    /// the same, so the decryption cannot serve as an oracle.
    fn unsigned_challenge(
        &self,
        encrypt_key: &Secret,
        encrypt: &str,
    ) -> Result<(Delivery, http::Response<Vec<u8>>), EventError> {
        let refused = EventError::MissingSignature;
        if self.verification_token.is_none() {
            return Err(refused);
        }
        let plaintext = decrypt(&Verified::challenge_only(encrypt_key), encrypt)
            .map_err(|_| refused.clone())?;
        let payload: Payload<'_> = object(&plaintext).map_err(|_| refused.clone())?;
        match payload.classify() {
            Ok(Kind::Challenge { challenge, token })
                if self.check_token(token.as_deref()).is_ok() =>
            {
                Ok((Delivery::Challenge, challenge_response(challenge)))
            }
            _ => Err(refused),
        }
    }

    /// Compares the verification token, when one is configured, in constant time.
    fn check_token(&self, token: Option<&str>) -> Result<(), EventError> {
        let Some(expected) = &self.verification_token else {
            return Ok(());
        };
        let given = token.unwrap_or_default();
        // An empty configured token (an unset variable) must not match a
        // request that carries none.
        if !expected.expose().is_empty()
            && constant_time_eq(expected.expose().as_bytes(), given.as_bytes())
        {
            Ok(())
        } else {
            Err(EventError::BadToken)
        }
    }

    /// Types the event, then claims its id: a request refused as malformed
    /// must not use up the id its corrected redelivery will carry.
    fn deliver(
        &self,
        envelope: Envelope<'_>,
        now: SystemTime,
    ) -> Result<(Delivery, http::Response<Vec<u8>>), EventError> {
        let answer = if envelope.is_card_action() {
            empty_answer()
        } else {
            ack()
        };
        let event_id = envelope.event_id.clone();
        let delivery = match envelope.into_incoming()? {
            Incoming::Event(event) => Delivery::Event(event),
            Incoming::CardAction(action) => Delivery::CardAction(action),
        };
        if let Some(id) = event_id
            && !self.seen.claim(&id, now)
        {
            return Ok((Delivery::Duplicate { event_id: id }, answer));
        }
        if let Delivery::Event(event) = &delivery
            && let EventKind::V1(V1Event::AppTicket(ticket)) = &event.kind
        {
            self.keep_ticket(ticket.as_ref(), now);
        }
        Ok((delivery, answer))
    }

    /// Hands a ticket for the client's own app to its token cache.
    fn keep_ticket(&self, ticket: &super::AppTicket, now: SystemTime) {
        let Some(client) = &self.client else {
            return;
        };
        let ours = client
            .config()
            .app()
            .is_some_and(|app| app.app_id() == ticket.app_id);
        if ours {
            // Cannot fail: the client has an app. The event is delivered anyway.
            let _ = client.set_app_ticket(ticket.app_ticket.clone(), now);
        }
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("encrypted", &self.encrypt_key.is_some())
            .field("verification_token", &self.verification_token.is_some())
            .field("replay_window", &self.replay_window)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Signature {
    Valid,
    Absent,
}

/// `200 {"msg":"success"}`: the event is acknowledged.
fn ack() -> http::Response<Vec<u8>> {
    fixed_answer(br#"{"msg":"success"}"#)
}

/// `200 {}`: a card stays as it is.
fn empty_answer() -> http::Response<Vec<u8>> {
    fixed_answer(b"{}")
}

fn fixed_answer(body: &[u8]) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body.to_vec());
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// A plain `{"challenge":…}`, even for an encrypted request.
fn challenge_response(challenge: String) -> http::Response<Vec<u8>> {
    json_response(StatusCode::OK, &json!({ "challenge": challenge }))
}
