//! The long connection in the control API:
//!
//! | Route | Does |
//! |---|---|
//! | `GET /_mock/long_connection` | connections, pings, unACKed events, the settings |
//! | `PUT /_mock/long_connection` | the settings: `{client_config?, fragment_size?, gzip?, redeliver_after_ms?, answer_pings?}` |
//! | `POST /_mock/long_connection/events` | push `{event, type?, gzip?, fragment_size?}`; answers `{message_id}` |
//! | `GET /_mock/long_connection/acks` | every ACK received |
//! | `POST /_mock/long_connection/drop` | drop every connection |
//! | `POST /_mock/long_connection/pong` | a pong with new settings: `{client_config}` |
//! | `POST /_mock/long_connection/refuse` | refuse upgrades: `{status, auth_code?, times?}` |
//!
//! `client_config` is `{ReconnectCount, ReconnectInterval, ReconnectNonce,
//! PingInterval}` as Feishu sends it; absent fields keep their value.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ack, ClientConfig, LongConnectionSettings, Push, SERVICE_ID, WS_PATH, refusal};
use crate::control::{ControlError, body, respond};
use crate::state::Shared;

/// The routes, as `GET /_mock` lists them.
pub(crate) const ROUTES: [&str; 7] = [
    "GET /_mock/long_connection",
    "PUT /_mock/long_connection",
    "POST /_mock/long_connection/events",
    "GET /_mock/long_connection/acks",
    "POST /_mock/long_connection/drop",
    "POST /_mock/long_connection/pong",
    "POST /_mock/long_connection/refuse",
];

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_mock/long_connection", get(status).put(configure))
        .route("/_mock/long_connection/events", post(push))
        .route("/_mock/long_connection/acks", get(acks))
        .route("/_mock/long_connection/drop", post(drop_all))
        .route("/_mock/long_connection/pong", post(pong))
        .route("/_mock/long_connection/refuse", post(refuse))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigJson {
    #[serde(rename = "ReconnectCount")]
    reconnect_count: Option<i64>,
    #[serde(rename = "ReconnectInterval")]
    reconnect_interval: Option<i64>,
    #[serde(rename = "ReconnectNonce")]
    reconnect_nonce: Option<i64>,
    #[serde(rename = "PingInterval")]
    ping_interval: Option<i64>,
}

impl ConfigJson {
    fn over(self, config: ClientConfig) -> ClientConfig {
        ClientConfig {
            reconnect_count: self.reconnect_count.unwrap_or(config.reconnect_count),
            reconnect_interval: self.reconnect_interval.unwrap_or(config.reconnect_interval),
            reconnect_nonce: self.reconnect_nonce.unwrap_or(config.reconnect_nonce),
            ping_interval: self.ping_interval.unwrap_or(config.ping_interval),
        }
    }
}

fn settings_json(settings: &LongConnectionSettings) -> Value {
    json!({
        "client_config": settings.client_config.to_json(),
        "fragment_size": settings.fragment_size,
        "gzip": settings.gzip,
        "redeliver_after_ms": settings.redeliver_after.map(|d| d.as_millis() as u64),
        "answer_pings": settings.answer_pings,
    })
}

