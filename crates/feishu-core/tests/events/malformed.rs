//! Requests that are not events: wrong method, not JSON, not an object, not
//! an event; and no panic on any prefix of any fixture body, signed or not.

use std::panic::{AssertUnwindSafe, catch_unwind};

use feishu_core::event::{Delivery, EventError, Webhook};
use feishu_core::http::{Method, Request};

use crate::*;

#[test]
fn get_is_405() {
    for method in [Method::GET, Method::PUT, Method::HEAD, Method::OPTIONS] {
        let mut request = vector("receive_v1").request();
        *request.method_mut() = method.clone();
        let handled = Webhook::encrypted(EK).handle(&request, now());
        assert_eq!(
            rejection(&handled),
            EventError::MethodNotAllowed,
            "{method}"
        );
        assert_eq!(handled.response.status(), 405);
    }
    let get = Request::get("/webhook")
        .body(Vec::new())
        .expect("a request");
    assert_eq!(
        Webhook::token_only(VT)
            .handle(&get, now())
            .response
            .status(),
        405
    );
}

#[test]
fn method_not_allowed_names_post() {
    let get = Request::get("/webhook")
        .body(Vec::new())
        .expect("a request");
    let handled = Webhook::token_only(VT).handle(&get, now());
    assert_eq!(handled.response.status(), 405);
    let allow = handled
        .response
        .headers()
        .get("allow")
        .map(|v| v.as_bytes());
    assert_eq!(allow, Some(b"POST".as_slice()));
}

#[test]
fn non_json_is_invalid_json() {
    let bodies: [&[u8]; 9] = [
        b"",
        b" ",
        b"hello",
        b"{",
        b"{\"a\":1",
        b"\xff\xfe{}",
        b"{}{}",
        b"{\"a\":1}x",
        b"<xml/>",
    ];
    for body in bodies {
        for webhook in [Webhook::token_only(VT), Webhook::encrypted(EK)] {
            let handled = webhook.handle(&post(body), now());
            assert_rejected(&handled, EventError::InvalidJson, 400);
        }
    }
}

#[test]
fn json_that_is_not_an_object_is_refused() {
    let bodies = [
        "null",
        "42",
        "\"text\"",
        "true",
        "[]",
        "[1,2]",
        "[null,null,null,null]",
    ];
    for body in bodies {
        let handled = Webhook::token_only(VT).handle(&post(body.as_bytes()), now());
        assert_rejected(&handled, EventError::InvalidJson, 400);
    }
}

