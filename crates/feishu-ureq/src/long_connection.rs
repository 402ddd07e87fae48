//! The long connection (长连接): events and card actions over a WebSocket
//! the bot opens, so it needs no public webhook. [`Client::long_connection`]
//! gives a [`LongConnection`]; [`LongConnection::run`] keeps it up
//! (bootstrap, upgrade, pings, reconnects) and runs the handlers of a
//! [`Dispatcher`] on a bounded pool of threads, until
//! [`LongConnection::shutdown`] or a fatal refusal.
//!
//! Everything is decided by `feishu-core`'s
//! [`Session`]; this module moves its
//! bytes over tungstenite, runs the handlers and sleeps. The same
//! [`Dispatcher`] serves a webhook ([`Webhook::serve`](feishu_core::event::Webhook::serve)).
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use feishu_ureq::{App, Client, Config};
//! use feishu_ureq::feishu_core::event::{Dispatcher, types::MESSAGE_RECEIVED};
//! # let mock = feishu_mock::MockServer::start();
//! # let (base_url, app_id, app_secret) = (mock.url(), feishu_mock::SELF_BUILT_APP_ID, feishu_mock::SELF_BUILT_APP_SECRET);
//!
//! let client = Client::new(Config::new(base_url)?.with_app(App::self_built(app_id, app_secret)));
//! let dispatcher = Dispatcher::new().on(MESSAGE_RECEIVED, |_, received| {
//!     println!("{:?}", received.message.resolved_content());
//!     Ok(())
//! });
//! let connection = Arc::new(client.long_connection(dispatcher));
//! let running = std::thread::spawn({
//!     let connection = Arc::clone(&connection);
//!     move || connection.run()
//! });
//! # mock.push_event(mock.message_event("oc_mock_general", "ou_mock_user", "hi", ""));
//! # while mock.unacked_events() > 0 { std::thread::sleep(Duration::from_millis(10)); }
//! // … until the bot should stop: in-flight handlers finish, their ACKs go out.
//! connection.shutdown();
//! running.join().expect("the connection's thread")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod pool;
mod socket;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use feishu_core::driver::Transport as _;
use feishu_core::event::{Dispatcher, SeenStore};
use feishu_core::long_connection::{Options, Received, Session, SessionError, Stats, Step};

use crate::Client;
use pool::Pool;
use socket::{ConnectError, Read, Socket};

/// How long a read waits while handlers are out, so their outcomes are
/// ACKed soon: the loop reads the socket and the handlers' answers in turn.
const BUSY_READ: Duration = Duration::from_millis(2);
/// How long a read waits at most otherwise, so a shutdown is seen soon.
const IDLE_READ: Duration = Duration::from_millis(100);

impl Client {
    /// A long connection of this client's app, with the handlers of
    /// `dispatcher` (or an `Arc` of one, to share it with a webhook); see
    /// [`LongConnection::run`]. The bootstrap goes through this client's
    /// transport.
    pub fn long_connection(&self, dispatcher: impl Into<Arc<Dispatcher>>) -> LongConnection {
        LongConnection {
            client: self.clone(),
            dispatcher: dispatcher.into(),
            options: Options::default(),
            seen: None,
            threads: 4,
            max_in_flight: 64,
            drain: Duration::from_secs(10),
            stop: AtomicBool::new(false),
            stats: Mutex::default(),
        }
    }
}

/// A long connection: [`LongConnection::run`] it on a thread of its own;
/// [`LongConnection::shutdown`] it from any other.
pub struct LongConnection {
    client: Client,
    dispatcher: Arc<Dispatcher>,
    options: Options,
    seen: Option<Arc<dyn SeenStore>>,
    threads: usize,
    max_in_flight: usize,
    drain: Duration,
    stop: AtomicBool,
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

