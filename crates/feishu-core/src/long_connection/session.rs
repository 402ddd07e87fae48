//! The session state machine: bootstrap, upgrade, ping, receive, ACK,
//! reconnect. It is given the time and every input; it says what to do next.

mod inbox;
mod step;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::mem;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::HeaderValue;

use super::bootstrap::{ClientConfig, ConnectUrl, WsEndpointRequest};
use super::fragments::{Fragments, Limits};
use super::frame::Frame;
use super::{AttemptError, Dropped, Options, SessionError, Stats};
use crate::call::retry::SplitMix64;
use crate::call::token_store::later;
use crate::event::{MemorySeenStore, SeenStore};
use crate::{App, Config, Endpoint, TransportErrorKind, build};
use inbox::InFlight;
pub use step::{DeliveryId, Received, Step};

/// One long connection's life, from bootstrap to shutdown, across
/// reconnects. It opens no socket, reads no clock and runs no handler; see
/// the [module docs](super) for the driver loop.
pub struct Session {
    config: Config,
    app: App,
    options: Options,
    seen: Arc<dyn SeenStore>,
    random: SplitMix64,
    settings: ClientConfig,
    state: State,
    /// Whether the connection was lost (or the first attempt failed), so
    /// attempts count against `ReconnectCount`.
    reconnecting: bool,
    /// Failed reconnect attempts since.
    failures: u32,
    link: Option<Link>,
    generation: u64,
    close_pending: bool,
    writes: VecDeque<Vec<u8>>,
    dropped: VecDeque<Dropped>,
    deliveries: VecDeque<Received>,
    in_flight: HashMap<DeliveryId, InFlight>,
    by_event_id: HashMap<String, DeliveryId>,
    /// ACK deadlines in arrival order, one queue per budget, so each is
    /// sorted: (deadline, delivery, frame serial).
    event_deadlines: VecDeque<(SystemTime, DeliveryId, u64)>,
    card_deadlines: VecDeque<(SystemTime, DeliveryId, u64)>,
    next_delivery: u64,
    next_serial: u64,
    fragments: Fragments,
    /// Set by [`Session::shutdown`]: the end of the drain.
    draining: Option<SystemTime>,
    stats: Stats,
}

enum State {
    /// The next poll sends the bootstrap.
    Bootstrap,
    /// The bootstrap is out.
    AwaitingEndpoint,
    /// The next poll connects.
    Connect(ConnectUrl),
    /// The upgrade is under way.
    AwaitingUpgrade(ConnectUrl),
    /// Connected.
    Open,
    /// Waiting until then to try again.
    Backoff(SystemTime),
    /// Over; the next poll says so.
    Finished(Result<(), SessionError>),
    /// `Done` was returned.
    Spent,
}

/// The live connection.
struct Link {
    service: i32,
    next_ping: SystemTime,
    last_ping: Option<SystemTime>,
    last_received: SystemTime,
}

impl Session {
    /// A session for the app of `config` (a self-built app: the long
    /// connection serves no marketplace app), with its randomness (the
    /// reconnect jitter) drawn from `seed`.
    pub fn new(config: &Config, seed: u64) -> Result<Self, SessionError> {
        let app = config.app().ok_or(SessionError::NoApp)?.clone();
        let options = Options::default();
        Ok(Self {
            config: config.clone(),
            app,
            fragments: Fragments::new(limits(&options)),
            options,
            seen: Arc::new(MemorySeenStore::default()),
            random: SplitMix64::new(seed),
            settings: ClientConfig::default(),
            state: State::Bootstrap,
            reconnecting: false,
            failures: 0,
            link: None,
            generation: 0,
            close_pending: false,
            writes: VecDeque::new(),
            dropped: VecDeque::new(),
            deliveries: VecDeque::new(),
            in_flight: HashMap::new(),
            by_event_id: HashMap::new(),
            event_deadlines: VecDeque::new(),
            card_deadlines: VecDeque::new(),
            next_delivery: 0,
            next_serial: 0,
            draining: None,
            stats: Stats::default(),
        })
    }

