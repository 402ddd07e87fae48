//! Black-box tests of the mock server over real HTTP, with ureq as the client.

mod auth;
mod chats;
mod credentials;
mod dropped;
mod events;
mod faults;
mod follow_up;
mod forward;
mod header_case;
mod history;
mod lifecycle;
mod members;
mod message_ops;
mod messages;
mod oauth;
mod oauth_v3;
mod receiver;
mod redelivery;
mod support;
mod tamper;
mod tokens;
mod uploads;
mod user_info;
