//! Card actions: `card.action.trigger` in `type=event` frames and `type=card`
//! frames alike; the ACK waits for the handler's answer and carries it,
//! or carries the fallback toast once the budget is spent, never sooner.

use feishu_core::event::{CardProtocol, CardResponse, Incoming, ToastKind};
use feishu_core::im::content::Card;
use proptest::prelude::*;
use serde_json::json;

use crate::*;

#[test]
fn a_card_action_is_answered_with_the_handlers_toast() {
    let mut harness = Harness::connected(quick());
    let frame = event_frame(1, &card_action("c-1"));
    let round = harness.feed(&frame);
    assert!(round.acks().is_empty());
    let received = only_delivery(round);
    let Incoming::CardAction(action) = &received.incoming else {
        panic!("a card action");
    };
    assert_eq!(action.protocol, CardProtocol::V2);
    assert_eq!(action.event_id.as_deref(), Some("c-1"));
    assert_eq!(action.open_message_id.as_deref(), Some("om_card"));
    assert_eq!(action.action.value, json!({"approve": "yes"}));

    harness.advance(ms(800));
    let answer = CardResponse::toast(ToastKind::Success, "Approved");
    let round = harness.handled(&received, Outcome::Card(answer));
    let (ack, payload) = only_ack(&round);
    assert_eq!(payload["code"], 200);
    assert_eq!(
        card_data(&payload),
        json!({"toast": {"type": "success", "content": "Approved"}})
    );
    assert_eq!(ack.header("biz_rt"), Some("800"));
    assert_eq!(ack.header("instance_id"), Some("gw-instance-3"));
}

#[test]
fn the_ack_carries_a_new_card_too() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &card_action("c-2"))));
    let card = Card::raw(json!({"schema": "2.0", "body": {"elements": []}}));
    let answer = CardResponse::toast(ToastKind::Info, "Updated").card(card);
    let round = harness.handled(&received, Outcome::Card(answer));
    let (_, payload) = only_ack(&round);
    assert_eq!(
        card_data(&payload),
        json!({
            "toast": {"type": "info", "content": "Updated"},
            "card": {"type": "raw", "data": {"schema": "2.0", "body": {"elements": []}}},
        })
    );
}

#[test]
fn card_frames_are_card_actions_too() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&data_frame(1, "card", &card_action("c-3"))));
    assert!(is_card(&received));
    let round = harness.handled(
        &received,
        Outcome::Card(CardResponse::toast(ToastKind::Error, "No")),
    );
    let (ack, payload) = only_ack(&round);
    assert_eq!(ack.header("type"), Some("card"));
    assert_eq!(card_data(&payload)["toast"]["content"], "No");
}

#[test]
fn an_old_protocol_card_body_in_a_card_frame_is_a_card_action() {
    let mut harness = Harness::connected(quick());
    let body = json!({
        "open_id": "ou_1", "open_message_id": "om_2", "open_chat_id": "oc_3", "tenant_key": "t",
        "token": "c-legacy", "action": {"tag": "button", "value": {"k": "v"}},
    });
    let received = only_delivery(harness.feed(&data_frame(1, "card", body.to_string().as_bytes())));
    let Incoming::CardAction(action) = &received.incoming else {
        panic!("a card action");
    };
    assert_eq!(action.protocol, CardProtocol::Legacy);
    assert_eq!(action.open_message_id.as_deref(), Some("om_2"));
    let round = harness.handled(
        &received,
        Outcome::Card(CardResponse::toast(ToastKind::Info, "ok")),
    );
    assert_eq!(
        card_data(&only_ack(&round).1),
        json!({"toast": {"type": "info", "content": "ok"}})
    );
}

#[test]
fn a_late_card_handler_gets_the_fallback_toast_at_the_budget() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &card_action("c-4"))));
    harness.advance(ms(2499));
    assert!(harness.round().acks().is_empty());
    let round = harness.wake();
    assert_eq!(harness.now, t0() + ms(2500));
    let (ack, payload) = only_ack(&round);
    assert_eq!(ack.header("biz_rt"), Some("2500"));
    assert_eq!(
        card_data(&payload),
        json!({"toast": {"type": "info", "content": "Processing…"}})
    );
    // The handler's answer after the fallback is not sent again.
    let round = harness.handled(
        &received,
        Outcome::Card(CardResponse::toast(ToastKind::Success, "late")),
    );
    assert!(round.acks().is_empty());
}

#[test]
fn the_fallback_and_the_budget_are_options() {
    let mut options = Options::default();
    options.card_ack_timeout = ms(1000);
    options.card_fallback = CardResponse::toast(ToastKind::Warning, "稍等");
    let mut harness = Harness::connected_with(options, quick());
    let _ = harness.feed(&event_frame(1, &card_action("c-5")));
    let round = harness.wake();
    assert_eq!(harness.now, t0() + ms(1000));
    assert_eq!(card_data(&only_ack(&round).1)["toast"]["content"], "稍等");
}

#[test]
fn a_failed_or_unhandled_card_action() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &card_action("c-6"))));
    let round = harness.handled(&received, Outcome::Failed("boom".into()));
    assert_eq!(only_ack(&round).1, json!({"code": 500}));
    let received = only_delivery(harness.feed(&event_frame(2, &card_action("c-7"))));
    let round = harness.handled(&received, Outcome::Unhandled);
    assert_eq!(only_ack(&round).1, json!({"code": 200}));
}

#[test]
fn a_card_answer_to_an_event_is_ignored() {
    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &message("e-1", "x"))));
    let round = harness.handled(
        &received,
        Outcome::Card(CardResponse::toast(ToastKind::Info, "?")),
    );
    assert_eq!(only_ack(&round).1, json!({"code": 200}));
}

proptest! {
    /// Whenever the handler answers (or not at all) and however the clock
    /// steps, a card's ACK is written only once the handler answered or
    /// the budget ran out, and exactly once.
    #[test]
    fn no_card_is_acked_before_its_handler_or_the_fallback(
        answer_after in proptest::option::of(0u64..5000),
        steps in proptest::collection::vec(1u64..700, 1..40),
    ) {
        let mut harness = Harness::connected(quick());
        let received = only_delivery(harness.feed(&event_frame(1, &card_action("c-p"))));
        let start = harness.now;
        let budget = 2500;
        let mut answered = false;
        let mut acks = 0;
        for step in steps {
            harness.advance(ms(step));
            let elapsed = harness.now.duration_since(start).expect("later").as_millis() as u64;
            let answering = answer_after.is_some_and(|after| !answered && elapsed >= after);
            let round = if answering {
                answered = true;
                harness.handled(&received, Outcome::Card(CardResponse::toast(ToastKind::Success, "done")))
            } else {
                harness.round()
            };
            let written = round.acks().len();
            if written > 0 {
                prop_assert!(answering || elapsed >= budget, "ACKed at {} ms, unanswered", elapsed);
                let (_, payload) = only_ack(&round);
                let content = card_data(&payload)["toast"]["content"].clone();
                prop_assert_eq!(content, if answering { json!("done") } else { json!("Processing…") });
            }
            acks += written;
        }
        prop_assert!(acks <= 1);
    }
}
