//! Reassembly of data frames split in `sum` parts: each part kept under its
//! `message_id` and `seq` until all are there, within a time to live and a
//! bound on what is buffered, so a sender that never finishes cannot make
//! the client hold its parts forever.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use super::DropReason;

/// The most parts a message may announce: a hostile `sum` must not size an
/// allocation.
pub(crate) const MAX_PARTS: usize = 1024;

/// The bounds of reassembly.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) ttl: Duration,
    pub(crate) max_bytes: usize,
    pub(crate) max_messages: usize,
}

/// The messages being reassembled.
#[derive(Debug)]
pub(crate) struct Fragments {
    limits: Limits,
    partial: HashMap<String, Partial>,
    /// Messages by first part, oldest first; an entry whose message is gone
    /// or started again later is stale and skipped.
    order: VecDeque<(String, SystemTime)>,
    bytes: usize,
}

#[derive(Debug)]
struct Partial {
    parts: Vec<Option<Vec<u8>>>,
    received: usize,
    bytes: usize,
    started: SystemTime,
}

/// What a part did.
#[derive(Debug)]
pub(crate) enum Added {
    /// It is kept; more parts are to come.
    Pending,
    /// It was the last: the whole payload.
    Complete(Vec<u8>),
}

/// A message given up, and why.
pub(crate) type GivenUp = (String, DropReason);

impl Fragments {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            limits,
            partial: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
        }
    }

    /// Keeps part `seq` of `sum` of `message_id`; messages given up on the
    /// way (this one, or older ones evicted for room) go to `given_up`.
    pub(crate) fn add(
        &mut self,
        message_id: &str,
        sum: usize,
        seq: usize,
        payload: Vec<u8>,
        now: SystemTime,
        given_up: &mut Vec<GivenUp>,
    ) -> Option<Added> {
        if sum > MAX_PARTS || seq >= sum {
            given_up.push((message_id.to_owned(), DropReason::BadFragment { sum, seq }));
            return None;
        }
        // A part that announces another count starts the message afresh.
        if self
            .partial
            .get(message_id)
            .is_some_and(|partial| partial.parts.len() != sum)
        {
            self.remove(message_id);
        }
        let needed = self.partial.get(message_id).map_or(0, |p| p.bytes) + payload.len();
        if needed > self.limits.max_bytes {
            self.remove(message_id);
            given_up.push((message_id.to_owned(), DropReason::FragmentsTooLarge));
            return None;
        }
        if !self.partial.contains_key(message_id) {
            while self.partial.len() >= self.limits.max_messages.max(1) {
                self.evict_oldest(given_up);
            }
            self.partial.insert(
                message_id.to_owned(),
                Partial {
                    parts: vec![None; sum],
                    received: 0,
                    bytes: 0,
                    started: now,
                },
            );
            self.order.push_back((message_id.to_owned(), now));
        }
        while self.bytes + payload.len() > self.limits.max_bytes {
            if !self.evict_other(message_id, given_up) {
                break;
            }
        }
        let partial = self.partial.get_mut(message_id)?;
        let slot = partial.parts.get_mut(seq)?;
        // A repeated part changes nothing: the first copy is kept.
        if slot.is_none() {
            partial.bytes += payload.len();
            partial.received += 1;
            self.bytes += payload.len();
            *slot = Some(payload);
        }
        if partial.received < partial.parts.len() {
            return Some(Added::Pending);
        }
        let partial = self.remove(message_id)?;
        let mut whole = Vec::with_capacity(partial.bytes);
        for part in partial.parts.into_iter().flatten() {
            whole.extend_from_slice(&part);
        }
        Some(Added::Complete(whole))
    }

    /// Gives up the messages whose first part is older than the time to live.
    pub(crate) fn expire(&mut self, now: SystemTime, given_up: &mut Vec<GivenUp>) {
        while let Some((id, started)) = self.order.front() {
            if *started + self.limits.ttl > now {
                break;
            }
            let (id, started) = (id.clone(), *started);
            self.order.pop_front();
            if self.partial.get(&id).is_some_and(|p| p.started == started)
                && let Some(partial) = self.remove(&id)
            {
                let reason = DropReason::FragmentsExpired {
                    received: partial.received,
                    sum: partial.parts.len(),
                };
                given_up.push((id, reason));
            }
        }
    }

    /// When the oldest message expires.
    pub(crate) fn next_expiry(&self) -> Option<SystemTime> {
        self.order
            .iter()
            .find(|(id, started)| self.partial.get(id).is_some_and(|p| p.started == *started))
            .map(|(_, started)| *started + self.limits.ttl)
    }

    /// Forgets everything: the parts of a closed connection never complete.
    pub(crate) fn clear(&mut self) {
        self.partial.clear();
        self.order.clear();
        self.bytes = 0;
    }

    /// The bytes buffered.
    pub(crate) fn buffered_bytes(&self) -> usize {
        self.bytes
    }

    /// The messages buffered.
    pub(crate) fn buffered_messages(&self) -> usize {
        self.partial.len()
    }

    fn remove(&mut self, message_id: &str) -> Option<Partial> {
        let partial = self.partial.remove(message_id)?;
        self.bytes -= partial.bytes;
        Some(partial)
    }

    fn evict_oldest(&mut self, given_up: &mut Vec<GivenUp>) {
        while let Some((id, started)) = self.order.pop_front() {
            if self.partial.get(&id).is_some_and(|p| p.started == started) {
                self.remove(&id);
                given_up.push((id, DropReason::FragmentsEvicted));
                return;
            }
        }
        // The order lost track (cannot happen): drop everything rather than loop.
        self.clear();
    }

    /// Evicts the oldest message other than `keep`; `false` if there is none.
    fn evict_other(&mut self, keep: &str, given_up: &mut Vec<GivenUp>) -> bool {
        let oldest = self.order.iter().position(|(id, started)| {
            id != keep && self.partial.get(id).is_some_and(|p| p.started == *started)
        });
        let Some(index) = oldest else {
            return false;
        };
        if let Some((id, _)) = self.order.remove(index) {
            self.remove(&id);
            given_up.push((id, DropReason::FragmentsEvicted));
        }
        true
    }
}
