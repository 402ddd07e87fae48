//! Backoff (exponential backoff with jitter, as Feishu's rate-limit guide
//! advises when no reset header comes): "full jitter", the wait
//! before retry n drawn in [0, min(max_backoff, initial_backoff × 2^(n-1))),
//! from the call's seed only, so the same seed replays the same waits.

use std::time::Duration;

use feishu_core::{Error, RetryPolicy, Secret, TransportErrorKind};

use crate::harness::*;

/// The cap of retry `n` (1 for the first).
fn cap(policy: &RetryPolicy, n: u32) -> Duration {
    let doubled = policy
        .initial_backoff
        .checked_mul(1 << (n - 1).min(31))
        .unwrap_or(Duration::MAX);
    doubled.min(policy.max_backoff)
}

fn test_policy() -> RetryPolicy {
    policy(|p| {
        p.max_attempts = 10;
        p.initial_backoff = ms(100);
        p.max_backoff = secs(1);
        p.deadline = secs(3600);
    })
}

/// The waits of a GET seeded with `seed`, answered 503 until it gives up.
fn waits(policy: &RetryPolicy, seed: u64, answer: &Answer) -> (Vec<Duration>, Error) {
    let client = client(policy.clone());
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(seed),
    );
    run.send();
    let error = run.answer_until_done(answer);
    (run.waits, error)
}

#[test]
fn the_same_seed_replays_the_same_waits_and_another_seed_does_not() {
    let policy = test_policy();
    let (a, _) = waits(&policy, 7, &empty(503));
    let (b, _) = waits(&policy, 7, &empty(503));
    let (c, _) = waits(&policy, 8, &empty(503));
    assert_eq!(a.len(), 9);
    assert_eq!(a, b);
    assert_ne!(a, c);
    // The waits depend on the seed, not on what failed.
    let (d, _) = waits(&policy, 7, &transport(TransportErrorKind::Reset));
    assert_eq!(a, d);
}

#[test]
fn each_wait_is_below_its_doubling_cap() {
    let policy = test_policy();
    let mut longest = [Duration::ZERO; 9];
    for seed in 0..64 {
        let (waits, _) = waits(&policy, seed, &empty(503));
        assert_eq!(waits.len(), 9, "seed {seed}");
        for (i, wait) in waits.iter().enumerate() {
            let n = u32::try_from(i + 1).expect("few retries");
            assert!(*wait < cap(&policy, n), "seed {seed}, retry {n}: {wait:?}");
            longest[i] = longest[i].max(*wait);
        }
    }
    // The caps do double (100, 200, 400, 800 ms), then stay at max_backoff:
    // over 64 seeds some wait of each retry passes the previous cap.
    for n in 2..=4 {
        let i = usize::try_from(n - 1).expect("small");
        assert!(
            longest[i] >= cap(&policy, n - 1),
            "retry {n}: the longest wait {:?} is under the previous cap",
            longest[i]
        );
    }
    for (i, longest) in longest.iter().enumerate().skip(4) {
        assert!(*longest > ms(800), "retry {}: {longest:?}", i + 1);
    }
}

#[test]
fn the_default_policy_backs_off_below_250_ms_then_500_ms_then_1_s() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.max_attempts, 5);
    assert_eq!(policy.initial_backoff, ms(250));
    assert_eq!(policy.max_backoff, secs(30));
    assert_eq!(policy.max_rate_limit_wait, secs(60));
    assert_eq!(policy.deadline, secs(300));
    for seed in 0..16 {
        let (waits, _) = waits(&policy, seed, &empty(503));
        assert_eq!(waits.len(), 4);
        for (wait, limit) in waits.iter().zip([250, 500, 1000, 2000]) {
            assert!(*wait < ms(limit), "seed {seed}: {waits:?}");
        }
    }
}

#[test]
fn many_retries_stay_below_max_backoff_without_overflow() {
    let policy = policy(|p| {
        p.max_attempts = 64;
        p.initial_backoff = secs(1);
        p.max_backoff = secs(30);
        p.deadline = secs(24 * 3600);
    });
    let (waits, error) = waits(&policy, 5, &empty(503));
    assert_eq!(waits.len(), 63);
    assert!(waits.iter().all(|wait| *wait < secs(30)), "{waits:?}");
    let Error::Exhausted(exhausted) = error else {
        panic!("expected Exhausted, got {error:?}");
    };
    assert_eq!(exhausted.failures.len(), 64);
}

#[test]
fn a_zero_initial_backoff_retries_at_once() {
    let policy = policy(|p| {
        p.max_attempts = 4;
        p.initial_backoff = Duration::ZERO;
    });
    let (waits, _) = waits(&policy, 9, &empty(503));
    assert_eq!(waits, vec![Duration::ZERO; 3]);
}

#[test]
fn a_huge_backoff_does_not_panic() {
    let policy = policy(|p| {
        p.max_attempts = 3;
        p.initial_backoff = Duration::MAX;
        p.max_backoff = Duration::MAX;
        p.deadline = secs(3600);
    });
    // Whatever the draw, a wait past the deadline gives up instead.
    let client = client(policy);
    let endpoint = get();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(1),
    );
    run.send();
    let answer = empty(503);
    let error = run.answer_until_done(&answer);
    assert_eq!(status_of(&error), Some(503), "{error:?}");
}

#[test]
fn rate_limit_resets_do_not_count_as_backoffs_but_do_count_as_attempts() {
    // After two rate limits with a reset, the next backoff is retry 3's.
    let policy = test_policy();
    let client = client(policy.clone());
    for seed in 0..16 {
        let endpoint = get();
        let mut run = Run::new(
            client
                .call(&endpoint)
                .with_token(Secret::new(TENANT_TOKEN))
                .seed(seed),
        );
        run.send();
        run.retry_or_error(&rate_limited(1)).expect("retried");
        run.retry_or_error(&rate_limited(1)).expect("retried");
        let wait = run.retry_or_error(&empty(503)).expect("retried");
        assert!(wait < cap(&policy, 3), "seed {seed}: {wait:?}");
    }
}
