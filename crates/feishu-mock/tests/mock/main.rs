//! Black-box tests of the mock server over real HTTP, with ureq as the client.

mod auth;
mod chats;
mod credentials;
mod dropped;
mod events;
mod faults;
mod forward;
mod history;
mod lifecycle;
mod message_ops;
mod messages;
mod oauth;
mod receiver;
mod redelivery;
mod support;
mod tamper;
mod tokens;
mod uploads;
mod user_info;
