//! Scripted faults, hit counting and the 404 for unknown paths.

use std::time::{Duration, Instant};

use feishu_mock::{Fault, MockServer};
use serde_json::json;

use crate::support::{CHATS, TENANT_INTERNAL, get, post, self_built_token};

fn credentials() -> String {
    json!({ "app_id": feishu_mock::SELF_BUILT_APP_ID, "app_secret": feishu_mock::SELF_BUILT_APP_SECRET })
        .to_string()
}

#[test]
fn status_fault_repeats_then_normal_answers_resume() {
    let server = MockServer::start();
    server.inject(TENANT_INTERNAL, Fault::status(503).times(2));
    for _ in 0..2 {
        let reply = post(&server, TENANT_INTERNAL, &credentials());
        assert_eq!(reply.status, 503);
        assert_eq!(reply.body, "");
        assert_eq!(reply.header("content-type"), None);
        assert!(reply.header("x-tt-logid").is_some());
    }
    assert_eq!(post(&server, TENANT_INTERNAL, &credentials()).code(), 0);
    assert_eq!(server.hits(TENANT_INTERNAL), 3);
}

#[test]
fn faults_are_consumed_in_order() {
    let server = MockServer::start();
    server.inject(TENANT_INTERNAL, Fault::status(500));
    server.inject(
        TENANT_INTERNAL,
        Fault::json(
            400,
            json!({ "code": 99991400, "msg": "request trigger frequency limit" }),
        )
        .header("x-ogw-ratelimit-reset", "2"),
    );
    server.inject(
        TENANT_INTERNAL,
        Fault::status(502).body("text/html", "<html>502</html>"),
    );

    assert_eq!(post(&server, TENANT_INTERNAL, &credentials()).status, 500);

    let limited = post(&server, TENANT_INTERNAL, &credentials());
    assert_eq!(limited.status, 400);
    assert_eq!(limited.code(), 99991400);
    assert_eq!(limited.header("x-ogw-ratelimit-reset"), Some("2"));

    let gateway = post(&server, TENANT_INTERNAL, &credentials());
    assert_eq!(gateway.status, 502);
    assert_eq!(gateway.header("content-type"), Some("text/html"));
    assert_eq!(gateway.body, "<html>502</html>");

    assert_eq!(post(&server, TENANT_INTERNAL, &credentials()).status, 200);
}

#[test]
fn delay_fault_delays_the_normal_answer() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    server.inject(CHATS, Fault::delay(Duration::from_millis(300)));
    let started = Instant::now();
    let reply = get(&server, CHATS, Some(&token));
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.code(), 0);
    let started = Instant::now();
    get(&server, CHATS, Some(&token));
    assert!(started.elapsed() < Duration::from_millis(250));
}

#[test]
fn status_fault_with_delay() {
    let server = MockServer::start();
    server.inject(
        TENANT_INTERNAL,
        Fault::status(504).then_delay(Duration::from_millis(200)),
    );
    let started = Instant::now();
    let reply = post(&server, TENANT_INTERNAL, &credentials());
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(reply.status, 504);
}

#[test]
fn fault_headers_can_override_the_log_id() {
    let server = MockServer::start();
    server.inject(
        CHATS,
        Fault::delay(Duration::ZERO).header("X-Tt-Logid", "fixed-log-id"),
    );
    let reply = get(&server, CHATS, None);
    assert_eq!(reply.log_id(), "fixed-log-id");
    assert_eq!(reply.code(), 99991661);
}

#[test]
fn faults_can_script_unimplemented_endpoints() {
    let server = MockServer::start();
    // A path no API of the spec has (the spec's are all served).
    let path = "/open-apis/calendar/v4/not_an_api";
    server.inject(
        path,
        Fault::json(200, json!({ "code": 0, "msg": "success", "data": {} })),
    );
    let reply = post(&server, path, "{}");
    assert_eq!(reply.code(), 0);
    let reply = post(&server, path, "{}");
    assert_eq!(reply.status, 404);
    assert_eq!(server.hits(path), 2);
}

#[test]
fn hits_ignore_the_query_and_reset() {
    let server = MockServer::start();
    get(&server, CHATS, None);
    get(&server, &format!("{CHATS}?page_size=1"), None);
    assert_eq!(server.hits(CHATS), 2);
    assert_eq!(server.hits(TENANT_INTERNAL), 0);
    server.reset_hits();
    assert_eq!(server.hits(CHATS), 0);
}

#[test]
fn unknown_path_is_plain_text_404() {
    let server = MockServer::start();
    let reply = get(&server, "/open-apis/nope/v1/things", None);
    assert_eq!(reply.status, 404);
    assert_eq!(reply.body, "404 page not found");
    let content_type = reply.header("content-type").expect("content-type");
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert!(reply.header("x-tt-logid").is_some());
}
