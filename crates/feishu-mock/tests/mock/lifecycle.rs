//! Starting from sync and async code, dropping, ports, latency.

use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use feishu_mock::{Fault, MockServer};

use crate::support::{CHATS, agent, get, get_with, self_built_token};

#[test]
fn handles_are_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<MockServer>();
    assert_send_sync::<feishu_mock::MockServerBuilder>();
    assert_send_sync::<Fault>();
}

#[test]
fn starts_from_sync_code() {
    let server = MockServer::start();
    let url = server.url();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!url.ends_with('/'));
    assert_eq!(get(&server, CHATS, None).status, 400);
}

#[tokio::test]
async fn starts_inside_a_current_thread_runtime() {
    let server = MockServer::start();
    // Blocking here is fine: the server runs on its own thread.
    assert_eq!(get(&server, CHATS, None).status, 400);
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_inside_a_multi_thread_runtime() {
    let server = MockServer::start();
    let url = server.url().to_owned();
    let status = tokio::task::spawn_blocking(move || {
        let response = agent().get(format!("{url}{CHATS}")).call().expect("GET");
        response.status().as_u16()
    })
    .await
    .expect("join");
    assert_eq!(status, 400);
}

#[test]
fn drop_stops_the_server_quickly() {
    let server = MockServer::start();
    let url = server.url().to_owned();
    // Leave an idle keep-alive connection open: shutdown must not wait for it.
    let client = agent();
    assert_eq!(get_with(&client, &server, CHATS, None).status, 400);
    let started = Instant::now();
    drop(server);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert!(client.get(format!("{url}{CHATS}")).call().is_err());
    assert!(agent().get(format!("{url}{CHATS}")).call().is_err());
}

#[test]
fn drop_does_not_wait_for_a_long_request() {
    let server = MockServer::start();
    server.inject(CHATS, Fault::delay(Duration::from_secs(30)));
    let url = server.url().to_owned();
    let client = thread::spawn(move || agent().get(format!("{url}{CHATS}")).call().is_err());
    while server.hits(CHATS) == 0 {
        thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    drop(server);
    assert!(
        started.elapsed() < Duration::from_millis(2000),
        "{:?}",
        started.elapsed()
    );
    assert!(
        client.join().expect("client thread"),
        "the cut request must fail"
    );
}

#[test]
fn fixed_port_and_bind_errors() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let error = MockServer::builder()
        .port(port)
        .start()
        .expect_err("port is taken");
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
    drop(taken);
    let server = MockServer::builder()
        .port(port)
        .start()
        .expect("port is free again");
    assert_eq!(server.url(), format!("http://127.0.0.1:{port}"));
}

#[test]
fn keep_alive_round_trips_are_fast() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let client = agent();
    get_with(&client, &server, CHATS, Some(&token));
    let started = Instant::now();
    for _ in 0..25 {
        assert_eq!(get_with(&client, &server, CHATS, Some(&token)).status, 200);
    }
    // With Nagle and delayed ACKs each call would cost ~40 ms (1 s in all).
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
}
