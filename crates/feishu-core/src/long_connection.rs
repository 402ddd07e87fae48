//! The long connection (长连接): events and card actions over a WebSocket
//! the app opens, so a bot needs no public webhook. Sans-IO: a frame codec
//! ([`Frame`]) and a session state machine ([`Session`]) that is given the
//! time and every input, and says what to do next.
//!
//! The protocol: `POST /callback/ws/endpoint` with the app id and secret
//! returns a `wss://` URL and the [`ClientConfig`]; the client connects,
//! pings every `PingInterval` (a pong may bring new settings), receives
//! events as protobuf frames (split in parts when large), ACKs each with the
//! frame itself plus `biz_rt` and `{"code":200}` (a card action's answer in
//! `data`), and reconnects when the connection drops.
//!
//! The session decides everything; a driver moves bytes, runs handlers and
//! sleeps. With the same [`Dispatcher`](crate::event::Dispatcher) as a
//! webhook:
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use feishu_core::event::{Dispatcher, types::MESSAGE_RECEIVED};
//! use feishu_core::long_connection::{Frame, Session, Step};
//! use feishu_core::{App, Config};
//!
//! let config = Config::new("https://open.feishu.cn")?
//!     .with_app(App::self_built("cli_a5d611352af9d00b", "app-secret"));
//! let dispatcher = Dispatcher::new().on(MESSAGE_RECEIVED, |_, received| {
//!     println!("{:?}", received.message.resolved_content());
//!     Ok(())
//! });
//! let mut session = Session::new(&config, 0x5eed)?;
//! let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
//!
//! // The bootstrap goes out; the gateway answers with a URL.
//! let Step::Send(request) = session.poll(now) else { unreachable!() };
//! assert_eq!(request.uri().path(), "/callback/ws/endpoint");
//! session.on_response(http::Response::new(
//!     br#"{"code":0,"msg":"ok","data":{"URL":"wss://gw.example/ws?device_id=d1&service_id=5","ClientConfig":{"PingInterval":90}}}"#.to_vec(),
//! ), now);
//! let Step::Connect(url) = session.poll(now) else { unreachable!() };
//! assert_eq!(url.service_id(), 5);
//!
//! // Connected: a ping right away.
//! session.on_connected(now);
//! let Step::Write(ping) = session.poll(now) else { unreachable!() };
//! assert_eq!(Frame::decode(&ping)?.header("type"), Some("ping"));
//!
//! // An event frame arrives: it is delivered, handled, and ACKed.
//! let event = br#"{"schema":"2.0","header":{"event_id":"e1","event_type":"im.message.receive_v1"},"event":{"sender":{},"message":{"message_id":"om_1","message_type":"text","content":"{\"text\":\"hi\"}"}}}"#;
//! let mut frame = Frame { service: 5, method: 1, payload: Some(event.to_vec()), ..Frame::default() };
//! frame.set_header("type", "event");
//! frame.set_header("message_id", "m1");
//! session.on_frame(&frame.encode(), now);
//! let Step::Deliver(received) = session.poll(now) else { unreachable!() };
//! let outcome = dispatcher.dispatch(received.incoming);
//! session.on_handled(received.id, outcome, now);
//! let Step::Write(ack) = session.poll(now) else { unreachable!() };
//! assert_eq!(Frame::decode(&ack)?.payload.as_deref(), Some(&br#"{"code":200}"#[..]));
//!
//! // Nothing else to do until the next ping.
//! assert!(matches!(session.poll(now), Step::Wait(at) if at == now + Duration::from_secs(90)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A driver is the loop below and nothing else. Blocking, with
//! tungstenite, handlers on a pool that sends `(id, outcome)` back on
//! `results`:
//!
//! ```text
//! loop {
//!     while let Ok((id, outcome)) = results.try_recv() { session.on_handled(id, outcome, now()) }
//!     match session.poll(now()) {
//!         Step::Send(request) => match http.send(request) {
//!             Ok(response) => session.on_response(response, now()),
//!             Err(error) => session.on_transport_error(error.kind(), now()),
//!         },
//!         Step::Connect(url) => match tungstenite::connect(url.expose()) {
//!             Ok((ws, _)) => { socket = Some(ws); session.on_connected(now()) }
//!             Err(tungstenite::Error::Http(response)) => session.on_refused(&response, now()),
//!             Err(_) => session.on_transport_error(TransportErrorKind::Connect, now()),
//!         },
//!         Step::Write(bytes) => if write(&mut socket, Message::binary(bytes)).is_err() {
//!             socket = None; session.on_closed(now())
//!         },
//!         Step::Deliver(d) => pool.execute(move || { let _ = tx.send((d.id, dispatcher.dispatch(d.incoming))); }),
//!         Step::Close => if let Some(mut ws) = socket.take() { let _ = ws.close(None); },
//!         Step::Dropped(dropped) => log(dropped),
//!         // Read with a timeout of min(until - now, 20 ms), so results are seen soon.
//!         Step::Wait(until) => match read_until(&mut socket, until) {
//!             Read::Binary(bytes) => session.on_frame(&bytes, now()),
//!             Read::Closed => { socket = None; session.on_closed(now()) }
//!             Read::Nothing => {}
//!         },
//!         Step::Done(result) => break result,
//!     }
//! }
//! ```
//!
//! Async, with tokio-tungstenite, handlers spawned:
//!
//! ```text
//! loop {
//!     match session.poll(now()) {
//!         Step::Send(request) => match http.send(request).await { /* as above */ },
//!         Step::Connect(url) => match tokio_tungstenite::connect_async(url.expose()).await { /* as above */ },
//!         Step::Write(bytes) => if ws.send(Message::binary(bytes)).await.is_err() { socket = None; session.on_closed(now()) },
//!         Step::Deliver(d) => {
//!             let task = tokio::spawn(dispatcher.dispatch(d.incoming));
//!             let tx = results_tx.clone();
//!             tokio::spawn(async move { let _ = tx.send((d.id, task.await.unwrap_or_else(|e| Outcome::Failed(e.into())))); });
//!         }
//!         Step::Close => if let Some(mut ws) = socket.take() { let _ = ws.close(None).await; },
//!         Step::Dropped(dropped) => tracing::warn!(?dropped),
//!         Step::Wait(until) => tokio::select! {
//!             () = tokio::time::sleep(until.duration_since(now()).unwrap_or_default()) => {}
//!             Some((id, outcome)) = results.recv() => session.on_handled(id, outcome, now()),
//!             message = next_message(&mut socket) => match message {
//!                 Some(Ok(Message::Binary(bytes))) => session.on_frame(&bytes, now()),
//!                 Some(Ok(_)) => {}
//!                 Some(Err(_)) | None => { socket = None; session.on_closed(now()) }
//!             },
//!             _ = shutdown.changed() => session.shutdown(Duration::from_secs(10), now()),
//!         },
//!         Step::Done(result) => break result,
//!     }
//! }
//! ```

