//! Request signatures with `Webhook::encrypted(key)`: SHA-256 over the
//! exact received bytes, verbatim headers, constant-time compare and a replay
//! window.

use std::sync::Arc;
use std::time::Duration;

use feishu_core::event::{Delivery, EventError, MemorySeenStore, Webhook};
use feishu_core::http::{HeaderValue, Request};

use crate::*;

const HEADERS: [&str; 3] = [
    "X-Lark-Request-Timestamp",
    "X-Lark-Request-Nonce",
    "X-Lark-Signature",
];

fn delivered(handled: &feishu_core::event::Handled) -> bool {
    matches!(handled.delivery, Delivery::Event(_))
}

#[test]
fn sha2_signing_agrees_with_openssl() {
    // The helper the other tests sign with, checked on every openssl vector.
    for v in vectors() {
        let ours = sha256_signature(
            v.timestamp.as_bytes(),
            v.nonce.as_bytes(),
            &v.encrypt_key,
            v.body.as_bytes(),
        );
        assert_eq!(ours, v.signature, "{}", v.name);
    }
    for s in signed_bodies()
        .into_iter()
        .filter(|s| s.algorithm == "sha256")
    {
        let ours = sha256_signature(
            s.timestamp.as_bytes(),
            s.nonce.as_bytes(),
            &s.secret,
            s.body.as_bytes(),
        );
        assert_eq!(ours, s.signature, "{}", s.name);
    }
}

#[test]
fn valid_signature_is_delivered() {
    let handled = Webhook::encrypted(EK).handle(&vector("receive_v1").request(), now());
    assert_eq!(event(&handled).event_type, "im.message.receive_v1");
}

#[test]
fn signed_plain_event_is_delivered() {
    // A plain body signed with the encrypt key (the key is set, encryption
    // of this body is not): the signature alone authenticates it.
    let s = signed_body("plain_bot_added");
    let handled = Webhook::encrypted(EK).handle(&s.request(), now());
    assert_eq!(event(&handled).event_type, "im.chat.member.bot.added_v1");
}

#[test]
fn trailing_newline_is_part_of_the_signed_bytes() {
    let v = vector("receive_v1");
    assert!(v.body.ends_with("}\n"));
    let handled = Webhook::encrypted(EK).handle(&v.request(), now());
    assert!(delivered(&handled));

    // The same signature over the body without its newline does not match.
    let trimmed = signed(
        v.body.trim_end().as_bytes(),
        &v.timestamp,
        &v.nonce,
        &v.signature,
    );
    let handled = Webhook::encrypted(EK).handle(&trimmed, now());
    assert_rejected(&handled, EventError::BadSignature, 401);
}

#[test]
fn signature_covers_the_envelope_not_the_plaintext() {
    // A signature over the decrypted plaintext is refused: it covers the
    // encrypted envelope as received.
    let v = vector("receive_v1");
    let over_plaintext = sha256_signature(
        v.timestamp.as_bytes(),
        v.nonce.as_bytes(),
        EK,
        v.plaintext().as_bytes(),
    );
    let request = signed(v.body.as_bytes(), &v.timestamp, &v.nonce, &over_plaintext);
    let handled = Webhook::encrypted(EK).handle(&request, now());
    assert_rejected(&handled, EventError::BadSignature, 401);
}

#[test]
fn tampered_body_byte_is_bad_signature() {
    let v = vector("receive_v1");
    // Change one base64 character: still JSON, still base64, not signed.
    let at = v.body.find("\"encrypt\":\"").expect("encrypt") + 20;
    let mut body = v.body.clone().into_bytes();
    body[at] = if body[at] == b'A' { b'B' } else { b'A' };
    let request = signed(&body, &v.timestamp, &v.nonce, &v.signature);
    let handled = Webhook::encrypted(EK).handle(&request, now());
    assert_rejected(&handled, EventError::BadSignature, 401);
}

#[test]
fn wrong_encrypt_key_is_bad_signature() {
    let v = vector("receive_v1");
    let handled = Webhook::encrypted("kX7t2Qm9vLp4Rz8w").handle(&v.request(), now());
    assert_rejected(&handled, EventError::BadSignature, 401);
}

#[test]
fn sha1_card_rule_does_not_sign_events() {
    // An event signed with SHA-1 + the verification token (the old card rule)
    // is refused.
    let s = signed_body("card_legacy");
    let body = vector("receive_v1").body;
    let request = signed(body.as_bytes(), &s.timestamp, &s.nonce, &s.signature);
    let handled = Webhook::encrypted(EK)
        .verification_token(VT)
        .handle(&request, now());
    assert_rejected(&handled, EventError::BadSignature, 401);
}

#[test]
fn missing_each_header_is_missing_signature() {
    for request in [
        vector("receive_v1").request(),
        signed_body("plain_bot_added").request(),
    ] {
        for name in HEADERS {
            let mut request = request.clone();
            request.headers_mut().remove(name);
            let handled = Webhook::encrypted(EK).handle(&request, now());
            assert_rejected(&handled, EventError::MissingSignature, 401);
        }
    }
}

#[test]
fn duplicated_header_is_missing_signature() {
    let request = vector("receive_v1").request();
    for name in HEADERS {
        let mut request = request.clone();
        let value = request.headers()[name].clone();
        request.headers_mut().append(name, value);
        let handled = Webhook::encrypted(EK).handle(&request, now());
        assert_rejected(&handled, EventError::MissingSignature, 401);
    }
}

