//! `POST /open-apis/im/v1/messages`: the success shape, uuid dedup,
//! validation and auth.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use feishu_mock::{
    MARKETPLACE_APP_ID, MARKETPLACE_TENANT_KEY, ManualClock, MockServer, SELF_BUILT_APP_ID,
};
use serde_json::{Value, json};

use crate::support::{
    MESSAGES, TENANT_TOKEN, marketplace_app_token, post, post_bearer, self_built_token,
    send_message, text_message,
};

fn is_hex_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn now_ms() -> u64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock");
    u64::try_from(since.as_millis()).expect("ms")
}

fn message_id(data: &Value) -> String {
    data["data"]["message_id"]
        .as_str()
        .expect("message_id")
        .to_owned()
}

#[test]
fn send_returns_the_message_object() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let before = now_ms();
    let body = text_message("ou_alice", "hello", Some("first-send"));
    let reply = send_message(&server, &token, "open_id", &body);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.code(), 0);
    let json = reply.json();
    assert_eq!(json["msg"], "success");
    let data = &json["data"];
    assert!(
        is_hex_id(data["message_id"].as_str().expect("id"), "om_"),
        "{data}"
    );
    assert_eq!(data["msg_type"], "text");
    let created: u64 = data["create_time"]
        .as_str()
        .expect("string")
        .parse()
        .expect("ms");
    assert!(created >= before && created <= now_ms(), "{created}");
    assert_eq!(data["update_time"], data["create_time"]);
    assert_eq!(data["deleted"], false);
    assert_eq!(data["updated"], false);
    let chat_id = data["chat_id"].as_str().expect("chat_id");
    assert!(is_hex_id(chat_id, "oc_"), "{chat_id}");
    assert_eq!(
        data["sender"],
        json!({ "id": SELF_BUILT_APP_ID, "id_type": "app_id", "sender_type": "app", "tenant_key": "mock_self_built_tenant" })
    );
    assert_eq!(data["body"]["content"], r#"{"text":"hello"}"#);

    let stored = server.messages();
    assert_eq!(stored.len(), 1);
    let message = &stored[0];
    assert_eq!(message.message_id, data["message_id"]);
    assert_eq!(message.receive_id, "ou_alice");
    assert_eq!(message.receive_id_type, "open_id");
    assert_eq!(message.msg_type, "text");
    assert_eq!(message.content, r#"{"text":"hello"}"#);
    assert_eq!(message.uuid.as_deref(), Some("first-send"));
    assert_eq!(message.chat_id, chat_id);
    assert_eq!(message.create_time_ms, created);
}

#[test]
fn chat_ids_are_the_chat_or_a_stable_p2p_chat() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let unknown = text_message("oc_team", "hi", None);
    send_message(&server, &token, "chat_id", &unknown).assert_error(400, 230002);
    server.add_chat("oc_team", "Team");
    let to_chat = send_message(&server, &token, "chat_id", &unknown);
    assert_eq!(to_chat.json()["data"]["chat_id"], "oc_team");
    let chat_of = |user: &str| {
        let reply = send_message(&server, &token, "open_id", &text_message(user, "hi", None));
        reply.json()["data"]["chat_id"].clone()
    };
    assert_eq!(chat_of("ou_bob"), chat_of("ou_bob"));
    assert_ne!(chat_of("ou_bob"), chat_of("ou_carol"));
    // An open_id is `ou_…`.
    let not_open_id = text_message("bob", "hi", None);
    send_message(&server, &token, "open_id", &not_open_id).assert_error(400, 230001);
}

#[test]
fn create_times_strictly_increase() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    for i in 0..30 {
        let body = text_message("oc_mock_general", &i.to_string(), None);
        assert_eq!(send_message(&server, &token, "chat_id", &body).code(), 0);
    }
    let times: Vec<u64> = server.messages().iter().map(|m| m.create_time_ms).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
}

#[test]
fn a_repeated_uuid_returns_the_first_message() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let first = send_message(
        &server,
        &token,
        "open_id",
        &text_message("ou_a", "one", Some("u-1")),
    );
    // A retry resends the same uuid, even with other content: nothing new is stored.
    let retry = send_message(
        &server,
        &token,
        "open_id",
        &text_message("ou_a", "two", Some("u-1")),
    );
    assert_eq!(retry.status, 200);
    assert_eq!(retry.code(), 0);
    assert_eq!(message_id(&retry.json()), message_id(&first.json()));
    assert_eq!(retry.json()["data"]["body"]["content"], r#"{"text":"one"}"#);
    assert_eq!(server.messages().len(), 1);

    let other = send_message(
        &server,
        &token,
        "open_id",
        &text_message("ou_a", "one", Some("u-2")),
    );
    assert_ne!(message_id(&other.json()), message_id(&first.json()));
    assert_eq!(server.messages().len(), 2);
}

#[test]
fn without_a_uuid_every_send_is_stored() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let body = text_message("ou_a", "same", None);
    let a = send_message(&server, &token, "open_id", &body);
    let b = send_message(&server, &token, "open_id", &body);
    assert_ne!(message_id(&a.json()), message_id(&b.json()));
    let stored = server.messages();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].uuid, None);
    assert_eq!(stored[0].message_id, message_id(&a.json()));
}

