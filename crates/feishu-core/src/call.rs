//! The call state machine: one endpoint carried from "call this" to a typed
//! result.
//!
//! Three jobs, three files: this one runs the call (poll, send, answer);
//! [`budget`] decides retries within the policy's attempts and deadline;
//! [`credentials`] gets the token the request needs (cache, single flight,
//! the shared store, refresh and repair).

mod budget;
pub(crate) mod client;
mod credentials;
pub(crate) mod retry;
pub(crate) mod single_flight;
pub mod store;
pub(crate) mod token_store;
pub(crate) mod user;

use std::fmt;
use std::mem;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::store::{StoreAnswer, StoreOp};
use crate::wire::envelope::rate_limit_reset;
use crate::{
    Client, Endpoint, Error, Misuse, ParseError, Secret, Timeout, TransportError, UserToken, build,
};
use budget::Budget;
use credentials::{Auth, Credentials, Need, TokenFetch};

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
    /// another call is refreshing the token this one needs (then sooner, if
    /// the client's [waker](Client::add_waker) fires).
    Wait(SystemTime),
    /// Carry this out on the store shared with other processes, then feed
    /// the outcome to [`Call::on_store`]. Only for a client that
    /// [uses one](Client::use_shared_store); see [`StoreOp`].
    Store(StoreOp),
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
            Step::Store(op) => f.debug_tuple("Store").field(op).finish(),
            Step::Done(result) => f.debug_tuple("Done").field(result).finish(),
        }
    }
}

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
///             // Only with Client::use_shared_store.
///             Step::Store(_) => unreachable!("no shared store"),
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
    budget: Budget,
    credentials: Credentials,
    state: State<E::Output>,
}

enum State<T> {
    /// Nothing in flight: `poll` decides the next step.
    Ready,
    /// Waiting to retry until then.
    Backoff(SystemTime),
    /// A request is out.
    Awaiting(Pending),
    /// A shared-store operation is out; then the call resumes as it was.
    Storing { op: StoreOp, resume: Box<State<T>> },
    /// The result, for the next `poll`.
    Finished(Result<T, Error>),
    /// `Done` was returned.
    Spent,
}

/// What the request in flight was for.
enum Pending {
    /// The endpoint itself, sent with this token.
    Api(Option<Secret>),
    /// A token the endpoint needs.
    Token(TokenFetch),
}

impl<'a, E: Endpoint> Call<'a, E> {
    /// A call seeded with `seed` (the client derives one per call).
    pub(crate) fn new(client: &'a Client, endpoint: &'a E, seed: u64) -> Self {
        Self {
            client,
            endpoint,
            with_uuid: None,
            budget: Budget::new(seed),
            credentials: Credentials::new(client.shares()),
            state: State::Ready,
        }
        .with_fresh_uuid()
    }

    /// Calls as a marketplace app in one tenant (its `tenant_key`). Self-built
    /// apps have one tenant and need no key.
    pub fn for_tenant(mut self, tenant_key: impl Into<Arc<str>>) -> Self {
        self.credentials.auth = Auth::Tenant(tenant_key.into());
        self
    }

    /// Calls as a user, with their access token, refreshed when due.
    pub fn as_user(mut self, user: &UserToken) -> Self {
        self.credentials.auth = Auth::User(user.clone());
        self
    }

    /// Calls with this token, as given: no cache, no refresh, no repair.
    pub fn with_token(mut self, token: Secret) -> Self {
        self.credentials.auth = Auth::Token(token);
        self
    }

