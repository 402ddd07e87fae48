//! What the long-connection gateway knows: its settings, the events pushed
//! and where each stands, the live connections, the ACKs and pings received.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, mpsc};

use super::frame::{DATA, Frame};
use super::gzip::gzip;
use super::{Ack, LongConnectionSettings, Push};

/// What a connection's task is told to do.
#[derive(Debug)]
pub(crate) enum Command {
    /// Send these frames, one binary message each.
    Send(Vec<Vec<u8>>),
    /// Write these bytes on the socket as they are, outside any WebSocket
    /// message.
    Raw(Vec<u8>),
}

/// The instance id every frame carries, which an ACK must echo.
pub(crate) const INSTANCE_ID: &str = "mock-gateway-1";

/// The gateway of one mock server.
#[derive(Default)]
pub(crate) struct Gateway {
    state: Mutex<State>,
    next_id: AtomicU64,
}

#[derive(Default)]
struct State {
    settings: LongConnectionSettings,
    events: HashMap<String, Pushed>,
    /// Events to send on the next connection that can take them, oldest first.
    waiting: VecDeque<String>,
    connections: Vec<Connection>,
    /// Round robin over `connections`.
    turn: usize,
    tickets: Vec<String>,
    acks: Vec<Ack>,
    pings: Vec<Instant>,
    connects: usize,
}

/// A live connection: what it is told, and how it is dropped (at once,
/// ahead of anything queued).
struct Connection {
    id: u64,
    commands: mpsc::UnboundedSender<Command>,
    drop: Arc<Notify>,
}

struct Pushed {
    frames: Vec<Vec<u8>>,
    /// Where it was sent last, and when; `None` while waiting.
    sent: Option<(u64, Instant)>,
    acked: bool,
}

impl Gateway {
    pub(crate) fn settings(&self) -> LongConnectionSettings {
        self.lock().settings.clone()
    }

    pub(crate) fn set_settings(&self, settings: LongConnectionSettings) {
        self.lock().settings = settings;
    }

    /// A fresh id for a connection, a message or a ticket.
    pub(crate) fn id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// A ticket for one upgrade.
    pub(crate) fn ticket(&self) -> String {
        let ticket = format!("mock-ticket-{}", self.id());
        self.lock().tickets.push(ticket.clone());
        ticket
    }

    /// Whether `ticket` was issued and not used yet; it is used now.
    pub(crate) fn redeem(&self, ticket: &str) -> bool {
        let mut state = self.lock();
        let found = state.tickets.iter().position(|t| t == ticket);
        found.map(|i| state.tickets.swap_remove(i)).is_some()
    }

    /// A connection is up: it takes what waits.
    pub(crate) fn connected(
        &self,
        id: u64,
        commands: mpsc::UnboundedSender<Command>,
        drop: Arc<Notify>,
    ) {
        let mut state = self.lock();
        state.connects += 1;
        state.connections.push(Connection { id, commands, drop });
        let waiting: Vec<String> = state.waiting.drain(..).collect();
        for message_id in waiting {
            state.send(&message_id, Some(id));
        }
    }

    /// A connection is gone: what it did not ACK waits for the next one.
    pub(crate) fn disconnected(&self, id: u64) {
        let mut state = self.lock();
        state.connections.retain(|c| c.id != id);
        let orphans: Vec<String> = state
            .events
            .iter_mut()
            .filter(|(_, e)| !e.acked && e.sent.is_some_and(|(c, _)| c == id))
            .map(|(message_id, e)| {
                e.sent = None;
                message_id.clone()
            })
            .collect();
        for message_id in orphans {
            state.send(&message_id, None);
        }
    }

    /// Pushes an event; it goes out at once if a connection is up.
    pub(crate) fn push(&self, push: Push, service: i32) -> String {
        let message_id = format!("mock_msg_{}", self.id());
        let mut state = self.lock();
        let gzip_it = push.gzip.unwrap_or(state.settings.gzip);
        let fragment = push.fragment_size.or(state.settings.fragment_size);
        let frames = self.frames(&push, &message_id, service, gzip_it, fragment);
        state.events.insert(
            message_id.clone(),
            Pushed {
                frames,
                sent: None,
                acked: false,
            },
        );
        state.send(&message_id, None);
        message_id
    }