mod bootstrap;
mod fragments;
mod frame;
mod gzip;
mod session;

use std::time::Duration;

pub use bootstrap::{ClientConfig, ConnectUrl, WsEndpoint, WsEndpointRequest};
pub use frame::{Frame, FrameError, Header, METHOD_CONTROL, METHOD_DATA};
pub use gzip::GzipError;
pub use session::{DeliveryId, Received, Session, Step};

use crate::TransportErrorKind;
use crate::event::{CardResponse, EventError, ToastKind};

/// The `code` the bootstrap answers when the gateway is busy: retry.
pub const CODE_BUSY: i64 = 1;
/// The `code` the bootstrap answers on an internal error: retry.
pub const CODE_INTERNAL_ERROR: i64 = 1_000_040_343;
/// The `Handshake-Status` of a refused upgrade for an authentication failure.
pub const HANDSHAKE_AUTH_FAILED: i64 = 514;
/// The `Handshake-Status` of a forbidden upgrade: fatal.
pub const HANDSHAKE_FORBIDDEN: i64 = 403;
/// The `Handshake-Autherrcode` of "too many connections for this app": fatal.
pub const AUTH_TOO_MANY_CONNECTIONS: i64 = 1_000_040_350;

/// How a [`Session`] answers and what it buffers. Every bound has a default
/// that no honest gateway reaches.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// How long an event's ACK waits for its handler: within it the ACK
    /// carries the outcome (500 on failure, so Feishu redelivers); past it
    /// the event is ACKed 200 and the handler goes on. 0 ACKs on arrival.
    /// Default 2.5 s: Feishu redelivers what is not ACKed within about 3 s.
    pub event_ack_timeout: Duration,
    /// How long a card action's ACK waits for its handler's answer before
    /// [`Options::card_fallback`] is sent instead. Default 2.5 s, inside the
    /// 3 s Feishu gives a card answer.
    pub card_ack_timeout: Duration,
    /// The answer of a card action whose handler is late: by default an
    /// info toast. The handler can still update the card through the API.
    pub card_fallback: CardResponse,
    /// How long the parts of a split message wait for the rest: 5 s, as the
    /// official SDKs.
    pub fragment_ttl: Duration,
    /// The most bytes buffered in parts, all messages together: 16 MiB.
    pub max_fragment_bytes: usize,
    /// The most split messages buffered at once: 64.
    pub max_fragmented_messages: usize,
    /// The largest payload, inflated: 16 MiB.
    pub max_payload_bytes: usize,
    /// A connection that receives nothing (not even a pong) for this many
    /// ping intervals is closed and reconnected; `None` never.
    /// Default 3.
    pub dead_after_pings: Option<u32>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            event_ack_timeout: Duration::from_millis(2500),
            card_ack_timeout: Duration::from_millis(2500),
            card_fallback: CardResponse::toast(ToastKind::Info, "Processing…"),
            fragment_ttl: Duration::from_secs(5),
            max_fragment_bytes: 16 << 20,
            max_fragmented_messages: 64,
            max_payload_bytes: 16 << 20,
            dead_after_pings: Some(3),
        }
    }
}

