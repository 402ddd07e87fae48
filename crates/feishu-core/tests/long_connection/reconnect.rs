//! Reconnect: after a drop, a random part of `ReconnectNonce`, then a
//! fresh bootstrap every `ReconnectInterval`, at most `ReconnectCount`
//! attempts; fatal answers stop. And shutdown: drain, ACK, close, done.

use std::collections::BTreeSet;

use feishu_core::TransportErrorKind;
use feishu_core::long_connection::{AttemptError, SessionError};
use serde_json::json;

use crate::*;

/// Drops the connection and returns when the first bootstrap goes out.
fn drop_and_first_retry(harness: &mut Harness) -> std::time::Duration {
    let dropped_at = harness.now;
    harness.session.on_closed(harness.now);
    let round = harness.round();
    assert!(round.sent.is_empty(), "not at once");
    let round = harness.wake();
    assert_eq!(round.sent.len(), 1, "{round:?}");
    harness.now.duration_since(dropped_at).expect("later")
}

/// Fails the attempt in flight with a retryable error.
fn fail_attempt(harness: &mut Harness) -> Round {
    harness
        .session
        .on_transport_error(TransportErrorKind::Connect, harness.now);
    harness.round()
}

#[test]
fn the_first_retry_waits_a_random_part_of_the_nonce() {
    let mut waits = BTreeSet::new();
    for seed in 0..50 {
        let mut harness = Harness::with(Options::default(), seed);
        harness.connect_with(quick());
        let wait = drop_and_first_retry(&mut harness);
        assert!(wait < secs(2), "{wait:?}");
        waits.insert(wait);
    }
    assert!(
        waits.len() > 40,
        "the jitter varies with the seed: {waits:?}"
    );
    // The same seed waits the same.
    let replay = |seed| {
        let mut harness = Harness::with(Options::default(), seed);
        harness.connect_with(quick());
        drop_and_first_retry(&mut harness)
    };
    assert_eq!(replay(7), replay(7));
}

#[test]
fn every_reconnect_bootstraps_afresh_and_pings_at_once() {
    let mut harness = Harness::connected(quick());
    for _ in 0..3 {
        let _ = drop_and_first_retry(&mut harness);
        harness
            .session
            .on_response(endpoint_ok(quick()), harness.now);
        let round = harness.round();
        assert_eq!(round.connect.len(), 1);
        harness.session.on_connected(harness.now);
        let round = harness.round();
        assert_eq!(round.pings(), 1);
    }
    let stats = harness.session.stats();
    assert_eq!(
        (stats.bootstraps, stats.connects, stats.disconnects),
        (4, 4, 3)
    );
}

#[test]
fn failed_attempts_wait_the_interval_and_stop_after_the_count() {
    let mut harness = Harness::connected(quick());
    let _ = drop_and_first_retry(&mut harness);
    // ReconnectCount 3: three attempts, each ReconnectInterval (10 s) apart.
    let round = fail_attempt(&mut harness);
    assert_eq!(round.wait, Some(harness.now + secs(10)));
    let round = harness.wake();
    assert_eq!(round.sent.len(), 1);
    let _ = fail_attempt(&mut harness);
    let round = harness.wake();
    assert_eq!(round.sent.len(), 1);
    let round = fail_attempt(&mut harness);
    assert!(
        matches!(
            round.done,
            Some(Err(SessionError::GaveUp {
                attempts: 3,
                last: AttemptError::Transport(TransportErrorKind::Connect)
            }))
        ),
        "{round:?}"
    );
    // Over: polled again, it says so.
    assert!(matches!(
        harness.round().done,
        Some(Err(SessionError::Over))
    ));
}

#[test]
fn a_negative_count_retries_forever() {
    let mut harness = Harness::connected(
        json!({"ReconnectCount": -1, "ReconnectInterval": 1, "ReconnectNonce": 1, "PingInterval": 120}),
    );
    let _ = drop_and_first_retry(&mut harness);
    for _ in 0..500 {
        let round = fail_attempt(&mut harness);
        assert!(round.done.is_none());
        assert_eq!(harness.wake().sent.len(), 1);
    }
}

#[test]
fn a_zero_count_never_reconnects() {
    let mut harness = Harness::connected(json!({"ReconnectCount": 0, "PingInterval": 120}));
    harness.session.on_closed(harness.now);
    let round = harness.round();
    assert!(matches!(
        round.done,
        Some(Err(SessionError::GaveUp {
            attempts: 0,
            last: AttemptError::Closed
        }))
    ));
}

