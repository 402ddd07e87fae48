//! Benchmarks of `feishu-core`'s pure layer against hand-written `serde_json`
//! code doing the same work, measured in the same run (issue #7):
//! - building and parsing the tenant-token and send-message calls (target:
//!   SDK at most 1.3 times raw);
//! - a token-cache hit (target: no allocation, at most 100 ns), and a call's
//!   start on a warm cache, up to its `Step::Send`.
//!
//! Run with `cargo bench --bench core`; the ratio lines follow each criterion
//! group and are repeated at the end.

#[path = "support/measure.rs"]
mod measure;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use criterion::{BatchSize, Criterion};
use feishu_core::auth::{TenantAccessToken, TenantAccessTokenRequest};
use feishu_core::im::content::MessageContent;
use feishu_core::im::message::{Message, SendMessage};
use feishu_core::{
    App, CachedToken, Client, Config, CredentialKind, DEFAULT_TOKEN_REFRESH_MARGIN,
    DEFAULT_USER_AGENT, Endpoint, MemoryTokenStore, Secret, Step, TokenKey, TokenStore,
};
use http::header::{AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use serde::{Deserialize, Serialize};

use measure::{Run, allocations, timed, timed_batched};

const APP_ID: &str = "cli_slkdjalasdkjasd";
const APP_SECRET: &str = "dskLLdkasdjlasdKK";
const CHAT_ID: &str = "oc_5ad11d72b830411d72b836c20";
const TENANT_TOKEN: &str = "t-caecc734c2e3328a62489fe0648c4b98779515d3";

/// The self-built tenant-token answer, as Feishu's tenant_access_token/internal page shows it.
const TOKEN_RESPONSE: &str = r#"{ "code": 0, "msg": "ok", "tenant_access_token": "t-caecc734c2e3328a62489fe0648c4b98779515d3", "expire": 7200 }"#;

/// The send-message answer, as Feishu's send-message page shows it.
const SEND_RESPONSE: &str = r#"{ "code": 0, "msg": "success", "data": { "message_id": "om_dc13264520392913993dd051dba21dcf", "root_id": "om_40eb06e7b84dc71c03e009ad3c754195",
  "parent_id": "om_d4be107c616aed9c1da8ed8068570a9f", "thread_id": "omt_d4be107c616a", "msg_type": "card", "create_time": "1615380573411",
  "update_time": "1615380573411", "deleted": false, "updated": false, "chat_id": "oc_5ad11d72b830411d72b836c20",
  "sender": { "id": "cli_9f427eec54ae901b", "id_type": "app_id", "sender_type": "app", "tenant_key": "736588c9260f175e" },
  "body": { "content": "{\"text\":\"@_user_1 test content\"}" },
  "mentions": [ { "key": "@_user_1", "id": "ou_155184d1e73cbfb8973e5a9e698e74f2", "id_type": "open_id", "name": "Tom", "tenant_key": "736588c9260f175e" } ],
  "upper_message_id": "om_40eb06e7b84dc71c03e009ad3c754195" } }"#;

/// The answer as an adapter hands it over: status, the usual headers, body.
fn response(body: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(body.as_bytes().to_vec());
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert("x-tt-logid", HeaderValue::from_static("202407261506470B7F"));
    response
}

// ---- The hand-written side: what a careful user would write without the SDK.

/// What a hand-written client fails with; the benches only need "not ok".
#[derive(Debug)]
struct RawError;

impl From<serde_json::Error> for RawError {
    fn from(_: serde_json::Error) -> Self {
        RawError
    }
}

impl From<http::Error> for RawError {
    fn from(_: http::Error) -> Self {
        RawError
    }
}

impl From<http::uri::InvalidUri> for RawError {
    fn from(_: http::uri::InvalidUri) -> Self {
        RawError
    }
}

#[derive(Serialize)]
struct RawCredentials<'a> {
    app_id: &'a str,
    app_secret: &'a str,
}

/// The same request `build` makes, minus the `Timeout` extension (not a
/// header): method, URI, user agent, content type, JSON body.
fn raw_token_request(
    base_url: &str,
    user_agent: &HeaderValue,
    app_id: &str,
    app_secret: &str,
) -> Result<Request<Vec<u8>>, RawError> {
    let uri = format!("{base_url}/open-apis/auth/v3/tenant_access_token/internal");
    let body = serde_json::to_vec(&RawCredentials { app_id, app_secret })?;
    let mut request = Request::new(body);
    *request.method_mut() = Method::POST;
    *request.uri_mut() = http::Uri::try_from(uri)?;
    let headers = request.headers_mut();
    headers.insert(USER_AGENT, user_agent.clone());
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(request)
}

