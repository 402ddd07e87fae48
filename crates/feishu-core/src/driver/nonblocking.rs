//! The async driver: calls are futures, waits are the clock's.

use std::fmt;
use std::sync::Arc;
use std::vec;

use crate::auth::{TenantAccessToken, TenantAccessTokenRequest};
use crate::driver::observe::Watch;
use crate::driver::shared_store::DynAsyncSharedStore;
use crate::driver::{
    AsyncClock, AsyncSharedStore, AsyncTransport, CallInfo, Observer, next_page, on_page, until,
};
use crate::{
    Call, Client, Config, Endpoint, Error, Page, Pager, Paginated, Secret, Step, StoreAnswer,
    UserToken,
};

/// An async Feishu client over any [`AsyncTransport`] and [`AsyncClock`].
///
/// The surface of [`BlockingClient`](crate::driver::BlockingClient), with
/// futures: they are `Send` when the endpoint is `Sync`, so they run on any
/// multi-thread runtime. No runtime is named here: the transport and the
/// clock bring theirs (e.g. `(SystemTime::now, tokio::time::sleep)`).
///
/// ```
/// use std::future::ready;
/// use std::time::{Duration, SystemTime};
/// use feishu_core::driver::AsyncClient;
/// use feishu_core::{App, Client, Config, RawEndpoint, TransportError};
/// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
/// #     let mut future = std::pin::pin!(future);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop {
/// #         if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
/// #             return out;
/// #         }
/// #     }
/// # }
///
/// fn answer(request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
///     let body = if request.uri().path().ends_with("/tenant_access_token/internal") {
///         r#"{"code":0,"msg":"ok","tenant_access_token":"t-7f1bcd13fc57d46bac21793a18e560","expire":7200}"#
///     } else {
///         r#"{"code":0,"msg":"success","data":{"items":[],"has_more":false}}"#
///     };
///     Ok(http::Response::new(body.into()))
/// }
///
/// let config = Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "app-secret"));
/// let core = Client::new(config, 0x5eed);
/// // A transport is any function returning a future of the response; the
/// // clock is `(SystemTime::now, tokio::time::sleep)` on tokio.
/// let transport = |request| ready(answer(request));
/// let client = AsyncClient::new(core, transport, (SystemTime::now, |_: Duration| ready(())));
/// # block_on(async {
/// let chats = client.send(&RawEndpoint::get("/open-apis/im/v1/chats")).await?;
/// assert_eq!(chats["has_more"], false);
/// # Ok::<(), feishu_core::Error>(())
/// # })?;
/// # Ok::<(), feishu_core::Error>(())
/// ```
#[derive(Clone)]
pub struct AsyncClient<T, C> {
    core: Client,
    transport: T,
    clock: C,
    store: Option<Arc<dyn DynAsyncSharedStore>>,
    observers: Vec<Arc<dyn Observer>>,
}

