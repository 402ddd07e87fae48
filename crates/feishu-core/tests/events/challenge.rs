//! URL verification: `{"challenge":…}` answered in plain JSON even when
//! the request was encrypted; the unsigned encrypted exception answers
//! only a challenge with the right token, and every refusal on that path is
//! byte-identical, so it is no decryption oracle.

use feishu_core::event::{Delivery, EventError, Webhook};

use crate::*;

const CHALLENGE: &str = "0f4a6c52-2b7e-4d0c-9a7e-5c1d3e8b9f10";

#[test]
fn plain_challenge_is_echoed() {
    let handled =
        Webhook::token_only(VT).handle(&post(body("url_verification.json").as_bytes()), now());
    assert_eq!(challenge(&handled), CHALLENGE);
    assert_eq!(
        handled.response.body(),
        br#"{"challenge":"0f4a6c52-2b7e-4d0c-9a7e-5c1d3e8b9f10"}"#
    );
}

#[test]
fn plain_challenge_with_the_wrong_token_is_refused() {
    let request = post(body("url_verification_wrong_token.json").as_bytes());
    let handled = Webhook::token_only(VT).handle(&request, now());
    assert_rejected(&handled, EventError::BadToken, 401);
}

#[test]
fn challenge_is_echoed_verbatim() {
    // Escapes and non-ASCII come back as the same string.
    let value = "é\"\\/\u{1F511}\n<script>";
    let body = serde_json::json!({"challenge": value, "token": VT, "type": "url_verification"});
    let handled = Webhook::token_only(VT).handle(&post(body.to_string().as_bytes()), now());
    assert_eq!(challenge(&handled), value);
}

#[test]
fn encrypted_signed_challenge_gets_a_plain_answer() {
    let v = vector("url_verification");
    for webhook in [
        Webhook::encrypted(EK),
        Webhook::encrypted(EK).verification_token(VT),
    ] {
        let handled = webhook.handle(&v.request(), now());
        assert_eq!(challenge(&handled), CHALLENGE);
        assert!(!handled.response.body().starts_with(br#"{"encrypt""#));
    }
}

#[test]
fn encrypted_signed_challenge_with_the_wrong_token_is_refused() {
    let v = vector("wrong_token_challenge");
    let handled = Webhook::encrypted(EK)
        .verification_token(VT)
        .handle(&v.request(), now());
    assert_rejected(&handled, EventError::BadToken, 401);
}

#[test]
fn encrypted_unsigned_challenge_with_the_right_token_is_answered() {
    let v = vector("url_verification");
    let webhook = Webhook::encrypted(EK).verification_token(VT);
    assert_eq!(challenge(&webhook.handle(&v.unsigned(), now())), CHALLENGE);
    // The same holds however far the clock is from the vector's.
    assert_eq!(
        challenge(&webhook.handle(&v.unsigned(), at(86_400))),
        CHALLENGE
    );
}

/// Every unsigned encrypted request that must be refused.
fn unsigned_refusals() -> Vec<(String, Webhook, Vec<u8>)> {
    let with_token = || Webhook::encrypted(EK).verification_token(VT);
    let other_key = Webhook::encrypted("another key").verification_token(VT);
    let mut cases = vec![
        ("wrong token", with_token(), vector("wrong_token_challenge")),
        (
            "no token configured",
            Webhook::encrypted(EK),
            vector("url_verification"),
        ),
        ("not a challenge", with_token(), vector("receive_v1")),
        ("card trigger", with_token(), vector("card_trigger")),
        ("not JSON", with_token(), vector("empty")),
        ("other key", other_key, vector("url_verification")),
    ]
    .into_iter()
    .map(|(name, webhook, v)| (name.to_owned(), webhook, v.body.into_bytes()))
    .collect::<Vec<_>>();
    // Every undecryptable body too: bad base64, lengths, padding, wrong key.
    for f in failures().into_iter().filter(|f| f.name != "manual_pad_ok") {
        cases.push((f.name, with_token(), f.body.into_bytes()));
    }
    cases
}

#[test]
fn unsigned_encrypted_refusals_are_identical() {
    let cases = unsigned_refusals();
    assert!(cases.len() > 20);
    let mut answers = Vec::new();
    for (name, webhook, body) in cases {
        let handled = webhook.handle(&post(&body), now());
        assert!(
            matches!(
                handled.delivery,
                Delivery::Rejected(EventError::MissingSignature)
            ),
            "{name}: {:?}",
            handled.delivery
        );
        let response = &handled.response;
        let headers: Vec<_> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        answers.push((name, response.status(), headers, response.body().clone()));
    }
    let (first, status, headers, bytes) = &answers[0];
    assert_eq!(status.as_u16(), 401);
    assert_eq!(bytes.as_slice(), br#"{"msg":"unauthorized"}"#);
    for (name, s, h, b) in &answers[1..] {
        assert_eq!(
            (s, h, b),
            (status, headers, bytes),
            "{name} differs from {first}"
        );
    }
}

#[test]
fn unsigned_encrypted_event_is_missing_signature() {
    let handled = Webhook::encrypted(EK).handle(&vector("receive_v1").unsigned(), now());
    assert_rejected(&handled, EventError::MissingSignature, 401);
}