#[test]
fn a_successful_reconnect_restores_the_budget() {
    let mut harness = Harness::connected(quick());
    for _ in 0..4 {
        let _ = drop_and_first_retry(&mut harness);
        // Two failures, then success: never past the count of 3.
        let _ = fail_attempt(&mut harness);
        let _ = harness.wake();
        let _ = fail_attempt(&mut harness);
        let _ = harness.wake();
        harness
            .session
            .on_response(endpoint_ok(quick()), harness.now);
        let _ = harness.round();
        harness.session.on_connected(harness.now);
        assert!(harness.round().done.is_none());
    }
}

#[test]
fn a_fatal_answer_while_reconnecting_stops() {
    let mut harness = Harness::connected(quick());
    let _ = drop_and_first_retry(&mut harness);
    let body = json!({"code": 10003, "msg": "invalid app_secret"}).to_string();
    harness
        .session
        .on_response(http::Response::new(body.into_bytes()), harness.now);
    assert!(matches!(
        harness.round().done,
        Some(Err(SessionError::Refused(AttemptError::Code {
            code: 10003,
            ..
        })))
    ));
}

#[test]
fn the_first_attempt_failing_starts_reconnecting() {
    let mut harness = Harness::new();
    let _ = harness.round();
    harness.session.on_response(
        http::Response::builder()
            .status(503)
            .body(Vec::new())
            .expect("a response"),
        harness.now,
    );
    let round = harness.round();
    // Default settings: up to 30 s of jitter.
    let wait = round
        .wait
        .expect("a wait")
        .duration_since(harness.now)
        .expect("later");
    assert!(wait < secs(30));
    assert_eq!(harness.wake().sent.len(), 1);
}

#[test]
fn acks_do_not_cross_to_the_next_connection() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &message("e-x", "x"))));
    let _ = drop_and_first_retry(&mut harness);
    harness
        .session
        .on_response(endpoint_ok(quick()), harness.now);
    let _ = harness.round();
    harness.session.on_connected(harness.now);
    let _ = harness.round();
    // Feishu redelivers on the new connection while the handler still runs:
    // it joins the delivery, and the handler's answer ACKs the redelivery.
    let round = harness.feed(&event_frame(9, &message("e-x", "x")));
    assert!(round.delivered.is_empty() && round.acks().is_empty());
    let round = harness.handled(&received, Outcome::Done);
    let (ack, _) = only_ack(&round);
    assert_eq!(ack.seq_id, 9);
}

#[test]
fn deliveries_queued_before_a_drop_are_still_delivered() {
    let mut harness = Harness::connected(quick());
    harness.receive(&event_frame(1, &message("e-q", "x")));
    harness.session.on_closed(harness.now);
    let round = harness.round();
    assert_eq!(round.delivered.len(), 1, "claimed, so delivered: {round:?}");
    assert!(round.writes.is_empty());
}

#[test]
fn shutdown_drains_the_handlers_then_closes() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &message("e-s", "x"))));
    harness.session.shutdown(secs(10), harness.now);
    // New events are not taken while draining (Feishu redelivers them).
    let round = harness.feed(&event_frame(2, &message("e-t", "y")));
    assert!(round.delivered.is_empty() && round.writes.is_empty());
    assert_eq!(round.closed, 0, "the handler is still out");
    harness.advance(ms(300));
    let round = harness.handled(&received, Outcome::Done);
    assert_eq!(round.acks().len(), 1);
    assert_eq!(round.closed, 1);
    assert!(matches!(round.done, Some(Ok(()))));
}

#[test]
fn shutdown_gives_up_waiting_at_the_drain_deadline() {
    let mut options = Options::default();
    options.event_ack_timeout = secs(60);
    let mut harness = Harness::connected_with(options, quick());
    let _ = only_delivery(harness.feed(&event_frame(1, &message("e-d", "x"))));
    harness.session.shutdown(secs(5), harness.now);
    let round = harness.wake();
    assert_eq!(harness.now, t0() + secs(5));
    assert_eq!(round.closed, 1);
    assert!(round.writes.is_empty());
    assert!(matches!(round.done, Some(Ok(()))));
}

#[test]
fn shutdown_while_reconnecting_ends_at_once() {
    let mut harness = Harness::connected(quick());
    harness.session.on_closed(harness.now);
    let _ = harness.round();
    harness.session.shutdown(secs(5), harness.now);
    let round = harness.round();
    assert_eq!(round.closed, 0);
    assert!(matches!(round.done, Some(Ok(()))));
}
