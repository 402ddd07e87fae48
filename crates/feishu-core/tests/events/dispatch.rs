//! The dispatcher: typed handlers, by-name handlers, the fallback and the
//! card handler; `Webhook::serve` answering with what they made of each
//! request, blocking and async alike.

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use feishu_core::event::types::{BOT_ADDED, MESSAGE_RECEIVED, USER_CREATED};
use feishu_core::event::{
    Async, CardResponse, Dispatcher, Event, Incoming, Outcome, ToastKind, Webhook,
};
use serde_json::{Value, json};

use crate::*;

/// Runs a future that never waits on I/O to its end.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

type Log = Arc<Mutex<Vec<String>>>;

fn note(log: &Log, line: String) {
    log.lock().expect("the log").push(line);
}

fn lines(log: &Log) -> Vec<String> {
    log.lock().expect("the log").clone()
}

/// A dispatcher that writes down what each handler saw.
fn logging(log: &Log) -> Dispatcher {
    let (a, b, c, d) = (log.clone(), log.clone(), log.clone(), log.clone());
    Dispatcher::new()
        .on(MESSAGE_RECEIVED, move |header, received| {
            note(
                &a,
                format!("message {} {:?}", received.message.chat_id, header.event_id),
            );
            Ok(())
        })
        .on(BOT_ADDED, move |_, added| {
            note(&b, format!("bot added {}", added.chat_id));
            Err("cannot greet".into())
        })
        .on_card_action(move |action| {
            note(&c, format!("card {}", action.action.tag));
            Ok(CardResponse::toast(ToastKind::Success, "Approved"))
        })
        .fallback(move |event: Event| {
            note(&d, format!("fallback {}", event.event_type));
            Ok(())
        })
}

