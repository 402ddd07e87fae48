//! Black-box tests of the mock's long-connection gateway: the bootstrap and
//! the control API over HTTP (ureq), the WebSocket with tungstenite, frames
//! decoded here, independently of the mock's own codec.

mod wire;

use std::net::TcpStream;
use std::time::{Duration, Instant};

use feishu_mock::long_connection::{CODE_BAD_CREDENTIALS, SERVICE_ID};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{self, Message, WebSocket};

use wire::{Frame, encode};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .new_agent()
}

fn call(server: &MockServer, method: &str, path: &str, body: Value) -> (u16, Value) {
    let url = format!("{}{path}", server.url());
    let agent = agent();
    let response = match method {
        "GET" => agent.get(&url).call(),
        "PUT" => agent.put(&url).send(body.to_string()),
        _ => agent.post(&url).send(body.to_string()),
    };
    let mut response = response.expect("an answer");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn bootstrap(server: &MockServer) -> Value {
    let body = json!({"AppID": SELF_BUILT_APP_ID, "AppSecret": SELF_BUILT_APP_SECRET});
    let (status, answer) = call(server, "POST", "/callback/ws/endpoint", body);
    assert_eq!((status, &answer["code"]), (200, &json!(0)), "{answer}");
    answer["data"].clone()
}

type Socket = WebSocket<TcpStream>;

fn connect(url: &str) -> Result<Socket, tungstenite::Error> {
    let authority = url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .expect("a host");
    let tcp = TcpStream::connect(authority).expect("TCP");
    tcp.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("a timeout");
    match tungstenite::client(url, tcp) {
        Ok((socket, _)) => Ok(socket),
        Err(tungstenite::HandshakeError::Failure(error)) => Err(error),
        Err(tungstenite::HandshakeError::Interrupted(_)) => panic!("the handshake blocked"),
    }
}

/// The next binary message, decoded.
fn next_frame(socket: &mut Socket) -> Frame {
    loop {
        match socket.read().expect("a message") {
            Message::Binary(bytes) => return Frame::decode(&bytes),
            _ => continue,
        }
    }
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_bootstrap_hands_out_a_url_and_the_settings() {
    let server = MockServer::start();
    let update = json!({"client_config": {"PingInterval": 5, "ReconnectNonce": 0}});
    let (status, settings) = call(&server, "PUT", "/_mock/long_connection", update);
    assert_eq!(status, 200);
    assert_eq!(settings["client_config"]["PingInterval"], 5);
    let data = bootstrap(&server);
    let url = data["URL"].as_str().expect("a URL");
    assert!(url.starts_with(&format!(
        "ws://{}/ws/v2?",
        server.url().trim_start_matches("http://")
    )));
    assert!(url.contains(&format!("service_id={SERVICE_ID}")));
    assert_eq!(
        data["ClientConfig"],
        json!({"ReconnectCount": -1, "ReconnectInterval": 120, "ReconnectNonce": 0, "PingInterval": 5})
    );
    let wrong = json!({"AppID": SELF_BUILT_APP_ID, "AppSecret": "wrong"});
    let (_, answer) = call(&server, "POST", "/callback/ws/endpoint", wrong);
    assert_eq!(answer["code"], CODE_BAD_CREDENTIALS);
    let (status, _) = call(
        &server,
        "PUT",
        "/_mock/long_connection",
        json!({"bogus": 1}),
    );
    assert_eq!(status, 400);
    let (_, index) = call(&server, "GET", "/_mock", json!({}));
    let routes = index["routes"].as_array().cloned().unwrap_or_default();
    assert!(routes.contains(&json!("POST /_mock/long_connection/events")));
}

#[test]
fn pings_get_pongs_with_the_settings() {
    let server = MockServer::start();
    let mut socket = connect(bootstrap(&server)["URL"].as_str().expect("a URL")).expect("upgraded");
    let ping = Frame {
        service: SERVICE_ID,
        headers: vec![("type".into(), "ping".into())],
        ..Frame::default()
    };
    socket.send(Message::binary(encode(&ping))).expect("sent");
    let pong = next_frame(&mut socket);
    assert_eq!((pong.method, pong.header("type")), (0, Some("pong")));
    let config: Value = serde_json::from_slice(&pong.payload).expect("JSON");
    assert_eq!(config["PingInterval"], 120);
    let (_, sent) = call(
        &server,
        "POST",
        "/_mock/long_connection/pong",
        json!({"client_config": {"PingInterval": 3}}),
    );
    assert_eq!(sent["sent"], 1);
    let pushed = next_frame(&mut socket);
    let config: Value = serde_json::from_slice(&pushed.payload).expect("JSON");
    assert_eq!(config["PingInterval"], 3);
    let (_, status) = call(&server, "GET", "/_mock/long_connection", json!({}));
    assert_eq!(
        (status["pings"].as_u64(), status["connections"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn events_in_parts_gzipped_redelivered_until_acked() {
    let server = MockServer::start();
    call(
        &server,
        "PUT",
        "/_mock/long_connection",
        json!({"redeliver_after_ms": 100}),
    );
    let mut socket = connect(bootstrap(&server)["URL"].as_str().expect("a URL")).expect("upgraded");
    let event = json!({"schema": "2.0", "header": {"event_id": "e1", "event_type": "x"}, "text": "y".repeat(300)});
    let push = json!({"event": event, "gzip": true, "fragment_size": 64});
    let (status, pushed) = call(&server, "POST", "/_mock/long_connection/events", push);
    assert_eq!(status, 200);
    let message_id = pushed["message_id"].as_str().expect("an id").to_owned();

    let read_whole = |socket: &mut Socket| {
        let first = next_frame(socket);
        let sum: usize = first.header("sum").expect("sum").parse().expect("a number");
        let mut parts = vec![first];
        parts.extend((1..sum).map(|_| next_frame(socket)));
        for (seq, part) in parts.iter().enumerate() {
            assert_eq!(part.header("seq"), Some(seq.to_string().as_str()));
            assert_eq!(part.header("message_id"), Some(message_id.as_str()));
            assert_eq!(part.header("instance_id"), Some("mock-gateway-1"));
            assert_eq!(part.payload_encoding.as_deref(), Some("gzip"));
            assert_eq!((part.method, part.service), (1, SERVICE_ID));
        }
        assert!(sum > 1);
        let zipped: Vec<u8> = parts.iter().flat_map(|p| p.payload.clone()).collect();
        let json = miniz_oxide::inflate::decompress_to_vec(&zipped[10..zipped.len() - 8])
            .expect("deflate");
        (
            parts.remove(0),
            serde_json::from_slice::<Value>(&json).expect("JSON"),
        )
    };
    let (first, json) = read_whole(&mut socket);
    assert_eq!(json, event);
    // Not ACKed: it comes again.
    let (_, again) = read_whole(&mut socket);
    assert_eq!(again, event);
    let mut ack = first;
    ack.headers.push(("biz_rt".into(), "3".into()));
    ack.payload_encoding = None;
    ack.payload = br#"{"code":200,"data":"eyJ0b2FzdCI6MX0="}"#.to_vec();
    socket.send(Message::binary(encode(&ack))).expect("sent");
    wait_for("the ACK", || server.unacked_events() == 0);
    let (_, acks) = call(&server, "GET", "/_mock/long_connection/acks", json!({}));
    let recorded = &acks["acks"][0];
    assert_eq!(recorded["message_id"], message_id.as_str());
    assert_eq!(
        (recorded["code"].clone(), recorded["biz_rt"].clone()),
        (json!(200), json!(3))
    );
    assert_eq!(recorded["data"], r#"{"toast":1}"#);
    assert_eq!(recorded["headers"]["instance_id"], "mock-gateway-1");
}

#[test]
fn drops_refusals_and_used_tickets() {
    let server = MockServer::start();
    let url = bootstrap(&server)["URL"]
        .as_str()
        .expect("a URL")
        .to_owned();
    let mut socket = connect(&url).expect("upgraded");
    // A ticket is good for one upgrade.
    match connect(&url) {
        Err(tungstenite::Error::Http(response)) => {
            assert_eq!(response.headers()["handshake-status"], "514");
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    let (_, dropped) = call(&server, "POST", "/_mock/long_connection/drop", json!({}));
    assert_eq!(dropped["dropped"], 1);
    assert!(socket.read().is_err(), "dropped without a close frame");
    wait_for("the drop", || server.ws_connections() == 0);

    let refuse = json!({"status": 514, "auth_code": 1_000_040_350});
    let (status, _) = call(&server, "POST", "/_mock/long_connection/refuse", refuse);
    assert_eq!(status, 200);
    match connect(bootstrap(&server)["URL"].as_str().expect("a URL")) {
        Err(tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 514);
            assert_eq!(response.headers()["handshake-status"], "514");
            assert_eq!(response.headers()["handshake-autherrcode"], "1000040350");
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    // The refusal was for one upgrade.
    assert!(connect(bootstrap(&server)["URL"].as_str().expect("a URL")).is_ok());
    wait_for("the second connection", || server.ws_connects() == 2);
}
