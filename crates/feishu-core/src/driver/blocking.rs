//! The blocking driver: calls return when they are done.

use std::fmt;
use std::sync::Arc;
use std::vec;

use crate::auth::{TenantAccessToken, TenantAccessTokenRequest};
use crate::driver::observe::Watch;
use crate::driver::{CallInfo, Clock, Observer, SharedStore, Transport, next_page, on_page, until};
use crate::{
    Call, Client, Config, Endpoint, Error, Page, Pager, Paginated, Secret, Step, StoreAnswer,
    UserToken,
};

/// A blocking Feishu client over any [`Transport`] and [`Clock`].
///
/// It owns what a program calls: [`send`](Self::send) and its variants,
/// [`pages`](Self::pages) and [`items`](Self::items), the marketplace
/// [`tenant`](Self::tenant) view, the app ticket and the OAuth code exchange.
/// Tokens, their cache and every protocol decision stay in the [`Client`]
/// underneath; this type only drives its calls, and carries out their
/// shared-store operations when it [has a store](Self::with_shared_store).
/// Cloning shares the token state and the store (and clones the transport and
/// clock).
///
/// ```
/// use std::time::SystemTime;
/// use feishu_core::driver::BlockingClient;
/// use feishu_core::{App, Client, Config, TransportError};
///
/// // A transport is a function from request to response; here, one canned
/// // answer for the token endpoint.
/// let transport = |request: http::Request<Vec<u8>>| -> Result<_, TransportError> {
///     assert_eq!(request.uri().path(), "/open-apis/auth/v3/tenant_access_token/internal");
///     let body = r#"{"code":0,"msg":"ok","tenant_access_token":"t-7f1bcd13fc57d46bac21793a18e560","expire":7200}"#;
///     Ok(http::Response::new(body.as_bytes().to_vec()))
/// };
/// let core = Client::new(Config::feishu(), 0x5eed);
/// let client = BlockingClient::new(core, transport, (SystemTime::now, std::thread::sleep));
///
/// // open-feishu's get_tenant_access_token(input_a, input_b).
/// let token = client.tenant_access_token("cli_a5d611352af9d00b", "app-secret")?;
/// assert_eq!(token.expire, 7200);
/// # Ok::<(), feishu_core::Error>(())
/// ```
#[derive(Clone)]
pub struct BlockingClient<T, C> {
    core: Client,
    transport: T,
    clock: C,
    store: Option<Arc<dyn SharedStore>>,
    observers: Vec<Arc<dyn Observer>>,
}

impl<T: Transport, C: Clock> BlockingClient<T, C> {
    /// A client driving `core`'s calls over `transport`, on `clock`; the
    /// clock's [waker](Clock::waker), if it has one, becomes `core`'s.
    pub fn new(core: Client, transport: T, clock: C) -> Self {
        if let Some(waker) = clock.waker() {
            core.add_waker(waker);
        }
        Self {
            core,
            transport,
            clock,
            store: None,
            observers: Vec::new(),
        }
    }

    /// The client with a store shared with other processes: its calls load
    /// tokens from it before fetching their own, lock it fleet-wide while
    /// they fetch, and save what they fetch ([`Client::use_shared_store`]).
    /// The store must meet [`SharedStore`]'s contract.
    pub fn with_shared_store(mut self, store: Arc<dyn SharedStore>) -> Self {
        self.core.use_shared_store();
        self.store = Some(store);
        self
    }

