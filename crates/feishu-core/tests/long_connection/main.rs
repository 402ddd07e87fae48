//! The long-connection session machine, driven on a
//! simulated clock through one harness: bootstrap and upgrade outcomes,
//! ping cadence, ACKs, card answers and their budget, fragments, gzip,
//! dedup, reconnects and shutdown. No socket, no sleep: every test runs in
//! microseconds and replays exactly.

mod bootstrap;
mod cards;
mod channels;
mod control;
mod data;
mod fragments;
mod props;
mod reconnect;

use std::time::{Duration, SystemTime};

use feishu_core::event::{Incoming, Outcome};
use feishu_core::http;
use feishu_core::long_connection::{
    ConnectUrl, Dropped, Frame, Header, METHOD_DATA, Options, Received, Session, SessionError, Step,
};
use feishu_core::{App, Config};
use serde_json::{Value, json};

pub(crate) const APP_ID: &str = "cli_a5d611352af9d00b";
pub(crate) const APP_SECRET: &str = "ws-secret-9c1f37d2e4";
/// A gateway URL as Feishu sends it: its query holds credentials.
pub(crate) const URL: &str = "wss://msg-frontier.feishu.cn/ws/v2?fpid=493&aid=552564&device_id=7287&access_key=ak-5e2f&service_id=5&ticket=tk-77a1";
/// The `service_id` of [`URL`].
pub(crate) const SERVICE: i32 = 5;

pub(crate) fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

pub(crate) fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

