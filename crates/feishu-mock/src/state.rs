//! What one server knows: its apps, issued tokens and grants, chats and
//! messages, uploads, counters, fault queues and event deliveries.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use crate::Clock;
use crate::events::{EventConfig, EventHub};
use crate::fault::{Fault, FaultQueue};
use crate::ids::IdSource;
use crate::messages::{Chats, MessageStore, Moment};
use crate::tokens::{TokenKind, TokenPolicy, TokenStore};
use crate::uploads::UploadStore;
use crate::users::{Grants, User};

/// The tenant a self-built app belongs to; self-built apps live in exactly one.
pub(crate) const SELF_BUILT_TENANT_KEY: &str = "mock_self_built_tenant";

/// An app registered with the mock.
pub(crate) struct App {
    pub(crate) secret: String,
    pub(crate) kind: AppKind,
}

/// Self-built apps trade their secret directly; marketplace apps need a ticket
/// and are installed by tenants.
pub(crate) enum AppKind {
    SelfBuilt,
    Marketplace {
        /// Behind a lock because a test may rotate it while the server runs.
        app_ticket: Mutex<String>,
        tenant_keys: Vec<String>,
    },
}

impl App {
    /// The tenant its OAuth users belong to: a marketplace app's first tenant,
    /// or the self-built tenant.
    pub(crate) fn user_tenant(&self) -> &str {
        match &self.kind {
            AppKind::SelfBuilt => SELF_BUILT_TENANT_KEY,
            AppKind::Marketplace { tenant_keys, .. } => {
                tenant_keys.first().map_or("", String::as_str)
            }
        }
    }
}

/// State shared by the request handlers and the [`MockServer`](crate::MockServer) handle.
pub(crate) struct Shared {
    pub(crate) apps: HashMap<String, App>,
    pub(crate) policy: TokenPolicy,
    pub(crate) ids: IdSource,
    /// The event target, delivery settings and log; shared with deliveries
    /// running in the background.
    pub(crate) events: Arc<EventHub>,
    /// The long-connection gateway: settings, pushed events, connections.
    pub(crate) long_connection: crate::long_connection::Gateway,
    /// What time it is: read by the handlers, never by the stores.
    clock: Arc<dyn Clock>,
    tokens: Mutex<TokenStore>,
    grants: Mutex<Grants>,
    messages: Mutex<MessageStore>,
    uploads: Mutex<UploadStore>,
    cards: Mutex<crate::cardkit::CardStore>,
    issued: Mutex<HashMap<TokenKind, usize>>,
    hits: Mutex<HashMap<String, usize>>,
    faults: Mutex<HashMap<String, FaultQueue>>,
}

impl Shared {
    pub(crate) fn new(
        apps: HashMap<String, App>,
        policy: TokenPolicy,
        chats: Chats,
        events: EventConfig,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            apps,
            policy,
            ids: IdSource::new(),
            events: Arc::new(EventHub::new(events)),
            long_connection: Default::default(),
            clock,
            tokens: Mutex::default(),
            grants: Mutex::default(),
            messages: Mutex::new(MessageStore::new(chats)),
            uploads: Mutex::default(),
            cards: Mutex::default(),
            issued: Mutex::default(),
            hits: Mutex::default(),
            faults: Mutex::default(),
        }
    }

    /// The server's clock, now.
    pub(crate) fn now(&self) -> Instant {
        self.clock.now()
    }

    /// The server's clock, now, as the message store takes it.
    pub(crate) fn moment(&self) -> Moment {
        Moment::of(self.clock.as_ref())
    }

    /// The token store, locked. Lock it after [`grants`](Shared::grants)
    /// when both are needed, never before.
    pub(crate) fn tokens(&self) -> MutexGuard<'_, TokenStore> {
        lock(&self.tokens)
    }

    /// The OAuth codes and refresh tokens, locked.
    pub(crate) fn grants(&self) -> MutexGuard<'_, Grants> {
        lock(&self.grants)
    }

    /// The chats and messages, locked. Lock it before
    /// [`uploads`](Shared::uploads) when both are needed, never after.
    pub(crate) fn messages(&self) -> MutexGuard<'_, MessageStore> {
        lock(&self.messages)
    }

    /// The uploaded images and files, locked.
    pub(crate) fn uploads(&self) -> MutexGuard<'_, UploadStore> {
        lock(&self.uploads)
    }

    /// The card entities, locked. Lock it before
    /// [`messages`](Shared::messages) when both are needed, never after.
    pub(crate) fn cards(&self) -> MutexGuard<'_, crate::cardkit::CardStore> {
        lock(&self.cards)
    }

    /// A fresh authorization code for `open_id` of `app_id`.
    pub(crate) fn authorize(&self, app_id: &str, open_id: &str, now: Instant) -> String {
        let tenant_key = self
            .apps
            .get(app_id)
            .map_or(SELF_BUILT_TENANT_KEY, App::user_tenant);
        let user = User {
            app_id: app_id.to_owned(),
            tenant_key: tenant_key.to_owned(),
            open_id: open_id.to_owned(),
        };
        self.grants().authorize(user, &self.ids, now)
    }

    /// The ticket a marketplace app currently accepts.
    pub(crate) fn app_ticket(&self, app: &App) -> Option<String> {
        match &app.kind {
            AppKind::Marketplace { app_ticket, .. } => Some(lock(app_ticket).clone()),
            AppKind::SelfBuilt => None,
        }
    }

    /// Gives a marketplace app a new ticket and returns it; `None` for any
    /// other app id.
    pub(crate) fn rotate_app_ticket(&self, app_id: &str) -> Option<String> {
        let Some(AppKind::Marketplace { app_ticket, .. }) = self.apps.get(app_id).map(|a| &a.kind)
        else {
            return None;
        };
        let ticket = self.ids.token("");
        *lock(app_ticket) = ticket.clone();
        Some(ticket)
    }

    /// Counts one token request answered with a token of `kind`.
    pub(crate) fn count_issued(&self, kind: TokenKind) {
        *lock(&self.issued).entry(kind).or_default() += 1;
    }

    pub(crate) fn issued(&self, kind: TokenKind) -> usize {
        lock(&self.issued).get(&kind).copied().unwrap_or(0)
    }

    pub(crate) fn count_hit(&self, path: &str) {
        *lock(&self.hits).entry(path.to_owned()).or_default() += 1;
    }

    pub(crate) fn hits(&self, path: &str) -> usize {
        lock(&self.hits).get(path).copied().unwrap_or(0)
    }

    /// Every path requested so far and its count, sorted by path.
    pub(crate) fn all_hits(&self) -> BTreeMap<String, usize> {
        lock(&self.hits)
            .iter()
            .map(|(path, &n)| (path.clone(), n))
            .collect()
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