#[test]
fn timestamp_beyond_the_window_is_stale() {
    let request = vector("receive_v1").request();
    for offset in [301, -301, 86_400, -86_400] {
        let handled = Webhook::encrypted(EK).handle(&request, at(offset));
        let skew = Duration::from_secs(offset.unsigned_abs());
        assert_rejected(&handled, EventError::StaleTimestamp { skew }, 401);
    }
}

#[test]
fn timestamp_at_exactly_the_window_is_accepted() {
    let request = vector("receive_v1").request();
    for offset in [300, -300, 0] {
        let handled = Webhook::encrypted(EK).handle(&request, at(offset));
        assert!(delivered(&handled), "{offset}: {:?}", handled.delivery);
    }
}

#[test]
fn non_numeric_timestamp_is_invalid() {
    let body = vector("receive_v1").body;
    for timestamp in [
        "abc",
        "1700000000.5",
        "-1700000000",
        "",
        "1.7e9",
        "18446744073709551616",
    ] {
        let signature = sha256_signature(timestamp.as_bytes(), b"n", EK, body.as_bytes());
        let request = signed(body.as_bytes(), timestamp, "n", &signature);
        let handled = Webhook::encrypted(EK).handle(&request, now());
        assert_rejected(&handled, EventError::InvalidTimestamp, 401);
    }
    // A number too large for a SystemTime is invalid, not a panic.
    let huge = u64::MAX.to_string();
    let signature = sha256_signature(huge.as_bytes(), b"n", EK, body.as_bytes());
    let handled =
        Webhook::encrypted(EK).handle(&signed(body.as_bytes(), &huge, "n", &signature), now());
    assert!(matches!(
        rejection(&handled),
        EventError::InvalidTimestamp | EventError::StaleTimestamp { .. }
    ));
}

#[test]
fn non_utf8_header_bytes_are_refused_not_a_panic() {
    let v = vector("receive_v1");
    for name in HEADERS {
        let mut request = v.request();
        let odd = HeaderValue::from_bytes(b"\xff\xfe").expect("obs-text is a valid header value");
        request.headers_mut().insert(name, odd);
        let handled = Webhook::encrypted(EK).handle(&request, now());
        assert_eq!(handled.response.status(), 401, "{name}");
    }
}

#[test]
fn uppercase_hex_signature_is_accepted() {
    let v = vector("receive_v1");
    let upper = v.signature.to_ascii_uppercase();
    assert_ne!(upper, v.signature);
    let request = signed(v.body.as_bytes(), &v.timestamp, &v.nonce, &upper);
    let handled = Webhook::encrypted(EK).handle(&request, now());
    assert!(delivered(&handled), "{:?}", handled.delivery);
}

#[test]
fn truncated_or_padded_signature_is_bad() {
    let v = vector("receive_v1");
    let short = &v.signature[..63];
    let long = format!("{}0", v.signature);
    for signature in [short, long.as_str(), ""] {
        let request = signed(v.body.as_bytes(), &v.timestamp, &v.nonce, signature);
        let handled = Webhook::encrypted(EK).handle(&request, now());
        assert_rejected(&handled, EventError::BadSignature, 401);
    }
}

#[test]
fn replay_window_is_configurable() {
    let request = vector("receive_v1").request();
    let narrow = || Webhook::encrypted(EK).replay_window(Duration::from_secs(60));
    assert!(delivered(&narrow().handle(&request, at(60))));
    assert!(delivered(&narrow().handle(&request, at(-60))));
    let skew = Duration::from_secs(61);
    assert_rejected(
        &narrow().handle(&request, at(61)),
        EventError::StaleTimestamp { skew },
        401,
    );

    let wide = Webhook::encrypted(EK).replay_window(Duration::from_secs(3600));
    assert!(delivered(&wide.handle(&request, at(3600))));
}

#[test]
fn unsigned_plain_event_with_an_encrypt_key_is_refused() {
    let webhook = Webhook::encrypted(EK).verification_token(VT);
    for name in [
        "v2_receive.json",
        "v2_bot_added.json",
        "v1_p2p_chat_create.json",
    ] {
        let handled = webhook.handle(&post(body(name).as_bytes()), now());
        assert_rejected(&handled, EventError::MissingSignature, 401);
    }
}

#[test]
fn rejected_request_claims_no_event_id() {
    // A forged copy must not burn the id of the real event that follows.
    let seen = Arc::new(MemorySeenStore::default());
    let webhook = Webhook::encrypted(EK).seen_store(seen);
    let v = vector("receive_v1");
    let mut forged = v.request();
    let bad = HeaderValue::from_static("00");
    forged.headers_mut().insert("X-Lark-Signature", bad);
    assert_rejected(
        &webhook.handle(&forged, now()),
        EventError::BadSignature,
        401,
    );
    assert!(delivered(&webhook.handle(&v.request(), now())));
}

#[test]
fn header_names_are_case_insensitive() {
    let v = vector("receive_v1");
    let request = Request::post("/webhook")
        .header("x-lark-request-timestamp", v.timestamp.as_str())
        .header("X-LARK-REQUEST-NONCE", v.nonce.as_str())
        .header("x-Lark-Signature", v.signature.as_str())
        .body(v.body.clone().into_bytes())
        .expect("a request");
    assert!(delivered(&Webhook::encrypted(EK).handle(&request, now())));
}
