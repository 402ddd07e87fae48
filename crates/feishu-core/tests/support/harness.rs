//! The call-machine harness: `Call` driven by hand on a simulated clock, with
//! no network, no sleeps and no threads. The `call` and `retry` test crates
//! both include it (`#[path = "../support/harness.rs"] mod harness;`).
//!
//! - the clock ([`t0`], [`after`]), the sample app's credentials and tokens,
//!   clients and endpoints (this file);
//! - [`Answer`]: what the server or the transport does with one request, and
//!   the canned answers of Feishu's token and API pages (`answer.rs`);
//! - [`Sent`]: a request the call sent, taken apart for assertions (`sent.rs`);
//! - [`Server`]: a closure routing by path, or a [`Script`] that expects an
//!   exact sequence of requests (`server.rs`);
//! - [`drive`], which runs a call to its end against a server, and [`Run`],
//!   which steps one call by hand: each test reads as a script of (answer →
//!   expected next step) (`run.rs`).

// Each test crate uses only part of the harness.
#![allow(dead_code)]

#[path = "harness/answer.rs"]
mod answer;
#[path = "harness/run.rs"]
mod run;
#[path = "harness/sent.rs"]
mod sent;
#[path = "harness/server.rs"]
mod server;

pub use answer::*;
pub use run::*;
pub use sent::*;
pub use server::*;

use std::time::{Duration, SystemTime};

use feishu_core::im::content::MessageContent;
use feishu_core::im::message::{ReceiveIdType, SendMessage};
use feishu_core::{App, Client, Config, RawEndpoint, RetryPolicy, TokenKind};
use serde_json::{Value, json};

// Credentials and tokens: the placeholders of Feishu's token pages.
pub const APP_ID: &str = "cli_slkdjalasdkjasd";
pub const APP_SECRET: &str = "dskLLdkasdjlasdKK";
pub const TENANT_TOKEN: &str = "t-caecc734c2e3328a62489fe0648c4b98779515d3";
pub const TENANT_TOKEN_2: &str = "t-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef";
pub const APP_TOKEN: &str = "a-6U1SbDiM6XIH2DcTCPyeub";
pub const APP_TOKEN_2: &str = "a-32bd8551db2f081cbfd26293f27516390b9feb04";
pub const APP_TICKET: &str = "dskLLdkasd";
pub const TENANT_KEY: &str = "73658811060f175d";
pub const OTHER_TENANT_KEY: &str = "2ed263bf32cf1651";
pub const USER_ACCESS: &str = "eyJhbGciOiJFUzI1NiIs.access-1";
pub const USER_ACCESS_2: &str = "eyJhbGciOiJFUzI1NiIs.access-2";
pub const USER_ACCESS_3: &str = "eyJhbGciOiJFUzI1NiIs.access-3";
pub const USER_REFRESH: &str = "eyJhbGciOiJFUzI1NiIs.refresh-1";
pub const USER_REFRESH_2: &str = "eyJhbGciOiJFUzI1NiIs.refresh-2";
pub const USER_REFRESH_3: &str = "eyJhbGciOiJFUzI1NiIs.refresh-3";
/// The log id every JSON answer of [`json_reply`] carries.
pub const LOG_ID: &str = "202407260711088FB107A76E0100002087";
pub const CHAT_ID: &str = "oc_a0553eda9014c201e6969b478895c230";

// Paths.
pub const TENANT_TOKEN_INTERNAL: &str = "/open-apis/auth/v3/tenant_access_token/internal";
pub const APP_TOKEN_INTERNAL: &str = "/open-apis/auth/v3/app_access_token/internal";
pub const APP_TOKEN_STORE: &str = "/open-apis/auth/v3/app_access_token";
pub const TENANT_TOKEN_STORE: &str = "/open-apis/auth/v3/tenant_access_token";
pub const TICKET_RESEND: &str = "/open-apis/auth/v3/app_ticket/resend";
pub const OAUTH_TOKEN: &str = "/oauth/v3/token";
pub const CHATS: &str = "/open-apis/im/v1/chats";
pub const MESSAGES: &str = "/open-apis/im/v1/messages";
pub const APP_INFO: &str = "/open-apis/application/v6/applications/cli_slkdjalasdkjasd";
pub const USER_INFO: &str = "/open-apis/authen/v1/user_info";

/// The default policy's first backoff cap.
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(250);

// ---------------------------------------------------------------- the clock

/// The simulated clock's origin.
pub fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// `t0` plus `secs` seconds.
pub fn after(secs: u64) -> SystemTime {
    t0() + Duration::from_secs(secs)
}

pub fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ------------------------------------------------------- clients, endpoints

/// A Feishu client for the self-built sample app.
pub fn self_built() -> Client {
    Client::new(self_built_config(), 0x5eed)
}

/// The same, with retries off: every failure ends the call.
pub fn self_built_never_retrying() -> Client {
    client(RetryPolicy::never())
}

pub fn self_built_config() -> Config {
    Config::feishu().with_app(App::self_built(APP_ID, APP_SECRET))
}

/// The self-built sample app with this retry policy.
pub fn client(policy: RetryPolicy) -> Client {
    Client::new(self_built_config().with_retry_policy(policy), 0x5eed)
}

/// The default policy, changed by `edit`.
pub fn policy(edit: impl FnOnce(&mut RetryPolicy)) -> RetryPolicy {
    let mut policy = RetryPolicy::default();
    edit(&mut policy);
    policy
}

/// A Feishu client for the sample app as a marketplace app.
pub fn marketplace() -> Client {
    Client::new(
        Config::feishu().with_app(App::marketplace(APP_ID, APP_SECRET)),
        0x5eed,
    )
}

/// `GET /open-apis/im/v1/chats`: a tenant-token endpoint.
pub fn chats() -> RawEndpoint {
    RawEndpoint::get(CHATS)
}

/// The same endpoint, seen as the idempotent request of the retry tests.
pub fn get() -> RawEndpoint {
    chats()
}

/// A raw `POST /open-apis/im/v1/messages`: not idempotent, takes no uuid.
pub fn post() -> RawEndpoint {
    RawEndpoint::post(
        MESSAGES,
        json!({"receive_id": CHAT_ID, "msg_type": "text", "content": "{\"text\":\"hi\"}"}),
    )
    .query("receive_id_type", "chat_id")
}

/// The typed send: a POST that the call gives a uuid.
pub fn send_message() -> SendMessage {
    SendMessage::to(ReceiveIdType::ChatId, CHAT_ID, MessageContent::text("hi"))
}

/// `GET /open-apis/application/v6/applications/:app_id`: an app-token endpoint.
pub fn app_info() -> RawEndpoint {
    RawEndpoint::get(APP_INFO).token(TokenKind::App)
}

/// `GET /open-apis/authen/v1/user_info`: a user-token endpoint.
pub fn user_info() -> RawEndpoint {
    RawEndpoint::get(USER_INFO).token(TokenKind::User)
}

/// The `data` the chats endpoint answers with.
pub fn chat_list() -> Value {
    json!({"items": [{"chat_id": CHAT_ID, "name": "ops"}], "has_more": false})
}
