//! The long-connection suite: every adapter, over real WebSockets, against
//! feishu-mock's gateway.
//!
//! Each test is written once, generic over [`Adapter`], and instantiated for
//! every adapter by [`suite!`]. The handlers are the same for both
//! ([`Handlers`]); only how they wait differs (a thread's sleep, a task's).
//! Intervals are the mock's shortest (1 s) and no test asserts a time: they
//! wait for a state, within a generous bound.

mod adapters;
mod control;
mod delivery;
mod handshake;
mod hostile;
mod secrets;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use feishu_core::event::{CardAction, CardResponse, EventHeader, MessageReceived, ToastKind};
use feishu_core::im::content::{Card, ReceivedContent};
use feishu_core::long_connection::{Options, SessionError, Stats};
use feishu_core::{App, Config};
use feishu_mock::long_connection::{ClientConfig, LongConnectionSettings};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use serde_json::{Value, json};

/// What differs between adapters: how a long connection is started with
/// the suite's [`Handlers`].
pub trait Adapter {
    /// Starts a long connection for `config`'s app, running on a thread of
    /// its own until stopped.
    /// At most `max_in_flight` deliveries are out with the handlers.
    fn start(
        config: Config,
        handlers: Arc<Handlers>,
        options: Options,
        max_in_flight: usize,
    ) -> Running;
}

/// Instantiates every listed test for every adapter: `ureq::<name>` and
/// `reqwest::<name>`.
macro_rules! suite {
    ($($module:ident :: $test:ident),* $(,)?) => {
        mod ureq {
            $(#[test] fn $test() { crate::$module::$test::<crate::adapters::Ureq>(); })*
        }
        mod reqwest {
            $(#[test] fn $test() { crate::$module::$test::<crate::adapters::Reqwest>(); })*
        }
    };
}

suite! {
    delivery::ten_thousand_events_across_three_reconnects,
    delivery::fragmented_events_are_reassembled,
    delivery::gzip_events_are_inflated,
    delivery::a_slow_handler_does_not_stall_others,
    delivery::a_full_pool_holds_events_back_and_loses_none,
    delivery::a_card_actions_toast_arrives_in_the_ack,
    delivery::a_card_action_answered_with_a_new_card_carries_it_in_the_ack,
    delivery::a_late_card_handler_gets_the_fallback_toast,
    delivery::unknown_events_are_acked_200,
    delivery::a_failed_handler_is_acked_500_and_redelivered,
    delivery::shutdown_drains_the_handlers_out,
    control::pong_config_changes_the_ping_cadence,
    handshake::fatal_upgrade_refusals_stop,
    handshake::other_upgrade_refusals_are_retried,
    handshake::fatal_bootstrap_codes_stop,
    handshake::retryable_bootstrap_answers_are_retried,
    handshake::the_reconnect_budget_ends_in_a_typed_error,
    hostile::garbage_frames_are_dropped_and_the_connection_stays,
    hostile::an_oversized_frame_is_refused_unread,
    hostile::bytes_that_are_not_websocket_end_the_connection,
    hostile::an_upgrade_that_never_answers_times_out,
    hostile::a_silent_gateway_is_left_for_another,
    secrets::nothing_secret_is_traced_or_printed,
}

/// A long connection running on its own thread.
pub struct Running {
    /// `LongConnection::shutdown`.
    pub shutdown: Box<dyn Fn() + Send + Sync>,
    /// `LongConnection::stats`.
    pub stats: Box<dyn Fn() -> Stats + Send + Sync>,
    /// The connection's `Debug`.
    pub debug: String,
    /// The thread of `LongConnection::run`.
    pub thread: JoinHandle<Result<(), SessionError>>,
}

impl Running {
    /// Shuts it down and waits for `run` to return.
    pub fn stop(self) -> Result<(), SessionError> {
        (self.shutdown)();
        self.join()
    }

    /// Waits (at most 20 s) for `run` to return by itself.
    pub fn join(self) -> Result<(), SessionError> {
        wait_for("run to return", || self.thread.is_finished());
        self.thread
            .join()
            .expect("the connection's thread panicked")
    }
}

/// What the handlers saw and how they behave. The same for every adapter.
#[derive(Default)]
pub struct Handlers {
    /// Event id → how many times a handler ran for it.
    pub handled: Mutex<HashMap<String, usize>>,
    /// Event id → the text of the message.
    pub texts: Mutex<HashMap<String, String>>,
    /// Event types the fallback saw.
    pub others: Mutex<Vec<String>>,
    /// Messages whose text starts with `slow` wait until this opens.
    pub gate: AtomicBool,
    /// Slow handlers that finished.
    pub slow_done: AtomicUsize,
    /// Messages whose text starts with `fail` fail this many times first.
    pub failures_left: AtomicUsize,
}

/// How long a late card handler takes: past the suite's card budget.
pub const LATE_CARD: Duration = Duration::from_millis(1500);

impl Handlers {
    /// The message handler's work; whether it must then wait for the gate.
    pub fn message(&self, header: EventHeader, received: MessageReceived) -> Result<bool, String> {
        let text = match received.message.content() {
            ReceivedContent::Text { text } => text,
            other => format!("{other:?}"),
        };
        let event_id = header.event_id.unwrap_or_default();
        if text.starts_with("fail") && self.failures_left.load(Ordering::SeqCst) > 0 {
            self.failures_left.fetch_sub(1, Ordering::SeqCst);
            return Err("told to fail".into());
        }
        *lock(&self.handled).entry(event_id.clone()).or_default() += 1;
        let slow = text.starts_with("slow");
        lock(&self.texts).insert(event_id, text);
        Ok(slow)
    }

    /// Whether the gate is open (a slow handler may finish).
    pub fn open(&self) -> bool {
        self.gate.load(Ordering::SeqCst)
    }

    /// The card handler's answer, and how long it takes first.
    pub fn card(&self, action: &CardAction) -> (Duration, CardResponse) {
        let late = action.action.value["late"] == json!(true);
        let delay = if late { LATE_CARD } else { Duration::ZERO };
        let answer = format!("done: {}", action.action.value["order"]);
        let response = CardResponse::toast(ToastKind::Success, answer);
        // Asked for a new card: the clicked one is replaced by it.
        let response = match action.action.value.get("new_card") {
            Some(card) => response.card(Card::Raw(card.clone())),
            None => response,
        };
        (delay, response)
    }

    /// The fallback's work.
    pub fn other(&self, event_type: &str) {
        lock(&self.others).push(event_type.to_owned());
    }

    /// How many distinct events were handled, and the most times any was.
    pub fn counts(&self) -> (usize, usize) {
        let handled = lock(&self.handled);
        (handled.len(), handled.values().copied().max().unwrap_or(0))
    }
}

/// A mock whose gateway reconnects at once and pings rarely, unless the
/// test says otherwise.
pub fn mock() -> MockServer {
    let mock = MockServer::start();
    mock.set_long_connection(settings());
    mock
}

/// The suite's gateway settings: no jitter, 1 s between attempts, a ping a
/// minute, redelivery after 1 s.
pub fn settings() -> LongConnectionSettings {
    LongConnectionSettings::default()
        .client_config(ClientConfig {
            reconnect_count: -1,
            reconnect_interval: 1,
            reconnect_nonce: 0,
            ping_interval: 60,
        })
        .redeliver_after(Some(Duration::from_secs(1)))
}

/// The self-built app's config against `mock`, with a short timeout.
pub fn config(mock: &MockServer) -> Config {
    Config::new(mock.url())
        .expect("the mock's URL")
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET))
        .with_timeout(Duration::from_secs(2))
}

