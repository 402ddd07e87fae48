//! What one server knows: its apps, issued tokens, hit counts and fault queues.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::fault::{Fault, FaultQueue};
use crate::ids::IdSource;
use crate::tokens::{TokenPolicy, TokenStore};

/// The tenant a self-built app belongs to; self-built apps live in exactly one.
pub(crate) const SELF_BUILT_TENANT_KEY: &str = "mock_self_built_tenant";

/// An app registered with the mock.
#[derive(Clone)]
pub(crate) struct App {
    pub(crate) secret: String,
    pub(crate) kind: AppKind,
}

/// Self-built apps trade their secret directly; marketplace apps need a ticket
/// and are installed by tenants.
#[derive(Clone)]
pub(crate) enum AppKind {
    SelfBuilt,
    Marketplace {
        app_ticket: String,
        tenant_keys: Vec<String>,
    },
}

/// State shared by the request handlers and the [`MockServer`](crate::MockServer) handle.
pub(crate) struct Shared {
    pub(crate) apps: HashMap<String, App>,
    pub(crate) policy: TokenPolicy,
    pub(crate) ids: IdSource,
    tokens: Mutex<TokenStore>,
    hits: Mutex<HashMap<String, usize>>,
    faults: Mutex<HashMap<String, FaultQueue>>,
}

impl Shared {
    pub(crate) fn new(apps: HashMap<String, App>, policy: TokenPolicy) -> Self {
        Self {
            apps,
            policy,
            ids: IdSource::new(),
            tokens: Mutex::default(),
            hits: Mutex::default(),
            faults: Mutex::default(),
        }
    }

    /// The token store, locked.
    pub(crate) fn tokens(&self) -> MutexGuard<'_, TokenStore> {
        lock(&self.tokens)
    }

    pub(crate) fn count_hit(&self, path: &str) {
        *lock(&self.hits).entry(path.to_owned()).or_default() += 1;
    }

    pub(crate) fn hits(&self, path: &str) -> usize {
        lock(&self.hits).get(path).copied().unwrap_or(0)
    }

    pub(crate) fn reset_hits(&self) {
        lock(&self.hits).clear();
    }

    pub(crate) fn inject(&self, path: &str, fault: Fault) {
        lock(&self.faults)
            .entry(path.to_owned())
            .or_default()
            .push(fault);
    }

    /// The fault that answers the next request to `path`, if one is queued.
    pub(crate) fn take_fault(&self, path: &str) -> Option<Fault> {
        lock(&self.faults).get_mut(path).and_then(FaultQueue::next)
    }
}

/// Locks `mutex`, ignoring poison: every critical section here leaves the data
/// consistent, and a panicking test thread must not wedge the server.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
