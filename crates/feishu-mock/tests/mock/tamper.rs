//! Every [`Tamper`] is visibly applied, and only it.

use feishu_mock::{MockServer, Tamper};
use serde_json::{Value, json};

use crate::events::{ENCRYPT_KEY, TOKEN, encrypted, token_only};
use crate::receiver::{Receiver, Request, decrypt, signature, unix_now};

const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn event() -> Value {
    json!({ "schema": "2.0", "header": { "event_id": "e1", "token": TOKEN }, "event": {} })
}

/// Delivers `event()` with `tamper` to an encrypted webhook; the one request.
fn delivered(tamper: Tamper) -> Request {
    let server = MockServer::start();
    let receiver = Receiver::start();
    let report = server.deliver_event_with(&encrypted(&receiver), &event(), tamper);
    assert!(report.delivered, "the webhook answered 200: {report:?}");
    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(report.attempts[0].sent_body, requests[0].body);
    requests.into_iter().next().expect("one")
}

fn decrypts_to_the_event(key: &str, request: &Request) -> bool {
    decrypt(key, &request.encrypt()).is_ok_and(|plain| plain == event().to_string().into_bytes())
}

#[test]
fn untampered_is_signed_with_the_key() {
    let request = delivered(Tamper::None);
    assert!(request.signed_with(ENCRYPT_KEY));
    assert!(decrypts_to_the_event(ENCRYPT_KEY, &request));
}

#[test]
fn body_flips_one_byte_after_signing() {
    let request = delivered(Tamper::Body);
    assert!(!request.signed_with(ENCRYPT_KEY), "{request:?}");
    // Exactly one single-character change of `encrypt` restores the signed bytes.
    let header = |name| request.header(name).expect(name);
    let (ts, nonce, sig) = (
        header("x-lark-request-timestamp"),
        header("x-lark-request-nonce"),
        header("x-lark-signature"),
    );
    let start = r#"{"encrypt":""#.len();
    let mut restorations = 0;
    for at in start..request.body.len() - 2 {
        for &c in BASE64 {
            let mut body = request.body.clone();
            if body[at] == c {
                continue;
            }
            body[at] = c;
            if signature(ts, nonce, ENCRYPT_KEY, &body) == sig {
                restorations += 1;
            }
        }
    }
    assert_eq!(restorations, 1);
    // Still JSON with an `encrypt` string, just not the signed one.
    assert!(request.json()["encrypt"].is_string());
}

#[test]
fn timestamp_is_off_by_the_offset_and_consistently_signed() {
    let request = delivered(Tamper::Timestamp(-600));
    let ts: i64 = request
        .header("x-lark-request-timestamp")
        .expect("ts")
        .parse()
        .expect("seconds");
    assert!((ts - (unix_now() - 600)).abs() <= 5, "{ts}");
    assert!(request.signed_with(ENCRYPT_KEY));
    assert!(decrypts_to_the_event(ENCRYPT_KEY, &request));
}

#[test]
fn wrong_key_encrypts_and_signs_with_that_key() {
    let request = delivered(Tamper::WrongKey("an attacker's key".to_owned()));
    assert!(!request.signed_with(ENCRYPT_KEY));
    assert!(request.signed_with("an attacker's key"));
    assert!(decrypts_to_the_event("an attacker's key", &request));
    assert!(!decrypts_to_the_event(ENCRYPT_KEY, &request));
}

#[test]
fn unsigned_leaves_out_the_headers() {
    let request = delivered(Tamper::Unsigned);
    assert!(!request.has_signature_headers(), "{request:?}");
    assert!(decrypts_to_the_event(ENCRYPT_KEY, &request));
}

#[test]
fn body_without_an_encrypt_key_alters_the_token() {
    let server = MockServer::start();
    let receiver = Receiver::start();
    let report = server.deliver_event_with(&token_only(&receiver), &event(), Tamper::Body);
    assert!(report.delivered);
    let received = receiver.requests()[0].json();
    assert_ne!(received["header"]["token"], TOKEN);
    let mut restored = received.clone();
    restored["header"]["token"] = TOKEN.into();
    assert_eq!(restored, event());
}

#[test]
fn every_attempt_is_tampered_with() {
    let server = MockServer::builder()
        .redelivery_delays(vec![std::time::Duration::from_millis(10)])
        .start()
        .expect("started");
    let receiver = Receiver::start();
    receiver.script(&[crate::receiver::answer(500)]);
    let report = server.deliver_event_with(&encrypted(&receiver), &event(), Tamper::Unsigned);
    assert!(report.delivered);
    let requests = receiver.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| !r.has_signature_headers()));
}
