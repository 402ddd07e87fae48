//! The adapters under test, behind the suite's blocking [`Adapter`] trait.

use feishu_core::auth::TenantAccessToken;
use feishu_core::{Config, Endpoint, Error, Secret, TransportError};

use crate::Adapter;

/// `feishu-ureq`, called directly.
pub struct Ureq(feishu_ureq::Client);

impl Adapter for Ureq {
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
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.0.execute(request)
    }
}

/// `feishu-reqwest`, each call driven to completion on a tokio runtime.
pub struct Reqwest {
    runtime: tokio::runtime::Runtime,
    client: feishu_reqwest::Client,
}

impl Adapter for Reqwest {
    fn new(config: Config) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
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
    fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.runtime.block_on(self.client.execute(request))
    }
}
