//! Control frames: a ping on connect and every `PingInterval`, whatever else
//! arrives; a pong's settings replace all four; control frames are never
//! ACKed; a silent connection is given up.

use feishu_core::long_connection::{ClientConfig, Frame, METHOD_CONTROL};
use serde_json::json;

use crate::*;

fn pong(payload: serde_json::Value) -> Frame {
    let mut frame = Frame {
        service: SERVICE,
        method: METHOD_CONTROL,
        payload: Some(payload.to_string().into_bytes()),
        ..Frame::default()
    };
    frame.set_header("type", "pong");
    frame
}

#[test]
fn the_first_ping_goes_out_on_connect_with_the_service_id() {
    let mut harness = Harness::new();
    let _ = harness.round();
    harness
        .session
        .on_response(endpoint_ok(quick()), harness.now);
    let _ = harness.round();
    harness.session.on_connected(harness.now);
    let round = harness.round();
    assert_eq!(round.writes, [Frame::ping(SERVICE)]);
    assert_eq!(round.wait, Some(harness.now + secs(120)));
}

#[test]
fn pings_keep_their_cadence_for_an_hour() {
    let mut harness = Harness::connected(quick());
    let mut pings = Vec::new();
    // Pongs keep the connection alive; each wake-up is a ping.
    while harness.now < t0() + secs(3600) {
        let round = harness.wake();
        if round.pings() > 0 {
            pings.push(harness.now);
            harness.receive(&pong(quick()));
        }
    }
    assert_eq!(pings.len(), 30);
    for pair in pings.windows(2) {
        assert_eq!(pair[1].duration_since(pair[0]).ok(), Some(secs(120)));
    }
}

#[test]
fn a_flood_of_events_does_not_starve_the_pings() {
    let mut harness = Harness::connected(quick());
    let mut last_ping = harness.now;
    let mut seq = 0;
    // An event every 50 ms for ten minutes, each handled at once.
    for _ in 0..12_000 {
        harness.advance(ms(50));
        seq += 1;
        let round = harness.feed(&event_frame(seq, &message(&format!("e{seq}"), "hi")));
        if round.pings() > 0 {
            let gap = harness.now.duration_since(last_ping).expect("later");
            assert!(gap <= secs(120), "a ping {gap:?} after the last");
            last_ping = harness.now;
        }
        for received in round.delivered {
            let round = harness.handled(&received, Outcome::Done);
            assert_eq!(round.acks().len(), 1);
        }
    }
    assert_eq!(harness.session.stats().pings, 1 + 600 / 120);
    assert_eq!(harness.session.stats().events, 12_000);
}

#[test]
fn a_pong_replaces_all_four_settings() {
    let mut harness = Harness::connected(
        json!({"ReconnectCount": 3, "ReconnectInterval": 10, "ReconnectNonce": 2, "PingInterval": 120}),
    );
    let _ = harness.feed(&pong(json!({"ReconnectCount": 9, "ReconnectInterval": 77, "ReconnectNonce": 8, "PingInterval": 30})));
    let settings = *harness.session.client_config();
    assert_eq!(settings.reconnect_count, 9);
    assert_eq!(settings.reconnect_interval, secs(77));
    assert_eq!(settings.reconnect_nonce, secs(8));
    assert_eq!(settings.ping_interval, secs(30));
    // All four are replaced: one left out takes its default, not the old value.
    let _ = harness.feed(&pong(json!({"PingInterval": 45})));
    let settings = *harness.session.client_config();
    let defaults = ClientConfig::default();
    assert_eq!(settings.ping_interval, secs(45));
    assert_eq!(settings.reconnect_count, defaults.reconnect_count);
    assert_eq!(settings.reconnect_interval, defaults.reconnect_interval);
    assert_eq!(settings.reconnect_nonce, defaults.reconnect_nonce);
}

#[test]
fn a_pong_changes_the_cadence_from_the_last_ping() {
    let mut harness = Harness::connected(quick());
    harness.advance(secs(10));
    let round = harness.feed(&pong(json!({"PingInterval": 25})));
    assert!(round.writes.is_empty(), "a pong is never answered");
    // The last ping was at t0: the next is due at t0 + 25 s.
    assert_eq!(round.wait, Some(t0() + secs(25)));
    let round = harness.wake();
    assert_eq!(round.pings(), 1);
    assert_eq!(harness.now, t0() + secs(25));
    assert_eq!(round.wait, Some(t0() + secs(50)));
}

#[test]
fn a_pong_without_settings_changes_nothing() {
    let mut harness = Harness::connected(quick());
    for payload in [None, Some(b"not json".to_vec()), Some(b"[1]".to_vec())] {
        let mut frame = pong(json!({}));
        frame.payload = payload;
        let round = harness.feed(&frame);
        assert!(round.writes.is_empty());
    }
    assert_eq!(harness.session.client_config().ping_interval, secs(120));
    assert_eq!(harness.session.client_config().reconnect_count, 3);
}

#[test]
fn control_frames_are_never_acked() {
    let mut harness = Harness::connected(quick());
    for kind in ["ping", "pong", "whatever"] {
        let mut frame = Frame::ping(SERVICE);
        frame.set_header("type", kind);
        let round = harness.feed(&frame);
        assert!(round.writes.is_empty(), "{kind}: {round:?}");
        assert!(round.delivered.is_empty() && round.dropped.is_empty());
    }
}

#[test]
fn a_silent_connection_is_closed_and_reconnected() {
    let mut harness = Harness::connected(quick());
    // Pings go out at 120 s and 240 s; nothing comes back.
    let mut closed_at = None;
    for _ in 0..5 {
        let round = harness.wake();
        if round.closed > 0 {
            closed_at = Some(harness.now);
            break;
        }
    }
    assert_eq!(closed_at, Some(t0() + secs(360)));
    assert!(!harness.session.is_connected());
    let round = harness.wake();
    assert_eq!(round.sent.len(), 1, "a fresh bootstrap: {round:?}");
}

#[test]
fn any_frame_keeps_the_connection_alive() {
    let mut harness = Harness::connected(quick());
    for _ in 0..20 {
        let round = harness.wake();
        assert_eq!(round.closed, 0);
        harness.receive(&pong(quick()));
    }
    assert!(harness.session.is_connected());
}

#[test]
fn the_liveness_check_can_be_turned_off() {
    let mut options = Options::default();
    options.dead_after_pings = None;
    let mut harness = Harness::connected_with(options, quick());
    for _ in 0..20 {
        assert_eq!(harness.wake().closed, 0);
    }
    assert_eq!(harness.session.stats().pings, 21);
}
