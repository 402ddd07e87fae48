//! Black-box tests of the mock server over real HTTP, with ureq as the client.

mod auth;
mod chats;
mod faults;
mod lifecycle;
mod support;
mod tokens;
