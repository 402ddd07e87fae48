//! A hostile or broken gateway: garbage, oversized frames, bytes that are
//! not WebSocket, an upgrade that never answers, a gateway that falls
//! silent. Each ends in a typed drop or a reconnect, never a panic, and
//! nothing is buffered past the bounds.

use std::time::Duration;

use feishu_core::long_connection::Options;
use feishu_mock::Fault;
use feishu_mock::long_connection::{ClientConfig, WS_PATH};

use crate::{
    Adapter, Handlers, all_acked, config, connected, message, mock, settings, start, wait_for,
};

/// After the trouble, the connection (or the next one) still delivers.
fn still_delivers(mock: &feishu_mock::MockServer, event_id: &str) {
    connected(mock);
    mock.push_event(message(event_id, "still here"));
    all_acked(mock);
}

pub fn garbage_frames_are_dropped_and_the_connection_stays<A: Adapter>() {
    let mock = mock();
    let (running, handlers) = start::<A>(&mock);
    connected(&mock);
    for garbage in [
        &b"\xff\xff\xff\xff"[..],
        b"",
        b"\x0a\x05ab",
        b"\x08\x01\x10",
    ] {
        assert_eq!(mock.send_ws_message(garbage), 1);
    }
    still_delivers(&mock, "ev_after_garbage");
    let stats = (running.stats)();
    assert!(stats.dropped >= 4, "{stats:?}");
    assert_eq!(stats.connects, 1, "the same connection");
    assert_eq!(handlers.counts(), (1, 1));
    running.stop().expect("a clean shutdown");
}

pub fn an_oversized_frame_is_refused_unread<A: Adapter>() {
    let mock = mock();
    let (running, _) = start::<A>(&mock);
    connected(&mock);
    // A binary frame announcing 1 TiB: refused from its header, so nothing
    // near that is allocated.
    let mut header = vec![0x82, 127];
    header.extend((1u64 << 40).to_be_bytes());
    header.extend([0u8; 1024]);
    assert_eq!(mock.send_ws_raw(&header), 1);
    wait_for("the next connection", || mock.ws_connects() == 2);
    still_delivers(&mock, "ev_after_oversized");
    assert!((running.stats)().disconnects >= 1);
    running.stop().expect("a clean shutdown");
}

pub fn bytes_that_are_not_websocket_end_the_connection<A: Adapter>() {
    let mock = mock();
    let (running, _) = start::<A>(&mock);
    connected(&mock);
    // A reserved opcode with reserved bits set.
    assert_eq!(mock.send_ws_raw(b"\x7f\x7f garbage that is not a frame"), 1);
    wait_for("the next connection", || mock.ws_connects() == 2);
    still_delivers(&mock, "ev_after_bytes");
    running.stop().expect("a clean shutdown");
}

pub fn an_upgrade_that_never_answers_times_out<A: Adapter>() {
    let mock = mock();
    // Longer than the suite's 2 s timeout.
    mock.inject(WS_PATH, Fault::delay(Duration::from_secs(30)));
    let (running, _) = start::<A>(&mock);
    still_delivers(&mock, "ev_after_silence");
    assert_eq!(mock.hits(WS_PATH), 2);
    assert!((running.stats)().failed_attempts >= 1);
    running.stop().expect("a clean shutdown");
}

pub fn a_silent_gateway_is_left_for_another<A: Adapter>() {
    let mock = mock();
    let fast = ClientConfig {
        reconnect_count: -1,
        reconnect_interval: 1,
        reconnect_nonce: 0,
        ping_interval: 1,
    };
    mock.set_long_connection(settings().client_config(fast).answer_pings(false));
    let mut options = Options::default();
    options.dead_after_pings = Some(2);
    let running = A::start(
        config(&mock),
        std::sync::Arc::new(Handlers::default()),
        options,
        64,
    );
    wait_for("a second connection", || mock.ws_connects() >= 2);
    assert!((running.stats)().disconnects >= 1);
    running.stop().expect("a clean shutdown");
}
