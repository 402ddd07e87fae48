//! The scripted server, the driving loop and the samples every test uses.
//!
//! A server is anything that answers a [`Seen`] request with a [`Reply`]: a
//! closure routing by path, or a [`Script`] that expects an exact sequence of
//! requests and fails the test on any other. [`drive`] runs a call to the end
//! against one on the simulated clock; the single-flight tests step calls by hand with
//! [`expect_send`], [`expect_wait`], [`expect_done`] and [`feed`].

use std::collections::VecDeque;
use std::fmt::Debug;
use std::thread;
use std::time::{Duration, SystemTime};

use feishu_core::http::{self, Method};
use feishu_core::{
    App, Call, Client, Config, Endpoint, Error, RawEndpoint, RetryPolicy, Step, Timeout, TokenKind,
    TransportError, TransportErrorKind,
};
use serde_json::{Value, json};

// Credentials and tokens: the placeholders of feishu-protocol.md §2.
pub const APP_ID: &str = "cli_slkdjalasdkjasd";
pub const APP_SECRET: &str = "dskLLdkasdjlasdKK";
pub const TENANT_TOKEN: &str = "t-caecc734c2e3328a62489fe0648c4b98779515d3";
pub const TENANT_TOKEN_2: &str = "t-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef";
pub const APP_TOKEN: &str = "a-6U1SbDiM6XIH2DcTCPyeub";
pub const APP_TOKEN_2: &str = "a-32bd8551db2f081cbfd26293f27516390b9feb04";
pub const APP_TICKET: &str = "dskLLdkasd";
pub const TENANT_KEY: &str = "73658811060f175d";
pub const OTHER_TENANT_KEY: &str = "2ed263bf32cf1651";
pub const USER_ACCESS: &str = "eyJhbGciOiJFUzI1NiIs.access-1";
pub const USER_ACCESS_2: &str = "eyJhbGciOiJFUzI1NiIs.access-2";
pub const USER_ACCESS_3: &str = "eyJhbGciOiJFUzI1NiIs.access-3";
pub const USER_REFRESH: &str = "eyJhbGciOiJFUzI1NiIs.refresh-1";
pub const USER_REFRESH_2: &str = "eyJhbGciOiJFUzI1NiIs.refresh-2";
pub const USER_REFRESH_3: &str = "eyJhbGciOiJFUzI1NiIs.refresh-3";

// Paths.
pub const TENANT_TOKEN_INTERNAL: &str = "/open-apis/auth/v3/tenant_access_token/internal";
pub const APP_TOKEN_INTERNAL: &str = "/open-apis/auth/v3/app_access_token/internal";
pub const APP_TOKEN_STORE: &str = "/open-apis/auth/v3/app_access_token";
pub const TENANT_TOKEN_STORE: &str = "/open-apis/auth/v3/tenant_access_token";
pub const TICKET_RESEND: &str = "/open-apis/auth/v3/app_ticket/resend";
pub const OAUTH_TOKEN: &str = "/oauth/v3/token";
pub const CHATS: &str = "/open-apis/im/v1/chats";
pub const APP_INFO: &str = "/open-apis/application/v6/applications/cli_slkdjalasdkjasd";
pub const USER_INFO: &str = "/open-apis/authen/v1/user_info";

/// The most requests (or waits) a call may make before [`drive`] calls it a
/// livelock.
const MAX_STEPS: usize = 16;

// ---------------------------------------------------------------- the clock

/// The simulated clock's origin.
pub fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// `t0` plus `secs` seconds.
pub fn after(secs: u64) -> SystemTime {
    t0() + Duration::from_secs(secs)
}

// ------------------------------------------------------- clients, endpoints

/// A Feishu client for the self-built sample app.
pub fn self_built() -> Client {
    Client::new(self_built_config(), 0x5eed)
}

/// The same, with retries off: every failure ends the call.
pub fn self_built_never_retrying() -> Client {
    Client::new(
        self_built_config().with_retry_policy(RetryPolicy::never()),
        0x5eed,
    )
}

