//! Benchmarks of the long connection (issue #14).
//!
//! 1. The `pbbp2.Frame` codec: decode an event frame and encode its ACK
//!    (headers kept, `biz_rt` added, `{"code":200}` as payload), against
//!    `prost` doing the same with a hand-declared `#[derive(prost::Message)]`
//!    Frame, measured in the same run (target: at most 1.2 times prost).
//! 2. Events per second through feishu-mock's gateway over loopback, per
//!    adapter: the mock pushes N events, each adapter's `LongConnection`
//!    decodes, dispatches to a no-op handler, and ACKs; timed from the
//!    first push to the last ACK the mock records. The mock is part of the
//!    loop, so this is an end-to-end figure, not the adapter's alone.
//!
//! Run with `cargo bench --bench long_connection`.

#[allow(dead_code)]
#[path = "support/measure.rs"]
mod measure;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use feishu_core::event::Dispatcher;
use feishu_core::event::types::MESSAGE_RECEIVED;
use feishu_core::long_connection::Frame;
use feishu_core::{App, Config};
use feishu_mock::long_connection::{ClientConfig, LongConnectionSettings};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use prost::Message as _;
use serde_json::json;

use measure::{Run, allocations, timed};

/// `pbbp2.Header`, declared for prost.
#[derive(Clone, PartialEq, prost::Message)]
struct PbHeader {
    #[prost(string, required, tag = "1")]
    key: String,
    #[prost(string, required, tag = "2")]
    value: String,
}

/// `pbbp2.Frame`, declared for prost.
#[derive(Clone, PartialEq, prost::Message)]
struct PbFrame {
    #[prost(uint64, required, tag = "1")]
    seq_id: u64,
    #[prost(uint64, required, tag = "2")]
    log_id: u64,
    #[prost(int32, required, tag = "3")]
    service: i32,
    #[prost(int32, required, tag = "4")]
    method: i32,
    #[prost(message, repeated, tag = "5")]
    headers: Vec<PbHeader>,
    #[prost(string, optional, tag = "6")]
    payload_encoding: Option<String>,
    #[prost(string, optional, tag = "7")]
    payload_type: Option<String>,
    #[prost(bytes = "vec", optional, tag = "8")]
    payload: Option<Vec<u8>>,
    #[prost(string, optional, tag = "9")]
    log_id_new: Option<String>,
}

const ACK: &[u8] = br#"{"code":200}"#;

/// An `im.message.receive_v1` event as the gateway sends it: the headers
/// Feishu sets, a 1 KiB payload.
fn event_frame() -> Vec<u8> {
    let mut frame = Frame {
        seq_id: 7_306_188_547_207_741_442,
        log_id: 7_306_188_547_207_741_443,
        service: 33_554_678,
        method: 1,
        payload: Some(event_json("bench", 1024)),
        ..Frame::default()
    };
    for (key, value) in [
        ("type", "event"),
        ("message_id", "7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d"),
        ("sum", "1"),
        ("seq", "0"),
        ("trace_id", "7306188547207741444"),
        ("timestamp", "1700000000123"),
        ("instance_id", "frontier-gateway-7d9f8c6b5-x2x7q"),
    ] {
        frame.set_header(key, value);
    }
    frame.encode()
}

/// A v2 message event whose JSON is about `size` bytes.
fn event_json(event_id: &str, size: usize) -> Vec<u8> {
    let mut event = json!({
        "schema": "2.0",
        "header": {"event_id": event_id, "event_type": "im.message.receive_v1", "create_time": "1700000000000",
                   "app_id": SELF_BUILT_APP_ID, "tenant_key": "mock_self_built_tenant"},
        "event": {
            "sender": {"sender_id": {"open_id": "ou_mock_user"}, "sender_type": "user"},
            "message": {"message_id": format!("om_{event_id}"), "chat_id": "oc_mock_general", "chat_type": "group",
                        "message_type": "text", "content": ""},
        },
    });
    let pad = size.saturating_sub(event.to_string().len() + 12);
    event["event"]["message"]["content"] = json!(json!({"text": "x".repeat(pad)}).to_string());
    event.to_string().into_bytes()
}

/// The SDK: decode, then the ACK as the session writes it.
fn sdk_ack(bytes: &[u8]) -> Vec<u8> {
    let mut frame = Frame::decode(bytes).expect("a frame");
    frame.set_header("biz_rt", "0");
    frame.payload_encoding = None;
    frame.payload = Some(ACK.to_vec());
    frame.encode()
}

