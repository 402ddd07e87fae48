//! The call state machine: one endpoint carried from "call this" to a typed
//! result, through token acquisition, the request and token repair.

use std::fmt;
use std::mem;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::auth::{
    AppAccessToken, AppAccessTokenRequest, AppTicketResend, TenantAccessToken,
    TenantAccessTokenRequest, UserAccessToken, UserAccessTokenRequest,
};
use crate::client::LeaseId;
use crate::envelope::rate_limit_reset;
use crate::retry::SplitMix64;
use crate::token_store::{TokenKey, later};
use crate::user::{UserLease, UserNeed};
use crate::{
    ApiError, AppKind, CachedToken, Client, Endpoint, Error, Exhausted, Failure, InvalidRequest,
    Secret, Shape, Timeout, TokenKind, TransportError, UserToken, build,
};

/// What the driver of a [`Call`] must do next.
// Steps are moved straight out of `poll`; boxing the request would cost an
// allocation per request for nothing.
#[allow(clippy::large_enum_variant)]
#[must_use]
pub enum Step<T> {
    /// Send this request, then feed the answer to [`Call::on_response`] or the
    /// failure to [`Call::on_transport_error`].
    Send(http::Request<Vec<u8>>),
    /// Poll again at this time: a retry's backoff or a rate limit's reset, or
    /// another call is refreshing the token this one needs.
    Wait(SystemTime),
    /// The call is over.
    Done(Result<T, Error>),
}

impl<T: fmt::Debug> fmt::Debug for Step<T> {
    // A request's body may hold an app secret or a refresh token, so only its
    // method and URI are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Send(request) => f
                .debug_struct("Send")
                .field("method", request.method())
                .field("uri", request.uri())
                .finish_non_exhaustive(),
            Step::Wait(until) => f.debug_tuple("Wait").field(until).finish(),
            Step::Done(result) => f.debug_tuple("Done").field(result).finish(),
        }
    }
}

/// Codes that mean "the token you sent is no good": the cached token is
/// dropped, a new one fetched and the call repeated, once.
const TOKEN_INVALID: [i64; 6] = [99991661, 99991663, 99991664, 99991668, 99991671, 99991677];

/// OAuth codes for a refresh token that can never work again: invalid,
/// expired, revoked, already used, refresh disabled.
const REFRESH_TOKEN_DEAD: [i64; 5] = [20026, 20037, 20064, 20073, 20074];

/// Code 10012: the app ticket is invalid; Feishu must push a new one.
const APP_TICKET_INVALID: i64 = 10012;

/// One API call in progress. It never sends, sleeps or reads a clock: its
/// driver does, and passes `now` in.
///
/// ```
/// # use feishu_core::{Call, Endpoint, Error, Step};
/// # fn transport(_: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, feishu_core::TransportError> { unimplemented!() }
/// # fn sleep_until(_: std::time::SystemTime) {}
/// fn drive<E: Endpoint>(mut call: Call<'_, E>) -> Result<E::Output, Error> {
///     let now = std::time::SystemTime::now;
///     loop {
///         match call.poll(now()) {
///             Step::Send(request) => match transport(request) {
///                 Ok(response) => call.on_response(response, now()),
///                 Err(error) => call.on_transport_error(error, now()),
///             },
///             Step::Wait(until) => sleep_until(until),
///             Step::Done(result) => return result,
///         }
///     }
/// }
/// ```
pub struct Call<'a, E: Endpoint> {
    client: &'a Client,
    endpoint: &'a E,
    /// The endpoint with the `uuid` this call gave it, if it takes one.
    with_uuid: Option<E>,
    auth: Auth,
    /// When the first poll happened: the deadline counts from there.
    started: Option<SystemTime>,
    /// Every retried failure so far.
    failures: Vec<Failure>,
    /// The caller's randomness, for jitter and the `uuid`.
    random: SplitMix64,
    state: State<E::Output>,
    /// Whether the one token repair this call allows was used.
    token_repaired: bool,
    /// The 10012 answer that made this call ask for a new ticket.
    ticket_error: Option<Box<ApiError>>,
    /// The token-refresh leases this call holds.
    leases: Vec<(TokenKey, LeaseId)>,
    /// Tokens this call fetched, used even if the store cannot keep them or
    /// they are already due (`expire: 0`), so a call never refetches forever.
    fetched: Vec<(TokenKey, Secret)>,
    /// The user refresh lease this call holds.
    user_lease: Option<UserLease>,
}

