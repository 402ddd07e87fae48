//! Transport failures: a refused connection sent nothing, so any request
//! is repeated; a timeout, a reset or another failure may have reached the
//! server, so only requests safe to repeat are; a body over the size cap is
//! never retried (it would be as large again).

use feishu_core::TransportErrorKind::{self, BodyTooLarge, Connect, Other, Reset, Timeout};
use feishu_core::{Failure, RetryPolicy, Secret};

use crate::harness::*;

/// Kind → retried for (GET, raw POST, seeded SendMessage).
const CASES: [(TransportErrorKind, [bool; 3]); 5] = [
    (Connect, [true, true, true]),
    (Timeout, [true, false, true]),
    (Reset, [true, false, true]),
    (Other, [true, false, true]),
    (BodyTooLarge, [false, false, false]),
];

#[test]
fn transport_errors_are_retried_by_kind_and_by_request() {
    let client = client(RetryPolicy::default());
    for (kind, retried) in CASES {
        let answer = transport(kind);
        let results = [
            ("GET", first_answer(&client, &get(), &answer)),
            ("POST", first_answer(&client, &post(), &answer)),
            (
                "SendMessage",
                first_answer(&client, &send_message(), &answer),
            ),
        ];
        for ((name, result), retried) in results.into_iter().zip(retried) {
            match result {
                Ok(wait) => {
                    assert!(retried, "{kind:?} on {name} was retried");
                    assert!(wait < INITIAL_BACKOFF, "{kind:?} on {name}: {wait:?}");
                }
                Err(error) => {
                    assert!(!retried, "{kind:?} on {name} was not retried: {error}");
                    assert_raw_error(&error, &answer);
                }
            }
        }
    }
}

#[test]
fn the_failure_recorded_is_the_transport_kind() {
    for (kind, [get_retried, ..]) in CASES {
        if get_retried {
            assert_eq!(
                failure_of(&get(), &transport(kind)),
                Failure::Transport(kind)
            );
        }
    }
    assert_eq!(
        failure_of(&post(), &transport(Connect)),
        Failure::Transport(Connect)
    );
}

#[test]
fn refused_connections_on_a_post_are_retried_but_a_timeout_ends_it() {
    let client = client(RetryPolicy::default());
    let endpoint = post();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    run.retry_or_error(&transport(Connect)).expect("retried");
    run.retry_or_error(&transport(Connect)).expect("retried");
    // Then a timeout: it may have posted, so the call stops there, with that
    // error as is (a failure the policy refuses is not "giving up").
    let answer = transport(Timeout);
    let error = run.retry_or_error(&answer).expect_err("not retried");
    assert_raw_error(&error, &answer);
    assert_eq!(run.sent.len(), 3);
}

#[test]
fn a_refused_connection_then_success_returns_the_output() {
    let client = client(RetryPolicy::default());
    let endpoint = post();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    run.retry_or_error(&transport(Connect)).expect("retried");
    run.answer(&ok());
    run.done().expect("success");
    assert_eq!(run.sent.len(), 2);
}