/// `GET /_mock/long_connection`.
async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let gateway = &shared.long_connection;
    respond(Ok(json!({
        "connections": gateway.connections(),
        "connects": gateway.connects(),
        "pings": gateway.pings().len(),
        "unacked": gateway.unacked(),
        "acks": gateway.ack_count(),
        "settings": settings_json(&gateway.settings()),
        "ws_path": WS_PATH,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsJson {
    #[serde(default)]
    client_config: Option<ConfigJson>,
    #[serde(default)]
    fragment_size: Option<Option<usize>>,
    #[serde(default)]
    gzip: Option<bool>,
    #[serde(default)]
    redeliver_after_ms: Option<Option<u64>>,
    #[serde(default)]
    answer_pings: Option<bool>,
}

/// `PUT /_mock/long_connection`: absent fields keep their value; a
/// `null` `fragment_size` or `redeliver_after_ms` turns it off.
async fn configure(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let update: SettingsJson = body(request).await?;
        let gateway = &shared.long_connection;
        let mut settings = gateway.settings();
        if let Some(config) = update.client_config {
            settings.client_config = config.over(settings.client_config);
        }
        if let Some(size) = update.fragment_size {
            if size == Some(0) {
                return Err(ControlError::bad_request(
                    "fragment_size must be at least 1",
                ));
            }
            settings.fragment_size = size;
        }
        if let Some(after) = update.redeliver_after_ms {
            settings.redeliver_after = after.map(Duration::from_millis);
        }
        settings.gzip = update.gzip.unwrap_or(settings.gzip);
        settings.answer_pings = update.answer_pings.unwrap_or(settings.answer_pings);
        gateway.set_settings(settings.clone());
        Ok(settings_json(&settings))
    };
    respond(result.await)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PushJson {
    event: Value,
    #[serde(default, rename = "type")]
    frame_type: Option<String>,
    #[serde(default)]
    gzip: Option<bool>,
    #[serde(default)]
    fragment_size: Option<usize>,
}

/// `POST /_mock/long_connection/events`.
async fn push(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: PushJson = body(request).await?;
        if !request.event.is_object() {
            return Err(ControlError::bad_request("event must be a JSON object"));
        }
        let mut push = Push::event(request.event);
        if let Some(frame_type) = request.frame_type {
            push = push.frame_type(&frame_type);
        }
        push.gzip = request.gzip;
        push.fragment_size = match request.fragment_size {
            Some(0) => {
                return Err(ControlError::bad_request(
                    "fragment_size must be at least 1",
                ));
            }
            size => size,
        };
        let message_id = shared.long_connection.push(push, SERVICE_ID);
        Ok(json!({ "message_id": message_id }))
    };
    respond(result.await)
}

fn ack_json(ack: &Ack) -> Value {
    let headers: serde_json::Map<String, Value> = ack
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    json!({
        "message_id": ack.message_id,
        "code": ack.code,
        "data": ack.data,
        "biz_rt": ack.biz_rt,
        "headers": headers,
    })
}

/// `GET /_mock/long_connection/acks`.
async fn acks(State(shared): State<Arc<Shared>>) -> Response {
    let acks: Vec<Value> = shared.long_connection.acks().iter().map(ack_json).collect();
    respond(Ok(json!({ "acks": acks })))
}

/// `POST /_mock/long_connection/drop`.
async fn drop_all(State(shared): State<Arc<Shared>>) -> Response {
    let dropped = shared.long_connection.drop_all();
    respond(Ok(json!({ "dropped": dropped })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PongJson {
    client_config: ConfigJson,
}

/// `POST /_mock/long_connection/pong`.
async fn pong(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: PongJson = body(request).await?;
        let gateway = &shared.long_connection;
        let config = request.client_config.over(gateway.settings().client_config);
        gateway.set_settings(gateway.settings().client_config(config));
        let pong = super::socket::pong(SERVICE_ID, &config.to_json());
        let sent = gateway.broadcast(|| super::gateway::Command::Send(vec![pong.clone()]));
        Ok(json!({ "sent": sent }))
    };
    respond(result.await)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefuseJson {
    status: u16,
    #[serde(default)]
    auth_code: Option<i64>,
    #[serde(default = "once")]
    times: usize,
}

fn once() -> usize {
    1
}

/// `POST /_mock/long_connection/refuse`.
async fn refuse(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: RefuseJson = body(request).await?;
        if !(400..=599).contains(&request.status) {
            return Err(ControlError::bad_request("status must be 400 to 599"));
        }
        shared.inject(
            WS_PATH,
            refusal(request.status, request.auth_code).times(request.times),
        );
        Ok(json!({}))
    };
    respond(result.await)
}