/// Whose token the call carries.
enum Auth {
    /// The app's own app or tenant token, as the endpoint needs.
    App,
    /// A marketplace app's tenant token for this tenant.
    Tenant(Arc<str>),
    /// This user's token, refreshed as needed.
    User(UserToken),
    /// This token, as given; never refreshed or repaired.
    Token(Secret),
}

enum State<T> {
    /// Nothing in flight: `poll` decides the next step.
    Ready,
    /// Waiting to retry until then.
    Backoff(SystemTime),
    /// A request is out.
    Awaiting(Pending),
    /// The result, for the next `poll`.
    Finished(Result<T, Error>),
    /// `Done` was returned.
    Spent,
}

/// What the request in flight was for.
enum Pending {
    /// The endpoint itself, sent with this token.
    Api(Option<Secret>),
    /// The app's app access token.
    AppToken { ticket: Option<Secret> },
    /// A tenant access token, bought with this app token (marketplace apps).
    TenantToken {
        key: TokenKey,
        app_token: Option<Secret>,
    },
    /// The app ticket resend; the call then fails with "ticket pending".
    TicketResend,
    /// The user's token refresh, under this lease.
    UserRefresh(UserToken, UserLease),
}

/// What `poll` found it needs.
#[allow(clippy::large_enum_variant)] // moved out at once, as `Step`
enum Need {
    /// The token to send the endpoint with (none for token-free endpoints).
    Token(Option<Secret>),
    /// A request to send first.
    Send(http::Request<Vec<u8>>, Pending),
    /// Poll again then.
    Wait(SystemTime),
}

impl<'a, E: Endpoint> Call<'a, E> {
    /// A call seeded with `seed` (the client derives one per call).
    pub(crate) fn new(client: &'a Client, endpoint: &'a E, seed: u64) -> Self {
        Self {
            client,
            endpoint,
            with_uuid: None,
            auth: Auth::App,
            started: None,
            failures: Vec::new(),
            random: SplitMix64::new(seed),
            state: State::Ready,
            token_repaired: false,
            ticket_error: None,
            leases: Vec::new(),
            fetched: Vec::new(),
            user_lease: None,
        }
        .with_fresh_uuid()
    }

    /// Calls as a marketplace app in one tenant (its `tenant_key`). Self-built
    /// apps have one tenant and need no key.
    pub fn for_tenant(mut self, tenant_key: impl Into<Arc<str>>) -> Self {
        self.auth = Auth::Tenant(tenant_key.into());
        self
    }

    /// Calls as a user, with their access token, refreshed when due.
    pub fn as_user(mut self, user: &UserToken) -> Self {
        self.auth = Auth::User(user.clone());
        self
    }

    /// Calls with this token, as given: no cache, no refresh, no repair.
    pub fn with_token(mut self, token: Secret) -> Self {
        self.auth = Auth::Token(token);
        self
    }

