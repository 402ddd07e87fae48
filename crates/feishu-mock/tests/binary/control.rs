//! Every control API route over real HTTP, against the spawned binary.

use serde_json::{Value, json};

use crate::receiver::{Receiver, answer};
use crate::support::Binary;

const TOKEN: &str = "control-verification-token";
const TENANT_INTERNAL: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// The binary without Feishu's long redelivery schedule.
fn start() -> Binary {
    Binary::start(&[
        "--redelivery-delays-ms",
        "",
        "--delivery-timeout-ms",
        "2000",
    ])
}

fn webhook(receiver: &Receiver) -> Value {
    json!({ "url": receiver.url(), "verification_token": TOKEN })
}

#[test]
fn a_message_event_is_delivered_and_answered_through_the_open_api() {
    let mock = start();
    let receiver = Receiver::start();
    assert_eq!(
        mock.control("GET", "/webhook", None).ok()["url"],
        Value::Null
    );
    mock.control("PUT", "/webhook", Some(&webhook(&receiver)))
        .ok();
    let target = mock.control("GET", "/webhook", None).ok();
    assert_eq!(target, json!({ "url": receiver.url(), "encrypted": false }));

    let chat = json!({ "chat_id": "oc_team", "name": "Team", "members": ["ou_alice"] });
    let created = mock.control("POST", "/chats", Some(&chat)).ok();
    assert_eq!(created, chat);

    let say = json!({ "chat_id": "oc_team", "open_id": "ou_bob", "text": "hello bot" });
    let report = mock.control("POST", "/events/message", Some(&say)).ok();
    assert_eq!(report["delivered"], true, "{report}");
    assert_eq!(report["url"], receiver.url());
    let attempt = &report["attempts"][0];
    assert_eq!(attempt["status"], 200);
    assert_eq!(attempt["body"], r#"{"msg":"success"}"#);
    assert!(attempt["elapsed_ms"].is_u64() && attempt["error"].is_null());
    let message_id = report["message_id"]
        .as_str()
        .expect("message_id")
        .to_owned();
    assert_eq!(
        report["payload"]["event"]["message"]["message_id"],
        message_id
    );

    // What the webhook received: the plain event with the token inside.
    let delivered = receiver.requests();
    assert_eq!(delivered.len(), 1);
    let event = delivered[0].json();
    assert_eq!(event["header"]["event_type"], "im.message.receive_v1");
    assert_eq!(event["header"]["token"], TOKEN);
    assert_eq!(event["event"]["message"]["chat_type"], "group");
    assert_eq!(
        event["event"]["message"]["content"],
        r#"{"text":"hello bot"}"#
    );

    // The bot answers through the Open API; the control API shows it.
    let token = mock.tenant_token();
    let reply = json!({ "msg_type": "text", "content": r#"{"text":"hi Bob"}"# });
    let path = format!("/open-apis/im/v1/messages/{message_id}/reply");
    assert_eq!(
        mock.call("POST", &path, Some(&reply), Some(&token)).ok()["code"],
        0
    );
    let stored = mock.control("GET", "/messages", None).ok();
    let messages = stored["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["sender_id"], "ou_bob");
    assert_eq!(messages[1]["parent_id"], message_id);
    assert_eq!(messages[1]["follow_ups"], json!([]));

    // The poster joined the group.
    let chats = mock.control("GET", "/chats", None).ok();
    assert_eq!(chats["chats"][2]["members"], json!(["ou_alice", "ou_bob"]));
    let deliveries = mock.control("GET", "/deliveries", None).ok();
    assert_eq!(deliveries["deliveries"].as_array().map(Vec::len), Some(1));
}

#[test]
fn failed_and_tampered_deliveries_are_reported() {
    let mock = start();
    let receiver = Receiver::start();
    receiver.script(&[answer(500)]);
    let say = json!({
        "chat_id": "oc_mock_general", "open_id": "ou_alice", "text": "hi",
        "webhook": webhook(&receiver),
    });
    let report = mock.control("POST", "/events/message", Some(&say)).ok();
    assert_eq!(report["delivered"], false, "{report}");
    assert_eq!(
        report["attempts"].as_array().map(Vec::len),
        Some(1),
        "no retries"
    );
    assert_eq!(report["attempts"][0]["status"], 500);

    // An arbitrary event, encrypted with the wrong key.
    let encrypted =
        json!({ "url": receiver.url(), "verification_token": TOKEN, "encrypt_key": "k" });
    let event = json!({ "schema": "2.0", "header": { "event_type": "custom.v1", "token": TOKEN } });
    let request =
        json!({ "event": event, "webhook": encrypted, "tamper": { "wrong_key": "other" } });
    let report = mock.control("POST", "/events", Some(&request)).ok();
    assert_eq!(report["delivered"], true, "{report}");
    assert_eq!(report["payload"], event);
    let sent = receiver.requests().last().cloned().expect("a request");
    assert!(sent.signed_with("other") && !sent.signed_with("k"));

    // Nothing to deliver to.
    let error = mock
        .control(
            "POST",
            "/events/message",
            Some(&json!({
                "chat_id": "oc_mock_general", "open_id": "ou_alice", "text": "hi",
            })),
        )
        .assert_control_error(409, "conflict");
    assert!(error.contains("PUT /_mock/webhook"), "{error}");
}

#[test]
fn an_app_ticket_is_rotated_and_pushed() {
    let mock = start();
    let receiver = Receiver::start();
    let encrypted =
        json!({ "url": receiver.url(), "verification_token": TOKEN, "encrypt_key": "key" });
    mock.control("PUT", "/webhook", Some(&encrypted)).ok();
    assert_eq!(
        mock.control("GET", "/webhook", None).ok()["encrypted"],
        true
    );

    let rotated = mock.control("POST", "/app_ticket/rotate", None).ok();
    assert_eq!(rotated["app_id"], "cli_mock_marketplace");
    let ticket = rotated["app_ticket"]
        .as_str()
        .expect("app_ticket")
        .to_owned();
    let report = mock.control("POST", "/events/app_ticket", None).ok();
    assert_eq!(report["delivered"], true, "{report}");
    assert_eq!(report["payload"]["event"]["app_ticket"], ticket);
    assert_eq!(report["payload"]["token"], TOKEN);
    assert!(receiver.requests()[0].signed_with("key"));

    // The old ticket is refused, the new one works.
    let body = |app_ticket: &str| json!({ "app_id": "cli_mock_marketplace", "app_secret": "mock-marketplace-secret", "app_ticket": app_ticket });
    let path = "/open-apis/auth/v3/app_access_token";
    let old = mock
        .call("POST", path, Some(&body("mock-app-ticket")), None)
        .json();
    assert_eq!(old["code"], 10012);
    let new = mock.call("POST", path, Some(&body(&ticket)), None).json();
    assert_eq!(new["code"], 0);
    let issued = mock.control("GET", "/tokens/issued", None).ok();
    assert_eq!(issued, json!({ "tenant": 0, "app": 1, "user": 0 }));

    mock.control(
        "POST",
        "/app_ticket/rotate",
        Some(&json!({ "app_id": "cli_mock_self_built" })),
    )
    .assert_control_error(404, "not_found");
    mock.control("DELETE", "/webhook", None).ok();
    assert_eq!(
        mock.control("GET", "/webhook", None).ok()["url"],
        Value::Null
    );
}

#[test]
fn faults_hits_and_their_reset() {
    let mock = start();
    let fault = json!({
        "path": TENANT_INTERNAL, "kind": "status", "status": 503,
        "body": "<html>busy</html>", "content_type": "text/html",
        "headers": { "Retry-After": "1" }, "times": 2,
    });
    mock.control("POST", "/faults", Some(&fault)).ok();
    let body = json!({ "app_id": "cli_mock_self_built", "app_secret": "mock-self-built-secret" });
    for _ in 0..2 {
        let reply = mock.call("POST", TENANT_INTERNAL, Some(&body), None);
        assert_eq!(reply.status, 503);
        assert_eq!(reply.body, "<html>busy</html>");
        assert_eq!(reply.content_type.as_deref(), Some("text/html"));
    }
    assert_eq!(
        mock.call("POST", TENANT_INTERNAL, Some(&body), None).json()["code"],
        0
    );

    let json_fault = json!({
        "path": "/open-apis/im/v1/chats", "kind": "json", "status": 429,
        "json": { "code": 99991400, "msg": "request trigger frequency limit" },
    });
    mock.control("POST", "/faults", Some(&json_fault)).ok();
    let limited = mock.call("GET", "/open-apis/im/v1/chats", None, None);
    assert_eq!(
        (limited.status, limited.json()["code"].clone()),
        (429, json!(99991400))
    );

    let hits = mock
        .control("GET", &format!("/hits?path={TENANT_INTERNAL}"), None)
        .ok();
    assert_eq!(hits, json!({ "path": TENANT_INTERNAL, "hits": 3 }));
    let all = mock.control("GET", "/hits", None).ok();
    assert_eq!(
        all["hits"],
        json!({ "/open-apis/im/v1/chats": 1, TENANT_INTERNAL: 3 })
    );
    mock.control("DELETE", "/hits", None).ok();
    assert_eq!(mock.control("GET", "/hits", None).ok()["hits"], json!({}));

    // A closed connection: no answer at all.
    let close = json!({ "path": TENANT_INTERNAL, "kind": "close_connection" });
    mock.control("POST", "/faults", Some(&close)).ok();
    let agent = ureq::Agent::new_with_defaults();
    let closed = agent
        .post(format!("{}{TENANT_INTERNAL}", mock.url))
        .send(body.to_string());
    assert!(closed.is_err(), "{closed:?}");
}

#[test]
fn oauth_codes_tokens_and_revocation() {
    let mock = start();
    let code = mock
        .control(
            "POST",
            "/oauth/authorize",
            Some(&json!({ "open_id": "ou_carol" })),
        )
        .ok()["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let exchange = json!({
        "grant_type": "authorization_code", "client_id": "cli_mock_self_built",
        "client_secret": "mock-self-built-secret", "code": code,
    });
    let tokens = mock
        .call("POST", "/oauth/v3/token", Some(&exchange), None)
        .ok();
    let access = tokens["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned();
    mock.control(
        "POST",
        "/users",
        Some(&json!({ "open_id": "ou_carol", "name": "Carol" })),
    )
    .ok();
    let me = mock.call("GET", "/open-apis/authen/v1/user_info", None, Some(&access));
    assert_eq!(me.ok()["data"]["name"], "Carol");
    assert_eq!(mock.control("GET", "/tokens/issued", None).ok()["user"], 1);

    mock.control("POST", "/tokens/revoke", None).ok();
    let revoked = mock.call("GET", "/open-apis/authen/v1/user_info", None, Some(&access));
    assert_eq!(revoked.json()["code"], 99991668);
    let users = mock.control("GET", "/users", None).ok();
    assert_eq!(
        users["users"],
        json!([{ "open_id": "ou_carol", "name": "Carol" }])
    );

    mock.control(
        "POST",
        "/oauth/authorize",
        Some(&json!({ "app_id": "cli_nobody" })),
    )
    .assert_control_error(404, "not_found");
}

#[test]
fn members_user_messages_read_receipts_and_uploads() {
    let mock = start();
    mock.control(
        "POST",
        "/chats",
        Some(&json!({ "chat_id": "oc_ops", "name": "Ops" })),
    )
    .ok();
    let added = mock
        .control(
            "POST",
            "/chats/oc_ops/members",
            Some(&json!({ "open_ids": ["ou_a", "ou_b"] })),
        )
        .ok();
    assert_eq!(added["members"], json!(["ou_a", "ou_b"]));
    let token = mock.tenant_token();
    let listed = mock
        .call(
            "GET",
            "/open-apis/im/v1/chats/oc_ops/members",
            None,
            Some(&token),
        )
        .ok();
    assert_eq!(listed["data"]["member_total"], 2);

    // A user's message without an event; a card by content.
    let posted = mock
        .control(
            "POST",
            "/chats/oc_ops/messages",
            Some(&json!({ "open_id": "ou_a", "text": "hi" })),
        )
        .ok();
    assert!(
        posted["message_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("om_"))
    );
    let card =
        json!({ "open_id": "ou_b", "msg_type": "interactive", "content": "{\"elements\":[]}" });
    mock.control("POST", "/chats/oc_ops/messages", Some(&card))
        .ok();

    // The bot's message, read by a user.
    let send =
        json!({ "receive_id": "oc_ops", "msg_type": "text", "content": "{\"text\":\"status?\"}" });
    let sent = mock
        .call(
            "POST",
            "/open-apis/im/v1/messages?receive_id_type=chat_id",
            Some(&send),
            Some(&token),
        )
        .ok();
    let id = sent["data"]["message_id"]
        .as_str()
        .expect("message_id")
        .to_owned();
    mock.control(
        "POST",
        &format!("/messages/{id}/read"),
        Some(&json!({ "open_id": "ou_a" })),
    )
    .ok();
    let read = mock
        .call(
            "GET",
            &format!("/open-apis/im/v1/messages/{id}/read_users?user_id_type=open_id"),
            None,
            Some(&token),
        )
        .ok();
    assert_eq!(read["data"]["items"][0]["user_id"], "ou_a");

    assert_eq!(
        mock.control("GET", "/uploads", None).ok(),
        json!({ "uploads": [] })
    );
    let index = mock.control("GET", "", None).ok();
    assert!(index["routes"].as_array().is_some_and(|r| r.len() > 20));
    assert_eq!(index["apps"][0]["app_id"], "cli_mock_marketplace");
}

#[test]
fn control_errors_are_json_4xx() {
    let mock = start();
    let bad = |method: &str, path: &str, body: Option<Value>, status: u16, kind: &str| {
        mock.control(method, path, body.as_ref())
            .assert_control_error(status, kind)
    };
    let raw = crate::support::call(&format!("{}/_mock/chats", mock.url), "POST", None, None);
    raw.assert_control_error(400, "bad_request");
    let message = bad(
        "POST",
        "/chats",
        Some(json!({ "name": "x" })),
        400,
        "bad_request",
    );
    assert!(message.contains("chat_id"), "{message}");
    let message = bad(
        "POST",
        "/chats",
        Some(json!({ "chat_id": "oc_x", "name": "x", "colour": "red" })),
        400,
        "bad_request",
    );
    assert!(message.contains("colour"), "{message}");
    let message = bad(
        "POST",
        "/chats",
        Some(json!({ "chat_id": "team", "name": "x" })),
        400,
        "bad_request",
    );
    assert!(message.contains("oc_"), "{message}");
    bad(
        "POST",
        "/chats",
        Some(json!({ "chat_id": "oc_x", "name": "x", "members": ["bob"] })),
        400,
        "bad_request",
    );
    assert_eq!(
        mock.control("GET", "/chats", None).ok()["chats"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    bad(
        "POST",
        "/chats/oc_nowhere/members",
        Some(json!({ "open_ids": ["ou_a"] })),
        404,
        "not_found",
    );
    bad(
        "POST",
        "/chats/oc_nowhere/messages",
        Some(json!({ "open_id": "ou_a", "text": "hi" })),
        404,
        "not_found",
    );
    bad(
        "POST",
        "/chats/oc_mock_general/messages",
        Some(json!({ "open_id": "ou_a", "msg_type": "text", "content": "not json" })),
        400,
        "bad_request",
    );
    bad(
        "POST",
        "/messages/om_nope/read",
        Some(json!({ "open_id": "ou_a" })),
        404,
        "not_found",
    );
    bad(
        "POST",
        "/faults",
        Some(json!({ "path": "/_mock/chats", "kind": "close_connection" })),
        400,
        "bad_request",
    );
    bad(
        "POST",
        "/faults",
        Some(json!({ "path": "/x", "kind": "status", "status": 42 })),
        400,
        "bad_request",
    );
    bad(
        "PUT",
        "/webhook",
        Some(json!({ "url": "https://example.com/", "verification_token": "t" })),
        400,
        "bad_request",
    );
    bad(
        "POST",
        "/events",
        Some(
            json!({ "event": [1, 2], "webhook": { "url": "http://127.0.0.1:9/", "verification_token": "t" } }),
        ),
        400,
        "bad_request",
    );
    bad("GET", "/nothing/here", None, 404, "not_found");
    bad("DELETE", "/chats", None, 405, "method_not_allowed");
    // Still serving after all that.
    assert_eq!(mock.control("GET", "/hits", None).ok()["hits"], json!({}));
}
