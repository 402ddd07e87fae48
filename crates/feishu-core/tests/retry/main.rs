//! The retry policy (`RetryPolicy`, `Failure`, `Exhausted`) as the call state
//! machine applies it: which failures are retried for which requests, how long
//! the call waits, and when it gives up. Driven by hand on a simulated clock:
//! no network, no sleeps. The rules follow Feishu's
//! [generic error codes](https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code)
//! and [rate limits](https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control).
//!
//! Tests marked `#[ignore = "bug: …"]` describe behaviour the machine should
//! have and does not yet; each names the defect.

mod backoff;
mod budget;
mod business;
#[path = "../support/harness.rs"]
mod harness;
mod odd;
mod rate_limits;
mod repair;
mod server_faults;
mod tokens;
mod transport;
mod uuid;
