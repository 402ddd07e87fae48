//! Business errors (fail fast: no retry for other business codes): most are
//! permanent, so no request is ever repeated after one, whatever its method.

use feishu_core::{RetryPolicy, Secret, codes};

use crate::harness::*;

fn business_errors() -> Vec<Answer> {
    vec![
        // IM: the bot is not in the chat.
        code(400, codes::BOT_NOT_IN_CHAT),
        // The app lacks a scope.
        code(400, codes::ACCESS_DENIED),
        // Invalid parameter, under 400 and under 200.
        code(400, codes::INVALID_PARAM),
        code(200, codes::INVALID_PARAM),
        // IP not whitelisted; app deactivated.
        code(400, codes::IP_NOT_IN_WHITELIST),
        code(400, codes::APP_SECRET_INVALID),
        // A token the caller gave: never repaired, and not a retry matter.
        code(400, codes::TENANT_ACCESS_TOKEN_INVALID),
        // A wrong path's plain-text 404, and a 4xx with no body.
        text(404, "404 page not found"),
        empty(403),
        // A 200 that is not JSON is not a server fault either.
        html(200),
    ]
}

#[test]
fn business_errors_are_never_retried() {
    let client = client(RetryPolicy::default());
    for answer in business_errors() {
        for (name, result) in [
            ("GET", first_answer(&client, &get(), &answer)),
            ("POST", first_answer(&client, &post(), &answer)),
            (
                "SendMessage",
                first_answer(&client, &send_message(), &answer),
            ),
        ] {
            let error = result.expect_err(&format!("{answer:?} on {name} was retried"));
            assert_raw_error(&error, &answer);
        }
    }
}

#[test]
fn a_business_error_after_retries_ends_the_call_at_once() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(3),
    );
    run.send();
    run.retry_or_error(&empty(503)).expect("retried");
    run.retry_or_error(&rate_limited(1)).expect("retried");
    let answer = code(400, codes::BOT_NOT_IN_CHAT);
    let error = run.retry_or_error(&answer).expect_err("not retried");
    assert_raw_error(&error, &answer);
    assert_eq!(run.sent.len(), 3);
}
