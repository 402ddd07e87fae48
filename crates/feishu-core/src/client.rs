//! The shared state behind every call: configuration, the token store, the
//! single-flight leases and the app ticket.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use crate::auth::UserAccessTokenRequest;
use crate::retry::SplitMix64;
use crate::token_store::{CredentialKind, MemoryTokenStore, TokenKey, TokenStore, later};
use crate::{App, AppKind, CachedToken, Call, Config, Endpoint, Error, InvalidRequest, Secret};

/// How long a stored app ticket is trusted: Feishu pushes a new one hourly.
const APP_TICKET_LIFETIME: Duration = Duration::from_secs(12 * 3600);

/// How often a marketplace app may ask Feishu to resend its ticket.
const APP_TICKET_RESEND_INTERVAL: Duration = Duration::from_secs(30);

/// How often a call waiting for another call's token refresh looks again.
const LEASE_POLL: Duration = Duration::from_millis(20);

/// The sans-IO client: configuration plus the token state every call shares.
///
/// It sends nothing itself: [`Client::call`] starts a [`Call`], a state machine
/// that an adapter (or your own loop) drives. Cloning is cheap and shares the
/// state, so one client serves a whole program.
///
/// ```
/// use feishu_core::{App, Client, Config, RawEndpoint, Step};
/// use std::time::SystemTime;
///
/// // Fresh random bits in real code, e.g. std's `RandomState::new().hash_one(())`.
/// let seed = 0x5eed;
/// let client = Client::new(Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "secret")), seed);
/// let chats = RawEndpoint::get("/open-apis/im/v1/chats");
/// let mut call = client.call(&chats);
/// // Cold cache: the first request is for a tenant token.
/// let Step::Send(request) = call.poll(SystemTime::UNIX_EPOCH) else { unreachable!() };
/// assert!(request.uri().path().ends_with("/tenant_access_token/internal"));
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    store: Arc<dyn TokenStore>,
    /// The app's own keys, built once so a cache hit allocates nothing.
    keys: Option<AppKeys>,
    /// Which token refreshes are in flight: the holder's lease and until when.
    leases: Mutex<HashMap<TokenKey, Lease>>,
    /// Numbers leases, so only their holder can release them.
    next_lease: AtomicU64,
    /// The randomness every call's seed is derived from.
    seed: u64,
    /// Numbers calls, so each derives a seed of its own.
    next_call: AtomicU64,
    last_ticket_resend: Mutex<Option<SystemTime>>,
}

struct AppKeys {
    app: TokenKey,
    tenant: TokenKey,
    ticket: TokenKey,
}

impl Client {
    /// A client with the in-memory token store.
    ///
    /// `seed` is the randomness of every call of this client: the jitter of
    /// its retries and the `uuid` that makes a repeated send post once. The
    /// core draws none of its own, so pass fresh random bits (the adapters
    /// take them from the OS); each call derives its own from it.
    pub fn new(config: Config, seed: u64) -> Self {
        Self::with_token_store(config, Arc::new(MemoryTokenStore::new()), seed)
    }

