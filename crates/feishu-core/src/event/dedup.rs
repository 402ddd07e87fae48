//! Duplicate suppression: Feishu delivers at least once, so every event id is
//! claimed once; a redelivery finds it taken.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// Remembers which event ids were seen. Implement it over a shared store
/// (Redis `SET id 1 NX PX <age>`) so a cluster of webhooks drops a
/// redelivery whichever node it reaches.
pub trait SeenStore: Send + Sync {
    /// Records `id` as seen at `now`; `false` if it was seen already.
    fn claim(&self, id: &str, now: SystemTime) -> bool;
    /// Forgets `id`, so a redelivery is processed again (for a handler that
    /// failed before it could process the event).
    fn release(&self, id: &str);
}

/// The default [`SeenStore`]: in memory, bounded by count and by age.
///
/// Feishu redelivers for about 7.1 hours, so the default keeps ids 12 hours,
/// and at most 100,000 of them (the oldest go first).
pub struct MemorySeenStore {
    capacity: usize,
    max_age: Duration,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    /// Each id's current claim, numbered.
    at: HashMap<String, u64>,
    /// Claims oldest first; an entry whose number is no longer the id's
    /// current one (released, then claimed again) is stale.
    order: VecDeque<(String, u64, SystemTime)>,
    next: u64,
}

impl Seen {
    /// Drops the oldest claim, if it is still current.
    fn pop_oldest(&mut self) {
        if let Some((id, number, _)) = self.order.pop_front()
            && self.at.get(&id) == Some(&number)
        {
            self.at.remove(&id);
        }
    }
}

impl MemorySeenStore {
    /// A store of at most `capacity` ids, each kept for `max_age`.
    pub fn new(capacity: usize, max_age: Duration) -> Self {
        Self {
            capacity: capacity.max(1),
            max_age,
            seen: Mutex::new(Seen::default()),
        }
    }
}

impl Default for MemorySeenStore {
    fn default() -> Self {
        Self::new(100_000, Duration::from_secs(12 * 3600))
    }
}

impl fmt::Debug for MemorySeenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("MemorySeenStore")
            .field("capacity", &self.capacity)
            .field("max_age", &self.max_age)
            .field("len", &seen.at.len())
            .finish()
    }
}

impl SeenStore for MemorySeenStore {
    fn claim(&self, id: &str, now: SystemTime) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        // Forget what is too old, then answer, then make room.
        while seen
            .order
            .front()
            .is_some_and(|(_, _, at)| now.duration_since(*at).is_ok_and(|age| age > self.max_age))
        {
            seen.pop_oldest();
        }
        if seen.at.contains_key(id) {
            return false;
        }
        while seen.at.len() >= self.capacity && !seen.order.is_empty() {
            seen.pop_oldest();
        }
        seen.next += 1;
        let number = seen.next;
        seen.at.insert(id.to_owned(), number);
        seen.order.push_back((id.to_owned(), number, now));
        true
    }

    fn release(&self, id: &str) {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.at.remove(id);
    }
}
