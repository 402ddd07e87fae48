//! The adapters under test: what differs between them, and [`surface!`],
//! the suite's blocking view of any client, written once.

use std::future::Future;
use std::sync::{Arc, Barrier};
use std::thread;

use feishu_core::auth::TenantAccessToken;
use feishu_core::{
    Config, Endpoint, Error, Page, Pager, Paginated, Secret, TransportError, UserToken,
};
use futures_util::{FutureExt, StreamExt};

use crate::Adapter;

/// Implements [`Surface`](crate::Surface) for an adapter: each call made on
/// [`Adapter::client`] inside an async block, then `.await`ed if the adapter
/// is async (`surface!(Reqwest, .await)`), and run by [`Adapter::block_on`].
macro_rules! surface {
    ($adapter:ty $(, .$await:tt)?) => {
        impl crate::Surface for $adapter {
            fn send<E: Endpoint>(
                &self,
                endpoint: &E,
            ) -> Result<E::Output, Error> {
                self.block_on(async { self.client().send(endpoint) $(.$await)? })
            }
            fn send_with_token<E: Endpoint>(
                &self,
                endpoint: &E,
                token: &Secret,
            ) -> Result<E::Output, Error> {
                self.block_on(async { self.client().send_with_token(endpoint, token) $(.$await)? })
            }
            fn tenant_access_token(
                &self,
                a: &str,
                b: &str,
            ) -> Result<TenantAccessToken, Error> {
                self.block_on(async { self.client().tenant_access_token(a, b) $(.$await)? })
            }
            fn send_as<E: Endpoint>(
                &self,
                endpoint: &E,
                user: &UserToken,
            ) -> Result<E::Output, Error> {
                self.block_on(async { self.client().send_as(endpoint, user) $(.$await)? })
            }
            fn send_in_tenant<E: Endpoint>(
                &self,
                tenant: &str,
                endpoint: &E,
            ) -> Result<E::Output, Error> {
                self.block_on(async { self.client().tenant(tenant).send(endpoint) $(.$await)? })
            }
            fn set_app_ticket(&self, ticket: &str) -> Result<(), Error> {
                self.client().set_app_ticket(ticket)
            }
            fn user_token(&self, code: &str) -> Result<UserToken, Error> {
                self.block_on(async { self.client().user_token(code, None) $(.$await)? })
            }
            fn pages<E>(
                &self,
                list: Pager<E>,
            ) -> Vec<Result<Page<E::Item>, Error>>
            where
                E: Paginated + Send + Sync + 'static,
                E::Item: Send,
            {
                self.block_on(async { self.client().pages(list).collect::<Vec<_>>() $(.$await)? })
            }
            fn items<E>(&self, list: Pager<E>) -> Vec<Result<E::Item, Error>>
            where
                E: Paginated + Send + Sync + 'static,
                E::Item: Send,
            {
                self.block_on(async { self.client().items(list).collect::<Vec<_>>() $(.$await)? })
            }
            fn execute(
                &self,
                request: http::Request<Vec<u8>>,
            ) -> Result<http::Response<Vec<u8>>, TransportError> {
                self.block_on(async { self.client().execute(request) $(.$await)? })
            }
        }
    };
}

/// `feishu-ureq`, called directly.
pub struct Ureq(feishu_ureq::Client);

surface!(Ureq);

impl Adapter for Ureq {
    type Client = feishu_ureq::Client;
    const CONCURRENCY: usize = 8;

    fn new(config: Config) -> Self {
        Self(feishu_ureq::Client::new(config))
    }
    fn client(&self) -> &Self::Client {
        &self.0
    }
    fn block_on<F: Future>(&self, future: F) -> F::Output {
        future.now_or_never().expect("a blocking call never yields")
    }
    fn send_concurrently<E>(&self, endpoint: E) -> Vec<Result<E::Output, Error>>
    where
        E: Endpoint + Clone + Send + Sync + 'static,
        E::Output: Send + 'static,
    {
        let start = Barrier::new(Self::CONCURRENCY);
        thread::scope(|scope| {
            let calls: Vec<_> = (0..Self::CONCURRENCY)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        self.0.send(&endpoint)
                    })
                })
                .collect();
            calls
                .into_iter()
                .map(|call| call.join().expect("a call thread panicked"))
                .collect()
        })
    }
}

/// `feishu-reqwest`, each call driven to completion on a multi-thread tokio
/// runtime (so the futures are proven `Send`).
pub struct Reqwest {
    runtime: tokio::runtime::Runtime,
    client: feishu_reqwest::Client,
}

surface!(Reqwest, .await);

impl Adapter for Reqwest {
    type Client = feishu_reqwest::Client;
    const CONCURRENCY: usize = 64;

    fn new(config: Config) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let client = {
            let _guard = runtime.enter();
            feishu_reqwest::Client::new(config).expect("a reqwest client")
        };
        Self { runtime, client }
    }
    fn client(&self) -> &Self::Client {
        &self.client
    }
    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
    fn send_concurrently<E>(&self, endpoint: E) -> Vec<Result<E::Output, Error>>
    where
        E: Endpoint + Clone + Send + Sync + 'static,
        E::Output: Send + 'static,
    {
        let endpoint = Arc::new(endpoint);
        let start = Arc::new(tokio::sync::Barrier::new(Self::CONCURRENCY));
        let tasks: Vec<_> = (0..Self::CONCURRENCY)
            .map(|_| {
                let (client, endpoint, start) =
                    (self.client.clone(), endpoint.clone(), start.clone());
                self.runtime.spawn(async move {
                    start.wait().await;
                    client.send(&*endpoint).await
                })
            })
            .collect();
        self.runtime.block_on(async {
            let mut results = Vec::with_capacity(tasks.len());
            for task in tasks {
                results.push(task.await.expect("a call task panicked"));
            }
            results
        })
    }
}