    /// Reseeds the call's randomness: the jitter of its backoffs and, for
    /// endpoints that take one, the `uuid` that makes a repeated send post
    /// once. Every call is seeded already, from its [`Client`]'s seed; this is
    /// for replaying one: the same seed gives the same waits and `uuid`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.budget = Budget::new(seed);
        self.with_fresh_uuid()
    }

    /// Draws the `uuid`, for endpoints that take one: only they pay for it.
    fn with_fresh_uuid(mut self) -> Self {
        if E::METADATA.dedup {
            self.with_uuid = self.endpoint.with_uuid(&self.budget.random.uuid());
        }
        self
    }

    /// The endpoint as sent: with this call's `uuid`, if it took one.
    fn endpoint(&self) -> &E {
        self.with_uuid.as_ref().unwrap_or(self.endpoint)
    }

    /// The next step at `now`.
    pub fn poll(&mut self, now: SystemTime) -> Step<E::Output> {
        self.budget.start(now);
        match mem::replace(&mut self.state, State::Spent) {
            State::Awaiting(_) | State::Storing { .. } | State::Spent => {
                self.done(Err(Misuse::OutOfOrder.into()))
            }
            // Store writes the call owes (a fetched token, a released lock)
            // go out first, also before its result.
            resume => match self.credentials.next_write() {
                Some(op) => self.store(op, resume),
                None => match resume {
                    State::Backoff(until) if now < until => {
                        self.state = State::Backoff(until);
                        Step::Wait(until)
                    }
                    State::Finished(result) => self.finish(result),
                    _ => self.next(now),
                },
            },
        }
    }

    /// What the call needs next: its token, or the request itself.
    fn next(&mut self, now: SystemTime) -> Step<E::Output> {
        // Borrowed field by field, beside the credentials.
        let kinds = self
            .with_uuid
            .as_ref()
            .unwrap_or(self.endpoint)
            .token_kinds();
        match self.credentials.need(self.client, kinds, now) {
            Ok(Need::Token(token)) => {
                match build(self.client.config(), self.endpoint(), token.as_ref()) {
                    Ok(request) => self.send(request, Pending::Api(token), now),
                    Err(error) => self.done(Err(error)),
                }
            }
            Ok(Need::Send(request, fetch)) => self.send(request, Pending::Token(fetch), now),
            Ok(Need::Store(op)) => self.store(op, State::Ready),
            // Waiting for another call's refresh spends this call's budget.
            Ok(Need::Wait(until)) => {
                let deadline = self
                    .budget
                    .deadline(self.client.config().retry_policy(), now);
                if now >= deadline {
                    let error = self
                        .budget
                        .gave_up(TransportError::deadline_passed().into());
                    return self.finish(Err(error));
                }
                self.state = State::Ready;
                Step::Wait(until.min(deadline))
            }
            Err(error) => self.finish(Err(error)),
        }
    }

    /// Feeds the response to the request of the last [`Step::Send`].
    pub fn on_response(&mut self, response: http::Response<Vec<u8>>, now: SystemTime) {
        let State::Awaiting(pending) = mem::replace(&mut self.state, State::Ready) else {
            self.state = State::Finished(Err(Misuse::OutOfOrder.into()));
            return;
        };
        let idempotent = self.idempotent(&pending);
        let reset = rate_limit_reset(response.headers());
        let answered = match pending {
            Pending::Api(token) => self.answer(token, response),
            Pending::Token(fetch) => self.credentials.fetched(self.client, fetch, response, now),
        };
        if let Err(error) = answered {
            self.fail(error, idempotent, reset, now);
        }
    }

    /// Reports that the request of the last [`Step::Send`] got no response.
    pub fn on_transport_error(&mut self, error: TransportError, now: SystemTime) {
        let State::Awaiting(pending) = mem::replace(&mut self.state, State::Ready) else {
            self.state = State::Finished(Err(Misuse::OutOfOrder.into()));
            return;
        };
        let idempotent = self.idempotent(&pending);
        if let Pending::Token(fetch) = pending {
            self.credentials.not_fetched(self.client, fetch);
        }
        self.fail(error.into(), idempotent, None, now);
    }

    /// Feeds the outcome of the last [`Step::Store`].
    pub fn on_store(&mut self, answer: StoreAnswer, now: SystemTime) {
        let State::Storing { op, resume } = mem::replace(&mut self.state, State::Ready) else {
            self.state = State::Finished(Err(Misuse::OutOfOrder.into()));
            return;
        };
        self.credentials.stored(self.client, op, answer, now);
        self.state = *resume;
    }

    /// Whether the request in flight is safe to repeat after it may have been
    /// processed. Token requests are; a user refresh is not (the refresh token
    /// may be spent), nor a non-idempotent endpoint without a `uuid`.
    fn idempotent(&self, pending: &Pending) -> bool {
        match pending {
            Pending::Api(_) => self.endpoint().idempotent(),
            Pending::Token(fetch) => fetch.idempotent(),
        }
    }

    /// The endpoint's answer; a token-invalid code repairs the token once.
    fn answer(
        &mut self,
        token: Option<Secret>,
        response: http::Response<Vec<u8>>,
    ) -> Result<(), Error> {
        match (self.endpoint().parse(response), token) {
            (Err(ParseError::Api(error)), Some(token))
                if self.credentials.may_repair(error.code) =>
            {
                let kinds = self
                    .with_uuid
                    .as_ref()
                    .unwrap_or(self.endpoint)
                    .token_kinds();
                self.credentials.repair(self.client, kinds, &token)
            }
            (Ok(output), _) => {
                self.state = State::Finished(Ok(output));
                Ok(())
            }
            (Err(error), _) => Err(error.into()),
        }
    }

    /// Retries after a failure when the policy allows, or ends the call.
    fn fail(&mut self, error: Error, idempotent: bool, reset: Option<Duration>, now: SystemTime) {
        let policy = self.client.config().retry_policy();
        self.state = match self
            .budget
            .after_failure(policy, error, idempotent, reset, now)
        {
            Ok(until) => State::Backoff(until),
            Err(error) => State::Finished(Err(error)),
        };
    }

    /// Hands out a request, its timeout cut to what remains of the deadline.
    fn send(
        &mut self,
        mut request: http::Request<Vec<u8>>,
        pending: Pending,
        now: SystemTime,
    ) -> Step<E::Output> {
        let remaining = self
            .budget
            .remaining(self.client.config().retry_policy(), now);
        if remaining.is_zero() {
            if let Pending::Token(fetch) = pending {
                self.credentials.not_fetched(self.client, fetch);
            }
            let error = self
                .budget
                .gave_up(TransportError::deadline_passed().into());
            return self.finish(Err(error));
        }
        let extensions = request.extensions_mut();
        let timeout = extensions
            .get::<Timeout>()
            .map_or(remaining, |t| t.0.min(remaining));
        extensions.insert(Timeout(timeout));
        self.state = State::Awaiting(pending);
        Step::Send(request)
    }

    /// Hands out a shared-store operation; the call resumes as `resume` once
    /// it is answered.
    fn store(&mut self, op: StoreOp, resume: State<E::Output>) -> Step<E::Output> {
        self.state = State::Storing {
            op: op.clone(),
            resume: Box::new(resume),
        };
        Step::Store(op)
    }

    /// Ends the call with `result`, once its store writes are out.
    fn finish(&mut self, result: Result<E::Output, Error>) -> Step<E::Output> {
        self.credentials.release_all(self.client);
        match self.credentials.next_write() {
            Some(op) => self.store(op, State::Finished(result)),
            None => self.done(result),
        }
    }

    fn done(&mut self, result: Result<E::Output, Error>) -> Step<E::Output> {
        self.credentials.release_all(self.client);
        self.state = State::Spent;
        Step::Done(result)
    }
}

impl<E: Endpoint> Drop for Call<'_, E> {
    /// A call abandoned mid-refresh (a cancelled future) lets the next caller
    /// refresh at once rather than wait for the lease to lapse.
    fn drop(&mut self) {
        self.credentials.release_all(self.client);
    }
}
