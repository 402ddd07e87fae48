//! Rate limits: HTTP 429 or a rate-limit code. The request was not
//! processed, so any request is repeated, after `x-ogw-ratelimit-reset`
//! seconds when the server says, capped; after a jittered backoff otherwise.

use std::collections::HashSet;
use std::time::Duration;

use feishu_core::http::StatusCode;
use feishu_core::{Failure, RetryPolicy, Secret, Step, codes};

use crate::harness::*;

/// The per-API rate-limit codes, besides the gateway's
/// [`codes::REQUEST_TRIGGER_FREQUENCY_LIMIT`].
const OTHER_RATE_LIMIT_CODES: [i64; 6] = [
    codes::MESSAGE_RATE_LIMITED,
    codes::CHAT_RATE_LIMITED,
    codes::INTERNAL_SEND_RATE_LIMITED,
    codes::METHOD_RATE_LIMITED,
    codes::APP_RATE_LIMITED,
    codes::IM_RATE_LIMITED,
];

#[test]
fn a_429_with_a_reset_header_waits_that_long_then_resends_the_same_request() {
    let client = client(RetryPolicy::default());
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(42),
    );

    let first = run.send();
    assert_eq!((first.method.as_str(), first.path.as_str()), ("GET", CHATS));
    run.answer(&rate_limited(7));
    let until = t0() + secs(7);
    assert!(matches!(run.poll(), Step::Wait(at) if at == until));

    // Polling early changes nothing.
    run.advance(secs(3));
    assert!(matches!(run.poll(), Step::Wait(at) if at == until));
    run.advance(ms(3999));
    assert!(matches!(run.poll(), Step::Wait(at) if at == until));

    run.now = until;
    let second = run.send();
    assert!(second.same_request(&first), "{second:?} != {first:?}");
    run.answer(&ok());
    let data = run.done().expect("the retry succeeds");
    assert_eq!(data["chat_id"], CHAT_ID);
    assert_eq!(run.sent.len(), 2);
}

#[test]
fn code_99991400_is_a_rate_limit_under_429_400_and_200() {
    let client = client(RetryPolicy::default());
    for status in [429, 400, 200] {
        let answer = code(status, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT).reset(3);
        assert_eq!(
            first_answer(&client, &get(), &answer).ok(),
            Some(secs(3)),
            "{answer:?}"
        );
        assert_eq!(
            failure_of(&get(), &answer),
            Failure::RateLimited {
                status: StatusCode::from_u16(status).expect("a status"),
                code: Some(codes::REQUEST_TRIGGER_FREQUENCY_LIMIT),
                reset: Some(secs(3)),
            }
        );
    }
}

#[test]
fn the_other_rate_limit_codes_wait_for_the_reset_too() {
    let client = client(RetryPolicy::default());
    for code_ in OTHER_RATE_LIMIT_CODES {
        for status in [400, 200] {
            let answer = code(status, code_).reset(2);
            for result in [
                first_answer(&client, &get(), &answer),
                first_answer(&client, &post(), &answer),
                first_answer(&client, &send_message(), &answer),
            ] {
                assert_eq!(result.ok(), Some(secs(2)), "{answer:?}");
            }
            assert!(
                matches!(
                    failure_of(&post(), &answer),
                    Failure::RateLimited { code: Some(c), reset: Some(r), .. }
                        if c == code_ && r == secs(2)
                ),
                "{answer:?}"
            );
        }
    }
}

#[test]
fn the_rate_limit_codes_without_a_header_back_off() {
    let client = client(RetryPolicy::default());
    for code_ in [codes::REQUEST_TRIGGER_FREQUENCY_LIMIT]
        .into_iter()
        .chain(OTHER_RATE_LIMIT_CODES)
    {
        let answer = code(400, code_);
        let wait = first_answer(&client, &post(), &answer).expect("retried");
        assert!(wait < INITIAL_BACKOFF, "{answer:?}: {wait:?}");
    }
}

