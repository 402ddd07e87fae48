//! Split messages: parts reassembled in any order and delivered once;
//! given up after 5 s, or past the bounds on buffered bytes and messages,
//! without an ACK so Feishu sends them again.

use feishu_core::long_connection::{DropReason, Frame};
use proptest::prelude::*;
use serde_json::json;

use crate::*;

/// `payload` cut in `sum` parts, as frames of one message.
fn parts(message_id: &str, payload: &[u8], sum: usize) -> Vec<Frame> {
    let size = payload.len().div_ceil(sum).max(1);
    let chunks: Vec<&[u8]> = payload.chunks(size).collect();
    assert_eq!(chunks.len(), sum, "cut in {sum}");
    chunks
        .iter()
        .enumerate()
        .map(|(seq, chunk)| {
            let mut frame = event_frame(100 + seq as u64, chunk);
            frame.set_header("message_id", message_id);
            frame.set_header("sum", sum.to_string());
            frame.set_header("seq", seq.to_string());
            frame
        })
        .collect()
}

#[test]
fn parts_are_reassembled_and_the_last_one_is_acked() {
    let mut harness = Harness::connected(quick());
    let payload = message("e-split", &"long ".repeat(200));
    let frames = parts("m-split", &payload, 3);
    assert!(harness.feed(&frames[0]).delivered.is_empty());
    assert!(harness.feed(&frames[2]).delivered.is_empty());
    assert_eq!(harness.session.fragments_buffered().0, 1);
    let received = only_delivery(harness.feed(&frames[1]));
    assert_eq!(harness.session.fragments_buffered(), (0, 0));
    let round = harness.handled(&received, Outcome::Done);
    let (ack, _) = only_ack(&round);
    // The part that completed the message carries the ACK.
    assert_eq!(ack.header("seq"), Some("1"));
    assert_eq!(ack.header("sum"), Some("3"));
    assert_eq!(ack.payload.as_deref(), Some(&br#"{"code":200}"#[..]));
}

#[test]
fn a_repeated_part_changes_nothing() {
    let mut harness = Harness::connected(quick());
    let payload = message("e-rep", "hello there");
    let frames = parts("m-rep", &payload, 2);
    let _ = harness.feed(&frames[0]);
    let _ = harness.feed(&frames[0]);
    let received = only_delivery(harness.feed(&frames[1]));
    assert!(matches!(
        received.incoming,
        feishu_core::event::Incoming::Event(_)
    ));
}

#[test]
fn parts_older_than_five_seconds_are_given_up() {
    let mut harness = Harness::connected(quick());
    let frames = parts("m-ttl", &message("e-ttl", "never whole"), 2);
    let round = harness.feed(&frames[0]);
    assert_eq!(
        round.wait,
        Some(harness.now + secs(5)),
        "woken for the expiry"
    );
    let round = harness.wake();
    assert_eq!(harness.now, t0() + secs(5));
    assert_eq!(round.dropped.len(), 1);
    assert_eq!(round.dropped[0].message_id.as_deref(), Some("m-ttl"));
    assert_eq!(
        round.dropped[0].reason,
        DropReason::FragmentsExpired {
            received: 1,
            sum: 2
        }
    );
    assert!(round.writes.is_empty(), "never ACKed");
    // The late part alone starts a new message that does not complete.
    let round = harness.feed(&frames[1]);
    assert!(round.delivered.is_empty());
    assert_eq!(harness.session.fragments_buffered().0, 1);
}

#[test]
fn parts_within_five_seconds_complete() {
    let mut harness = Harness::connected(quick());
    let frames = parts("m-ok", &message("e-ok", "in time"), 2);
    let _ = harness.feed(&frames[0]);
    harness.advance(ms(4999));
    assert_eq!(harness.feed(&frames[1]).delivered.len(), 1);
}

#[test]
fn too_many_split_messages_evict_the_oldest() {
    let mut options = Options::default();
    options.max_fragmented_messages = 2;
    let mut harness = Harness::connected_with(options, quick());
    let a = parts("m-a", &message("e-a", "a"), 2);
    let b = parts("m-b", &message("e-b", "b"), 2);
    let c = parts("m-c", &message("e-c", "c"), 2);
    let _ = harness.feed(&a[0]);
    let _ = harness.feed(&b[0]);
    let round = harness.feed(&c[0]);
    assert_eq!(round.dropped[0].message_id.as_deref(), Some("m-a"));
    assert_eq!(round.dropped[0].reason, DropReason::FragmentsEvicted);
    assert_eq!(harness.feed(&b[1]).delivered.len(), 1);
    assert_eq!(harness.feed(&c[1]).delivered.len(), 1);
    // The evicted message's last part alone does not complete it.
    assert!(harness.feed(&a[1]).delivered.is_empty());
}

#[test]
fn a_message_larger_than_the_byte_bound_is_given_up() {
    let mut options = Options::default();
    options.max_fragment_bytes = 600;
    let mut harness = Harness::connected_with(options, quick());
    let frames = parts("m-big", &message("e-big", &"y".repeat(900)), 4);
    let mut reasons = Vec::new();
    for frame in &frames {
        let round = harness.feed(frame);
        assert!(round.delivered.is_empty());
        reasons.extend(round.dropped.into_iter().map(|d| d.reason));
    }
    assert!(
        reasons.contains(&DropReason::FragmentsTooLarge),
        "{reasons:?}"
    );
    assert!(harness.session.fragments_buffered().1 <= 600);
}

#[test]
fn parts_out_of_range_are_refused() {
    let mut harness = Harness::connected(quick());
    for (sum, seq) in [("2", "2"), ("2", "9"), ("100000", "0")] {
        let mut frame = event_frame(1, b"{}");
        frame.set_header("sum", sum);
        frame.set_header("seq", seq);
        let round = harness.feed(&frame);
        assert!(
            matches!(round.dropped[0].reason, DropReason::BadFragment { .. }),
            "{sum}/{seq}: {round:?}"
        );
    }
    assert_eq!(harness.session.fragments_buffered(), (0, 0));
}

#[test]
fn a_reconnect_forgets_the_parts() {
    let mut harness = Harness::connected(quick());
    let frames = parts("m-r", &message("e-r", "x"), 2);
    let _ = harness.feed(&frames[0]);
    harness.session.on_closed(harness.now);
    assert_eq!(harness.session.fragments_buffered(), (0, 0));
}

proptest! {
    #[test]
    fn parts_in_any_order_make_one_delivery(
        text in ".{1,300}",
        sum in 1usize..8,
        order in Just((0..8).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let payload = envelope("e-any", "im.message.receive_v1", json!({
            "sender": {}, "message": {"message_id": "om_x", "message_type": "text",
            "content": json!({"text": text}).to_string()},
        }));
        let sum = sum.min(payload.len());
        let size = payload.len().div_ceil(sum);
        let sum = payload.len().div_ceil(size);
        let frames = parts("m-any", &payload, sum);
        let mut harness = Harness::connected(quick());
        let mut delivered = Vec::new();
        for &i in order.iter().filter(|&&i| i < sum) {
            delivered.extend(harness.feed(&frames[i]).delivered);
        }
        prop_assert_eq!(delivered.len(), 1);
        let feishu_core::event::Incoming::Event(event) = &delivered[0].incoming else {
            return Err(TestCaseError::fail("an event"));
        };
        let feishu_core::event::EventKind::MessageReceived(message) = &event.kind else {
            return Err(TestCaseError::fail("a message"));
        };
        prop_assert_eq!(message.message.content(), feishu_core::im::content::ReceivedContent::Text { text });
    }
}
