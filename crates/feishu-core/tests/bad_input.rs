//! The bad-input table: every kind of bad input the SDK can meet, each with
//! the typed error it must produce. No panic anywhere; raw bytes kept where
//! the error promises them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use feishu_core::auth::TenantAccessTokenRequest;
use feishu_core::event::{Delivery, EventError, Webhook, encrypt};
use feishu_core::{Endpoint, Error, RawEndpoint, codes};
use sha2::{Digest, Sha256};

/// How a response must fail.
#[derive(Debug)]
enum Expect {
    /// `Error::UnexpectedResponse` keeping exactly the body.
    Unexpected,
    /// `Error::Api` with this code.
    Api(i64),
}

fn response(status: u16, content_type: &str, body: Vec<u8>) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("x-tt-logid", "bad-input-log-id")
        .body(body)
        .expect("a valid response")
}

#[test]
fn bad_responses_fail_typed_and_keep_their_bytes() {
    let html = b"<html><head><title>502 Bad Gateway</title></head></html>".to_vec();
    // 100 MB: parsing gives up at the first byte and keeps them all.
    let mut huge = vec![b' '; 100 * 1024 * 1024];
    huge.push(b'<');
    let table: Vec<(&str, u16, &str, Vec<u8>, Expect)> = vec![
        ("HTML 502 page", 502, "text/html", html, Expect::Unexpected),
        (
            "empty body",
            200,
            "application/json",
            Vec::new(),
            Expect::Unexpected,
        ),
        ("empty 504", 504, "", Vec::new(), Expect::Unexpected),
        (
            "truncated JSON",
            200,
            "application/json",
            br#"{"code":0,"msg":"ok","data":{"items":["#.to_vec(),
            Expect::Unexpected,
        ),
        (
            "wrong field type",
            200,
            "application/json",
            br#"{"code":0,"data":{"items":7}}"#.to_vec(),
            Expect::Unexpected,
        ),
        (
            "code as a string",
            400,
            "application/json",
            br#"{"code":"99991663","msg":"bad token"}"#.to_vec(),
            Expect::Api(codes::TENANT_ACCESS_TOKEN_INVALID),
        ),
        (
            "200 with code != 0",
            200,
            "application/json",
            br#"{"code":10003,"msg":"invalid param"}"#.to_vec(),
            Expect::Api(codes::INVALID_PARAM),
        ),
        (
            "code not a number",
            200,
            "application/json",
            br#"{"code":"zero","msg":"ok"}"#.to_vec(),
            Expect::Unexpected,
        ),
        (
            "invalid UTF-8",
            200,
            "application/json",
            b"{\"code\":0,\"msg\":\"\xff\xfe\"}".to_vec(),
            Expect::Unexpected,
        ),
        (
            "invalid UTF-8 where the output does not look",
            200,
            "application/json",
            b"{\"code\":0,\"msg\":\"ok\",\"extra\":\"\xff\",\"data\":{}}".to_vec(),
            Expect::Unexpected,
        ),
        (
            "a JSON array",
            200,
            "application/json",
            b"[1,2,3]".to_vec(),
            Expect::Unexpected,
        ),
        (
            "nesting past serde's limit",
            200,
            "application/json",
            [b"{\"code\":0,\"data\":".to_vec(), b"[".repeat(10_000)].concat(),
            Expect::Unexpected,
        ),
        (
            "a 100 MB body",
            200,
            "application/json",
            huge,
            Expect::Unexpected,
        ),
    ];
    #[derive(serde::Deserialize, Debug)]
    struct Items {
        #[allow(dead_code)]
        items: Vec<String>,
    }
    for (name, status, content_type, body, expect) in table {
        let endpoint = RawEndpoint::get("/open-apis/im/v1/chats").output::<Items>();
        let error = endpoint
            .parse(response(status, content_type, body.clone()))
            .map_err(feishu_core::Error::from)
            .expect_err(name);
        match (&expect, &error) {
            (Expect::Unexpected, Error::UnexpectedResponse(unexpected)) => {
                assert_eq!(unexpected.status, status, "{name}");
                assert!(
                    unexpected.body() == body.as_slice(),
                    "{name}: the raw bytes are kept"
                );
                assert_eq!(
                    unexpected.log_id.as_deref(),
                    Some("bad-input-log-id"),
                    "{name}"
                );
            }
            (Expect::Api(code), Error::Api(api)) => assert_eq!(api.code, *code, "{name}"),
            _ => panic!("{name}: expected {expect:?}, got {error:?}"),
        }
        // The token endpoints read the same bytes the same way, minus the
        // excerpt (their bodies carry credentials).
        let token = TenantAccessTokenRequest::self_built("cli_x", "secret");
        let _ = token
            .parse(response(status, content_type, body))
            .map_err(feishu_core::Error::from);
    }
}

const KEY: &str = "bad-input-encrypt-key";
const NOW: u64 = 1_700_000_000;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

