//! CardKit in the mock over raw HTTP: the rules a client may break (and
//! feishu-core's checks never let through), the streaming timeout and the
//! card lifetime on a manual clock, the rate limit's answer, and the
//! control routes.

use std::time::Duration;

use feishu_mock::{ManualClock, MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use serde_json::{Value, json};

const CARDS: &str = "/open-apis/cardkit/v1/cards";

struct Client {
    agent: ureq::Agent,
    url: String,
    token: String,
}

/// Status, the `x-ogw-ratelimit-reset` header and the JSON body.
type Answer = (u16, Option<String>, Value);

impl Client {
    fn new(mock: &MockServer) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(5)))
            .build()
            .into();
        let url = mock.url().to_owned();
        let mut client = Self {
            agent,
            url,
            token: String::new(),
        };
        let body = json!({"app_id": SELF_BUILT_APP_ID, "app_secret": SELF_BUILT_APP_SECRET});
        let (_, _, token) = client.call(
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal",
            &body,
        );
        client.token = token["tenant_access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        client
    }

    fn call(&self, method: &str, path: &str, body: &Value) -> Answer {
        let url = format!("{}{path}", self.url);
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(url)
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", "application/json; charset=utf-8")
            .body(body.to_string())
            .expect("a request");
        let mut response = self.agent.run(request).expect("an answer");
        let status = response.status().as_u16();
        let reset = response
            .headers()
            .get("x-ogw-ratelimit-reset")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.body_mut().read_to_string().expect("a body");
        (
            status,
            reset,
            serde_json::from_str(&text).unwrap_or(Value::Null),
        )
    }

    fn control(&self, path: &str) -> Value {
        let mut response = self
            .agent
            .get(format!("{}{path}", self.url))
            .call()
            .expect("an answer");
        let text = response.body_mut().read_to_string().expect("a body");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Creates `card`; its id.
    fn create(&self, card: &Value) -> String {
        let body = json!({"type": "card_json", "data": card.to_string()});
        let (_, _, answer) = self.call("POST", CARDS, &body);
        answer["data"]["card_id"]
            .as_str()
            .unwrap_or_else(|| panic!("no card: {answer}"))
            .to_owned()
    }

    fn write(&self, card_id: &str, text: &str, sequence: i64, uuid: Option<&str>) -> Answer {
        let path = format!("{CARDS}/{card_id}/elements/answer/content");
        let mut body = json!({"content": text, "sequence": sequence});
        if let Some(uuid) = uuid {
            body["uuid"] = uuid.into();
        }
        self.call("PUT", &path, &body)
    }
}

fn streaming() -> Value {
    json!({
        "schema": "2.0",
        "config": {"streaming_mode": true},
        "body": {"elements": [{"tag": "markdown", "content": "", "element_id": "answer"}]},
    })
}

fn code(answer: &Answer) -> i64 {
    answer.2["code"].as_i64().unwrap_or(-1)
}

#[test]
fn cards_feishu_refuses_are_refused_with_its_codes() {
    let mock = MockServer::start();
    let client = Client::new(&mock);
    let create = |card: Value| {
        let body = json!({"type": "card_json", "data": card.to_string()});
        code(&client.call("POST", CARDS, &body))
    };
    assert_eq!(create(json!({"body": {}})), 300303);
    assert_eq!(
        create(json!({"schema": "2.0", "config": {"update_multi": false}})),
        300302
    );
    let big = "a".repeat(31 * 1024);
    assert_eq!(
        create(
            json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": big}]}})
        ),
        200860
    );
    let twice = json!({"tag": "markdown", "content": "", "element_id": "x"});
    assert_eq!(
        create(json!({"schema": "2.0", "body": {"elements": [twice, twice]}})),
        300301
    );
    let template = json!({"type": "template", "data": "{}"});
    assert_eq!(code(&client.call("POST", CARDS, &template)), 10002);
    let no_token = Client {
        token: "t-nope".into(),
        ..Client::new(&mock)
    };
    assert_eq!(code(&no_token.call("POST", CARDS, &template)), 99991663);
}