    /// Reseeds the call's randomness: the jitter of its backoffs and, for
    /// endpoints that take one, the `uuid` that makes a repeated send post
    /// once. Every call is seeded already, from its [`Client`]'s seed; this is
    /// for replaying one: the same seed gives the same waits and `uuid`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.random = SplitMix64::new(seed);
        self.with_fresh_uuid()
    }

    /// Draws the `uuid`, for endpoints that take one: only they pay for it.
    fn with_fresh_uuid(mut self) -> Self {
        if E::METADATA.dedup {
            self.with_uuid = self.endpoint.with_uuid(&self.random.uuid());
        }
        self
    }

    /// The endpoint as sent: with this call's `uuid`, if it took one.
    fn endpoint(&self) -> &E {
        self.with_uuid.as_ref().unwrap_or(self.endpoint)
    }

    /// The next step at `now`.
    pub fn poll(&mut self, now: SystemTime) -> Step<E::Output> {
        let started = *self.started.get_or_insert(now);
        match mem::replace(&mut self.state, State::Spent) {
            State::Backoff(until) if now < until => {
                self.state = State::Backoff(until);
                Step::Wait(until)
            }
            State::Ready | State::Backoff(_) => match self.need(now) {
                Ok(Need::Token(token)) => {
                    match build(self.client.config(), self.endpoint(), token.as_ref()) {
                        Ok(request) => self.send(request, Pending::Api(token), started, now),
                        Err(error) => self.done(Err(error)),
                    }
                }
                Ok(Need::Send(request, pending)) => self.send(request, pending, started, now),
                // Waiting for another call's refresh spends this call's budget.
                Ok(Need::Wait(_)) if now >= self.deadline(now) => {
                    let error = self.gave_up(TransportError::deadline_passed().into());
                    self.done(Err(error))
                }
                Ok(Need::Wait(until)) => {
                    self.state = State::Ready;
                    Step::Wait(until.min(self.deadline(now)))
                }
                Err(error) => self.done(Err(error)),
            },
            State::Finished(result) => self.done(result),
            State::Awaiting(_) | State::Spent => self.done(Err(InvalidRequest::OutOfOrder.into())),
        }
    }

    /// Feeds the response to the request of the last [`Step::Send`].
    pub fn on_response(&mut self, response: http::Response<Vec<u8>>, now: SystemTime) {
        let State::Awaiting(pending) = mem::replace(&mut self.state, State::Ready) else {
            self.state = State::Finished(Err(InvalidRequest::OutOfOrder.into()));
            return;
        };
        let idempotent = self.idempotent(&pending);
        let reset = rate_limit_reset(response.headers());
        if let Err(error) = self.answer(pending, response, now) {
            self.fail(error, idempotent, reset, now);
        }
    }

    /// Reports that the request of the last [`Step::Send`] got no response.
    pub fn on_transport_error(&mut self, error: TransportError, now: SystemTime) {
        let State::Awaiting(pending) = mem::replace(&mut self.state, State::Ready) else {
            self.state = State::Finished(Err(InvalidRequest::OutOfOrder.into()));
            return;
        };
        let idempotent = self.idempotent(&pending);
        match &pending {
            Pending::UserRefresh(user, lease) => {
                self.user_lease = None;
                user.refresh_failed(*lease, false);
            }
            Pending::TicketResend => self.client.app_ticket_resend_failed(),
            _ => {}
        }
        self.fail(error.into(), idempotent, None, now);
    }

    /// Whether the request in flight is safe to repeat after it may have been
    /// processed. Token requests are; a user refresh is not (the refresh token
    /// may be spent), nor a non-idempotent endpoint without a `uuid`.
    fn idempotent(&self, pending: &Pending) -> bool {
        match pending {
            Pending::Api(_) => self.endpoint().idempotent(),
            Pending::AppToken { .. } | Pending::TenantToken { .. } | Pending::TicketResend => true,
            Pending::UserRefresh(..) => false,
        }
    }

    /// Retries after a failure when the policy allows, or ends the call.
    fn fail(&mut self, error: Error, idempotent: bool, reset: Option<Duration>, now: SystemTime) {
        let failure =
            Failure::of(&error, reset).filter(|failure| failure.allows_repeat(idempotent));
        // Not worth retrying: the answer stands as it is (a business error
        // after a retried 503 is still that business error).
        let Some(failure) = failure else {
            self.state = State::Finished(Err(error));
            return;
        };
        let policy = self.client.config().retry_policy();
        let wait = match &failure {
            Failure::RateLimited {
                reset: Some(reset), ..
            } => (*reset).min(policy.max_rate_limit_wait),
            _ => {
                let retry = u32::try_from(self.failures.len() + 1).unwrap_or(u32::MAX);
                policy.backoff(retry, self.random.next_u64())
            }
        };
        let until = later(now, wait);
        self.failures.push(failure);
        let attempts = u32::try_from(self.failures.len()).unwrap_or(u32::MAX);
        if attempts >= policy.max_attempts || until >= self.deadline(now) {
            self.state = State::Finished(Err(self.gave_up(error)));
        } else {
            self.state = State::Backoff(until);
        }
    }

    /// When the call's budget runs out.
    fn deadline(&self, now: SystemTime) -> SystemTime {
        let policy = self.client.config().retry_policy();
        later(self.started.unwrap_or(now), policy.deadline)
    }

    /// The error of a call that ran out of budget or time: the error itself
    /// after one attempt; after retries, the earlier attempts' failures too.
    fn gave_up(&mut self, last: Error) -> Error {
        if self.failures.len() <= 1 {
            return last;
        }
        let failures = mem::take(&mut self.failures);
        Error::Exhausted(Box::new(Exhausted { failures, last }))
    }

    /// Hands out a request, its timeout cut to what remains of the deadline.
    fn send(
        &mut self,
        mut request: http::Request<Vec<u8>>,
        pending: Pending,
        started: SystemTime,
        now: SystemTime,
    ) -> Step<E::Output> {
        let deadline = later(started, self.client.config().retry_policy().deadline);
        let remaining = deadline.duration_since(now).unwrap_or_default();
        if remaining.is_zero() {
            let error = self.gave_up(TransportError::deadline_passed().into());
            return self.done(Err(error));
        }
        let extensions = request.extensions_mut();
        let timeout = extensions
            .get::<Timeout>()
            .map_or(remaining, |t| t.0.min(remaining));
        extensions.insert(Timeout(timeout));
        self.state = State::Awaiting(pending);
        Step::Send(request)
    }

    fn done(&mut self, result: Result<E::Output, Error>) -> Step<E::Output> {
        self.release_all();
        self.state = State::Spent;
        Step::Done(result)
    }

    /// Decides what the endpoint's request needs before it can go out.
    fn need(&mut self, now: SystemTime) -> Result<Need, Error> {
        let kinds = self.endpoint().token_kinds();
        let Some(&first) = kinds.first() else {
            return Ok(Need::Token(None));
        };
        match &self.auth {
            Auth::Token(token) => Ok(Need::Token(Some(token.clone()))),
            // Refused before anything is sent: Feishu would answer 99991668.
            Auth::User(_) if !kinds.contains(&TokenKind::User) => {
                Err(InvalidRequest::TokenNotAccepted(TokenKind::User).into())
            }
            Auth::User(user) => self.user_token(user.clone(), now),
            Auth::App | Auth::Tenant(_) => match app_kind(kinds) {
                Some(TokenKind::App) => self.app_token(now),
                Some(_) => self.tenant_token(now),
                None => Err(InvalidRequest::MissingToken(first).into()),
            },
        }
    }

    fn app_token(&mut self, now: SystemTime) -> Result<Need, Error> {
        let client = self.client;
        let key = client.app_token_key()?;
        if let Some(token) = self.token(key, now) {
            return Ok(Need::Token(Some(token)));
        }
        if !self.lease(key, now) {
            return Ok(Need::Wait(client.retry_at(now)));
        }
        let app = client.app()?;
        let (request, ticket) = match app.kind() {
            AppKind::Marketplace => {
                let Some(ticket) = client.app_ticket(now)? else {
                    self.release(key);
                    return self.ticket_pending(now);
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
        Ok(Need::Send(request, Pending::AppToken { ticket }))
    }

    fn tenant_token(&mut self, now: SystemTime) -> Result<Need, Error> {
        let client = self.client;
        let tenant = match &self.auth {
            Auth::Tenant(tenant) => Some(tenant.clone()),
            _ => None,
        };
        let key = client.tenant_token_key(tenant.as_ref())?;
        if let Some(token) = self.token(&key, now) {
            return Ok(Need::Token(Some(token)));
        }
        if !self.lease(&key, now) {
            return Ok(Need::Wait(client.retry_at(now)));
        }
        let app = client.app()?;
        let (request, app_token) = match (app.kind(), tenant) {
            (AppKind::Marketplace, Some(tenant)) => match self.app_token(now)? {
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
        Ok(Need::Send(request, Pending::TenantToken { key, app_token }))
    }

    fn user_token(&mut self, user: UserToken, now: SystemTime) -> Result<Need, Error> {
        let client = self.client;
        let margin = client.config().token_refresh_margin();
        let need = user.need(now, margin, client.lease_until(now), client.retry_at(now));
        match need {
            UserNeed::Ready(token) => Ok(Need::Token(Some(token))),
            UserNeed::Wait(until) => Ok(Need::Wait(until)),
            UserNeed::Reauthorize => Err(Error::UserTokenExpired),
            UserNeed::Refresh(refresh_token, lease) => {
                self.user_lease = Some(lease);
                let request = UserAccessTokenRequest::refresh_token(client.app()?, refresh_token);
                let request = build(client.config(), &request, None)?;
                Ok(Need::Send(request, Pending::UserRefresh(user, lease)))
            }
        }
    }

    /// Asks Feishu to push a new app ticket (at most every 30 s per client),
    /// then fails with [`Error::AppTicketPending`]: the ticket arrives later, as
    /// an event.
    fn ticket_pending(&mut self, now: SystemTime) -> Result<Need, Error> {
        if !self.client.may_resend_app_ticket(now) {
            return Err(Error::AppTicketPending(self.ticket_error.take()));
        }
        let app = self.client.app()?;
        let resend = AppTicketResend::new(app.app_id(), app.app_secret().clone());
        let request = build(self.client.config(), &resend, None)?;
        Ok(Need::Send(request, Pending::TicketResend))
    }

    /// Handles the answer to a request; an error ends the call.
    fn answer(
        &mut self,
        pending: Pending,
        response: http::Response<Vec<u8>>,
        now: SystemTime,
    ) -> Result<(), Error> {
        let client = self.client;
        match pending {
            Pending::Api(token) => {
                let result = self.endpoint().parse(response);
                match (result, token) {
                    (Err(Error::Api(error)), Some(token)) if self.may_repair(error.code) => {
                        self.token_repaired = true;
                        self.forget(&token)
                    }
                    (Ok(output), _) => {
                        self.state = State::Finished(Ok(output));
                        Ok(())
                    }
                    (Err(error), _) => Err(error),
                }
            }
            Pending::AppToken { ticket } => {
                let key = client.app_token_key()?;
                match Shape::Token.decode::<AppAccessToken>(response) {
                    Ok(token) => {
                        // The self-built endpoint answers with the app's one
                        // tenant token too.
                        if let (AppKind::SelfBuilt, Some(tenant_token)) =
                            (client.app()?.kind(), token.tenant_access_token)
                        {
                            let tenant = client.tenant_token_key(None)?;
                            self.keep(&tenant, tenant_token, token.expire, now);
                        }
                        self.keep(key, token.app_access_token, token.expire, now);
                        Ok(())
                    }
                    // A rejected ticket: forget it and ask for a new one.
                    Err(Error::Api(error)) if error.code == APP_TICKET_INVALID => {
                        let Some(ticket) = ticket else {
                            return Err(Error::Api(error));
                        };
                        self.release(key);
                        client.forget_app_ticket(&ticket)?;
                        self.ticket_error = Some(error);
                        Ok(())
                    }
                    Err(error) => Err(error),
                }
            }
            Pending::TenantToken { key, app_token } => {
                match Shape::Token.decode::<TenantAccessToken>(response) {
                    Ok(token) => {
                        self.keep(&key, token.tenant_access_token, token.expire, now);
                        Ok(())
                    }
                    // The app token it was bought with is dead: repair that.
                    Err(Error::Api(error))
                        if app_token.is_some() && self.may_repair(error.code) =>
                    {
                        self.token_repaired = true;
                        if let Some(app_token) = app_token {
                            self.discard(client.app_token_key()?, &app_token);
                        }
                        Ok(())
                    }
                    Err(error) => Err(error),
                }
            }
            Pending::TicketResend => {
                if let Err(error) = Shape::Token.check(response) {
                    client.app_ticket_resend_failed();
                    return Err(error);
                }
                Err(Error::AppTicketPending(self.ticket_error.take()))
            }
            Pending::UserRefresh(user, lease) => {
                self.user_lease = None;
                match Shape::Token.decode::<UserAccessToken>(response) {
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
                        Err(error)
                    }
                }
            }
        }
    }

    /// Whether `code` calls for the one token repair, and it is still unused.
    /// Tokens given as-is are never repaired: the client cannot renew them.
    fn may_repair(&self, code: i64) -> bool {
        TOKEN_INVALID.contains(&code)
            && !self.token_repaired
            && !matches!(self.auth, Auth::Token(_))
    }

    /// Drops the cached token the server refused, so the next poll fetches anew.
    fn forget(&mut self, token: &Secret) -> Result<(), Error> {
        let client = self.client;
        let key = match (&self.auth, app_kind(self.endpoint().token_kinds())) {
            (Auth::User(user), _) => {
                user.invalidate(token);
                return Ok(());
            }
            (_, Some(TokenKind::App)) => client.app_token_key()?.clone(),
            (Auth::Tenant(tenant), _) => client.tenant_token_key(Some(tenant))?,
            _ => client.tenant_token_key(None)?,
        };
        self.discard(&key, token);
        Ok(())
    }

    /// Takes the refresh lease for `key`, or confirms this call holds it.
    fn lease(&mut self, key: &TokenKey, now: SystemTime) -> bool {
        if let Some(index) = self.leases.iter().position(|(held, _)| held == key) {
            // Held already: renew it, so a long retry wait cannot let it lapse
            // and a second refresh start; if it lapsed and was taken, let go.
            if self.client.renew_lease(key, self.leases[index].1, now) {
                return true;
            }
            self.leases.swap_remove(index);
        }
        let Some(id) = self.client.try_lease(key, now) else {
            return false;
        };
        self.leases.push((key.clone(), id));
        true
    }

    fn release(&mut self, key: &TokenKey) {
        if let Some(index) = self.leases.iter().position(|(held, _)| held == key) {
            let (key, id) = self.leases.swap_remove(index);
            self.client.release_lease(&key, id);
        }
    }

    /// A usable token for `key`: fresh in the store, or fetched by this call.
    fn token(&self, key: &TokenKey, now: SystemTime) -> Option<Secret> {
        self.client.fresh(key, now).or_else(|| {
            let fetched = self.fetched.iter().find(|(held, _)| held == key);
            fetched.map(|(_, token)| token.clone())
        })
    }

    /// Caches a token this call fetched, and keeps it for this call.
    fn keep(&mut self, key: &TokenKey, token: Secret, expire: u64, now: SystemTime) {
        let margin = self.client.config().token_refresh_margin();
        self.client
            .store(key, CachedToken::new(token.clone(), expire, now, margin));
        self.fetched.retain(|(held, _)| held != key);
        self.fetched.push((key.clone(), token));
        self.release(key);
    }

    /// Drops a token the server refused, from the store and from this call.
    fn discard(&mut self, key: &TokenKey, token: &Secret) {
        self.client.invalidate(key, token);
        self.fetched
            .retain(|(held, kept)| !(held == key && kept == token));
    }

    fn release_all(&mut self) {
        for (key, id) in self.leases.drain(..) {
            self.client.release_lease(&key, id);
        }
        if let (Some(lease), Auth::User(user)) = (self.user_lease.take(), &self.auth) {
            user.refresh_failed(lease, false);
        }
    }
}

/// The app's own token an endpoint takes when called as the app: the first
/// app or tenant kind it accepts.
fn app_kind(kinds: &[TokenKind]) -> Option<TokenKind> {
    kinds
        .iter()
        .copied()
        .find(|kind| matches!(kind, TokenKind::App | TokenKind::Tenant))
}

impl<E: Endpoint> Drop for Call<'_, E> {
    /// A call abandoned mid-refresh (a cancelled future) lets the next caller
    /// refresh at once rather than wait for the lease to lapse.
    fn drop(&mut self) {
        self.release_all();
    }
}
