//! The credentials sub-machine: the token a call's request needs, from the
//! process's cache, the shared store or Feishu, under one refresh at a time,
//! and its repair when Feishu refuses it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::single_flight::LeaseId;
use crate::auth::{
    AppAccessToken, AppAccessTokenRequest, AppTicketResend, TenantAccessToken,
    TenantAccessTokenRequest, UserAccessToken, UserAccessTokenRequest,
};
use crate::call::token_store::{TokenKey, later};
use crate::call::user::UserNeed;
use crate::codes::{APP_TICKET_INVALID, REFRESH_TOKEN_DEAD, TOKEN_INVALID};
use crate::store::{Fence, StoreAnswer, StoreOp};
use crate::{
    ApiError, AppKind, CachedToken, Client, Error, InvalidRequest, ParseError, Secret, Shape,
    TokenKind, UserToken, build,
};

/// How often a call whose token another process is fetching looks in the
/// shared store again: about one token request's round trip.
const SHARED_POLL: Duration = Duration::from_millis(50);

/// Whose token the call carries.
pub(super) enum Auth {
    /// The app's own app or tenant token, as the endpoint needs.
    App,
    /// A marketplace app's tenant token for this tenant.
    Tenant(Arc<str>),
    /// This user's token, refreshed as needed.
    User(UserToken),
    /// This token, as given; never refreshed or repaired.
    Token(Secret),
}

/// What the call must do before its request can go out.
#[allow(clippy::large_enum_variant)] // moved out at once, as `Step`
pub(super) enum Need {
    /// The token to send the endpoint with (none for token-free endpoints).
    Token(Option<Secret>),
    /// A token request to send first.
    Send(http::Request<Vec<u8>>, TokenFetch),
    /// A shared-store operation first.
    Store(StoreOp),
    /// Look again then.
    Wait(SystemTime),
}

/// A token request in flight.
pub(super) enum TokenFetch {
    /// The app's app access token.
    App { ticket: Option<Secret> },
    /// A tenant access token, bought with this app token (marketplace apps).
    Tenant {
        key: TokenKey,
        app_token: Option<Secret>,
    },
    /// The app ticket resend; the call then fails with "ticket pending".
    TicketResend,
    /// The user's token refresh, under this lease.
    User(UserToken, LeaseId),
}

impl TokenFetch {
    /// Token requests are safe to repeat; a user refresh is not: the refresh
    /// token may be spent.
    pub(super) fn idempotent(&self) -> bool {
        !matches!(self, Self::User(..))
    }
}

/// The call's side of the shared store.
struct Shared {
    /// Keys this call loaded (and will not load again before it waits).
    loaded: Vec<TokenKey>,
    /// The fleet-wide locks this call holds.
    fences: Vec<(TokenKey, Fence)>,
    /// Writes it owes the store.
    writes: VecDeque<StoreOp>,
    /// While another process fetches a token: when to look again.
    wait_until: Option<SystemTime>,
}

/// Everything a call knows about its credentials.
pub(super) struct Credentials {
    pub(super) auth: Auth,
    /// Whether the one token repair this call allows was used.
    repaired: bool,
    /// The [`APP_TICKET_INVALID`] answer that made this call ask for a new
    /// ticket.
    ticket_error: Option<Box<ApiError>>,
    /// The process's refresh leases this call holds.
    leases: Vec<(TokenKey, LeaseId)>,
    /// Tokens this call fetched, used even if the cache cannot keep them or
    /// they are already due (`expire: 0`), so a call never refetches forever.
    fetched: Vec<(TokenKey, Secret)>,
    /// The user refresh lease this call holds.
    user_lease: Option<(UserToken, LeaseId)>,
    /// The shared store, while the client has one and it answers.
    shared: Option<Shared>,
}

impl Credentials {
    pub(super) fn new(shared: bool) -> Self {
        Self {
            auth: Auth::App,
            repaired: false,
            ticket_error: None,
            leases: Vec::new(),
            fetched: Vec::new(),
            user_lease: None,
            shared: shared.then(|| Shared {
                loaded: Vec::new(),
                fences: Vec::new(),
                writes: VecDeque::new(),
                wait_until: None,
            }),
        }
    }

