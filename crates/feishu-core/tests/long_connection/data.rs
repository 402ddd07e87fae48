//! Data frames and their ACKs: events delivered, typed, deduplicated; each ACK the
//! frame as received (every header, `instance_id` included) plus `biz_rt`,
//! with 200 (unknown types too), or 500 for a failed handler.

use std::io::Write as _;

use feishu_core::event::{EventKind, HandlerError, Incoming, MemorySeenStore, SeenStore};
use feishu_core::long_connection::{DropReason, GzipError};
use serde_json::json;

use crate::*;

/// The event vector of the official protobuf runtime and its ACK, byte for byte.
const EVENT: &str = "08011002180320012a0d0a047479706512056576656e742a100a0a6d6573736167655f696412026d312a080a0373756d1201312a080a037365711201302a0e0a0874726163655f69641202743142027b7d";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn the_session_writes_the_ack_vector_byte_for_byte() {
    let mut harness = Harness::connected(quick());
    harness.session.on_frame(&hex(EVENT), harness.now);
    let mut written = Vec::new();
    loop {
        match harness.session.poll(harness.now) {
            Step::Write(bytes) => written.push(bytes),
            Step::Wait(_) => break,
            Step::Dropped(dropped) => {
                // `{}` is no event: given up, and ACKed all the same.
                assert!(matches!(dropped.reason, DropReason::NotAnEvent(_)));
                assert_eq!(dropped.message_id.as_deref(), Some("m1"));
            }
            other => panic!("{other:?}"),
        }
    }
    let event = EVENT.strip_suffix("42027b7d").expect("the payload is last");
    let ack = hex(&format!(
        "{event}2a0b0a0662697a5f7274120130420c7b22636f6465223a3230307d"
    ));
    assert_eq!(written, [ack]);
}

#[test]
fn an_event_is_delivered_typed_and_acked_after_its_handler() {
    let mut harness = Harness::connected(quick());
    let frame = event_frame(7, &message("e-7", "hello"));
    let round = harness.feed(&frame);
    assert!(round.acks().is_empty(), "no ACK before the handler");
    let received = only_delivery(round);
    let Incoming::Event(event) = &received.incoming else {
        panic!("an event");
    };
    assert_eq!(event.event_id.as_deref(), Some("e-7"));
    let EventKind::MessageReceived(message) = &event.kind else {
        panic!("typed: {:?}", event.kind);
    };
    assert_eq!(message.message.chat_id, "oc_1");

    harness.advance(ms(345));
    let round = harness.handled(&received, Outcome::Done);
    let (ack, payload) = only_ack(&round);
    assert_eq!(payload, json!({"code": 200}));
    // The frame as it came, every header in order, plus biz_rt.
    let mut expected = frame.clone();
    expected.set_header("biz_rt", "345");
    expected.payload = ack.payload.clone();
    assert_eq!(ack, expected);
    assert_eq!(ack.header("instance_id"), Some("gw-instance-3"));
    assert_eq!(ack.log_id_new.as_deref(), Some("log-7"));
}

#[test]
fn unknown_event_types_are_delivered_raw_and_acked_200() {
    let mut harness = Harness::connected(quick());
    let payload = envelope(
        "e-u",
        "vc.meeting.all_meeting_started_v1",
        json!({"meeting": {"id": "1"}}),
    );
    let received = only_delivery(harness.feed(&event_frame(1, &payload)));
    let Incoming::Event(event) = &received.incoming else {
        panic!("an event");
    };
    assert_eq!(
        event.kind,
        EventKind::Unknown {
            event_type: "vc.meeting.all_meeting_started_v1".into(),
            raw: json!({"meeting": {"id": "1"}}),
        }
    );
    // No handler took it: 200 all the same, so Feishu does not redeliver.
    let round = harness.handled(&received, Outcome::Unhandled);
    assert_eq!(only_ack(&round).1, json!({"code": 200}));
}

#[test]
fn a_failed_handler_is_answered_500_and_its_redelivery_handled_again() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &message("e-f", "x"))));
    let error = HandlerError::from("the database is down");
    let round = harness.handled(&received, Outcome::Failed(error));
    assert_eq!(only_ack(&round).1, json!({"code": 500}));
    assert_eq!(harness.session.stats().handler_failures, 1);
    // Feishu redelivers: it is delivered again.
    let again = harness.feed(&event_frame(2, &message("e-f", "x")));
    assert_eq!(again.delivered.len(), 1);
}

