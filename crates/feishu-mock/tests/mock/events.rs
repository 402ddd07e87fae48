//! Event delivery: encrypted and token-only bodies, the event builders, and
//! the ticket push after `app_ticket/resend`.

use std::thread;
use std::time::{Duration, Instant};

use feishu_mock::{
    EventSecurity, MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_APP_TICKET, MockServer,
    SELF_BUILT_APP_ID, WebhookTarget,
};
use serde_json::{Value, json};

use crate::receiver::{Receiver, decrypt, unix_now};
use crate::support::{MESSAGES, TICKET_RESEND, call, post, self_built_token};

pub const ENCRYPT_KEY: &str = "mock encrypt key";
pub const TOKEN: &str = "mock-verification-token";

pub fn encrypted(receiver: &Receiver) -> WebhookTarget {
    WebhookTarget {
        url: receiver.url(),
        security: EventSecurity::Encrypted {
            encrypt_key: ENCRYPT_KEY.to_owned(),
            verification_token: TOKEN.to_owned(),
        },
    }
}

pub fn token_only(receiver: &Receiver) -> WebhookTarget {
    WebhookTarget {
        url: receiver.url(),
        security: EventSecurity::TokenOnly {
            verification_token: TOKEN.to_owned(),
        },
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[test]
fn encrypted_delivery_is_signed_and_decrypts_to_the_payload() {
    let server = MockServer::start();
    let receiver = Receiver::start();
    let event = server.message_event("oc_mock_general", "ou_alice", "hi", TOKEN);
    let report = server.deliver_event(&encrypted(&receiver), &event);
    assert!(report.delivered, "{report:?}");
    assert_eq!(report.attempts.len(), 1);
    assert_eq!(report.attempts[0].status, Some(200));
    assert_eq!(report.attempts[0].body, br#"{"msg":"success"}"#);
    assert_eq!(report.payload, event);
    assert_eq!(report.url, receiver.url());

    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/webhook/event")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    let lengths: Vec<_> = request
        .headers
        .iter()
        .filter(|(n, _)| n == "content-length")
        .collect();
    assert_eq!(lengths.len(), 1, "{request:?}");
    assert_eq!(lengths[0].1, request.body.len().to_string());
    let host = receiver
        .url()
        .trim_start_matches("http://")
        .replace("/webhook/event", "");
    assert_eq!(request.header("host"), Some(host.as_str()));
    assert_eq!(report.attempts[0].sent_body, request.body);
    // The signature covers the exact envelope bytes received.
    assert!(request.signed_with(ENCRYPT_KEY), "{request:?}");
    assert!(!request.signed_with("another key"));
    let timestamp: i64 = request
        .header("x-lark-request-timestamp")
        .expect("ts")
        .parse()
        .expect("seconds");
    assert!((timestamp - unix_now()).abs() <= 5, "{timestamp}");
    assert!(
        !request
            .header("x-lark-request-nonce")
            .expect("nonce")
            .is_empty()
    );
    let signature = request.header("x-lark-signature").expect("signature");
    assert!(is_hex(signature, 64), "{signature}");

    let plain = decrypt(ENCRYPT_KEY, &request.encrypt()).expect("decrypts");
    assert_eq!(
        serde_json::from_slice::<Value>(&plain).expect("JSON"),
        event
    );
    assert_eq!(plain, event.to_string().into_bytes());
    assert_eq!(server.deliveries().len(), 1);
}

#[test]
fn token_only_delivery_is_plain_and_unsigned() {
    let server = MockServer::start();
    let receiver = Receiver::start();
    let event = server.app_ticket_event(MARKETPLACE_APP_ID, TOKEN);
    let report = server.deliver_event(&token_only(&receiver), &event);
    assert!(report.delivered, "{report:?}");
    let request = &receiver.requests()[0];
    assert_eq!(request.json(), event);
    assert_eq!(request.body, event.to_string().into_bytes());
    assert!(!request.has_signature_headers(), "{request:?}");
    assert_eq!(request.header("content-type"), Some("application/json"));
}

#[test]
fn message_event_follows_the_receive_v1_shape() {
    let server = MockServer::start();
    let event = server.message_event("oc_mock_general", "ou_alice", "hello \"bot\"", TOKEN);
    assert_eq!(event["schema"], "2.0");
    let header = &event["header"];
    assert!(
        is_hex(header["event_id"].as_str().expect("event_id"), 32),
        "{header}"
    );
    assert_eq!(header["event_type"], "im.message.receive_v1");
    assert_eq!(header["token"], TOKEN);
    assert_eq!(header["app_id"], SELF_BUILT_APP_ID);
    assert_eq!(header["tenant_key"], "mock_self_built_tenant");
    let create_time = header["create_time"].as_str().expect("a string");
    assert_eq!(create_time.len(), 13, "milliseconds: {create_time}");

    let sender = &event["event"]["sender"];
    assert_eq!(sender["sender_type"], "user");
    assert_eq!(sender["tenant_key"], "mock_self_built_tenant");
    assert_eq!(sender["sender_id"]["open_id"], "ou_alice");
    assert!(
        sender["sender_id"]["union_id"]
            .as_str()
            .expect("union_id")
            .starts_with("on_")
    );
    assert!(sender["sender_id"]["user_id"].is_string());

    let message = &event["event"]["message"];
    assert_eq!(message["chat_id"], "oc_mock_general");
    assert_eq!(message["chat_type"], "group");
    assert_eq!(message["message_type"], "text");
    assert_eq!(message["create_time"], create_time);
    let content = message["content"]
        .as_str()
        .expect("content is a JSON string");
    let content: Value = serde_json::from_str(content).expect("JSON");
    assert_eq!(content, json!({ "text": "hello \"bot\"" }));

    // The message is stored, and the bot can reply to it.
    let message_id = message["message_id"].as_str().expect("message_id");
    let stored = server.messages();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].message_id, message_id);
    assert_eq!(stored[0].sender_id, "ou_alice");
    assert_eq!(stored[0].chat_id, "oc_mock_general");
    let token = self_built_token(&server);
    let reply = json!({ "msg_type": "text", "content": r#"{"text":"hi"}"# });
    let path = format!("{MESSAGES}/{message_id}/reply");
    let answer = call(&server, "POST", &path, &token, Some(&reply));
    assert_eq!(answer.code(), 0, "{answer:?}");
    assert_eq!(answer.json()["data"]["parent_id"], message_id);

    let again = server.message_event("oc_mock_general", "ou_alice", "hi", TOKEN);
    assert_ne!(again["header"]["event_id"], header["event_id"]);
}

#[test]
fn message_event_in_an_unknown_chat_is_a_p2p_chat() {
    let server = MockServer::start();
    let event = server.message_event("oc_dm_alice", "ou_alice", "hi", TOKEN);
    assert_eq!(event["event"]["message"]["chat_type"], "p2p");
    let token = self_built_token(&server);
    let body =
        json!({ "receive_id": "oc_dm_alice", "msg_type": "text", "content": r#"{"text":"yo"}"# });
    let path = format!("{MESSAGES}?receive_id_type=chat_id");
    assert_eq!(call(&server, "POST", &path, &token, Some(&body)).code(), 0);
}

#[test]
fn app_ticket_event_is_v1_with_the_current_ticket() {
    let server = MockServer::start();
    let event = server.app_ticket_event(MARKETPLACE_APP_ID, TOKEN);
    assert_eq!(event["type"], "event_callback");
    assert_eq!(event["token"], TOKEN);
    assert!(is_hex(event["uuid"].as_str().expect("uuid"), 32), "{event}");
    let ts = event["ts"].as_str().expect("ts is a string");
    let (secs, fraction) = ts.split_once('.').expect("a fraction");
    assert!((secs.parse::<i64>().expect("seconds") - unix_now()).abs() <= 5);
    assert_eq!(fraction.len(), 7);
    let expected = json!({ "app_id": MARKETPLACE_APP_ID, "app_ticket": MARKETPLACE_APP_TICKET, "type": "app_ticket" });
    assert_eq!(event["event"], expected);
    let ticket = server.rotate_app_ticket(MARKETPLACE_APP_ID);
    assert_eq!(
        server.app_ticket_event(MARKETPLACE_APP_ID, TOKEN)["event"]["app_ticket"],
        ticket
    );
}

#[test]
#[should_panic(expected = "not a marketplace app")]
fn app_ticket_event_needs_a_marketplace_app() {
    let _ = MockServer::start().app_ticket_event(SELF_BUILT_APP_ID, TOKEN);
}

#[test]
#[should_panic(expected = "http://")]
fn only_http_urls_are_delivered_to() {
    let server = MockServer::start();
    let target = WebhookTarget {
        url: "https://example.com/events".to_owned(),
        security: EventSecurity::TokenOnly {
            verification_token: TOKEN.to_owned(),
        },
    };
    let _ = server.deliver_event(&target, &json!({}));
}

fn resend(server: &MockServer) {
    let body = json!({ "app_id": MARKETPLACE_APP_ID, "app_secret": MARKETPLACE_APP_SECRET });
    let reply = post(server, TICKET_RESEND, &body.to_string());
    assert_eq!(reply.code(), 0, "{reply:?}");
}

#[test]
fn resend_pushes_the_current_ticket_to_the_event_target() {
    let server = MockServer::start();
    let receiver = Receiver::start();
    resend(&server);
    thread::sleep(Duration::from_millis(200));
    assert!(receiver.requests().is_empty(), "no target yet");
    assert!(server.deliveries().is_empty());

    server.set_event_target(Some(encrypted(&receiver)));
    resend(&server);
    let requests = receiver.wait_for(1);
    assert_eq!(requests.len(), 1);
    assert!(requests[0].signed_with(ENCRYPT_KEY));
    let plain = decrypt(ENCRYPT_KEY, &requests[0].encrypt()).expect("decrypts");
    let event: Value = serde_json::from_slice(&plain).expect("JSON");
    assert_eq!(event["token"], TOKEN);
    assert_eq!(event["event"]["type"], "app_ticket");
    assert_eq!(event["event"]["app_ticket"], MARKETPLACE_APP_TICKET);

    let ticket = server.rotate_app_ticket(MARKETPLACE_APP_ID);
    resend(&server);
    let requests = receiver.wait_for(2);
    let plain = decrypt(ENCRYPT_KEY, &requests[1].encrypt()).expect("decrypts");
    let event: Value = serde_json::from_slice(&plain).expect("JSON");
    assert_eq!(event["event"]["app_ticket"], ticket);
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.deliveries().len() < 2 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    let deliveries = server.deliveries();
    assert_eq!(deliveries.len(), 2, "{deliveries:?}");
    assert!(deliveries.iter().all(|d| d.delivered));
    assert_eq!(deliveries[1].payload, event);

    server.set_event_target(None);
    resend(&server);
    thread::sleep(Duration::from_millis(200));
    assert_eq!(receiver.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivers_from_inside_a_multi_thread_runtime() {
    let server = std::sync::Arc::new(MockServer::start());
    let receiver = Receiver::start();
    let target = token_only(&receiver);
    let event = server.message_event("oc_mock_general", "ou_bob", "hi", TOKEN);
    let server2 = std::sync::Arc::clone(&server);
    let report = tokio::task::spawn_blocking(move || server2.deliver_event(&target, &event))
        .await
        .expect("join");
    assert!(report.delivered, "{report:?}");
}
