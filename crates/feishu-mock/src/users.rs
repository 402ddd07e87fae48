//! OAuth grants: authorization codes and refresh tokens, judged at a given time.
//!
//! A code lives 5 minutes and works once. A refresh token works once too: using
//! it rotates it away, and the access token it was issued with keeps a 1-minute
//! grace period. Used codes and refresh tokens are kept so
//! a second use gets "already used", not "unknown".

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ids::IdSource;
use crate::oauth::OAuthError;
use crate::tokens::TokenKey;

/// How long an authorization code can be exchanged.
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// How long a refreshed-away access token keeps working.
pub(crate) const ACCESS_TOKEN_GRACE: Duration = Duration::from_secs(60);

/// A user who approved an app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct User {
    pub(crate) app_id: String,
    pub(crate) tenant_key: String,
    pub(crate) open_id: String,
}

impl User {
    /// The key of this user's access tokens.
    pub(crate) fn token_key(&self) -> TokenKey {
        TokenKey::user(&self.app_id, &self.tenant_key, &self.open_id)
    }
}

/// A refresh token handed to a client, with its `refresh_token_expires_in`.
pub(crate) struct RefreshToken {
    pub(crate) token: String,
    pub(crate) expires_in: u64,
}

/// Every authorization code and refresh token this server has issued.
#[derive(Default)]
pub(crate) struct Grants {
    codes: HashMap<String, Grant>,
    refresh_tokens: HashMap<String, Grant>,
}

struct Grant {
    user: User,
    expires_at: Instant,
    used: bool,
    /// For a refresh token: the access token issued with it.
    access_token: String,
}

impl Grants {
    /// A new authorization code for `user`.
    pub(crate) fn authorize(&mut self, user: User, ids: &IdSource, now: Instant) -> String {
        let code = ids.token("");
        let grant = Grant {
            user,
            expires_at: now + CODE_LIFETIME,
            used: false,
            access_token: String::new(),
        };
        self.codes.insert(code.clone(), grant);
        code
    }

    /// Spends `code` for `client_id` and returns whose it was.
    pub(crate) fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        now: Instant,
    ) -> Result<User, OAuthError> {
        let grant = self.codes.get_mut(code).ok_or(OAuthError::CodeNotFound)?;
        let checked = check(grant, client_id, now).map_err(|problem| match problem {
            Problem::OtherClient => OAuthError::OtherClient,
            Problem::Used => OAuthError::CodeUsed,
            Problem::Expired => OAuthError::CodeExpired,
        });
        checked.map(|()| grant.user.clone())
    }

    /// Spends `refresh_token` for `client_id`; returns whose it was and the
    /// access token issued with it.
    pub(crate) fn redeem_refresh(
        &mut self,
        refresh_token: &str,
        client_id: &str,
        now: Instant,
    ) -> Result<(User, String), OAuthError> {
        let grant = self
            .refresh_tokens
            .get_mut(refresh_token)
            .ok_or(OAuthError::RefreshTokenInvalid)?;
        let checked = check(grant, client_id, now).map_err(|problem| match problem {
            Problem::OtherClient => OAuthError::OtherClient,
            Problem::Used => OAuthError::RefreshTokenUsed,
            Problem::Expired => OAuthError::RefreshTokenExpired,
        });
        checked.map(|()| (grant.user.clone(), grant.access_token.clone()))
    }

    /// A new refresh token for `user`, paired with `access_token`.
    pub(crate) fn issue_refresh(
        &mut self,
        user: User,
        access_token: &str,
        lifetime: Duration,
        ids: &IdSource,
        now: Instant,
    ) -> RefreshToken {
        let token = ids.token("ur-");
        let grant = Grant {
            user,
            expires_at: now + lifetime,
            used: false,
            access_token: access_token.to_owned(),
        };
        self.refresh_tokens.insert(token.clone(), grant);
        RefreshToken {
            token,
            expires_in: lifetime.as_secs(),
        }
    }
}

/// Why a known code or refresh token cannot be spent.
enum Problem {
    OtherClient,
    Used,
    Expired,
}

/// Marks `grant` used if `client_id` may spend it now.
fn check(grant: &mut Grant, client_id: &str, now: Instant) -> Result<(), Problem> {
    if grant.user.app_id != client_id {
        return Err(Problem::OtherClient);
    }
    if grant.used {
        return Err(Problem::Used);
    }
    if grant.expires_at <= now {
        return Err(Problem::Expired);
    }
    grant.used = true;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(86_400);

    fn user() -> User {
        User {
            app_id: "cli_a".to_owned(),
            tenant_key: "t1".to_owned(),
            open_id: "ou_1".to_owned(),
        }
    }

    #[test]
    fn a_code_works_once_within_five_minutes() {
        let (mut grants, ids, t0) = (Grants::default(), IdSource::new(), Instant::now());
        let code = grants.authorize(user(), &ids, t0);
        assert!(code.bytes().all(|c| c.is_ascii_alphanumeric()));
        let almost = t0 + CODE_LIFETIME - Duration::from_millis(1);
        assert_eq!(
            grants.redeem_code(&code, "cli_b", t0),
            Err(OAuthError::OtherClient)
        );
        assert_eq!(grants.redeem_code(&code, "cli_a", almost), Ok(user()));
        assert_eq!(
            grants.redeem_code(&code, "cli_a", almost),
            Err(OAuthError::CodeUsed)
        );
        assert_eq!(
            grants.redeem_code("nope", "cli_a", t0),
            Err(OAuthError::CodeNotFound)
        );
    }

    #[test]
    fn a_code_expires_after_five_minutes() {
        let (mut grants, ids, t0) = (Grants::default(), IdSource::new(), Instant::now());
        let code = grants.authorize(user(), &ids, t0);
        assert_eq!(
            grants.redeem_code(&code, "cli_a", t0 + CODE_LIFETIME),
            Err(OAuthError::CodeExpired)
        );
    }

    #[test]
    fn refresh_tokens_rotate_and_expire() {
        let (mut grants, ids, t0) = (Grants::default(), IdSource::new(), Instant::now());
        let first = grants.issue_refresh(user(), "u-1", 30 * DAY, &ids, t0);
        assert!(first.token.starts_with("ur-") && first.token.len() == 43);
        assert_eq!(first.expires_in, 30 * 86_400);
        let redeemed = grants.redeem_refresh(&first.token, "cli_a", t0 + DAY);
        assert_eq!(redeemed, Ok((user(), "u-1".to_owned())));
        assert_eq!(
            grants.redeem_refresh(&first.token, "cli_a", t0 + DAY),
            Err(OAuthError::RefreshTokenUsed)
        );
        let second = grants.issue_refresh(user(), "u-2", 30 * DAY, &ids, t0 + DAY);
        assert_eq!(
            grants.redeem_refresh(&second.token, "cli_a", t0 + 31 * DAY),
            Err(OAuthError::RefreshTokenExpired)
        );
        assert_eq!(
            grants.redeem_refresh("ur-nope", "cli_a", t0),
            Err(OAuthError::RefreshTokenInvalid)
        );
    }
}
