//! The webhook pipeline serving real HTTP: an axum server on 127.0.0.1 runs
//! `feishu_core::event::Webhook`, and feishu-mock delivers events to it as
//! Feishu does (signed and encrypted, or token-only), redelivering when the
//! answer is late.

mod app_ticket;
mod delivery;
mod server;
