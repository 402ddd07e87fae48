//! Events in, handlers run once each, ACKs out: across reconnects, in
//! parts, gzipped, slow, failed, card actions and unknown types.

use std::sync::atomic::Ordering;

use feishu_mock::long_connection::Push;
use serde_json::json;

use crate::{Adapter, all_acked, card_action, connected, message, mock, start, wait_for};

pub fn ten_thousand_events_across_three_reconnects<A: Adapter>() {
    const EVENTS: usize = 10_000;
    let mock = mock();
    let (running, handlers) = start::<A>(&mock);
    connected(&mock);
    for n in 0..EVENTS {
        mock.push_event(message(&format!("ev_{n}"), &format!("hello {n}")));
    }
    // Three drops while events are out, ACKs in flight and handlers running.
    for quarter in 1..=3 {
        let acked = || mock.ack_count() >= quarter * EVENTS / 4;
        wait_for("a quarter of the ACKs", acked);
        assert_eq!(mock.drop_ws_connections(), 1);
        wait_for("the next connection", || mock.ws_connects() > quarter);
    }
    all_acked(&mock);
    let (distinct, most) = handlers.counts();
    assert_eq!(
        (distinct, most),
        (EVENTS, 1),
        "every event handled exactly once"
    );
    assert!(mock.ws_connects() >= 4);
    running.stop().expect("a clean shutdown");
}

pub fn fragmented_events_are_reassembled<A: Adapter>() {
    let mock = mock();
    let (running, handlers) = start::<A>(&mock);
    connected(&mock);
    let long = "long ".repeat(2000);
    mock.push(Push::event(message("ev_parts", &long)).fragment_size(97));
    all_acked(&mock);
    assert_eq!(handlers.texts.lock().expect("texts")["ev_parts"], long);
    running.stop().expect("a clean shutdown");
}

pub fn gzip_events_are_inflated<A: Adapter>() {
    let mock = mock();
    let (running, handlers) = start::<A>(&mock);
    connected(&mock);
    mock.push(Push::event(message("ev_zip", "zipped")).gzip(true));
    let long = "parts and gzip ".repeat(500);
    mock.push(
        Push::event(message("ev_zip_parts", &long))
            .gzip(true)
            .fragment_size(50),
    );
    all_acked(&mock);
    let texts = handlers.texts.lock().expect("texts");
    assert_eq!(texts["ev_zip"], "zipped");
    assert_eq!(texts["ev_zip_parts"], long);
    drop(texts);
    running.stop().expect("a clean shutdown");
}

pub fn a_slow_handler_does_not_stall_others<A: Adapter>() {
    let mock = mock();
    let (running, handlers) = start::<A>(&mock);
    connected(&mock);
    let slow = mock.push_event(message("ev_slow", "slow one"));
    for n in 0..50 {
        mock.push_event(message(&format!("ev_fast_{n}"), "fast"));
    }
    let fast_acked = || {
        mock.acks()
            .iter()
            .filter(|ack| ack.message_id != slow)
            .count()
            == 50
    };
    wait_for("the fast events' ACKs", fast_acked);
    assert_eq!(
        handlers.slow_done.load(Ordering::SeqCst),
        0,
        "the slow one still runs"
    );
    assert!(mock.acks().iter().all(|ack| ack.message_id != slow));
    handlers.gate.store(true, Ordering::SeqCst);
    all_acked(&mock);
    assert_eq!(handlers.slow_done.load(Ordering::SeqCst), 1);
    running.stop().expect("a clean shutdown");
}

pub fn a_full_pool_holds_events_back_and_loses_none<A: Adapter>() {
    let mock = mock();
    let handlers = std::sync::Arc::new(crate::Handlers::default());
    let running = A::start(crate::config(&mock), handlers.clone(), crate::options(), 2);
    connected(&mock);
    for n in 0..2 {
        mock.push_event(message(&format!("ev_busy_{n}"), "slow, holding a slot"));
    }
    for n in 0..20 {
        mock.push_event(message(&format!("ev_held_{n}"), "held back"));
    }
    wait_for("both slots taken", || handlers.counts().0 == 2);
    // Held back, not handled and not dropped: nothing else runs meanwhile.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(handlers.counts(), (2, 1));
    assert_eq!((running.stats)().dropped, 0);
    handlers.gate.store(true, Ordering::SeqCst);
    all_acked(&mock);
    assert_eq!(handlers.counts(), (22, 1));
    running.stop().expect("a clean shutdown");
}

