//! Properties of the call state machine under any sequence of answers: it
//! never makes more attempts than the budget, never repeats a request that
//! may have been processed unless it is safe to, and never waits past the
//! deadline.

#[path = "support/harness.rs"]
mod harness;

use std::time::Duration;

use feishu_core::{
    Client, Config, Endpoint, RawEndpoint, RetryPolicy, Secret, Step, TransportErrorKind, codes,
};
use proptest::prelude::*;

use harness::{Answer, Run, t0};

/// One answer the transport may give.
#[derive(Clone, Debug)]
enum Scripted {
    Ok,
    Status(u16),
    RateLimited(u64),
    TokenInvalid,
    Transport(TransportErrorKind),
}

impl Scripted {
    /// The answer itself: a bare `application/json` body, or a failure.
    fn answer(&self) -> Answer {
        let json = |status, body: String| Answer::Http {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: body.into_bytes(),
        };
        match self {
            Self::Ok => json(200, r#"{"code":0,"data":{}}"#.to_owned()),
            Self::Status(status) => json(*status, String::new()),
            Self::RateLimited(reset) => json(
                429,
                format!(
                    r#"{{"code":{},"msg":"limited"}}"#,
                    codes::REQUEST_TRIGGER_FREQUENCY_LIMIT
                ),
            )
            .reset(*reset),
            Self::TokenInvalid => json(
                400,
                format!(
                    r#"{{"code":{},"msg":"invalid token"}}"#,
                    codes::TENANT_ACCESS_TOKEN_INVALID
                ),
            ),
            Self::Transport(kind) => Answer::Fail(*kind),
        }
    }
}

fn answer() -> impl Strategy<Value = Scripted> {
    prop_oneof![
        Just(Scripted::Ok),
        prop_oneof![Just(500u16), Just(502), Just(503), Just(504), Just(400)]
            .prop_map(Scripted::Status),
        (0u64..120).prop_map(Scripted::RateLimited),
        Just(Scripted::TokenInvalid),
        prop_oneof![
            Just(TransportErrorKind::Connect),
            Just(TransportErrorKind::Timeout),
            Just(TransportErrorKind::Reset),
            Just(TransportErrorKind::Other),
            Just(TransportErrorKind::BodyTooLarge),
        ]
        .prop_map(Scripted::Transport),
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

/// Drives a call against scripted answers (the last repeats); returns the
/// answers that preceded each resend, and checks the clock on the way.
fn drive<E: Endpoint>(
    endpoint: &E,
    policy: &RetryPolicy,
    answers: &[Scripted],
    seed: u64,
) -> (usize, Vec<Scripted>)
where
    E::Output: std::fmt::Debug,
{
    let client = Client::new(Config::feishu().with_retry_policy(policy.clone()), 0x5eed);
    let call = client
        .call(endpoint)
        .with_token(Secret::new("t-x"))
        .seed(seed);
    let deadline = t0() + policy.deadline;
    let mut run = Run::new(call);
    let (mut before_resend, mut last) = (Vec::new(), None);
    for _ in 0..200 {
        match run.poll() {
            Step::Send(_) => {
                if let Some(previous) = last.take() {
                    before_resend.push(previous);
                }
                let sends = run.sent.len();
                let answer = answers
                    .get(sends - 1)
                    .or(answers.last())
                    .cloned()
                    .unwrap_or(Scripted::Ok);
                run.answer(&answer.answer());
                last = Some(answer);
            }
            Step::Wait(until) => {
                assert!(
                    until <= deadline,
                    "waits past the deadline: {until:?} > {deadline:?}"
                );
                assert!(until >= run.now, "waits into the past");
                run.now = until;
            }
            Step::Store(op) => panic!("no shared store here, yet asked for {op:?}"),
            Step::Done(_) => return (run.sent.len(), before_resend),
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
                matches!(
                    answer,
                    Scripted::RateLimited(_) | Scripted::Transport(TransportErrorKind::Connect)
                ),
                "a non-idempotent POST was repeated after {answer:?}"
            );
        }
    }
}
