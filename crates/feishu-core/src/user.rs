//! A user's tokens, shared by every call made as that user.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use crate::Secret;
use crate::auth::UserAccessToken;
use crate::token_store::{later, lifetime, refresh_point};

/// A user's access and refresh tokens, refreshed automatically by the calls
/// made with it ([`Call::as_user`](crate::Call::as_user)).
///
/// Clones share one state, so concurrent calls as the same user refresh once:
/// refresh tokens rotate and work once, and a second, concurrent refresh would
/// burn the new one. After a call, [`UserToken::refresh_token`] is the one to
/// persist; [`UserToken::from_refresh_token`] restores it after a restart.
#[derive(Clone)]
pub struct UserToken {
    state: Arc<Mutex<State>>,
}

struct State {
    /// The access token, when there is one.
    access: Option<Issued>,
    /// The refresh token, when `offline_access` was granted.
    refresh: Option<(Secret, Option<SystemTime>)>,
    /// The call refreshing, and until when at most: the single-flight lease.
    refreshing: Option<(UserLease, SystemTime)>,
    /// Numbers leases, so only their holder can end them.
    next_lease: u64,
}

/// Identifies one holder of a user's refresh lease.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct UserLease(u64);

/// A token with its issue and expiry times, so the refresh point follows the
/// client's margin.
struct Issued {
    token: Secret,
    issued_at: SystemTime,
    expires_at: SystemTime,
}

/// What a call must do to have a user access token.
pub(crate) enum UserNeed {
    Ready(Secret),
    Refresh(Secret, UserLease),
    Wait(SystemTime),
    Reauthorize,
}

impl UserToken {
    /// The tokens from a code exchange (or a refresh) answered at `now`.
    pub fn new(token: UserAccessToken, now: SystemTime) -> Self {
        let mut state = State {
            access: None,
            refresh: None,
            refreshing: None,
            next_lease: 0,
        };
        state.update(token, now);
        Self {
            state: Arc::new(Mutex::new(state)),
        }
    }

    /// A user known only by a persisted refresh token: the first call refreshes.
    pub fn from_refresh_token(refresh_token: Secret) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                access: None,
                refresh: Some((refresh_token, None)),
                refreshing: None,
                next_lease: 0,
            })),
        }
    }

    /// The current refresh token, to persist: it changes on every refresh.
    pub fn refresh_token(&self) -> Option<Secret> {
        self.lock().refresh.as_ref().map(|(token, _)| token.clone())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Decides how a call gets a token at `now`; a refresh takes the lease
    /// until `lease_until`, and waiters poll again at `retry_at`.
    pub(crate) fn need(
        &self,
        now: SystemTime,
        margin: Duration,
        lease_until: SystemTime,
        retry_at: SystemTime,
    ) -> UserNeed {
        let mut state = self.lock();
        let valid = state.access.as_ref().filter(|a| now < a.expires_at);
        if let Some(access) = valid.filter(|a| a.is_fresh(now, margin)) {
            return UserNeed::Ready(access.token.clone());
        }
        let still_valid = valid.map(|a| a.token.clone());
        let refresh = state
            .refresh
            .as_ref()
            .filter(|(_, expires_at)| expires_at.is_none_or(|at| now < at))
            .map(|(token, _)| token.clone());
        let Some(refresh) = refresh else {
            return still_valid.map_or(UserNeed::Reauthorize, UserNeed::Ready);
        };
        if let Some((_, until)) = state.refreshing.filter(|(_, until)| now < *until) {
            // Someone else is refreshing: use the old token while it lasts.
            return still_valid.map_or(UserNeed::Wait(retry_at.min(until)), UserNeed::Ready);
        }
        state.next_lease += 1;
        let lease = UserLease(state.next_lease);
        state.refreshing = Some((lease, lease_until));
        UserNeed::Refresh(refresh, lease)
    }

    /// Stores a refresh's answer and ends its lease.
    pub(crate) fn refreshed(&self, token: UserAccessToken, now: SystemTime, lease: UserLease) {
        let mut state = self.lock();
        state.update(token, now);
        state.end(lease);
    }

    /// Ends a lease whose refresh got no token; a `dead` refresh token (one
    /// Feishu will never take again) is dropped with it.
    pub(crate) fn refresh_failed(&self, lease: UserLease, dead: bool) {
        let mut state = self.lock();
        if dead && state.holds(lease) {
            state.refresh = None;
        }
        state.end(lease);
    }

    /// Forgets the access token if it is still `token`: the server refused it.
    pub(crate) fn invalidate(&self, token: &Secret) {
        let mut state = self.lock();
        if state.access.as_ref().is_some_and(|a| a.token == *token) {
            state.access = None;
        }
    }
}

impl State {
    fn holds(&self, lease: UserLease) -> bool {
        self.refreshing.is_some_and(|(held, _)| held == lease)
    }

    /// Ends the lease if `lease` still holds it: a refresher that stalled past
    /// its lease must not end the one that took over.
    fn end(&mut self, lease: UserLease) {
        if self.holds(lease) {
            self.refreshing = None;
        }
    }

    fn update(&mut self, token: UserAccessToken, now: SystemTime) {
        self.access = Some(Issued {
            token: token.access_token,
            issued_at: now,
            expires_at: later(now, lifetime(token.expires_in)),
        });
        // Rotation: the old refresh token is dead whatever the answer holds.
        self.refresh = token.refresh_token.map(|refresh| {
            let expires_at = token
                .refresh_token_expires_in
                .map(|secs| later(now, lifetime(secs)));
            (refresh, expires_at)
        });
    }
}

impl Issued {
    fn is_fresh(&self, now: SystemTime, margin: Duration) -> bool {
        let lifetime = self
            .expires_at
            .duration_since(self.issued_at)
            .unwrap_or_default();
        now < refresh_point(self.issued_at, lifetime, margin)
    }
}

impl fmt::Debug for UserToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("UserToken")
            .field("expires_at", &state.access.as_ref().map(|a| a.expires_at))
            .field("has_refresh_token", &state.refresh.is_some())
            .finish_non_exhaustive()
    }
}
