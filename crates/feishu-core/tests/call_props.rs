//! Properties of the call state machine under any sequence of answers: it
//! never makes more attempts than the budget, never repeats a request that
//! may have been processed unless it is safe to, and never waits past the
//! deadline.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use feishu_core::{
    Client, Config, Endpoint, RawEndpoint, RetryPolicy, Secret, Step, TransportError,
    TransportErrorKind,
};
use proptest::prelude::*;

/// One answer the transport may give.
#[derive(Clone, Debug)]
enum Answer {
    Ok,
    Status(u16),
    RateLimited(u64),
    TokenInvalid,
    Transport(TransportErrorKind),
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        Just(Answer::Ok),
        prop_oneof![Just(500u16), Just(502), Just(503), Just(504), Just(400)]
            .prop_map(Answer::Status),
        (0u64..120).prop_map(Answer::RateLimited),
        Just(Answer::TokenInvalid),
        prop_oneof![
            Just(TransportErrorKind::Connect),
            Just(TransportErrorKind::Timeout),
            Just(TransportErrorKind::Reset),
            Just(TransportErrorKind::Other),
            Just(TransportErrorKind::BodyTooLarge),
        ]
        .prop_map(Answer::Transport),
    ]
}

fn policy() -> impl Strategy<Value = RetryPolicy> {
    (1u32..8, 1u64..600, 0u64..2000, 1u64..60).prop_map(|(attempts, deadline, initial, max)| {
        let mut policy = RetryPolicy::default();
        policy.max_attempts = attempts;
        policy.deadline = Duration::from_secs(deadline);
        policy.initial_backoff = Duration::from_millis(initial);
        policy.max_backoff = Duration::from_secs(max);
        policy.max_rate_limit_wait = Duration::from_secs(90);
        policy
    })
}

fn response(status: u16, body: &str, reset: Option<u64>) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder()
        .status(status)
        .header("content-type", "application/json");
    if let Some(reset) = reset {
        builder = builder.header("x-ogw-ratelimit-reset", reset.to_string());
    }
    builder.body(body.as_bytes().to_vec()).expect("a response")
}

/// Drives a call against scripted answers (the last repeats); returns the
/// answers that preceded each resend, and checks the clock on the way.
fn drive<E: Endpoint>(
    endpoint: &E,
    policy: &RetryPolicy,
    answers: &[Answer],
    seed: u64,
) -> (usize, Vec<Answer>) {
    let client = Client::new(Config::feishu().with_retry_policy(policy.clone()), 0x5eed);
    let mut call = client
        .call(endpoint)
        .with_token(Secret::new("t-x"))
        .seed(seed);
    let start = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let deadline = start + policy.deadline;
    let mut now: SystemTime = start;
    let (mut sends, mut before_resend, mut last) = (0, Vec::new(), None);
    for _ in 0..200 {
        match call.poll(now) {
            Step::Send(_) => {
                if let Some(previous) = last.take() {
                    before_resend.push(previous);
                }
                let answer = answers
                    .get(sends)
                    .or(answers.last())
                    .cloned()
                    .unwrap_or(Answer::Ok);
                sends += 1;
                match &answer {
                    Answer::Ok => {
                        call.on_response(response(200, r#"{"code":0,"data":{}}"#, None), now)
                    }
                    Answer::Status(status) => call.on_response(response(*status, "", None), now),
                    Answer::RateLimited(reset) => call.on_response(
                        response(429, r#"{"code":99991400,"msg":"limited"}"#, Some(*reset)),
                        now,
                    ),
                    Answer::TokenInvalid => call.on_response(
                        response(400, r#"{"code":99991663,"msg":"invalid token"}"#, None),
                        now,
                    ),
                    Answer::Transport(kind) => {
                        call.on_transport_error(TransportError::new(*kind, "scripted"), now)
                    }
                }
                last = Some(answer);
            }
            Step::Wait(until) => {
                assert!(
                    until <= deadline,
                    "waits past the deadline: {until:?} > {deadline:?}"
                );
                assert!(until >= now, "waits into the past");
                now = until;
            }
            Step::Store(op) => panic!("no shared store here, yet asked for {op:?}"),
            Step::Done(_) => return (sends, before_resend),
        }
    }
    panic!("the call never ended");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn attempts_stay_within_the_budget(
        policy in policy(),
        answers in prop::collection::vec(answer(), 1..12),
        seed in any::<u64>(),
    ) {
        let (sends, _) = drive(&RawEndpoint::get("/open-apis/x"), &policy, &answers, seed);
        prop_assert!(sends <= policy.max_attempts.max(1) as usize, "{sends} sends");
    }

    #[test]
    fn a_request_that_may_have_been_processed_is_never_repeated(
        policy in policy(),
        answers in prop::collection::vec(answer(), 1..12),
        seed in any::<u64>(),
    ) {
        let post = RawEndpoint::post("/open-apis/x", serde_json::json!({"a": 1}));
        let (_, before_resend) = drive(&post, &policy, &answers, seed);
        for answer in before_resend {
            // Only a refusal that proves nothing was processed allows a resend.
            prop_assert!(
                matches!(answer, Answer::RateLimited(_) | Answer::Transport(TransportErrorKind::Connect)),
                "a non-idempotent POST was repeated after {answer:?}"
            );
        }
    }
}
