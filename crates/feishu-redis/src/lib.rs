//! Redis for a fleet of feishu-rs replicas: what one replica learns, the
//! others use.
//!
//! - [`RedisStore`] (blocking, feature `blocking`, for feishu-ureq) and
//!   [`AsyncRedisStore`] (feature `tokio`, for feishu-reqwest): the shared
//!   store of the core's [store seam](feishu_core::store). Tokens and app
//!   tickets are keyed by [`TokenKey`](feishu_core::TokenKey)'s display form
//!   and expire with the token; a token refresh takes a fleet-wide lock with
//!   an expiry (a crashed holder never blocks the fleet) and a fence (a slow
//!   holder cannot overwrite a newer token), so 64 cold calls across the
//!   fleet fetch one token.
//! - [`RedisSeenStore`]: the webhook's event dedup, `SET NX` with the dedup
//!   window as expiry, so a redelivery is handled once whichever replica it
//!   reaches.
//!
//! Redis unreachable or slow: every operation is bounded ([`Options`]), calls
//! go on from their process's cache and fetch their own tokens (degraded),
//! dedup falls back to the process, and a warning is logged (`tracing`
//! feature); nothing fails because of Redis, nor waits past its deadline.
//!
//! # Keys
//!
//! Under the [prefix](Options::prefix) (`feishu-rs:` by default), a
//! credential's keys share a hash tag, so a Redis Cluster keeps them in one
//! slot:
//!
//! | key | holds |
//! | --- | --- |
//! | `{<TokenKey>}` | `<expires_ms>:<refresh_ms>:<token>`, expiring with the token |
//! | `{<TokenKey>}:lock` | the refresh lock's fence, expiring with the lock |
//! | `{<TokenKey>}:fence` | the last fence issued (`INCR`) |
//! | `event:<event_id>` | a claimed event, expiring after the dedup window |
//!
//! Nothing here prints a token or the Redis URL's password: `Debug` and the
//! logs name Redis by address.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "blocking")]
mod blocking;
mod health;
mod keys;
mod log;
#[cfg(feature = "tokio")]
mod nonblocking;
#[cfg(any(feature = "blocking", feature = "tokio"))]
mod ops;
mod options;
mod pool;
mod seen;
mod target;

#[cfg(feature = "blocking")]
pub use blocking::RedisStore;
#[cfg(feature = "tokio")]
pub use nonblocking::AsyncRedisStore;
pub use options::Options;
pub use seen::RedisSeenStore;
pub use target::InvalidUrl;

use target::Target;
