//! No secret in what the long connection traces or prints: not the app
//! secret (the bootstrap's body), not the connection URL's ticket.

use std::io;
use std::sync::{Mutex, Once};

use feishu_mock::SELF_BUILT_APP_SECRET;
use serde_json::json;

use crate::{Adapter, all_acked, card_action, connected, message, mock, start, wait_for};

/// Everything traced in this process, formatted.
static TRACED: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        crate::lock(&TRACED).extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Sends every event of every test of this process to [`TRACED`].
fn capture() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| Capture)
            .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    });
}

pub fn nothing_secret_is_traced_or_printed<A: Adapter>() {
    capture();
    let mock = mock();
    let (running, _) = start::<A>(&mock);
    connected(&mock);
    mock.push_event(message("ev_traced", "hello"));
    mock.push_event(card_action("ev_traced_card", json!({"order": 9})));
    all_acked(&mock);
    mock.refuse_upgrades(500, None, 1);
    mock.drop_ws_connections();
    wait_for("the reconnect", || mock.ws_connects() == 2);
    let printed = format!("{:?}", running.debug);
    running.stop().expect("a clean shutdown");
    let traced = String::from_utf8_lossy(&crate::lock(&TRACED)).into_owned();
    assert!(traced.contains("long connection: connected"), "{traced}");
    assert!(traced.contains("im.message.receive_v1"), "{traced}");
    for text in [&traced, &printed] {
        assert!(!text.contains(SELF_BUILT_APP_SECRET), "{text}");
        assert!(!text.contains("ticket"), "{text}");
        assert!(!text.contains("c-mock-card-token"), "{text}");
    }
}