impl Options {
    /// The largest WebSocket message a driver accepts: one frame, so a
    /// payload (or the parts of one) within the bounds above plus room for
    /// the headers. Drivers hand it to their WebSocket library as its
    /// message and frame limit, so a peer announcing more is refused before
    /// anything is buffered.
    ///
    /// ```
    /// use feishu_core::long_connection::Options;
    ///
    /// let mut options = Options::default();
    /// options.max_payload_bytes = 1 << 20;
    /// options.max_fragment_bytes = 4 << 20;
    /// assert_eq!(options.max_message_bytes(), (4 << 20) + (64 << 10));
    /// ```
    pub fn max_message_bytes(&self) -> usize {
        self.max_payload_bytes
            .max(self.max_fragment_bytes)
            .saturating_add(64 << 10)
    }
}

/// Counters of what a [`Session`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Bootstrap requests sent.
    pub bootstraps: u64,
    /// Connections made.
    pub connects: u64,
    /// Connections lost (closed, failed, or silent).
    pub disconnects: u64,
    /// Attempts (bootstrap or upgrade) that failed.
    pub failed_attempts: u64,
    /// Binary messages received.
    pub frames_received: u64,
    /// Pings sent.
    pub pings: u64,
    /// Pongs received.
    pub pongs: u64,
    /// Events delivered.
    pub events: u64,
    /// Card actions delivered.
    pub card_actions: u64,
    /// Redeliveries not delivered again (ACKed, or joined to the delivery in
    /// flight).
    pub duplicates: u64,
    /// ACKs written.
    pub acks: u64,
    /// ACKs written at the end of their budget (200, or the card fallback).
    pub late_acks: u64,
    /// Handlers that failed.
    pub handler_failures: u64,
    /// Data frames of a type other than `event` and `card` (ACKed 200).
    pub unknown_frames: u64,
    /// Things given up ([`Step::Dropped`]).
    pub dropped: u64,
}

