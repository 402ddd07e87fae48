//! The long connection (长连接): events and card actions over a WebSocket
//! the bot opens, so it needs no public webhook. [`Client::long_connection`]
//! gives a [`LongConnection`]; [`LongConnection::run`] keeps it up
//! (bootstrap, upgrade, pings, reconnects) and spawns the handlers of a
//! [`Dispatcher`] on tokio, until [`LongConnection::shutdown`] or a fatal
//! refusal.
//!
//! Everything is decided by `feishu-core`'s
//! [`Session`]; this module moves its
//! bytes over tokio-tungstenite, spawns the handlers and sleeps. The same
//! [`Dispatcher`] serves a webhook ([`Webhook::serve_async`](feishu_core::event::Webhook::serve_async)).
//!
//! ```
//! use std::sync::Arc;
//! use feishu_reqwest::{App, Client, Config};
//! use feishu_reqwest::feishu_core::event::{Dispatcher, types::MESSAGE_RECEIVED};
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = feishu_mock::MockServer::start();
//! # let (base_url, app_id, app_secret) = (mock.url(), feishu_mock::SELF_BUILT_APP_ID, feishu_mock::SELF_BUILT_APP_SECRET);
//!
//! let client = Client::new(Config::new(base_url)?.with_app(App::self_built(app_id, app_secret)))?;
//! let dispatcher = Dispatcher::new_async().on(MESSAGE_RECEIVED, |_, received| async move {
//!     println!("{:?}", received.message.resolved_content());
//!     Ok(())
//! });
//! let connection = Arc::new(client.long_connection(dispatcher));
//! let running = tokio::spawn({
//!     let connection = Arc::clone(&connection);
//!     async move { connection.run().await }
//! });
//! # mock.push_event(mock.message_event("oc_mock_general", "ou_mock_user", "hi", ""));
//! # while mock.unacked_events() > 0 { tokio::time::sleep(std::time::Duration::from_millis(10)).await; }
//! // … until the bot should stop: in-flight handlers finish, their ACKs go out.
//! connection.shutdown();
//! running.await??;
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use feishu_core::TransportErrorKind as Kind;
use feishu_core::driver::AsyncTransport as _;
use feishu_core::event::{Async, Dispatcher, Outcome, SeenStore};
use feishu_core::long_connection::{
    ConnectUrl, DeliveryId, Options, Received, Session, SessionError, Stats, Step,
};
use futures_util::{FutureExt as _, SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::Client;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Done = (DeliveryId, Outcome);

/// How long a closing socket waits for the peer's goodbye.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

impl Client {
    /// A long connection of this client's app, with the handlers of
    /// `dispatcher` (or an `Arc` of one, to share it with a webhook); see
    /// [`LongConnection::run`]. The bootstrap goes through this client's
    /// transport.
    pub fn long_connection(&self, dispatcher: impl Into<Arc<Dispatcher<Async>>>) -> LongConnection {
        LongConnection {
            client: self.clone(),
            dispatcher: dispatcher.into(),
            options: Options::default(),
            seen: None,
            max_in_flight: 64,
            drain: Duration::from_secs(10),
            stop: watch::Sender::new(false),
            stats: Mutex::default(),
        }
    }
}

/// A long connection: [`LongConnection::run`] it on a task of its own;
/// [`LongConnection::shutdown`] it from any other.
pub struct LongConnection {
    client: Client,
    dispatcher: Arc<Dispatcher<Async>>,
    options: Options,
    seen: Option<Arc<dyn SeenStore>>,
    max_in_flight: usize,
    drain: Duration,
    stop: watch::Sender<bool>,
    stats: Mutex<Stats>,
}

impl LongConnection {
    /// The session's options: ACK budgets, the card fallback, buffer bounds.
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Keeps seen event ids in `store`: share one with the webhook and the
    /// app's other connections, so each event is handled once.
    pub fn with_seen_store(mut self, store: Arc<dyn SeenStore>) -> Self {
        self.seen = Some(store);
        self
    }

    /// How many deliveries may be out with the handlers at once (default
    /// 64): past that, the connection stops reading (the gateway holds the
    /// rest) while it keeps pinging and ACKing.
    pub fn with_max_in_flight(mut self, deliveries: usize) -> Self {
        self.max_in_flight = deliveries.max(1);
        self
    }

    /// How long [`LongConnection::shutdown`] waits for the handlers out
    /// (default 10 s) before it closes the socket.
    pub fn with_drain(mut self, drain: Duration) -> Self {
        self.drain = drain;
        self
    }

    /// Stops [`LongConnection::run`]: nothing more is read, the handlers out
    /// finish (their ACKs go out) within the drain time, the socket closes
    /// and `run` returns `Ok(())`. A `run` started later returns at once.
    pub fn shutdown(&self) {
        self.stop.send_replace(true);
    }

    /// What the connection did so far (across its reconnects).
    pub fn stats(&self) -> Stats {
        self.stats
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Connects and receives until [`LongConnection::shutdown`] (then
    /// `Ok(())`), a refusal retrying cannot mend, or `ReconnectCount`
    /// failed attempts. Each handler runs in a task of its own (a slow one
    /// holds up no other), and a handler that panics is a failure (ACKed
    /// 500, so Feishu redelivers).
    pub async fn run(&self) -> Result<(), SessionError> {
        let mut session = Session::new(self.client.config(), crate::os_seed())?
            .with_options(self.options.clone());
        if let Some(store) = &self.seen {
            session = session.seen_store(Arc::clone(store));
        }
        let (done_tx, done) = mpsc::unbounded_channel();
        let mut driver = Driver {
            connection: self,
            session,
            socket: None,
            backlog: VecDeque::new(),
            out: 0,
            stopping: false,
            done_tx,
            done,
            stop: self.stop.subscribe(),
        };
        let result = driver.drive().await;
        driver.publish();
        result
    }
}

impl std::fmt::Debug for LongConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LongConnection")
            .field(
                "app_id",
                &self.client.config().app().map(|app| app.app_id()),
            )
            .field("dispatcher", &self.dispatcher)
            .field("stopping", &*self.stop.borrow())
            .finish_non_exhaustive()
    }
}

/// One run: the session and what carries out its steps.
struct Driver<'a> {
    connection: &'a LongConnection,
    session: Session,
    socket: Option<Socket>,
    /// Deliveries held back while `max_in_flight` are out, oldest first.
    backlog: VecDeque<Received>,
    /// Deliveries with the handlers, not answered yet.
    out: usize,
    stopping: bool,
    done_tx: mpsc::UnboundedSender<Done>,
    done: mpsc::UnboundedReceiver<Done>,
    stop: watch::Receiver<bool>,
}

