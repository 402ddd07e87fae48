//! Every CardKit endpoint of feishu-core over real HTTP against
//! feishu-mock: create, send, settings, full and batch update, the element
//! calls, content, id_convert and the delayed update with a card action's
//! token; CardKit's refusals; and a card action answered with a new card
//! through a webhook.
//!
//! This module instantiates its own tests (as `cardkit::ureq::…` and
//! `cardkit::reqwest::…`), so the list in `main.rs` stays as it is.

use std::net::SocketAddr;
use std::time::SystemTime;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::post;
use feishu_core::card::{Button, CardJson, CardV2, ElementId, Markdown, factory};
use feishu_core::cardkit::card::{
    BatchAction, BatchUpdateCard, CardSettings, CreateCard, IdConvertCard, UpdateCard,
    UpdateCardSettings,
};
use feishu_core::cardkit::card_element::{
    CreateCardElement, DeleteCardElement, PatchCardElement, Position, StreamElementContent,
    UpdateCardElement,
};
use feishu_core::cardkit::{CardId, DelayUpdateCard, Sequence, Uuid, codes};
use feishu_core::event::{CardResponse, Dispatcher, ToastKind, Webhook};
use feishu_core::im::content::{Card, MessageContent};
use feishu_core::im::message::{ReplyMessage, SendMessage};
use feishu_core::{Error, codes as api_codes};
use feishu_mock::{EventSecurity, MockServer, WebhookTarget};
use serde_json::{Value, json};

use crate::Adapter;
use crate::cards::setup;

const CHAT: &str = "oc_mock_general";

conformance! {
    cardkit::every_endpoint_changes_the_card,
    cardkit::cardkit_refusals_come_back_as_api_errors,
    cardkit::the_eleventh_operation_in_a_second_waits_for_the_reset,
    cardkit::a_card_action_is_answered_with_a_new_card_through_the_webhook,
}

fn id(s: &str) -> ElementId {
    ElementId::new(s).expect("a valid element id")
}

fn seq(n: i64) -> Sequence {
    Sequence::new(n).expect("a valid sequence")
}

fn streaming_card() -> CardJson {
    CardV2::new()
        .streaming(true)
        .title("Answer")
        .add(Markdown::new("…").id("answer"))
        .add(
            Button::new("Helpful")
                .id("helpful")
                .callback(json!({"vote": "up"})),
        )
        .build()
        .expect("a valid card")
}

/// A card entity, sent to the chat.
fn create_and_send<A: Adapter>(client: &A, card: &CardJson) -> (CardId, String) {
    let entity = client.send(&CreateCard::new(card)).expect("created");
    let content = MessageContent::Interactive(Card::entity(entity.card_id.as_str()));
    let sent = client
        .send(&SendMessage::new(CHAT, content))
        .expect("the card sent");
    (entity.card_id, sent.message_id)
}

pub fn every_endpoint_changes_the_card<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let (card_id, message_id) = create_and_send(&client, &streaming_card());
    let found = client
        .send(&IdConvertCard::new(&message_id))
        .expect("converted");
    assert_eq!(found.card_id, card_id);

    let write = |text: &str, n| {
        StreamElementContent::new(card_id.clone(), id("answer"), text, seq(n)).expect("valid")
    };
    client.send(&write("Forty", 1)).expect("written");
    // The same uuid and sequence again: answered as before, applied once.
    let keyed = write("Forty-two", 2).uuid(Uuid::new("u-42").expect("a valid uuid"));
    client.send(&keyed).expect("written");
    client.send(&keyed).expect("repeated");

    let add = CreateCardElement::new(
        card_id.clone(),
        Position::After(id("answer")),
        [Markdown::new("Sources: none").id("sources").into()],
        seq(3),
    )
    .expect("valid");
    client.send(&add).expect("inserted");
    let replace = UpdateCardElement::new(
        card_id.clone(),
        id("sources"),
        Markdown::new("Sources: the mock").id("sources"),
        seq(4),
    )
    .expect("valid");
    client.send(&replace).expect("replaced");
    let mut partial = serde_json::Map::new();
    partial.insert("disabled".into(), true.into());
    let patch =
        PatchCardElement::new(card_id.clone(), id("helpful"), partial, seq(5)).expect("valid");
    client.send(&patch).expect("patched");
    let batch = BatchUpdateCard::new(
        card_id.clone(),
        &[BatchAction::add(
            Position::Append,
            [Markdown::new("Thanks").id("thanks").into()],
        )
        .expect("valid")],
        seq(6),
    )
    .expect("valid");
    client.send(&batch).expect("batched");
    client
        .send(&DeleteCardElement::new(
            card_id.clone(),
            id("sources"),
            seq(7),
        ))
        .expect("deleted");
    let close = CardSettings::config(feishu_core::card::Config::new().streaming_mode(false));
    client
        .send(&UpdateCardSettings::new(card_id.clone(), &close, seq(8)).expect("valid"))
        .expect("closed");

    let card = mock.card(card_id.as_str()).expect("the card");
    assert_eq!(card.message_id.as_deref(), Some(message_id.as_str()));
    assert_eq!(card.text("answer"), Some("Forty-two"));
    assert_eq!(card.text("thanks"), Some("Thanks"));
    assert!(card.text("sources").is_none());
    let elements = &card.card["body"]["elements"];
    assert_eq!(elements[1]["disabled"], true, "{elements}");
    assert!(!card.streaming);
    assert_eq!(card.sequence, 8);
    let operations: Vec<_> = card.writes.iter().map(|w| w.operation).collect();
    assert_eq!(
        operations,
        [
            "card.create",
            "card_element.content",
            "card_element.content",
            "card_element.content",
            "card_element.create",
            "card_element.update",
            "card_element.patch",
            "card.batch_update",
            "card_element.delete",
            "card.settings",
        ]
    );
    assert!(card.writes[3].replay);

    // A full update replaces it all.
    let new = factory::text("Done", "All done")
        .build()
        .expect("a valid card");
    client
        .send(&UpdateCard::new(card_id.clone(), &new, seq(9)))
        .expect("updated");
    let card = mock.card(card_id.as_str()).expect("the card");
    assert_eq!(card.card, *new.as_value());
}