pub(crate) fn ms(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

pub(crate) fn config() -> Config {
    Config::feishu().with_app(App::self_built(APP_ID, APP_SECRET))
}

/// The bootstrap's success, with `client_config` as `ClientConfig`.
pub(crate) fn endpoint_ok(client_config: Value) -> http::Response<Vec<u8>> {
    let body = json!({"code": 0, "msg": "ok", "data": {"URL": URL, "ClientConfig": client_config}});
    http::Response::new(body.to_string().into_bytes())
}

/// Settings that make tests short: ping every 120 s, reconnect every 10 s
/// after up to 2 s of jitter, at most 3 times.
pub(crate) fn quick() -> Value {
    json!({"ReconnectCount": 3, "ReconnectInterval": 10, "ReconnectNonce": 2, "PingInterval": 120})
}

/// Everything one round of polls asked for, up to a wait or the end.
#[derive(Debug, Default)]
pub(crate) struct Round {
    pub(crate) sent: Vec<http::Request<Vec<u8>>>,
    pub(crate) connect: Vec<ConnectUrl>,
    pub(crate) writes: Vec<Frame>,
    pub(crate) delivered: Vec<Received>,
    pub(crate) dropped: Vec<Dropped>,
    pub(crate) closed: usize,
    pub(crate) wait: Option<SystemTime>,
    pub(crate) done: Option<Result<(), SessionError>>,
}

impl Round {
    /// The frames written that are not pings.
    pub(crate) fn acks(&self) -> Vec<&Frame> {
        self.writes
            .iter()
            .filter(|frame| frame.header("type") != Some("ping"))
            .collect()
    }

    pub(crate) fn pings(&self) -> usize {
        self.writes.len() - self.acks().len()
    }
}

/// A session and its simulated clock.
pub(crate) struct Harness {
    pub(crate) session: Session,
    pub(crate) now: SystemTime,
}

impl Harness {
    pub(crate) fn new() -> Self {
        Self::with(Options::default(), 0x5eed)
    }

    pub(crate) fn with(options: Options, seed: u64) -> Self {
        let session = Session::new(&config(), seed)
            .expect("an app")
            .with_options(options);
        Self { session, now: t0() }
    }

    /// Bootstrapped with `client_config`, connected, the first ping taken.
    pub(crate) fn connected(client_config: Value) -> Self {
        let mut harness = Self::new();
        harness.connect_with(client_config);
        harness
    }

    pub(crate) fn connected_with(options: Options, client_config: Value) -> Self {
        let mut harness = Self::with(options, 0x5eed);
        harness.connect_with(client_config);
        harness
    }

    /// Answers the bootstrap, connects, and takes the first ping.
    pub(crate) fn connect_with(&mut self, client_config: Value) {
        let round = self.round();
        assert_eq!(round.sent.len(), 1, "a bootstrap: {round:?}");
        self.session
            .on_response(endpoint_ok(client_config), self.now);
        let round = self.round();
        assert_eq!(round.connect.len(), 1, "a connect: {round:?}");
        self.session.on_connected(self.now);
        let round = self.round();
        assert_eq!(round.pings(), 1, "a ping on connect: {round:?}");
    }

    /// Polls until the session waits or is done.
    pub(crate) fn round(&mut self) -> Round {
        let mut round = Round::default();
        for _ in 0..100_000 {
            match self.session.poll(self.now) {
                Step::Send(request) => round.sent.push(request),
                Step::Connect(url) => round.connect.push(url),
                Step::Write(bytes) => round
                    .writes
                    .push(Frame::decode(&bytes).expect("the session writes frames")),
                Step::Deliver(received) => round.delivered.push(received),
                Step::Dropped(dropped) => round.dropped.push(dropped),
                Step::Close => round.closed += 1,
                Step::Wait(until) => {
                    assert!(until >= self.now, "a wait in the past");
                    round.wait = Some(until);
                    return round;
                }
                Step::Done(result) => {
                    round.done = Some(result);
                    return round;
                }
            }
        }
        panic!("the session never waits: {round:?}");
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        self.now += by;
    }

    /// Moves the clock to the next wake-up and polls.
    pub(crate) fn wake(&mut self) -> Round {
        let round = self.round();
        let until = round.wait.expect("a wait");
        self.now = until;
        self.round()
    }

    pub(crate) fn receive(&mut self, frame: &Frame) {
        self.session.on_frame(&frame.encode(), self.now);
    }

    /// Receives `frame` and returns the round it causes.
    pub(crate) fn feed(&mut self, frame: &Frame) -> Round {
        self.receive(frame);
        self.round()
    }

    pub(crate) fn handled(&mut self, received: &Received, outcome: Outcome) -> Round {
        self.session.on_handled(received.id, outcome, self.now);
        self.round()
    }
}

/// A v2 envelope.
pub(crate) fn envelope(event_id: &str, event_type: &str, event: Value) -> Vec<u8> {
    json!({
        "schema": "2.0",
        "header": {
            "event_id": event_id,
            "event_type": event_type,
            "create_time": "1700000000000",
            "token": "",
            "app_id": APP_ID,
            "tenant_key": "2ca1d211f64f6438",
        },
        "event": event,
    })
    .to_string()
    .into_bytes()
}

/// A received message event.
pub(crate) fn message(event_id: &str, text: &str) -> Vec<u8> {
    let content = json!({ "text": text }).to_string();
    envelope(
        event_id,
        "im.message.receive_v1",
        json!({
            "sender": {"sender_id": {"open_id": "ou_84aad35d084aa403a838cf73ee18467"}, "sender_type": "user"},
            "message": {"message_id": "om_1", "chat_id": "oc_1", "chat_type": "p2p", "message_type": "text", "content": content},
        }),
    )
}

/// A card action (`card.action.trigger`).
pub(crate) fn card_action(event_id: &str) -> Vec<u8> {
    envelope(
        event_id,
        "card.action.trigger",
        json!({
            "operator": {"open_id": "ou_84aad35d084aa403a838cf73ee18467"},
            "token": "c-0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3",
            "action": {"tag": "button", "value": {"approve": "yes"}},
            "context": {"open_message_id": "om_card", "open_chat_id": "oc_1"},
        }),
    )
}

/// A whole data frame of type `kind` carrying `payload`, with the headers
/// the gateway sets (`instance_id` included).
pub(crate) fn data_frame(seq_id: u64, kind: &str, payload: &[u8]) -> Frame {
    Frame {
        seq_id,
        log_id: 1000 + seq_id,
        service: SERVICE,
        method: METHOD_DATA,
        headers: vec![
            Header::new("type", kind),
            Header::new("message_id", format!("msg-{seq_id}")),
            Header::new("sum", "1"),
            Header::new("seq", "0"),
            Header::new("trace_id", format!("trace-{seq_id}")),
            Header::new("timestamp", "1700000000000"),
            Header::new("instance_id", "gw-instance-3"),
        ],
        payload: Some(payload.to_vec()),
        log_id_new: Some(format!("log-{seq_id}")),
        ..Frame::default()
    }
}

pub(crate) fn event_frame(seq_id: u64, payload: &[u8]) -> Frame {
    data_frame(seq_id, "event", payload)
}

/// The one delivery of a round.
#[track_caller]
pub(crate) fn only_delivery(round: Round) -> Received {
    let [received] = <[Received; 1]>::try_from(round.delivered).expect("one delivery");
    received
}

/// The one ACK of a round: its payload as JSON.
#[track_caller]
pub(crate) fn only_ack(round: &Round) -> (Frame, Value) {
    let acks = round.acks();
    assert_eq!(acks.len(), 1, "one ACK: {round:?}");
    let ack = acks[0].clone();
    let payload = serde_json::from_slice(ack.payload.as_deref().unwrap_or_default())
        .expect("an ACK payload is JSON");
    (ack, payload)
}

/// The `data` of a card ACK, decoded.
pub(crate) fn card_data(payload: &Value) -> Value {
    use base64::Engine as _;
    let data = payload["data"].as_str().expect("a data field");
    let json = base64::engine::general_purpose::STANDARD
        .decode(data)
        .expect("base64");
    serde_json::from_slice(&json).expect("JSON in data")
}

pub(crate) fn is_card(received: &Received) -> bool {
    matches!(received.incoming, Incoming::CardAction(_))
}

/// A session and its dispatchers move to a runtime's task or thread.
#[test]
fn the_session_and_the_dispatchers_are_send() {
    fn send<T: Send>() {}
    fn shared<T: Send + Sync>() {}
    send::<Session>();
    send::<Step>();
    send::<Outcome>();
    shared::<feishu_core::event::Dispatcher>();
    shared::<feishu_core::event::Dispatcher<feishu_core::event::Async>>();
}
