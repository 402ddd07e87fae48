//! The data path of a [`Session`]: frames in, events out to the handlers,
//! ACKs back, each held until its handler answers or its budget ends.

use std::time::SystemTime;

use super::super::bootstrap::ClientConfig;
use super::super::fragments::Added;
use super::super::frame::{Frame, METHOD_CONTROL, METHOD_DATA};
use super::super::gzip::gunzip;
use super::super::{DropReason, Dropped};
use super::{DeliveryId, Received, Session};
use crate::call::token_store::later;
use crate::event::envelope::{Kind, Payload, legacy_card, object};
use crate::event::{CardProtocol, Incoming, Outcome};

/// A delivery whose handler has not answered yet, and the frames that carried
/// it and still wait for their ACK (a redelivery joins the first).
pub(super) struct InFlight {
    pub(super) event_id: Option<String>,
    pub(super) card: Option<CardProtocol>,
    pub(super) acks: Vec<PendingAck>,
}

pub(super) struct PendingAck {
    pub(super) serial: u64,
    pub(super) generation: u64,
    pub(super) frame: Frame,
    pub(super) arrived: SystemTime,
}

/// How a frame is answered.
pub(super) enum Answer {
    /// `{"code":200}`.
    Ok,
    /// `{"code":200,"data":base64(card JSON)}`.
    Card(serde_json::Value),
    /// `{"code":500}`.
    Failed,
}
impl Session {
    /// A binary WebSocket message arrived (text messages are not part of the
    /// protocol: ignore them).
    pub fn on_frame(&mut self, bytes: &[u8], now: SystemTime) {
        let Some(link) = &mut self.link else {
            return;
        };
        link.last_received = now;
        self.stats.frames_received += 1;
        let frame = match Frame::decode(bytes) {
            Ok(frame) => frame,
            Err(error) => {
                return self.drop_it(None, DropReason::NotAFrame(error));
            }
        };
        match frame.method {
            METHOD_CONTROL => self.control(frame, now),
            METHOD_DATA => self.data(frame, now),
            _ => {}
        }
    }

    /// A handler answered delivery `id`. Its frames are ACKed now: 200 (with
    /// the card response for a card action), or 500 for a failure, whose
    /// event id is forgotten so the redelivery is handled again. An outcome
    /// after the ACK budget finds the ACK gone already; it is ignored.
    pub fn on_handled(&mut self, id: DeliveryId, outcome: Outcome, now: SystemTime) {
        let Some(in_flight) = self.in_flight.remove(&id) else {
            return;
        };
        if let Some(event_id) = &in_flight.event_id {
            self.by_event_id.remove(event_id);
        }
        let answer = match (outcome, in_flight.card) {
            (Outcome::Failed(_), _) => {
                self.stats.handler_failures += 1;
                if let Some(event_id) = &in_flight.event_id {
                    self.seen.release(event_id);
                }
                Answer::Failed
            }
            (Outcome::Card(response), Some(protocol)) => Answer::Card(response.into_json(protocol)),
            _ => Answer::Ok,
        };
        for ack in in_flight.acks {
            self.ack(ack, &answer, now);
        }
        self.prune_deadlines();
    }

    fn control(&mut self, frame: Frame, now: SystemTime) {
        if frame.header("type") != Some("pong") {
            return;
        }
        self.stats.pongs += 1;
        let Some(settings) = frame.payload.as_deref().and_then(ClientConfig::from_pong) else {
            return;
        };
        self.settings = settings;
        if let Some(link) = &mut self.link {
            // The new cadence counts from the last ping.
            let from = link.last_ping.unwrap_or(now);
            link.next_ping = later(from, settings.ping_interval);
        }
    }