/// prost: the same.
fn prost_ack(bytes: &[u8]) -> Vec<u8> {
    let mut frame = PbFrame::decode(bytes).expect("a frame");
    match frame.headers.iter_mut().find(|h| h.key == "biz_rt") {
        Some(header) => header.value = "0".to_owned(),
        None => frame.headers.push(PbHeader {
            key: "biz_rt".to_owned(),
            value: "0".to_owned(),
        }),
    }
    frame.payload_encoding = None;
    frame.payload = Some(ACK.to_vec());
    frame.encode_to_vec()
}

fn codec(run: &mut Run, c: &mut Criterion) {
    let bytes = event_frame();
    assert_eq!(
        sdk_ack(&bytes),
        prost_ack(&bytes),
        "both write the same ACK"
    );
    let name = "long_connection/decode+ack";
    println!("{name}: event frame {} bytes", bytes.len());
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("sdk", |b| b.iter(|| sdk_ack(&bytes)));
    group.bench_function("prost", |b| b.iter(|| prost_ack(&bytes)));
    group.finish();
    run.compare(
        name,
        1.2,
        (
            allocations(|| sdk_ack(&bytes)),
            allocations(|| prost_ack(&bytes)),
        ),
        |n| timed(n, || sdk_ack(&bytes)),
        |n| timed(n, || prost_ack(&bytes)),
    );
}

/// A mock whose gateway neither redelivers nor pings during the run.
fn mock() -> MockServer {
    let mock = MockServer::start();
    let config = ClientConfig {
        reconnect_count: -1,
        reconnect_interval: 1,
        reconnect_nonce: 0,
        ping_interval: 600,
    };
    mock.set_long_connection(
        LongConnectionSettings::default()
            .client_config(config)
            .redeliver_after(None),
    );
    mock
}

fn config(mock: &MockServer) -> Config {
    Config::new(mock.url())
        .expect("the mock's URL")
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET))
}

/// Pushes `events` once connected; how long until the last ACK.
fn through(mock: &MockServer, events: usize, handled: &AtomicUsize) -> Duration {
    while mock.ws_connections() == 0 {
        thread::sleep(Duration::from_millis(1));
    }
    let payloads: Vec<serde_json::Value> = (0..events)
        .map(|n| serde_json::from_slice(&event_json(&format!("ev_{n}"), 512)).expect("JSON"))
        .collect();
    let started = Instant::now();
    for payload in payloads {
        mock.push_event(payload);
    }
    while mock.ack_count() < events {
        thread::sleep(Duration::from_micros(200));
    }
    let took = started.elapsed();
    assert_eq!(handled.load(Ordering::SeqCst), events);
    took
}

/// Whether this is a timed run: `cargo bench` passes `--bench`;
/// `cargo test --benches` does not, and then a few events go through.
fn timing() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

fn print_rate(adapter: &str, events: usize, took: Duration) {
    if timing() {
        println!(
            "long_connection/{adapter}: {events} events through the mock in {:.2} s: {:.0} events/s",
            took.as_secs_f64(),
            events as f64 / took.as_secs_f64()
        );
    }
}

fn ureq_rate(events: usize) {
    let mock = mock();
    let handled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&handled);
    let dispatcher = Dispatcher::new().on(MESSAGE_RECEIVED, move |_, _| {
        counter.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    let client = feishu_ureq::Client::new(config(&mock));
    let connection = Arc::new(client.long_connection(dispatcher));
    let running = thread::spawn({
        let connection = Arc::clone(&connection);
        move || connection.run()
    });
    let took = through(&mock, events, &handled);
    connection.shutdown();
    running
        .join()
        .expect("the thread")
        .expect("a clean shutdown");
    print_rate("ureq", events, took);
}

fn reqwest_rate(events: usize) {
    let mock = mock();
    let handled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&handled);
    let dispatcher = Dispatcher::new_async().on(MESSAGE_RECEIVED, move |_, _| {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok(()) }
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let client = runtime
        .block_on(async { feishu_reqwest::Client::new(config(&mock)) })
        .expect("a client");
    let connection = Arc::new(client.long_connection(dispatcher));
    let running = thread::spawn({
        let connection = Arc::clone(&connection);
        move || runtime.block_on(connection.run())
    });
    let took = through(&mock, events, &handled);
    connection.shutdown();
    running
        .join()
        .expect("the thread")
        .expect("a clean shutdown");
    print_rate("reqwest", events, took);
}

fn main() {
    let mut run = Run::from_args();
    let mut c: Criterion = measure::criterion();
    codec(&mut run, &mut c);
    let events = if timing() { 20_000 } else { 100 };
    ureq_rate(events);
    reqwest_rate(events);
    c.final_summary();
    run.summary();
}
