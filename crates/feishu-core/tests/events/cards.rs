//! Card callbacks: the old flat protocol (SHA-1 with the verification
//! token over the exact bytes), `card.action.trigger` (a v2 event, SHA-256
//! with the encrypt key), and `CardResponse` bodies for both.

use feishu_core::event::{CardAction, CardProtocol, CardResponse, EventError, ToastKind, Webhook};
use feishu_core::im::content::Card;
use serde_json::{Map, json};

use crate::*;

fn legacy(name: &str, webhook: &Webhook) -> feishu_core::event::Handled {
    webhook.handle(&signed_body(name).request(), now())
}

fn assert_legacy_sample(action: &CardAction) {
    assert_eq!(action.protocol, CardProtocol::Legacy);
    assert_eq!(
        action.operator.open_id.as_deref(),
        Some("ou_7d8a6e6df7621556ce0d21922b676706")
    );
    assert_eq!(action.operator.user_id.as_deref(), Some("ec8ddg56"));
    assert_eq!(action.operator.union_id, None);
    assert_eq!(action.tenant_key.as_deref(), Some("736588c9260f175d"));
    let token = action.token.as_ref().expect("the card token");
    assert_eq!(token.expose(), LEGACY_CARD_TOKEN);
    assert_eq!(action.action.tag, "button");
    assert_eq!(action.action.value, json!({"key": "value"}));
    assert_eq!(action.action.name.as_deref(), Some("field_name"));
    assert_eq!(action.action.timezone.as_deref(), Some("Asia/Shanghai"));
    assert_eq!(
        action.action.form_value,
        Some(json!({"field name 2": "value 2"}))
    );
    assert_eq!(
        action.open_message_id.as_deref(),
        Some("om_74ee2ed4e5d3b7a0b1ee73a7f58bd2a5")
    );
    assert_eq!(
        action.open_chat_id.as_deref(),
        Some("oc_e59c3d9e1a2b3c4d5e6f708192a3b4c5")
    );
}

#[test]
fn legacy_card_with_a_valid_sha1_signature_is_delivered() {
    let handled = legacy("card_legacy", &Webhook::token_only(VT));
    assert_legacy_sample(card_action(&handled));
}

#[test]
fn legacy_card_is_checked_with_sha1_even_with_an_encrypt_key() {
    let webhook = Webhook::encrypted(EK).verification_token(VT);
    assert_legacy_sample(card_action(&legacy("card_legacy", &webhook)));
}

#[test]
fn legacy_card_signature_covers_whitespace_and_the_trailing_newline() {
    let pretty = signed_body("card_legacy_pretty_nl");
    assert!(pretty.body.ends_with("}\n") && pretty.body.contains("\n  \"action\""));
    let handled = legacy("card_legacy_pretty_nl", &Webhook::token_only(VT));
    assert_legacy_sample(card_action(&handled));

    // The compact body's signature does not sign the re-formatted bytes: only
    // the raw request bytes are hashed.
    let compact = signed_body("card_legacy");
    let request = signed(
        pretty.body.as_bytes(),
        &compact.timestamp,
        &compact.nonce,
        &compact.signature,
    );
    let handled = Webhook::token_only(VT).handle(&request, now());
    assert_rejected(&handled, EventError::BadSignature, 401);
}

#[test]
fn legacy_card_with_a_bad_sha1_is_401() {
    let s = signed_body("card_legacy");
    let mut bad = s.signature.into_bytes();
    bad[0] = if bad[0] == b'0' { b'1' } else { b'0' };
    let bad = String::from_utf8(bad).expect("hex");
    let request = signed(s.body.as_bytes(), &s.timestamp, &s.nonce, &bad);
    let handled = Webhook::token_only(VT).handle(&request, now());
    assert_rejected(&handled, EventError::BadSignature, 401);

    // The wrong verification token, and the SHA-256 event rule.
    assert_rejected(
        &legacy("card_legacy", &Webhook::token_only(V1_TOKEN)),
        EventError::BadSignature,
        401,
    );
    let sha256 = sha256_signature(
        s.timestamp.as_bytes(),
        s.nonce.as_bytes(),
        EK,
        s.body.as_bytes(),
    );
    let request = signed(s.body.as_bytes(), &s.timestamp, &s.nonce, &sha256);
    let handled = Webhook::encrypted(EK)
        .verification_token(VT)
        .handle(&request, now());
    assert_rejected(&handled, EventError::BadSignature, 401);
}

#[test]
fn legacy_card_unsigned_or_stale_is_401() {
    let handled = Webhook::token_only(VT).handle(&post(body("card_legacy.json").as_bytes()), now());
    assert_rejected(&handled, EventError::MissingSignature, 401);
    let handled = Webhook::token_only(VT).handle(&signed_body("card_legacy").request(), at(301));
    let skew = std::time::Duration::from_secs(301);
    assert_rejected(&handled, EventError::StaleTimestamp { skew }, 401);
}

#[test]
fn legacy_card_without_a_verification_token_is_400() {
    let handled = legacy("card_legacy", &Webhook::encrypted(EK));
    assert_rejected(&handled, EventError::NoVerificationToken, 400);
}

