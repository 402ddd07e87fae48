//! Properties: `encrypt` then the pipeline's decryption round-trips any
//! plaintext under any key and IV; a signature accepts exactly the signed
//! bytes and refuses any single changed byte of body, timestamp, nonce or
//! signature.
//!
//! The core's decryption is private (only a verified request may reach it),
//! so the round trip is observed through `Webhook::handle`: arbitrary strings
//! come back as a challenge or an event, and arbitrary bytes must at least
//! never fail as crypto (base64, length or padding).

use feishu_core::event::{Delivery, EventError, EventKind, Webhook, encrypt};
use feishu_core::http::{HeaderValue, Request};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::*;

/// `{"encrypt":…}` for `plaintext`, signed with `key` at `TS`.
fn encrypted_request(key: &str, iv: [u8; 16], plaintext: &[u8]) -> Request<Vec<u8>> {
    let body = json!({ "encrypt": encrypt(key, iv, plaintext) }).to_string();
    sign(key, body.as_bytes())
}

fn is_crypto_error(error: &EventError) -> bool {
    matches!(
        error,
        EventError::BadBase64 | EventError::BadCiphertextLength(_) | EventError::BadPadding
    )
}

proptest! {
    #[test]
    fn any_bytes_decrypt_under_any_key(
        key in any::<String>(),
        iv in any::<[u8; 16]>(),
        plaintext in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let handled = Webhook::encrypted(key.as_str()).handle(&encrypted_request(&key, iv, &plaintext), now());
        if let Delivery::Rejected(error) = &handled.delivery {
            prop_assert!(!is_crypto_error(error), "{error:?} for {} bytes", plaintext.len());
        }
    }

    #[test]
    fn any_challenge_round_trips(
        key in any::<String>(),
        iv in any::<[u8; 16]>(),
        value in any::<String>(),
    ) {
        let plaintext = json!({"challenge": value, "token": VT, "type": "url_verification"}).to_string();
        let webhook = Webhook::encrypted(key.as_str()).verification_token(VT);
        let handled = webhook.handle(&encrypted_request(&key, iv, plaintext.as_bytes()), now());
        prop_assert!(matches!(handled.delivery, Delivery::Challenge), "{:?}", handled.delivery);
        let answer: Value = serde_json::from_slice(handled.response.body()).expect("JSON");
        prop_assert_eq!(&answer, &json!({"challenge": value}));
    }

    #[test]
    fn any_event_round_trips(
        key in any::<String>(),
        iv in any::<[u8; 16]>(),
        event_id in "[0-9a-f]{1,40}",
        text in any::<String>(),
        numbers in proptest::collection::vec(any::<i64>(), 0..8),
    ) {
        let inner = json!({"text": text, "numbers": numbers});
        let plaintext = json!({
            "schema": "2.0",
            "header": {"event_id": event_id, "event_type": "custom.any_v1", "create_time": "1", "token": VT},
            "event": inner,
        });
        let request = encrypted_request(&key, iv, plaintext.to_string().as_bytes());
        let handled = Webhook::encrypted(key.as_str()).verification_token(VT).handle(&request, now());
        let Delivery::Event(event) = &handled.delivery else {
            return Err(TestCaseError::fail(format!("{:?}", handled.delivery)));
        };
        prop_assert_eq!(event.event_id.as_deref(), Some(event_id.as_str()));
        prop_assert_eq!(&event.kind, &EventKind::Unknown { event_type: "custom.any_v1".into(), raw: inner });
    }
}

/// A plain or encrypted event to sign, and the signing inputs.
#[derive(Clone, Debug)]
struct Signing {
    key: String,
    body: Vec<u8>,
    timestamp: String,
    nonce: String,
}

fn signing() -> impl Strategy<Value = Signing> {
    (
        any::<String>(),
        any::<String>(),
        -300i64..=300,
        "[!-~]{1,32}",
        any::<bool>(),
        any::<[u8; 16]>(),
    )
        .prop_map(|(key, text, skew, nonce, encrypted, iv)| {
            let event = json!({
                "schema": "2.0",
                "header": {"event_id": "e-prop", "event_type": "custom.any_v1", "create_time": "1"},
                "event": {"text": text},
            })
            .to_string();
            let body = if encrypted {
                json!({ "encrypt": encrypt(&key, iv, event.as_bytes()) }).to_string()
            } else {
                event
            };
            let timestamp = (TS as i64 + skew).to_string();
            Signing {
                key,
                body: body.into_bytes(),
                timestamp,
                nonce,
            }
        })
}

/// A signed request, its headers given as bytes (changed or not); `None` if
/// a header cannot carry them.
fn request(
    body: &[u8],
    timestamp: &[u8],
    nonce: &[u8],
    signature: &[u8],
) -> Option<Request<Vec<u8>>> {
    let mut request = post(body);
    let headers = request.headers_mut();
    headers.insert(
        "X-Lark-Request-Timestamp",
        HeaderValue::from_bytes(timestamp).ok()?,
    );
    headers.insert("X-Lark-Request-Nonce", HeaderValue::from_bytes(nonce).ok()?);
    headers.insert("X-Lark-Signature", HeaderValue::from_bytes(signature).ok()?);
    Some(request)
}

fn signature_of(s: &Signing) -> String {
    sha256_signature(s.timestamp.as_bytes(), s.nonce.as_bytes(), &s.key, &s.body)
}

/// Which part a mutation changes.
#[derive(Clone, Copy, Debug)]
enum Part {
    Body,
    Timestamp,
    Nonce,
    Signature,
}

proptest! {
    #[test]
    fn exactly_the_signed_bytes_are_accepted(s in signing()) {
        let signature = signature_of(&s);
        let request = request(&s.body, s.timestamp.as_bytes(), s.nonce.as_bytes(), signature.as_bytes())
            .expect("valid headers");
        let handled = Webhook::encrypted(s.key.as_str()).handle(&request, now());
        prop_assert!(matches!(handled.delivery, Delivery::Event(_)), "{:?}", handled.delivery);
    }

    #[test]
    fn any_single_changed_byte_is_refused(
        s in signing(),
        part in prop_oneof![Just(Part::Body), Just(Part::Timestamp), Just(Part::Nonce), Just(Part::Signature)],
        index in any::<proptest::sample::Index>(),
        replacement in any::<u8>(),
    ) {
        let signature = signature_of(&s);
        let mut parts = [s.body.clone(), s.timestamp.clone().into_bytes(), s.nonce.clone().into_bytes(), signature.into_bytes()];
        let target = &mut parts[part as usize];
        let at = index.index(target.len());
        let original = target[at];
        prop_assume!(replacement != original);
        // Hex is compared case-insensitively (uppercase is accepted by design).
        prop_assume!(!(matches!(part, Part::Signature) && replacement.eq_ignore_ascii_case(&original)));
        target[at] = replacement;
        let [body, timestamp, nonce, signature] = &parts;
        // A byte a header cannot carry never reaches the webhook.
        let Some(request) = request(body, timestamp, nonce, signature) else {
            return Ok(());
        };
        let handled = Webhook::encrypted(s.key.as_str()).handle(&request, now());
        prop_assert!(matches!(handled.delivery, Delivery::Rejected(_)), "{part:?}[{at}]: {:?}", handled.delivery);
        prop_assert!([400, 401].contains(&handled.response.status().as_u16()));
    }
}
