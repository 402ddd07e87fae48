//! No Debug or Display of the webhook, its errors, its outcomes or a
//! card action shows the encrypt key, the verification token, a card-update
//! token or an app ticket.

use feishu_core::event::{CardProtocol, EventError, EventKind, Handled, V1Event, Webhook};

use crate::*;

const TICKET: &str = "tk-5ecret-ticket-9f1a2c4d";

/// Everything that must never be printed.
const SECRETS: [&str; 5] = [EK, VT, LEGACY_CARD_TOKEN, TRIGGER_CARD_TOKEN, TICKET];

#[track_caller]
fn assert_hidden(what: &str, shown: &str) {
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{what} shows {secret:?}: {shown}");
    }
}

fn shown(value: &impl std::fmt::Debug) -> String {
    format!("{value:?}\n{value:#?}")
}

#[test]
fn webhook_debug_hides_its_secrets() {
    let webhooks = [
        Webhook::encrypted(EK).verification_token(VT),
        Webhook::encrypted(EK),
        Webhook::token_only(VT),
    ];
    for webhook in webhooks {
        assert_hidden("Webhook", &shown(&webhook));
    }
}

#[test]
fn every_event_error_hides_secrets() {
    let errors = [
        EventError::MethodNotAllowed,
        EventError::InvalidJson,
        EventError::NotAnEvent,
        EventError::MissingSignature,
        EventError::BadSignature,
        EventError::InvalidTimestamp,
        EventError::StaleTimestamp {
            skew: std::time::Duration::from_secs(301),
        },
        EventError::BadToken,
        EventError::EncryptedWithoutKey,
        EventError::NoVerificationToken,
        EventError::BadBase64,
        EventError::BadCiphertextLength(36),
        EventError::BadPadding,
    ];
    for error in errors {
        assert_hidden("EventError", &format!("{error} {}", shown(&error)));
    }
}

/// The outcome of every kind of request: events, challenges, cards,
/// duplicates and each refusal, for a webhook that knows every secret.
fn every_outcome() -> Vec<Handled> {
    let webhook = Webhook::encrypted(EK).verification_token(VT);
    let token_only = Webhook::token_only(VT);
    let mut requests = Vec::new();
    for v in vectors() {
        requests.push((
            Webhook::encrypted(v.encrypt_key.as_str()).verification_token(VT),
            v.request(),
        ));
        requests.push((webhook.clone(), v.unsigned()));
    }
    for f in failures() {
        requests.push((webhook.clone(), f.request()));
    }
    for s in signed_bodies() {
        requests.push((webhook.clone(), s.request()));
        requests.push((token_only.clone(), s.request()));
        requests.push((Webhook::encrypted(EK), s.request()));
    }
    for (_, text) in BODIES {
        requests.push((token_only.clone(), post(text.as_bytes())));
        requests.push((webhook.clone(), post(text.as_bytes())));
    }
    // An app_ticket carrying a recognisable ticket, well- and mis-shaped.
    let mut ticket = body_json("v1_app_ticket.json");
    ticket["event"]["app_ticket"] = TICKET.into();
    let v1 = Webhook::token_only(V1_TOKEN);
    requests.push((v1.clone(), post(ticket.to_string().as_bytes())));
    // Duplicates, once everything above was seen.
    for v in vectors() {
        requests.push((webhook.clone(), v.request()));
    }
    requests.iter().map(|(w, r)| w.handle(r, now())).collect()
}

#[test]
fn handled_and_delivery_debug_hide_secrets() {
    let outcomes = every_outcome();
    assert!(outcomes.len() > 60);
    for handled in &outcomes {
        assert_hidden("Handled", &shown(handled));
        assert_hidden("Delivery", &shown(&handled.delivery));
        let body = String::from_utf8_lossy(handled.response.body()).into_owned();
        assert_hidden("the response body", &body);
    }
}

#[test]
fn card_action_debug_hides_the_card_token() {
    let legacy = Webhook::token_only(VT).handle(&signed_body("card_legacy").request(), now());
    let trigger = Webhook::encrypted(EK).handle(&vector("card_trigger").request(), now());
    for handled in [legacy, trigger] {
        let action = card_action(&handled);
        assert_hidden("CardAction", &shown(action));
        assert_hidden("CardAction.token", &shown(&action.token));
        let answer = feishu_core::event::CardResponse::none().into_response(CardProtocol::V2);
        assert_hidden("CardResponse", &shown(&answer));
    }
}

#[test]
fn misshapen_app_ticket_debug_hides_the_ticket() {
    let mut ticket = body_json("v1_app_ticket.json");
    ticket["event"]["app_ticket"] = TICKET.into();
    // Without its app_id the ticket is still typed, so its Debug is redacted.
    ticket["event"]
        .as_object_mut()
        .expect("an event")
        .remove("app_id");
    let handled = Webhook::token_only(V1_TOKEN).handle(&post(ticket.to_string().as_bytes()), now());
    assert!(matches!(
        event(&handled).kind,
        EventKind::V1(V1Event::AppTicket(_))
    ));
    assert_hidden("Handled", &shown(&handled));
}
