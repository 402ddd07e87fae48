//! Faults injected over real HTTP: rate limits, 5xx bursts, dropped
//! connections and slow answers, survived without losing or duplicating
//! anything.

use std::time::{Duration, Instant};

use feishu_core::im::content::MessageContent;
use feishu_core::im::message::SendMessage;
use feishu_core::{
    App, Config, Endpoint, Error, Failure, RawEndpoint, RetryPolicy, TransportErrorKind, codes,
};
use feishu_mock::{Fault, MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};

use crate::Adapter;

const CHATS: &str = "/open-apis/im/v1/chats";
const MESSAGES: &str = "/open-apis/im/v1/messages";

/// Fast backoffs, so the suite measures behaviour rather than patience.
fn quick_policy() -> RetryPolicy {
    let mut policy = RetryPolicy::default();
    policy.initial_backoff = Duration::from_millis(10);
    policy.max_backoff = Duration::from_millis(50);
    policy
}

fn setup<A: Adapter>(policy: RetryPolicy) -> (MockServer, A) {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET))
        .with_retry_policy(policy);
    (mock, A::new(config))
}

fn chats() -> RawEndpoint {
    RawEndpoint::get(CHATS)
}

fn send_text() -> SendMessage {
    SendMessage::new("oc_mock_general", MessageContent::text("hello"))
}

/// A POST that carries no uuid: Feishu may have processed it, so it is never
/// repeated after a fault.
fn raw_post() -> RawEndpoint {
    let body = serde_json::json!({
        "receive_id": "oc_mock_general", "msg_type": "text", "content": r#"{"text":"hi"}"#,
    });
    RawEndpoint::post(MESSAGES, body).query("receive_id_type", "chat_id")
}

fn transport_kind(error: &Error) -> TransportErrorKind {
    match error {
        Error::Transport(error) => error.kind(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

pub fn rate_limit_waits_for_the_reset<A: Adapter>() {
    let (mock, client) = setup::<A>(quick_policy());
    let limited = serde_json::json!({"code": codes::REQUEST_TRIGGER_FREQUENCY_LIMIT, "msg": "request trigger frequency limit"});
    mock.inject(
        CHATS,
        Fault::json(429, limited).header("x-ogw-ratelimit-reset", "1"),
    );
    let started = Instant::now();
    client.send(&chats()).expect("succeeds after the reset");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(900), "waited {elapsed:?}");
    assert_eq!(mock.hits(CHATS), 2, "one resend");
}

pub fn server_errors_on_a_get_are_retried<A: Adapter>() {
    let (mock, client) = setup::<A>(quick_policy());
    mock.inject(CHATS, Fault::status(503).times(2));
    client.send(&chats()).expect("the third attempt succeeds");
    assert_eq!(mock.hits(CHATS), 3);
}

pub fn endless_server_errors_exhaust_the_budget<A: Adapter>() {
    let mut policy = quick_policy();
    policy.max_attempts = 4;
    let (mock, client) = setup::<A>(policy);
    mock.inject(CHATS, Fault::status(503).times(100));
    let error = client.send(&chats()).expect_err("503 forever");
    let Error::Exhausted(exhausted) = &error else {
        panic!("expected the attempt history, got {error:?}");
    };
    assert_eq!(exhausted.attempts(), 4);
    assert!(
        exhausted
            .failures
            .iter()
            .all(|f| matches!(f, Failure::Server { status, .. } if *status == 503))
    );
    assert!(matches!(&exhausted.last, Error::UnexpectedResponse(e) if e.status == 503));
    assert!(
        error.to_string().contains("gave up after 4 attempts"),
        "{error}"
    );
    assert_eq!(mock.hits(CHATS), 4);
}

/// The mock stores the message, then answers 500: the repeat carries the same
/// uuid, and Feishu (the mock) posts once.
pub fn a_send_is_repeated_with_the_same_uuid<A: Adapter>() {
    let (mock, client) = setup::<A>(quick_policy());
    mock.inject(MESSAGES, Fault::after_handling(500));
    let message = client.send(&send_text()).expect("the repeat succeeds");
    assert_eq!(mock.hits(MESSAGES), 2);
    let stored = mock.messages();
    assert_eq!(stored.len(), 1, "posted exactly once");
    assert_eq!(stored[0].message_id, message.message_id);
    assert!(stored[0].uuid.is_some(), "the adapter supplied a uuid");
}

pub fn a_post_without_uuid_is_not_repeated<A: Adapter>() {
    let (mock, client) = setup::<A>(quick_policy());
    mock.inject(MESSAGES, Fault::status(503));
    let error = client.send(&raw_post()).expect_err("not repeated");
    assert!(
        matches!(&error, Error::UnexpectedResponse(e) if e.status == 503),
        "{error:?}"
    );
    assert_eq!(mock.hits(MESSAGES), 1);
}

pub fn a_closed_connection_is_retried_when_safe<A: Adapter>() {
    let (mock, client) = setup::<A>(quick_policy());
    mock.inject(CHATS, Fault::close_connection());
    client.send(&chats()).expect("a GET is repeated");
    assert_eq!(mock.hits(CHATS), 2);

    mock.inject(MESSAGES, Fault::close_connection());
    let error = client.send(&raw_post()).expect_err("a POST is not");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_ne!(transport_kind(&error), TransportErrorKind::Connect);
    assert_eq!(mock.hits(MESSAGES), 1);
}

pub fn a_truncated_body_is_retried_when_safe<A: Adapter>() {
    let (mock, client) = setup::<A>(quick_policy());
    mock.inject(CHATS, Fault::truncate_body());
    client.send(&chats()).expect("a GET is repeated");
    assert_eq!(mock.hits(CHATS), 2);
}

/// The mock answers after 3 s; each request allows 200 ms.
pub fn a_slow_answer_is_retried_when_safe<A: Adapter>() {
    let (mock, client) = setup::<A>(quick_policy());
    let timeout = Duration::from_millis(200);
    mock.inject(CHATS, Fault::delay(Duration::from_secs(3)));
    let started = Instant::now();
    client
        .send(&chats().with_timeout(timeout))
        .expect("the repeat is answered at once");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(mock.hits(CHATS), 2);

    mock.inject(MESSAGES, Fault::delay(Duration::from_secs(3)));
    let error = client
        .send(&raw_post().with_timeout(timeout))
        .expect_err("a POST is not repeated");
    assert_eq!(transport_kind(&error), TransportErrorKind::Timeout);
    assert_eq!(mock.hits(MESSAGES), 1);
}

pub fn never_retry_is_one_line<A: Adapter>() {
    let (mock, client) = setup::<A>(RetryPolicy::never());
    mock.inject(CHATS, Fault::status(503));
    let error = client.send(&chats()).expect_err("no retry");
    assert!(
        matches!(&error, Error::UnexpectedResponse(e) if e.status == 503),
        "{error:?}"
    );
    assert_eq!(mock.hits(CHATS), 1);
}
