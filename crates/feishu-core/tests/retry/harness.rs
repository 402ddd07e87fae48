//! The simulated clock, the canned answers and [`Run`], which steps one call
//! by hand: each test reads as a script of (answer → expected next step).

use std::fmt::Debug;
use std::time::{Duration, SystemTime};

use feishu_core::http::{self, Method};
use feishu_core::im::content::MessageContent;
use feishu_core::im::message::{ReceiveIdType, SendMessage};
use feishu_core::{
    App, Call, Client, Config, Endpoint, Error, Failure, RawEndpoint, RetryPolicy, Secret, Step,
    Timeout, TransportError, TransportErrorKind,
};
use serde_json::{Value, json};

/// The tenant token the tests send or hand out.
pub const TOKEN: &str = "t-x";
/// The token a repaired call fetches.
pub const TOKEN_2: &str = "t-y";

pub const TENANT_TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";
pub const CHATS: &str = "/open-apis/im/v1/chats";
pub const MESSAGES: &str = "/open-apis/im/v1/messages";
pub const CHAT_ID: &str = "oc_a0553eda9014c201e6969b478895c230";

/// The default policy's first backoff cap.
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(250);

// ---------------------------------------------------------------- the clock

/// The simulated clock's origin.
pub fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

pub fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ------------------------------------------------------ clients, endpoints

/// The self-built sample app's configuration, default retry policy.
pub fn config() -> Config {
    Config::feishu().with_app(App::self_built("cli_x", "secret"))
}

/// A client with this retry policy.
pub fn client(policy: RetryPolicy) -> Client {
    Client::new(config().with_retry_policy(policy), 0x5eed)
}

/// The default policy, changed by `edit`.
pub fn policy(edit: impl FnOnce(&mut RetryPolicy)) -> RetryPolicy {
    let mut policy = RetryPolicy::default();
    edit(&mut policy);
    policy
}

/// `GET /open-apis/im/v1/chats`: idempotent.
pub fn get() -> RawEndpoint {
    RawEndpoint::get(CHATS)
}

/// A raw `POST /open-apis/im/v1/messages`: not idempotent, takes no uuid.
pub fn post() -> RawEndpoint {
    RawEndpoint::post(
        MESSAGES,
        json!({"receive_id": CHAT_ID, "msg_type": "text", "content": "{\"text\":\"hi\"}"}),
    )
    .query("receive_id_type", "chat_id")
}

/// The typed send: a POST that the call gives a uuid when seeded.
pub fn send_message() -> SendMessage {
    SendMessage::to(ReceiveIdType::ChatId, CHAT_ID, MessageContent::text("hi"))
}

// ------------------------------------------------------------------ answers

/// What the server (or the transport) does with one request. Kept as a
/// description, so one answer can be given many times.
#[derive(Clone, Debug)]
pub enum Answer {
    Http {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    Fail(TransportErrorKind),
}

impl Answer {
    /// Adds a response header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        if let Self::Http { headers, .. } = &mut self {
            headers.push((name, value.into()));
        }
        self
    }

    /// Adds `x-ogw-ratelimit-reset: <secs>`.
    pub fn reset(self, secs: u64) -> Self {
        self.header("x-ogw-ratelimit-reset", secs.to_string())
    }

    fn response(&self) -> Option<http::Response<Vec<u8>>> {
        let Self::Http {
            status,
            headers,
            body,
        } = self
        else {
            return None;
        };
        let mut builder = http::Response::builder().status(*status);
        for (name, value) in headers {
            builder = builder.header(*name, value);
        }
        Some(builder.body(body.clone()).expect("a valid response"))
    }
}

/// A JSON body under `status`.
pub fn json(status: u16, body: Value) -> Answer {
    Answer::Http {
        status,
        headers: vec![("content-type", "application/json; charset=utf-8".to_owned())],
        body: body.to_string().into_bytes(),
    }
}

/// `{"code":code,"msg":…}` under `status`.
pub fn code(status: u16, code: i64) -> Answer {
    json(status, json!({"code": code, "msg": "scripted failure"}))
}

/// §4's rate-limit answer: 429, 99991400 and `x-ogw-ratelimit-reset`.
pub fn rate_limited(reset: u64) -> Answer {
    json(
        429,
        json!({"code": 99991400, "msg": "request trigger frequency limit"}),
    )
    .header("x-ogw-ratelimit-limit", "100")
    .reset(reset)
}

/// A gateway's HTML error page.
pub fn html(status: u16) -> Answer {
    Answer::Http {
        status,
        headers: vec![("content-type", "text/html".to_owned())],
        body: format!("<html><body><h1>{status} Error</h1><hr>nginx</body></html>").into_bytes(),
    }
}

/// No body at all.
pub fn empty(status: u16) -> Answer {
    Answer::Http {
        status,
        headers: Vec::new(),
        body: Vec::new(),
    }
}

/// A plain-text body (a wrong path's 404).
pub fn text(status: u16, body: &str) -> Answer {
    Answer::Http {
        status,
        headers: vec![("content-type", "text/plain".to_owned())],
        body: body.as_bytes().to_vec(),
    }
}