    /// Sets the options (ACK budgets, bounds); before the first poll.
    pub fn with_options(mut self, options: Options) -> Self {
        self.fragments = Fragments::new(limits(&options));
        self.options = options;
        self
    }

    /// Keeps seen event ids in `store`: share one with the
    /// [`Webhook`](crate::event::Webhook) and the other connections of the
    /// app, so each event reaches the handlers once whichever way it comes.
    pub fn seen_store(mut self, store: Arc<dyn SeenStore>) -> Self {
        self.seen = store;
        self
    }

    /// The settings in force: from the bootstrap, then from each pong.
    pub fn client_config(&self) -> &ClientConfig {
        &self.settings
    }

    /// What the session has done so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The split messages buffered, and their bytes.
    pub fn fragments_buffered(&self) -> (usize, usize) {
        (
            self.fragments.buffered_messages(),
            self.fragments.buffered_bytes(),
        )
    }

    /// Whether the WebSocket is up.
    pub fn is_connected(&self) -> bool {
        self.link.is_some()
    }

    /// The next step at `now`. Call it after every input, and whenever a
    /// [`Step::Wait`] ends.
    pub fn poll(&mut self, now: SystemTime) -> Step {
        self.tick(now);
        if mem::take(&mut self.close_pending) {
            return Step::Close;
        }
        if let Some(bytes) = self.writes.pop_front() {
            return Step::Write(bytes);
        }
        if let Some(dropped) = self.dropped.pop_front() {
            return Step::Dropped(dropped);
        }
        if let Some(received) = self.deliveries.pop_front() {
            return Step::Deliver(received);
        }
        match mem::replace(&mut self.state, State::Spent) {
            State::Bootstrap => self.bootstrap(),
            State::Connect(url) => {
                self.state = State::AwaitingUpgrade(url.clone());
                Step::Connect(url)
            }
            State::Finished(result) => Step::Done(result),
            State::Spent => Step::Done(Err(SessionError::Over)),
            state => {
                self.state = state;
                Step::Wait(self.next_wake(now))
            }
        }
    }

    /// Feeds the answer to the bootstrap of the last [`Step::Send`].
    pub fn on_response(&mut self, response: http::Response<Vec<u8>>, now: SystemTime) {
        if !matches!(self.state, State::AwaitingEndpoint) {
            return;
        }
        // Any status but 200 is the gateway's trouble: try again.
        if response.status() != http::StatusCode::OK {
            let status = response.status().as_u16();
            return self.failed(AttemptError::Status(status), now);
        }
        let request = WsEndpointRequest::new(self.app.app_id(), self.app.app_secret().clone());
        match request.parse(response) {
            Ok(endpoint) if endpoint.url.is_websocket() => {
                self.settings = endpoint.client_config;
                self.state = State::Connect(endpoint.url);
            }
            Ok(_) => self.failed(AttemptError::Unexpected, now),
            Err(error) => match error.code() {
                Some(code) => {
                    let msg = match &error {
                        crate::ParseError::Api(api) => api.msg.clone(),
                        _ => String::new(),
                    };
                    self.failed(AttemptError::Code { code, msg }, now);
                }
                None => self.failed(AttemptError::Unexpected, now),
            },
        }
    }

    /// The request of the last [`Step::Send`] or the upgrade of the last
    /// [`Step::Connect`] failed without an HTTP response.
    pub fn on_transport_error(&mut self, kind: TransportErrorKind, now: SystemTime) {
        if matches!(
            self.state,
            State::AwaitingEndpoint | State::AwaitingUpgrade(_)
        ) {
            self.failed(AttemptError::Transport(kind), now);
        }
    }

