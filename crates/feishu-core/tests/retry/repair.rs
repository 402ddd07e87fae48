//! Token repair (drop the token, fetch a new one, retry once) and
//! the retry policy compose: a repair does not spend the retry budget, and a
//! retry does not give back the one repair.

use feishu_core::{Error, RetryPolicy, codes};

use crate::harness::*;

fn token_invalid() -> Answer {
    json(
        400,
        serde_json::json!({"code": codes::TENANT_ACCESS_TOKEN_INVALID, "msg": "Invalid access token for authorization. Please make a request with token attached"}),
    )
}

#[test]
fn token_repair_then_a_503_then_success() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut run = Run::new(client.call(&endpoint).seed(42));
    run.token(TENANT_TOKEN);
    assert_eq!(run.send().bearer(), Some(TENANT_TOKEN));
    // TENANT_ACCESS_TOKEN_INVALID: repair, at once, with a new token.
    run.answer(&token_invalid());
    run.token(TENANT_TOKEN_2);
    let repaired = run.send();
    assert_eq!(repaired.bearer(), Some(TENANT_TOKEN_2));
    // 503: retry, after a backoff, with the new token.
    let wait = run.retry_or_error(&empty(503)).expect("retried");
    assert!(wait < INITIAL_BACKOFF);
    assert_eq!(run.sent.last().and_then(Sent::bearer), Some(TENANT_TOKEN_2));
    run.answer(&ok());
    run.done().expect("success");
    let paths: Vec<_> = run.sent.iter().map(|sent| sent.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            TENANT_TOKEN_INTERNAL,
            CHATS,
            TENANT_TOKEN_INTERNAL,
            CHATS,
            CHATS
        ]
    );
}

#[test]
fn a_503_then_token_repair_then_success() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut run = Run::new(client.call(&endpoint).seed(42));
    run.token(TENANT_TOKEN);
    run.send();
    run.retry_or_error(&empty(503)).expect("retried");
    run.answer(&token_invalid());
    run.token(TENANT_TOKEN_2);
    assert_eq!(run.send().bearer(), Some(TENANT_TOKEN_2));
    run.answer(&ok());
    run.done().expect("success");
}

#[test]
fn the_repair_does_not_spend_an_attempt() {
    let client = client(policy(|p| p.max_attempts = 2));
    let endpoint = get();
    let mut run = Run::new(client.call(&endpoint).seed(42));
    run.token(TENANT_TOKEN);
    run.send();
    run.answer(&token_invalid());
    run.token(TENANT_TOKEN_2);
    run.send();
    run.retry_or_error(&empty(503)).expect("one retry left");
    run.answer(&ok());
    run.done().expect("success");
}

#[test]
fn a_second_token_error_after_a_retry_is_not_repaired_again() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut run = Run::new(client.call(&endpoint).seed(42));
    run.token(TENANT_TOKEN);
    run.send();
    run.answer(&token_invalid());
    run.token(TENANT_TOKEN_2);
    run.send();
    run.retry_or_error(&empty(503)).expect("retried");
    let answer = token_invalid();
    let error = run.retry_or_error(&answer).expect_err("one repair only");
    assert_raw_error(&error, &answer);
    assert!(matches!(error, Error::Api(ref e) if e.code == codes::TENANT_ACCESS_TOKEN_INVALID));
}

#[test]
fn a_503_on_the_repair_token_request_is_retried() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut run = Run::new(client.call(&endpoint).seed(42));
    run.token(TENANT_TOKEN);
    run.send();
    run.answer(&token_invalid());
    assert_eq!(run.send().path, TENANT_TOKEN_INTERNAL);
    run.retry_or_error(&empty(503))
        .expect("the token request is retried");
    run.answer(&tenant_token(TENANT_TOKEN_2, 7200));
    assert_eq!(run.send().bearer(), Some(TENANT_TOKEN_2));
    run.answer(&ok());
    run.done().expect("success");
}
