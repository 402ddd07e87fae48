//! A fake Feishu / Lark Open Platform server on `127.0.0.1`, for tests and for
//! trying a bot offline.
//!
//! The server runs on its own OS thread with its own tokio runtime, so it can be
//! started from plain sync code or from inside any tokio runtime, and it stops
//! when the [`MockServer`] is dropped.
//!
//! It speaks the parts of the protocol a client needs to prove its plumbing:
//!
//! - the five `auth/v3` endpoints (self-built and marketplace app tokens, tenant
//!   tokens, `app_ticket/resend`), with Feishu's flat bodies, error codes and the
//!   30-minute re-issue rule;
//! - the OAuth v2 user token endpoint `POST /open-apis/authen/v2/oauth/token`
//!   (code exchange and refresh-token rotation, with Feishu's 200xx error
//!   codes), fed by [`MockServer::authorize`] in place of a browser;
//! - `GET /open-apis/authen/v1/user_info`, which checks a user access token;
//! - `GET /open-apis/im/v1/chats`, which checks `Authorization: Bearer <tenant token>`
//!   and tells an expired token (99991677) from an invalid one (99991663);
//! - `POST /open-apis/im/v1/messages`, which validates and stores a message
//!   (see [`MockServer::messages`]) with Feishu's size limits (230025) and
//!   `uuid` dedup: a repeated `uuid` within an hour gets the first message back;
//! - a plain-text 404 for any other path;
//! - an `X-Tt-Logid` header on every response, repeated as `error.log_id` in
//!   JSON error bodies.
//!
//! Scripted [`Fault`]s (a status, a body, a delay, an answer lost after the
//! request was handled, a connection closed unanswered or cut mid-body) can be
//! queued per path, also for paths the mock does not implement, and
//! [`MockServer::hits`] counts requests.
//! [`MockServer::revoke_tokens`] and [`MockServer::rotate_app_ticket`] pull the
//! credentials out from under a client, and [`MockServer::tokens_issued`] counts
//! the tokens it fetched.
//!
//! # Example
//!
//! ```
//! use feishu_mock::{Fault, MockServer};
//!
//! let server = MockServer::start();
//! let path = "/open-apis/auth/v3/tenant_access_token/internal";
//! server.inject(path, Fault::status(503));
//! // The next request to `path` gets an empty 503, the one after it a token.
//! assert_eq!(server.hits(path), 0);
//! assert!(server.url().starts_with("http://127.0.0.1:"));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod auth;
mod bearer;
mod builder;
mod connection;
mod fault;
mod ids;
mod im;
mod intercept;
mod messages;
mod oauth;
mod query;
mod reply;
mod request_body;
mod server;
mod state;
mod tokens;
mod user_info;
mod users;

pub use builder::MockServerBuilder;
pub use fault::Fault;
pub use messages::StoredMessage;
pub use server::MockServer;

/// `app_id` of the self-built app every mock server knows.
pub const SELF_BUILT_APP_ID: &str = "cli_mock_self_built";
/// `app_secret` of the default self-built app.
pub const SELF_BUILT_APP_SECRET: &str = "mock-self-built-secret";
/// `app_id` of the marketplace (store) app every mock server knows.
pub const MARKETPLACE_APP_ID: &str = "cli_mock_marketplace";
/// `app_secret` of the default marketplace app.
pub const MARKETPLACE_APP_SECRET: &str = "mock-marketplace-secret";
/// The `app_ticket` the default marketplace app accepts.
pub const MARKETPLACE_APP_TICKET: &str = "mock-app-ticket";
/// The one tenant that installed the default marketplace app.
pub const MARKETPLACE_TENANT_KEY: &str = "mock_tenant_1";
/// The `open_id` of the user the examples authorize; any `open_id` may be
/// passed to [`MockServer::authorize`], though.
pub const MOCK_USER_OPEN_ID: &str = "ou_mock_user";