#[test]
fn json_array_shaped_like_a_challenge_is_refused() {
    // serde's derived structs accept sequences: an array in the field order
    // of a URL verification must still not be answered.
    let fields =
        format!(r#"["c0ffee","url_verification","{VT}",null,null,null,null,null,null,null]"#);
    let handled = Webhook::token_only(VT).handle(&post(fields.as_bytes()), now());
    assert!(
        matches!(handled.delivery, Delivery::Rejected(_)),
        "{:?}",
        handled.delivery
    );
    assert_eq!(handled.response.status(), 400);
}

#[test]
fn objects_that_are_not_events_are_not_an_event() {
    let bodies = [
        "{}".to_owned(),
        r#"{"hello":"world"}"#.to_owned(),
        r#"{"schema":"2.0"}"#.to_owned(),
        r#"{"schema":"2.0","event":{}}"#.to_owned(),
        format!(r#"{{"schema":"2.0","header":{{"token":"{VT}","event_id":"e1"}},"event":{{}}}}"#),
        format!(r#"{{"schema":"2.0","header":{{"token":"{VT}","event_type":"x"}}}}"#),
        format!(r#"{{"type":"url_verification","token":"{VT}"}}"#),
        format!(r#"{{"type":"event_callback","uuid":"u1","token":"{VT}","event":{{}}}}"#),
        format!(r#"{{"type":"event_callback","uuid":"u1","token":"{VT}","event":[]}}"#),
    ];
    for body in bodies {
        let handled = Webhook::token_only(VT).handle(&post(body.as_bytes()), now());
        assert_rejected(&handled, EventError::NotAnEvent, 400);
    }
}

#[test]
fn malformed_card_trigger_is_not_an_event() {
    let mut json = body_json("card_trigger.json");
    json["event"]["action"] = "not an object".into();
    let handled = Webhook::token_only(VT).handle(&post(json.to_string().as_bytes()), now());
    assert_rejected(&handled, EventError::NotAnEvent, 400);
}

#[test]
fn fields_of_the_wrong_type_are_refused_not_a_panic() {
    let bodies = [
        r#"{"encrypt":42}"#,
        r#"{"encrypt":["a"]}"#,
        r#"{"challenge":1,"type":"url_verification"}"#,
        r#"{"schema":"2.0","header":{"event_type":7},"event":{}}"#,
        r#"{"schema":2,"header":{},"event":{}}"#,
        r#"{"type":"event_callback","uuid":7,"event":{"type":"x"}}"#,
        r#"{"action":"button"}"#,
    ];
    for body in bodies {
        for webhook in [
            Webhook::token_only(VT),
            Webhook::encrypted(EK).verification_token(VT),
        ] {
            let handled = webhook.handle(&post(body.as_bytes()), now());
            assert!(
                matches!(handled.delivery, Delivery::Rejected(_)),
                "{body}: {:?}",
                handled.delivery
            );
        }
    }
}

/// Every body of every fixture: the samples and the openssl envelopes.
fn all_bodies() -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = BODIES
        .iter()
        .map(|(name, text)| ((*name).to_owned(), text.as_bytes().to_vec()))
        .collect();
    all.extend(vectors().into_iter().map(|v| (v.name, v.body.into_bytes())));
    all.extend(
        failures()
            .into_iter()
            .map(|f| (f.name, f.body.into_bytes())),
    );
    all.extend(
        signed_bodies()
            .into_iter()
            .map(|s| (s.name, s.body.into_bytes())),
    );
    all
}

/// The prefix lengths tried: all of them, or for a large body every 997th
/// and the last 64.
fn prefix_lengths(len: usize) -> Vec<usize> {
    if len <= 4096 {
        return (0..=len).collect();
    }
    let mut lengths: Vec<usize> = (0..len).step_by(997).collect();
    lengths.extend(len - 64..=len);
    lengths
}

#[test]
fn no_panic_on_any_prefix_of_any_fixture_body() {
    let webhooks = [
        Webhook::token_only(VT),
        Webhook::token_only(V1_TOKEN),
        Webhook::encrypted(EK),
        Webhook::encrypted(EK).verification_token(VT),
    ];
    let ts = TS.to_string();
    for (name, body) in all_bodies() {
        for len in prefix_lengths(body.len()) {
            let prefix = &body[..len];
            let sha256 = sha256_signature(ts.as_bytes(), b"n", EK, prefix);
            let requests = [post(prefix), signed(prefix, &ts, "n", &sha256)];
            for (webhook, request) in webhooks
                .iter()
                .flat_map(|w| requests.iter().map(move |r| (w, r)))
            {
                let outcome = catch_unwind(AssertUnwindSafe(|| webhook.handle(request, now())));
                let handled = outcome.unwrap_or_else(|_| panic!("panic on {name}[..{len}]"));
                let status = handled.response.status().as_u16();
                assert!(
                    [200, 400, 401].contains(&status),
                    "{name}[..{len}]: {status}"
                );
                if body[len..].iter().any(|b| !b.is_ascii_whitespace()) {
                    // A proper prefix is never valid JSON: nothing is delivered.
                    assert!(
                        matches!(handled.delivery, Delivery::Rejected(_)),
                        "{name}[..{len}]"
                    );
                }
            }
        }
    }
}