    fn frames(
        &self,
        push: &Push,
        message_id: &str,
        service: i32,
        gzip_it: bool,
        fragment: Option<usize>,
    ) -> Vec<Vec<u8>> {
        let json = push.event.to_string().into_bytes();
        let payload = if gzip_it { gzip(&json) } else { json };
        let size = fragment.unwrap_or(usize::MAX).max(1);
        let parts: Vec<&[u8]> = if payload.is_empty() {
            vec![&[]]
        } else {
            payload.chunks(size).collect()
        };
        let trace_id = format!("mock-trace-{}", self.id());
        parts
            .iter()
            .enumerate()
            .map(|(seq, part)| {
                let headers = [
                    ("type", push.frame_type.as_str()),
                    ("message_id", message_id),
                    ("sum", &parts.len().to_string()),
                    ("seq", &seq.to_string()),
                    ("trace_id", &trace_id),
                    ("instance_id", INSTANCE_ID),
                ];
                Frame {
                    seq_id: self.id(),
                    log_id: self.id(),
                    service,
                    method: DATA,
                    headers: headers
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect(),
                    payload_encoding: gzip_it.then(|| "gzip".to_owned()),
                    payload: Some(part.to_vec()),
                }
                .encode()
            })
            .collect()
    }

    /// Records an ACK; a 200 settles its event, anything else leaves it to
    /// be redelivered.
    pub(crate) fn ack(&self, ack: Ack) {
        let mut state = self.lock();
        let settled = state
            .events
            .get_mut(&ack.message_id)
            .filter(|_| ack.code == 200);
        if let Some(event) = settled {
            event.acked = true;
        }
        state.acks.push(ack);
    }

    /// Sends again, on connection `id`, what it did not ACK in time.
    pub(crate) fn redeliver(&self, id: u64, now: Instant) {
        let mut state = self.lock();
        let Some(after) = state.settings.redeliver_after else {
            return;
        };
        let due: Vec<String> = state
            .events
            .iter()
            .filter(|(_, e)| {
                !e.acked
                    && e.sent
                        .is_some_and(|(c, at)| c == id && now.duration_since(at) >= after)
            })
            .map(|(message_id, _)| message_id.clone())
            .collect();
        for message_id in due {
            state.send(&message_id, Some(id));
        }
    }

    pub(crate) fn ping(&self, at: Instant) {
        self.lock().pings.push(at);
    }

    pub(crate) fn pings(&self) -> Vec<Instant> {
        self.lock().pings.clone()
    }

    pub(crate) fn acks(&self) -> Vec<Ack> {
        self.lock().acks.clone()
    }

    /// Events pushed and not ACKed with 200 yet.
    pub(crate) fn unacked(&self) -> usize {
        self.lock().events.values().filter(|e| !e.acked).count()
    }

    pub(crate) fn connections(&self) -> usize {
        self.lock().connections.len()
    }

    pub(crate) fn connects(&self) -> usize {
        self.lock().connects
    }

    /// Tells every live connection to do `command`; returns how many.
    pub(crate) fn broadcast(&self, command: impl Fn() -> Command) -> usize {
        let state = self.lock();
        state
            .connections
            .iter()
            .filter(|c| c.commands.send(command()).is_ok())
            .count()
    }

    /// Drops every live connection, without a close frame; returns how many.
    pub(crate) fn drop_all(&self) -> usize {
        let state = self.lock();
        state.connections.iter().for_each(|c| c.drop.notify_one());
        state.connections.len()
    }

    pub(crate) fn ack_count(&self) -> usize {
        self.lock().acks.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// Sends an event on connection `to`, or the next in turn; with none
    /// up, it waits.
    fn send(&mut self, message_id: &str, to: Option<u64>) {
        let Some(event) = self.events.get_mut(message_id) else {
            return;
        };
        let target = match to {
            Some(id) => self.connections.iter().find(|c| c.id == id),
            None if self.connections.is_empty() => None,
            None => {
                self.turn = (self.turn + 1) % self.connections.len();
                self.connections.get(self.turn)
            }
        };
        match target {
            Some(c) if c.commands.send(Command::Send(event.frames.clone())).is_ok() => {
                event.sent = Some((c.id, Instant::now()));
            }
            _ => {
                event.sent = None;
                self.waiting.push_back(message_id.to_owned());
            }
        }
    }
}

/// How often a connection looks for events to redeliver.
pub(crate) fn redelivery_tick(settings: &LongConnectionSettings) -> Duration {
    settings
        .redeliver_after
        .map_or(Duration::from_millis(250), |after| {
            (after / 4).max(Duration::from_millis(10))
        })
}
