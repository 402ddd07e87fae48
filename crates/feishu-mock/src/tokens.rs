//! Issued access tokens and Feishu's re-issue rule.
//!
//! Each (app, kind, tenant) key has one *current* app or tenant token. Asking
//! again returns that token while it has at least the re-issue threshold left;
//! otherwise a new token with the full lifetime becomes current, and the old one
//! stays valid until its own expiry, as Feishu documents (the 30-minute rule of
//! [tenant_access_token](https://open.feishu.cn/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/tenant_access_token_internal)).
//! User tokens have no current token: every grant mints a fresh one.
//!
//! Expired and revoked tokens are kept, so a call with one can be told apart
//! from a call with a token that never existed.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ids::IdSource;

/// Which of Feishu's token kinds a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TokenKind {
    /// A marketplace app's `app_access_token` (`a-…`).
    App,
    /// A `tenant_access_token` (`t-…`); a self-built app's app token is one too.
    Tenant,
    /// A `user_access_token` (`u-…`) from the OAuth token endpoint.
    User,
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            TokenKind::App => "a-",
            TokenKind::Tenant => "t-",
            TokenKind::User => "u-",
        }
    }
}

/// What a token was issued for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct TokenKey {
    pub(crate) app_id: String,
    pub(crate) kind: TokenKind,
    /// The tenant for tenant and user tokens; empty for app tokens.
    pub(crate) tenant_key: String,
    /// The user for user tokens; empty otherwise.
    pub(crate) open_id: String,
}

impl TokenKey {
    /// The key of a marketplace app's app access token.
    pub(crate) fn app(app_id: &str) -> Self {
        Self::new(app_id, TokenKind::App, "", "")
    }

    /// The key of an app's tenant access token for `tenant_key`.
    pub(crate) fn tenant(app_id: &str, tenant_key: &str) -> Self {
        Self::new(app_id, TokenKind::Tenant, tenant_key, "")
    }

    /// The key of a user access token.
    pub(crate) fn user(app_id: &str, tenant_key: &str, open_id: &str) -> Self {
        Self::new(app_id, TokenKind::User, tenant_key, open_id)
    }

    fn new(app_id: &str, kind: TokenKind, tenant_key: &str, open_id: &str) -> Self {
        Self {
            app_id: app_id.to_owned(),
            kind,
            tenant_key: tenant_key.to_owned(),
            open_id: open_id.to_owned(),
        }
    }
}

/// A token handed to a client, with the `expire` to report.
pub(crate) struct Granted {
    pub(crate) token: String,
    /// Whole seconds left, as Feishu reports them.
    pub(crate) expire: u64,
}

/// How long tokens live and when a new one is handed out.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TokenPolicy {
    /// Lifetime of app, tenant and user access tokens.
    pub(crate) lifetime: Duration,
    pub(crate) reissue_threshold: Duration,
    /// Lifetime of OAuth refresh tokens.
    pub(crate) refresh_lifetime: Duration,
}

/// Why a presented token is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// Never issued, of another kind, or revoked.
    Invalid,
    /// Issued as this kind, not revoked, but past its expiry.
    Expired,
}

/// Every access token this server has issued.
#[derive(Default)]
pub(crate) struct TokenStore {
    current: HashMap<TokenKey, String>,
    issued: HashMap<String, Issued>,
}

struct Issued {
    key: TokenKey,
    expires_at: Instant,
    revoked: bool,
}

impl TokenStore {
    /// Returns the current token for `key`, or a new one per the re-issue rule.
    pub(crate) fn grant(
        &mut self,
        key: TokenKey,
        policy: TokenPolicy,
        ids: &IdSource,
        now: Instant,
    ) -> Granted {
        let current = self.current.get(&key).and_then(|token| {
            let issued = self.issued.get(token)?;
            Some((token, issued.expires_at.saturating_duration_since(now)))
        });
        if let Some((token, left)) = current
            && !left.is_zero()
            && left >= policy.reissue_threshold
        {
            return Granted {
                token: token.clone(),
                expire: left.as_secs(),
            };
        }
        let granted = self.mint(key.clone(), policy.lifetime, ids, now);
        self.current.insert(key, granted.token.clone());
        granted
    }

    /// A new token for `key` living `lifetime`, without touching the current one.
    pub(crate) fn mint(
        &mut self,
        key: TokenKey,
        lifetime: Duration,
        ids: &IdSource,
        now: Instant,
    ) -> Granted {
        let token = ids.token(key.kind.prefix());
        let issued = Issued {
            key,
            expires_at: now + lifetime,
            revoked: false,
        };
        self.issued.insert(token.clone(), issued);
        Granted {
            token,
            expire: lifetime.as_secs(),
        }
    }

