//! `tracing` for the drivers' calls and the webhook's deliveries (feature
//! `tracing`, which the adapters turn on by default): the core's per-call [`Observer`] facts as one
//! `feishu.call` span per call, with an event per request (token requests
//! included), per wait (and why) and per shared-store operation. Never a
//! token, a secret or a body.
//!
//! | span / event | level | fields |
//! | --- | --- | --- |
//! | `feishu.call` span | info | `endpoint`, `method`, `path` (template), then `attempts`, `token_requests`, `status`, `code`, `log_id`, `waited_ms`, `outcome`, `store_unavailable` |
//! | `attempt` | debug | `attempt`, `status`, `code`, `log_id`, `elapsed_ms`, `transport_error` |
//! | `token request` | info | `path`, `status`, `code`, `log_id`, `elapsed_ms`, `transport_error` |
//! | `waited` | debug | `reason` (`retry`, `rate_limit`, `token_refresh`), `waited_ms` |
//! | `shared store` | trace (warn when unavailable) | `operation`, `outcome` |
//! | `call failed` / `call done` | warn / debug | `elapsed_ms` (the span has the rest) |
//! | `feishu.webhook` ([`delivery`]) | info (warn when rejected) | `delivery`, `event_id`, `event_type`, `status` |

use crate::driver::{
    Attempt, CallEvent, CallInfo, CallObserver, CallSummary, Observer, Outcome, Purpose,
    StoreOutcome, Watching,
};
#[cfg(feature = "events")]
use crate::event::{Delivery, Handled};
use tracing::field::Empty;
use tracing::{Span, debug, info, info_span, trace, warn};

/// The observer the client is built with: one span per call, when a
/// subscriber wants it (and nothing at all otherwise).
#[derive(Clone, Copy, Debug, Default)]
pub struct Tracing;

impl Observer for Tracing {
    fn start(&self, call: &CallInfo) -> Watching {
        let span = info_span!(
            "feishu.call",
            endpoint = call.endpoint,
            method = %call.method,
            path = Empty,
            attempts = Empty,
            token_requests = Empty,
            status = Empty,
            code = Empty,
            log_id = Empty,
            waited_ms = Empty,
            outcome = Empty,
            store_unavailable = Empty,
        );
        if span.is_disabled() {
            return Watching::Not;
        }
        // A raw endpoint's path is known once its request is built.
        let path_known = !call.path.is_empty();
        if path_known {
            span.record("path", &*call.path);
        }
        Watching::Steps(Box::new(CallSpan { span, path_known }))
    }
}

struct CallSpan {
    span: Span,
    path_known: bool,
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn attempt(span: &Span, attempt: &Attempt) {
    let status = attempt.status.map(|status| status.as_u16());
    let transport_error = attempt.transport_error.map(tracing::field::debug);
    match attempt.purpose {
        Purpose::Token => info!(
            parent: span,
            path = %attempt.path,
            status,
            code = attempt.code,
            log_id = attempt.log_id.as_deref(),
            elapsed_ms = millis(attempt.elapsed),
            transport_error,
            "token request"
        ),
        _ => debug!(
            parent: span,
            attempt = attempt.number,
            status,
            code = attempt.code,
            log_id = attempt.log_id.as_deref(),
            elapsed_ms = millis(attempt.elapsed),
            transport_error,
            "attempt"
        ),
    }
}

impl CallObserver for CallSpan {
    fn on_event(&mut self, event: &CallEvent<'_>) {
        let span = &self.span;
        match event {
            CallEvent::Attempt(a) => attempt(span, a),
            CallEvent::Waited { reason, duration } => debug!(
                parent: span,
                reason = reason.as_str(),
                waited_ms = millis(*duration),
                "waited"
            ),
            CallEvent::Stored {
                operation,
                outcome: StoreOutcome::Unavailable,
            } => warn!(
                parent: span,
                operation,
                "shared store unavailable: the call goes on with this process's tokens"
            ),
            CallEvent::Stored { operation, outcome } => {
                trace!(parent: span, operation, outcome = ?outcome, "shared store");
            }
        }
    }

    fn on_end(self: Box<Self>, summary: &CallSummary) {
        let span = &self.span;
        if !self.path_known && !summary.call.path.is_empty() {
            span.record("path", &*summary.call.path);
        }
        span.record("attempts", summary.attempts);
        span.record("token_requests", summary.token_requests);
        if let Some(status) = summary.status {
            span.record("status", status.as_u16());
        }
        if let Some(code) = summary.code {
            span.record("code", code);
        }
        if let Some(log_id) = &summary.log_id {
            span.record("log_id", log_id.as_str());
        }
        span.record("waited_ms", millis(summary.waited));
        span.record("outcome", summary.outcome.as_str());
        span.record("store_unavailable", summary.store_unavailable);
        if summary.outcome == Outcome::Ok {
            debug!(parent: span, elapsed_ms = millis(summary.elapsed), "call done");
        } else {
            // The outcome, code and log id are the span's fields.
            warn!(parent: span, elapsed_ms = millis(summary.elapsed), "call failed");
        }
    }
}

/// Records a webhook delivery (what [`Webhook::handle`] returned) as a
/// `feishu.webhook` event: its kind, event id and type, and the status
/// answered. Never the body.
///
/// [`Webhook::handle`]: crate::event::Webhook::handle
#[cfg(feature = "events")]
pub fn delivery(handled: &Handled) {
    let status = handled.response.status().as_u16();
    match &handled.delivery {
        Delivery::Event(event) => info!(
            target: "feishu.webhook",
            delivery = "event",
            event_id = event.event_id.as_deref(),
            event_type = %event.event_type,
            status,
            "webhook delivery"
        ),
        Delivery::Duplicate { event_id } => info!(
            target: "feishu.webhook",
            delivery = "duplicate",
            event_id = %event_id,
            status,
            "webhook delivery"
        ),
        Delivery::Rejected(error) => warn!(
            target: "feishu.webhook",
            delivery = "rejected",
            error = %error,
            status,
            "webhook delivery"
        ),
        Delivery::CardAction(_) => {
            info!(target: "feishu.webhook", delivery = "card_action", status, "webhook delivery");
        }
        Delivery::Challenge => {
            info!(target: "feishu.webhook", delivery = "challenge", status, "webhook delivery");
        }
    }
}