    /// Decides what the request needs before it can go out, for an endpoint
    /// that accepts `kinds`.
    pub(super) fn need(
        &mut self,
        client: &Client,
        kinds: &[TokenKind],
        now: SystemTime,
    ) -> Result<Need, Error> {
        let Some(&first) = kinds.first() else {
            return Ok(Need::Token(None));
        };
        match &self.auth {
            Auth::Token(token) => Ok(Need::Token(Some(token.clone()))),
            // Refused before anything is sent: Feishu would answer
            // `USER_ACCESS_TOKEN_INVALID`.
            Auth::User(_) if !kinds.contains(&TokenKind::User) => {
                Err(InvalidRequest::TokenNotAccepted(TokenKind::User).into())
            }
            Auth::User(user) => self.user_token(client, user.clone(), now),
            Auth::App | Auth::Tenant(_) => match app_kind(kinds) {
                Some(TokenKind::App) => self.app_token(client, now),
                Some(_) => self.tenant_token(client, now),
                None => Err(InvalidRequest::MissingToken(first).into()),
            },
        }
    }

    fn app_token(&mut self, client: &Client, now: SystemTime) -> Result<Need, Error> {
        let key = client.app_token_key()?;
        if let Some(need) = self.cached_or_leased(client, key, now) {
            return Ok(need);
        }
        let app = client.app()?;
        let (request, ticket) = match app.kind() {
            AppKind::Marketplace => {
                let Some(ticket) = client.app_ticket(now)? else {
                    // Another replica may have received it.
                    if let Some(load) = self.load(client.app_ticket_key()?) {
                        return Ok(Need::Store(load));
                    }
                    self.release(client, key);
                    return self.ticket_pending(client, now);
                };
                let request = AppAccessTokenRequest::marketplace(
                    app.app_id(),
                    app.app_secret().clone(),
                    ticket.clone(),
                );
                (request, Some(ticket))
            }
            _ => (
                AppAccessTokenRequest::self_built(app.app_id(), app.app_secret().clone()),
                None,
            ),
        };
        let request = build(client.config(), &request, None)?;
        Ok(Need::Send(request, TokenFetch::App { ticket }))
    }

    fn tenant_token(&mut self, client: &Client, now: SystemTime) -> Result<Need, Error> {
        let tenant = match &self.auth {
            Auth::Tenant(tenant) => Some(tenant.clone()),
            _ => None,
        };
        let key = client.tenant_token_key(tenant.as_ref())?;
        if let Some(need) = self.cached_or_leased(client, &key, now) {
            return Ok(need);
        }
        let app = client.app()?;
        let (request, app_token) = match (app.kind(), tenant) {
            (AppKind::Marketplace, Some(tenant)) => match self.app_token(client, now)? {
                Need::Token(Some(app_token)) => (
                    TenantAccessTokenRequest::marketplace(app_token.clone(), &*tenant),
                    Some(app_token),
                ),
                // The app token comes first; this call keeps its tenant lease.
                other => return Ok(other),
            },
            _ => (
                TenantAccessTokenRequest::self_built(app.app_id(), app.app_secret().clone()),
                None,
            ),
        };
        let request = build(client.config(), &request, None)?;
        Ok(Need::Send(request, TokenFetch::Tenant { key, app_token }))
    }

    /// The token for `key` when one is at hand, else what to do before
    /// fetching it (wait for another call or process, or ask the shared
    /// store); `None` when this call holds every lease and may fetch.
    fn cached_or_leased(
        &mut self,
        client: &Client,
        key: &TokenKey,
        now: SystemTime,
    ) -> Option<Need> {
        if let Some(token) = self.token(client, key, now) {
            return Some(Need::Token(Some(token)));
        }
        if !self.lease(client, key, now) {
            return Some(Need::Wait(client.retry_at(now)));
        }
        // A refresh that ended between the look in the cache and the lease
        // left its token there: use it rather than fetch again.
        if let Some(token) = client.fresh(key, now) {
            self.release(client, key);
            return Some(Need::Token(Some(token)));
        }
        let shared = self.shared.as_mut()?;
        if let Some(until) = shared.wait_until.filter(|until| now < *until) {
            return Some(Need::Wait(until));
        }
        if let Some(load) = self.load(key) {
            return Some(Need::Store(load));
        }
        let shared = self.shared.as_mut()?;
        if shared.fences.iter().any(|(held, _)| held == key) {
            return None;
        }
        Some(Need::Store(StoreOp::Lock {
            key: key.clone(),
            until: client.lease_until(now),
        }))
    }

