//! Black-box tests of the mock server over real HTTP, with ureq as the client.

mod auth;
mod chats;
mod credentials;
mod dropped;
mod faults;
mod lifecycle;
mod messages;
mod oauth;
mod support;
mod tokens;
mod user_info;