fn sign(timestamp: &str, nonce: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(timestamp.as_bytes());
    hash.update(nonce.as_bytes());
    hash.update(KEY.as_bytes());
    hash.update(body);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A request with the given signature headers (`None` leaves one out).
fn request(body: &[u8], headers: &[(&str, &str)]) -> http::Request<Vec<u8>> {
    let mut builder = http::Request::post("/webhook");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.to_vec()).expect("a valid request")
}

fn signed(body: &[u8], timestamp: &str) -> http::Request<Vec<u8>> {
    let signature = sign(timestamp, "nonce", body);
    request(
        body,
        &[
            ("x-lark-request-timestamp", timestamp),
            ("x-lark-request-nonce", "nonce"),
            ("x-lark-signature", &signature),
        ],
    )
}

fn encrypted_body(encrypt_field: &str) -> Vec<u8> {
    format!(r#"{{"encrypt":"{encrypt_field}"}}"#).into_bytes()
}

#[test]
fn bad_webhook_requests_are_refused_typed() {
    let ts = NOW.to_string();
    let event =
        br#"{"schema":"2.0","header":{"event_id":"e1","event_type":"x.y","token":"t"},"event":{}}"#;
    let good = encrypted_body(&encrypt(KEY, [7; 16], event));
    // A valid AES block whose padding is wrong: the last plaintext byte 0.
    let bad_padding = encrypted_body(&{
        use aes::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::NoPadding};
        let key = Sha256::digest(KEY.as_bytes());
        let mut block = [0u8; 16];
        let encryptor =
            cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &[1; 16]).expect("sizes");
        let ciphertext = encryptor
            .encrypt_padded::<NoPadding>(&mut block, 16)
            .expect("one block")
            .to_vec();
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            [[1u8; 16].to_vec(), ciphertext].concat(),
        )
    });
    let wrong_key = encrypted_body(&encrypt("another key", [7; 16], event));
    let stale = (NOW - 301).to_string();
    let future = (NOW + 301).to_string();
    let good_signature = sign(&ts, "nonce", &good);

    let table: Vec<(&str, http::Request<Vec<u8>>, EventError)> = vec![
        (
            "bad base64",
            signed(&encrypted_body("!!!not base64!!!"), &ts),
            EventError::BadBase64,
        ),
        (
            "short ciphertext",
            signed(&encrypted_body("AAAAAAAAAAAAAAAAAAAAAA=="), &ts),
            EventError::BadCiphertextLength(16),
        ),
        (
            "bad padding",
            signed(&bad_padding, &ts),
            EventError::BadPadding,
        ),
        (
            "wrong key (signed with ours)",
            signed(&wrong_key, &ts),
            EventError::BadPadding,
        ),
        (
            "bad signature",
            request(
                &good,
                &[
                    ("x-lark-request-timestamp", &ts),
                    ("x-lark-request-nonce", "nonce"),
                    ("x-lark-signature", &"0".repeat(64)),
                ],
            ),
            EventError::BadSignature,
        ),
        (
            "stale timestamp",
            signed(&good, &stale),
            EventError::StaleTimestamp {
                skew: Duration::from_secs(301),
            },
        ),
        (
            "future timestamp",
            signed(&good, &future),
            EventError::StaleTimestamp {
                skew: Duration::from_secs(301),
            },
        ),
        (
            "missing headers",
            request(&good, &[]),
            EventError::MissingSignature,
        ),
        (
            "missing nonce",
            request(
                &good,
                &[
                    ("x-lark-request-timestamp", &ts),
                    ("x-lark-signature", &good_signature),
                ],
            ),
            EventError::MissingSignature,
        ),
        (
            "duplicated headers",
            request(
                &good,
                &[
                    ("x-lark-request-timestamp", &ts),
                    ("x-lark-request-timestamp", &ts),
                    ("x-lark-request-nonce", "nonce"),
                    ("x-lark-signature", &good_signature),
                ],
            ),
            EventError::MissingSignature,
        ),
        (
            "non-numeric timestamp",
            signed(&good, "yesterday"),
            EventError::InvalidTimestamp,
        ),
        (
            "not JSON",
            signed(b"\xff\xfe garbage", &ts),
            EventError::InvalidJson,
        ),
        ("empty body", signed(b"", &ts), EventError::InvalidJson),
    ];
    let webhook = Webhook::encrypted(KEY);
    for (name, request, expected) in table {
        let handled = webhook.handle(&request, now());
        let Delivery::Rejected(error) = &handled.delivery else {
            panic!("{name}: expected a refusal, got {:?}", handled.delivery);
        };
        assert_eq!(*error, expected, "{name}");
        assert_eq!(handled.response.status(), expected.status(), "{name}");
    }
    // The untouched request is delivered: the table's refusals are the inputs'.
    let handled = webhook.handle(&signed(&good, &ts), now());
    assert!(
        matches!(handled.delivery, Delivery::Event(_)),
        "{:?}",
        handled.delivery
    );
}