pub fn self_built_config() -> Config {
    Config::feishu().with_app(App::self_built(APP_ID, APP_SECRET))
}

/// A Feishu client for the sample app as a marketplace app.
pub fn marketplace() -> Client {
    Client::new(
        Config::feishu().with_app(App::marketplace(APP_ID, APP_SECRET)),
        0x5eed,
    )
}

/// `GET /open-apis/im/v1/chats`: a tenant-token endpoint.
pub fn chats() -> RawEndpoint {
    RawEndpoint::get(CHATS)
}

/// `GET /open-apis/application/v6/applications/:app_id`: an app-token endpoint.
pub fn app_info() -> RawEndpoint {
    RawEndpoint::get(APP_INFO).token(TokenKind::App)
}

/// `GET /open-apis/authen/v1/user_info`: a user-token endpoint.
pub fn user_info() -> RawEndpoint {
    RawEndpoint::get(USER_INFO).token(TokenKind::User)
}

/// The `data` the chats endpoint answers with.
pub fn chat_list() -> Value {
    json!({"items": [{"chat_id": "oc_a0553eda9014c201e6969b478895c230", "name": "ops"}], "has_more": false})
}

// ------------------------------------------------------- requests, as seen

/// A request the call sent, taken apart for assertions.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    /// The JSON body, or `Null` when there is none.
    pub body: Value,
    pub timeout: Option<Duration>,
    /// The `Debug` form of the `Step::Send` that carried it.
    pub debug: String,
}

impl Seen {
    fn new(request: http::Request<Vec<u8>>, debug: String) -> Self {
        let header = |name| {
            request
                .headers()
                .get(name)
                .map(|value| value.to_str().expect("a text header").to_owned())
        };
        let body = if request.body().is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(request.body()).expect("a JSON request body")
        };
        Self {
            method: request.method().clone(),
            path: request.uri().path().to_owned(),
            authorization: header("authorization"),
            content_type: header("content-type"),
            body,
            timeout: request.extensions().get::<Timeout>().map(|t| t.0),
            debug,
        }
    }

    /// The token of `Authorization: Bearer <token>`.
    pub fn bearer(&self) -> Option<&str> {
        self.authorization.as_deref()?.strip_prefix("Bearer ")
    }
}

/// The paths of the requests, in order.
pub fn paths(seen: &[Seen]) -> Vec<&str> {
    seen.iter().map(|s| s.path.as_str()).collect()
}

/// The bearer tokens of the requests to `path`, in order.
pub fn bearers<'a>(seen: &'a [Seen], path: &str) -> Vec<&'a str> {
    seen.iter()
        .filter(|s| s.path == path)
        .map(|s| s.bearer().expect("a bearer token"))
        .collect()
}

/// How many requests went to `path`.
pub fn count(seen: &[Seen], path: &str) -> usize {
    seen.iter().filter(|s| s.path == path).count()
}

// ------------------------------------------------------------------ replies

/// What the server does with a request.
pub enum Reply {
    Response(http::Response<Vec<u8>>),
    Transport(TransportError),
}

/// A JSON answer, with a log id as Feishu sends one.
pub fn json_reply(status: u16, body: Value) -> Reply {
    Reply::Response(json_response(status, body))
}

pub fn json_response(status: u16, body: Value) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .header("x-tt-logid", "202407260711088FB107A76E0100002087")
        .body(body.to_string().into_bytes())
        .expect("a valid response")
}

/// `{"code":0,"msg":"success","data":…}`.
pub fn data(data: Value) -> Reply {
    json_reply(200, json!({"code": 0, "msg": "success", "data": data}))
}

/// `{"code":…,"msg":…}` under `status`.
pub fn failure(status: u16, code: i64, msg: &str) -> Reply {
    json_reply(status, json!({"code": code, "msg": msg}))
}

/// 99991663 under HTTP 400, as §3.3 describes it.
pub fn tenant_token_invalid() -> Reply {
    failure(
        400,
        99991663,
        "Invalid access token for authorization. Please make a request with token attached",
    )
}

/// The self-built tenant token answer (§2.4).
pub fn tenant_token(token: &str, expire: u64) -> Reply {
    json_reply(
        200,
        json!({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire}),
    )
}