    fn data(&mut self, mut frame: Frame, now: SystemTime) {
        // Draining: no new work. Unanswered, the frame is redelivered to
        // another connection.
        if self.draining.is_some() {
            return;
        }
        let message_id = frame.header("message_id").map(str::to_owned);
        let kind = frame.header("type").unwrap_or_default().to_owned();
        if kind != "event" && kind != "card" {
            self.stats.unknown_frames += 1;
            let reason = DropReason::UnknownFrameType(kind);
            self.drop_it(message_id, reason);
            return self.ack_now(frame, &Answer::Ok, now);
        }
        let sum = number(frame.header("sum")).unwrap_or(1);
        let payload = frame.payload.take().unwrap_or_default();
        let payload = if sum > 1 {
            let Some(id) = message_id.clone() else {
                return self.drop_it(None, DropReason::BadFragment { sum, seq: 0 });
            };
            let seq = number(frame.header("seq")).unwrap_or(0);
            let mut given_up = Vec::new();
            let added = self
                .fragments
                .add(&id, sum, seq, payload, now, &mut given_up);
            self.give_up(given_up);
            match added {
                Some(Added::Complete(whole)) => whole,
                Some(Added::Pending) | None => return,
            }
        } else {
            payload
        };
        let payload = match self.decode_payload(&frame, payload) {
            Ok(payload) => payload,
            Err(reason) => {
                self.drop_it(message_id, reason);
                return self.ack_now(frame, &Answer::Ok, now);
            }
        };
        match incoming(&payload) {
            Ok(incoming) => self.intake(frame, incoming, now),
            Err(reason) => {
                self.drop_it(message_id, reason);
                self.ack_now(frame, &Answer::Ok, now);
            }
        }
    }

    /// The payload as JSON bytes: inflated if gzip, bounded.
    fn decode_payload(&self, frame: &Frame, payload: Vec<u8>) -> Result<Vec<u8>, DropReason> {
        let limit = self.options.max_payload_bytes;
        match frame.payload_encoding.as_deref().map(str::trim) {
            None | Some("") | Some("identity") | Some("json") => {
                if payload.len() > limit {
                    return Err(DropReason::PayloadTooLarge { limit });
                }
                Ok(payload)
            }
            Some(encoding) if encoding.eq_ignore_ascii_case("gzip") => {
                gunzip(&payload, limit).map_err(DropReason::Gzip)
            }
            Some(other) => Err(DropReason::UnsupportedEncoding(other.to_owned())),
        }
    }

    /// A new delivery, a redelivery joining one in flight, or a duplicate.
    fn intake(&mut self, frame: Frame, incoming: Incoming, now: SystemTime) {
        let card = match &incoming {
            Incoming::CardAction(action) => Some(action.protocol),
            Incoming::Event(_) => None,
        };
        let event_id = incoming.event_id().map(str::to_owned);
        if let Some(id) = &event_id {
            if let Some(delivery) = self.by_event_id.get(id).copied() {
                self.stats.duplicates += 1;
                return self.pend(delivery, frame, card.is_some(), now);
            }
            if !self.seen.claim(id, now) {
                self.stats.duplicates += 1;
                return self.ack_now(frame, &Answer::Ok, now);
            }
        }
        let id = DeliveryId(self.next_delivery);
        self.next_delivery += 1;
        match card {
            Some(_) => self.stats.card_actions += 1,
            None => self.stats.events += 1,
        }
        if let Some(event_id) = &event_id {
            self.by_event_id.insert(event_id.clone(), id);
        }
        self.in_flight.insert(
            id,
            InFlight {
                event_id,
                card,
                acks: Vec::new(),
            },
        );
        self.pend(id, frame, card.is_some(), now);
        self.deliveries.push_back(Received { id, incoming });
    }

    /// Holds `frame`'s ACK until its delivery is handled or its budget ends.
    fn pend(&mut self, id: DeliveryId, frame: Frame, card: bool, now: SystemTime) {
        let Some(in_flight) = self.in_flight.get_mut(&id) else {
            return;
        };
        let serial = self.next_serial;
        self.next_serial += 1;
        in_flight.acks.push(PendingAck {
            serial,
            generation: self.generation,
            frame,
            arrived: now,
        });
        let (budget, deadlines) = if card {
            (self.options.card_ack_timeout, &mut self.card_deadlines)
        } else {
            (self.options.event_ack_timeout, &mut self.event_deadlines)
        };
        deadlines.push_back((later(now, budget), id, serial));
    }