#[test]
fn a_uuid_is_one_operation() {
    let mock = MockServer::start();
    let client = Client::new(&mock);
    let card_id = client.create(&streaming());
    assert_eq!(code(&client.write(&card_id, "a", 1, Some("u-1"))), 0);
    // Repeated: answered as before, applied once.
    assert_eq!(code(&client.write(&card_id, "a", 1, Some("u-1"))), 0);
    // The same key on another operation.
    assert_eq!(code(&client.write(&card_id, "ab", 2, Some("u-1"))), 200770);
    let card = mock.card(&card_id).expect("the card");
    let replays = card.writes.iter().filter(|w| w.replay).count();
    assert_eq!(replays, 1);
    assert_eq!(card.sequence, 1);
    // Out of range, and not an integer.
    assert_eq!(code(&client.write(&card_id, "ab", 0, None)), 10002);
    let path = format!("{CARDS}/{card_id}/elements/answer/content");
    let answer = client.call("PUT", &path, &json!({"content": "x", "sequence": "2"}));
    assert_eq!(code(&answer), 10002);
}

#[test]
fn the_eleventh_operation_in_a_second_is_rate_limited() {
    let clock = ManualClock::new();
    let mock = MockServer::builder()
        .clock(clock.clone())
        .start()
        .expect("started");
    let client = Client::new(&mock);
    let card_id = client.create(&streaming());
    for n in 1..=9 {
        assert_eq!(
            code(&client.write(&card_id, &"x".repeat(n), n as i64, None)),
            0
        );
    }
    let (status, reset, body) = client.write(&card_id, "x".repeat(10).as_str(), 10, None);
    assert_eq!((status, reset.as_deref()), (429, Some("1")));
    assert_eq!(body["code"], 99991400);
    clock.advance(Duration::from_millis(999));
    assert_eq!(code(&client.write(&card_id, "y", 10, None)), 99991400);
    clock.advance(Duration::from_millis(1));
    assert_eq!(
        code(&client.write(&card_id, "x".repeat(10).as_str(), 10, None)),
        0
    );
}

#[test]
fn streaming_ends_after_ten_minutes_and_cards_after_fourteen_days() {
    let clock = ManualClock::new();
    let mock = MockServer::builder()
        .clock(clock.clone())
        .start()
        .expect("started");
    let client = Client::new(&mock);
    let card_id = client.create(&streaming());
    assert_eq!(code(&client.write(&card_id, "a", 1, None)), 0);
    clock.advance(Duration::from_secs(600));
    assert_eq!(code(&client.write(&card_id, "ab", 2, None)), 200850);
    assert_eq!(code(&client.write(&card_id, "ab", 3, None)), 300309);
    let card = mock.card(&card_id).expect("the card");
    assert!(!card.streaming);
    // The element can still be replaced.
    let path = format!("{CARDS}/{card_id}/elements/answer");
    let element = json!({"tag": "markdown", "content": "ab"}).to_string();
    let answer = client.call("PUT", &path, &json!({"element": element, "sequence": 4}));
    assert_eq!(code(&answer), 0);
    assert_eq!(
        mock.card(&card_id)
            .and_then(|c| c.text("answer").map(str::to_owned))
            .as_deref(),
        Some("ab")
    );
    clock.advance(Duration::from_secs(14 * 24 * 3600));
    // A fresh tenant token: the first ran out long ago.
    let client = Client::new(&mock);
    assert_eq!(code(&client.write(&card_id, "abc", 5, None)), 200750);
}

#[test]
fn a_card_is_sent_once_and_found_by_its_message() {
    let mock = MockServer::start();
    let client = Client::new(&mock);
    let card_id = client.create(&streaming());
    let content = json!({"type": "card", "data": {"card_id": card_id}}).to_string();
    let send = |uuid: &str| {
        let body = json!({"receive_id": "oc_mock_general", "msg_type": "interactive", "content": content, "uuid": uuid});
        client.call(
            "POST",
            "/open-apis/im/v1/messages?receive_id_type=chat_id",
            &body,
        )
    };
    let first = send("s-1");
    assert_eq!(code(&first), 0);
    let message_id = first.2["data"]["message_id"].clone();
    // The same send again gets the same message; another send is refused.
    assert_eq!(send("s-1").2["data"]["message_id"], message_id);
    let again = send("s-2");
    assert_eq!(code(&again), 230001);
    assert_eq!(again.2["error"]["field_violations"][0]["field"], "content");
    let unknown = json!({"type": "card", "data": {"card_id": "7000000000000000000"}}).to_string();
    let body =
        json!({"receive_id": "oc_mock_general", "msg_type": "interactive", "content": unknown});
    let answer = client.call(
        "POST",
        "/open-apis/im/v1/messages?receive_id_type=chat_id",
        &body,
    );
    assert_eq!(code(&answer), 230001);

    let found = client.call(
        "POST",
        &format!("{CARDS}/id_convert"),
        &json!({"message_id": message_id}),
    );
    assert_eq!(found.2["data"]["card_id"], card_id.as_str());
    assert_eq!(mock.messages().len(), 1);
}