/// The self-built app token answer, which carries both tokens (§2.4).
pub fn app_token_internal(app_token: &str, tenant_token: &str, expire: u64) -> Reply {
    json_reply(
        200,
        json!({"app_access_token": app_token, "code": 0, "expire": expire, "msg": "ok", "tenant_access_token": tenant_token}),
    )
}

/// The marketplace app token answer (§2.4).
pub fn app_token(token: &str, expire: u64) -> Reply {
    json_reply(
        200,
        json!({"code": 0, "msg": "success", "app_access_token": token, "expire": expire}),
    )
}

/// The marketplace tenant token answer (§2.4).
pub fn store_tenant_token(token: &str, expire: u64) -> Reply {
    json_reply(
        200,
        json!({"code": 0, "msg": "success", "tenant_access_token": token, "expire": expire}),
    )
}

/// The `app_ticket/resend` answer (§2.5).
pub fn ticket_resent() -> Reply {
    json_reply(200, json!({"code": 0, "msg": "success"}))
}

/// The flat OAuth v2 token answer (§2.6).
pub fn user_tokens(access: &str, refresh: &str, expires_in: u64) -> Reply {
    json_reply(200, user_token_body(access, Some(refresh), expires_in))
}

pub fn user_token_body(access: &str, refresh: Option<&str>, expires_in: u64) -> Value {
    let mut body = json!({
        "code": 0,
        "access_token": access,
        "expires_in": expires_in,
        "scope": "auth:user.id:read offline_access task:task:read user_profile",
        "token_type": "Bearer",
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
        body["refresh_token_expires_in"] = json!(604800);
    }
    body
}

/// The transport failed with this kind.
pub fn transport(kind: TransportErrorKind) -> Reply {
    Reply::Transport(TransportError::new(kind, "scripted transport failure"))
}

/// Hands a reply to the call.
pub fn feed<E: Endpoint>(call: &mut Call<'_, E>, reply: Reply, now: SystemTime) {
    match reply {
        Reply::Response(response) => call.on_response(response, now),
        Reply::Transport(error) => call.on_transport_error(error, now),
    }
}

// ------------------------------------------------------------------ servers

/// Answers the requests of a call.
pub trait Server {
    fn answer(&mut self, request: &Seen) -> Reply;
}

impl<F: FnMut(&Seen) -> Reply> Server for F {
    fn answer(&mut self, request: &Seen) -> Reply {
        self(request)
    }
}

/// What a scripted request must look like.
pub struct Expect {
    method: Method,
    path: &'static str,
    /// `None`: no `Authorization` header at all.
    bearer: Option<String>,
    /// The exact JSON body, sent as `application/json; charset=utf-8`.
    body: Option<Value>,
}

impl Expect {
    /// A GET without `Authorization`.
    pub fn get(path: &'static str) -> Self {
        Self {
            method: Method::GET,
            path,
            bearer: None,
            body: None,
        }
    }

    /// A token endpoint's request: POST, a JSON body, no `Authorization`.
    pub fn token_request(path: &'static str, body: Value) -> Self {
        Self {
            method: Method::POST,
            body: Some(body),
            ..Self::get(path)
        }
    }

    /// An API request: GET, with `Authorization: Bearer <token>`.
    pub fn api(path: &'static str, token: &str) -> Self {
        Self {
            bearer: Some(token.to_owned()),
            ..Self::get(path)
        }
    }

    fn check(&self, n: usize, seen: &Seen) {
        assert_eq!(
            (&seen.method, seen.path.as_str()),
            (&self.method, self.path),
            "request #{n}: {seen:#?}"
        );
        let expected = self.bearer.as_ref().map(|token| format!("Bearer {token}"));
        assert_eq!(
            seen.authorization, expected,
            "request #{n} to {}: Authorization",
            seen.path
        );
        if let Some(body) = &self.body {
            assert_eq!(&seen.body, body, "request #{n} to {}: body", seen.path);
            assert_eq!(
                seen.content_type.as_deref(),
                Some("application/json; charset=utf-8"),
                "request #{n} to {}: Content-Type",
                seen.path
            );
        }
    }
}

/// `POST …/tenant_access_token/internal` with the app's credentials.
pub fn tenant_token_request() -> Expect {
    Expect::token_request(TENANT_TOKEN_INTERNAL, app_credentials())
}

/// `GET /open-apis/im/v1/chats` with this tenant token.
pub fn chats_with(token: &str) -> Expect {
    Expect::api(CHATS, token)
}

/// `{"app_id": …, "app_secret": …}`.
pub fn app_credentials() -> Value {
    json!({"app_id": APP_ID, "app_secret": APP_SECRET})
}

/// A server that expects exactly these requests, in this order, and answers
/// each with its reply. Dropping it checks that every request came.
pub struct Script {
    steps: VecDeque<(Expect, Reply)>,
    n: usize,
}

pub fn script(steps: impl IntoIterator<Item = (Expect, Reply)>) -> Script {
    Script {
        steps: steps.into_iter().collect(),
        n: 0,
    }
}

impl Server for Script {
    fn answer(&mut self, request: &Seen) -> Reply {
        self.n += 1;
        let Some((expect, reply)) = self.steps.pop_front() else {
            panic!("request #{} was not in the script: {request:#?}", self.n);
        };
        expect.check(self.n, request);
        reply
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        if !thread::panicking() {
            let missing: Vec<_> = self.steps.iter().map(|(e, _)| e.path).collect();
            assert!(missing.is_empty(), "the call never sent {missing:?}");
        }
    }
}

// ------------------------------------------------------------------ driving

/// Drives `call` to its end against `server`, starting at `now`: every `Send`
/// goes to the server and its reply back to the call; a `Wait` moves the
/// simulated clock to its time. More than [`MAX_STEPS`] sends or waits fail
/// the test as a livelock.
pub fn drive<E: Endpoint>(
    mut call: Call<'_, E>,
    mut now: SystemTime,
    mut server: impl Server,
) -> (Result<E::Output, Error>, Vec<Seen>)
where
    E::Output: Debug,
{
    let mut seen = Vec::new();
    let mut waits = 0;
    loop {
        let step = call.poll(now);
        let debug = format!("{step:?}");
        match step {
            Step::Send(request) => {
                let request = Seen::new(request, debug);
                assert!(
                    seen.len() < MAX_STEPS,
                    "livelock: more than {MAX_STEPS} requests: {:?}",
                    paths(&seen)
                );
                let reply = server.answer(&request);
                seen.push(request);
                feed(&mut call, reply, now);
            }
            Step::Wait(until) => {
                waits += 1;
                assert!(
                    waits <= MAX_STEPS,
                    "livelock: more than {MAX_STEPS} waits: {:?}",
                    paths(&seen)
                );
                assert!(until >= now, "a wait into the past: {until:?} < {now:?}");
                now = until;
            }
            Step::Store(op) => panic!("no shared store here, yet asked for {op:?}"),
            Step::Done(result) => return (result, seen),
        }
    }
}

/// The request of a `Step::Send`.
pub fn expect_send<T: Debug>(step: Step<T>) -> Seen {
    let debug = format!("{step:?}");
    match step {
        Step::Send(request) => Seen::new(request, debug),
        other => panic!("expected Send, got {other:?}"),
    }
}

/// The time of a `Step::Wait`.
pub fn expect_wait<T: Debug>(step: Step<T>) -> SystemTime {
    match step {
        Step::Wait(until) => until,
        other => panic!("expected Wait, got {other:?}"),
    }
}

/// The result of a `Step::Done`.
pub fn expect_done<T: Debug>(step: Step<T>) -> Result<T, Error> {
    match step {
        Step::Done(result) => result,
        other => panic!("expected Done, got {other:?}"),
    }
}

/// The Feishu code of an `Error::Api` result.
pub fn api_code<T: Debug>(result: &Result<T, Error>) -> i64 {
    match result {
        Err(Error::Api(error)) => error.code,
        other => panic!("expected an API error, got {other:?}"),
    }
}
