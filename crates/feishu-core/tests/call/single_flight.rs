//! One token refresh in flight per cache key: calls that find a
//! refresh under way wait for it; a refresher that is dropped, fails, or stalls
//! past its lease hands over to the next call.

use std::time::Duration;

use feishu_core::{Client, DEFAULT_TIMEOUT, codes};

use crate::harness::*;

#[test]
fn second_cold_call_waits_for_the_first_calls_token() {
    let client = self_built();
    let endpoint = chats();
    let mut a = client.call(&endpoint);
    let mut b = client.call(&endpoint);

    let a_token = expect_send(a.poll(t0()));
    assert_eq!(a_token.path, TENANT_TOKEN_INTERNAL);
    let until = expect_wait(b.poll(t0()));
    assert!(until > t0(), "{until:?}");
    assert!(
        until <= t0() + DEFAULT_TIMEOUT + Duration::from_secs(1),
        "B waits no longer than A's lease: {until:?}"
    );

    feed(&mut a, tenant_token(TENANT_TOKEN, 7200), t0());
    let b_api = expect_send(b.poll(until));
    assert_eq!(
        (b_api.path.as_str(), b_api.bearer()),
        (CHATS, Some(TENANT_TOKEN))
    );
    let a_api = expect_send(a.poll(t0()));
    assert_eq!(
        (a_api.path.as_str(), a_api.bearer()),
        (CHATS, Some(TENANT_TOKEN))
    );
}

#[test]
fn waiting_call_keeps_waiting_while_the_refresh_is_out() {
    let client = self_built();
    let endpoint = chats();
    let mut a = client.call(&endpoint);
    let mut b = client.call(&endpoint);
    let _ = expect_send(a.poll(t0()));

    let mut now = t0();
    for _ in 0..5 {
        now = expect_wait(b.poll(now));
    }
    assert!(now > t0());
}

#[test]
fn dropping_the_refreshing_call_lets_a_waiting_call_take_over_at_once() {
    let client = self_built();
    let endpoint = chats();
    let mut a = client.call(&endpoint);
    let mut b = client.call(&endpoint);
    let _ = expect_send(a.poll(t0()));
    let _ = expect_wait(b.poll(t0()));

    drop(a);
    let b_token = expect_send(b.poll(t0()));
    assert_eq!(b_token.path, TENANT_TOKEN_INTERNAL);
}

#[test]
fn stalled_refresh_is_taken_over_once_its_lease_lapses() {
    // The lease lasts the configured timeout plus one second.
    let client = Client::new(
        self_built_config().with_timeout(Duration::from_secs(10)),
        0x5eed,
    );
    let endpoint = chats();
    let mut a = client.call(&endpoint);
    let mut b = client.call(&endpoint);
    let _ = expect_send(a.poll(t0()));

    let _ = expect_wait(b.poll(t0() + Duration::from_millis(10_999)));
    let b_token = expect_send(b.poll(after(11)));
    assert_eq!(b_token.path, TENANT_TOKEN_INTERNAL);
}

#[test]
fn default_lease_lapses_after_121_seconds() {
    let client = self_built();
    let endpoint = chats();
    let mut a = client.call(&endpoint);
    let mut b = client.call(&endpoint);
    let _ = expect_send(a.poll(t0()));

    let _ = expect_wait(b.poll(after(120)));
    let b_token = expect_send(b.poll(after(121)));
    assert_eq!(b_token.path, TENANT_TOKEN_INTERNAL);
}

#[test]
fn failed_refresh_lets_a_waiting_call_try_at_once() {
    let client = self_built();
    let endpoint = chats();
    let mut a = client.call(&endpoint);
    let mut b = client.call(&endpoint);
    let _ = expect_send(a.poll(t0()));
    let _ = expect_wait(b.poll(t0()));

    feed(
        &mut a,
        failure(200, codes::INVALID_PARAM, "invalid param"),
        t0(),
    );
    assert_eq!(api_code(&expect_done(a.poll(t0()))), codes::INVALID_PARAM);
    let b_token = expect_send(b.poll(t0()));
    assert_eq!(b_token.path, TENANT_TOKEN_INTERNAL);
}

#[test]
fn app_and_tenant_refreshes_do_not_block_each_other() {
    let client = self_built();
    let tenant_endpoint = chats();
    let app_endpoint = app_info();
    let mut tenant_call = client.call(&tenant_endpoint);
    let mut app_call = client.call(&app_endpoint);

    assert_eq!(
        expect_send(tenant_call.poll(t0())).path,
        TENANT_TOKEN_INTERNAL
    );
    assert_eq!(expect_send(app_call.poll(t0())).path, APP_TOKEN_INTERNAL);
}

#[test]
fn refreshes_for_different_tenants_run_side_by_side() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let (result, _) = drive(client.call(&app_info()), t0(), |seen: &Sent| {
        match seen.path.as_str() {
            APP_TOKEN_STORE => app_token(APP_TOKEN, 7140),
            _ => data(serde_json::json!({})),
        }
    });
    result.expect("the app token is cached");

    let endpoint = chats();
    let mut a = client.call(&endpoint).for_tenant(TENANT_KEY);
    let mut b = client.call(&endpoint).for_tenant(OTHER_TENANT_KEY);
    let a_token = expect_send(a.poll(after(1)));
    let b_token = expect_send(b.poll(after(1)));
    assert_eq!(a_token.json()["tenant_key"], TENANT_KEY);
    assert_eq!(b_token.json()["tenant_key"], OTHER_TENANT_KEY);
}

#[test]
fn tenant_calls_wait_while_the_shared_app_token_is_fetched() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let endpoint = chats();
    let mut a = client.call(&endpoint).for_tenant(TENANT_KEY);
    let mut b = client.call(&endpoint).for_tenant(OTHER_TENANT_KEY);

    assert_eq!(expect_send(a.poll(t0())).path, APP_TOKEN_STORE);
    let until = expect_wait(b.poll(t0()));
    feed(&mut a, app_token(APP_TOKEN, 7140), t0());

    let b_token = expect_send(b.poll(until));
    assert_eq!(b_token.path, TENANT_TOKEN_STORE);
    assert_eq!(b_token.json()["app_access_token"], APP_TOKEN);
}

#[test]
fn stale_refresher_does_not_release_the_new_holders_lease() {
    // client.rs `release_lease` removes the key whoever holds it. A stalls past
    // its lease, B takes the lease over and refreshes; when A is then dropped
    // (or answered), it removes B's lease, and C starts a second refresh while
    // B's is in flight. Expected: C waits for B.
    let client = Client::new(
        self_built_config().with_timeout(Duration::from_secs(10)),
        0x5eed,
    );
    let endpoint = chats();
    let mut a = client.call(&endpoint);
    let mut b = client.call(&endpoint);
    let mut c = client.call(&endpoint);

    let _ = expect_send(a.poll(t0()));
    let b_token = expect_send(b.poll(after(11)));
    assert_eq!(b_token.path, TENANT_TOKEN_INTERNAL);
    drop(a);
    let _ = expect_wait(c.poll(after(11)));
}