/// The fields `TenantAccessToken` carries.
// Deserializing every field is the work measured; not all are read after.
#[allow(dead_code)]
#[derive(Deserialize)]
struct RawToken {
    code: i64,
    #[serde(default)]
    msg: String,
    tenant_access_token: String,
    expire: u64,
}

fn raw_token_parse(response: Response<Vec<u8>>) -> Result<RawToken, RawError> {
    let token: RawToken = serde_json::from_slice(response.body())?;
    if token.code != 0 || !response.status().is_success() {
        return Err(RawError);
    }
    Ok(token)
}

#[derive(Serialize)]
struct RawText<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct RawSend<'a> {
    receive_id: &'a str,
    msg_type: &'a str,
    content: &'a str,
}

fn raw_send_request(
    base_url: &str,
    user_agent: &HeaderValue,
    token: &str,
    chat_id: &str,
    text: &str,
) -> Result<Request<Vec<u8>>, RawError> {
    let uri = format!("{base_url}/open-apis/im/v1/messages?receive_id_type=chat_id");
    let content = serde_json::to_string(&RawText { text })?;
    let body = serde_json::to_vec(&RawSend {
        receive_id: chat_id,
        msg_type: "text",
        content: &content,
    })?;
    let mut request = Request::new(body);
    *request.method_mut() = Method::POST;
    *request.uri_mut() = http::Uri::try_from(uri)?;
    let headers = request.headers_mut();
    headers.insert(USER_AGENT, user_agent.clone());
    let mut bearer = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| RawError)?;
    bearer.set_sensitive(true);
    headers.insert(AUTHORIZATION, bearer);
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(request)
}

/// `{code, msg, data}`.
// Deserializing every field is the work measured; not all are read after.
#[allow(dead_code)]
#[derive(Deserialize)]
struct RawEnvelope<T> {
    code: i64,
    #[serde(default)]
    msg: String,
    data: Option<T>,
}

/// The fields `Message` carries, with the same defaults.
// Deserializing every field is the work measured; not all are read after.
#[allow(dead_code)]
#[derive(Deserialize)]
struct RawMessage {
    message_id: String,
    root_id: Option<String>,
    parent_id: Option<String>,
    thread_id: Option<String>,
    #[serde(default)]
    msg_type: String,
    #[serde(default)]
    create_time: String,
    #[serde(default)]
    update_time: String,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    updated: bool,
    #[serde(default)]
    chat_id: String,
    sender: Option<RawSender>,
    body: Option<RawBody>,
    #[serde(default)]
    mentions: Vec<RawMention>,
    upper_message_id: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct RawSender {
    id: String,
    #[serde(default)]
    id_type: String,
    #[serde(default)]
    sender_type: String,
    tenant_key: Option<String>,
}

#[derive(Deserialize)]
struct RawBody {
    content: String,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct RawMention {
    key: String,
    id: String,
    #[serde(default)]
    id_type: String,
    #[serde(default)]
    name: String,
    tenant_key: Option<String>,
}

fn raw_send_parse(response: Response<Vec<u8>>) -> Result<RawMessage, RawError> {
    let envelope: RawEnvelope<RawMessage> = serde_json::from_slice(response.body())?;
    if envelope.code != 0 || !response.status().is_success() {
        return Err(RawError);
    }
    envelope.data.ok_or(RawError)
}

// ---- The benches.

/// Everything both sides work from, built once.
struct Fixture {
    config: Config,
    user_agent: HeaderValue,
    token: Secret,
    token_request: TenantAccessTokenRequest,
    send: SendMessage,
}

impl Fixture {
    fn new() -> Self {
        Self {
            config: Config::feishu(),
            user_agent: HeaderValue::from_static(DEFAULT_USER_AGENT),
            token: Secret::new(TENANT_TOKEN),
            token_request: TenantAccessTokenRequest::self_built(APP_ID, Secret::new(APP_SECRET)),
            send: SendMessage::new(CHAT_ID, MessageContent::text("hello")),
        }
    }

    fn sdk_token_build(&self) -> Request<Vec<u8>> {
        feishu_core::build(&self.config, &self.token_request, None).expect("token request")
    }

