//! The five auth/v3 endpoints: success shapes and every error code.

use feishu_mock::{
    MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_APP_TICKET, MARKETPLACE_TENANT_KEY,
    MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET,
};
use serde_json::json;

use crate::support::{
    APP_INTERNAL, APP_TOKEN, Reply, TENANT_INTERNAL, TENANT_TOKEN, TICKET_RESEND,
    marketplace_app_token, post,
};

fn post_json(server: &MockServer, path: &str, body: serde_json::Value) -> Reply {
    post(server, path, &body.to_string())
}

fn self_built() -> serde_json::Value {
    json!({ "app_id": SELF_BUILT_APP_ID, "app_secret": SELF_BUILT_APP_SECRET })
}

fn marketplace() -> serde_json::Value {
    json!({ "app_id": MARKETPLACE_APP_ID, "app_secret": MARKETPLACE_APP_SECRET })
}

/// Auth errors are HTTP 200 with a flat body and a log id.
fn assert_auth_error(reply: &Reply, code: i64, msg: &str) {
    reply.assert_error(200, code);
    assert_eq!(reply.json()["msg"], msg);
    assert!(reply.json().get("data").is_none());
}

#[test]
fn tenant_token_internal_success_is_flat() {
    let server = MockServer::start();
    let reply = post_json(&server, TENANT_INTERNAL, self_built());
    assert_eq!(reply.status, 200);
    assert_eq!(reply.code(), 0);
    let body = reply.json();
    assert_eq!(body["msg"], "ok");
    assert_eq!(body["expire"], 7200);
    let token = body["tenant_access_token"].as_str().expect("token");
    assert!(token.starts_with("t-") && token.len() >= 30, "{token}");
    assert!(body.get("data").is_none() && body.get("error").is_none());
    assert!(!reply.log_id().is_empty());
}

#[test]
fn app_token_internal_carries_both_tokens() {
    let server = MockServer::start();
    let body = post_json(&server, APP_INTERNAL, self_built()).json();
    assert_eq!(body["code"], 0);
    assert_eq!(body["msg"], "ok");
    assert_eq!(body["expire"], 7200);
    let app = body["app_access_token"].as_str().expect("app token");
    assert!(app.starts_with("t-"));
    assert_eq!(body["tenant_access_token"], app);
    // Both self-built endpoints hand out the same current token.
    let tenant = post_json(&server, TENANT_INTERNAL, self_built()).json();
    assert_eq!(tenant["tenant_access_token"], app);
}

#[test]
fn marketplace_app_then_tenant_token() {
    let server = MockServer::start();
    let mut request = marketplace();
    request["app_ticket"] = json!(MARKETPLACE_APP_TICKET);
    let body = post_json(&server, APP_TOKEN, request).json();
    assert_eq!(body["code"], 0);
    assert_eq!(body["msg"], "success");
    assert_eq!(body["expire"], 7200);
    let app_token = body["app_access_token"].as_str().expect("app token");
    assert!(app_token.starts_with("a-"));

    let request = json!({ "app_access_token": app_token, "tenant_key": MARKETPLACE_TENANT_KEY });
    let body = post_json(&server, TENANT_TOKEN, request).json();
    assert_eq!(body["code"], 0);
    assert_eq!(body["msg"], "success");
    assert_eq!(body["expire"], 7200);
    let tenant_token = body["tenant_access_token"].as_str().expect("tenant token");
    assert!(tenant_token.starts_with("t-"));
}

#[test]
fn ticket_resend() {
    let server = MockServer::start();
    let reply = post_json(&server, TICKET_RESEND, marketplace());
    assert_eq!(reply.json(), json!({ "code": 0, "msg": "success" }));
    let reply = post_json(&server, TICKET_RESEND, self_built());
    reply.assert_error(200, 10016);
    let reply = post_json(
        &server,
        TICKET_RESEND,
        json!({ "app_id": SELF_BUILT_APP_ID, "app_secret": "x" }),
    );
    assert_auth_error(&reply, 10014, "app secret invalid");
}

#[test]
fn malformed_bodies_are_invalid_param() {
    let server = MockServer::start();
    for path in [
        TENANT_INTERNAL,
        APP_INTERNAL,
        APP_TOKEN,
        TENANT_TOKEN,
        TICKET_RESEND,
    ] {
        for body in [
            "",
            "not json",
            "[1,2]",
            r#"{"app_id":"cli_mock_self_built"}"#,
            r#"{"app_id":"","app_secret":"","app_access_token":"","tenant_key":""}"#,
            r#"{"app_id":1,"app_secret":2,"app_access_token":3,"tenant_key":4}"#,
        ] {
            let reply = post(&server, path, body);
            assert_auth_error(&reply, 10003, "invalid param");
        }
    }
}