pub fn cardkit_refusals_come_back_as_api_errors<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let (card_id, _) = create_and_send(&client, &streaming_card());
    let write = |text: &str, n| {
        StreamElementContent::new(card_id.clone(), id("answer"), text, seq(n)).expect("valid")
    };
    client.send(&write("a", 5)).expect("written");
    let code = |error: Error| error.code();
    let stale = client.send(&write("ab", 5)).expect_err("a stale sequence");
    assert_eq!(code(stale), Some(codes::SEQUENCE_NOT_INCREASING));
    let not_text =
        StreamElementContent::new(card_id.clone(), id("helpful"), "x", seq(6)).expect("valid");
    let error = client.send(&not_text).expect_err("not a text element");
    assert_eq!(code(error), Some(codes::NOT_TEXT));
    let close = CardSettings::config(feishu_core::card::Config::new().streaming_mode(false));
    client
        .send(&UpdateCardSettings::new(card_id.clone(), &close, seq(7)).expect("valid"))
        .expect("closed");
    let closed = client.send(&write("abc", 8)).expect_err("streaming is off");
    assert_eq!(code(closed), Some(codes::STREAMING_CLOSED));

    let unknown = CardId::new("7000000000000000001").expect("a valid id");
    let error = client
        .send(&StreamElementContent::new(unknown, id("answer"), "x", seq(1)).expect("valid"))
        .expect_err("no such card");
    assert_eq!(code(error), Some(codes::CARD_NOT_FOUND));
    let error = client
        .send(&IdConvertCard::new("om_00000000000000000000000000000000"))
        .expect_err("no card there");
    assert_eq!(code(error), Some(codes::CARD_NOT_FOUND));

    // A card entity is sent once.
    let question = mock.post_user_message(CHAT, "ou_alice", "text", r#"{"text":"again?"}"#);
    let content = MessageContent::Interactive(Card::entity(card_id.as_str()));
    let error = client
        .send(&ReplyMessage::new(&question, content))
        .expect_err("sent twice");
    assert_eq!(code(error), Some(api_codes::IM_INVALID_PARAMETER));

    let card = mock.card(card_id.as_str()).expect("the card");
    assert_eq!(card.text("answer"), Some("a"));
    let refused: Vec<u32> = card
        .writes
        .iter()
        .map(|w| w.code)
        .filter(|&c| c != 0)
        .collect();
    assert_eq!(refused, [300317, 300310, 300309]);
}

