//! Header names on the wire, byte for byte: Feishu sends them in canonical
//! case (`X-Tt-Logid`, `Content-Type`), and official SDKs look some of them
//! up by that exact spelling, so lowercase names break them.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use feishu_mock::MockServer;

use crate::events::encrypted;
use crate::receiver::Receiver;
use crate::support::{FILES, multipart, post_raw, self_built_token};

/// Sends `request` (a whole HTTP/1.1 request with `Connection: close`) and
/// returns the response head, exactly as the server wrote it.
fn raw_head(server: &MockServer, request: &str) -> String {
    let addr = server.url().trim_start_matches("http://");
    let mut tcp = TcpStream::connect(addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    tcp.write_all(request.as_bytes()).expect("write");
    let mut response = Vec::new();
    tcp.read_to_end(&mut response).expect("read");
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    String::from_utf8(response[..end + 2].to_vec()).expect("an ASCII head")
}

fn get(server: &MockServer, path: &str, token: Option<&str>) -> String {
    let auth = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"));
    let host = server.url().trim_start_matches("http://");
    raw_head(
        server,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n"),
    )
}

#[test]
fn json_answers_name_headers_in_canonical_case() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    for head in [
        get(&server, "/open-apis/im/v1/chats", Some(&token)),
        get(&server, "/open-apis/im/v1/chats", None),
        get(&server, "/open-apis/no/such/path", None),
    ] {
        assert!(head.contains("\r\nX-Tt-Logid: "), "{head}");
        assert!(head.contains("\r\nContent-Type: "), "{head}");
        assert!(!head.contains("x-tt-logid"), "{head}");
        assert!(!head.contains("content-type"), "{head}");
    }
}

#[test]
fn downloads_name_content_disposition_in_canonical_case() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let (form, body) = multipart(
        &[("file_type", "pdf"), ("file_name", "report.pdf")],
        Some(("file", "report.pdf", "application/pdf", b"%PDF-1.4")),
    );
    let uploaded = post_raw(&server, FILES, &token, &form, &body);
    let key = uploaded.json()["data"]["file_key"]
        .as_str()
        .expect("file_key")
        .to_owned();
    let head = get(&server, &format!("{FILES}/{key}"), Some(&token));
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.contains("\r\nContent-Disposition: attachment; filename=\"report.pdf\""),
        "{head}"
    );
    assert!(head.contains("\r\nContent-Type: application/pdf"), "{head}");
    assert!(head.contains("\r\nX-Tt-Logid: "), "{head}");
}

#[test]
fn deliveries_name_signature_headers_in_canonical_case() {
    let server = MockServer::start();
    let receiver = Receiver::start();
    let event = server.message_event("oc_mock_general", "ou_alice", "hi", "token");
    let report = server.deliver_event(&encrypted(&receiver), &event);
    assert!(report.delivered, "{report:?}");
    let head = &receiver.requests()[0].raw_head;
    for name in [
        "X-Lark-Request-Timestamp: ",
        "X-Lark-Request-Nonce: ",
        "X-Lark-Signature: ",
        "Content-Type: application/json",
    ] {
        assert!(head.contains(name), "{name:?} in {head}");
    }
    assert!(!head.contains("x-lark-"), "{head}");
}