    /// How many threads run handlers (default 4, at most
    /// [`LongConnection::with_max_in_flight`]).
    pub fn with_handler_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Stops [`LongConnection::run`]: nothing more is read, the handlers out
    /// finish (their ACKs go out) within the drain time, the socket closes
    /// and `run` returns `Ok(())`. A `run` started later returns at once.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::Release);
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
    /// failed attempts. Blocks; handlers run on their own threads (a slow
    /// one holds up no other), and a handler that panics is a failure
    /// (ACKed 500, so Feishu redelivers).
    pub fn run(&self) -> Result<(), SessionError> {
        let mut session = Session::new(self.client.config(), crate::os_seed())?
            .with_options(self.options.clone());
        if let Some(store) = &self.seen {
            session = session.seen_store(Arc::clone(store));
        }
        // Threads and queue together hold at most `max_in_flight`.
        let threads = self.threads.min(self.max_in_flight);
        let queue = self.max_in_flight - threads;
        let pool = Pool::start(Arc::clone(&self.dispatcher), threads, queue);
        let mut driver = Driver {
            connection: self,
            session,
            pool,
            socket: None,
            backlog: VecDeque::new(),
            out: 0,
            stopping: false,
        };
        let result = driver.drive();
        *self.stats.lock().unwrap_or_else(PoisonError::into_inner) = driver.session.stats().clone();
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
            .field("stopping", &self.stop.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// One run: the session and what carries out its steps.
struct Driver<'a> {
    connection: &'a LongConnection,
    session: Session,
    pool: Pool,
    socket: Option<Socket>,
    /// Deliveries the pool had no room for yet, oldest first.
    backlog: VecDeque<Received>,
    /// Deliveries with the pool, not answered yet.
    out: usize,
    stopping: bool,
}

impl Driver<'_> {
    fn drive(&mut self) -> Result<(), SessionError> {
        loop {
            let now = SystemTime::now();
            if !self.stopping && self.connection.stop.load(Ordering::Acquire) {
                self.stopping = true;
                self.session.shutdown(self.connection.drain, now);
            }
            while let Some((id, outcome)) = self.pool.try_done() {
                self.out -= 1;
                self.session.on_handled(id, outcome, now);
            }
            self.submit();
            let step = self.session.poll(now);
            // Writes are sent together, before anything else is done.
            let lost = !matches!(step, Step::Write(_)) && !self.flush(now);
            if lost && matches!(step, Step::Wait(_)) {
                // The wait was the lost connection's: ask again.
                continue;
            }
            match step {
                Step::Send(request) => self.bootstrap(request),
                Step::Connect(url) => self.connect(&url),
                Step::Write(bytes) => {
                    if let Some(socket) = &mut self.socket
                        && socket.write(bytes).is_err()
                    {
                        self.lost(now);
                    }
                }
                Step::Deliver(received) => {
                    #[cfg(feature = "tracing")]
                    trace_delivery(&received);
                    self.backlog.push_back(received);
                }
                Step::Close => {
                    if let Some(socket) = self.socket.take() {
                        socket.close();
                    }
                }
                Step::Dropped(_dropped) => {
                    #[cfg(feature = "tracing")]
                    tracing::warn!(message_id = ?_dropped.message_id, reason = %_dropped.reason, "long connection: dropped");
                }
                Step::Wait(until) => self.wait(until, now),
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

    /// Moves deliveries from the backlog to the pool while it has room.
    fn submit(&mut self) {
        while let Some(received) = self.backlog.pop_front() {
            match self.pool.submit(received) {
                Ok(()) => self.out += 1,
                Err(received) => {
                    self.backlog.push_front(received);
                    return;
                }
            }
        }
    }

    fn bootstrap(&mut self, request: http::Request<Vec<u8>>) {
        #[cfg(feature = "tracing")]
        tracing::debug!(
            attempt = self.session.stats().bootstraps,
            "long connection: bootstrap"
        );
        match self.connection.client.transport().send(request) {
            Ok(response) => self.session.on_response(response, SystemTime::now()),
            Err(error) => self
                .session
                .on_transport_error(error.kind(), SystemTime::now()),
        }
    }

    fn connect(&mut self, url: &feishu_core::long_connection::ConnectUrl) {
        let timeout = self.connection.client.config().timeout();
        let max_message = self.connection.options.max_message_bytes();
        match Socket::connect(url, timeout, max_message) {
            Ok(socket) => {
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
            Err(ConnectError::Refused(response)) => {
                #[cfg(feature = "tracing")]
                tracing::warn!(
                    status = response.status().as_u16(),
                    "long connection: upgrade refused"
                );
                self.session.on_refused(&*response, SystemTime::now());
            }
            Err(ConnectError::Failed(kind)) => {
                #[cfg(feature = "tracing")]
                tracing::warn!(?kind, "long connection: upgrade failed");
                self.session.on_transport_error(kind, SystemTime::now());
            }
        }
        self.publish();
    }

    /// Sends the queued writes; a failure loses the connection (and is
    /// `false`).
    fn flush(&mut self, now: SystemTime) -> bool {
        let Some(socket) = &mut self.socket else {
            return true;
        };
        let sent = socket.flush().is_ok();
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

    /// Until `until`, reads the socket (or, when it must not be read,
    /// waits for a handler's outcome), in short turns while handlers are out.
    fn wait(&mut self, until: SystemTime, now: SystemTime) {
        let left = until.duration_since(now).unwrap_or_default();
        let busy = self.out > 0 || !self.backlog.is_empty();
        let turn = left.min(if busy { BUSY_READ } else { IDLE_READ });
        // A full pool, or a drain, stops reading; the gateway holds the rest.
        let reading = self.backlog.is_empty() && !self.stopping;
        match &mut self.socket {
            Some(socket) if reading => match socket.read(turn) {
                Read::Binary(bytes) => self.session.on_frame(&bytes, SystemTime::now()),
                Read::Nothing => {}
                Read::Closed => self.lost(SystemTime::now()),
            },
            _ => {
                if let Some((id, outcome)) = self.pool.done_within(turn) {
                    self.out -= 1;
                    self.session.on_handled(id, outcome, SystemTime::now());
                }
            }
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
