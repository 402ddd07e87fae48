//! The tenant-token request is retried like any idempotent request, and the
//! call keeps its refresh lease across the retry, so other calls of the same
//! client wait for it instead of asking for a token of their own.

use feishu_core::{Config, Error, RetryPolicy, Step, TransportErrorKind, codes};

use crate::harness::*;

#[test]
fn a_503_on_the_token_request_is_retried_and_the_call_proceeds() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut a = Run::new(client.call(&endpoint).seed(42));
    let token_request = a.send();
    assert_eq!(token_request.path, TENANT_TOKEN_INTERNAL);
    a.answer(&empty(503));
    let Step::Wait(until) = a.poll() else {
        panic!("expected a backoff");
    };

    // Meanwhile another call of the same client waits for A's token.
    let other = get();
    let mut b = Run::new(client.call(&other).seed(43));
    assert!(
        matches!(b.poll(), Step::Wait(_)),
        "B must not fetch a token"
    );
    assert!(b.sent.is_empty());

    a.now = until;
    let again = a.send();
    assert!(again.same_request(&token_request));
    // B, polled at the same time, still waits.
    b.now = until;
    assert!(matches!(b.poll(), Step::Wait(_)));

    a.answer(&tenant_token(TENANT_TOKEN, 7200));
    let api = a.send();
    assert_eq!(
        (api.path.as_str(), api.bearer()),
        (CHATS, Some(TENANT_TOKEN))
    );
    a.answer(&ok());
    a.done().expect("success");

    // B goes straight to the API with the cached token.
    let api = b.send();
    assert_eq!(
        (api.path.as_str(), api.bearer()),
        (CHATS, Some(TENANT_TOKEN))
    );
    assert_eq!(b.sent.len(), 1);
}

#[test]
fn token_request_failures_are_retried_by_the_same_rules() {
    let retried = [
        empty(503),
        html(502),
        code(200, codes::GET_TENANT_ACCESS_TOKEN_FAILED),
        code(400, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT).reset(2),
        rate_limited(3),
        transport(TransportErrorKind::Connect),
        transport(TransportErrorKind::Timeout),
        transport(TransportErrorKind::Reset),
        transport(TransportErrorKind::Other),
    ];
    for answer in retried {
        // A fresh client each time: a cold token cache.
        let client = client(RetryPolicy::default());
        let endpoint = get();
        let mut run = Run::new(client.call(&endpoint).seed(42));
        assert_eq!(run.send().path, TENANT_TOKEN_INTERNAL);
        run.retry_or_error(&answer)
            .unwrap_or_else(|error| panic!("{answer:?} was not retried: {error}"));
        run.answer(&tenant_token(TENANT_TOKEN, 7200));
        assert_eq!(run.send().bearer(), Some(TENANT_TOKEN), "{answer:?}");
        run.answer(&ok());
        run.done().expect("success");
    }
    // Bad credentials and oversized bodies are not.
    for answer in [
        code(200, codes::APP_SECRET_INVALID),
        code(400, codes::INVALID_PARAM),
        transport(TransportErrorKind::BodyTooLarge),
    ] {
        let client = client(RetryPolicy::default());
        let endpoint = get();
        let mut run = Run::new(client.call(&endpoint).seed(42));
        run.send();
        let error = run.retry_or_error(&answer).expect_err("not retried");
        assert_raw_error(&error, &answer);
    }
}

#[test]
fn a_token_request_failing_every_time_exhausts_the_budget_and_frees_the_lease() {
    let client = client(policy(|p| p.max_attempts = 3));
    let endpoint = get();
    let mut run = Run::new(client.call(&endpoint).seed(42));
    run.send();
    let error = run.answer_until_done(&empty(503));
    let Error::Exhausted(exhausted) = &error else {
        panic!("expected Exhausted, got {error:?}");
    };
    assert_eq!(exhausted.failures.len(), 3);
    assert!(
        run.sent
            .iter()
            .all(|sent| sent.path == TENANT_TOKEN_INTERNAL)
    );

    // The next call may fetch a token at once.
    let mut next = Run::at(client.call(&endpoint).seed(43), run.now);
    assert_eq!(next.send().path, TENANT_TOKEN_INTERNAL);
}

#[test]
fn the_lease_is_kept_across_a_long_retry_wait() {
    let client = feishu_core::Client::new(
        Config::feishu()
            .with_app(feishu_core::App::self_built("cli_x", "secret"))
            .with_timeout(secs(2)),
        0x5eed,
    );
    let endpoint = get();
    let mut a = Run::new(client.call(&endpoint).seed(42));
    assert_eq!(a.send().path, TENANT_TOKEN_INTERNAL);
    a.answer(&code(429, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT).reset(5));
    assert_eq!(a.wait(), secs(5));
    // A sends its token request again...
    assert_eq!(a.send().path, TENANT_TOKEN_INTERNAL);
    // ...so B, polled at the same time, must wait for it.
    let mut b = Run::at(client.call(&endpoint).seed(43), a.now);
    let step = b.poll();
    assert!(
        matches!(step, Step::Wait(_)),
        "a second token request is in flight: {step:?}"
    );
}

#[test]
fn a_call_waiting_for_another_calls_token_gives_up_at_its_deadline() {
    let client = client(policy(|p| p.deadline = secs(2)));
    let endpoint = get();
    // A takes the lease; its token request never comes back.
    let mut a = Run::new(client.call(&endpoint).seed(42));
    assert_eq!(a.send().path, TENANT_TOKEN_INTERNAL);

    let mut b = Run::new(client.call(&endpoint).seed(43));
    let deadline = t0() + secs(2);
    for _ in 0..1000 {
        let polled_at = b.now;
        match b.poll() {
            Step::Wait(until) => {
                assert!(
                    polled_at < deadline,
                    "B, polled {:?} after its start, waits again, until {:?}",
                    polled_at.duration_since(t0()),
                    until.duration_since(t0())
                );
                b.now = until;
            }
            Step::Store(op) => panic!("no shared store here, yet asked for {op:?}"),
            Step::Done(result) => {
                let error = result.expect_err("B cannot succeed without a token");
                assert_eq!(kind_of(&error), Some(TransportErrorKind::Timeout));
                return;
            }
            Step::Send(_) => panic!("B sent while A holds the lease"),
        }
    }
    panic!("B never gave up");
}
