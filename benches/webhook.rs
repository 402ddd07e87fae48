//! Benchmarks of the webhook pipeline against raw `sha2` + `aes`/`cbc` +
//! `base64` + `serde_json` calls doing the same work, measured in the same run
//! (issue #7; target: SDK at most 1.2 times raw).
//!
//! One request: a signed, encrypted `im.message.receive_v1` event whose
//! decrypted JSON is 1 KiB, then 64 KiB (the text content padded to reach the
//! size), built once outside the timed loop. Both sides verify the SHA-256
//! signature and the replay window, decode and decrypt, parse the event with
//! the same fields, check the verification token and make the 200 answer.
//!
//! Dedup is not part of the raw baseline, so the SDK's webhook gets a
//! `SeenStore` that has seen nothing (`NeverSeen`): the same request is a new
//! event every iteration.
//!
//! Run with `cargo bench --bench webhook`.

// Shared with benches/core.rs, which uses the parts this bench does not.
#[allow(dead_code)]
#[path = "support/measure.rs"]
mod measure;

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aes::Aes256;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use criterion::{Criterion, Throughput};
use feishu_core::event::{Delivery, EventKind, SeenStore, Webhook, encrypt};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Method, Request, Response, StatusCode};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use measure::{Run, allocations, timed};

const ENCRYPT_KEY: &str = "encrypt-key-of-the-bench";
const VERIFICATION_TOKEN: &str = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";
const TIMESTAMP: &str = "1700000000";
const NONCE: &str = "8b1e5b2e-5c8f-4d7e-9a53-2f1d7c1b4e11";
const IV: [u8; 16] = *b"0123456789abcdef";
const REPLAY_WINDOW: Duration = Duration::from_secs(300);

/// The SDK's webhook without dedup: every event is new.
struct NeverSeen;

impl SeenStore for NeverSeen {
    fn claim(&self, _id: &str, _now: SystemTime) -> bool {
        true
    }
    fn release(&self, _id: &str) {}
}

/// An `im.message.receive_v1` event as Feishu documents it, with the text
/// padded so the JSON is `size` bytes.
fn event_json(size: usize) -> Vec<u8> {
    let event = |pad: usize| {
        let text = format!("@_user_1 hello {}", "x".repeat(pad));
        let content = json!({ "text": text }).to_string();
        json!({
            "schema": "2.0",
            "header": {
                "event_id": "5e3702a84e847582be8db7fb73283c02",
                "event_type": "im.message.receive_v1",
                "create_time": "1608725989000",
                "token": VERIFICATION_TOKEN,
                "app_id": "cli_9f5343c580712544",
                "tenant_key": "2ca1d211f64f6438"
            },
            "event": {
                "sender": {
                    "sender_id": {
                        "union_id": "on_8ed6aa67826108097d9ee143816345",
                        "user_id": "e33ggbyz",
                        "open_id": "ou_84aad35d084aa403a838cf73ee18467"
                    },
                    "sender_type": "user",
                    "tenant_key": "736588c9260f175e"
                },
                "message": {
                    "message_id": "om_5ce6d572455d361153b7cb51da133945",
                    "root_id": "om_5ce6d572455d361153b7cb5xxfsdfsdfdsf",
                    "parent_id": "om_5ce6d572455d361153b7cb5xxfsdfsdfdsf",
                    "create_time": "1609073151345",
                    "chat_id": "oc_5ce6d572455d361153b7xx51da133945",
                    "chat_type": "group",
                    "message_type": "text",
                    "content": content,
                    "mentions": [{
                        "key": "@_user_1",
                        "id": {
                            "union_id": "on_8ed6aa67826108097d9ee143816345",
                            "user_id": "e33ggbyz",
                            "open_id": "ou_84aad35d084aa403a838cf73ee18467"
                        },
                        "name": "Tom",
                        "tenant_key": "736588c9260f175e"
                    }]
                }
            }
        })
        .to_string()
        .into_bytes()
    };
    let unpadded = event(0).len();
    assert!(unpadded <= size, "the sample alone is {unpadded} bytes");
    let json = event(size - unpadded);
    assert_eq!(json.len(), size);
    json
}

/// The request Feishu would send: `{"encrypt":…}`, signed.
fn signed_request(plaintext: &[u8]) -> Request<Vec<u8>> {
    let body = json!({ "encrypt": encrypt(ENCRYPT_KEY, IV, plaintext) })
        .to_string()
        .into_bytes();
    let mut hash = Sha256::new();
    hash.update(TIMESTAMP);
    hash.update(NONCE);
    hash.update(ENCRYPT_KEY);
    hash.update(&body);
    let signature = hex(&hash.finalize());
    Request::post("/webhook")
        .header("content-type", "application/json")
        .header("x-lark-request-timestamp", TIMESTAMP)
        .header("x-lark-request-nonce", NONCE)
        .header("x-lark-signature", &signature[..])
        .body(body)
        .expect("a valid request")
}

/// Lowercase hex of a SHA-256 digest, on the stack.
fn hex(digest: &[u8]) -> [u8; 64] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0; 64];
    for (i, byte) in digest.iter().enumerate() {
        out[2 * i] = HEX[usize::from(byte >> 4)];
        out[2 * i + 1] = HEX[usize::from(byte & 0xF)];
    }
    out
}

// ---- The hand-written side.

/// Why the raw handler refused a request; the bench only needs "not ok".
#[derive(Debug)]
struct Refused;

#[derive(Deserialize)]
struct RawOuter<'a> {
    #[serde(borrow)]
    encrypt: Cow<'a, str>,
}

