//! The long connection (长连接), as Feishu's gateway serves it: `POST
//! /callback/ws/endpoint` hands out a `ws://` URL to this server and the
//! `ClientConfig`; `GET /ws/v2` upgrades to a WebSocket that carries
//! `pbbp2.Frame`s: events pushed by the test (split into parts and gzipped
//! on request), the client's ACKs (recorded), pings (answered with pongs
//! carrying the settings) and, on request, a pong with new settings.
//! Events not ACKed with 200 are sent again after
//! [`LongConnectionSettings::redeliver_after`], and on the next connection
//! when theirs drops.
//!
//! Refused upgrades are [`Fault`]s on [`WS_PATH`] (see
//! [`MockServer::refuse_upgrades`]), refused bootstraps faults on
//! [`ENDPOINT_PATH`]; both paths count [`hits`](MockServer::hits).
//!
//! Docs: <https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/use-websocket>

mod control;
mod frame;
mod gateway;
mod gzip;
mod socket;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) use control::ROUTES as CONTROL_ROUTES;
pub(crate) use gateway::Gateway;

use crate::fault::Fault;
use crate::reply::{self, MAX_BODY};
use crate::request_body;
use crate::server::MockServer;
use crate::state::{AppKind, Shared};
use gateway::Command;

/// The bootstrap's path.
pub const ENDPOINT_PATH: &str = "/callback/ws/endpoint";
/// The WebSocket's path.
pub const WS_PATH: &str = "/ws/v2";
/// The `service_id` of every URL the mock hands out.
pub const SERVICE_ID: i32 = 7;
/// The bootstrap's `code` for an unknown app or a wrong secret: fatal.
pub const CODE_BAD_CREDENTIALS: i64 = 10003;

/// The `ClientConfig` the gateway hands out (bootstrap and pongs), in
/// seconds as sent. The default is Feishu's: reconnect forever every 120 s
/// after up to 30 s, ping every 120 s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// `ReconnectCount`; negative: no limit.
    pub reconnect_count: i64,
    /// `ReconnectInterval`.
    pub reconnect_interval: i64,
    /// `ReconnectNonce`.
    pub reconnect_nonce: i64,
    /// `PingInterval`.
    pub ping_interval: i64,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            reconnect_count: -1,
            reconnect_interval: 120,
            reconnect_nonce: 30,
            ping_interval: 120,
        }
    }
}

impl ClientConfig {
    fn to_json(self) -> Value {
        json!({
            "ReconnectCount": self.reconnect_count,
            "ReconnectInterval": self.reconnect_interval,
            "ReconnectNonce": self.reconnect_nonce,
            "PingInterval": self.ping_interval,
        })
    }
}

/// How the gateway behaves; [`MockServer::set_long_connection`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LongConnectionSettings {
    /// Handed out by the bootstrap and every pong.
    pub client_config: ClientConfig,
    /// Payloads longer than this go out in parts of this size; `None`
    /// (the default): whole.
    pub fragment_size: Option<usize>,
    /// Payloads go out gzipped (`payload_encoding: gzip`); default no.
    pub gzip: bool,
    /// An event not ACKed with 200 this long after it went out is sent
    /// again; `None`: never. Default 3 s, about Feishu's.
    pub redeliver_after: Option<Duration>,
    /// Pings get a pong; `false` makes a gateway that reads and never
    /// answers. Default `true`.
    pub answer_pings: bool,
}

impl Default for LongConnectionSettings {
    fn default() -> Self {
        Self {
            client_config: ClientConfig::default(),
            fragment_size: None,
            gzip: false,
            redeliver_after: Some(Duration::from_secs(3)),
            answer_pings: true,
        }
    }
}

impl LongConnectionSettings {
    /// The settings with this `ClientConfig`.
    pub fn client_config(mut self, config: ClientConfig) -> Self {
        self.client_config = config;
        self
    }

    /// The settings with payloads split into parts of `size` bytes.
    pub fn fragment_size(mut self, size: Option<usize>) -> Self {
        self.fragment_size = size;
        self
    }