    /// ACKs whose budget ended: 200 for events (the handler goes on), the
    /// fallback toast for card actions.
    pub(super) fn late_acks(&mut self, now: SystemTime) {
        self.prune_deadlines();
        while let Some(&(deadline, id, serial)) = self.event_deadlines.front() {
            if deadline > now {
                break;
            }
            self.event_deadlines.pop_front();
            self.late(id, serial, &Answer::Ok, now);
        }
        while let Some(&(deadline, id, serial)) = self.card_deadlines.front() {
            if deadline > now {
                break;
            }
            self.card_deadlines.pop_front();
            let fallback = self
                .in_flight
                .get(&id)
                .and_then(|f| f.card)
                .map(|protocol| {
                    Answer::Card(self.options.card_fallback.clone().into_json(protocol))
                });
            self.late(id, serial, &fallback.unwrap_or(Answer::Ok), now);
        }
    }

    /// Drops the deadlines at the front whose ACK went already, so the next
    /// wake-up is a real one.
    fn prune_deadlines(&mut self) {
        let in_flight = &self.in_flight;
        let pending = |&(_, id, serial): &(SystemTime, DeliveryId, u64)| {
            in_flight
                .get(&id)
                .is_some_and(|f| f.acks.iter().any(|ack| ack.serial == serial))
        };
        for deadlines in [&mut self.event_deadlines, &mut self.card_deadlines] {
            while deadlines.front().is_some_and(|front| !pending(front)) {
                deadlines.pop_front();
            }
        }
    }

    fn late(&mut self, id: DeliveryId, serial: u64, answer: &Answer, now: SystemTime) {
        let Some(in_flight) = self.in_flight.get_mut(&id) else {
            return;
        };
        let Some(index) = in_flight.acks.iter().position(|ack| ack.serial == serial) else {
            return;
        };
        let ack = in_flight.acks.swap_remove(index);
        self.stats.late_acks += 1;
        self.ack(ack, answer, now);
    }

    fn ack_now(&mut self, frame: Frame, answer: &Answer, now: SystemTime) {
        let ack = PendingAck {
            serial: 0,
            generation: self.generation,
            frame,
            arrived: now,
        };
        self.ack(ack, answer, now);
    }

    /// Writes the ACK of `ack`: the frame as received, every header kept,
    /// plus `biz_rt`, with the answer as payload.
    fn ack(&mut self, ack: PendingAck, answer: &Answer, now: SystemTime) {
        if self.link.is_none() || ack.generation != self.generation {
            return;
        }
        let mut frame = ack.frame;
        let elapsed = now.duration_since(ack.arrived).unwrap_or_default();
        frame.set_header("biz_rt", elapsed.as_millis().to_string());
        // The answer is plain JSON whatever the event's encoding was.
        frame.payload_encoding = None;
        frame.payload = Some(match answer {
            Answer::Ok => br#"{"code":200}"#.to_vec(),
            Answer::Failed => br#"{"code":500}"#.to_vec(),
            Answer::Card(json) => {
                use base64::Engine as _;
                let data = base64::engine::general_purpose::STANDARD.encode(json.to_string());
                format!(r#"{{"code":200,"data":"{data}"}}"#).into_bytes()
            }
        });
        self.writes.push_back(frame.encode());
        self.stats.acks += 1;
    }

    fn drop_it(&mut self, message_id: Option<String>, reason: DropReason) {
        self.stats.dropped += 1;
        self.dropped.push_back(Dropped { message_id, reason });
    }

    pub(super) fn give_up(&mut self, given_up: Vec<(String, DropReason)>) {
        for (message_id, reason) in given_up {
            self.drop_it(Some(message_id), reason);
        }
    }
}

fn number(value: Option<&str>) -> Option<usize> {
    value.and_then(|value| value.trim().parse().ok())
}

/// The event or card action a payload carries. On this channel nothing is
/// signed or encrypted: the socket itself was authenticated.
fn incoming(payload: &[u8]) -> Result<Incoming, DropReason> {
    let parsed: Payload<'_> = object(payload).map_err(DropReason::NotAnEvent)?;
    match parsed.classify().map_err(DropReason::NotAnEvent)? {
        Kind::Event(envelope) => envelope.into_incoming().map_err(DropReason::NotAnEvent),
        Kind::LegacyCard => legacy_card(payload)
            .map(|action| Incoming::CardAction(Box::new(action)))
            .map_err(DropReason::NotAnEvent),
        Kind::Challenge { .. } => Err(DropReason::NotAnEvent(crate::event::EventError::NotAnEvent)),
    }
}
