//! Golden responses: `tests/fixtures/<area>/<case>.json`, built from the samples
//! on Feishu's API pages, the way gidgethub keeps `tests/samples/`.
//!
//! Each file is `{"status": 200, "headers": {"name": "value", …}, "body": "…"}`.
//! The body is a JSON string so that HTML, empty and truncated bodies are kept
//! byte for byte; a body that is not UTF-8 is given as `"body_base64"` instead.
//!
//! The webhook's inputs live in `tests/fixtures/events/`: the request bodies of
//! `bodies/` ([`event_body`]) and the openssl-derived vectors
//! ([`EVENT_VECTORS`], [`EVENT_FAILURES`], [`EVENT_SIGNATURES`]), which the
//! events tests read into their own types.
//!
//! The files are compiled in with `include_str!`: the crate's clippy.toml bans
//! file reads, and a compiled-in fixture cannot go missing at run time.

// Each test crate uses only part of this module.
#![allow(dead_code)]

use serde_json::Value;

macro_rules! fixtures {
    ($($name:literal),* $(,)?) => {
        /// Every fixture, by name (`area/case`), with its file's text.
        pub const ALL: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../fixtures/", $name, ".json")))),*
        ];
    };
}

fixtures![
    "auth/app_internal_ok",
    "auth/app_marketplace_ok",
    "auth/app_token_as_number",
    "auth/invalid_param_200",
    "auth/oauth_code_string",
    "auth/resend_ok",
    "auth/tenant_internal_ok",
    "auth/tenant_marketplace_ok",
    "auth/ticket_invalid",
    "auth/token_wrong_type",
    "auth/empty_tenant_token",
    "auth/empty_app_token",
    "auth/app_token_empty_tenant_token",
    "auth/truncated_token",
    "auth/wrong_secret_200",
    "card/doc_create_ok",
    "card/doc_update_ok",
    "card/written_id_convert_ok",
    "card/written_sequence_300317",
    "card/written_streaming_closed_300309",
    "card/written_streaming_timeout_200850",
    "envelope/code_zero_http_500",
    "envelope/data_missing",
    "envelope/data_ok",
    "envelope/empty_200",
    "envelope/empty_502",
    "envelope/html_502",
    "envelope/invalid_utf8",
    "envelope/log_id_only_in_body",
    "envelope/msg_as_message",
    "envelope/msg_as_message_error",
    "envelope/no_code",
    "envelope/permission_denied_99991672",
    "envelope/plain_404",
    "envelope/rate_limited_400",
    "envelope/rate_limited_429",
    "envelope/tenant_token_invalid_400",
    "envelope/truncated_200",
    "envelope/user_privilege_99991679",
    "envelope/x_request_id_fallback",
    "im/download_json_200",
    "im/download_not_owner_230017",
    "im/empty_data_ok",
    "im/file_upload_ok",
    "im/get_empty_items",
    "im/get_ok",
    "im/image_upload_ok",
    "im/list_page",
    "im/read_users_page",
    "im/recalled_230011",
    "im/send_ok",
];

macro_rules! event_bodies {
    ($($name:literal),* $(,)?) => {
        /// Every hand-written or generated body in `fixtures/events/bodies/`,
        /// by file name.
        pub const EVENT_BODIES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../fixtures/events/bodies/", $name)))),*
        ];
    };
}

event_bodies![
    "big_64k.json",
    "block_96.json",
    "card_legacy.json",
    "card_trigger.json",
    "empty.txt",
    "hello.txt",
    "unicode.json",
    "url_verification.json",
    "url_verification_wrong_token.json",
    "v1_app_ticket.json",
    "v1_p2p_chat_create.json",
    "v2_bot_added.json",
    "v2_bot_deleted.json",
    "v2_message_read.json",
    "v2_receive.json",
    "v2_unknown.json",
    "v2_wrong_shape.json",
];

/// `fixtures/events/vectors.json`: encrypted, signed requests.
pub const EVENT_VECTORS: &str = include_str!("../fixtures/events/vectors.json");
/// `fixtures/events/failures.json`: signed bodies whose decryption must fail.
pub const EVENT_FAILURES: &str = include_str!("../fixtures/events/failures.json");
/// `fixtures/events/signatures.json`: plain bodies signed over their bytes.
pub const EVENT_SIGNATURES: &str = include_str!("../fixtures/events/signatures.json");

/// A request body from `fixtures/events/bodies/`, by file name.
pub fn event_body(name: &str) -> &'static str {
    EVENT_BODIES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("no event body {name:?}; add it to support/fixture.rs"))
}

/// The response a fixture describes, e.g. `fixture("envelope/html_502")`.
pub fn fixture(name: &str) -> http::Response<Vec<u8>> {
    let file = parse(name);
    let mut response = http::Response::builder().status(status(&file, name));
    let headers = file["headers"].as_object().map(|map| map.iter());
    for (header, value) in headers.into_iter().flatten() {
        let value = value
            .as_str()
            .unwrap_or_else(|| panic!("{name}: header {header} is not a string"));
        response = response.header(header.as_str(), value);
    }
    response
        .body(body_of(&file, name))
        .unwrap_or_else(|e| panic!("{name}: not a valid response: {e}"))
}

/// The exact body bytes of a fixture.
pub fn body(name: &str) -> Vec<u8> {
    body_of(&parse(name), name)
}

/// Rebuilds a fixture's response around other body bytes (the no-panic sweep
/// feeds every prefix of every body under the fixture's status and headers).
pub fn with_body(name: &str, body: Vec<u8>) -> http::Response<Vec<u8>> {
    let (parts, _) = fixture(name).into_parts();
    http::Response::from_parts(parts, body)
}

/// A response built inline, for cases too small to deserve a fixture file.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(body.as_bytes().to_vec())
        .expect("a valid response")
}

fn parse(name: &str) -> Value {
    let text = ALL
        .iter()
        .find(|(known, _)| *known == name)
        .unwrap_or_else(|| panic!("no fixture named {name:?}; add it to support/fixture.rs"))
        .1;
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: invalid fixture JSON: {e}"))
}

fn status(file: &Value, name: &str) -> u16 {
    file["status"]
        .as_u64()
        .and_then(|status| u16::try_from(status).ok())
        .unwrap_or_else(|| panic!("{name}: `status` must be an HTTP status"))
}

fn body_of(file: &Value, name: &str) -> Vec<u8> {
    match (&file["body"], &file["body_base64"]) {
        (Value::String(text), Value::Null) => text.clone().into_bytes(),
        (Value::Null, Value::String(encoded)) => base64_decode(encoded)
            .unwrap_or_else(|| panic!("{name}: `body_base64` is not standard base64")),
        _ => panic!("{name}: give exactly one of `body` (string) or `body_base64`"),
    }
}

/// Standard base64 (RFC 4648 §4, padded), by hand: tests take no new
/// dependency for one fixture.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let text = text.as_bytes();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for quad in text.chunks(4) {
        let padding = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if padding > 2 {
            return None;
        }
        let mut bits = 0u32;
        for &c in &quad[..4 - padding] {
            bits = bits << 6 | sextet(c)?;
        }
        bits <<= 6 * padding;
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..4 - padding]);
    }
    Some(out)
}
