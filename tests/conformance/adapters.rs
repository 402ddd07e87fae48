//! The adapters under test, behind the suite's blocking [`Adapter`] trait.

use std::sync::{Arc, Barrier};
use std::thread;

use feishu_core::auth::TenantAccessToken;
use feishu_core::{
    Config, Endpoint, Error, Page, Pager, Paginated, Secret, TransportError, UserToken,
};
use futures_util::StreamExt;

use crate::Adapter;

/// `feishu-ureq`, called directly.
pub struct Ureq(feishu_ureq::Client);

impl Adapter for Ureq {
    const CONCURRENCY: usize = 8;

    fn new(config: Config) -> Self {
        Self(feishu_ureq::Client::new(config))
    }
    fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.0.send(endpoint)
    }
    fn send_with_token<E: Endpoint>(
        &self,
        endpoint: &E,
        token: &Secret,
    ) -> Result<E::Output, Error> {
        self.0.send_with_token(endpoint, token)
    }
    fn tenant_access_token(&self, a: &str, b: &str) -> Result<TenantAccessToken, Error> {
        self.0.tenant_access_token(a, b)
    }
    fn send_as<E: Endpoint>(&self, endpoint: &E, user: &UserToken) -> Result<E::Output, Error> {
        self.0.send_as(endpoint, user)
    }
    fn send_in_tenant<E: Endpoint>(&self, tenant: &str, endpoint: &E) -> Result<E::Output, Error> {
        self.0.tenant(tenant).send(endpoint)
    }
    fn set_app_ticket(&self, ticket: &str) -> Result<(), Error> {
        self.0.set_app_ticket(ticket)
    }
    fn user_token(&self, code: &str) -> Result<UserToken, Error> {
        self.0.user_token(code, None)
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
    fn pages<E>(&self, list: Pager<E>) -> Vec<Result<Page<E::Item>, Error>>
    where
        E: Paginated + Send + Sync + 'static,
        E::Item: Send,
    {
        self.0.pages(list).collect()
    }
    fn items<E>(&self, list: Pager<E>) -> Vec<Result<E::Item, Error>>
    where
        E: Paginated + Send + Sync + 'static,
        E::Item: Send,
    {
        self.0.items(list).collect()
    }
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.0.execute(request)
    }
}

/// `feishu-reqwest`, each call driven to completion on a multi-thread tokio
/// runtime (so the futures are proven `Send`).
pub struct Reqwest {
    runtime: tokio::runtime::Runtime,
    client: feishu_reqwest::Client,
}

impl Adapter for Reqwest {
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
    fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.runtime.block_on(self.client.send(endpoint))
    }
    fn send_with_token<E: Endpoint>(
        &self,
        endpoint: &E,
        token: &Secret,
    ) -> Result<E::Output, Error> {
        self.runtime
            .block_on(self.client.send_with_token(endpoint, token))
    }
    fn tenant_access_token(&self, a: &str, b: &str) -> Result<TenantAccessToken, Error> {
        self.runtime.block_on(self.client.tenant_access_token(a, b))
    }
    fn send_as<E: Endpoint>(&self, endpoint: &E, user: &UserToken) -> Result<E::Output, Error> {
        self.runtime.block_on(self.client.send_as(endpoint, user))
    }
    fn send_in_tenant<E: Endpoint>(&self, tenant: &str, endpoint: &E) -> Result<E::Output, Error> {
        self.runtime
            .block_on(self.client.tenant(tenant).send(endpoint))
    }
    fn set_app_ticket(&self, ticket: &str) -> Result<(), Error> {
        self.client.set_app_ticket(ticket)
    }
    fn user_token(&self, code: &str) -> Result<UserToken, Error> {
        self.runtime.block_on(self.client.user_token(code, None))
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
    fn pages<E>(&self, list: Pager<E>) -> Vec<Result<Page<E::Item>, Error>>
    where
        E: Paginated + Send + Sync + 'static,
        E::Item: Send,
    {
        self.runtime
            .block_on(self.client.pages(list).collect::<Vec<_>>())
    }
    fn items<E>(&self, list: Pager<E>) -> Vec<Result<E::Item, Error>>
    where
        E: Paginated + Send + Sync + 'static,
        E::Item: Send,
    {
        self.runtime
            .block_on(self.client.items(list).collect::<Vec<_>>())
    }
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.runtime.block_on(self.client.execute(request))
    }
}
