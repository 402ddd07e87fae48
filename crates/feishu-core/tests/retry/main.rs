//! The retry policy (`RetryPolicy`, `Failure`, `Exhausted`) as the call state
//! machine applies it: which failures are retried for which requests, how long
//! the call waits, and when it gives up. Driven by hand on a simulated clock:
//! no network, no sleeps. The rules are those of feishu-protocol.md §3.3–§4.
//!
//! Tests marked `#[ignore = "bug: …"]` describe behaviour the machine should
//! have and does not yet; each names the defect.

mod backoff;
mod budget;
mod business;
mod harness;
mod odd;
mod rate_limits;
mod repair;
mod server_faults;
mod tokens;
mod transport;
mod uuid;
