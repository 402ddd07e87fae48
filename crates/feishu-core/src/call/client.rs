//! The shared state behind every call: configuration, the token store, the
//! single-flight leases and the app ticket.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::auth::UserAccessTokenRequest;
use crate::call::retry::SplitMix64;
use crate::call::single_flight::{LeaseId, SingleFlight, Taken, Waker, lock};
use crate::call::token_store::{CredentialKind, MemoryTokenStore, TokenKey, TokenStore, later};
use crate::store::StoreOp;
use crate::{App, AppKind, CachedToken, Call, Config, Endpoint, Error, InvalidRequest, Secret};

/// How long a stored app ticket is trusted: Feishu pushes a new one hourly.
const APP_TICKET_LIFETIME: Duration = Duration::from_secs(12 * 3600);

/// How often a marketplace app may ask Feishu to resend its ticket.
const APP_TICKET_RESEND_INTERVAL: Duration = Duration::from_secs(30);

/// How often a call waiting for another call's token refresh looks again,
/// when its driver registered no [`Waker`] to be told.
const LEASE_POLL: Duration = Duration::from_millis(20);

/// The same, when a waker tells the waiters: only a fallback.
const LEASE_POLL_WOKEN: Duration = Duration::from_secs(1);

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
    /// Which token refreshes are in flight.
    refreshing: SingleFlight<TokenKey>,
    /// Whether the driver has a store shared with other processes.
    shared: AtomicBool,
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
                refreshing: SingleFlight::new(),
                shared: AtomicBool::new(false),
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

    /// A seed of its own for a machine a driver runs beside its calls (a
    /// card stream's `uuid`s), derived from the client's as a call's is.
    pub(crate) fn derive_seed(&self) -> u64 {
        let n = self.inner.next_call.fetch_add(1, Ordering::Relaxed);
        call_seed(self.inner.seed, n)
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

    /// Tells the client its driver has a store shared with other processes:
    /// calls then load tokens from it before fetching their own, lock it
    /// fleet-wide while they fetch, and save what they fetch, through
    /// [`Step::Store`](crate::Step::Store) steps; the design is in
    /// [`store`](crate::store).
    pub fn use_shared_store(&self) {
        self.inner.shared.store(true, Ordering::Relaxed);
    }

    /// Keeps the `app_ticket` as [`Client::set_app_ticket`] does, and returns
    /// the [`StoreOp::Save`] that shares it with the other processes: carry
    /// it out on the shared store (calls elsewhere load it when they need
    /// it).
    pub fn share_app_ticket(
        &self,
        ticket: impl Into<Secret>,
        now: SystemTime,
    ) -> Result<StoreOp, Error> {
        let ticket = ticket.into();
        self.set_app_ticket(ticket.clone(), now)?;
        let key = self.keys()?.ticket.clone();
        let token = CachedToken::new(ticket, APP_TICKET_LIFETIME.as_secs(), now, Duration::ZERO);
        Ok(StoreOp::Save {
            key,
            token,
            fence: None,
        })
    }

    /// Adds a way to wake this client's waiting calls: when a token refresh
    /// ends, every call that waits for it ([`Step::Wait`](crate::Step::Wait))
    /// may poll at once instead of at its wake-up time. Each driver adds its
    /// own once (clones of a client share them all); the closure must be
    /// cheap and must not block (notify a condition variable, an async
    /// `Notify`).
    pub fn add_waker(&self, waker: Waker) {
        self.inner.refreshing.add_waker(waker);
    }

    /// How many times this client's waiting calls were woken so far. A driver
    /// reads it before a call's poll and, when the call says
    /// [`Step::Wait`](crate::Step::Wait), sleeps only while it is unchanged:
    /// a refresh that ended between the poll and the sleep is not missed.
    pub fn wakeups(&self) -> u64 {
        self.inner.refreshing.wakeups()
    }

    /// The stored ticket key, for loading a shared ticket.
    pub(crate) fn app_ticket_key(&self) -> Result<&TokenKey, Error> {
        Ok(&self.keys()?.ticket)
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
        match self.inner.refreshing.take(key, now, self.lease_until(now)) {
            Taken::Held(id) => Some(id),
            Taken::Busy(_) => None,
        }
    }

    /// Extends a lease its holder still holds; `false` if it lapsed and
    /// another call took it.
    pub(crate) fn renew_lease(&self, key: &TokenKey, id: LeaseId, now: SystemTime) -> bool {
        self.inner
            .refreshing
            .renew(key, id, now, self.lease_until(now))
    }

    /// Releases a lease, if its holder still holds it, and wakes the waiters.
    pub(crate) fn release_lease(&self, key: &TokenKey, id: LeaseId) {
        self.inner.refreshing.release(key, id);
    }

    /// Wakes the calls waiting for a refresh (a user's ended).
    pub(crate) fn wake_waiters(&self) {
        self.inner.refreshing.wake();
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

    /// When a call that waits for another's refresh looks again at the
    /// latest: soon without a waker, as a fallback with one.
    pub(crate) fn retry_at(&self, now: SystemTime) -> SystemTime {
        let poll = if self.inner.refreshing.has_waker() {
            LEASE_POLL_WOKEN
        } else {
            LEASE_POLL
        };
        later(now, poll)
    }

    /// Whether calls hand out [`Step::Store`](crate::Step::Store) steps.
    pub(crate) fn shares(&self) -> bool {
        self.inner.shared.load(Ordering::Relaxed)
    }
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