    /// A [`StoreOp::Load`] of `key`, unless this call loaded it already.
    fn load(&mut self, key: &TokenKey) -> Option<StoreOp> {
        let shared = self.shared.as_mut()?;
        if shared.loaded.contains(key) {
            return None;
        }
        shared.loaded.push(key.clone());
        Some(StoreOp::Load(key.clone()))
    }

    fn user_token(
        &mut self,
        client: &Client,
        user: UserToken,
        now: SystemTime,
    ) -> Result<Need, Error> {
        let margin = client.config().token_refresh_margin();
        let need = user.need(now, margin, client.lease_until(now), client.retry_at(now));
        match need {
            UserNeed::Ready(token) => Ok(Need::Token(Some(token))),
            UserNeed::Wait(until) => Ok(Need::Wait(until)),
            UserNeed::Reauthorize => Err(Error::UserTokenExpired),
            UserNeed::Refresh(refresh_token, lease) => {
                self.user_lease = Some((user.clone(), lease));
                let request = UserAccessTokenRequest::refresh_token(client.app()?, refresh_token);
                let request = build(client.config(), &request, None)?;
                Ok(Need::Send(request, TokenFetch::User(user, lease)))
            }
        }
    }

    /// Asks Feishu to push a new app ticket (at most every 30 s per client),
    /// then fails with [`Error::AppTicketPending`]: the ticket arrives later, as
    /// an event.
    fn ticket_pending(&mut self, client: &Client, now: SystemTime) -> Result<Need, Error> {
        if !client.may_resend_app_ticket(now) {
            return Err(Error::AppTicketPending(self.ticket_error.take()));
        }
        let app = client.app()?;
        let resend = AppTicketResend::new(app.app_id(), app.app_secret().clone());
        let request = build(client.config(), &resend, None)?;
        Ok(Need::Send(request, TokenFetch::TicketResend))
    }

    /// Handles the answer to a token request; an error ends the call (or is
    /// retried, by the budget).
    pub(super) fn fetched(
        &mut self,
        client: &Client,
        fetch: TokenFetch,
        response: http::Response<Vec<u8>>,
        now: SystemTime,
    ) -> Result<(), Error> {
        match fetch {
            TokenFetch::App { ticket } => {
                let key = client.app_token_key()?;
                match Shape::Token.decode::<AppAccessToken>(response) {
                    Ok(token) => {
                        // The self-built endpoint answers with the app's one
                        // tenant token too.
                        if let (AppKind::SelfBuilt, Some(tenant_token)) =
                            (client.app()?.kind(), token.tenant_access_token)
                        {
                            let tenant = client.tenant_token_key(None)?;
                            self.keep(client, &tenant, tenant_token, token.expire, now);
                        }
                        self.keep(client, key, token.app_access_token, token.expire, now);
                        Ok(())
                    }
                    // A rejected ticket: forget it and ask for a new one.
                    Err(ParseError::Api(error)) if error.code == APP_TICKET_INVALID => {
                        let Some(ticket) = ticket else {
                            return Err(Error::Api(error));
                        };
                        self.not_kept(client, key);
                        client.forget_app_ticket(&ticket)?;
                        self.invalidate_shared(client.app_ticket_key()?, &ticket);
                        self.ticket_error = Some(error);
                        Ok(())
                    }
                    // The lease (and the fleet-wide lock) stay with this
                    // call while it retries; its end releases them.
                    Err(error) => Err(error.into()),
                }
            }
            TokenFetch::Tenant { key, app_token } => {
                match Shape::Token.decode::<TenantAccessToken>(response) {
                    Ok(token) => {
                        self.keep(client, &key, token.tenant_access_token, token.expire, now);
                        Ok(())
                    }
                    // The app token it was bought with is dead: repair that.
                    Err(ParseError::Api(error))
                        if app_token.is_some() && self.may_repair(error.code) =>
                    {
                        self.repaired = true;
                        if let Some(app_token) = app_token {
                            self.discard(client, client.app_token_key()?, &app_token);
                        }
                        Ok(())
                    }
                    Err(error) => Err(error.into()),
                }
            }
            TokenFetch::TicketResend => {
                if let Err(error) = Shape::Token.check(response) {
                    client.app_ticket_resend_failed();
                    return Err(error.into());
                }
                Err(Error::AppTicketPending(self.ticket_error.take()))
            }
            TokenFetch::User(user, lease) => {
                self.user_lease = None;
                let answer = Shape::Token.decode::<UserAccessToken>(response);
                let result = match answer {
                    Ok(token) => {
                        user.refreshed(token, now, lease);
                        Ok(())
                    }
                    Err(error) => {
                        // A refresh token Feishu will never take again is
                        // dropped: the user must authorize anew.
                        let dead = error
                            .code()
                            .is_some_and(|c| REFRESH_TOKEN_DEAD.contains(&c));
                        user.refresh_failed(lease, dead);
                        Err(error.into())
                    }
                };
                client.wake_waiters();
                result
            }
        }
    }