impl Driver<'_> {
    async fn drive(&mut self) -> Result<(), SessionError> {
        loop {
            let now = SystemTime::now();
            if !self.stopping && *self.stop.borrow_and_update() {
                self.stopping = true;
                self.session.shutdown(self.connection.drain, now);
            }
            while let Ok((id, outcome)) = self.done.try_recv() {
                self.out -= 1;
                self.session.on_handled(id, outcome, now);
            }
            self.spawn_handlers();
            let step = self.session.poll(now);
            // Writes are sent together, before anything else is done.
            let lost = !matches!(step, Step::Write(_)) && !self.flush(now).await;
            if lost && matches!(step, Step::Wait(_)) {
                // The wait was the lost connection's: ask again.
                continue;
            }
            match step {
                Step::Send(request) => self.bootstrap(request).await,
                Step::Connect(url) => self.connect(&url).await,
                Step::Write(bytes) => {
                    if let Some(socket) = &mut self.socket {
                        // A peer that stops reading must not stop the loop.
                        let timeout = self.connection.client.config().timeout();
                        let fed =
                            tokio::time::timeout(timeout, socket.feed(Message::binary(bytes)));
                        if !matches!(fed.await, Ok(Ok(()))) {
                            self.lost(now);
                        }
                    }
                }
                Step::Deliver(received) => {
                    #[cfg(feature = "tracing")]
                    trace_delivery(&received);
                    self.backlog.push_back(received);
                }
                Step::Close => {
                    if let Some(mut socket) = self.socket.take() {
                        let _ = tokio::time::timeout(CLOSE_TIMEOUT, socket.close(None)).await;
                    }
                }
                Step::Dropped(_dropped) => {
                    #[cfg(feature = "tracing")]
                    tracing::warn!(message_id = ?_dropped.message_id, reason = %_dropped.reason, "long connection: dropped");
                }
                Step::Wait(until) => self.wait(until, now).await,
                Step::Done(result) => {
                    #[cfg(feature = "tracing")]
                    match &result {
                        Ok(()) => tracing::info!("long connection: shut down"),
                        Err(error) => tracing::error!(%error, "long connection: ended"),
                    }
                    return result;
                }
            }
        }
    }

    /// Spawns the handlers of held-back deliveries while there is room.
    fn spawn_handlers(&mut self) {
        while self.out < self.connection.max_in_flight {
            let Some(received) = self.backlog.pop_front() else {
                return;
            };
            let handling = self.connection.dispatcher.dispatch(received.incoming);
            let done = self.done_tx.clone();
            tokio::spawn(async move {
                let outcome = AssertUnwindSafe(handling)
                    .catch_unwind()
                    .await
                    .unwrap_or_else(|_| Outcome::Failed("the handler panicked".into()));
                let _ = done.send((received.id, outcome));
            });
            self.out += 1;
        }
    }

    async fn bootstrap(&mut self, request: http::Request<Vec<u8>>) {
        #[cfg(feature = "tracing")]
        tracing::debug!(
            attempt = self.session.stats().bootstraps,
            "long connection: bootstrap"
        );
        match self.connection.client.transport().send(request).await {
            Ok(response) => self.session.on_response(response, SystemTime::now()),
            Err(error) => self
                .session
                .on_transport_error(error.kind(), SystemTime::now()),
        }
    }

    async fn connect(&mut self, url: &ConnectUrl) {
        let timeout = self.connection.client.config().timeout();
        let max_message = self.connection.options.max_message_bytes();
        let config = WebSocketConfig::default()
            .max_message_size(Some(max_message))
            .max_frame_size(Some(max_message));
        match tokio::time::timeout(timeout, upgrade(url, config)).await {
            Ok(Ok((socket, _))) => {
                #[cfg(feature = "tracing")]
                tracing::info!(
                    ?url,
                    device_id = url.device_id(),
                    reconnects = self.session.stats().connects,
                    "long connection: connected"
                );
                self.socket = Some(socket);
                self.session.on_connected(SystemTime::now());
            }
            Ok(Err(WsError::Http(response))) => {
                #[cfg(feature = "tracing")]
                tracing::warn!(
                    status = response.status().as_u16(),
                    "long connection: upgrade refused"
                );
                self.session.on_refused(&response, SystemTime::now());
            }
            Ok(Err(_error)) => {
                let kind = error_kind(&_error);
                #[cfg(feature = "tracing")]
                tracing::warn!(?kind, "long connection: upgrade failed");
                self.session.on_transport_error(kind, SystemTime::now());
            }
            Err(_elapsed) => {
                #[cfg(feature = "tracing")]
                tracing::warn!("long connection: upgrade timed out");
                self.session
                    .on_transport_error(Kind::Timeout, SystemTime::now());
            }
        }
        self.publish();
    }

    /// Sends the queued writes; a failure loses the connection (and is
    /// `false`).
    async fn flush(&mut self, now: SystemTime) -> bool {
        let Some(socket) = &mut self.socket else {
            return true;
        };
        let timeout = self.connection.client.config().timeout();
        let sent = matches!(
            tokio::time::timeout(timeout, socket.flush()).await,
            Ok(Ok(()))
        );
        if !sent {
            self.lost(now);
        }
        sent
    }

    fn lost(&mut self, now: SystemTime) {
        self.socket = None;
        self.session.on_closed(now);
        #[cfg(feature = "tracing")]
        tracing::warn!("long connection: lost; reconnecting");
        self.publish();
    }

    /// Until `until`, or the first of a frame, a handler's outcome or a
    /// shutdown.
    async fn wait(&mut self, until: SystemTime, now: SystemTime) {
        let left = until.duration_since(now).unwrap_or_default();
        // Held-back deliveries, or a drain, stop reading; the gateway holds
        // the rest.
        let reading = self.backlog.is_empty() && !self.stopping;
        let socket = self.socket.as_mut().filter(|_| reading);
        let read = async {
            match socket {
                Some(socket) => socket.next().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            Some((id, outcome)) = self.done.recv() => {
                self.out -= 1;
                self.session.on_handled(id, outcome, SystemTime::now());
            }
            message = read => match message {
                Some(Ok(Message::Binary(bytes))) => self.session.on_frame(&bytes, SystemTime::now()),
                // Pings are answered by tungstenite on the next flush.
                Some(Ok(Message::Close(_)) | Err(_)) | None => self.lost(SystemTime::now()),
                Some(Ok(_)) => {}
            },
            _ = self.stop.changed(), if !self.stopping => {}
            () = tokio::time::sleep(left) => {}
        }
        self.publish();
    }

    /// Shares the counters with [`LongConnection::stats`].
    fn publish(&self) {
        let stats = self.session.stats().clone();
        *self
            .connection
            .stats
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = stats;
    }
}

