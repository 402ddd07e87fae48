//! Issued access tokens and Feishu's re-issue rule.
//!
//! Each (app, kind, tenant) key has one *current* token. Asking again returns
//! that token while it has at least the re-issue threshold left; otherwise a new
//! token with the full lifetime becomes current, and the old one stays valid
//! until its own expiry, as Feishu documents (protocol notes §2.2).

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
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            TokenKind::App => "a-",
            TokenKind::Tenant => "t-",
        }
    }
}

/// What a token was issued for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct TokenKey {
    pub(crate) app_id: String,
    pub(crate) kind: TokenKind,
    /// The tenant for tenant tokens; empty for app tokens.
    pub(crate) tenant_key: String,
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
    pub(crate) lifetime: Duration,
    pub(crate) reissue_threshold: Duration,
}

/// Every token that has been issued and has not yet expired.
#[derive(Default)]
pub(crate) struct TokenStore {
    current: HashMap<TokenKey, String>,
    valid: HashMap<String, Issued>,
}

struct Issued {
    key: TokenKey,
    expires_at: Instant,
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
        self.forget_expired(now);
        let current = self.current.get(&key).and_then(|token| {
            let issued = self.valid.get(token)?;
            Some((token, issued.expires_at.saturating_duration_since(now)))
        });
        if let Some((token, left)) = current {
            if !left.is_zero() && left >= policy.reissue_threshold {
                return Granted {
                    token: token.clone(),
                    expire: left.as_secs(),
                };
            }
        }
        let token = ids.token(key.kind.prefix());
        let expires_at = now + policy.lifetime;
        self.valid.insert(
            token.clone(),
            Issued {
                key: key.clone(),
                expires_at,
            },
        );
        self.current.insert(key, token.clone());
        Granted {
            token,
            expire: policy.lifetime.as_secs(),
        }
    }

    /// What `token` was issued for, if it is of `kind` and still valid.
    pub(crate) fn lookup(&self, token: &str, kind: TokenKind, now: Instant) -> Option<&TokenKey> {
        self.valid
            .get(token)
            .filter(|issued| issued.key.kind == kind && issued.expires_at > now)
            .map(|issued| &issued.key)
    }

    fn forget_expired(&mut self, now: Instant) {
        self.valid.retain(|_, issued| issued.expires_at > now);
        let valid = &self.valid;
        self.current.retain(|_, token| valid.contains_key(token));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: TokenPolicy = TokenPolicy {
        lifetime: Duration::from_secs(7200),
        reissue_threshold: Duration::from_secs(1800),
    };

    fn key() -> TokenKey {
        TokenKey {
            app_id: "cli_a".to_owned(),
            kind: TokenKind::Tenant,
            tenant_key: "t1".to_owned(),
        }
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
        assert!(
            store
                .lookup(&first.token, TokenKind::Tenant, late)
                .is_some()
        );
        assert!(
            store
                .lookup(&second.token, TokenKind::Tenant, late)
                .is_some()
        );
        assert!(store.lookup(&second.token, TokenKind::App, late).is_none());
        let after = t0 + Duration::from_secs(7200);
        assert!(
            store
                .lookup(&first.token, TokenKind::Tenant, after)
                .is_none()
        );
    }
}