/// The suite's session options: short budgets, so a late handler shows.
pub fn options() -> Options {
    let mut options = Options::default();
    options.card_ack_timeout = Duration::from_millis(500);
    options.event_ack_timeout = Duration::from_secs(10);
    options
}

/// Starts adapter `A` against `mock` with fresh handlers.
pub fn start<A: Adapter>(mock: &MockServer) -> (Running, Arc<Handlers>) {
    let handlers = Arc::new(Handlers::default());
    let running = A::start(config(mock), Arc::clone(&handlers), options(), 64);
    (running, handlers)
}

/// An `im.message.receive_v1` event with id `event_id` and `text`.
pub fn message(event_id: &str, text: &str) -> Value {
    json!({
        "schema": "2.0",
        "header": {
            "event_id": event_id,
            "event_type": "im.message.receive_v1",
            "create_time": "1700000000000",
            "app_id": SELF_BUILT_APP_ID,
            "tenant_key": "mock_self_built_tenant",
        },
        "event": {
            "sender": {"sender_id": {"open_id": "ou_mock_user"}, "sender_type": "user"},
            "message": {
                "message_id": format!("om_{event_id}"),
                "chat_id": "oc_mock_general",
                "chat_type": "group",
                "message_type": "text",
                "content": json!({"text": text}).to_string(),
            },
        },
    })
}

/// A `card.action.trigger` with this button value.
pub fn card_action(event_id: &str, value: Value) -> Value {
    json!({
        "schema": "2.0",
        "header": {"event_id": event_id, "event_type": "card.action.trigger", "app_id": SELF_BUILT_APP_ID},
        "event": {
            "operator": {"open_id": "ou_mock_user"},
            "token": "c-mock-card-token",
            "action": {"tag": "button", "value": value},
            "context": {"open_message_id": "om_card", "open_chat_id": "oc_mock_general"},
        },
    })
}

/// Waits (at most 20 s) until `done` holds; panics with `what` otherwise.
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(5));
    }
}

/// Waits until the mock has a live connection.
pub fn connected(mock: &MockServer) {
    wait_for("a connection", || mock.ws_connections() > 0);
}

/// Waits until every event pushed is ACKed with 200.
pub fn all_acked(mock: &MockServer) {
    wait_for("every ACK", || mock.unacked_events() == 0);
}

/// Locks `mutex`, poisoned or not.
pub fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