fn error_kind(error: &WsError) -> Kind {
    match error {
        WsError::Io(io) => Kind::from_source_chain(io).unwrap_or(Kind::Other),
        WsError::Tls(_) => Kind::Connect,
        _ => Kind::Other,
    }
}

/// Connects and upgrades; `wss://` with reqwest's TLS provider and the
/// platform's verifier (built once).
#[cfg(feature = "rustls")]
async fn upgrade(
    url: &ConnectUrl,
    config: WebSocketConfig,
) -> Result<
    (
        Socket,
        tokio_tungstenite::tungstenite::handshake::client::Response,
    ),
    WsError,
> {
    use rustls_platform_verifier::BuilderVerifierExt as _;
    use std::sync::OnceLock;
    static TLS: OnceLock<Option<Arc<rustls::ClientConfig>>> = OnceLock::new();
    let tls = TLS.get_or_init(|| {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .ok()?
            .with_platform_verifier()
            .ok()?
            .with_no_client_auth();
        Some(Arc::new(config))
    });
    let connector = tls.clone().map(tokio_tungstenite::Connector::Rustls);
    tokio_tungstenite::connect_async_tls_with_config(url.expose(), Some(config), true, connector)
        .await
}

/// Connects and upgrades; `ws://` only.
#[cfg(not(feature = "rustls"))]
async fn upgrade(
    url: &ConnectUrl,
    config: WebSocketConfig,
) -> Result<
    (
        Socket,
        tokio_tungstenite::tungstenite::handshake::client::Response,
    ),
    WsError,
> {
    tokio_tungstenite::connect_async_with_config(url.expose(), Some(config), true).await
}

#[cfg(feature = "tracing")]
fn trace_delivery(received: &Received) {
    use feishu_core::event::Incoming;
    match &received.incoming {
        Incoming::Event(event) => tracing::debug!(
            event_type = %event.event_type,
            event_id = ?event.event_id,
            "long connection: event"
        ),
        Incoming::CardAction(action) => {
            tracing::debug!(event_id = ?action.event_id, "long connection: card action")
        }
        _ => {}
    }
}
