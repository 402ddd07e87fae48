//! The `uuid` a seeded call gives `SendMessage` (what makes a resent POST
//! safe): a v4
//! UUID, built once and resent byte for byte on every retry, drawn from the
//! call's seed only. Every call is seeded, from its client's seed unless the
//! caller reseeds it; a caller's own uuid is kept.

use std::collections::HashSet;

use feishu_core::im::message::SendMessage;
use feishu_core::{Client, RetryPolicy, Secret};

use crate::harness::*;

/// Asserts `uuid` is the text form of a version 4, RFC 4122 variant UUID.
#[track_caller]
fn assert_v4(uuid: &str) {
    assert_eq!(uuid.len(), 36, "{uuid}");
    for (i, c) in uuid.char_indices() {
        if [8, 13, 18, 23].contains(&i) {
            assert_eq!(c, '-', "{uuid}");
        } else {
            assert!(
                c.is_ascii_digit() || ('a'..='f').contains(&c),
                "{uuid}: {c:?} is not a lowercase hex digit"
            );
        }
    }
    assert_eq!(&uuid[14..15], "4", "{uuid}: version nibble");
    assert!("89ab".contains(&uuid[19..20]), "{uuid}: variant nibble");
}

/// The uuid a call of `endpoint` seeded with `seed` sends.
fn uuid_of(client: &Client, endpoint: &SendMessage, seed: u64) -> Option<String> {
    let mut run = Run::new(
        client
            .call(endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(seed),
    );
    run.send().uuid()
}

#[test]
fn a_seeded_send_message_carries_a_v4_uuid() {
    let client = client(RetryPolicy::default());
    let endpoint = send_message();
    for seed in [0, 1, 42, u64::MAX] {
        let mut run = Run::new(
            client
                .call(&endpoint)
                .with_token(Secret::new(TENANT_TOKEN))
                .seed(seed),
        );
        let sent = run.send();
        assert_eq!(sent.path, MESSAGES);
        let uuid = sent.uuid().expect("the call adds a uuid");
        assert_v4(&uuid);
        // The rest of the body is the caller's.
        let body = sent.json();
        assert_eq!(body["receive_id"], CHAT_ID);
        assert_eq!(body["msg_type"], "text");
        assert_eq!(body["content"], r#"{"text":"hi"}"#);
    }
}

#[test]
fn the_uuid_and_the_whole_body_are_identical_on_every_retry() {
    let client = client(RetryPolicy::default());
    let endpoint = send_message();
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(42),
    );
    let first = run.send();
    run.retry_or_error(&empty(500)).expect("retried");
    run.retry_or_error(&transport(feishu_core::TransportErrorKind::Timeout))
        .expect("retried");
    run.retry_or_error(&rate_limited(1)).expect("retried");
    run.answer(&ok());
    run.done().expect("success");
    assert_eq!(run.sent.len(), 4);
    for sent in &run.sent {
        assert_eq!(sent.body, first.body, "the body bytes changed");
    }
    assert_v4(&first.uuid().expect("a uuid"));
}

#[test]
fn the_same_seed_gives_the_same_uuid_and_another_seed_another() {
    let client = client(RetryPolicy::default());
    let endpoint = send_message();
    let a = uuid_of(&client, &endpoint, 42);
    assert_eq!(a, uuid_of(&client, &endpoint, 42));
    // Also on another client: the uuid depends on the seed alone.
    let other_client = crate::harness::client(RetryPolicy::never());
    assert_eq!(a, uuid_of(&other_client, &endpoint, 42));
    assert_ne!(a, uuid_of(&client, &endpoint, 43));

    let uuids: HashSet<_> = (0..256)
        .map(|seed| uuid_of(&client, &endpoint, seed).expect("a uuid"))
        .collect();
    assert_eq!(uuids.len(), 256, "uuids repeat across seeds");
    uuids.iter().for_each(|uuid| assert_v4(uuid));
}

#[test]
fn a_caller_given_uuid_is_kept_and_makes_the_send_safe_to_repeat() {
    let client = client(RetryPolicy::default());
    let endpoint = send_message().uuid("evt-8d2b1d5f-reply");
    for seeded in [true, false] {
        let call = client.call(&endpoint).with_token(Secret::new(TENANT_TOKEN));
        let call = if seeded { call.seed(42) } else { call };
        let mut run = Run::new(call);
        let first = run.send();
        assert_eq!(first.uuid().as_deref(), Some("evt-8d2b1d5f-reply"));
        run.retry_or_error(&empty(500))
            .expect("a send with a uuid is retried after a 500");
        run.answer(&ok());
        run.done().expect("success");
    }
}

#[test]
fn every_call_is_seeded_from_its_client_and_gets_a_uuid_of_its_own() {
    let client = client(RetryPolicy::default());
    let endpoint = send_message();
    let mut run = Run::new(client.call(&endpoint).with_token(Secret::new(TENANT_TOKEN)));
    let first = run.send();
    let uuid = first
        .uuid()
        .expect("an unseeded call is seeded by its client");
    assert_v4(&uuid);
    run.retry_or_error(&empty(500))
        .expect("with its uuid, a send is safe to repeat");
    assert_eq!(run.sent[1].uuid().as_deref(), Some(uuid.as_str()));

    let uuids: HashSet<_> = (0..64)
        .map(|_| {
            let mut run = Run::new(client.call(&endpoint).with_token(Secret::new(TENANT_TOKEN)));
            run.send().uuid().expect("a uuid")
        })
        .collect();
    assert_eq!(uuids.len(), 64, "calls of one client share no uuid");
}

#[test]
fn a_send_message_with_its_own_timeout_still_gets_a_uuid_and_retries() {
    use feishu_core::Endpoint as _;
    let client = client(RetryPolicy::default());
    let endpoint = send_message().with_timeout(secs(5));
    let mut run = Run::new(
        client
            .call(&endpoint)
            .with_token(Secret::new(TENANT_TOKEN))
            .seed(42),
    );
    let first = run.send();
    assert_eq!(first.timeout, Some(secs(5)));
    assert_v4(&first.uuid().expect("a uuid"));
    assert!(run.retry_or_error(&empty(503)).is_ok());
    assert_eq!(first.uuid(), uuid_of(&client, &send_message(), 42));
}