fn incoming(name: &str, token: &str) -> Incoming {
    let handled = Webhook::token_only(token).handle(&post(body(name).as_bytes()), now());
    match handled.delivery {
        feishu_core::event::Delivery::Event(event) => Incoming::Event(event),
        feishu_core::event::Delivery::CardAction(action) => Incoming::CardAction(action),
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_incoming_goes_to_its_handler() {
    let log = Log::default();
    let dispatcher = logging(&log);
    assert!(matches!(
        dispatcher.dispatch(incoming("v2_receive.json", VT)),
        Outcome::Done
    ));
    assert!(matches!(
        dispatcher.dispatch(incoming("v2_bot_added.json", VT)),
        Outcome::Failed(error) if error.to_string() == "cannot greet"
    ));
    assert!(matches!(
        dispatcher.dispatch(incoming("card_trigger.json", VT)),
        Outcome::Card(_)
    ));
    // No typed handler: the fallback's.
    assert!(matches!(
        dispatcher.dispatch(incoming("v2_message_read.json", VT)),
        Outcome::Done
    ));
    assert_eq!(
        lines(&log),
        [
            "message oc_5ce6d572455d361153b7xx51da133945 Some(\"5e3702a84e847582be8db7fb73283c02\")",
            "bot added oc_413871ec1b4a1aa5a6aa3d5f8a7a5e4e",
            "card button",
            "fallback im.message.message_read_v1",
        ]
    );
}

#[test]
fn a_misshapen_known_type_goes_to_the_fallback() {
    let log = Log::default();
    let dispatcher = logging(&log);
    let outcome = dispatcher.dispatch(incoming("v2_wrong_shape.json", VT));
    assert!(matches!(outcome, Outcome::Done));
    assert_eq!(lines(&log), ["fallback im.message.receive_v1"]);
}

#[test]
fn with_no_handler_everything_is_unhandled() {
    let dispatcher = Dispatcher::new();
    for (name, token) in [
        ("v2_receive.json", VT),
        ("card_trigger.json", VT),
        ("v1_app_ticket.json", V1_TOKEN),
    ] {
        assert!(
            matches!(
                dispatcher.dispatch(incoming(name, token)),
                Outcome::Unhandled
            ),
            "{name}"
        );
    }
}

#[test]
fn untyped_types_are_handled_by_name() {
    let log = Log::default();
    let seen = log.clone();
    let dispatcher = Dispatcher::new().on_event_type("custom.unicode_v1", move |event| {
        let feishu_core::event::EventKind::Unknown { raw, .. } = event.kind else {
            return Err("typed?".into());
        };
        note(&seen, raw["emoji"].as_str().unwrap_or_default().to_owned());
        Ok(())
    });
    assert!(dispatcher.handles("custom.unicode_v1"));
    assert!(!dispatcher.handles("im.message.receive_v1"));
    assert!(matches!(
        dispatcher.dispatch(incoming("unicode.json", VT)),
        Outcome::Done
    ));
    assert_eq!(lines(&log), ["👍🏽"]);
}

#[test]
fn the_last_handler_for_a_type_wins() {
    let dispatcher = Dispatcher::new()
        .on(MESSAGE_RECEIVED, |_, _| Err("first".into()))
        .on(MESSAGE_RECEIVED, |_, _| Ok(()));
    assert!(matches!(
        dispatcher.dispatch(incoming("v2_receive.json", VT)),
        Outcome::Done
    ));
    let shown = format!("{dispatcher:?}");
    assert!(shown.contains("im.message.receive_v1"), "{shown}");
}

#[test]
fn serve_answers_an_event_after_its_handler() {
    let log = Log::default();
    let dispatcher = logging(&log);
    let webhook = Webhook::token_only(VT);
    let response = webhook.serve(
        &dispatcher,
        &post(body("v2_receive.json").as_bytes()),
        now(),
    );
    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), br#"{"msg":"success"}"#);
    // A redelivery is a duplicate: the handler does not run again.
    let response = webhook.serve(
        &dispatcher,
        &post(body("v2_receive.json").as_bytes()),
        now(),
    );
    assert_eq!(response.status(), 200);
    assert_eq!(lines(&log).len(), 1);
}

#[test]
fn serve_answers_500_to_a_failed_handler_and_forgets_the_id() {
    let log = Log::default();
    let dispatcher = logging(&log);
    let webhook = Webhook::token_only(VT);
    let request = post(body("v2_bot_added.json").as_bytes());
    let response = webhook.serve(&dispatcher, &request, now());
    assert_eq!(response.status(), 500);
    assert_eq!(response.body(), br#"{"msg":"handler failed"}"#);
    // Feishu redelivers, and the handler runs again.
    let response = webhook.serve(&dispatcher, &request, now());
    assert_eq!(response.status(), 500);
    assert_eq!(lines(&log).len(), 2);
}

#[test]
fn serve_answers_a_card_action_with_the_handlers_response() {
    let log = Log::default();
    let dispatcher = logging(&log);
    let webhook = Webhook::token_only(VT);
    let response = webhook.serve(
        &dispatcher,
        &post(body("card_trigger.json").as_bytes()),
        now(),
    );
    assert_eq!(response.status(), 200);
    let answer: Value = serde_json::from_slice(response.body()).expect("JSON");
    assert_eq!(
        answer,
        json!({"toast": {"type": "success", "content": "Approved"}})
    );
}

#[test]
fn serve_passes_challenges_and_refusals_through() {
    let dispatcher = Dispatcher::new().fallback(|_| panic!("no event here"));
    let webhook = Webhook::token_only(VT);
    let response = webhook.serve(
        &dispatcher,
        &post(body("url_verification.json").as_bytes()),
        now(),
    );
    assert_eq!(response.status(), 200);
    let response = webhook.serve(
        &dispatcher,
        &post(body("url_verification_wrong_token.json").as_bytes()),
        now(),
    );
    assert_eq!(response.status(), 401);
}

/// The async flavour, with handlers that own what they need.
fn async_dispatcher(log: &Log) -> Dispatcher<Async> {
    let (a, b) = (log.clone(), log.clone());
    Dispatcher::new_async()
        .on(USER_CREATED, move |_, created| {
            let log = a.clone();
            async move {
                note(
                    &log,
                    format!("user {}", created.object.name.unwrap_or_default()),
                );
                Ok(())
            }
        })
        .on_card_action(move |action| {
            let log = b.clone();
            async move {
                note(&log, format!("card {:?}", action.open_message_id));
                Ok(CardResponse::toast(ToastKind::Info, "queued"))
            }
        })
        .fallback(|_| async { Err("no".into()) })
}

fn assert_send_static<T: Send + 'static>(_: &T) {}

#[test]
fn async_handlers_are_futures_the_driver_awaits() {
    let log = Log::default();
    let dispatcher = async_dispatcher(&log);
    let future = dispatcher.dispatch(incoming("v2_unknown.json", VT));
    // Owned and Send: a runtime can spawn it.
    assert_send_static(&future);
    assert!(lines(&log).is_empty(), "nothing runs until awaited");
    assert!(matches!(block_on(future), Outcome::Done));
    assert!(matches!(
        block_on(dispatcher.dispatch(incoming("v2_receive.json", VT))),
        Outcome::Failed(_)
    ));
    assert!(matches!(
        block_on(dispatcher.dispatch(incoming("card_trigger.json", VT))),
        Outcome::Card(_)
    ));
    assert_eq!(
        lines(&log),
        [
            "user 张三",
            "card Some(\"om_x100b4b5b3c3d2a8b4c0d2e1f0a9b8c7d\")"
        ]
    );
}

#[test]
fn serve_async_answers_as_serve_does() {
    let log = Log::default();
    let dispatcher = async_dispatcher(&log);
    let webhook = Webhook::token_only(VT);
    let response = block_on(webhook.serve_async(
        &dispatcher,
        &post(body("card_trigger.json").as_bytes()),
        now(),
    ));
    let answer: Value = serde_json::from_slice(response.body()).expect("JSON");
    assert_eq!(
        answer,
        json!({"toast": {"type": "info", "content": "queued"}})
    );
    let response = block_on(webhook.serve_async(
        &dispatcher,
        &post(body("v2_receive.json").as_bytes()),
        now(),
    ));
    assert_eq!(response.status(), 500);
}
