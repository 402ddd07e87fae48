//! Ping and pong: a pong's settings replace the client's.

use feishu_mock::long_connection::ClientConfig;

use crate::{Adapter, connected, mock, start, wait_for};

pub fn pong_config_changes_the_ping_cadence<A: Adapter>() {
    let mock = mock();
    let (running, _) = start::<A>(&mock);
    connected(&mock);
    // The first ping comes at once; the next would be a minute later.
    wait_for("the first ping", || mock.ws_pings().len() == 1);
    let faster = ClientConfig {
        reconnect_count: -1,
        reconnect_interval: 1,
        reconnect_nonce: 0,
        ping_interval: 1,
    };
    assert_eq!(mock.send_pong(faster), 1);
    wait_for("pings every second", || mock.ws_pings().len() >= 3);
    let pings = mock.ws_pings();
    let gap = pings[2].duration_since(pings[1]);
    assert!(
        gap.as_secs_f64() > 0.5,
        "pings {gap:?} apart: the new interval is 1 s"
    );
    assert!((running.stats)().pongs >= 1);
    running.stop().expect("a clean shutdown");
}