/// The fields the SDK extracts into `Event` and `MessageReceived`, plus the
/// verification token it checks.
// Deserializing every field is the work measured; not all are read after.
#[allow(dead_code)]
#[derive(Deserialize)]
struct RawEvent {
    schema: Option<String>,
    header: RawHeader,
    event: RawMessageReceived,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct RawHeader {
    event_id: Option<String>,
    event_type: String,
    create_time: Option<String>,
    token: Option<String>,
    app_id: Option<String>,
    tenant_key: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct RawMessageReceived {
    sender: RawSender,
    message: RawMessage,
}

#[allow(dead_code)]
#[derive(Default, Deserialize)]
struct RawUserId {
    open_id: Option<String>,
    union_id: Option<String>,
    user_id: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct RawSender {
    #[serde(default)]
    sender_id: RawUserId,
    #[serde(default)]
    sender_type: String,
    tenant_key: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct RawMessage {
    message_id: String,
    root_id: Option<String>,
    parent_id: Option<String>,
    thread_id: Option<String>,
    #[serde(default)]
    create_time: String,
    update_time: Option<String>,
    #[serde(default)]
    chat_id: String,
    #[serde(default)]
    chat_type: String,
    #[serde(default)]
    message_type: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    mentions: Vec<RawMention>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct RawMention {
    key: String,
    #[serde(default)]
    id: RawUserId,
    #[serde(default)]
    name: String,
    tenant_key: Option<String>,
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Verify, decrypt, parse, check the token, answer: what the SDK does for this
/// request, written against the crates directly.
fn raw_handle(
    request: &Request<Vec<u8>>,
    now: SystemTime,
) -> Result<(RawEvent, Response<Vec<u8>>), Refused> {
    if request.method() != Method::POST {
        return Err(Refused);
    }
    let headers = request.headers();
    let header = |name: &str| headers.get(name).map(HeaderValue::as_bytes).ok_or(Refused);
    let (timestamp, nonce, signature) = (
        header("x-lark-request-timestamp")?,
        header("x-lark-request-nonce")?,
        header("x-lark-signature")?,
    );
    let sent: u64 = std::str::from_utf8(timestamp)
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or(Refused)?;
    let sent = UNIX_EPOCH + Duration::from_secs(sent);
    let skew = now
        .duration_since(sent)
        .unwrap_or_else(|ahead| ahead.duration());
    if skew > REPLAY_WINDOW {
        return Err(Refused);
    }
    let body = request.body();
    let mut hash = Sha256::new();
    hash.update(timestamp);
    hash.update(nonce);
    hash.update(ENCRYPT_KEY);
    hash.update(body);
    if !constant_time_eq(&hex(&hash.finalize()), signature) {
        return Err(Refused);
    }

    let outer: RawOuter<'_> = serde_json::from_slice(body).map_err(|_| Refused)?;
    let mut raw = STANDARD
        .decode(outer.encrypt.as_bytes())
        .map_err(|_| Refused)?;
    if raw.len() < 32 || raw.len() % 16 != 0 {
        return Err(Refused);
    }
    let key = Sha256::digest(ENCRYPT_KEY);
    let (iv, ciphertext) = raw.split_at_mut(16);
    let plaintext = cbc::Decryptor::<Aes256>::new_from_slices(&key, iv)
        .map_err(|_| Refused)?
        .decrypt_padded::<Pkcs7>(ciphertext)
        .map_err(|_| Refused)?;

    let event: RawEvent = serde_json::from_slice(plaintext).map_err(|_| Refused)?;
    let token = event.header.token.as_deref().unwrap_or_default();
    if event.header.event_type != "im.message.receive_v1"
        || !constant_time_eq(token.as_bytes(), VERIFICATION_TOKEN.as_bytes())
    {
        return Err(Refused);
    }
    let mut answer = Response::new(br#"{"msg":"success"}"#.to_vec());
    *answer.status_mut() = StatusCode::OK;
    answer.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok((event, answer))
}

// ---- The benches.

fn main() {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_030);
    let webhook = Webhook::encrypted(ENCRYPT_KEY)
        .verification_token(VERIFICATION_TOKEN)
        .seen_store(Arc::new(NeverSeen));
    let mut run = Run::from_args();
    let mut c: Criterion = measure::criterion();

    for (label, size) in [("1KiB", 1024), ("64KiB", 64 * 1024)] {
        let plaintext = event_json(size);
        let request = signed_request(&plaintext);
        let sdk = || webhook.handle(&request, now);
        let raw = || raw_handle(&request, now).expect("the raw handler accepts it");

        // Both sides must accept the request and read the same event.
        let handled = sdk();
        let Delivery::Event(event) = handled.delivery else {
            panic!("the SDK refused the request: {:?}", handled.delivery);
        };
        let EventKind::MessageReceived(received) = event.kind else {
            panic!("not typed as a received message: {:?}", event.kind);
        };
        let (raw_event, raw_answer) = raw();
        assert_eq!(received.message.content, raw_event.event.message.content);
        assert_eq!(event.event_id, raw_event.header.event_id);
        assert_eq!(handled.response.status(), raw_answer.status());
        assert_eq!(handled.response.body(), raw_answer.body());

        let name = format!("webhook/{label}");
        println!(
            "{name}: event JSON {} bytes, request body {} bytes",
            plaintext.len(),
            request.body().len()
        );
        let mut group = c.benchmark_group(&name);
        group.throughput(Throughput::Bytes(request.body().len() as u64));
        group.bench_function("sdk", |b| b.iter(sdk));
        group.bench_function("raw", |b| b.iter(raw));
        group.finish();
        run.compare(
            &name,
            1.2,
            (allocations(sdk), allocations(raw)),
            |n| timed(n, sdk),
            |n| timed(n, raw),
        );
    }
    c.final_summary();
    run.summary();
}