pub fn a_card_actions_toast_arrives_in_the_ack<A: Adapter>() {
    let mock = mock();
    let (running, _) = start::<A>(&mock);
    connected(&mock);
    // As an event frame, and as a `card` frame (which the official SDKs drop).
    let as_event = mock.push_event(card_action("ev_card_1", json!({"order": 1})));
    let as_card =
        mock.push(Push::event(card_action("ev_card_2", json!({"order": 2}))).frame_type("card"));
    all_acked(&mock);
    for (message_id, order) in [(as_event, 1), (as_card, 2)] {
        let ack = mock
            .acks()
            .into_iter()
            .find(|a| a.message_id == message_id)
            .expect("its ACK");
        assert_eq!(ack.code, 200);
        let data: serde_json::Value =
            serde_json::from_str(ack.data.as_deref().expect("the answer")).expect("JSON");
        assert_eq!(
            data["toast"],
            json!({"type": "success", "content": format!("done: {order}")})
        );
        // The routing header comes back, and the handler's time.
        assert!(
            ack.headers
                .iter()
                .any(|(k, v)| k == "instance_id" && v == "mock-gateway-1")
        );
        assert!(ack.biz_rt.is_some());
    }
    running.stop().expect("a clean shutdown");
}

pub fn a_card_action_answered_with_a_new_card_carries_it_in_the_ack<A: Adapter>() {
    let mock = mock();
    let (running, _) = start::<A>(&mock);
    connected(&mock);
    let card = json!({
        "schema": "2.0",
        "body": {"elements": [{"tag": "markdown", "content": "Approved"}]}
    });
    let message_id = mock.push_event(card_action(
        "ev_card_new",
        json!({"order": 4, "new_card": card}),
    ));
    all_acked(&mock);
    let ack = mock
        .acks()
        .into_iter()
        .find(|a| a.message_id == message_id)
        .expect("its ACK");
    assert_eq!(ack.code, 200);
    let data: serde_json::Value =
        serde_json::from_str(ack.data.as_deref().expect("the answer")).expect("JSON");
    assert_eq!(data["card"], json!({"type": "raw", "data": card}));
    assert_eq!(data["toast"]["content"], "done: 4");
    running.stop().expect("a clean shutdown");
}

pub fn a_late_card_handler_gets_the_fallback_toast<A: Adapter>() {
    let mock = mock();
    let (running, _) = start::<A>(&mock);
    connected(&mock);
    let late = mock.push_event(card_action(
        "ev_card_late",
        json!({"order": 3, "late": true}),
    ));
    all_acked(&mock);
    let ack = mock
        .acks()
        .into_iter()
        .find(|a| a.message_id == late)
        .expect("its ACK");
    let data: serde_json::Value =
        serde_json::from_str(ack.data.as_deref().expect("the fallback")).expect("JSON");
    assert_eq!(data["toast"]["type"], "info");
    running.stop().expect("a clean shutdown");
}

pub fn unknown_events_are_acked_200<A: Adapter>() {
    let mock = mock();
    let (running, handlers) = start::<A>(&mock);
    connected(&mock);
    let mut unknown = message("ev_unknown", "");
    unknown["header"]["event_type"] = json!("mock.something.new_v9");
    let event = mock.push_event(unknown);
    let frame = mock.push(Push::event(message("ev_odd_frame", "x")).frame_type("mystery"));
    let not_json = mock.push(Push::event(json!({"not": "an event"})));
    all_acked(&mock);
    for message_id in [event, frame, not_json] {
        let ack = mock
            .acks()
            .into_iter()
            .find(|a| a.message_id == message_id)
            .expect("its ACK");
        assert_eq!(ack.code, 200, "{message_id}");
    }
    assert_eq!(
        *handlers.others.lock().expect("others"),
        ["mock.something.new_v9"]
    );
    running.stop().expect("a clean shutdown");
}

pub fn a_failed_handler_is_acked_500_and_redelivered<A: Adapter>() {
    let mock = mock();
    let (running, handlers) = start::<A>(&mock);
    handlers.failures_left.store(1, Ordering::SeqCst);
    connected(&mock);
    let failing = mock.push_event(message("ev_fail", "fail once"));
    all_acked(&mock);
    let codes: Vec<i64> = mock
        .acks()
        .iter()
        .filter(|a| a.message_id == failing)
        .map(|a| a.code)
        .collect();
    assert_eq!(codes, [500, 200]);
    assert_eq!(handlers.counts(), (1, 1));
    running.stop().expect("a clean shutdown");
}

pub fn shutdown_drains_the_handlers_out<A: Adapter>() {
    let mock = mock();
    let (running, handlers) = start::<A>(&mock);
    connected(&mock);
    let slow = mock.push_event(message("ev_draining", "slow to finish"));
    wait_for("the handler to start", || handlers.counts().0 == 1);
    (running.shutdown)();
    // Nothing new is taken while draining (once the loop has seen the
    // shutdown: a blocking one looks between reads, every 100 ms at most).
    std::thread::sleep(std::time::Duration::from_millis(300));
    let later = mock.push_event(message("ev_after", "too late"));
    handlers.gate.store(true, Ordering::SeqCst);
    running.join().expect("a clean shutdown");
    let acks = mock.acks();
    assert!(acks.iter().any(|a| a.message_id == slow && a.code == 200));
    assert!(acks.iter().all(|a| a.message_id != later));
    assert_eq!(handlers.counts(), (1, 1));
}
