//! The call state machine (`Client::call` → `Call::poll` / `on_response` /
//! `on_transport_error`), driven by hand against a scripted server on a
//! simulated clock: no network, no sleeps, no threads.
//!
//! Each test is a script: what the call sends, in order, what the server
//! answers, and what the call returns. The samples are those of Feishu's
//! token endpoint pages and its
//! [generic error codes](https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code).

mod expiry;
mod failures;
#[path = "../support/harness.rs"]
mod harness;
mod marketplace;
mod repair;
mod secrets;
mod single_flight;
mod store;
mod tenant;
mod user;