pub fn the_eleventh_operation_in_a_second_waits_for_the_reset<A: Adapter>() {
    // The mock's clock stands still: every operation lands in one second.
    let clock = feishu_mock::ManualClock::new();
    let mock = MockServer::builder()
        .clock(clock.clone())
        .start()
        .expect("started");
    let config = feishu_core::Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_app(feishu_core::App::self_built(
            feishu_mock::SELF_BUILT_APP_ID,
            feishu_mock::SELF_BUILT_APP_SECRET,
        ));
    let client = A::new(config);
    let (card_id, _) = create_and_send(&client, &streaming_card());
    // The create was the first operation; nine writes fill the second.
    for n in 1..=9 {
        let write =
            StreamElementContent::new(card_id.clone(), id("answer"), "x".repeat(n), seq(n as i64))
                .expect("valid");
        client.send(&write).expect("written");
    }
    // The tenth write is refused with the reset; the client waits for it
    // and sends it again once the clock has moved on.
    let advance = {
        let clock = clock.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            clock.advance(std::time::Duration::from_secs(1));
        })
    };
    let write = StreamElementContent::new(card_id.clone(), id("answer"), "x".repeat(10), seq(10))
        .expect("valid");
    client.send(&write).expect("written after the reset");
    advance.join().expect("the clock thread");
    let card = mock.card(card_id.as_str()).expect("the card");
    let codes: Vec<u32> = card.writes.iter().map(|w| w.code).collect();
    assert_eq!(
        codes.iter().filter(|&&c| c == 99991400).count(),
        1,
        "{codes:?}"
    );
    assert_eq!(codes.last(), Some(&0));
    assert_eq!(card.text("answer"), Some("x".repeat(10).as_str()));
}

/// A bot's webhook: card actions are answered with a new card.
fn serve_webhook(runtime: &tokio::runtime::Runtime, webhook: Webhook) -> String {
    let dispatcher = Dispatcher::new().on_card_action(|action| {
        let vote = action.action.value["vote"]
            .as_str()
            .unwrap_or("none")
            .to_owned();
        let card = factory::text("Thanks", format!("You voted **{vote}**"))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(CardResponse::toast(ToastKind::Success, "Noted")
            .card(Card::raw(card.as_value().clone())))
    });
    let state = std::sync::Arc::new((webhook, dispatcher));
    async fn receive(
        State(state): State<std::sync::Arc<(Webhook, Dispatcher)>>,
        request: Request,
    ) -> Response {
        let (parts, body) = request.into_parts();
        let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
        let request = http::Request::from_parts(parts, bytes);
        let (webhook, dispatcher) = &*state;
        webhook
            .serve(dispatcher, &request, SystemTime::now())
            .map(Body::from)
    }
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a port");
    let addr: SocketAddr = listener.local_addr().expect("an address");
    let app = Router::new()
        .route("/webhook", post(receive))
        .with_state(state);
    runtime.spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/webhook")
}

pub fn a_card_action_is_answered_with_a_new_card_through_the_webhook<A: Adapter>() {
    const ENCRYPT_KEY: &str = "cards-encrypt-key";
    const TOKEN: &str = "cards-verification-token";
    let (mock, client) = setup::<A>();
    let (card_id, message_id) = create_and_send(&client, &streaming_card());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let url = serve_webhook(
        &runtime,
        Webhook::encrypted(ENCRYPT_KEY).verification_token(TOKEN),
    );
    let target = WebhookTarget {
        url,
        security: EventSecurity::Encrypted {
            encrypt_key: ENCRYPT_KEY.into(),
            verification_token: TOKEN.into(),
        },
    };
    let event = mock.card_action_event(&message_id, "ou_alice", &json!({"vote": "up"}), TOKEN);
    let report = mock.deliver_card_action(&target, &event);
    assert!(report.delivered, "{report:?}");
    let answer: Value = serde_json::from_slice(&report.attempts[0].body).expect("a JSON answer");
    assert_eq!(answer["toast"]["content"], "Noted");
    let card = mock.card(card_id.as_str()).expect("the card");
    assert_eq!(
        card.card["body"]["elements"][0]["content"],
        "You voted **up**"
    );
    assert_eq!(
        card.writes.last().map(|w| w.operation),
        Some("card.callback")
    );

    // After the answer, the callback's token updates the card twice.
    let token = event["event"]["token"]
        .as_str()
        .expect("a card-update token");
    for n in 1..=2 {
        let card = factory::text("Later", format!("update {n}"))
            .build()
            .expect("a valid card");
        client
            .send(&DelayUpdateCard::new(token, &card))
            .expect("updated with the token");
    }
    let card = mock.card(card_id.as_str()).expect("the card");
    assert_eq!(card.card["body"]["elements"][0]["content"], "update 2");
    let third = factory::text("Later", "update 3")
        .build()
        .expect("a valid card");
    let error = client
        .send(&DelayUpdateCard::new(token, &third))
        .expect_err("a token works twice");
    assert_eq!(error.code(), Some(codes::INVALID_PARAMETER));
}
