//! The sans-IO core of feishu-rs, a Rust SDK for the Feishu / Lark Open Platform.
//!
//! This crate turns every API call into an [`http::Request`] and turns response
//! bytes into typed results. It opens no sockets, reads no clock, sleeps never
//! and draws no random numbers, so it runs on any HTTP stack: use an adapter
//! (`feishu-reqwest`, `feishu-ureq`) or send the requests yourself.
//!
//! ```
//! use feishu_core::{Config, Endpoint, auth::TenantAccessTokenRequest};
//!
//! // The same dispatch as open-feishu's get_tenant_access_token(input_a, input_b).
//! let endpoint = TenantAccessTokenRequest::from_inputs("cli_slkdjalasdkjasd", "dskLLdkasdjlasdKK")?;
//! let request = feishu_core::build(&Config::feishu(), &endpoint, None)?;
//!
//! // Send `request` with any HTTP client, then hand the response back:
//! let response = http::Response::new(
//!     br#"{"code":0,"msg":"ok","tenant_access_token":"t-caecc734c2e3328a62489fe0648c4b98779515d3","expire":7200}"#.to_vec(),
//! );
//! let token = endpoint.parse(response)?;
//! assert_eq!(token.expire, 7200);
//! assert_eq!(format!("{:?}", token.tenant_access_token), "***");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod api_error;
mod app;
pub mod auth;
mod call;
mod client;
pub mod codes;
mod config;
pub mod download;
pub mod driver;
mod endpoint;
mod envelope;
mod error;
#[cfg(feature = "events")]
pub mod event;
pub mod im;
mod multipart;
mod pager;
mod raw;
mod retry;
mod secret;
pub mod store;
mod token_store;
mod transport;
mod user;

pub use http;

pub use api_error::{ApiError, ErrorDetail, ErrorDetails, PermissionViolation, UnexpectedResponse};
pub use app::{App, AppKind};
pub use call::single_flight::Waker;
pub use call::{Call, Step};
pub use client::Client;
pub use config::{
    Config, ConfigError, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, DEFAULT_TOKEN_REFRESH_MARGIN,
    DEFAULT_USER_AGENT, FEISHU_ACCOUNTS_URL, FEISHU_BASE_URL, LARK_ACCOUNTS_URL, LARK_BASE_URL,
};
pub use endpoint::{
    Body, BodyKind, Endpoint, Host, Metadata, Query, Timeout, TokenKind, WithTimeout, build,
    segment,
};
pub use envelope::Shape;
pub use error::{Error, InvalidRequest, Misuse, ParseError};
pub use pager::{Page, Pager, Paginated, PaginationError};
pub use raw::RawEndpoint;
pub use retry::{Exhausted, Failure, RetryPolicy};
pub use secret::Secret;
pub use store::{Fence, StoreAnswer, StoreOp};
pub use token_store::{CachedToken, CredentialKind, MemoryTokenStore, TokenKey, TokenStore};
pub use transport::{TransportError, TransportErrorKind};
pub use user::UserToken;
