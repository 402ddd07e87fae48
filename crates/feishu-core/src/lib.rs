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
//!
//! # Map
//!
//! The modules follow a call from the caller's value to the typed answer:
//!
//! | layer | modules | what it does |
//! |---|---|---|
//! | the APIs | [`auth`], [`im`], [`cardkit`], [`card`] | one file per Feishu API, declared as data ([`endpoint!`]); the Card JSON 2.0 builder and the CardKit streaming machine |
//! | the wire | `wire`: [`Endpoint`], [`build`], [`Shape`], [`RawEndpoint`], [`Pager`], [`download`] | an endpoint's facts into an `http::Request`, the response bytes back into its output or a [`ParseError`] |
//! | the call | `call`: [`Client`], [`Call`], [`RetryPolicy`], [`TokenStore`], [`UserToken`], [`store`] | one call as a state machine: tokens (cache, single flight, the shared store), retries, repair |
//! | the drivers | [`driver`] | the loop that runs calls over a transport and a clock the caller supplies, blocking or async |
//! | receiving | `event` (feature `events`), `long_connection` (feature `long-connection`) | webhook verification and decryption, typed v1 and v2 events, one dispatcher for both channels; the WebSocket frame codec and session machine |
//! | foundations | [`Config`], [`App`], [`Secret`], [`codes`], [`Error`] | settings, credentials, Feishu's error codes, the error every call returns |
//!
//! Nothing here does I/O: `wire` is pure functions, `call` takes `now` and
//! hands out steps, and `driver` asks its caller to send and to sleep.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod api;
mod app;
mod call;
pub mod codes;
mod config;
pub mod driver;
mod error;
#[cfg(feature = "events")]
pub mod event;
#[cfg(feature = "long-connection")]
pub mod long_connection;
mod secret;
mod wire;

pub use api::{auth, card, cardkit, im};
pub use call::store;
pub use wire::download;
pub use wire::generated;
pub use wire::generated::{DepartmentIdType, UserIdType};

pub use http;
// For `string_enum!`, so generated crates need no serde of their own for it.
#[doc(hidden)]
pub use serde;

pub use app::{App, AppKind};
pub use call::client::Client;
pub use call::retry::{Exhausted, Failure, RetryPolicy};
pub use call::single_flight::Waker;
pub use call::store::{Fence, StoreAnswer, StoreOp};
pub use call::token_store::{CachedToken, CredentialKind, MemoryTokenStore, TokenKey, TokenStore};
pub use call::user::UserToken;
pub use call::{Call, Step};
pub use config::{
    Config, ConfigError, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, DEFAULT_TOKEN_REFRESH_MARGIN,
    DEFAULT_USER_AGENT, FEISHU_ACCOUNTS_URL, FEISHU_BASE_URL, LARK_ACCOUNTS_URL, LARK_BASE_URL,
};
pub use error::{Error, InvalidRequest, Misuse, ParseError};
pub use secret::Secret;
pub use wire::api_error::{
    ApiError, ErrorDetail, ErrorDetails, PermissionViolation, UnexpectedResponse,
};
pub use wire::endpoint::{
    Body, BodyKind, Endpoint, Host, Metadata, Query, Timeout, TokenKind, WithTimeout, build,
    segment,
};
pub use wire::envelope::Shape;
pub use wire::pager::{Page, Pager, Paginated, PaginationError};
pub use wire::raw::RawEndpoint;
pub use wire::transport::{TransportError, TransportErrorKind};
