//! A call driven oddly, mid-retry or not, ends with `OutOfOrder` (or keeps
//! waiting): never a panic.

use std::fmt::Debug;

use feishu_core::{Error, Misuse, RetryPolicy, Secret, Step, TransportError};

use crate::harness::*;

#[track_caller]
fn assert_out_of_order<T: Debug>(result: Result<T, Error>) {
    assert!(
        matches!(result, Err(Error::Misuse(Misuse::OutOfOrder))),
        "{result:?}"
    );
}

fn boom() -> TransportError {
    TransportError::new(feishu_core::TransportErrorKind::Connect, "boom")
}

#[test]
fn a_transport_error_with_nothing_out_is_out_of_order() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut call = client.call(&endpoint).seed(42);
    call.on_transport_error(boom(), t0());
    let Step::Done(result) = call.poll(t0()) else {
        panic!("expected Done");
    };
    assert_out_of_order(result);
    // And it stays over.
    let Step::Done(result) = call.poll(t0()) else {
        panic!("expected Done");
    };
    assert_out_of_order(result);
}

#[test]
fn answers_during_a_backoff_are_out_of_order() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    for response in [true, false] {
        let mut run = Run::new(
            client
                .call(&endpoint)
                .with_token(Secret::new(TENANT_TOKEN))
                .seed(1),
        );
        run.send();
        run.answer(&rate_limited(5));
        assert!(matches!(run.poll(), Step::Wait(_)));
        if response {
            run.answer(&ok());
        } else {
            run.answer(&transport(feishu_core::TransportErrorKind::Connect));
        }
        assert_out_of_order(run.done());
    }
}

#[test]
fn a_second_answer_to_one_request_is_out_of_order() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    run.answer(&empty(503));
    run.answer(&empty(503));
    assert_out_of_order(run.done());
}

#[test]
fn polling_with_a_request_out_or_after_done_is_out_of_order() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    assert_out_of_order(run.done());
    // After Done, anything goes, and nothing panics.
    run.answer(&ok());
    run.answer(&transport(feishu_core::TransportErrorKind::Timeout));
    assert_out_of_order(run.done());

    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    run.answer(&ok());
    run.done().expect("success");
    assert_out_of_order(run.done());
}

#[test]
fn a_clock_going_backwards_mid_retry_does_not_panic() {
    let client = client(policy(|p| p.deadline = secs(10)));
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    run.answer(&rate_limited(5));
    let until = t0() + secs(5);
    assert!(matches!(run.poll(), Step::Wait(at) if at == until));
    // Before the wait, and before the call even started: still waiting.
    run.now = t0() - secs(60);
    assert!(matches!(run.poll(), Step::Wait(at) if at == until));
    // Answered "before" it was sent: a rate limit ending before the start.
    run.now = until;
    run.send();
    run.now = t0() - secs(3600);
    run.answer(&rate_limited(1));
    for _ in 0..4 {
        match run.poll() {
            Step::Wait(at) => run.now = at,
            Step::Send(request) => {
                // Its timeout is still bounded by the configured one.
                let timeout = request
                    .extensions()
                    .get::<feishu_core::Timeout>()
                    .map(|t| t.0);
                assert!(timeout <= Some(feishu_core::DEFAULT_TIMEOUT), "{timeout:?}");
                break;
            }
            Step::Store(op) => panic!("no shared store here, yet asked for {op:?}"),
            Step::Done(result) => {
                assert!(result.is_err());
                break;
            }
        }
    }
}
