//! When a cached token is refreshed: `expire` is read from each answer, never
//! assumed; the refresh point is `expire` minus the margin (5 min by default),
//! or halfway through a lifetime shorter than twice the margin (a token with
//! under 30 min left may be handed out again).

use std::time::{Duration, SystemTime};

use feishu_core::{Client, DEFAULT_TOKEN_REFRESH_MARGIN, Step};

use crate::harness::*;

/// Fills `client`'s cache at `t0` with a token valid for `expire` seconds.
fn fetch_at_t0(client: &Client, expire: u64) {
    let (result, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, expire)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the first call");
}

/// A call at `now` sends the cached token, and nothing else.
fn assert_reused(client: &Client, now: SystemTime) {
    let (result, seen) = drive(
        client.call(&chats()),
        now,
        script([(chats_with(TENANT_TOKEN), data(chat_list()))]),
    );
    result.expect("the reusing call");
    assert_eq!(paths(&seen), [CHATS]);
}

/// A call at `now` fetches a new token first.
fn assert_refetched(client: &Client, now: SystemTime) {
    let (result, seen) = drive(
        client.call(&chats()),
        now,
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN_2, 7200)),
            (chats_with(TENANT_TOKEN_2), data(chat_list())),
        ]),
    );
    result.expect("the refetching call");
    assert_eq!(paths(&seen), [TENANT_TOKEN_INTERNAL, CHATS]);
}

#[test]
fn default_margin_is_five_minutes() {
    assert_eq!(DEFAULT_TOKEN_REFRESH_MARGIN, Duration::from_secs(300));
}

#[test]
fn token_is_reused_until_the_margin_before_expiry() {
    let client = self_built();
    fetch_at_t0(&client, 7200);
    assert_reused(&client, after(7200 - 301));
}

#[test]
fn token_is_refetched_inside_the_margin_before_expiry() {
    let client = self_built();
    fetch_at_t0(&client, 7200);
    assert_refetched(&client, after(7200 - 299));
}

#[test]
fn expiry_follows_the_answers_expire_not_a_constant() {
    // Lark's sample answers 7140; a cached token comes back with less.
    let client = self_built();
    fetch_at_t0(&client, 7140);
    assert_reused(&client, after(7140 - 301));
    assert_refetched(&client, after(7140 - 299));
}

#[test]
fn short_lived_token_is_refreshed_halfway() {
    // 600 s is not more than twice the 300 s margin: refresh at 300 s.
    let client = self_built();
    fetch_at_t0(&client, 600);
    assert_reused(&client, after(299));
    assert_refetched(&client, after(301));
}

#[test]
fn configured_margin_replaces_the_default() {
    let config = self_built_config().with_token_refresh_margin(Duration::from_secs(60));
    let client = Client::new(config, 0x5eed);
    fetch_at_t0(&client, 7200);
    // Inside the default margin, outside the configured one.
    assert_reused(&client, after(7200 - 299));
    assert_reused(&client, after(7200 - 61));
    assert_refetched(&client, after(7200 - 59));
}

#[test]
fn refetched_token_gets_its_own_expiry() {
    let client = self_built();
    fetch_at_t0(&client, 7200);
    // Refetched at 6901 s with a fresh 7200 s: good until 6901 + 6900.
    assert_refetched(&client, after(6901));
    let (result, seen) = drive(
        client.call(&chats()),
        after(6901 + 6899),
        script([(chats_with(TENANT_TOKEN_2), data(chat_list()))]),
    );
    result.expect("the call");
    assert_eq!(paths(&seen), [CHATS]);
}

#[test]
fn huge_expire_is_believed_without_overflow() {
    let client = self_built();
    fetch_at_t0(&client, u64::MAX);
    assert_reused(&client, after(30 * 24 * 3600));
}

#[test]
fn call_near_the_end_of_time_does_not_panic() {
    let end = SystemTime::UNIX_EPOCH + Duration::from_secs(i64::MAX as u64);
    let client = self_built();
    let chats = chats();
    let mut call = client.call(&chats);
    // Whatever the machine decides, it must decide it without panicking.
    for _ in 0..8 {
        match call.poll(end) {
            Step::Send(request) => {
                let reply = if request.uri().path() == TENANT_TOKEN_INTERNAL {
                    tenant_token(TENANT_TOKEN, u64::MAX)
                } else {
                    data(chat_list())
                };
                feed(&mut call, reply, end);
            }
            Step::Wait(_) => {}
            Step::Store(op) => panic!("no shared store here, yet asked for {op:?}"),
            Step::Done(_) => return,
        }
    }
}

#[test]
fn call_uses_the_token_it_just_fetched_even_if_already_due() {
    // `expire: 0` makes the cached entry due at once (refresh_at == now), and
    // the call only sends a token it reads back from the store as fresh
    // (call.rs `tenant_token`, `client.fresh`), so it asks for a token again,
    // back to back, until the retry policy's deadline (5 min) ends the call.
    // Clamp the TTL to a small positive minimum; at least, a call should
    // send the token it was just given.
    let client = self_built();
    let chats = chats();
    let mut call = client.call(&chats);
    let first = expect_send(call.poll(t0()));
    assert_eq!(first.path, TENANT_TOKEN_INTERNAL);
    feed(&mut call, tenant_token(TENANT_TOKEN, 0), t0());
    let second = expect_send(call.poll(t0()));
    assert_eq!(
        (second.path.as_str(), second.bearer()),
        (CHATS, Some(TENANT_TOKEN))
    );
}

#[test]
fn margin_of_zero_uses_the_token_to_its_last_second() {
    let client = Client::new(
        self_built_config().with_token_refresh_margin(Duration::ZERO),
        0x5eed,
    );
    fetch_at_t0(&client, 7200);
    assert_reused(&client, after(7199));
    assert_refetched(&client, after(7200));
}