    /// The client with one more [`Observer`] of its calls: told each
    /// request, wait and store operation, and given a [`CallSummary`] at
    /// each call's end (attempts, waits and why, outcome, code, log id).
    /// Adapters add their `tracing` observer themselves.
    ///
    /// [`CallSummary`]: super::CallSummary
    pub fn with_observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observers.push(observer);
        self
    }

    /// The sans-IO client underneath: configuration and token state.
    pub fn core(&self) -> &Client {
        &self.core
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.core.config()
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// Calls an endpoint with the app's token it needs, fetched and cached on
    /// the way (or none, for the token endpoints themselves).
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint), endpoint)
    }

    /// Calls an endpoint as a user, refreshing their token when due.
    pub fn send_as<E: Endpoint>(&self, endpoint: &E, user: &UserToken) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint).as_user(user), endpoint)
    }

    /// Calls an endpoint with this token, as given.
    pub fn send_with_token<E: Endpoint>(
        &self,
        endpoint: &E,
        token: &Secret,
    ) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint).with_token(token.clone()), endpoint)
    }

    /// The pages of a list endpoint (or of a [`Pager`] with an item cap), one
    /// request per page, stopping at the first error. A walk cut short by the
    /// pager's [bounds](Pager#bounds) ends with an
    /// [`Error::BrokenPagination`] after its last page.
    pub fn pages<E: Paginated>(&self, list: impl Into<Pager<E>>) -> Pages<'_, E, T, C> {
        Pages {
            client: self,
            pager: list.into(),
        }
    }

    /// The items of a list endpoint, across its pages; see
    /// [`pages`](Self::pages).
    pub fn items<E: Paginated>(&self, list: impl Into<Pager<E>>) -> Items<'_, E, T, C> {
        Items {
            pages: self.pages(list),
            page: Vec::new().into_iter(),
        }
    }

    /// This marketplace app, acting in one tenant (its `tenant_key`).
    pub fn tenant(&self, tenant_key: impl Into<Arc<str>>) -> Tenant<T, C>
    where
        T: Clone,
        C: Clone,
    {
        Tenant {
            client: self.clone(),
            tenant_key: tenant_key.into(),
        }
    }

    /// Keeps the `app_ticket` Feishu pushed to this marketplace app.
    pub fn set_app_ticket(&self, ticket: impl Into<Secret>) -> Result<(), Error> {
        self.core.set_app_ticket(ticket, self.clock.now())
    }

    /// Keeps the `app_ticket` as [`set_app_ticket`](Self::set_app_ticket)
    /// does and saves it in the shared store, if the client has one, for the
    /// other processes' calls to load ([`Client::share_app_ticket`]). A
    /// store that is [unavailable](crate::StoreAnswer::Unavailable) leaves it
    /// with this process: the others ask Feishu to push it again.
    pub fn share_app_ticket(&self, ticket: impl Into<Secret>) -> Result<(), Error> {
        let now = self.clock.now();
        let Some(store) = &self.store else {
            return self.core.set_app_ticket(ticket, now);
        };
        let save = self.core.share_app_ticket(ticket, now)?;
        store.carry_out(&save, now);
        Ok(())
    }

    /// Exchanges an OAuth authorization code for the user's tokens.
    pub fn user_token(&self, code: &str, redirect_uri: Option<&str>) -> Result<UserToken, Error> {
        let token = self.send(&self.core.code_exchange(code, redirect_uri)?)?;
        Ok(UserToken::new(token, self.clock.now()))
    }

    /// Gets a tenant access token the way open-feishu's
    /// `get_tenant_access_token(input_a, input_b)` does: `cli_…` + app secret
    /// for a self-built app, `a-…` app access token + tenant key for a
    /// marketplace app; any other prefix is refused before anything is sent.
    pub fn tenant_access_token(
        &self,
        input_a: &str,
        input_b: &str,
    ) -> Result<TenantAccessToken, Error> {
        self.send(&TenantAccessTokenRequest::from_inputs(input_a, input_b)?)
    }

    /// Drives a call to its end: sends what it asks for, sleeps while it
    /// waits (less, when a refresh it waits for ends first), and carries out
    /// its store operations. For a call set up beyond the methods above, e.g.
    /// reseeded with [`Call::seed`] to replay one.
    ///
    /// Observers see the call as one of the endpoint type's
    /// [`Metadata`](crate::Metadata).
    pub fn drive<E: Endpoint>(&self, call: Call<'_, E>) -> Result<E::Output, Error> {
        let watch = Watch::start(
            &self.observers,
            || CallInfo::of_type::<E>(),
            !E::METADATA.tokens.is_empty(),
            self.clock.now(),
        );
        self.drive_watched(call, watch)
    }

    /// Drives a call of `endpoint`, watched by the observers.
    fn run<E: Endpoint>(&self, call: Call<'_, E>, endpoint: &E) -> Result<E::Output, Error> {
        let watch = Watch::start(
            &self.observers,
            || CallInfo::of(endpoint),
            !endpoint.token_kinds().is_empty(),
            self.clock.now(),
        );
        self.drive_watched(call, watch)
    }

    fn drive_watched<E: Endpoint>(
        &self,
        mut call: Call<'_, E>,
        mut watch: Option<Box<Watch>>,
    ) -> Result<E::Output, Error> {
        loop {
            // Read before the poll: a refresh that ends between the poll and
            // the sleep changes it, and the sleep does not start.
            let seen = self.core.wakeups();
            let step = call.poll(self.clock.now());
            if let Some(watch) = &mut watch {
                watch.polled(matches!(step, Step::Wait(_)));
            }
            match step {
                Step::Send(request) => {
                    if let Some(watch) = &mut watch {
                        watch.sending(&request, self.clock.now());
                    }
                    match self.transport.send(request) {
                        Ok(response) => {
                            let now = self.clock.now();
                            if let Some(watch) = &mut watch {
                                watch.answered(&response, now);
                            }
                            call.on_response(response, now);
                        }
                        Err(error) => {
                            let now = self.clock.now();
                            if let Some(watch) = &mut watch {
                                watch.failed(&error, now);
                            }
                            call.on_transport_error(error, now);
                        }
                    }
                }
                Step::Wait(at) => {
                    let woken = || self.core.wakeups() != seen;
                    let from = self.clock.now();
                    self.clock.sleep_unless(until(from, at), &woken);
                    if let Some(watch) = &mut watch {
                        watch.waited(from, self.clock.now());
                    }
                }
                Step::Store(op) => {
                    // Without a store the call goes on with its process's
                    // cache, as the store seam allows.
                    let answer = match &self.store {
                        Some(store) => store.carry_out(&op, self.clock.now()),
                        None => StoreAnswer::Unavailable,
                    };
                    if let Some(watch) = &mut watch {
                        watch.stored(&op, &answer);
                    }
                    call.on_store(answer, self.clock.now());
                }
                Step::Done(result) => {
                    if let Some(watch) = watch {
                        watch.end(&result, self.clock.now());
                    }
                    return result;
                }
            }
        }
    }
}

