//! What the stores log, through `tracing` with the `tracing` feature and
//! nowhere without it. Never a token, never the Redis URL's password: a
//! store names its Redis by address only.

use std::fmt::Display;

/// Redis stopped answering: calls go on degraded.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn degraded(target: &str, what: &str, error: &dyn Display) {
    #[cfg(feature = "tracing")]
    tracing::warn!(
        redis = target,
        operation = what,
        error = %error,
        "Redis unavailable: tokens come from each process's cache and are fetched by each \
         process, event dedup is per process, until it answers again"
    );
}

/// Redis answers again.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn recovered(target: &str) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        redis = target,
        "Redis answers again: state is shared across the fleet"
    );
}

/// A stored entry did not read as a token.
#[cfg(any(feature = "blocking", feature = "tokio"))]
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn unreadable(target: &str, what: &str) {
    #[cfg(feature = "tracing")]
    tracing::warn!(
        redis = target,
        operation = what,
        "Redis answered something this store did not write; treated as unavailable"
    );
}
