//! The budget (both an attempt cap and an elapsed-time budget):
//! `max_attempts` sends at most, then `Error::Exhausted` with every failure;
//! `RetryPolicy::never()` returns the raw error; the deadline bounds the
//! waits and each request's timeout.

use std::time::Duration;

use feishu_core::http::StatusCode;
use feishu_core::{Error, Failure, RetryPolicy, Secret, Step, TransportErrorKind, codes};

use crate::harness::*;

#[test]
fn three_attempts_of_an_endless_503_then_exhausted_with_every_failure() {
    let client = client(policy(|p| p.max_attempts = 3));
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(42),
    );
    let first = run.send();
    run.retry_or_error(&empty(503)).expect("retry 1");
    run.retry_or_error(&empty(503)).expect("retry 2");
    let last = empty(503).header("x-tt-logid", "202407260711088FB107A76E0100002087");
    let error = run.retry_or_error(&last).expect_err("no fourth attempt");

    assert_eq!(run.sent.len(), 3);
    assert!(run.sent.iter().all(|sent| sent.same_request(&first)));
    let Error::Exhausted(exhausted) = &error else {
        panic!("expected Exhausted, got {error:?}");
    };
    let server = Failure::Server {
        status: StatusCode::SERVICE_UNAVAILABLE,
        code: None,
    };
    assert_eq!(
        exhausted.failures,
        vec![server.clone(), server.clone(), server]
    );
    let Error::UnexpectedResponse(last) = &exhausted.last else {
        panic!("the last error is the third 503: {:?}", exhausted.last);
    };
    assert_eq!(last.status, StatusCode::SERVICE_UNAVAILABLE);
    // The last attempt's log id shows through.
    assert_eq!(error.log_id(), Some("202407260711088FB107A76E0100002087"));
    assert_eq!(status_of(&error), Some(503));

    let display = error.to_string();
    assert!(
        display.starts_with(
            "gave up after 3 attempts (server error (HTTP 503), server error (HTTP 503), server error (HTTP 503)): "
        ),
        "{display}"
    );
    assert!(display.contains(&exhausted.last.to_string()), "{display}");
    // The source is the last error.
    let source = std::error::Error::source(&**exhausted).expect("a source");
    assert_eq!(source.to_string(), exhausted.last.to_string());
}

#[test]
fn exhausted_names_each_kind_of_failure() {
    let client = client(policy(|p| p.max_attempts = 4));
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(42),
    );
    run.send();
    run.retry_or_error(&rate_limited(7)).expect("retried");
    run.retry_or_error(&code(400, codes::INTERNAL_SERVER_ERROR))
        .expect("retried");
    run.retry_or_error(&transport(TransportErrorKind::Reset))
        .expect("retried");
    let error = run.retry_or_error(&html(502)).expect_err("budget spent");
    let Error::Exhausted(exhausted) = &error else {
        panic!("expected Exhausted, got {error:?}");
    };
    assert_eq!(
        exhausted.failures,
        vec![
            Failure::RateLimited {
                status: StatusCode::TOO_MANY_REQUESTS,
                code: Some(codes::REQUEST_TRIGGER_FREQUENCY_LIMIT),
                reset: Some(secs(7)),
            },
            Failure::Server {
                status: StatusCode::BAD_REQUEST,
                code: Some(codes::INTERNAL_SERVER_ERROR),
            },
            Failure::Transport(TransportErrorKind::Reset),
            Failure::Server {
                status: StatusCode::BAD_GATEWAY,
                code: None,
            },
        ]
    );
    assert_eq!(
        error.to_string().split(": ").next(),
        Some(
            "gave up after 4 attempts (rate limited (HTTP 429 code 99991400, reset in 7 s), \
             server error (HTTP 400 code 10101), connection reset error, server error (HTTP 502))"
        )
    );
}

#[test]
fn never_sends_once_and_returns_the_raw_error() {
    let client = client(RetryPolicy::never());
    for answer in [
        empty(503),
        rate_limited(1),
        code(400, codes::INTERNAL_ERROR),
        transport(TransportErrorKind::Connect),
        transport(TransportErrorKind::Timeout),
    ] {
        let endpoint = get();
        let mut run = Run::new(
            client
                .call(&endpoint)
                .with_token(Secret::new(TENANT_TOKEN))
                .seed(1),
        );
        run.send();
        let error = run.retry_or_error(&answer).expect_err("never retried");
        assert_raw_error(&error, &answer);
        assert_eq!(run.sent.len(), 1);
        assert!(run.waits.is_empty());
    }
}

#[test]
fn max_attempts_zero_is_one_attempt() {
    let client = client(policy(|p| p.max_attempts = 0));
    let answer = empty(503);
    let error = first_answer(&client, &get(), &answer).expect_err("no retry");
    assert_raw_error(&error, &answer);
}