    /// The upgrade of the last [`Step::Connect`] was refused with this HTTP
    /// response (its `Handshake-*` headers say why).
    pub fn on_refused<B>(&mut self, response: &http::Response<B>, now: SystemTime) {
        if !matches!(self.state, State::AwaitingUpgrade(_)) {
            return;
        }
        let headers = response.headers();
        let number = |name| {
            headers
                .get(name)
                .and_then(|value: &HeaderValue| value.to_str().ok())
                .and_then(|value| value.trim().parse::<i64>().ok())
        };
        let status = number("handshake-status").unwrap_or(i64::from(response.status().as_u16()));
        let message = headers
            .get("handshake-msg")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let auth_code = number("handshake-autherrcode");
        self.failed(
            AttemptError::Handshake {
                status,
                message,
                auth_code,
            },
            now,
        );
    }

    /// The upgrade of the last [`Step::Connect`] succeeded.
    pub fn on_connected(&mut self, now: SystemTime) {
        if !matches!(self.state, State::AwaitingUpgrade(_)) {
            return;
        }
        let State::AwaitingUpgrade(url) = mem::replace(&mut self.state, State::Open) else {
            return;
        };
        self.generation += 1;
        self.reconnecting = false;
        self.failures = 0;
        self.stats.connects += 1;
        self.link = Some(Link {
            service: url.service_id(),
            // A ping right away: it also fetches the current settings.
            next_ping: now,
            last_ping: None,
            last_received: now,
        });
    }

    /// The WebSocket closed, or reading or writing it failed.
    pub fn on_closed(&mut self, now: SystemTime) {
        if self.link.is_some() {
            self.disconnect(now);
        }
    }

    /// Stops: no reconnect, no new delivery; the deliveries out are waited
    /// for (their ACKs written) until `drain` has passed, then the socket is
    /// closed and the session is [`Step::Done`].
    pub fn shutdown(&mut self, drain: Duration, now: SystemTime) {
        if self.draining.is_none() {
            self.draining = Some(later(now, drain));
        }
    }

    fn bootstrap(&mut self) -> Step {
        let request = WsEndpointRequest::new(self.app.app_id(), self.app.app_secret().clone());
        match build(&self.config, &request, None) {
            Ok(mut http) => {
                http.headers_mut()
                    .insert("locale", HeaderValue::from_static("zh"));
                self.state = State::AwaitingEndpoint;
                self.stats.bootstraps += 1;
                Step::Send(http)
            }
            Err(error) => Step::Done(Err(SessionError::Request(Arc::new(error)))),
        }
    }

    /// An attempt failed: stop on a fatal error or a spent budget, else try
    /// again after the interval (or, first, the jitter).
    fn failed(&mut self, error: AttemptError, now: SystemTime) {
        if error.is_fatal() {
            self.state = State::Finished(Err(SessionError::Refused(error)));
            return;
        }
        self.stats.failed_attempts += 1;
        // The first attempt failing is like a connection lost: reconnecting
        // starts, after the jitter.
        if !self.reconnecting {
            return self.start_reconnecting(error, now);
        }
        self.failures += 1;
        let budget = self.settings.reconnect_count;
        if budget >= 0 && i64::from(self.failures) >= budget {
            self.state = State::Finished(Err(SessionError::GaveUp {
                attempts: self.failures,
                last: error,
            }));
            return;
        }
        self.state = State::Backoff(later(now, self.settings.reconnect_interval));
    }

    /// The first attempt after a loss waits a random part of the nonce, so
    /// a fleet dropped at once does not come back at once.
    fn start_reconnecting(&mut self, why: AttemptError, now: SystemTime) {
        self.reconnecting = true;
        self.failures = 0;
        if self.settings.reconnect_count == 0 {
            self.state = State::Finished(Err(SessionError::GaveUp {
                attempts: 0,
                last: why,
            }));
            return;
        }
        let jitter = self.jitter();
        self.state = State::Backoff(later(now, jitter));
    }