    fn raw_token_build(&self) -> Request<Vec<u8>> {
        raw_token_request(self.config.base_url(), &self.user_agent, APP_ID, APP_SECRET)
            .expect("raw token request")
    }

    fn sdk_token_parse(&self, response: Response<Vec<u8>>) -> TenantAccessToken {
        self.token_request
            .parse(response)
            .map_err(feishu_core::Error::from)
            .expect("token parse")
    }

    fn sdk_send_build(&self) -> Request<Vec<u8>> {
        feishu_core::build(&self.config, &self.send, Some(&self.token)).expect("send request")
    }

    fn raw_send_build(&self) -> Request<Vec<u8>> {
        raw_send_request(
            self.config.base_url(),
            &self.user_agent,
            self.token.expose(),
            CHAT_ID,
            "hello",
        )
        .expect("raw send request")
    }

    fn sdk_send_parse(&self, response: Response<Vec<u8>>) -> Message {
        self.send
            .parse(response)
            .map_err(feishu_core::Error::from)
            .expect("send parse")
    }

    /// Both sides must do the same work, or the ratio means nothing.
    fn check(&self) {
        for (sdk, raw) in [
            (self.sdk_token_build(), self.raw_token_build()),
            (self.sdk_send_build(), self.raw_send_build()),
        ] {
            assert_eq!(sdk.method(), raw.method());
            assert_eq!(sdk.uri(), raw.uri());
            assert_eq!(sdk.headers(), raw.headers());
            assert_eq!(sdk.body(), raw.body());
        }
        let sdk = self.sdk_token_parse(response(TOKEN_RESPONSE));
        let raw = raw_token_parse(response(TOKEN_RESPONSE)).expect("raw token parse");
        assert_eq!(sdk.tenant_access_token.expose(), raw.tenant_access_token);
        assert_eq!((sdk.expire, sdk.code), (raw.expire, raw.code));
        assert_eq!(sdk.msg, raw.msg);
        let sdk = self.sdk_send_parse(response(SEND_RESPONSE));
        let raw = raw_send_parse(response(SEND_RESPONSE)).expect("raw send parse");
        assert_eq!(sdk.message_id, raw.message_id);
        assert_eq!(sdk.mentions.len(), raw.mentions.len());
        assert_eq!(
            sdk.body.map(|body| body.content),
            raw.body.map(|body| body.content)
        );
    }
}

fn build_and_parse(c: &mut Criterion, run: &mut Run, f: &Fixture) {
    build_pair(c, run, "token_build", &|| f.sdk_token_build(), &|| {
        f.raw_token_build()
    });
    build_pair(c, run, "send_build", &|| f.sdk_send_build(), &|| {
        f.raw_send_build()
    });
    parse_pair(
        c,
        run,
        "token_parse",
        TOKEN_RESPONSE,
        &|r| f.sdk_token_parse(r),
        &|r| raw_token_parse(r).expect("raw token parse"),
    );
    parse_pair(
        c,
        run,
        "send_parse",
        SEND_RESPONSE,
        &|r| f.sdk_send_parse(r),
        &|r| raw_send_parse(r).expect("raw send parse"),
    );
    // The whole exchange, as a caller sees it: build, then parse the answer.
    parse_pair(
        c,
        run,
        "token_round_trip",
        TOKEN_RESPONSE,
        &|r| (f.sdk_token_build(), f.sdk_token_parse(r)),
        &|r| {
            let request = f.raw_token_build();
            (request, raw_token_parse(r).expect("raw token parse"))
        },
    );
    parse_pair(
        c,
        run,
        "send_round_trip",
        SEND_RESPONSE,
        &|r| (f.sdk_send_build(), f.sdk_send_parse(r)),
        &|r| {
            let request = f.raw_send_build();
            (request, raw_send_parse(r).expect("raw send parse"))
        },
    );
}

/// A pair that builds a request.
fn build_pair(
    c: &mut Criterion,
    run: &mut Run,
    name: &str,
    sdk: &dyn Fn() -> Request<Vec<u8>>,
    raw: &dyn Fn() -> Request<Vec<u8>>,
) {
    let mut group = c.benchmark_group(format!("core/{name}"));
    group.bench_function("sdk", |b| b.iter(sdk));
    group.bench_function("raw", |b| b.iter(raw));
    group.finish();
    run.compare(
        &format!("core/{name}"),
        1.3,
        (allocations(sdk), allocations(raw)),
        |n| timed(n, sdk),
        |n| timed(n, raw),
    );
}

/// A pair whose operation consumes a fresh response each time; making the
/// response is not timed.
fn parse_pair<A, B>(
    c: &mut Criterion,
    run: &mut Run,
    name: &str,
    body: &str,
    sdk: &dyn Fn(Response<Vec<u8>>) -> A,
    raw: &dyn Fn(Response<Vec<u8>>) -> B,
) {
    let mut group = c.benchmark_group(format!("core/{name}"));
    group.bench_function("sdk", |b| {
        b.iter_batched(|| response(body), sdk, BatchSize::SmallInput)
    });
    group.bench_function("raw", |b| {
        b.iter_batched(|| response(body), raw, BatchSize::SmallInput)
    });
    group.finish();
    let (sdk_response, raw_response) = (response(body), response(body));
    run.compare(
        &format!("core/{name}"),
        1.3,
        (
            allocations(|| sdk(sdk_response)),
            allocations(|| raw(raw_response)),
        ),
        |n| timed_batched(n, || response(body), sdk),
        |n| timed_batched(n, || response(body), raw),
    );
}

/// The token cache: a hit in `MemoryTokenStore`, and a call's first poll on a
/// warm cache, through to the request it hands out.
fn token_cache(c: &mut Criterion, run: &mut Run, f: &Fixture) {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let config = Config::feishu().with_app(App::self_built(APP_ID, Secret::new(APP_SECRET)));
    let key = TokenKey {
        base_url: Arc::from(config.base_url()),
        app_id: Arc::from(APP_ID),
        kind: CredentialKind::TenantAccessToken,
        tenant_key: None,
    };
    let fresh = CachedToken::new(f.token.clone(), 7200, now, DEFAULT_TOKEN_REFRESH_MARGIN);
    let store = Arc::new(MemoryTokenStore::new());
    store.put(&key, fresh);
    // A second, unrelated entry, so the map is not trivially a single bucket.
    store.put(
        &TokenKey {
            kind: CredentialKind::AppAccessToken,
            ..key.clone()
        },
        CachedToken::new(f.token.clone(), 7200, now, DEFAULT_TOKEN_REFRESH_MARGIN),
    );
    let client = Client::with_token_store(config, store.clone(), 0x5eed);

    let hit = || store.get(&key).expect("a cached token");
    assert!(hit().is_fresh(now));
    let start = |seed: Option<u64>| {
        let call = client.call(&f.send);
        let mut call = match seed {
            Some(seed) => call.seed(seed),
            None => call,
        };
        match call.poll(now) {
            Step::Send(request) => request,
            _ => panic!("a warm cache goes straight to the request"),
        }
    };
    for seed in [None, Some(7)] {
        let request = start(seed);
        assert_eq!(request.uri().path(), "/open-apis/im/v1/messages");
        let bearer = format!("Bearer {TENANT_TOKEN}");
        assert_eq!(request.headers()[AUTHORIZATION], bearer.as_str());
    }

    let mut group = c.benchmark_group("core/token_cache");
    group.bench_function("memory_store_hit", |b| b.iter(hit));
    group.bench_function("call_start_warm", |b| b.iter(|| start(None)));
    group.bench_function("call_start_warm_seeded", |b| b.iter(|| start(Some(7))));
    group.bench_function("build_alone", |b| b.iter(|| f.sdk_send_build()));
    group.finish();

    run.single(
        "core/token_cache/memory_store_hit",
        Some(100.0),
        allocations(hit),
        |n| timed(n, hit),
    );
    run.single(
        "core/token_cache/call_start_warm (client.call + poll to Step::Send; seeded by the client, with a uuid)",
        None,
        allocations(|| start(None)),
        |n| timed(n, || start(None)),
    );
    run.single(
        "core/token_cache/call_start_warm_seeded (.seed(n) on top, as a replay: a second uuid)",
        None,
        allocations(|| start(Some(7))),
        |n| timed(n, || start(Some(7))),
    );
    run.single(
        "core/token_cache/build_alone (feishu_core::build of the same send)",
        None,
        allocations(|| f.sdk_send_build()),
        |n| timed(n, || f.sdk_send_build()),
    );
}

fn main() {
    let fixture = Fixture::new();
    fixture.check();
    let mut run = Run::from_args();
    let mut c = measure::criterion();
    build_and_parse(&mut c, &mut run, &fixture);
    token_cache(&mut c, &mut run, &fixture);
    c.final_summary();
    run.summary();
}