#[test]
fn a_reset_above_max_rate_limit_wait_is_capped_to_it() {
    let capped = client(policy(|p| p.max_rate_limit_wait = secs(10)));
    let cases = [
        (&capped, 9, secs(9)),
        (&capped, 10, secs(10)),
        (&capped, 11, secs(10)),
        (&capped, 3600, secs(10)),
    ];
    for (client, reset, wait) in cases {
        let answer = rate_limited(reset);
        assert_eq!(
            first_answer(client, &get(), &answer).ok(),
            Some(wait),
            "{answer:?}"
        );
    }
    // The default cap is 60 s.
    let default = client(RetryPolicy::default());
    assert_eq!(
        first_answer(&default, &get(), &rate_limited(600)).ok(),
        Some(secs(60))
    );
}

#[test]
fn a_429_without_the_header_backs_off_with_jitter_below_the_cap() {
    let client = client(RetryPolicy::default());
    let mut waits = HashSet::new();
    for seed in 0..32 {
        for answer in [
            code(429, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT),
            empty(429),
            html(429),
            // Not a number of seconds: no reset.
            code(429, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT)
                .header("x-ogw-ratelimit-reset", "soon"),
        ] {
            let wait =
                first_answer_seeded(&client, &get(), seed, &answer).expect("a 429 is retried");
            assert!(wait < INITIAL_BACKOFF, "{answer:?}: {wait:?}");
            waits.insert(wait);
        }
    }
    assert!(waits.len() > 16, "not jittered: {waits:?}");
}

#[test]
fn a_429_with_an_html_body_is_still_rate_limited() {
    let client = client(RetryPolicy::default());
    let answer = html(429).reset(7);
    for result in [
        first_answer(&client, &get(), &answer),
        first_answer(&client, &post(), &answer),
    ] {
        assert_eq!(result.ok(), Some(secs(7)));
    }
    assert_eq!(
        failure_of(&post(), &answer),
        Failure::RateLimited {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: None,
            reset: Some(secs(7)),
        }
    );
    // So is an empty one.
    assert_eq!(
        first_answer(&client, &post(), &empty(429).reset(4)).ok(),
        Some(secs(4))
    );
}

#[test]
fn the_reset_header_name_is_case_insensitive() {
    let client = client(RetryPolicy::default());
    let answer =
        code(429, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT).header("X-Ogw-Ratelimit-Reset", "5");
    assert_eq!(first_answer(&client, &get(), &answer).ok(), Some(secs(5)));
}

#[test]
fn rate_limits_are_retried_even_for_a_non_idempotent_post() {
    let client = client(RetryPolicy::default());
    let endpoint = post();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(42),
    );
    let first = run.send();
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("POST", MESSAGES)
    );
    // The request was not processed: repeat it, the same bytes each time.
    assert_eq!(run.retry_or_error(&rate_limited(1)).ok(), Some(secs(1)));
    assert_eq!(
        run.retry_or_error(&code(400, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT).reset(2))
            .ok(),
        Some(secs(2))
    );
    assert_eq!(
        run.retry_or_error(&code(400, codes::IM_RATE_LIMITED).reset(3))
            .ok(),
        Some(secs(3))
    );
    let backoff = run.retry_or_error(&html(429)).expect("retried");
    assert!(backoff < INITIAL_BACKOFF * 8, "{backoff:?}");
    run.answer(&ok());
    run.done().expect("the fifth attempt succeeds");
    assert_eq!(run.sent.len(), 5);
    assert!(run.sent.iter().all(|sent| sent.same_request(&first)));
    assert_eq!(run.now, t0() + secs(6) + backoff);
}

#[test]
fn a_rate_limit_wait_of_zero_retries_at_once() {
    let client = client(RetryPolicy::default());
    assert_eq!(
        first_answer(&client, &get(), &rate_limited(0)).ok(),
        Some(Duration::ZERO)
    );
}