#[test]
fn the_control_api_shows_cards_and_their_writes() {
    let mock = MockServer::start();
    let client = Client::new(&mock);
    let card_id = client.create(&streaming());
    client.write(&card_id, "Hello", 1, None);
    client.write(&card_id, "Bye", 2, None);
    let card = client.control(&format!("/_mock/cards/{card_id}"));
    assert_eq!(card["card"]["body"]["elements"][0]["content"], "Bye");
    assert_eq!(card["sequence"], 2);
    assert_eq!(card["streaming"], true);
    let writes = card["writes"].as_array().cloned().unwrap_or_default();
    let extends: Vec<_> = writes.iter().map(|w| w["extends"].clone()).collect();
    // The create, a write typed out, a write that replaced the text.
    assert_eq!(extends, [json!(false), json!(true), json!(false)]);
    assert!(
        writes
            .iter()
            .all(|w| w["at_ms"].as_u64().is_some_and(|t| t > 0))
    );
    let all = client.control("/_mock/cards");
    assert_eq!(all["cards"].as_array().map(Vec::len), Some(1));
    let missing = client.control("/_mock/cards/7000000000000000000");
    assert_eq!(missing["error"], "not_found");
    // A card action event for the card's message, to deliver with
    // `POST /_mock/events`.
    let content = json!({"type": "card", "data": {"card_id": card_id}}).to_string();
    let body =
        json!({"receive_id": "oc_mock_general", "msg_type": "interactive", "content": content});
    let sent = client.call(
        "POST",
        "/open-apis/im/v1/messages?receive_id_type=chat_id",
        &body,
    );
    let message_id = sent.2["data"]["message_id"].clone();
    let request = json!({"message_id": message_id, "open_id": "ou_alice", "value": {"k": 1}, "verification_token": "vt"});
    let mut response = client
        .agent
        .post(format!("{}/_mock/cards/action_event", client.url))
        .send(request.to_string())
        .expect("an answer");
    let text = response.body_mut().read_to_string().expect("a body");
    let event: Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(event["event"]["event"]["action"]["value"]["k"], 1);
    assert_eq!(event["event"]["header"]["token"], "vt");
    let index = client.control("/_mock");
    let routes = index["routes"].as_array().cloned().unwrap_or_default();
    assert!(routes.contains(&json!("GET /_mock/cards/{card_id}")));
}

#[test]
fn a_card_action_event_carries_a_token_for_two_updates() {
    let mock = MockServer::start();
    let client = Client::new(&mock);
    let card =
        json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": "Vote"}]}});
    let body = json!({"receive_id": "oc_mock_general", "msg_type": "interactive", "content": card.to_string()});
    let sent = client.call(
        "POST",
        "/open-apis/im/v1/messages?receive_id_type=chat_id",
        &body,
    );
    let message_id = sent.2["data"]["message_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let event = mock.card_action_event(&message_id, "ou_alice", &json!({"v": 1}), "vt");
    assert_eq!(event["header"]["event_type"], "card.action.trigger");
    assert_eq!(
        event["event"]["context"]["open_message_id"],
        message_id.as_str()
    );
    let token = event["event"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(token.starts_with("c-"));
    let update = |text: &str| {
        let card =
            json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": text}]}});
        code(&client.call(
            "POST",
            "/open-apis/interactive/v1/card/update",
            &json!({"token": token, "card": card}),
        ))
    };
    assert_eq!(update("one"), 0);
    assert_eq!(update("two"), 0);
    assert_eq!(update("three"), 10002);
    // Not a card entity: the message's own content changed.
    let stored: Value = serde_json::from_str(&mock.messages()[0].content).unwrap_or_default();
    assert_eq!(stored["body"]["elements"][0]["content"], "two");
}
