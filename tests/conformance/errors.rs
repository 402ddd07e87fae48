//! How failures reach the caller: API errors, non-JSON bodies, timeouts and
//! transport faults, the same from every adapter.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use feishu_core::auth::TenantAccessTokenRequest;
use feishu_core::{
    Config, Endpoint, Error, RawEndpoint, RetryPolicy, Secret, TransportErrorKind, codes,
};
use feishu_mock::{Fault, MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};

use crate::Adapter;

/// A mock and an adapter that never retries: these tests look at how one
/// answer maps to an error.
fn setup<A: Adapter>() -> (MockServer, A) {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_retry_policy(RetryPolicy::never());
    (mock, A::new(config))
}

const CHATS: &str = "/open-apis/im/v1/chats";
const TENANT_INTERNAL: &str = "/open-apis/auth/v3/tenant_access_token/internal";

fn self_built() -> TenantAccessTokenRequest {
    TenantAccessTokenRequest::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET)
}

fn unexpected(error: Error) -> feishu_core::UnexpectedResponse {
    match error {
        Error::UnexpectedResponse(error) => *error,
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}

fn transport_kind(error: &Error) -> TransportErrorKind {
    match error {
        Error::Transport(error) => error.kind(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

pub fn wrong_secret_is_an_api_error_with_log_id<A: Adapter>() {
    let (_mock, client) = setup::<A>();
    let error = client
        .tenant_access_token(SELF_BUILT_APP_ID, "not-the-secret")
        .expect_err("a wrong secret fails");
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.code, codes::APP_SECRET_INVALID);
    assert_eq!(api.status, 200, "auth/v3 reports bad credentials under 200");
    let log_id = api.log_id.as_deref().expect("the X-Tt-Logid header");
    assert!(!log_id.is_empty());
    let details = api.details.as_ref().expect("the error object");
    assert_eq!(details.log_id.as_deref(), Some(log_id));
    assert!(!error.to_string().contains("not-the-secret"));
}

pub fn invalid_token_is_an_api_error<A: Adapter>() {
    let (_mock, client) = setup::<A>();
    let error = client
        .send_with_token(&RawEndpoint::get(CHATS), &Secret::new("t-revoked"))
        .expect_err("an unknown token is refused");
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(
        (api.status.as_u16(), api.code),
        (400, codes::TENANT_ACCESS_TOKEN_INVALID)
    );
    assert!(error.log_id().is_some());
}

const BAD_GATEWAY: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

pub fn html_502_keeps_the_raw_body<A: Adapter>() {
    let (mock, client) = setup::<A>();
    mock.inject(CHATS, Fault::status(502).body("text/html", BAD_GATEWAY));
    let error = client
        .send_with_token(&RawEndpoint::get(CHATS), &Secret::new("t-any"))
        .expect_err("a gateway page is not an envelope");
    let error = unexpected(error);
    assert_eq!(error.status, 502);
    assert_eq!(error.body(), BAD_GATEWAY.as_bytes());
    assert_eq!(error.content_type.as_deref(), Some("text/html"));
    assert!(error.log_id.is_some());
    assert!(error.to_string().contains("502 Bad Gateway"));
}

pub fn empty_body_keeps_status<A: Adapter>() {
    let (mock, client) = setup::<A>();
    mock.inject(TENANT_INTERNAL, Fault::status(504));
    let error = unexpected(client.send(&self_built()).expect_err("no body, no token"));
    assert_eq!(error.status, 504);
    assert!(error.body().is_empty());
}

pub fn rate_limit_reset_is_read<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let body = serde_json::json!({"code": codes::REQUEST_TRIGGER_FREQUENCY_LIMIT, "msg": "request trigger frequency limit"});
    mock.inject(
        CHATS,
        Fault::json(429, body)
            .header("x-ogw-ratelimit-limit", "100")
            .header("x-ogw-ratelimit-reset", "52"),
    );
    let error = client
        .send_with_token(&RawEndpoint::get(CHATS), &Secret::new("t-any"))
        .expect_err("rate limited");
    let Error::Api(api) = error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(
        (api.status.as_u16(), api.code),
        (429, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT)
    );
    assert_eq!(api.rate_limit_reset, Some(Duration::from_secs(52)));
}

/// The mock answers after 2 s; the request allows 200 ms.
pub fn timeout_is_a_transport_error<A: Adapter>() {
    let (mock, client) = setup::<A>();
    mock.inject(TENANT_INTERNAL, Fault::delay(Duration::from_secs(2)));
    let started = Instant::now();
    let error = client
        .send(&self_built().with_timeout(Duration::from_millis(200)))
        .expect_err("the request times out");
    let elapsed = started.elapsed();
    assert_eq!(
        transport_kind(&error),
        TransportErrorKind::Timeout,
        "{error}"
    );
    assert!(elapsed < Duration::from_millis(1500), "took {elapsed:?}");
}

pub fn redirects_are_not_followed<A: Adapter>() {
    let (mock, client) = setup::<A>();
    mock.inject(
        TENANT_INTERNAL,
        Fault::status(307).header("location", "/open-apis/im/v1/chats"),
    );
    let error = unexpected(
        client
            .send(&self_built())
            .expect_err("a redirect is no token"),
    );
    assert_eq!(error.status, 307);
    assert_eq!(mock.hits(CHATS), 0);
}

pub fn body_over_the_cap_is_refused<A: Adapter>() {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_retry_policy(RetryPolicy::never())
        .with_max_response_bytes(1024);
    let client = A::new(config);
    mock.inject(
        TENANT_INTERNAL,
        Fault::status(200).body("application/json", vec![b' '; 4096]),
    );
    let error = client.send(&self_built()).expect_err("4 KiB > 1 KiB");
    assert_eq!(transport_kind(&error), TransportErrorKind::BodyTooLarge);
    // The same call with a body under the cap passes.
    let token = client.send(&self_built()).expect("a small body passes");
    assert!(token.expire > 0);
}

pub fn connection_refused_is_a_connect_error<A: Adapter>() {
    // A port that was just free: nothing listens there now.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let config = Config::new(&format!("http://127.0.0.1:{port}"))
        .expect("a valid URL")
        .with_retry_policy(RetryPolicy::never());
    let error = A::new(config)
        .send(&self_built())
        .expect_err("nothing listens");
    assert_eq!(
        transport_kind(&error),
        TransportErrorKind::Connect,
        "{error}"
    );
}

pub fn every_status_and_header_comes_back<A: Adapter>() {
    let (mock, client) = setup::<A>();
    mock.inject(
        CHATS,
        Fault::status(418)
            .header("x-one", "1")
            .header("x-two", "2")
            .body("text/plain", "teapot"),
    );
    let request = feishu_core::build(
        &Config::new(mock.url()).expect("valid"),
        &RawEndpoint::get(CHATS),
        Some(&Secret::new("t-any")),
    )
    .expect("a request");
    let response = client.execute(request).expect("a 418 is a response");
    assert_eq!(response.status(), 418);
    assert_eq!(response.headers()["x-one"], "1");
    assert_eq!(response.headers()["x-two"], "2");
    assert!(response.headers().contains_key("x-tt-logid"));
    assert_eq!(response.body(), b"teapot");
}