    /// What `token` was issued for, if it is of `kind` and still valid.
    pub(crate) fn lookup(
        &self,
        token: &str,
        kind: TokenKind,
        now: Instant,
    ) -> Result<&TokenKey, Rejection> {
        let issued = self
            .issued
            .get(token)
            .filter(|issued| issued.key.kind == kind && !issued.revoked)
            .ok_or(Rejection::Invalid)?;
        if issued.expires_at <= now {
            return Err(Rejection::Expired);
        }
        Ok(&issued.key)
    }

    /// Makes `token` expire at `deadline` unless it expires sooner.
    pub(crate) fn expire_by(&mut self, token: &str, deadline: Instant) {
        if let Some(issued) = self.issued.get_mut(token) {
            issued.expires_at = issued.expires_at.min(deadline);
        }
    }

    /// Invalidates every token issued so far; the next grant mints a new one.
    pub(crate) fn revoke_all(&mut self) {
        for issued in self.issued.values_mut() {
            issued.revoked = true;
        }
        self.current.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: TokenPolicy = TokenPolicy {
        lifetime: Duration::from_secs(7200),
        reissue_threshold: Duration::from_secs(1800),
        refresh_lifetime: Duration::from_secs(30 * 86_400),
    };

    fn key() -> TokenKey {
        TokenKey::tenant("cli_a", "t1")
    }

    #[test]
    fn same_token_while_enough_time_is_left() {
        let (mut store, ids, t0) = (TokenStore::default(), IdSource::new(), Instant::now());
        let first = store.grant(key(), POLICY, &ids, t0);
        assert_eq!(first.expire, 7200);
        let again = store.grant(key(), POLICY, &ids, t0 + Duration::from_secs(5400));
        assert_eq!(again.token, first.token);
        assert_eq!(again.expire, 1800);
    }

    #[test]
    fn new_token_near_expiry_and_old_one_stays_valid() {
        let (mut store, ids, t0) = (TokenStore::default(), IdSource::new(), Instant::now());
        let first = store.grant(key(), POLICY, &ids, t0);
        let late = t0 + Duration::from_secs(5401);
        let second = store.grant(key(), POLICY, &ids, late);
        assert_ne!(second.token, first.token);
        assert_eq!(second.expire, 7200);
        assert!(second.token.starts_with("t-"));
        assert!(store.lookup(&first.token, TokenKind::Tenant, late).is_ok());
        assert!(store.lookup(&second.token, TokenKind::Tenant, late).is_ok());
        let wrong_kind = store.lookup(&second.token, TokenKind::App, late);
        assert_eq!(wrong_kind.err(), Some(Rejection::Invalid));
        let after = t0 + Duration::from_secs(7200);
        let expired = store.lookup(&first.token, TokenKind::Tenant, after);
        assert_eq!(expired.err(), Some(Rejection::Expired));
    }

    #[test]
    fn revoked_tokens_are_invalid_and_never_reissued() {
        let (mut store, ids, t0) = (TokenStore::default(), IdSource::new(), Instant::now());
        let first = store.grant(key(), POLICY, &ids, t0);
        store.revoke_all();
        let revoked = store.lookup(&first.token, TokenKind::Tenant, t0);
        assert_eq!(revoked.err(), Some(Rejection::Invalid));
        let second = store.grant(key(), POLICY, &ids, t0);
        assert_ne!(second.token, first.token);
        assert!(store.lookup(&second.token, TokenKind::Tenant, t0).is_ok());
    }

    #[test]
    fn minted_user_tokens_are_always_fresh_and_can_be_cut_short() {
        let (mut store, ids, t0) = (TokenStore::default(), IdSource::new(), Instant::now());
        let user = TokenKey::user("cli_a", "t1", "ou_1");
        let a = store.mint(user.clone(), POLICY.lifetime, &ids, t0);
        let b = store.mint(user, POLICY.lifetime, &ids, t0);
        assert_ne!(a.token, b.token);
        assert!(a.token.starts_with("u-") && a.token.len() == 42);
        store.expire_by(&a.token, t0 + Duration::from_secs(60));
        let later = t0 + Duration::from_secs(61);
        let cut = store.lookup(&a.token, TokenKind::User, later);
        assert_eq!(cut.err(), Some(Rejection::Expired));
        assert!(store.lookup(&b.token, TokenKind::User, later).is_ok());
    }
}
