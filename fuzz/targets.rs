//! The fuzz targets' bodies, shared by the libFuzzer binaries in
//! `fuzz_targets/` and by the workspace test that replays the committed
//! corpora (`tests/fuzz_corpus.rs`), so CI keeps every found input green.
//!
//! Each takes arbitrary bytes and must return without panicking, whatever
//! they are.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use feishu_core::event::{Delivery, Webhook};
use feishu_core::im::content::ReceivedContent;
use feishu_core::im::message::ListMessages;
use feishu_core::{Endpoint, Page, Pager, RawEndpoint, Shape};
use sha2::{Digest, Sha256};

/// Splits the input at the first `\n\n`-free marker: a header block, then the body.
fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.windows(2).position(|w| w == b"\0\0") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (&[], data),
    }
}

/// Header lines `name: value`, as many as parse.
fn headers(block: &[u8]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for line in block.split(|b| *b == b'\n') {
        if let Some(colon) = line.iter().position(|b| *b == b':') {
            let (name, value) = (&line[..colon], &line[colon + 1..]);
            if let (Ok(name), Ok(value)) = (
                http::HeaderName::from_bytes(name),
                http::HeaderValue::from_bytes(value.trim_ascii()),
            ) {
                map.append(name, value);
            }
        }
    }
    map
}

/// The envelope decoder over an arbitrary status, headers and body.
pub fn envelope(data: &[u8]) {
    let Some((&status, rest)) = data.split_first() else {
        return;
    };
    let (block, body) = split(rest);
    let mut response = http::Response::new(body.to_vec());
    *response.status_mut() =
        http::StatusCode::from_u16(200 + u16::from(status) * 2).unwrap_or(http::StatusCode::OK);
    *response.headers_mut() = headers(block);
    let raw = RawEndpoint::get("/open-apis/x");
    if let Err(feishu_core::Error::UnexpectedResponse(error)) = raw
        .parse(response.clone())
        .map_err(feishu_core::Error::from)
    {
        assert_eq!(error.body(), body, "the raw body is kept");
    }
    let _ = Shape::Token
        .decode::<feishu_core::auth::TenantAccessToken>(response.clone())
        .map_err(feishu_core::Error::from);
    let _ = Shape::Data
        .check(response)
        .map_err(feishu_core::Error::from);
}

const KEY: &str = "fuzz-encrypt-key";
const TOKEN: &str = "fuzz-verification-token";

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// The webhook pipeline over arbitrary headers and body, with and without keys.
pub fn webhook(data: &[u8]) {
    let (block, body) = split(data);
    let mut request = http::Request::new(body.to_vec());
    *request.method_mut() = http::Method::POST;
    *request.headers_mut() = headers(block);
    for webhook in [
        Webhook::encrypted(KEY),
        Webhook::encrypted(KEY).verification_token(TOKEN),
        Webhook::token_only(TOKEN),
    ] {
        let handled = webhook.handle(&request, now());
        if let Delivery::Rejected(error) = &handled.delivery {
            assert_eq!(handled.response.status(), error.status());
        }
    }
}

/// Decryption: the input is the `encrypt` field of a correctly signed body,
/// so every byte reaches base64, AES-CBC and PKCS#7.
pub fn decrypt(data: &[u8]) {
    let encrypt = String::from_utf8_lossy(data);
    let body = serde_json::json!({ "encrypt": encrypt })
        .to_string()
        .into_bytes();
    let timestamp = "1700000000";
    let mut hash = Sha256::new();
    hash.update(timestamp.as_bytes());
    hash.update(b"nonce");
    hash.update(KEY.as_bytes());
    hash.update(&body);
    let signature: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let request = http::Request::post("/webhook")
        .header("x-lark-request-timestamp", timestamp)
        .header("x-lark-request-nonce", "nonce")
        .header("x-lark-signature", signature)
        .body(body);
    if let Ok(request) = request {
        let _ = Webhook::encrypted(KEY).handle(&request, now());
    }
}

/// Received message content of every type, from arbitrary text.
pub fn content(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (msg_type, content) = text.split_once('\n').unwrap_or(("text", &text));
    let parsed = ReceivedContent::parse(msg_type, content);
    if let ReceivedContent::Unknown { content: raw, .. } = parsed {
        assert_eq!(raw, content, "unknown content is kept raw");
    }
}

/// The `Content-Disposition` filename parser.
pub fn content_disposition(data: &[u8]) {
    if let Some(name) = feishu_core::download::filename(data) {
        assert!(!name.is_empty());
    }
}

/// The pager over arbitrary page bodies: it ends or errors, never loops.
pub fn pager(data: &[u8]) {
    let mut pager = Pager::new(ListMessages::chat("oc_fuzz")).max_items(1000);
    for page in data.split(|b| *b == 0).take(64) {
        let Some(request) = pager.next_request().cloned() else {
            return;
        };
        let response = http::Response::new(page.to_vec());
        let parsed: Result<Page<_>, _> = request.parse(response).map_err(feishu_core::Error::from);
        match parsed.and_then(|page| pager.on_page(page)) {
            Ok(_) => {}
            Err(_) => return,
        }
    }
}