#[test]
fn card_trigger_encrypted_and_signed_is_a_v2_card_action() {
    let v = vector("card_trigger");
    let handled = Webhook::encrypted(EK)
        .verification_token(VT)
        .handle(&v.request(), now());
    let action = card_action(&handled);
    assert_eq!(action.protocol, CardProtocol::V2);
    assert_eq!(
        action.operator.open_id.as_deref(),
        Some("ou_84aad35d084aa403a838cf73ee18467")
    );
    assert_eq!(
        action.operator.union_id.as_deref(),
        Some("on_8ed6aa67826108097d9ee143816345")
    );
    assert_eq!(action.operator.user_id.as_deref(), Some("e33ggbyz"));
    assert_eq!(action.tenant_key.as_deref(), Some("2ca1d211f64f6438"));
    assert_eq!(
        action.token.as_ref().map(|t| t.expose()),
        Some(TRIGGER_CARD_TOKEN)
    );
    assert_eq!(action.action.tag, "button");
    assert_eq!(action.action.value, json!({"approve": "yes"}));
    assert_eq!(action.action.name.as_deref(), Some("approve_btn"));
    assert_eq!(action.action.form_value, Some(json!({})));
    assert_eq!(action.action.option, None);
    assert_eq!(action.action.options, None);
    assert_eq!(action.action.checked, None);
    assert_eq!(
        action.open_message_id.as_deref(),
        Some("om_x100b4b5b3c3d2a8b4c0d2e1f0a9b8c7d")
    );
    assert_eq!(
        action.open_chat_id.as_deref(),
        Some("oc_5ce6d572455d361153b7xx51da133945")
    );
}

#[test]
fn card_trigger_checks_the_verification_token() {
    let v = vector("card_trigger");
    let handled = Webhook::encrypted(EK)
        .verification_token(V1_TOKEN)
        .handle(&v.request(), now());
    assert_rejected(&handled, EventError::BadToken, 401);
}

#[test]
fn card_trigger_select_and_checker_fields_are_read() {
    let mut json = body_json("card_trigger.json");
    json["event"]["action"] = json!({"tag": "select_static", "value": {}, "option": "opt_2",
        "options": ["a", "b"], "checked": true, "input_value": "typed", "timezone": "Asia/Tokyo"});
    let handled = Webhook::encrypted(EK).handle(&sign(EK, json.to_string().as_bytes()), now());
    let action = &card_action(&handled).action;
    assert_eq!(action.tag, "select_static");
    assert_eq!(action.option.as_deref(), Some("opt_2"));
    assert_eq!(
        action.options.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
    assert_eq!(action.checked, Some(true));
    assert_eq!(action.input_value.as_deref(), Some("typed"));
    assert_eq!(action.timezone.as_deref(), Some("Asia/Tokyo"));
}

fn answer(response: CardResponse, protocol: CardProtocol) -> String {
    let response = response.into_response(protocol);
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().expect("text");
    assert_eq!(content_type, "application/json; charset=utf-8");
    String::from_utf8(response.into_body()).expect("UTF-8")
}

fn raw_card() -> serde_json::Value {
    json!({"header": {"title": {"tag": "plain_text", "content": "Approved"}}, "elements": []})
}

fn template() -> Card {
    let mut variables = Map::new();
    variables.insert("name".into(), json!("Tom"));
    Card::template("ctp_AAi3bGRYq7Xy", variables)
}

#[test]
fn card_response_none_is_an_empty_object() {
    assert_eq!(answer(CardResponse::none(), CardProtocol::Legacy), "{}");
    assert_eq!(answer(CardResponse::none(), CardProtocol::V2), "{}");
}

#[test]
fn card_response_toast_bodies() {
    let kinds = [
        (ToastKind::Info, "info"),
        (ToastKind::Success, "success"),
        (ToastKind::Error, "error"),
        (ToastKind::Warning, "warning"),
    ];
    for (kind, name) in kinds {
        let expected = format!(r#"{{"toast":{{"content":"Done","type":"{name}"}}}}"#);
        assert_eq!(
            answer(CardResponse::toast(kind, "Done"), CardProtocol::V2),
            expected
        );
        assert_eq!(
            answer(CardResponse::toast(kind, "Done"), CardProtocol::Legacy),
            expected
        );
    }
}

#[test]
fn card_response_raw_card_bodies() {
    let card = CardResponse::none().card(Card::raw(raw_card()));
    let bare = r#"{"elements":[],"header":{"title":{"content":"Approved","tag":"plain_text"}}}"#;
    // Old protocol: the bare card. New: `{"card":{"type":"raw","data":…}}`.
    assert_eq!(answer(card.clone(), CardProtocol::Legacy), bare);
    assert_eq!(
        answer(card, CardProtocol::V2),
        format!(r#"{{"card":{{"data":{bare},"type":"raw"}}}}"#)
    );

    let both = CardResponse::toast(ToastKind::Success, "Done").card(Card::raw(raw_card()));
    assert_eq!(answer(both.clone(), CardProtocol::Legacy), bare);
    assert_eq!(
        answer(both, CardProtocol::V2),
        format!(
            r#"{{"card":{{"data":{bare},"type":"raw"}},"toast":{{"content":"Done","type":"success"}}}}"#
        )
    );
}

#[test]
fn card_response_template_bodies() {
    let response = CardResponse::none().card(template());
    assert_eq!(
        answer(response.clone(), CardProtocol::V2),
        r#"{"card":{"data":{"template_id":"ctp_AAi3bGRYq7Xy","template_variable":{"name":"Tom"}},"type":"template"}}"#
    );
    // The old protocol has no documented template answer: the core answers
    // `{}` (the card stays as it is) rather than a shape it cannot confirm.
    assert_eq!(answer(response, CardProtocol::Legacy), "{}");
}