#[test]
fn uuids_are_per_app_and_marketplace_sends_carry_their_tenant() {
    let server = MockServer::start();
    let app_token = marketplace_app_token(&server);
    let request = json!({ "app_access_token": app_token, "tenant_key": MARKETPLACE_TENANT_KEY });
    let tenant_token =
        post(&server, TENANT_TOKEN, &request.to_string()).json()["tenant_access_token"]
            .as_str()
            .expect("token")
            .to_owned();
    let body = text_message("ou_a", "hi", Some("shared-uuid"));
    let market = send_message(&server, &tenant_token, "open_id", &body).json();
    assert_eq!(market["data"]["sender"]["id"], MARKETPLACE_APP_ID);
    assert_eq!(
        market["data"]["sender"]["tenant_key"],
        MARKETPLACE_TENANT_KEY
    );
    let own = send_message(&server, &self_built_token(&server), "open_id", &body).json();
    assert_ne!(message_id(&own), message_id(&market));
    assert_eq!(server.messages().len(), 2);
}

#[test]
fn bad_receive_id_type_is_230001() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let body = text_message("ou_a", "hi", None).to_string();
    for path in [
        MESSAGES.to_owned(),
        format!("{MESSAGES}?receive_id_type=thread_id"),
        format!("{MESSAGES}?receive_id_type="),
    ] {
        let reply = post_bearer(&server, &path, Some(&token), &body);
        reply.assert_error(400, 230001);
        let json = reply.json();
        assert!(
            json["msg"]
                .as_str()
                .expect("msg")
                .starts_with("invalid receive_id_type")
        );
        assert_eq!(
            json["error"]["field_violations"][0]["field"],
            "receive_id_type"
        );
    }
    assert!(server.messages().is_empty());
}

#[test]
fn bad_bodies_are_230001() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let cases = [
        (
            json!({ "receive_id": "ou_a", "msg_type": "text", "content": { "text": "hi" } }),
            "content",
        ),
        (
            json!({ "receive_id": "ou_a", "msg_type": "text", "content": "hi" }),
            "content",
        ),
        (
            json!({ "receive_id": "", "msg_type": "text", "content": "{\"text\":\"hi\"}" }),
            "receive_id",
        ),
        (
            json!({ "msg_type": "text", "content": "{\"text\":\"hi\"}" }),
            "receive_id",
        ),
        (
            json!({ "receive_id": "ou_a", "content": "{\"text\":\"hi\"}" }),
            "msg_type",
        ),
        (text_message("ou_a", "hi", Some(&"x".repeat(51))), "uuid"),
    ];
    for (body, field) in cases {
        let reply = send_message(&server, &token, "open_id", &body);
        reply.assert_error(400, 230001);
        assert_eq!(
            reply.json()["error"]["field_violations"][0]["field"],
            field,
            "{body}"
        );
    }
    let path = format!("{MESSAGES}?receive_id_type=open_id");
    post_bearer(&server, &path, Some(&token), "not json").assert_error(400, 230001);
    assert!(server.messages().is_empty());
}

#[test]
fn size_limits_depend_on_msg_type() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let text = |len: usize| text_message("ou_a", &"a".repeat(len), None);
    assert_eq!(
        send_message(&server, &token, "open_id", &text(140 * 1024)).code(),
        0
    );
    send_message(&server, &token, "open_id", &text(151 * 1024)).assert_error(400, 230025);
    // Bodies past the mock's 1 MiB read bound are refused as too long too.
    send_message(&server, &token, "open_id", &text(2 << 20)).assert_error(400, 230025);

    let post_content = json!({ "zh_cn": { "title": "T", "content": [[{ "tag": "text", "text": "b".repeat(31 * 1024) }]] } });
    let rich =
        json!({ "receive_id": "ou_a", "msg_type": "post", "content": post_content.to_string() });
    let reply = send_message(&server, &token, "open_id", &rich);
    reply.assert_error(400, 230025);
    assert_eq!(reply.json()["msg"], "content too long");
    let card = json!({ "receive_id": "ou_a", "msg_type": "interactive", "content": json!({ "elements": [], "x": "c".repeat(20 * 1024) }).to_string() });
    assert_eq!(send_message(&server, &token, "open_id", &card).code(), 0);
    assert_eq!(server.messages().len(), 2);
}

#[test]
fn tenant_token_is_required() {
    let clock = ManualClock::new();
    let server = MockServer::builder()
        .token_lifetime(Duration::from_millis(200))
        .reissue_threshold(Duration::ZERO)
        .clock(clock.clone())
        .start()
        .expect("start");
    let body = text_message("ou_a", "hi", None).to_string();
    let path = format!("{MESSAGES}?receive_id_type=open_id");
    post_bearer(&server, &path, None, &body).assert_error(400, 99991661);
    post_bearer(&server, &path, Some("t-unknown"), &body).assert_error(400, 99991663);
    let app_token = marketplace_app_token(&server);
    post_bearer(&server, &path, Some(&app_token), &body).assert_error(400, 99991663);
    let token = self_built_token(&server);
    clock.advance(Duration::from_millis(300));
    post_bearer(&server, &path, Some(&token), &body).assert_error(400, 99991677);
    let fresh = self_built_token(&server);
    server.revoke_tokens();
    post_bearer(&server, &path, Some(&fresh), &body).assert_error(400, 99991663);
    assert!(server.messages().is_empty());
}
