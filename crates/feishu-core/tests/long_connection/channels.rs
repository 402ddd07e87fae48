//! One dispatcher, two channels: every sample event reaches the same
//! handler the same way over a webhook and over the long connection, and a
//! seen store shared by both lets each event through once.

use std::sync::{Arc, Mutex};

use feishu_core::event::types::{APP_TICKET, MESSAGE_RECEIVED, USER_UPDATED};
use feishu_core::event::{CardResponse, Dispatcher, Event, MemorySeenStore, ToastKind, Webhook};
use serde_json::{Value, json};

use crate::*;

const VT: &str = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";
const V1_TOKEN: &str = "41a9425ea7df4536a7623e38fa321bae";

macro_rules! samples {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../events/samples/", $path, ".json")))),*]
    };
}

const SAMPLES: &[(&str, &str)] = samples![
    "v2/im.message.receive_v1",
    "v2/im.message.reaction.created_v1",
    "v2/im.chat.member.bot.added_v1",
    "v2/application.bot.menu_v6",
    "v2/im.chat.updated_v1",
    "v2/contact.user.updated_v3",
    "v2/approval.task.status_changed_v4",
    "v2/drive.file.bitable_record_changed_v1",
    "v1/app_ticket",
    "v1/approval_task",
    "v1/add_bot",
    "v1/order_paid",
];

type Log = Arc<Mutex<Vec<String>>>;

/// A bot's handlers: some typed, the rest through the fallback.
fn handlers(log: &Log) -> Dispatcher {
    let (a, b, c, d, e) = (
        log.clone(),
        log.clone(),
        log.clone(),
        log.clone(),
        log.clone(),
    );
    Dispatcher::new()
        .on(MESSAGE_RECEIVED, move |header, received| {
            let text = received
                .message
                .resolved_content()
                .plain_text()
                .unwrap_or_default();
            a.lock()
                .expect("log")
                .push(format!("{:?} message {text:?}", header.schema));
            Ok(())
        })
        .on(USER_UPDATED, move |_, changed| {
            b.lock()
                .expect("log")
                .push(format!("user {:?}", changed.object.name));
            Ok(())
        })
        .on(APP_TICKET, move |_, ticket| {
            c.lock()
                .expect("log")
                .push(format!("ticket for {}", ticket.app_id));
            Ok(())
        })
        .on_card_action(move |action| {
            d.lock()
                .expect("log")
                .push(format!("card {}", action.action.tag));
            Ok(CardResponse::toast(ToastKind::Success, "ok"))
        })
        .fallback(move |event: Event| {
            e.lock()
                .expect("log")
                .push(format!("{:?} other {}", event.schema, event.event_type));
            Ok(())
        })
}

fn webhook_request(body: &str) -> http::Request<Vec<u8>> {
    http::Request::post("/webhook")
        .body(body.as_bytes().to_vec())
        .expect("a request")
}

#[test]
fn every_sample_reaches_the_same_handler_on_both_channels() {
    let over_webhook = Log::default();
    let over_socket = Log::default();
    let (webhook_handlers, socket_handlers) = (handlers(&over_webhook), handlers(&over_socket));

    for (name, body) in SAMPLES {
        let token = if name.starts_with("v1/") {
            V1_TOKEN
        } else {
            VT
        };
        let response =
            Webhook::token_only(token).serve(&webhook_handlers, &webhook_request(body), t0());
        assert_eq!(response.status(), 200, "{name}");
    }

    let mut harness = Harness::connected(quick());
    for (seq, (name, body)) in SAMPLES.iter().enumerate() {
        let round = harness.feed(&event_frame(seq as u64, body.as_bytes()));
        let received = only_delivery(round);
        let outcome = socket_handlers.dispatch(received.incoming.clone());
        let round = harness.handled(&received, outcome);
        assert_eq!(only_ack(&round).1, json!({"code": 200}), "{name}");
    }

    let webhook = over_webhook.lock().expect("log").clone();
    let socket = over_socket.lock().expect("log").clone();
    assert_eq!(webhook, socket);
    assert_eq!(
        webhook[..3],
        [
            "V2 message \"发布\\n@Release Bot 请看 说明\\n\\nfn main() {}\\n\\n[THUMBSUP]\\n\\n\"",
            "V2 other im.message.reaction.created_v1",
            "V2 other im.chat.member.bot.added_v1",
        ]
    );
    assert!(webhook.contains(&"user Some(\"张三丰\")".to_owned()));
    assert!(webhook.contains(&"ticket for cli_9f5343c580712544".to_owned()));
    assert!(webhook.contains(&"V1 other order_paid".to_owned()));
}

#[test]
fn a_card_action_is_answered_alike_on_both_channels() {
    let log = Log::default();
    let dispatcher = handlers(&log);
    let mut body: Value = serde_json::from_slice(&card_action("c-both")).expect("JSON");
    body["header"]["token"] = json!(VT);
    let request = webhook_request(&body.to_string());
    let response = Webhook::token_only(VT).serve(&dispatcher, &request, t0());
    let over_webhook: Value = serde_json::from_slice(response.body()).expect("JSON");

    let mut harness = Harness::connected(quick());
    let received = only_delivery(harness.feed(&event_frame(1, &card_action("c-both-2"))));
    let outcome = dispatcher.dispatch(received.incoming.clone());
    let round = harness.handled(&received, outcome);
    let over_socket = card_data(&only_ack(&round).1);
    assert_eq!(over_webhook, over_socket);
    assert_eq!(
        over_socket,
        json!({"toast": {"type": "success", "content": "ok"}})
    );
}

#[test]
fn a_shared_seen_store_lets_each_event_through_once() {
    let store = Arc::new(MemorySeenStore::default());
    let log = Log::default();
    let dispatcher = handlers(&log);
    let webhook = Webhook::token_only(VT).seen_store(store.clone());
    let (_, body) = SAMPLES[0];
    let response = webhook.serve(&dispatcher, &webhook_request(body), t0());
    assert_eq!(response.status(), 200);

    let mut harness = Harness::new();
    harness.session = Session::new(&config(), 3)
        .expect("an app")
        .seen_store(store);
    harness.connect_with(quick());
    let round = harness.feed(&event_frame(1, body.as_bytes()));
    assert!(
        round.delivered.is_empty(),
        "delivered over the webhook already"
    );
    assert_eq!(only_ack(&round).1, json!({"code": 200}));
    assert_eq!(log.lock().expect("log").len(), 1);
}
