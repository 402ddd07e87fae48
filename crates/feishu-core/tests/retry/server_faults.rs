//! Server faults: 5xx statuses, whatever the body, and the internal-error
//! codes (`codes::SERVER_FAULT`). The request may have been processed, so only
//! a request safe to repeat is retried: a GET, or a send carrying the uuid the
//! call gave it. A raw POST fails at once with that error.

use feishu_core::http::StatusCode;
use feishu_core::{Failure, RawEndpoint, RetryPolicy, codes};
use serde_json::json;

use crate::harness::*;

/// Every server fault: 500/502/503/504 with an empty, an HTML and a JSON
/// envelope body, and the fault codes under 200 and 400.
fn server_faults() -> Vec<Answer> {
    let mut answers = Vec::new();
    for status in [500, 502, 503, 504] {
        answers.push(empty(status));
        answers.push(html(status));
        // An envelope with a code of no meaning of its own: the status decides.
        answers.push(json(
            status,
            json!({"code": -1, "msg": "Internal Server Error"}),
        ));
        answers.push(code(status, codes::INTERNAL_ERROR));
    }
    for code_ in [
        codes::INTERNAL_ERROR,
        codes::INTERNAL_ERROR_REDUCE_QPS,
        codes::INTERNAL_SERVER_ERROR,
        codes::GET_TENANT_ACCESS_TOKEN_FAILED,
    ] {
        for status in [200, 400] {
            answers.push(code(status, code_));
        }
    }
    answers
}

/// The failure the policy records for a server fault.
fn expected_failure(answer: &Answer) -> Failure {
    let Answer::Http { status, body, .. } = answer else {
        unreachable!("server faults are responses")
    };
    let code = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|body| body.get("code")?.as_i64());
    Failure::Server {
        status: StatusCode::from_u16(*status).expect("a status"),
        code,
    }
}

#[test]
fn server_faults_are_retried_for_a_get() {
    let client = client(RetryPolicy::default());
    for answer in server_faults() {
        let wait = first_answer(&client, &get(), &answer)
            .unwrap_or_else(|error| panic!("{answer:?} was not retried: {error}"));
        assert!(wait < INITIAL_BACKOFF, "{answer:?}: {wait:?}");
        assert_eq!(failure_of(&get(), &answer), expected_failure(&answer));
    }
}

#[test]
fn server_faults_end_a_non_idempotent_post_at_once_with_that_error() {
    let client = client(RetryPolicy::default());
    for answer in server_faults() {
        let error = first_answer(&client, &post(), &answer)
            .expect_err("a POST without uuid may have been processed");
        assert_raw_error(&error, &answer);
    }
}

#[test]
fn server_faults_are_retried_for_send_message_which_the_call_gives_a_uuid() {
    let client = client(RetryPolicy::default());
    for answer in server_faults() {
        let wait = first_answer(&client, &send_message(), &answer)
            .unwrap_or_else(|error| panic!("{answer:?} was not retried: {error}"));
        assert!(wait < INITIAL_BACKOFF, "{answer:?}: {wait:?}");
        assert_eq!(
            failure_of(&send_message(), &answer),
            expected_failure(&answer)
        );
    }
}

#[test]
fn a_post_declared_idempotent_is_retried_and_a_get_declared_not_is_not() {
    let client = client(RetryPolicy::default());
    let answer = empty(503);
    assert!(first_answer(&client, &post().idempotent(true), &answer).is_ok());
    let error = first_answer(&client, &RawEndpoint::get(CHATS).idempotent(false), &answer)
        .expect_err("declared not idempotent");
    assert_raw_error(&error, &answer);
}

#[test]
fn a_server_fault_then_success_returns_the_output() {
    let client = client(RetryPolicy::default());
    let endpoint = send_message();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(feishu_core::Secret::new(TENANT_TOKEN))
            .seed(7),
    );
    run.send();
    run.retry_or_error(&empty(502)).expect("retried");
    run.retry_or_error(&html(504)).expect("retried");
    run.retry_or_error(&code(200, codes::INTERNAL_ERROR_REDUCE_QPS))
        .expect("retried");
    run.answer(&ok());
    let message = run.done().expect("success");
    assert_eq!(message.message_id, "om_dc13264520392913993dd051dba21dcf");
    assert_eq!(run.sent.len(), 4);
}
