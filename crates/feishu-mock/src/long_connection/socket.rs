//! `GET /ws/v2`: the WebSocket upgrade, and each connection's task, which
//! sends what the gateway pushes, answers pings, records ACKs and
//! redelivers what is not ACKed in time.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use futures_util::{SinkExt as _, StreamExt as _};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use sha1::{Digest, Sha1};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::Role;

use super::Ack;
use super::frame::{CONTROL, DATA, Frame};
use super::gateway::{Command, Gateway, redelivery_tick};
use crate::query::Query;
use crate::state::Shared;

/// The GUID of RFC 6455 §1.3, hashed into `Sec-WebSocket-Accept`.
const WEBSOCKET_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// `GET /ws/v2?device_id=…&service_id=…&ticket=…`: upgrades a request whose
/// ticket the bootstrap issued (once); refuses others as the gateway does,
/// with `Handshake-Status` 514.
pub(super) async fn upgrade(State(shared): State<Arc<Shared>>, mut request: Request) -> Response {
    let query = Query::parse(request.uri().query());
    let gateway = &shared.long_connection;
    let ticket = query.get("ticket").unwrap_or_default();
    let key = request
        .headers()
        .get("sec-websocket-key")
        .and_then(|key| key.to_str().ok())
        .map(str::to_owned);
    let Some(key) = key else {
        return refusal(StatusCode::BAD_REQUEST, 400, "not a WebSocket upgrade");
    };
    if !gateway.redeem(ticket) {
        return refusal(StatusCode::FORBIDDEN, 514, "unknown or used ticket");
    }
    let service = query
        .get("service_id")
        .and_then(|id| id.parse().ok())
        .unwrap_or(0);
    let upgrade = hyper::upgrade::on(&mut request);
    let shared = Arc::clone(&shared);
    tokio::spawn(async move {
        if let Ok(upgraded) = upgrade.await {
            let raw = Arc::new(Mutex::new(Vec::new()));
            let tap = Tap {
                io: TokioIo::new(upgraded),
                raw: Arc::clone(&raw),
            };
            let socket = WebSocketStream::from_raw_socket(tap, Role::Server, None).await;
            serve(socket, raw, &shared.long_connection, service).await;
        }
    });
    let accept = base64::engine::general_purpose::STANDARD
        .encode(Sha1::digest(format!("{key}{WEBSOCKET_GUID}")));
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
    if let Ok(accept) = HeaderValue::try_from(accept) {
        headers.insert("sec-websocket-accept", accept);
    }
    response
}

/// A refused upgrade: the HTTP status and the gateway's `Handshake-*`
/// headers.
pub(crate) fn refusal(status: StatusCode, handshake_status: i64, message: &str) -> Response {
    let mut response = Response::new(Body::from(message.to_owned()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert("handshake-status", HeaderValue::from(handshake_status));
    if let Ok(message) = HeaderValue::try_from(message) {
        headers.insert("handshake-msg", message);
    }
    response
}

type Socket = WebSocketStream<Tap>;

/// One connection, until either side drops it. Reading and writing run
/// side by side, so a client that writes ACKs while the mock pushes
/// events never waits on a mock that is not reading.
async fn serve(socket: Socket, raw: Arc<Mutex<Vec<u8>>>, gateway: &Gateway, service: i32) {
    let id = gateway.id();
    let (tx, mut commands) = mpsc::unbounded_channel();
    let dropped = Arc::new(Notify::new());
    gateway.connected(id, tx.clone(), Arc::clone(&dropped));
    let (mut sink, mut stream) = socket.split();
    let reading = async {
        while let Some(Ok(message)) = stream.next().await {
            match message {
                Message::Binary(bytes) => {
                    if let Some(pong) = received(gateway, &bytes, service) {
                        let _ = tx.send(Command::Send(vec![pong]));
                    }
                }
                Message::Close(_) => return,
                _ => {}
            }
        }
    };
    let writing = async {
        let mut tick = tokio::time::interval(redelivery_tick(&gateway.settings()));
        loop {
            tokio::select! {
                command = commands.recv() => match command {
                    Some(Command::Send(frames)) => {
                        for frame in frames {
                            if sink.feed(Message::binary(frame)).await.is_err() {
                                return;
                            }
                        }
                        if sink.flush().await.is_err() {
                            return;
                        }
                    }
                    Some(Command::Raw(bytes)) => {
                        // The tap writes them on the next flush.
                        lock(&raw).extend(bytes);
                        if sink.flush().await.is_err() {
                            return;
                        }
                    }
                    None => return,
                },
                _ = tick.tick() => gateway.redeliver(id, Instant::now()),
            }
        }
    };
    tokio::select! {
        () = reading => {}
        () = writing => {}
        () = dropped.notified() => {}
    }
    gateway.disconnected(id);
}

/// The upgraded connection, with bytes to write outside any WebSocket
/// message on the next flush.
pub(super) struct Tap {
    io: TokioIo<hyper::upgrade::Upgraded>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl AsyncRead for Tap {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Tap {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let mut raw = lock(&this.raw);
        while !raw.is_empty() {
            let written = ready!(Pin::new(&mut this.io).poll_write(cx, &raw))?;
            raw.drain(..written);
        }
        drop(raw);
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

fn lock(raw: &Mutex<Vec<u8>>) -> MutexGuard<'_, Vec<u8>> {
    raw.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Handles a frame from the client; returns the pong to send, if any.
fn received(gateway: &Gateway, bytes: &[u8], service: i32) -> Option<Vec<u8>> {
    let frame = Frame::decode(bytes)?;
    match frame.method {
        CONTROL if frame.header("type") == Some("ping") => {
            gateway.ping(Instant::now());
            let settings = gateway.settings();
            settings
                .answer_pings
                .then(|| pong(service, &settings.client_config.to_json()))
        }
        DATA => {
            gateway.ack(ack(frame));
            None
        }
        _ => None,
    }
}

/// A pong carrying the settings.
pub(crate) fn pong(service: i32, config: &Value) -> Vec<u8> {
    Frame {
        service,
        method: CONTROL,
        headers: vec![("type".to_owned(), "pong".to_owned())],
        payload: Some(config.to_string().into_bytes()),
        ..Frame::default()
    }
    .encode()
}

fn ack(frame: Frame) -> Ack {
    let body: Value = frame
        .payload
        .as_deref()
        .and_then(|payload| serde_json::from_slice(payload).ok())
        .unwrap_or(Value::Null);
    let data = body["data"].as_str().and_then(|data| {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .ok()?;
        String::from_utf8(bytes).ok()
    });
    Ack {
        message_id: frame.header("message_id").unwrap_or_default().to_owned(),
        code: body["code"].as_i64().unwrap_or(0),
        data,
        biz_rt: frame.header("biz_rt").and_then(|ms| ms.parse().ok()),
        headers: frame.headers,
    }
}