#[test]
fn a_duplicate_is_acked_and_not_delivered() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &message("e-d", "x"))));
    let _ = harness.handled(&received, Outcome::Done);
    let round = harness.feed(&event_frame(2, &message("e-d", "x")));
    assert!(round.delivered.is_empty());
    let (ack, payload) = only_ack(&round);
    assert_eq!(payload, json!({"code": 200}));
    assert_eq!(ack.seq_id, 2);
    assert_eq!(harness.session.stats().duplicates, 1);
}

#[test]
fn a_redelivery_while_the_handler_runs_joins_it() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &message("e-j", "x"))));
    harness.advance(ms(100));
    let round = harness.feed(&event_frame(2, &message("e-j", "x")));
    assert!(round.delivered.is_empty() && round.acks().is_empty());
    harness.advance(ms(100));
    let round = harness.handled(&received, Outcome::Failed("no".into()));
    // Both frames get the handler's answer, each with its own time.
    let acks = round.acks();
    assert_eq!(acks.len(), 2);
    let by_seq: Vec<(u64, Option<&str>)> = acks
        .iter()
        .map(|a| (a.seq_id, a.header("biz_rt")))
        .collect();
    assert_eq!(by_seq, [(1, Some("200")), (2, Some("100"))]);
    for ack in acks {
        assert_eq!(ack.payload.as_deref(), Some(&br#"{"code":500}"#[..]));
    }
}

#[test]
fn the_seen_store_is_shared_with_other_channels() {
    let store = std::sync::Arc::new(MemorySeenStore::default());
    // The webhook (or another connection) took `e-s` already.
    assert!(store.claim("e-s", t0()));
    let mut harness = Harness::new();
    harness.session = Session::new(&config(), 1)
        .expect("an app")
        .seen_store(store.clone());
    harness.connect_with(quick());
    let round = harness.feed(&event_frame(1, &message("e-s", "x")));
    assert!(round.delivered.is_empty());
    assert_eq!(only_ack(&round).1, json!({"code": 200}));
    let round = harness.feed(&event_frame(2, &message("e-new", "x")));
    assert_eq!(round.delivered.len(), 1);
    assert!(
        !store.claim("e-new", harness.now),
        "claimed in the shared store"
    );
}

#[test]
fn a_late_handler_gets_its_event_acked_200_at_the_budget() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &message("e-l", "x"))));
    harness.advance(ms(2499));
    assert!(harness.round().acks().is_empty());
    let round = harness.wake();
    assert_eq!(harness.now, t0() + ms(2500));
    let (ack, payload) = only_ack(&round);
    assert_eq!(payload, json!({"code": 200}));
    assert_eq!(ack.header("biz_rt"), Some("2500"));
    // The handler's late failure finds the ACK gone.
    harness.advance(secs(10));
    let round = harness.handled(&received, Outcome::Failed("late".into()));
    assert!(round.acks().is_empty());
    assert_eq!(harness.session.stats().late_acks, 1);
}

#[test]
fn a_zero_budget_acks_on_arrival() {
    let mut options = Options::default();
    options.event_ack_timeout = std::time::Duration::ZERO;
    let mut harness = Harness::connected_with(options, quick());
    let round = harness.feed(&event_frame(1, &message("e-0", "x")));
    assert_eq!(round.delivered.len(), 1);
    assert_eq!(only_ack(&round).1, json!({"code": 200}));
}

