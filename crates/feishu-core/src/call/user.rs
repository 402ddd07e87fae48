//! A user's tokens, shared by every call made as that user.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use crate::Secret;
use crate::auth::UserAccessToken;
use crate::call::single_flight::{LeaseId, SingleFlight, Taken, lock};
use crate::call::token_store::{later, lifetime, refresh_point};

/// A user's access and refresh tokens, refreshed automatically by the calls
/// made with it ([`Call::as_user`](crate::Call::as_user)).
///
/// Clones share one state, so concurrent calls as the same user refresh once:
/// refresh tokens rotate and work once, and a second, concurrent refresh would
/// burn the new one. After a call, [`UserToken::refresh_token`] is the one to
/// persist; [`UserToken::from_refresh_token`] restores it after a restart.
#[derive(Clone)]
pub struct UserToken {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    /// The refresh lease: the same single flight as the app's tokens, with
    /// one credential.
    refreshing: SingleFlight<()>,
}

struct State {
    /// The access token, when there is one.
    access: Option<Issued>,
    /// The refresh token, when `offline_access` was granted.
    refresh: Option<(Secret, Option<SystemTime>)>,
}

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
    Refresh(Secret, LeaseId),
    Wait(SystemTime),
    Reauthorize,
}

impl UserToken {
    /// The tokens from a code exchange (or a refresh) answered at `now`.
    pub fn new(token: UserAccessToken, now: SystemTime) -> Self {
        let mut state = State {
            access: None,
            refresh: None,
        };
        state.update(token, now);
        Self::with_state(state)
    }

    /// A user known only by a persisted refresh token: the first call refreshes.
    pub fn from_refresh_token(refresh_token: Secret) -> Self {
        Self::with_state(State {
            access: None,
            refresh: Some((refresh_token, None)),
        })
    }

    fn with_state(state: State) -> Self {
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(state),
                refreshing: SingleFlight::new(),
            }),
        }
    }

    /// The current refresh token, to persist: it changes on every refresh.
    pub fn refresh_token(&self) -> Option<Secret> {
        self.lock().refresh.as_ref().map(|(token, _)| token.clone())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.shared.state)
    }

    /// Decides how a call gets a token at `now`; a refresh takes the lease
    /// until `lease_until`, and waiters look again at `retry_at` at the latest.
    pub(crate) fn need(
        &self,
        now: SystemTime,
        margin: Duration,
        lease_until: SystemTime,
        retry_at: SystemTime,
    ) -> UserNeed {
        let (still_valid, refresh) = match self.lock().need(now, margin) {
            Ok(ready) => return ready,
            Err(stale) => stale,
        };
        match self.shared.refreshing.take(&(), now, lease_until) {
            // Someone else is refreshing: use the old token while it lasts.
            Taken::Busy(until) => {
                still_valid.map_or(UserNeed::Wait(retry_at.min(until)), UserNeed::Ready)
            }
            Taken::Held(lease) => match self.lock().need(now, margin) {
                // The refresh that just ended left a fresh token.
                Ok(ready) => {
                    self.shared.refreshing.release(&(), lease);
                    ready
                }
                Err(_) => UserNeed::Refresh(refresh, lease),
            },
        }
    }

    /// Stores a refresh's answer and ends its lease.
    pub(crate) fn refreshed(&self, token: UserAccessToken, now: SystemTime, lease: LeaseId) {
        self.lock().update(token, now);
        self.shared.refreshing.release(&(), lease);
    }

    /// Ends a lease whose refresh got no token; a `dead` refresh token (one
    /// Feishu will never take again) is dropped with it.
    pub(crate) fn refresh_failed(&self, lease: LeaseId, dead: bool) {
        if dead && self.shared.refreshing.holds(&(), lease) {
            self.lock().refresh = None;
        }
        self.shared.refreshing.release(&(), lease);
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
    /// A token ready at `now`, or what a refresh would start from: the access
    /// token still valid (if any) and the refresh token. With neither a
    /// fresh token nor a live refresh token, the user must authorize anew.
    #[allow(clippy::type_complexity)] // one private answer, read right away
    fn need(
        &self,
        now: SystemTime,
        margin: Duration,
    ) -> Result<UserNeed, (Option<Secret>, Secret)> {
        let valid = self.access.as_ref().filter(|a| now < a.expires_at);
        if let Some(access) = valid.filter(|a| a.is_fresh(now, margin)) {
            return Ok(UserNeed::Ready(access.token.clone()));
        }
        let still_valid = valid.map(|a| a.token.clone());
        let refresh = self
            .refresh
            .as_ref()
            .filter(|(_, expires_at)| expires_at.is_none_or(|at| now < at))
            .map(|(token, _)| token.clone());
        match refresh {
            Some(refresh) => Err((still_valid, refresh)),
            None => Ok(still_valid.map_or(UserNeed::Reauthorize, UserNeed::Ready)),
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