#[test]
fn a_rate_limit_reset_past_the_deadline_gives_up_instead_of_waiting() {
    let client = client(policy(|p| p.deadline = secs(2)));
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    let answer = rate_limited(5);
    run.answer(&answer);
    let error = run.done().expect_err("no wait past the deadline");
    assert_raw_error(&error, &answer);
    assert!(run.waits.is_empty());

    // After an earlier failure, the history is kept.
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    let backoff = run.retry_or_error(&empty(503)).expect("retried");
    assert!(backoff < INITIAL_BACKOFF);
    run.answer(&answer);
    let error = run.done().expect_err("no wait past the deadline");
    let Error::Exhausted(exhausted) = &error else {
        panic!("expected Exhausted, got {error:?}");
    };
    assert_eq!(exhausted.failures.len(), 2);
    assert!(matches!(
        exhausted.failures[1],
        Failure::RateLimited { reset: Some(reset), .. } if reset == secs(5)
    ));
    assert_eq!(
        exhausted.last.code(),
        Some(codes::REQUEST_TRIGGER_FREQUENCY_LIMIT)
    );
}

#[test]
fn a_reset_ending_before_the_deadline_is_waited_and_one_ending_on_it_is_not() {
    let client = client(policy(|p| p.deadline = secs(5)));
    assert_eq!(
        first_answer(&client, &get(), &rate_limited(4)).ok(),
        Some(secs(4))
    );
    assert!(first_answer(&client, &get(), &rate_limited(5)).is_err());
}

#[test]
fn every_send_timeout_is_at_most_what_remains_of_the_deadline() {
    let client = client(policy(|p| p.deadline = secs(2)));
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    // The whole budget, not the configured 120 s.
    assert_eq!(run.send().timeout, Some(secs(2)));
    // Answered after 0.5 s: a 1 s reset ends at 1.5 s.
    run.advance(ms(500));
    run.answer(&rate_limited(1));
    assert_eq!(run.wait(), secs(1));
    let retry = run.send();
    assert_eq!(run.since_t0(), ms(1500));
    assert_eq!(retry.timeout, Some(ms(500)));
}

#[test]
fn the_token_request_spends_the_same_budget() {
    let client = client(policy(|p| p.deadline = secs(2)));
    let endpoint = get();
    let mut run = Run::new(client.call(&endpoint).seed(1));
    let token_request = run.send();
    assert_eq!(token_request.path, TENANT_TOKEN_INTERNAL);
    assert_eq!(token_request.timeout, Some(secs(2)));
    run.advance(ms(1250));
    run.answer(&tenant_token(TENANT_TOKEN, 7200));
    let api = run.send();
    assert_eq!(api.bearer(), Some(TENANT_TOKEN));
    assert_eq!(api.timeout, Some(ms(750)));
}

#[test]
fn an_endpoint_timeout_shorter_than_what_remains_is_kept() {
    use feishu_core::Endpoint as _;
    let client = client(policy(|p| p.deadline = secs(2)));
    let endpoint = get().with_timeout(ms(100));
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    assert_eq!(run.send().timeout, Some(ms(100)));
    run.advance(ms(1000));
    run.answer(&rate_limited(0));
    assert_eq!(run.send().timeout, Some(ms(100)));
    run.advance(ms(950));
    run.answer(&rate_limited(0));
    assert_eq!(run.send().timeout, Some(ms(50)));
}

#[test]
fn a_driver_polling_after_the_deadline_gets_an_error_not_a_send() {
    let client = client(policy(|p| p.deadline = secs(2)));
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    run.answer(&empty(503));
    let Step::Wait(_) = run.poll() else {
        panic!("expected a backoff");
    };
    // The driver oversleeps past the deadline.
    run.now = t0() + secs(3);
    let error = run.done().expect_err("the deadline passed");
    assert_eq!(
        kind_of(&error),
        Some(TransportErrorKind::Timeout),
        "{error:?}"
    );
    assert!(error.to_string().contains("deadline"), "{error}");
    assert_eq!(run.sent.len(), 1);
}

#[test]
fn a_zero_deadline_sends_nothing() {
    let client = client(policy(|p| p.deadline = Duration::ZERO));
    let endpoint = get();
    let mut run = Run::new(client.call(&endpoint).with_token(Secret::new(TENANT_TOKEN)));
    let error = run.done().expect_err("no budget at all");
    assert_eq!(kind_of(&error), Some(TransportErrorKind::Timeout));
    assert!(run.sent.is_empty());
}

#[test]
fn a_deadline_of_duration_max_means_no_deadline() {
    let client = client(policy(|p| p.deadline = Duration::MAX));
    let endpoint = get();
    let mut run = Run::new(client.call(&endpoint).with_token(Secret::new(TENANT_TOKEN)));
    let sent = run.send();
    assert_eq!(sent.timeout, Some(feishu_core::DEFAULT_TIMEOUT));
    assert!(run.retry_or_error(&empty(503)).is_ok());
}

#[test]
fn an_overflowing_rate_limit_reset_does_not_retry_at_once() {
    let client = client(policy(|p| p.max_rate_limit_wait = Duration::MAX));
    let answer = rate_limited(u64::MAX);
    // The 300 s deadline cannot be met: the call must give up, not resend.
    let result = first_answer(&client, &get(), &answer);
    assert!(result.is_err(), "resent after {result:?}");
}
