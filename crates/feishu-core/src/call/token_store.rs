//! Where a process keeps its tokens between calls.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::Secret;

/// What a stored credential is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialKind {
    /// An `app_access_token`.
    AppAccessToken,
    /// A `tenant_access_token`.
    TenantAccessToken,
    /// A marketplace app's latest `app_ticket`.
    AppTicket,
}

/// Which credential an entry holds: Feishu instance, app, kind and tenant.
///
/// Cloning is cheap (shared strings), so building a key allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenKey {
    /// The OpenAPI base URL (Feishu, Lark, a private deployment).
    pub base_url: Arc<str>,
    /// The app id, `cli_…`.
    pub app_id: Arc<str>,
    /// The kind of credential.
    pub kind: CredentialKind,
    /// The tenant, for a marketplace app's tenant tokens.
    pub tenant_key: Option<Arc<str>>,
}

impl fmt::Display for TokenKey {
    /// A flat form fit for a shared store's key, e.g.
    /// `feishu:https://open.feishu.cn:cli_a5d6:tenant:73658811060f175d`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            CredentialKind::AppAccessToken => "app",
            CredentialKind::TenantAccessToken => "tenant",
            CredentialKind::AppTicket => "ticket",
        };
        write!(f, "feishu:{}:{}:{kind}", self.base_url, self.app_id)?;
        if let Some(tenant_key) = &self.tenant_key {
            write!(f, ":{tenant_key}")?;
        }
        Ok(())
    }
}

/// A stored credential and its wall-clock times, meaningful across machines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedToken {
    /// The token (or ticket).
    pub token: Secret,
    /// When the server said it expires.
    pub expires_at: SystemTime,
    /// When to fetch a new one: before `expires_at` by the refresh margin.
    pub refresh_at: SystemTime,
}

impl CachedToken {
    /// A token the server said is valid for `expire` seconds from `now`. It is
    /// due for refresh `margin` before that, or halfway through a lifetime
    /// shorter than twice the margin, so a short-lived token is still used.
    pub fn new(token: Secret, expire: u64, now: SystemTime, margin: Duration) -> Self {
        let lifetime = lifetime(expire);
        Self {
            token,
            expires_at: later(now, lifetime),
            refresh_at: refresh_point(now, lifetime, margin),
        }
    }

    /// Whether it can be used at `now` without refreshing first.
    pub fn is_fresh(&self, now: SystemTime) -> bool {
        now < self.refresh_at
    }
}

/// The longest lifetime believed: a server's `expire` beyond it is clamped, so
/// no answer can overflow the clock arithmetic.
const MAX_LIFETIME: Duration = Duration::from_secs(366 * 24 * 3600);

/// The lifetime a server's `expire` (seconds) stands for.
pub(crate) fn lifetime(expire: u64) -> Duration {
    Duration::from_secs(expire).min(MAX_LIFETIME)
}

/// About a hundred years: "never", in clock arithmetic that cannot overflow.
const NEVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// `now + by`, saturating: a sum past what the clock can hold is "never"
/// (a century on), so `Duration::MAX` means no limit rather than none left.
pub(crate) fn later(now: SystemTime, by: Duration) -> SystemTime {
    now.checked_add(by)
        .or_else(|| now.checked_add(NEVER))
        .unwrap_or(now)
}

/// When a token issued at `issued_at` for `lifetime` is due for refresh: `margin`
/// before expiry, or halfway through a lifetime shorter than twice the margin.
pub(crate) fn refresh_point(
    issued_at: SystemTime,
    lifetime: Duration,
    margin: Duration,
) -> SystemTime {
    let usable = if lifetime > margin.saturating_mul(2) {
        lifetime - margin
    } else {
        lifetime / 2
    };
    later(issued_at, usable)
}

/// Keeps tokens and app tickets between calls, in this process.
///
/// The default is the in-memory [`MemoryTokenStore`]. It is read inside
/// [`Call::poll`](crate::Call::poll), on every call, so an implementation must
/// answer from memory and never do I/O: no network, no file, no lock held
/// across anything slow. To share tokens between processes (Redis, a
/// database), keep this cache and give the driver the shared store: see
/// [`Client::use_shared_store`](crate::Client::use_shared_store) and the
/// design in [`store`](crate::store). The client keeps its
/// single-flight bookkeeping itself; a store only answers `get`, `put` and
/// `invalidate`.
pub trait TokenStore: Send + Sync {
    /// The entry for `key`, if any (fresh or not).
    fn get(&self, key: &TokenKey) -> Option<CachedToken>;
    /// Stores an entry, replacing any other.
    fn put(&self, key: &TokenKey, token: CachedToken);
    /// Removes the entry for `key` if it still holds `token`.
    fn invalidate(&self, key: &TokenKey, token: &Secret);
}

/// The default [`TokenStore`]: a map in this process's memory.
#[derive(Default)]
pub struct MemoryTokenStore {
    entries: Mutex<HashMap<TokenKey, CachedToken>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("MemoryTokenStore")
            .field("entries", &entries.len())
            .finish()
    }
}

impl TokenStore for MemoryTokenStore {
    fn get(&self, key: &TokenKey) -> Option<CachedToken> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.get(key).cloned()
    }

    fn put(&self, key: &TokenKey, token: CachedToken) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.insert(key.clone(), token);
    }

    fn invalidate(&self, key: &TokenKey, token: &Secret) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries
            .get(key)
            .is_some_and(|cached| cached.token == *token)
        {
            entries.remove(key);
        }
    }
}