    /// A token request got no answer. An app or tenant token's lease (and
    /// fleet-wide lock) stay with the call while it retries.
    pub(super) fn not_fetched(&mut self, client: &Client, fetch: TokenFetch) {
        match fetch {
            TokenFetch::User(user, lease) => {
                self.user_lease = None;
                user.refresh_failed(lease, false);
                client.wake_waiters();
            }
            TokenFetch::TicketResend => client.app_ticket_resend_failed(),
            TokenFetch::App { .. } | TokenFetch::Tenant { .. } => {}
        }
    }

    /// Takes in the shared store's answer to `op`.
    pub(super) fn stored(
        &mut self,
        client: &Client,
        op: StoreOp,
        answer: StoreAnswer,
        now: SystemTime,
    ) {
        let Some(shared) = self.shared.as_mut() else {
            return;
        };
        match (op, answer) {
            (_, StoreAnswer::Unavailable) => {
                // Degraded: the process's cache and its own fetches from here
                // on; the locks this call took lapse on their own.
                self.shared = None;
            }
            (StoreOp::Load(key), StoreAnswer::Loaded(Some(token))) if token.is_fresh(now) => {
                client.store(&key, token.clone());
                self.fetched.retain(|(held, _)| *held != key);
                self.fetched.push((key.clone(), token.token));
                self.release(client, &key);
            }
            (StoreOp::Lock { key, .. }, StoreAnswer::Locked(Some(fence))) => {
                // Another process may have saved a token between this call's
                // load and its lock: look once more before fetching.
                shared.loaded.retain(|loaded| *loaded != key);
                shared.fences.push((key, fence));
            }
            (StoreOp::Lock { key, .. }, StoreAnswer::Locked(None)) => {
                // Another process is fetching it: look in the store again
                // shortly, keeping this process's lease meanwhile.
                shared.loaded.retain(|loaded| *loaded != key);
                shared.wait_until = Some(later(now, SHARED_POLL));
            }
            _ => {}
        }
    }

    /// The next write this call owes the shared store.
    pub(super) fn next_write(&mut self) -> Option<StoreOp> {
        self.shared.as_mut()?.writes.pop_front()
    }

    /// Whether `code` calls for the one token repair, and it is still unused.
    /// Tokens given as-is are never repaired: the client cannot renew them.
    pub(super) fn may_repair(&self, code: i64) -> bool {
        TOKEN_INVALID.contains(&code) && !self.repaired && !matches!(self.auth, Auth::Token(_))
    }

    /// Drops the token the server refused, so the next poll fetches anew.
    pub(super) fn repair(
        &mut self,
        client: &Client,
        kinds: &[TokenKind],
        token: &Secret,
    ) -> Result<(), Error> {
        self.repaired = true;
        let key = match (&self.auth, app_kind(kinds)) {
            (Auth::User(user), _) => {
                user.invalidate(token);
                return Ok(());
            }
            (_, Some(TokenKind::App)) => client.app_token_key()?.clone(),
            (Auth::Tenant(tenant), _) => client.tenant_token_key(Some(tenant))?,
            _ => client.tenant_token_key(None)?,
        };
        self.discard(client, &key, token);
        Ok(())
    }

