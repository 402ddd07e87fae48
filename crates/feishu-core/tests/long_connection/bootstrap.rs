//! Bootstrap: the request, the answer's settings and URL, and which
//! failures are retried and which stop the session.

use feishu_core::TransportErrorKind;
use feishu_core::long_connection::{AttemptError, ClientConfig, Session, SessionError};
use feishu_core::{Config, http};
use serde_json::{Value, json};

use crate::*;

#[test]
fn the_bootstrap_request_is_the_documented_one() {
    let mut harness = Harness::new();
    let round = harness.round();
    let [request] = <[_; 1]>::try_from(round.sent).expect("one request");
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri(), "https://open.feishu.cn/callback/ws/endpoint");
    assert_eq!(request.headers()["locale"], "zh");
    assert_eq!(
        request.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert!(request.headers().contains_key("user-agent"));
    assert!(!request.headers().contains_key("authorization"));
    let body: Value = serde_json::from_slice(request.body()).expect("JSON");
    assert_eq!(body, json!({"AppID": APP_ID, "AppSecret": APP_SECRET}));
}

#[test]
fn no_step_shows_a_secret() {
    let mut harness = Harness::new();
    let step = harness.session.poll(harness.now);
    let shown = format!("{step:?}");
    assert!(!shown.contains(APP_SECRET), "{shown}");
    harness
        .session
        .on_response(endpoint_ok(quick()), harness.now);
    let step = harness.session.poll(harness.now);
    let shown = format!("{step:?} {:?}", harness.session);
    for secret in ["ak-5e2f", "tk-77a1", APP_SECRET] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn a_config_without_app_is_refused() {
    assert!(matches!(
        Session::new(&Config::feishu(), 1),
        Err(SessionError::NoApp)
    ));
}

#[test]
fn the_answer_sets_the_url_and_all_four_settings() {
    let mut harness = Harness::new();
    let _ = harness.round();
    harness.session.on_response(
        endpoint_ok(json!({"ReconnectCount": 7, "ReconnectInterval": 9, "ReconnectNonce": 4, "PingInterval": 33})),
        harness.now,
    );
    let round = harness.round();
    assert_eq!(round.connect[0].expose(), URL);
    assert_eq!(round.connect[0].service_id(), SERVICE);
    assert_eq!(round.connect[0].device_id(), Some("7287"));
    let settings = harness.session.client_config();
    assert_eq!(settings.reconnect_count, 7);
    assert_eq!(settings.reconnect_interval, secs(9));
    assert_eq!(settings.reconnect_nonce, secs(4));
    assert_eq!(settings.ping_interval, secs(33));
}

#[test]
fn an_answer_without_settings_takes_the_defaults() {
    let mut harness = Harness::new();
    let _ = harness.round();
    let body = json!({"code": 0, "msg": "ok", "data": {"URL": URL}});
    harness.session.on_response(
        http::Response::new(body.to_string().into_bytes()),
        harness.now,
    );
    let _ = harness.round();
    assert_eq!(*harness.session.client_config(), ClientConfig::default());
    assert_eq!(harness.session.client_config().reconnect_count, -1);
    assert_eq!(harness.session.client_config().ping_interval, secs(120));
}

/// The first failure after which the session is still trying, or the end.
fn after_first_answer(response: http::Response<Vec<u8>>) -> Round {
    let mut harness = Harness::new();
    let _ = harness.round();
    harness.session.on_response(response, harness.now);
    harness.round()
}

fn status(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .expect("a response")
}

#[test]
fn busy_and_internal_error_are_retried() {
    for code in [1, 1_000_040_343] {
        let body = json!({"code": code, "msg": "busy"}).to_string();
        let round = after_first_answer(status(200, &body));
        assert!(round.done.is_none(), "{code}: {round:?}");
        assert!(round.wait.is_some());
    }
}

#[test]
fn any_other_code_is_fatal() {
    for code in [10003, 10014, 1_000_040_344, -1] {
        let body = json!({"code": code, "msg": "app secret invalid"}).to_string();
        let round = after_first_answer(status(200, &body));
        match round.done {
            Some(Err(SessionError::Refused(AttemptError::Code { code: got, msg }))) => {
                assert_eq!((got, msg.as_str()), (code, "app secret invalid"));
            }
            other => panic!("{code}: {other:?}"),
        }
    }
}

#[test]
fn any_status_but_200_is_retried_whatever_the_body() {
    for (code, body) in [
        (500, "<html>oops</html>"),
        (502, ""),
        (429, r#"{"code":10003,"msg":"fatal under 200"}"#),
        (404, r#"{"code":0,"data":{"URL":"wss://x"}}"#),
    ] {
        let round = after_first_answer(status(code, body));
        assert!(round.done.is_none(), "{code}: {round:?}");
    }
}

#[test]
fn an_unreadable_200_is_retried() {
    for body in [
        "",
        "not json",
        r#"{"code":0,"data":{}}"#,
        r#"{"code":0,"data":{"URL":"https://not-a-websocket"}}"#,
    ] {
        let round = after_first_answer(status(200, body));
        assert!(round.done.is_none(), "{body}: {round:?}");
        assert!(round.connect.is_empty());
    }
}

fn refused(status: u16, headers: &[(&str, &str)]) -> Round {
    let mut harness = Harness::new();
    let _ = harness.round();
    harness
        .session
        .on_response(endpoint_ok(quick()), harness.now);
    let _ = harness.round();
    let mut response = http::Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    harness
        .session
        .on_refused(&response.body(()).expect("a response"), harness.now);
    harness.round()
}

#[test]
fn a_forbidden_upgrade_is_fatal() {
    let round = refused(
        403,
        &[("Handshake-Status", "403"), ("Handshake-Msg", "forbidden")],
    );
    assert!(
        matches!(
            round.done,
            Some(Err(SessionError::Refused(AttemptError::Handshake {
                status: 403,
                ..
            })))
        ),
        "{round:?}"
    );
}

#[test]
fn too_many_connections_is_fatal() {
    let round = refused(
        200,
        &[
            ("Handshake-Status", "514"),
            ("Handshake-Msg", "exceed connection limit"),
            ("Handshake-Autherrcode", "1000040350"),
        ],
    );
    let Some(Err(SessionError::Refused(error))) = round.done else {
        panic!("{round:?}");
    };
    assert_eq!(
        error,
        AttemptError::Handshake {
            status: 514,
            message: Some("exceed connection limit".into()),
            auth_code: Some(1_000_040_350),
        }
    );
}

#[test]
fn other_refused_upgrades_are_retried() {
    for (code, headers) in [
        (
            401,
            vec![
                ("Handshake-Status", "514"),
                ("Handshake-Autherrcode", "1000040351"),
            ],
        ),
        (500, vec![]),
        (502, vec![("Handshake-Status", "not a number")]),
        (200, vec![("Handshake-Status", "500")]),
    ] {
        let round = refused(code, &headers);
        assert!(round.done.is_none(), "{code} {headers:?}: {round:?}");
    }
    // Without a Handshake-Status, the HTTP status decides.
    assert!(refused(403, &[]).done.is_some());
}

#[test]
fn transport_errors_are_retried() {
    let mut harness = Harness::new();
    let _ = harness.round();
    harness
        .session
        .on_transport_error(TransportErrorKind::Timeout, harness.now);
    assert!(harness.round().done.is_none());
    let round = harness.wake();
    assert_eq!(round.sent.len(), 1, "a fresh bootstrap: {round:?}");
    harness
        .session
        .on_response(endpoint_ok(quick()), harness.now);
    let _ = harness.round();
    harness
        .session
        .on_transport_error(TransportErrorKind::Connect, harness.now);
    let round = harness.round();
    assert!(round.done.is_none());
    assert!(round.connect.is_empty());
}

#[test]
fn inputs_out_of_turn_are_ignored() {
    let mut harness = Harness::new();
    // Nothing is out yet: a response, a refusal, a connection or a frame
    // changes nothing.
    harness
        .session
        .on_response(endpoint_ok(quick()), harness.now);
    harness.session.on_connected(harness.now);
    harness.session.on_closed(harness.now);
    harness.receive(&event_frame(1, &message("e1", "hi")));
    let round = harness.round();
    assert_eq!(round.sent.len(), 1);
    assert!(round.connect.is_empty() && round.delivered.is_empty());
    assert!(!harness.session.is_connected());
}
