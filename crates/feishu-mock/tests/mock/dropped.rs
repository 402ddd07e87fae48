//! Faults that break the exchange: an answer lost after handling, a connection
//! closed unanswered, a body cut short. Raw sockets show what is on the wire.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use feishu_mock::{Fault, MockServer};

use crate::support::{CHATS, MESSAGES, agent, get, self_built_token, send_message, text_message};

/// How a raw exchange ended.
#[derive(Debug, PartialEq, Eq)]
enum Ending {
    Eof,
    Reset,
}

/// Writes `request` on a fresh connection and reads until the server closes it.
fn raw(server: &MockServer, request: &str) -> (Vec<u8>, Ending) {
    let addr = server.url().trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("write");
    let mut received = Vec::new();
    let mut buf = [0_u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (received, Ending::Eof),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
                ) =>
            {
                return (received, Ending::Reset);
            }
            Err(e) => panic!("the server kept the connection open ({e}); got {received:?}"),
        }
    }
}

fn raw_get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
}

fn raw_send(token: &str) -> String {
    let body = text_message("ou_a", "hi", None).to_string();
    format!(
        "POST {MESSAGES}?receive_id_type=open_id HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn close_connection_sends_no_byte_and_skips_the_handler() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    server.inject(MESSAGES, Fault::close_connection());
    let (received, _ending) = raw(&server, &raw_send(&token));
    assert!(
        received.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&received)
    );
    assert!(server.messages().is_empty());
    assert_eq!(server.hits(MESSAGES), 1);
    // One request only: the next is answered.
    let (received, _) = raw(
        &server,
        &raw_send(&token).replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n"),
    );
    assert!(received.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn close_connection_repeats_and_hangs_first() {
    let server = MockServer::start();
    let delay = Duration::from_millis(150);
    server.inject(CHATS, Fault::close_connection().then_delay(delay).times(2));
    for _ in 0..2 {
        let started = Instant::now();
        let (received, _) = raw(&server, &raw_get(CHATS));
        assert!(received.is_empty());
        assert!(started.elapsed() >= delay);
    }
    // A client sees a transport error, not a response.
    server.inject(CHATS, Fault::close_connection());
    assert!(
        agent()
            .get(format!("{}{CHATS}", server.url()))
            .call()
            .is_err()
    );
    assert_eq!(get(&server, CHATS, None).status, 400);
}

#[test]
fn truncate_body_sends_the_head_and_a_few_bytes() {
    let server = MockServer::start();
    server.inject(CHATS, Fault::truncate_body().header("x-extra", "1"));
    let (received, ending) = raw(&server, &raw_get(CHATS));
    let text = String::from_utf8(received).expect("utf-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete head");
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    let head = head.to_ascii_lowercase();
    assert!(head.contains("\r\ncontent-length: 1000"), "{head}");
    assert!(
        head.contains("\r\ncontent-type: application/json; charset=utf-8"),
        "{head}"
    );
    assert!(head.contains("\r\nx-tt-logid: "), "{head}");
    assert!(head.contains("\r\nx-extra: 1"), "{head}");
    assert!(!body.is_empty() && body.len() < 1000, "{body:?}");
    assert!(body.starts_with(r#"{"code":0"#), "{body:?}");
    assert!(matches!(ending, Ending::Eof | Ending::Reset));
    // The next request is answered whole.
    assert_eq!(get(&server, CHATS, None).status, 400);
}

#[test]
fn truncate_body_fails_a_client_mid_body() {
    let server = MockServer::start();
    server.inject(CHATS, Fault::truncate_body().times(2));
    for _ in 0..2 {
        let mut response = agent()
            .get(format!("{}{CHATS}", server.url()))
            .call()
            .expect("the head arrives");
        assert_eq!(response.status(), 200);
        assert!(response.body_mut().read_to_string().is_err());
    }
    assert_eq!(get(&server, CHATS, None).status, 400);
}

#[test]
fn after_handling_stores_then_answers_the_status() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    server.inject(MESSAGES, Fault::after_handling(500));
    let body = text_message("ou_a", "hi", Some("retry-me"));
    let failed = send_message(&server, &token, "open_id", &body);
    assert_eq!(failed.status, 500);
    assert_eq!(failed.body, "");
    assert_eq!(failed.header("content-type"), None);
    assert!(failed.header("x-tt-logid").is_some());
    let stored = server.messages();
    assert_eq!(stored.len(), 1);
    // The client's retry with the same uuid gets the message the 500 hid.
    let retry = send_message(&server, &token, "open_id", &body);
    assert_eq!(retry.code(), 0);
    assert_eq!(retry.json()["data"]["message_id"], stored[0].message_id);
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn after_handling_repeats_and_waits_after_handling() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let delay = Duration::from_millis(150);
    server.inject(
        MESSAGES,
        Fault::after_handling(503).then_delay(delay).times(2),
    );
    let body = text_message("ou_a", "hi", None);
    for stored in 1..=2 {
        let started = Instant::now();
        assert_eq!(send_message(&server, &token, "open_id", &body).status, 503);
        assert!(started.elapsed() >= delay);
        assert_eq!(server.messages().len(), stored);
    }
    assert_eq!(send_message(&server, &token, "open_id", &body).code(), 0);
    assert_eq!(server.messages().len(), 3);
}