    /// The settings with payloads gzipped, or not.
    pub fn gzip(mut self, gzip: bool) -> Self {
        self.gzip = gzip;
        self
    }

    /// The settings with this redelivery delay.
    pub fn redeliver_after(mut self, after: Option<Duration>) -> Self {
        self.redeliver_after = after;
        self
    }

    /// The settings with pings answered, or not.
    pub fn answer_pings(mut self, answer: bool) -> Self {
        self.answer_pings = answer;
        self
    }
}

/// An event to push, and how.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Push {
    /// The payload: a v2 or v1 event envelope, or a card action.
    pub event: Value,
    /// The frame's `type` header: `event` (the default) or `card`.
    pub frame_type: String,
    /// Gzip it, whatever the settings say.
    pub gzip: Option<bool>,
    /// Split it into parts of this size, whatever the settings say.
    pub fragment_size: Option<usize>,
}

impl Push {
    /// `event` in a frame of type `event`, sent as the settings say.
    pub fn event(event: Value) -> Self {
        Self {
            event,
            frame_type: "event".to_owned(),
            gzip: None,
            fragment_size: None,
        }
    }

    /// The push in a frame of another `type` (`card`, or one the client
    /// does not know).
    pub fn frame_type(mut self, frame_type: &str) -> Self {
        self.frame_type = frame_type.to_owned();
        self
    }

    /// The push gzipped, or not.
    pub fn gzip(mut self, gzip: bool) -> Self {
        self.gzip = Some(gzip);
        self
    }

    /// The push split into parts of `size` bytes.
    pub fn fragment_size(mut self, size: usize) -> Self {
        self.fragment_size = Some(size);
        self
    }
}

/// An ACK the client sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ack {
    /// The `message_id` header: the pushed event's.
    pub message_id: String,
    /// The payload's `code`: 200, or 500 for a failed handler.
    pub code: i64,
    /// The payload's `data`, base64-decoded: a card action's answer.
    pub data: Option<String>,
    /// The `biz_rt` header: the handler's milliseconds.
    pub biz_rt: Option<u64>,
    /// Every header, in order.
    pub headers: Vec<(String, String)>,
}

/// The bootstrap, the WebSocket and the control routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(ENDPOINT_PATH, post(endpoint))
        .route(WS_PATH, get(socket::upgrade))
        .merge(control::routes())
}

#[derive(Deserialize)]
struct EndpointRequest {
    #[serde(rename = "AppID", default)]
    app_id: String,
    #[serde(rename = "AppSecret", default)]
    app_secret: String,
}

/// `POST /callback/ws/endpoint` `{AppID, AppSecret}`: a URL with a
/// single-use ticket, and the settings.
async fn endpoint(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    let request = request_body::read(body, MAX_BODY)
        .await
        .ok()
        .and_then(|bytes| serde_json::from_slice::<EndpointRequest>(&bytes).ok());
    let Some(request) = request else {
        return reply::json(
            StatusCode::OK,
            &json!({"code": 10002, "msg": "invalid request body"}),
        );
    };
    let known = shared.apps.get(&request.app_id).is_some_and(|app| {
        app.secret == request.app_secret && matches!(app.kind, AppKind::SelfBuilt)
    });
    if !known {
        let body = json!({"code": CODE_BAD_CREDENTIALS, "msg": "invalid app_id or app_secret"});
        return reply::json(StatusCode::OK, &body);
    }
    let gateway = &shared.long_connection;
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or("127.0.0.1");
    let url = format!(
        "ws://{host}{WS_PATH}?device_id={}&service_id={SERVICE_ID}&ticket={}",
        gateway.id(),
        gateway.ticket()
    );
    let config = gateway.settings().client_config.to_json();
    let body = json!({"code": 0, "msg": "ok", "data": {"URL": url, "ClientConfig": config}});
    reply::json(StatusCode::OK, &body)
}