#[test]
fn unknown_frame_types_and_non_events_are_dropped_and_acked() {
    let mut harness = Harness::connected(quick());
    for (frame, why) in [
        (data_frame(1, "future_type", b"{}"), "type"),
        (event_frame(2, b"not json"), "json"),
        (
            event_frame(3, br#"{"schema":"2.0","header":{"event_id":"x"}}"#),
            "no type",
        ),
        (
            event_frame(4, br#"{"type":"url_verification","challenge":"c"}"#),
            "challenge",
        ),
        (
            event_frame(
                5,
                &envelope("e-c", "card.action.trigger", json!("not an object")),
            ),
            "card",
        ),
    ] {
        let round = harness.feed(&frame);
        assert!(round.delivered.is_empty(), "{why}");
        assert_eq!(round.dropped.len(), 1, "{why}: {round:?}");
        assert_eq!(only_ack(&round).1, json!({"code": 200}), "{why}");
    }
    assert_eq!(harness.session.stats().unknown_frames, 1);
}

#[test]
fn bytes_that_are_no_frame_are_dropped() {
    let mut harness = Harness::connected(quick());
    harness.session.on_frame(&[0xff, 0xff], harness.now);
    let round = harness.round();
    assert!(matches!(round.dropped[0].reason, DropReason::NotAFrame(_)));
    assert!(round.writes.is_empty());
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    // A stored (uncompressed) deflate block inside a gzip member: written
    // here from RFC 1951/1952, independent of the crate's inflater.
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    for (i, chunk) in bytes.chunks(65_535).enumerate() {
        let last = (i + 1) * 65_535 >= bytes.len();
        out.push(u8::from(last));
        let len = chunk.len() as u16;
        out.write_all(&len.to_le_bytes()).expect("vec");
        out.write_all(&(!len).to_le_bytes()).expect("vec");
        out.extend_from_slice(chunk);
    }
    if bytes.is_empty() {
        out.extend([1, 0, 0, 0xff, 0xff]);
    }
    out.extend(crc32(bytes).to_le_bytes());
    out.extend((bytes.len() as u32).to_le_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                0xedb8_8320 ^ (crc >> 1)
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_gzip_payload_is_inflated() {
    let mut harness = Harness::connected(quick());
    let mut frame = event_frame(1, &gzip(&message("e-g", "zipped")));
    frame.payload_encoding = Some("gzip".into());
    let received = only_delivery(harness.feed(&frame));
    let round = harness.handled(&received, Outcome::Done);
    let (ack, payload) = only_ack(&round);
    assert_eq!(payload, json!({"code": 200}));
    // The ACK's payload is plain JSON: it claims no encoding.
    assert_eq!(ack.payload_encoding, None);
}

#[test]
fn a_gzip_payload_past_the_bound_is_refused() {
    let mut options = Options::default();
    options.max_payload_bytes = 1024;
    let mut harness = Harness::connected_with(options, quick());
    let big = message("e-big", &"x".repeat(4096));
    let mut frame = event_frame(1, &gzip(&big));
    frame.payload_encoding = Some("gzip".into());
    let round = harness.feed(&frame);
    assert!(round.delivered.is_empty());
    assert_eq!(
        round.dropped[0].reason,
        DropReason::Gzip(GzipError::TooLarge { limit: 1024 })
    );
    // Plain payloads have the same bound.
    let round = harness.feed(&event_frame(2, &big));
    assert_eq!(
        round.dropped[0].reason,
        DropReason::PayloadTooLarge { limit: 1024 }
    );
}

#[test]
fn corrupt_gzip_and_unknown_encodings_are_refused_cleanly() {
    let mut harness = Harness::connected(quick());
    let mut corrupt = gzip(&message("e-c", "x"));
    let last = corrupt.len() - 6;
    corrupt[last] ^= 0xff;
    for (encoding, payload) in [
        ("gzip", corrupt),
        ("br", message("e-b", "x")),
        ("gzip", b"{}".to_vec()),
    ] {
        let mut frame = event_frame(1, &payload);
        frame.payload_encoding = Some(encoding.into());
        let round = harness.feed(&frame);
        assert!(round.delivered.is_empty(), "{encoding}");
        assert_eq!(round.dropped.len(), 1);
        assert!(matches!(
            round.dropped[0].reason,
            DropReason::Gzip(_) | DropReason::UnsupportedEncoding(_)
        ));
    }
}

#[test]
fn v1_events_arrive_typed_too() {
    let mut harness = Harness::connected(quick());
    let payload = json!({
        "uuid": "u-1", "token": "", "ts": "1700000000.1", "type": "event_callback",
        "event": {"type": "add_bot", "app_id": APP_ID, "tenant_key": "t", "open_chat_id": "oc_9", "chat_name": "ops"},
    });
    let received = only_delivery(harness.feed(&event_frame(1, payload.to_string().as_bytes())));
    let Incoming::Event(event) = received.incoming else {
        panic!("an event");
    };
    let added = feishu_core::event::types::ADD_BOT
        .take(event.kind)
        .expect("add_bot");
    assert_eq!(added.open_chat_id, "oc_9");
    assert_eq!(added.chat_name.as_deref(), Some("ops"));
}

#[test]
fn a_frame_without_payload_is_no_event() {
    let mut harness = Harness::connected(quick());
    let mut frame = event_frame(1, b"");
    frame.payload = None;
    let round = harness.feed(&frame);
    assert!(round.delivered.is_empty());
    assert_eq!(round.dropped.len(), 1);
}