impl<T, C> fmt::Debug for BlockingClient<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingClient")
            .field("core", &self.core)
            .field("shared_store", &self.store.is_some())
            .field("observers", &self.observers.len())
            .finish_non_exhaustive()
    }
}

/// The pages of a list, one request each; see [`BlockingClient::pages`].
#[derive(Debug)]
pub struct Pages<'a, E, T, C> {
    client: &'a BlockingClient<T, C>,
    pager: Pager<E>,
}

impl<E: Paginated, T: Transport, C: Clock> Iterator for Pages<'_, E, T, C> {
    type Item = Result<Page<E::Item>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let request = match next_page(&mut self.pager)? {
            Ok(request) => request,
            Err(error) => return Some(Err(error)),
        };
        Some(on_page(&mut self.pager, self.client.send(&request)))
    }
}

/// The items of a list, fetched page by page; see [`BlockingClient::items`].
#[derive(Debug)]
pub struct Items<'a, E: Paginated, T, C> {
    pages: Pages<'a, E, T, C>,
    page: vec::IntoIter<E::Item>,
}

impl<E: Paginated, T: Transport, C: Clock> Iterator for Items<'_, E, T, C> {
    type Item = Result<E::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.page.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.page = page.items.into_iter(),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

/// A marketplace app's client for one tenant; see [`BlockingClient::tenant`].
#[derive(Clone)]
pub struct Tenant<T, C> {
    client: BlockingClient<T, C>,
    tenant_key: Arc<str>,
}

impl<T, C> fmt::Debug for Tenant<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tenant")
            .field("client", &self.client)
            .field("tenant_key", &self.tenant_key)
            .finish()
    }
}

impl<T: Transport, C: Clock> Tenant<T, C> {
    /// Calls an endpoint with this tenant's token, fetched and cached on the way.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let call = self.client.core.call(endpoint);
        self.client
            .run(call.for_tenant(self.tenant_key.clone()), endpoint)
    }
}