/// Why one attempt to connect failed, or the connection was lost.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AttemptError {
    /// The bootstrap request or the upgrade failed without an HTTP response.
    #[error("{0} error")]
    Transport(TransportErrorKind),
    /// The bootstrap was answered with another HTTP status than 200.
    #[error("the bootstrap was answered with HTTP {0}")]
    Status(u16),
    /// The bootstrap was answered with a non-zero `code`.
    #[error("the bootstrap was refused: code {code}: {msg}")]
    Code {
        /// Feishu's `code`.
        code: i64,
        /// Feishu's `msg`.
        msg: String,
    },
    /// The bootstrap's answer was not the JSON expected, or had no
    /// WebSocket URL.
    #[error("the bootstrap's answer is not the JSON expected")]
    Unexpected,
    /// The WebSocket upgrade was refused.
    #[error("the upgrade was refused: status {status}{}{}", .message.as_ref().map(|m| format!(": {m}")).unwrap_or_default(), .auth_code.map(|c| format!(" (auth error {c})")).unwrap_or_default())]
    Handshake {
        /// `Handshake-Status`, else the HTTP status.
        status: i64,
        /// `Handshake-Msg`.
        message: Option<String>,
        /// `Handshake-Autherrcode`.
        auth_code: Option<i64>,
    },
    /// The connection closed, failed, or fell silent.
    #[error("the connection was lost")]
    Closed,
}

impl AttemptError {
    /// Whether trying again cannot help: the app's credentials are refused
    /// (any bootstrap `code` but busy and internal error), the upgrade is
    /// forbidden, or the app has too many connections.
    pub fn is_fatal(&self) -> bool {
        match self {
            Self::Code { code, .. } => !matches!(*code, CODE_BUSY | CODE_INTERNAL_ERROR),
            Self::Handshake {
                status, auth_code, ..
            } => {
                *status == HANDSHAKE_FORBIDDEN
                    || (*status == HANDSHAKE_AUTH_FAILED
                        && *auth_code == Some(AUTH_TOO_MANY_CONNECTIONS))
            }
            _ => false,
        }
    }
}

/// Why a [`Session`] ended.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The configuration has no app.
    #[error("the long connection needs an app: Config::with_app")]
    NoApp,
    /// An attempt failed in a way retrying cannot mend.
    #[error("the long connection was refused: {0}")]
    Refused(AttemptError),
    /// `ReconnectCount` attempts failed.
    #[error("gave up after {attempts} reconnect attempts: {last}")]
    GaveUp {
        /// How many were made.
        attempts: u32,
        /// The last one's failure.
        last: AttemptError,
    },
    /// The bootstrap request could not be built.
    #[error("the bootstrap request could not be built: {0}")]
    Request(std::sync::Arc<crate::Error>),
    /// The session was polled after it was done.
    #[error("the session is over")]
    Over,
}

/// Something received that was given up.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Dropped {
    /// The frame's `message_id`, when it had one.
    pub message_id: Option<String>,
    /// Why.
    pub reason: DropReason,
}

/// Why something received was given up. Data frames given up for their
/// content are ACKed 200 (a redelivery would fail the same way); split
/// messages given up are not ACKed, so Feishu sends them again.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DropReason {
    /// The bytes are not a frame.
    #[error("not a frame: {0}")]
    NotAFrame(FrameError),
    /// A data frame of an unknown `type`.
    #[error("unknown frame type {0:?}")]
    UnknownFrameType(String),
    /// The payload is not an event or a card action.
    #[error("not an event: {0}")]
    NotAnEvent(EventError),
    /// `payload_encoding` names an encoding this crate does not decode.
    #[error("unsupported payload encoding {0:?}")]
    UnsupportedEncoding(String),
    /// The gzip payload does not inflate.
    #[error("gzip: {0}")]
    Gzip(GzipError),
    /// The payload is larger than [`Options::max_payload_bytes`].
    #[error("the payload is over {limit} bytes")]
    PayloadTooLarge {
        /// The bound.
        limit: usize,
    },
    /// A part's `sum` or `seq` is out of range.
    #[error("part {seq} of {sum} is out of range")]
    BadFragment {
        /// The parts announced.
        sum: usize,
        /// The part's index.
        seq: usize,
    },
    /// Not all parts arrived within [`Options::fragment_ttl`].
    #[error("{received} of {sum} parts arrived in time")]
    FragmentsExpired {
        /// Parts received.
        received: usize,
        /// Parts announced.
        sum: usize,
    },
    /// The message's parts are more than [`Options::max_fragment_bytes`].
    #[error("the message's parts are over the buffer bound")]
    FragmentsTooLarge,
    /// Evicted to make room for newer split messages.
    #[error("evicted to make room for newer messages")]
    FragmentsEvicted,
}
