//! The plaintext of a delivery, whichever channel brought it: a URL
//! verification, an old-protocol card callback, or a v1 / v2 event envelope
//! (`card.action.trigger` included). The webhook and the long connection
//! read it the same way, here.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::card::{CardAction, LegacyBody, TriggerEvent};
use super::{Event, EventError, EventKind, Incoming, Schema};
use crate::wire::envelope::Text;

/// `card.action.trigger`: a card action, delivered as a v2 event.
pub(crate) const CARD_TRIGGER: &str = "card.action.trigger";

/// The outer body: encrypted or not, and whether it looks like an old card
/// callback (which the SHA-1 rule signs).
#[derive(Deserialize)]
pub(crate) struct Outer<'a> {
    #[serde(borrow)]
    pub(crate) encrypt: Option<Text<'a>>,
    #[serde(borrow)]
    schema: Option<Text<'a>>,
    #[serde(borrow)]
    action: Option<&'a RawValue>,
    #[serde(borrow, rename = "type")]
    kind: Option<Text<'a>>,
}

impl Outer<'_> {
    pub(crate) fn is_legacy_card(&self) -> bool {
        // `schema` and `type` only matter by their presence here.
        self.schema.is_none() && self.kind.is_none() && self.action.is_some()
    }
}

/// Every field any payload may carry; `classify` tells which it is.
#[derive(Deserialize)]
pub(crate) struct Payload<'a> {
    challenge: Option<String>,
    #[serde(borrow, rename = "type")]
    kind: Option<Text<'a>>,
    token: Option<String>,
    uuid: Option<String>,
    ts: Option<String>,
    #[serde(borrow)]
    schema: Option<Text<'a>>,
    header: Option<Header>,
    #[serde(borrow)]
    event: Option<&'a RawValue>,
    #[serde(borrow)]
    action: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Header {
    event_id: Option<String>,
    event_type: Option<String>,
    create_time: Option<String>,
    token: Option<String>,
    app_id: Option<String>,
    tenant_key: Option<String>,
}

/// What a v1 `event` says of itself.
#[derive(Deserialize)]
struct V1Event {
    #[serde(rename = "type")]
    kind: Option<String>,
    app_id: Option<String>,
    tenant_key: Option<String>,
}

pub(crate) enum Kind<'a> {
    Challenge {
        challenge: String,
        token: Option<String>,
    },
    LegacyCard,
    Event(Envelope<'a>),
}

/// An event envelope, v1 or v2, reduced to the same fields.
pub(crate) struct Envelope<'a> {
    pub(crate) schema: Schema,
    pub(crate) event_id: Option<String>,
    pub(crate) event_type: String,
    pub(crate) create_time: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) app_id: Option<String>,
    pub(crate) tenant_key: Option<String>,
    pub(crate) event: &'a RawValue,
}

impl<'a> Payload<'a> {
    pub(crate) fn classify(self) -> Result<Kind<'a>, EventError> {
        if self
            .kind
            .as_ref()
            .is_some_and(|Text(kind)| kind == "url_verification")
        {
            let challenge = self.challenge.ok_or(EventError::NotAnEvent)?;
            return Ok(Kind::Challenge {
                challenge,
                token: self.token,
            });
        }
        let event = self.event;
        if self.schema.is_some() || self.header.is_some() {
            let header = self.header.ok_or(EventError::NotAnEvent)?;
            return Ok(Kind::Event(Envelope {
                schema: Schema::V2,
                event_id: header.event_id,
                event_type: header.event_type.ok_or(EventError::NotAnEvent)?,
                create_time: header.create_time,
                token: header.token,
                app_id: header.app_id,
                tenant_key: header.tenant_key,
                event: event.ok_or(EventError::NotAnEvent)?,
            }));
        }
        if let Some(event) = event {
            let inner: V1Event =
                serde_json::from_str(event.get()).map_err(|_| EventError::NotAnEvent)?;
            return Ok(Kind::Event(Envelope {
                schema: Schema::V1,
                event_id: self.uuid,
                event_type: inner.kind.ok_or(EventError::NotAnEvent)?,
                create_time: self.ts,
                token: self.token,
                app_id: inner.app_id,
                tenant_key: inner.tenant_key,
                event,
            }));
        }
        if self.action.is_some() {
            return Ok(Kind::LegacyCard);
        }
        Err(EventError::NotAnEvent)
    }
}

impl Envelope<'_> {
    /// Whether this is a card action, answered with a card response.
    pub(crate) fn is_card_action(&self) -> bool {
        self.event_type == CARD_TRIGGER
    }

    /// The event or card action it carries; a card action whose `event`
    /// has not its shape is refused (there is no card to answer).
    pub(crate) fn into_incoming(self) -> Result<Incoming, EventError> {
        if self.is_card_action() {
            let trigger: TriggerEvent =
                serde_json::from_str(self.event.get()).map_err(|_| EventError::NotAnEvent)?;
            let mut action = CardAction::from(trigger);
            action.event_id = self.event_id;
            return Ok(Incoming::CardAction(Box::new(action)));
        }
        let kind = match self.schema {
            Schema::V1 => EventKind::parse_v1(&self.event_type, self.event),
            Schema::V2 => EventKind::parse_v2(&self.event_type, self.event),
        };
        Ok(Incoming::Event(Box::new(Event {
            kind,
            schema: self.schema,
            event_id: self.event_id,
            event_type: self.event_type,
            create_time: self.create_time,
            tenant_key: self.tenant_key,
            app_id: self.app_id,
        })))
    }
}

/// An old-protocol card callback's body.
pub(crate) fn legacy_card(plaintext: &[u8]) -> Result<CardAction, EventError> {
    let card: LegacyBody = serde_json::from_slice(plaintext).map_err(|_| EventError::NotAnEvent)?;
    Ok(CardAction::from(card))
}

/// A JSON object (serde would read a struct from an array too).
pub(crate) fn object<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, EventError> {
    let starts_an_object = bytes
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|byte| *byte == b'{');
    if !starts_an_object {
        return Err(EventError::InvalidJson);
    }
    serde_json::from_slice(bytes).map_err(|_| EventError::InvalidJson)
}
