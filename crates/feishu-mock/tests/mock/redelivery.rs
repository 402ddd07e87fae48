//! Redelivery: errors and timeouts are retried on the (shortened) schedule,
//! with fresh values every attempt, until delivered or out of retries.

use std::net::TcpListener;
use std::time::Duration;

use feishu_mock::{EventSecurity, MockServer, WebhookTarget};
use serde_json::json;

use crate::events::{ENCRYPT_KEY, TOKEN, encrypted, token_only};
use crate::receiver::{Answer, Receiver, answer, decrypt};

const RETRY: Duration = Duration::from_millis(50);

fn server(retries: usize, timeout: Duration) -> MockServer {
    MockServer::builder()
        .redelivery_delays(vec![RETRY; retries])
        .delivery_timeout(timeout)
        .start()
        .expect("started")
}

#[test]
fn an_error_is_retried_with_fresh_values() {
    let server = server(2, Duration::from_secs(2));
    let receiver = Receiver::start();
    receiver.script(&[answer(500)]);
    let event = json!({ "schema": "2.0", "header": { "token": TOKEN } });
    let report = server.deliver_event(&encrypted(&receiver), &event);
    assert!(report.delivered, "{report:?}");
    let statuses: Vec<_> = report.attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(200)]);

    let requests = receiver.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].at - requests[0].at >= RETRY);
    for request in &requests {
        assert!(request.signed_with(ENCRYPT_KEY), "{request:?}");
        let plain = decrypt(ENCRYPT_KEY, &request.encrypt()).expect("decrypts");
        assert_eq!(plain, event.to_string().into_bytes());
    }
    let header = |i: usize, name| requests[i].header(name).expect(name).to_owned();
    assert_ne!(
        header(0, "x-lark-request-nonce"),
        header(1, "x-lark-request-nonce")
    );
    assert_ne!(header(0, "x-lark-signature"), header(1, "x-lark-signature"));
    assert_ne!(
        requests[0].encrypt()[..24],
        requests[1].encrypt()[..24],
        "a fresh IV"
    );
}

#[test]
fn a_slow_answer_times_out_and_is_retried() {
    let timeout = Duration::from_millis(300);
    let server = server(1, timeout);
    let receiver = Receiver::start();
    let slow = Answer {
        status: 200,
        delay: Duration::from_millis(900),
    };
    receiver.script(&[slow]);
    let report = server.deliver_event(&token_only(&receiver), &json!({ "token": TOKEN }));
    assert!(report.delivered, "{report:?}");
    let first = &report.attempts[0];
    assert_eq!(first.status, None);
    assert!(first.body.is_empty());
    assert!(
        first
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no answer")),
        "{first:?}"
    );
    assert!(
        first.elapsed >= timeout && first.elapsed < Duration::from_millis(800),
        "{first:?}"
    );
    assert_eq!(report.attempts[1].status, Some(200));
    assert_eq!(receiver.requests().len(), 2);
}

#[test]
fn out_of_retries_every_attempt_is_recorded() {
    let server = server(2, Duration::from_secs(2));
    let receiver = Receiver::start();
    receiver.script(&[answer(500), answer(503), answer(202)]);
    let report = server.deliver_event(&token_only(&receiver), &json!({ "token": TOKEN }));
    assert!(!report.delivered, "{report:?}");
    let statuses: Vec<_> = report.attempts.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses,
        [Some(500), Some(503), Some(202)],
        "only 200 counts"
    );
    assert!(
        report
            .attempts
            .iter()
            .all(|a| a.body == br#"{"msg":"success"}"#)
    );
    assert_eq!(receiver.requests().len(), 3);
    let logged = server.deliveries();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].attempts.len(), 3);
    assert!(!logged[0].delivered);
}

#[test]
fn an_unreachable_webhook_fails_every_attempt() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let server = server(1, Duration::from_secs(2));
    let target = WebhookTarget {
        url: format!("http://127.0.0.1:{port}/events"),
        security: EventSecurity::TokenOnly {
            verification_token: TOKEN.to_owned(),
        },
    };
    let report = server.deliver_event(&target, &json!({}));
    assert!(!report.delivered);
    assert_eq!(report.attempts.len(), 2);
    for attempt in &report.attempts {
        assert_eq!(attempt.status, None);
        assert!(
            attempt
                .error
                .as_deref()
                .is_some_and(|e| e.contains("connect")),
            "{attempt:?}"
        );
    }
}

#[test]
fn the_default_schedule_is_feishus() {
    let builder = format!("{:?}", MockServer::builder());
    assert!(
        builder.contains("redelivery_delays: [15s, 300s, 3600s, 21600s]"),
        "{builder}"
    );
    assert!(builder.contains("delivery_timeout: 3s"), "{builder}");
}