    /// The connection is gone: forget what was tied to it, keep what was
    /// delivered, and reconnect (or finish a shutdown).
    fn disconnect(&mut self, now: SystemTime) {
        self.link = None;
        self.writes.clear();
        self.fragments.clear();
        self.stats.disconnects += 1;
        // ACKs cannot cross to another connection; Feishu redelivers there,
        // and the redelivery joins its delivery if the handler is still out.
        for in_flight in self.in_flight.values_mut() {
            in_flight.acks.clear();
        }
        self.event_deadlines.clear();
        self.card_deadlines.clear();
        if self.draining.is_some() {
            self.state = State::Finished(Ok(()));
            return;
        }
        self.start_reconnecting(AttemptError::Closed, now);
    }

    /// A random part of the reconnect nonce.
    fn jitter(&mut self) -> Duration {
        // 53 random bits: a uniform fraction in [0, 1).
        let fraction = (self.random.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        self.settings.reconnect_nonce.mul_f64(fraction)
    }

    fn tick(&mut self, now: SystemTime) {
        if let State::Backoff(until) = self.state {
            if self.draining.is_some() {
                self.state = State::Finished(Ok(()));
            } else if now >= until {
                self.state = State::Bootstrap;
            }
        }
        if matches!(self.state, State::Bootstrap | State::Connect(_)) && self.draining.is_some() {
            self.state = State::Finished(Ok(()));
        }
        if self.silent_since().is_some_and(|dead_at| now >= dead_at) {
            // A half-open socket reads nothing and fails nothing: give it up.
            self.close_pending = true;
            return self.disconnect(now);
        }
        let Some(link) = &mut self.link else {
            return;
        };
        if now >= link.next_ping {
            link.last_ping = Some(now);
            link.next_ping = later(now, self.settings.ping_interval);
            self.writes.push_back(Frame::ping(link.service).encode());
            self.stats.pings += 1;
        }
        self.late_acks(now);
        let mut given_up = Vec::new();
        self.fragments.expire(now, &mut given_up);
        self.give_up(given_up);
        if let Some(deadline) = self.draining {
            let idle = self.deliveries.is_empty()
                && self
                    .in_flight
                    .values()
                    .all(|in_flight| in_flight.acks.is_empty());
            if (idle && self.writes.is_empty()) || now >= deadline {
                self.link = None;
                self.writes.clear();
                self.close_pending = true;
                self.state = State::Finished(Ok(()));
            }
        }
    }

    fn next_wake(&self, now: SystemTime) -> SystemTime {
        let mut wake: Vec<SystemTime> = Vec::with_capacity(6);
        if let State::Backoff(until) = self.state {
            wake.push(until);
        }
        if let Some(link) = &self.link {
            wake.push(link.next_ping);
        }
        wake.extend(self.silent_since());
        wake.extend(self.event_deadlines.front().map(|(at, _, _)| *at));
        wake.extend(self.card_deadlines.front().map(|(at, _, _)| *at));
        wake.extend(self.fragments.next_expiry());
        wake.extend(self.draining);
        // With nothing scheduled (a request or an upgrade is out), look again
        // within a ping interval all the same.
        wake.into_iter()
            .min()
            .unwrap_or_else(|| later(now, self.settings.ping_interval))
            .max(now)
    }

    /// When the connection counts as dead if nothing arrives before.
    fn silent_since(&self) -> Option<SystemTime> {
        let link = self.link.as_ref()?;
        let pings = self.options.dead_after_pings?;
        let silence = self.settings.ping_interval.saturating_mul(pings);
        Some(later(link.last_received, silence))
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("app_id", &self.app.app_id())
            .field("connected", &self.link.is_some())
            .field("settings", &self.settings)
            .field("in_flight", &self.in_flight.len())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

fn limits(options: &Options) -> Limits {
    Limits {
        ttl: options.fragment_ttl,
        max_bytes: options.max_fragment_bytes,
        max_messages: options.max_fragmented_messages,
    }
}
