//! The Verification Token: `Webhook::token_only(token)` (the only check
//! without an encrypt key) and `Webhook::encrypted(key)
//! .verification_token(token)` (checked inside the decrypted plaintext).

use feishu_core::event::{EventError, Schema, Webhook};
use serde_json::Value;

use crate::*;

/// `name` with its verification token replaced (`None`: removed).
fn with_token(name: &str, token: Option<&str>) -> Vec<u8> {
    let mut json = body_json(name);
    let slot = if json["schema"] == "2.0" {
        json["header"].as_object_mut()
    } else {
        json.as_object_mut()
    }
    .expect("an object");
    match token {
        Some(token) => slot.insert("token".into(), Value::from(token)),
        None => slot.remove("token"),
    };
    serde_json::to_vec(&json).expect("JSON")
}

#[test]
fn v1_top_level_token_is_checked_and_delivered() {
    let webhook = Webhook::token_only(V1_TOKEN);
    let handled = webhook.handle(&post(body("v1_p2p_chat_create.json").as_bytes()), now());
    let event = event(&handled);
    assert_eq!(event.schema, Schema::V1);
    assert_eq!(event.event_type, "p2p_chat_create");
}

#[test]
fn v2_header_token_is_checked_and_delivered() {
    let webhook = Webhook::token_only(VT);
    let handled = webhook.handle(&post(body("v2_receive.json").as_bytes()), now());
    assert_eq!(event(&handled).schema, Schema::V2);
}

#[test]
fn wrong_token_is_bad_token() {
    for (name, token) in [
        ("v1_p2p_chat_create.json", V1_TOKEN),
        ("v2_receive.json", VT),
    ] {
        let nearly = format!("{}X", &token[..token.len() - 1]);
        let longer = format!("{token}0");
        let shorter = &token[..token.len() - 1];
        for wrong in [nearly.as_str(), longer.as_str(), shorter, "", "null"] {
            let handled =
                Webhook::token_only(token).handle(&post(&with_token(name, Some(wrong))), now());
            assert_rejected(&handled, EventError::BadToken, 401);
        }
        // The right token, taken from the other envelope, is wrong here too.
        let other = if token == VT { V1_TOKEN } else { VT };
        let handled = Webhook::token_only(other).handle(&post(body(name).as_bytes()), now());
        assert_rejected(&handled, EventError::BadToken, 401);
    }
}

#[test]
fn missing_token_is_bad_token() {
    for (name, token) in [
        ("v1_p2p_chat_create.json", V1_TOKEN),
        ("v2_receive.json", VT),
    ] {
        let handled = Webhook::token_only(token).handle(&post(&with_token(name, None)), now());
        assert_rejected(&handled, EventError::BadToken, 401);
    }
    // v2 reads `header.token`, never a top-level one.
    let mut json = body_json("v2_receive.json");
    let header = json["header"].as_object_mut().expect("a header");
    header.remove("token");
    json["token"] = Value::from(VT);
    let handled =
        Webhook::token_only(VT).handle(&post(&serde_json::to_vec(&json).expect("JSON")), now());
    assert_rejected(&handled, EventError::BadToken, 401);
}

#[test]
fn encrypted_body_without_a_key_is_400() {
    let v = vector("receive_v1");
    for request in [v.request(), v.unsigned()] {
        let handled = Webhook::token_only(VT).handle(&request, now());
        assert_rejected(&handled, EventError::EncryptedWithoutKey, 400);
    }
}

#[test]
fn signature_headers_do_not_replace_the_token() {
    // Without an encrypt key there is nothing to check a signature with: a
    // signed body with the wrong token is still refused.
    let body = with_token("v2_bot_added.json", Some("forged"));
    let handled = Webhook::token_only(VT).handle(&sign("forged key", &body), now());
    assert_rejected(&handled, EventError::BadToken, 401);
}

#[test]
fn encrypted_with_verification_token_checks_both() {
    let v = vector("receive_v1");
    let both = Webhook::encrypted(EK).verification_token(VT);
    assert_eq!(
        event(&both.handle(&v.request(), now())).event_type,
        "im.message.receive_v1"
    );

    // The signature passes, the token inside the plaintext does not.
    let other = Webhook::encrypted(EK).verification_token(V1_TOKEN);
    assert_rejected(
        &other.handle(&v.request(), now()),
        EventError::BadToken,
        401,
    );

    // The token passes, the signature does not.
    let wrong_key = Webhook::encrypted("another key").verification_token(VT);
    assert_rejected(
        &wrong_key.handle(&v.request(), now()),
        EventError::BadSignature,
        401,
    );

    // A signed plain body: the token is checked as well.
    let body = with_token("v2_bot_added.json", Some("forged"));
    let handled = both.handle(&sign(EK, &body), now());
    assert_rejected(&handled, EventError::BadToken, 401);
}

#[test]
fn empty_configured_token_accepts_no_tokenless_event() {
    let handled =
        Webhook::token_only("").handle(&post(&with_token("v2_receive.json", None)), now());
    assert_rejected(&handled, EventError::BadToken, 401);
}