    /// Takes the refresh lease for `key`, or confirms this call holds it.
    fn lease(&mut self, client: &Client, key: &TokenKey, now: SystemTime) -> bool {
        if let Some(index) = self.leases.iter().position(|(held, _)| held == key) {
            // Held already: renew it, so a long retry wait cannot let it lapse
            // and a second refresh start; if it lapsed and was taken, let go.
            if client.renew_lease(key, self.leases[index].1, now) {
                return true;
            }
            self.leases.swap_remove(index);
        }
        let Some(id) = client.try_lease(key, now) else {
            return false;
        };
        self.leases.push((key.clone(), id));
        true
    }

    fn release(&mut self, client: &Client, key: &TokenKey) {
        if let Some(index) = self.leases.iter().position(|(held, _)| held == key) {
            let (key, id) = self.leases.swap_remove(index);
            client.release_lease(&key, id);
        }
    }

    /// A usable token for `key`: fresh in the cache, or fetched by this call.
    fn token(&self, client: &Client, key: &TokenKey, now: SystemTime) -> Option<Secret> {
        client.fresh(key, now).or_else(|| {
            let fetched = self.fetched.iter().find(|(held, _)| held == key);
            fetched.map(|(_, token)| token.clone())
        })
    }

    /// Caches a token this call fetched, keeps it for this call, shares it
    /// (under the lock this call holds, if any) and ends the refresh.
    fn keep(
        &mut self,
        client: &Client,
        key: &TokenKey,
        token: Secret,
        expire: u64,
        now: SystemTime,
    ) {
        let margin = client.config().token_refresh_margin();
        let cached = CachedToken::new(token.clone(), expire, now, margin);
        client.store(key, cached.clone());
        self.fetched.retain(|(held, _)| held != key);
        self.fetched.push((key.clone(), token));
        if let Some(shared) = self.shared.as_mut() {
            let fence = take_fence(&mut shared.fences, key);
            shared.writes.push_back(StoreOp::Save {
                key: key.clone(),
                token: cached,
                fence,
            });
        }
        self.release(client, key);
    }

    /// Ends a refresh that got no token: the process's lease and the
    /// fleet-wide lock are released for the next caller.
    fn not_kept(&mut self, client: &Client, key: &TokenKey) {
        self.unlock(key);
        self.release(client, key);
    }

    fn unlock(&mut self, key: &TokenKey) {
        if let Some(shared) = self.shared.as_mut()
            && let Some(fence) = take_fence(&mut shared.fences, key)
        {
            shared.writes.push_back(StoreOp::Unlock {
                key: key.clone(),
                fence,
            });
        }
    }

    /// Drops a token the server refused: from the cache, the shared store and
    /// this call.
    fn discard(&mut self, client: &Client, key: &TokenKey, token: &Secret) {
        client.invalidate(key, token);
        self.invalidate_shared(key, token);
        self.fetched
            .retain(|(held, kept)| !(held == key && kept == token));
    }

    fn invalidate_shared(&mut self, key: &TokenKey, token: &Secret) {
        if let Some(shared) = self.shared.as_mut() {
            // Loading it again must not bring the refused token back.
            shared.loaded.retain(|loaded| loaded != key);
            shared.loaded.push(key.clone());
            shared.writes.push_back(StoreOp::Invalidate {
                key: key.clone(),
                token: token.clone(),
            });
        }
    }

    /// Lets go of everything: the call is over (or dropped).
    pub(super) fn release_all(&mut self, client: &Client) {
        for (key, id) in self.leases.drain(..) {
            client.release_lease(&key, id);
        }
        if let Some((user, lease)) = self.user_lease.take() {
            user.refresh_failed(lease, false);
            client.wake_waiters();
        }
        if let Some(shared) = self.shared.as_mut() {
            for (key, fence) in shared.fences.drain(..) {
                shared.writes.push_back(StoreOp::Unlock { key, fence });
            }
        }
    }
}

fn take_fence(fences: &mut Vec<(TokenKey, Fence)>, key: &TokenKey) -> Option<Fence> {
    let index = fences.iter().position(|(held, _)| held == key)?;
    Some(fences.swap_remove(index).1)
}

/// The app's own token an endpoint takes when called as the app: the first
/// app or tenant kind it accepts.
pub(super) fn app_kind(kinds: &[TokenKind]) -> Option<TokenKind> {
    kinds
        .iter()
        .copied()
        .find(|kind| matches!(kind, TokenKind::App | TokenKind::Tenant))
}