impl<T: AsyncTransport, C: AsyncClock> AsyncClient<T, C> {
    /// A client driving `core`'s calls over `transport`, on `clock`; the
    /// clock's [waker](AsyncClock::waker), if it has one, becomes `core`'s.
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
    /// The store must meet [`SharedStore`](crate::driver::SharedStore#contract)'s
    /// contract.
    pub fn with_shared_store<S: AsyncSharedStore + 'static>(mut self, store: Arc<S>) -> Self {
        self.core.use_shared_store();
        self.store = Some(store);
        self
    }

    /// The client with one more [`Observer`] of its calls, as for
    /// [`BlockingClient::with_observer`](crate::driver::BlockingClient::with_observer).
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
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint), endpoint).await
    }

    /// Calls an endpoint as a user, refreshing their token when due.
    pub async fn send_as<E: Endpoint>(
        &self,
        endpoint: &E,
        user: &UserToken,
    ) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint).as_user(user), endpoint)
            .await
    }

    /// Calls an endpoint with this token, as given.
    pub async fn send_with_token<E: Endpoint>(
        &self,
        endpoint: &E,
        token: &Secret,
    ) -> Result<E::Output, Error> {
        self.run(self.core.call(endpoint).with_token(token.clone()), endpoint)
            .await
    }

    /// The pages of a list endpoint (or of a [`Pager`] with an item cap), one
    /// request per page, ending after the first error. A walk cut short by
    /// the pager's [bounds](Pager#bounds) ends with an
    /// [`Error::BrokenPagination`] after its last page.
    pub fn pages<E: Paginated>(&self, list: impl Into<Pager<E>>) -> AsyncPages<'_, E, T, C> {
        AsyncPages {
            client: self,
            pager: list.into(),
        }
    }

    /// The items of a list endpoint, across its pages; see
    /// [`pages`](Self::pages).
    pub fn items<E: Paginated>(&self, list: impl Into<Pager<E>>) -> AsyncItems<'_, E, T, C> {
        AsyncItems {
            pages: self.pages(list),
            page: Vec::new().into_iter(),
        }
    }

    /// This marketplace app, acting in one tenant (its `tenant_key`).
    pub fn tenant(&self, tenant_key: impl Into<Arc<str>>) -> AsyncTenant<T, C>
    where
        T: Clone,
        C: Clone,
    {
        AsyncTenant {
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
    pub async fn share_app_ticket(&self, ticket: impl Into<Secret>) -> Result<(), Error> {
        let now = self.clock.now();
        let Some(store) = &self.store else {
            return self.core.set_app_ticket(ticket, now);
        };
        let save = self.core.share_app_ticket(ticket, now)?;
        store.carry_out(&save, now).await;
        Ok(())
    }

    /// Exchanges an OAuth authorization code for the user's tokens.
    pub async fn user_token(
        &self,
        code: &str,
        redirect_uri: Option<&str>,
    ) -> Result<UserToken, Error> {
        let token = self
            .send(&self.core.code_exchange(code, redirect_uri)?)
            .await?;
        Ok(UserToken::new(token, self.clock.now()))
    }

    /// Gets a tenant access token the way open-feishu's
    /// `get_tenant_access_token(input_a, input_b)` does: `cli_…` + app secret
    /// for a self-built app, `a-…` app access token + tenant key for a
    /// marketplace app; any other prefix is refused before anything is sent.
    pub async fn tenant_access_token(
        &self,
        input_a: &str,
        input_b: &str,
    ) -> Result<TenantAccessToken, Error> {
        self.send(&TenantAccessTokenRequest::from_inputs(input_a, input_b)?)
            .await
    }

    /// Drives a call to its end: sends what it asks for, sleeps while it
    /// waits (less, when a refresh it waits for ends first), and carries out
    /// its store operations. For a call set up beyond the methods above, e.g.
    /// reseeded with [`Call::seed`] to replay one.
    ///
    /// Observers see the call as one of the endpoint type's
    /// [`Metadata`](crate::Metadata).
    pub async fn drive<E: Endpoint>(&self, call: Call<'_, E>) -> Result<E::Output, Error> {
        let watch = Watch::start(
            &self.observers,
            || CallInfo::of_type::<E>(),
            !E::METADATA.tokens.is_empty(),
            self.clock.now(),
        );
        self.drive_watched(call, watch).await
    }

    /// Drives a call of `endpoint`, watched by the observers.
    async fn run<E: Endpoint>(&self, call: Call<'_, E>, endpoint: &E) -> Result<E::Output, Error> {
        let watch = Watch::start(
            &self.observers,
            || CallInfo::of(endpoint),
            !endpoint.token_kinds().is_empty(),
            self.clock.now(),
        );
        self.drive_watched(call, watch).await
    }

    async fn drive_watched<E: Endpoint>(
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
                    match self.transport.send(request).await {
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
                    self.clock.sleep_unless(until(from, at), &woken).await;
                    if let Some(watch) = &mut watch {
                        watch.waited(from, self.clock.now());
                    }
                }
                Step::Store(op) => {
                    // Without a store the call goes on with its process's
                    // cache, as the store seam allows.
                    let answer = match &self.store {
                        Some(store) => store.carry_out(&op, self.clock.now()).await,
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

impl<T, C> fmt::Debug for AsyncClient<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncClient")
            .field("core", &self.core)
            .field("shared_store", &self.store.is_some())
            .field("observers", &self.observers.len())
            .finish_non_exhaustive()
    }
}

/// The pages of a list, one request each; see [`AsyncClient::pages`].
///
/// Not a `Stream`: the core names no async library. An adapter makes it one
/// in a few lines, e.g. with `futures_util::stream::unfold`.
#[derive(Debug)]
pub struct AsyncPages<'a, E, T, C> {
    client: &'a AsyncClient<T, C>,
    pager: Pager<E>,
}

impl<E: Paginated, T: AsyncTransport, C: AsyncClock> AsyncPages<'_, E, T, C> {
    /// The next page; `None` once the walk is over.
    pub async fn next(&mut self) -> Option<Result<Page<E::Item>, Error>> {
        let request = match next_page(&mut self.pager)? {
            Ok(request) => request,
            Err(error) => return Some(Err(error)),
        };
        let page = self.client.send(&request).await;
        Some(on_page(&mut self.pager, page))
    }
}

/// The items of a list, fetched page by page; see [`AsyncClient::items`].
#[derive(Debug)]
pub struct AsyncItems<'a, E: Paginated, T, C> {
    pages: AsyncPages<'a, E, T, C>,
    page: vec::IntoIter<E::Item>,
}

impl<E: Paginated, T: AsyncTransport, C: AsyncClock> AsyncItems<'_, E, T, C> {
    /// The next item; `None` once the walk is over.
    pub async fn next(&mut self) -> Option<Result<E::Item, Error>> {
        loop {
            if let Some(item) = self.page.next() {
                return Some(Ok(item));
            }
            match self.pages.next().await? {
                Ok(page) => self.page = page.items.into_iter(),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

/// A marketplace app's client for one tenant; see [`AsyncClient::tenant`].
#[derive(Clone)]
pub struct AsyncTenant<T, C> {
    client: AsyncClient<T, C>,
    tenant_key: Arc<str>,
}

impl<T: AsyncTransport, C: AsyncClock> AsyncTenant<T, C> {
    /// Calls an endpoint with this tenant's token, fetched and cached on the way.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let call = self.client.core.call(endpoint);
        self.client
            .run(call.for_tenant(self.tenant_key.clone()), endpoint)
            .await
    }
}

impl<T, C> fmt::Debug for AsyncTenant<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncTenant")
            .field("client", &self.client)
            .field("tenant_key", &self.tenant_key)
            .finish()
    }
}