/// Success, with a `data` both a raw endpoint and `SendMessage` can read.
pub fn ok() -> Answer {
    json(
        200,
        json!({"code": 0, "msg": "success", "data": {
            "message_id": "om_dc13264520392913993dd051dba21dcf",
            "msg_type": "text",
            "chat_id": CHAT_ID,
            "create_time": "1700000000000",
        }}),
    )
}

/// The self-built tenant token answer (§2.4).
pub fn tenant_token(token: &str) -> Answer {
    json(
        200,
        json!({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": 7200}),
    )
}

/// The transport failed with this kind.
pub fn fail(kind: TransportErrorKind) -> Answer {
    Answer::Fail(kind)
}

// ------------------------------------------------------------ requests sent

/// A request the call sent, taken apart for assertions.
#[derive(Clone, Debug)]
pub struct Sent {
    pub method: Method,
    pub uri: String,
    pub authorization: Option<String>,
    pub body: Vec<u8>,
    pub timeout: Option<Duration>,
}

impl Sent {
    fn new(request: &http::Request<Vec<u8>>) -> Self {
        Self {
            method: request.method().clone(),
            uri: request.uri().to_string(),
            authorization: request
                .headers()
                .get("authorization")
                .map(|value| value.to_str().expect("a text header").to_owned()),
            body: request.body().clone(),
            timeout: request.extensions().get::<Timeout>().map(|t| t.0),
        }
    }

    pub fn path(&self) -> &str {
        let path = self.uri.trim_start_matches("https://open.feishu.cn");
        path.split('?').next().unwrap_or(path)
    }

    pub fn bearer(&self) -> Option<&str> {
        self.authorization.as_deref()?.strip_prefix("Bearer ")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON request body")
    }

    /// The body's `uuid`, if it has one.
    pub fn uuid(&self) -> Option<String> {
        self.json()
            .get("uuid")
            .map(|uuid| uuid.as_str().expect("the uuid is a JSON string").to_owned())
    }

    /// The same request on the wire: method, URI, token and body bytes (the
    /// timeout shrinks with the deadline, so it is not compared).
    pub fn same_request(&self, other: &Sent) -> bool {
        (&self.method, &self.uri, &self.authorization, &self.body)
            == (&other.method, &other.uri, &other.authorization, &other.body)
    }
}

// --------------------------------------------------------------------- Run

/// One call, stepped by hand on the simulated clock.
pub struct Run<'c, E: Endpoint> {
    pub call: Call<'c, E>,
    pub now: SystemTime,
    /// Every request the call sent, in order.
    pub sent: Vec<Sent>,
    /// Every wait `wait` (or `answer_until_done`) went through, in order.
    pub waits: Vec<Duration>,
}

impl<'c, E: Endpoint> Run<'c, E>
where
    E::Output: Debug,
{
    /// Starts at `t0`.
    pub fn new(call: Call<'c, E>) -> Self {
        Self::at(call, t0())
    }

    pub fn at(call: Call<'c, E>, now: SystemTime) -> Self {
        Self {
            call,
            now,
            sent: Vec::new(),
            waits: Vec::new(),
        }
    }

    /// Polls once, as is.
    pub fn poll(&mut self) -> Step<E::Output> {
        let step = self.call.poll(self.now);
        if let Step::Send(request) = &step {
            self.sent.push(Sent::new(request));
        }
        step
    }

    /// Polls once: the call must send now.
    #[track_caller]
    pub fn send(&mut self) -> Sent {
        match self.poll() {
            Step::Send(request) => Sent::new(&request),
            other => panic!("expected a Send at {:?}, got {other:?}", self.since_t0()),
        }
    }

    /// Polls once: the call must wait. Moves the clock to the end of the wait
    /// and returns its length.
    #[track_caller]
    pub fn wait(&mut self) -> Duration {
        match self.poll() {
            Step::Wait(until) => self.wait_until(until),
            other => panic!("expected a Wait at {:?}, got {other:?}", self.since_t0()),
        }
    }

    #[track_caller]
    fn wait_until(&mut self, until: SystemTime) -> Duration {
        let wait = until
            .duration_since(self.now)
            .expect("a Wait ends no earlier than now");
        self.now = until;
        self.waits.push(wait);
        wait
    }

    /// Polls once: the call must be over.
    #[track_caller]
    pub fn done(&mut self) -> Result<E::Output, Error> {
        match self.poll() {
            Step::Done(result) => result,
            other => panic!("expected Done at {:?}, got {other:?}", self.since_t0()),
        }
    }

    /// Feeds the answer to the request out.
    pub fn answer(&mut self, answer: &Answer) {
        match answer.response() {
            Some(response) => self.call.on_response(response, self.now),
            None => {
                let Answer::Fail(kind) = answer else {
                    unreachable!("an answer is a response or a failure")
                };
                let error = TransportError::new(*kind, "boom");
                self.call.on_transport_error(error, self.now);
            }
        }
    }

    pub fn advance(&mut self, by: Duration) {
        self.now += by;
    }

    pub fn since_t0(&self) -> Duration {
        self.now.duration_since(t0()).unwrap_or_default()
    }

    /// The first request must be the tenant-token request: answer it with
    /// `token`.
    #[track_caller]
    pub fn token(&mut self, token: &str) {
        let request = self.send();
        assert_eq!(request.path(), TENANT_TOKEN_PATH);
        self.answer(&tenant_token(token));
    }

    /// Answers the request out, then reports what the call does: `Ok(wait)`
    /// when it sends the very same request again after `wait` (zero when it
    /// sends at once), or `Err(error)` when it ends with an error.
    #[track_caller]
    pub fn retry_or_error(&mut self, answer: &Answer) -> Result<Duration, Error> {
        let previous = self.sent.last().cloned().expect("a request is out");
        self.answer(answer);
        let wait = match self.poll() {
            Step::Wait(until) => self.wait_until(until),
            Step::Send(_) => {
                self.waits.push(Duration::ZERO);
                let again = self.sent.last().expect("just sent");
                assert!(again.same_request(&previous), "{again:?} != {previous:?}");
                return Ok(Duration::ZERO);
            }
            Step::Store(op) => panic!("no shared store here, yet asked for {op:?}"),
            Step::Done(Err(error)) => return Err(error),
            Step::Done(Ok(output)) => panic!("{answer:?} ended the call with success: {output:?}"),
        };
        let again = self.send();
        assert!(
            again.same_request(&previous),
            "the retry differs: {again:?} != {previous:?}"
        );
        Ok(wait)
    }

    /// Answers every request with `answer` until the call gives up; returns
    /// its error. Every retry must be the same request.
    #[track_caller]
    pub fn answer_until_done(&mut self, answer: &Answer) -> Error {
        for _ in 0..1000 {
            if let Err(error) = self.retry_or_error(answer) {
                return error;
            }
        }
        panic!("the call never gave up");
    }
}

/// A call of `endpoint` with a given token (so no token request) and seed 42:
/// its first request is answered with `answer`. Returns the wait before the
/// identical retry, or the error the call ended with at once.
#[track_caller]
pub fn first_answer<E: Endpoint>(
    client: &Client,
    endpoint: &E,
    answer: &Answer,
) -> Result<Duration, Error>
where
    E::Output: Debug,
{
    first_answer_seeded(client, endpoint, 42, answer)
}

#[track_caller]
pub fn first_answer_seeded<E: Endpoint>(
    client: &Client,
    endpoint: &E,
    seed: u64,
    answer: &Answer,
) -> Result<Duration, Error>
where
    E::Output: Debug,
{
    let call = client
        .call(endpoint)
        .with_token(Secret::new(TOKEN))
        .seed(seed);
    let mut run = Run::new(call);
    run.send();
    run.retry_or_error(answer)
}

/// How the policy classified `answer` on `endpoint`: the first failure of a
/// call (two attempts at most) answered with it twice.
#[track_caller]
pub fn failure_of<E: Endpoint>(endpoint: &E, answer: &Answer) -> Failure
where
    E::Output: Debug,
{
    let client = client(policy(|p| p.max_attempts = 2));
    let call = client
        .call(endpoint)
        .with_token(Secret::new(TOKEN))
        .seed(42);
    let mut run = Run::new(call);
    run.send();
    match run.answer_until_done(answer) {
        Error::Exhausted(exhausted) => {
            assert_eq!(exhausted.failures.len(), 2, "{exhausted}");
            exhausted.failures[0].clone()
        }
        other => panic!("{answer:?} was not retried: {other:?}"),
    }
}

/// The HTTP status an error carries, if any.
pub fn status_of(error: &Error) -> Option<u16> {
    match error {
        Error::Api(error) => Some(error.status.as_u16()),
        Error::UnexpectedResponse(error) => Some(error.status.as_u16()),
        Error::Exhausted(exhausted) => status_of(&exhausted.last),
        _ => None,
    }
}

/// The transport error kind an error carries, if any.
pub fn kind_of(error: &Error) -> Option<TransportErrorKind> {
    match error {
        Error::Transport(error) => Some(error.kind()),
        Error::Exhausted(exhausted) => kind_of(&exhausted.last),
        _ => None,
    }
}

/// Asserts `error` is what `answer` stands for, as the call's raw error (not
/// wrapped in `Exhausted`): same status and code, or same transport kind.
#[track_caller]
pub fn assert_raw_error(error: &Error, answer: &Answer) {
    assert!(
        !matches!(error, Error::Exhausted(_)),
        "expected the raw error, got {error}"
    );
    match answer {
        Answer::Http { status, body, .. } => {
            assert_eq!(status_of(error), Some(*status), "{error:?}");
            let code = serde_json::from_slice::<Value>(body)
                .ok()
                .and_then(|body| body.get("code")?.as_i64());
            assert_eq!(error.code(), code, "{error:?}");
        }
        Answer::Fail(kind) => assert_eq!(kind_of(error), Some(*kind), "{error:?}"),
    }
}