impl MockServer {
    /// Sets how the long-connection gateway behaves, from the next
    /// bootstrap, push or ping on.
    pub fn set_long_connection(&self, settings: LongConnectionSettings) {
        self.shared.long_connection.set_settings(settings);
    }

    /// Pushes `event` over the long connection and returns its `message_id`:
    /// at once on a live connection (round robin), else on the next one.
    ///
    /// ```
    /// let server = feishu_mock::MockServer::start();
    /// let event = server.message_event("oc_mock_general", "ou_alice", "hello", "");
    /// let message_id = server.push_event(event);
    /// assert_eq!(server.unacked_events(), 1);
    /// # let _ = message_id;
    /// ```
    pub fn push_event(&self, event: Value) -> String {
        self.push(Push::event(event))
    }

    /// Pushes as `push` says; see [`MockServer::push_event`].
    pub fn push(&self, push: Push) -> String {
        self.shared.long_connection.push(push, SERVICE_ID)
    }

    /// Every ACK received, oldest first.
    pub fn acks(&self) -> Vec<Ack> {
        self.shared.long_connection.acks()
    }

    /// How many ACKs were received (cheaper than [`MockServer::acks`]).
    pub fn ack_count(&self) -> usize {
        self.shared.long_connection.ack_count()
    }

    /// Events pushed and not ACKed with 200 yet.
    pub fn unacked_events(&self) -> usize {
        self.shared.long_connection.unacked()
    }

    /// The WebSockets open now.
    pub fn ws_connections(&self) -> usize {
        self.shared.long_connection.connections()
    }

    /// The WebSockets opened so far.
    pub fn ws_connects(&self) -> usize {
        self.shared.long_connection.connects()
    }

    /// When each ping arrived, oldest first.
    pub fn ws_pings(&self) -> Vec<Instant> {
        self.shared.long_connection.pings()
    }

    /// Drops every WebSocket without a close frame, as a network failure
    /// would; returns how many. What they did not ACK goes to the next.
    pub fn drop_ws_connections(&self) -> usize {
        self.shared.long_connection.drop_all()
    }

    /// Makes `config` the settings handed out, and sends every live
    /// connection a pong carrying it; returns how many.
    pub fn send_pong(&self, config: ClientConfig) -> usize {
        let gateway = &self.shared.long_connection;
        gateway.set_settings(gateway.settings().client_config(config));
        let pong = socket::pong(SERVICE_ID, &config.to_json());
        gateway.broadcast(|| Command::Send(vec![pong.clone()]))
    }

    /// Sends every live connection one binary WebSocket message of these
    /// bytes (a frame, or garbage); returns how many.
    pub fn send_ws_message(&self, bytes: &[u8]) -> usize {
        let gateway = &self.shared.long_connection;
        gateway.broadcast(|| Command::Send(vec![bytes.to_vec()]))
    }

    /// Writes these bytes on every live connection's socket outside any
    /// WebSocket message (a forged frame header, garbage); returns how
    /// many.
    pub fn send_ws_raw(&self, bytes: &[u8]) -> usize {
        let gateway = &self.shared.long_connection;
        gateway.broadcast(|| Command::Raw(bytes.to_vec()))
    }

    /// Refuses the next `times` upgrades as Feishu's gateway does: HTTP
    /// `status`, `Handshake-Status: status`, `Handshake-Msg` and, if given,
    /// `Handshake-Autherrcode` (1000040350: too many connections).
    pub fn refuse_upgrades(&self, status: u16, auth_code: Option<i64>, times: usize) {
        self.inject(WS_PATH, refusal(status, auth_code).times(times));
    }
}

/// The fault of a refused upgrade.
fn refusal(status: u16, auth_code: Option<i64>) -> Fault {
    let fault = Fault::status(status)
        .header("Handshake-Status", &status.to_string())
        .header("Handshake-Msg", "refused by feishu-mock");
    match auth_code {
        Some(code) => fault.header("Handshake-Autherrcode", &code.to_string()),
        None => fault,
    }
}