#[test]
fn oversized_body_is_invalid_param() {
    let server = MockServer::start();
    let padding = "x".repeat(1 << 20);
    let body = format!(
        r#"{{"app_id":"{SELF_BUILT_APP_ID}","app_secret":"{SELF_BUILT_APP_SECRET}","pad":"{padding}"}}"#
    );
    assert_auth_error(
        &post(&server, TENANT_INTERNAL, &body),
        10003,
        "invalid param",
    );
}

#[test]
fn unknown_app_and_wrong_secret() {
    let server = MockServer::start();
    let unknown = json!({ "app_id": "cli_nobody", "app_secret": "s", "app_ticket": "t" });
    for path in [TENANT_INTERNAL, APP_INTERNAL, APP_TOKEN, TICKET_RESEND] {
        assert_auth_error(
            &post_json(&server, path, unknown.clone()),
            10003,
            "invalid param",
        );
    }
    let wrong = json!({ "app_id": SELF_BUILT_APP_ID, "app_secret": "wrong" });
    for path in [TENANT_INTERNAL, APP_INTERNAL] {
        assert_auth_error(
            &post_json(&server, path, wrong.clone()),
            10014,
            "app secret invalid",
        );
    }
    let wrong = json!({ "app_id": MARKETPLACE_APP_ID, "app_secret": "wrong", "app_ticket": MARKETPLACE_APP_TICKET });
    assert_auth_error(
        &post_json(&server, APP_TOKEN, wrong),
        10014,
        "app secret invalid",
    );
}

#[test]
fn app_kind_must_match_the_endpoint() {
    let server = MockServer::start();
    for path in [TENANT_INTERNAL, APP_INTERNAL] {
        assert_auth_error(
            &post_json(&server, path, marketplace()),
            10003,
            "invalid param",
        );
    }
    let mut request = self_built();
    request["app_ticket"] = json!(MARKETPLACE_APP_TICKET);
    assert_auth_error(
        &post_json(&server, APP_TOKEN, request),
        10003,
        "invalid param",
    );
}

#[test]
fn wrong_or_missing_ticket() {
    let server = MockServer::start();
    assert_auth_error(
        &post_json(&server, APP_TOKEN, marketplace()),
        10012,
        "app ticket invalid",
    );
    let mut request = marketplace();
    request["app_ticket"] = json!("stale-ticket");
    assert_auth_error(
        &post_json(&server, APP_TOKEN, request),
        10012,
        "app ticket invalid",
    );
}

#[test]
fn tenant_token_needs_a_marketplace_app_token_and_tenant() {
    let server = MockServer::start();
    let app_token = marketplace_app_token(&server);

    let unknown_tenant = json!({ "app_access_token": app_token, "tenant_key": "nobody" });
    let reply = post_json(&server, TENANT_TOKEN, unknown_tenant);
    assert_auth_error(&reply, 10013, "get tenant access token failed");

    let self_built_token = crate::support::self_built_token(&server);
    for token in ["a-unknown", self_built_token.as_str()] {
        let request = json!({ "app_access_token": token, "tenant_key": MARKETPLACE_TENANT_KEY });
        let reply = post_json(&server, TENANT_TOKEN, request);
        assert_auth_error(&reply, 99991664, "invalid app access token");
    }
}

#[test]
fn extra_apps_from_the_builder() {
    let server = MockServer::builder()
        .self_built_app("cli_extra", "extra-secret")
        .marketplace_app(
            "cli_store",
            "store-secret",
            "store-ticket",
            &["tk_a", "tk_b"],
        )
        .start()
        .expect("start");
    let reply = post_json(
        &server,
        TENANT_INTERNAL,
        json!({ "app_id": "cli_extra", "app_secret": "extra-secret" }),
    );
    assert_eq!(reply.code(), 0);
    // The defaults are still there.
    assert_eq!(post_json(&server, TENANT_INTERNAL, self_built()).code(), 0);

    let request = json!({ "app_id": "cli_store", "app_secret": "store-secret", "app_ticket": "store-ticket" });
    let app_token = post_json(&server, APP_TOKEN, request).json()["app_access_token"].clone();
    for tenant in ["tk_a", "tk_b"] {
        let request = json!({ "app_access_token": app_token, "tenant_key": tenant });
        assert_eq!(post_json(&server, TENANT_TOKEN, request).code(), 0);
    }
    let request = json!({ "app_access_token": app_token, "tenant_key": MARKETPLACE_TENANT_KEY });
    post_json(&server, TENANT_TOKEN, request).assert_error(200, 10013);
}

#[test]
fn log_ids_are_fresh_per_response() {
    let server = MockServer::start();
    let a = post_json(&server, TENANT_INTERNAL, self_built());
    let b = post_json(&server, TENANT_INTERNAL, self_built());
    assert_ne!(a.log_id(), b.log_id());
}