    /// A client whose tokens live in `store`, e.g. one shared by a cluster;
    /// `seed` as for [`Client::new`].
    pub fn with_token_store(config: Config, store: Arc<dyn TokenStore>, seed: u64) -> Self {
        let base_url: Arc<str> = config.base_url().into();
        let keys = config.app().map(|app| {
            let key = |kind| TokenKey {
                base_url: base_url.clone(),
                app_id: app.shared_id().clone(),
                kind,
                tenant_key: None,
            };
            AppKeys {
                app: key(CredentialKind::AppAccessToken),
                tenant: key(CredentialKind::TenantAccessToken),
                ticket: key(CredentialKind::AppTicket),
            }
        });
        Self {
            inner: Arc::new(Inner {
                config,
                store,
                keys,
                leases: Mutex::new(HashMap::new()),
                next_lease: AtomicU64::new(1),
                seed,
                next_call: AtomicU64::new(0),
                last_ticket_resend: Mutex::new(None),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The token store.
    pub fn token_store(&self) -> &dyn TokenStore {
        &*self.inner.store
    }

    /// Starts a call of `endpoint`, authenticated as the endpoint needs: the
    /// app's app or tenant token, fetched and cached on the way.
    ///
    /// The call is seeded from the client's seed (see [`Client::new`]): no two
    /// calls of a client share their randomness.
    pub fn call<'a, E: Endpoint>(&'a self, endpoint: &'a E) -> Call<'a, E> {
        let n = self.inner.next_call.fetch_add(1, Ordering::Relaxed);
        Call::new(self, endpoint, call_seed(self.inner.seed, n))
    }

    /// Keeps the `app_ticket` Feishu pushed to this marketplace app (the
    /// `app_ticket` event), received at `now`.
    pub fn set_app_ticket(&self, ticket: impl Into<Secret>, now: SystemTime) -> Result<(), Error> {
        let keys = self.keys()?;
        let ticket = CachedToken::new(
            ticket.into(),
            APP_TICKET_LIFETIME.as_secs(),
            now,
            Duration::ZERO,
        );
        self.inner.store.put(&keys.ticket, ticket);
        Ok(())
    }

    /// The code exchange for an OAuth authorization code, for the configured
    /// app. Send it, then wrap the answer in a [`UserToken`](crate::UserToken).
    pub fn code_exchange(
        &self,
        code: impl Into<Secret>,
        redirect_uri: Option<&str>,
    ) -> Result<UserAccessTokenRequest, Error> {
        Ok(UserAccessTokenRequest::authorization_code(
            self.app()?,
            code,
            redirect_uri,
        ))
    }

    pub(crate) fn app(&self) -> Result<&App, Error> {
        Ok(self.config().app().ok_or(InvalidRequest::NoApp)?)
    }

    fn keys(&self) -> Result<&AppKeys, Error> {
        Ok(self.inner.keys.as_ref().ok_or(InvalidRequest::NoApp)?)
    }

    pub(crate) fn app_token_key(&self) -> Result<&TokenKey, Error> {
        Ok(&self.keys()?.app)
    }

    /// The cache key of the tenant token for `tenant_key` (marketplace apps) or
    /// the app's own tenant (self-built apps, which have exactly one).
    pub(crate) fn tenant_token_key(
        &self,
        tenant_key: Option<&Arc<str>>,
    ) -> Result<TokenKey, Error> {
        let keys = self.keys()?;
        match (self.app()?.kind(), tenant_key) {
            (AppKind::SelfBuilt, _) => Ok(keys.tenant.clone()),
            (AppKind::Marketplace, Some(tenant_key)) => Ok(TokenKey {
                tenant_key: Some(tenant_key.clone()),
                ..keys.tenant.clone()
            }),
            (AppKind::Marketplace, None) => Err(InvalidRequest::MissingTenantKey.into()),
        }
    }

    /// A stored credential that is still fresh at `now`.
    pub(crate) fn fresh(&self, key: &TokenKey, now: SystemTime) -> Option<Secret> {
        let cached = self.inner.store.get(key)?;
        cached.is_fresh(now).then_some(cached.token)
    }

    pub(crate) fn store(&self, key: &TokenKey, token: CachedToken) {
        self.inner.store.put(key, token);
    }

    pub(crate) fn invalidate(&self, key: &TokenKey, token: &Secret) {
        self.inner.store.invalidate(key, token);
    }

    pub(crate) fn app_ticket(&self, now: SystemTime) -> Result<Option<Secret>, Error> {
        Ok(self.fresh(&self.keys()?.ticket, now))
    }

    pub(crate) fn forget_app_ticket(&self, ticket: &Secret) -> Result<(), Error> {
        self.invalidate(&self.keys()?.ticket, ticket);
        Ok(())
    }

    /// Whether a ticket resend may go out now; records it if so.
    pub(crate) fn may_resend_app_ticket(&self, now: SystemTime) -> bool {
        let mut last = lock(&self.inner.last_ticket_resend);
        let due = last.is_none_or(|at| {
            now.duration_since(at)
                .map_or(true, |since| since >= APP_TICKET_RESEND_INTERVAL)
        });
        if due {
            *last = Some(now);
        }
        due
    }

    /// Takes the refresh lease for `key` unless another call holds it.
    pub(crate) fn try_lease(&self, key: &TokenKey, now: SystemTime) -> Option<LeaseId> {
        let mut leases = lock(&self.inner.leases);
        if leases.get(key).is_some_and(|lease| now < lease.until) {
            return None;
        }
        let id = LeaseId(self.inner.next_lease.fetch_add(1, Ordering::Relaxed));
        let until = self.lease_until(now);
        leases.insert(key.clone(), Lease { id, until });
        Some(id)
    }

    /// Extends a lease its holder still holds; `false` if it lapsed and
    /// another call took it.
    pub(crate) fn renew_lease(&self, key: &TokenKey, id: LeaseId, now: SystemTime) -> bool {
        let mut leases = lock(&self.inner.leases);
        match leases.get_mut(key) {
            Some(lease) if lease.id == id => {
                lease.until = self.lease_until(now);
                true
            }
            Some(lease) if now < lease.until => false,
            // Lapsed and not taken: take it back.
            _ => {
                let until = self.lease_until(now);
                leases.insert(key.clone(), Lease { id, until });
                true
            }
        }
    }

    /// Releases a lease, if its holder still holds it: a call that stalled
    /// past its lease must not release the one that took over.
    pub(crate) fn release_lease(&self, key: &TokenKey, id: LeaseId) {
        let mut leases = lock(&self.inner.leases);
        if leases.get(key).is_some_and(|lease| lease.id == id) {
            leases.remove(key);
        }
    }

    /// Lets the next call resend the app ticket at once: the last resend
    /// never reached Feishu.
    pub(crate) fn app_ticket_resend_failed(&self) {
        *lock(&self.inner.last_ticket_resend) = None;
    }

    /// How long a refresh may hold its lease: one request's timeout, plus a
    /// second. A call dropped mid-refresh releases it at once; this bound is
    /// for a caller that stopped driving its call.
    pub(crate) fn lease_until(&self, now: SystemTime) -> SystemTime {
        later(
            now,
            self.config()
                .timeout()
                .saturating_add(Duration::from_secs(1)),
        )
    }

    /// When a call that waits for another's refresh looks again.
    pub(crate) fn retry_at(&self, now: SystemTime) -> SystemTime {
        later(now, LEASE_POLL)
    }
}

/// Identifies one holder of a refresh lease.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LeaseId(u64);

struct Lease {
    id: LeaseId,
    until: SystemTime,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Call number `n`'s seed: the client's seed and `n` mixed so that
/// neighbouring calls draw unrelated numbers.
fn call_seed(seed: u64, n: u64) -> u64 {
    SplitMix64::new(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", self.config())
            .finish_non_exhaustive()
    }
}
