//! Calls as a user (`Call::as_user`): the access token is sent, refreshed
//! before expiry with a rotating refresh token, once for all concurrent calls
//! as that user (refresh tokens rotate and work once); a refused user token
//! ([`codes::USER_ACCESS_TOKEN_INVALID`]) is refreshed, then the call repeated.

use std::time::Duration;

use feishu_core::auth::{UserAccessToken, UserAccessTokenRequest};
use feishu_core::{App, Client, Config, Endpoint, Error, Secret, UserToken, codes};
use serde_json::{Value, json};

use crate::harness::*;

/// A user token as a code exchange answered it: the flat OAuth v2 sample.
fn issued(access: &str, refresh: Option<&str>, expires_in: u64) -> UserAccessToken {
    let app = App::self_built(APP_ID, APP_SECRET);
    let answer = json_response(200, user_token_body(access, refresh, expires_in));
    UserAccessTokenRequest::refresh_token(&app, Secret::new("unused"))
        .parse(answer)
        .map_err(feishu_core::Error::from)
        .expect("the OAuth sample parses")
}

/// A user whose tokens were issued at `t0`, valid 7200 s, with a refresh token.
fn user() -> UserToken {
    UserToken::new(issued(USER_ACCESS, Some(USER_REFRESH), 7200), t0())
}

fn refresh_request(refresh_token: &str) -> Expect {
    Expect::token_request(
        OAUTH_TOKEN,
        json!({
            "grant_type": "refresh_token",
            "client_id": APP_ID,
            "client_secret": APP_SECRET,
            "refresh_token": refresh_token,
        }),
    )
}

fn profile() -> Value {
    json!({"name": "Zhang San", "open_id": "ou_caecc734c2e3328a62489fe0648c4b98779515d3"})
}

/// A call of user_info as `user`, driven at `now`.
fn user_info_as(
    client: &Client,
    user: &UserToken,
    now: std::time::SystemTime,
    server: impl Server,
) -> (Result<Value, Error>, Vec<Sent>) {
    let endpoint = user_info();
    drive(client.call(&endpoint).as_user(user), now, server)
}

#[test]
fn user_call_sends_the_users_access_token() {
    let client = self_built();
    let (result, seen) = user_info_as(
        &client,
        &user(),
        after(60),
        script([(Expect::api(USER_INFO, USER_ACCESS), data(profile()))]),
    );
    assert_eq!(result.expect("the profile"), profile());
    assert_eq!(paths(&seen), [USER_INFO]);
}

#[test]
fn as_user_overrides_the_endpoints_token_kind() {
    // A tenant endpoint called as a user carries the user's token.
    let client = self_built();
    let endpoint = chats();
    let (result, _) = drive(
        client.call(&endpoint).as_user(&user()),
        after(60),
        script([(chats_with(USER_ACCESS), data(chat_list()))]),
    );
    result.expect("the chats");
}

#[test]
fn code_exchange_through_a_call_gives_a_user_token() {
    let client = self_built();
    let exchange = client
        .code_exchange(
            "a61hb967bd094dge949h79bbexd16dfe",
            Some("https://example.com/api/oauth/callback"),
        )
        .expect("an app");
    let (result, _) = drive(
        client.call(&exchange),
        t0(),
        script([(
            Expect::token_request(
                OAUTH_TOKEN,
                json!({
                    "grant_type": "authorization_code",
                    "client_id": APP_ID,
                    "client_secret": APP_SECRET,
                    "code": "a61hb967bd094dge949h79bbexd16dfe",
                    "redirect_uri": "https://example.com/api/oauth/callback",
                }),
            ),
            user_tokens(USER_ACCESS, USER_REFRESH, 7200),
        )]),
    );
    let user = UserToken::new(result.expect("the tokens"), t0());
    assert_eq!(
        user.refresh_token()
            .map(|t| t.expose().to_owned())
            .as_deref(),
        Some(USER_REFRESH)
    );

    let (result, _) = user_info_as(
        &client,
        &user,
        after(1),
        script([(Expect::api(USER_INFO, USER_ACCESS), data(profile()))]),
    );
    result.expect("the profile");
}

#[test]
fn user_token_near_expiry_is_refreshed_first() {
    let client = self_built();
    let (result, seen) = user_info_as(
        &client,
        &user(),
        after(7200 - 299),
        script([
            (
                refresh_request(USER_REFRESH),
                user_tokens(USER_ACCESS_2, USER_REFRESH_2, 7200),
            ),
            (Expect::api(USER_INFO, USER_ACCESS_2), data(profile())),
        ]),
    );
    result.expect("the profile");
    assert_eq!(paths(&seen), [OAUTH_TOKEN, USER_INFO]);
}

#[test]
fn user_token_is_not_refreshed_before_the_margin() {
    let client = self_built();
    let (result, _) = user_info_as(
        &client,
        &user(),
        after(7200 - 301),
        script([(Expect::api(USER_INFO, USER_ACCESS), data(profile()))]),
    );
    result.expect("the profile");
}

#[test]
fn refresh_rotates_the_refresh_token() {
    let client = self_built();
    let user = user();
    let (result, _) = user_info_as(
        &client,
        &user.clone(),
        after(6901),
        script([
            (
                refresh_request(USER_REFRESH),
                user_tokens(USER_ACCESS_2, USER_REFRESH_2, 7200),
            ),
            (Expect::api(USER_INFO, USER_ACCESS_2), data(profile())),
        ]),
    );
    result.expect("the first refresh");
    // The handle given to the call was a clone: they share one state.
    let persisted = user.refresh_token().expect("a refresh token");
    assert_eq!(persisted.expose(), USER_REFRESH_2);

    // The next refresh spends the new refresh token, not the burnt one.
    let (result, _) = user_info_as(
        &client,
        &user,
        after(6901 + 6901),
        script([
            (
                refresh_request(USER_REFRESH_2),
                user_tokens(USER_ACCESS_3, USER_REFRESH_3, 7200),
            ),
            (Expect::api(USER_INFO, USER_ACCESS_3), data(profile())),
        ]),
    );
    result.expect("the second refresh");
    let persisted = user.refresh_token().expect("a refresh token");
    assert_eq!(persisted.expose(), USER_REFRESH_3);
}

#[test]
fn concurrent_calls_near_expiry_refresh_once_and_the_other_uses_the_old_token() {
    let client = self_built();
    let user = user();
    let endpoint = user_info();
    let now = after(6901);
    let mut a = client.call(&endpoint).as_user(&user);
    let mut b = client.call(&endpoint).as_user(&user);

    let a_refresh = expect_send(a.poll(now));
    assert_eq!(a_refresh.path, OAUTH_TOKEN);
    // The old access token is still valid: B need not wait.
    let b_api = expect_send(b.poll(now));
    assert_eq!(
        (b_api.path.as_str(), b_api.bearer()),
        (USER_INFO, Some(USER_ACCESS))
    );

    feed(
        &mut a,
        user_tokens(USER_ACCESS_2, USER_REFRESH_2, 7200),
        now,
    );
    let a_api = expect_send(a.poll(now));
    assert_eq!(a_api.bearer(), Some(USER_ACCESS_2));
}

#[test]
fn concurrent_calls_after_expiry_refresh_once_and_the_other_waits() {
    let client = self_built();
    let user = user();
    let endpoint = user_info();
    let now = after(7200);
    let mut a = client.call(&endpoint).as_user(&user);
    let mut b = client.call(&endpoint).as_user(&user);

    assert_eq!(expect_send(a.poll(now)).path, OAUTH_TOKEN);
    let until = expect_wait(b.poll(now));
    assert!(until > now, "{until:?}");

    feed(
        &mut a,
        user_tokens(USER_ACCESS_2, USER_REFRESH_2, 7200),
        now,
    );
    let b_api = expect_send(b.poll(until));
    assert_eq!(
        (b_api.path.as_str(), b_api.bearer()),
        (USER_INFO, Some(USER_ACCESS_2))
    );
}

#[test]
fn dropping_the_refreshing_call_lets_the_next_refresh_at_once() {
    let client = self_built();
    let user = user();
    let endpoint = user_info();
    let now = after(7200);
    let mut a = client.call(&endpoint).as_user(&user);
    let mut b = client.call(&endpoint).as_user(&user);
    let _ = expect_send(a.poll(now));
    let _ = expect_wait(b.poll(now));

    drop(a);
    let b_refresh = expect_send(b.poll(now));
    assert_eq!(b_refresh.path, OAUTH_TOKEN);
}

#[test]
fn different_users_refresh_independently() {
    let client = self_built();
    let alice = user();
    let bob = UserToken::new(issued(USER_ACCESS_3, Some(USER_REFRESH_3), 7200), t0());
    let endpoint = user_info();
    let now = after(7200);
    let mut a = client.call(&endpoint).as_user(&alice);
    let mut b = client.call(&endpoint).as_user(&bob);

    assert_eq!(
        expect_send(a.poll(now)).json()["refresh_token"],
        USER_REFRESH
    );
    assert_eq!(
        expect_send(b.poll(now)).json()["refresh_token"],
        USER_REFRESH_3
    );
}

#[test]
fn user_known_only_by_refresh_token_refreshes_on_the_first_call() {
    let client = self_built();
    let user = UserToken::from_refresh_token(Secret::new(USER_REFRESH));
    let (result, seen) = user_info_as(
        &client,
        &user,
        t0(),
        script([
            (
                refresh_request(USER_REFRESH),
                user_tokens(USER_ACCESS, USER_REFRESH_2, 7200),
            ),
            (Expect::api(USER_INFO, USER_ACCESS), data(profile())),
        ]),
    );
    result.expect("the profile");
    assert_eq!(paths(&seen), [OAUTH_TOKEN, USER_INFO]);
}

#[test]
fn expired_user_token_without_refresh_token_needs_reauthorization() {
    let client = self_built();
    let user = UserToken::new(issued(USER_ACCESS, None, 7200), t0());
    let (result, seen) = user_info_as(&client, &user, after(7200), script([]));
    assert!(matches!(result, Err(Error::UserTokenExpired)), "{result:?}");
    assert!(seen.is_empty());
}

#[test]
fn user_token_without_refresh_token_is_used_until_it_expires() {
    let client = self_built();
    let user = UserToken::new(issued(USER_ACCESS, None, 7200), t0());
    let (result, _) = user_info_as(
        &client,
        &user,
        after(7199),
        script([(Expect::api(USER_INFO, USER_ACCESS), data(profile()))]),
    );
    result.expect("the profile");
}

#[test]
fn expired_refresh_token_needs_reauthorization() {
    // The sample's refresh token lives 604800 s (7 days).
    let client = self_built();
    let (result, seen) = user_info_as(&client, &user(), after(604800), script([]));
    assert!(matches!(result, Err(Error::UserTokenExpired)), "{result:?}");
    assert!(seen.is_empty());
}

#[test]
fn failed_refresh_returns_the_oauth_error() {
    // The refresh page types `code` as a string.
    let client = self_built();
    let used = json_reply(
        400,
        json!({"code": "20073", "error": "invalid_grant", "error_description": "The refresh token has been used."}),
    );
    let (result, seen) = user_info_as(
        &client,
        &user(),
        after(7200),
        script([(refresh_request(USER_REFRESH), used)]),
    );
    let Err(Error::Api(error)) = result else {
        panic!("expected an API error, got {result:?}");
    };
    assert_eq!(error.code, codes::REFRESH_TOKEN_ALREADY_USED);
    assert_eq!(error.status, 400);
    assert_eq!(error.oauth_error.as_deref(), Some("invalid_grant"));
    assert_eq!(error.msg, "The refresh token has been used.");
    assert_eq!(paths(&seen), [OAUTH_TOKEN]);
}

#[test]
fn failed_refresh_releases_the_user_for_the_next_call() {
    let client = self_built();
    let user = user();
    let (result, _) = user_info_as(
        &client,
        &user,
        after(7200),
        script([(
            refresh_request(USER_REFRESH),
            failure(500, codes::OAUTH_SERVER_ERROR, "server error"),
        )]),
    );
    assert_eq!(api_code(&result), codes::OAUTH_SERVER_ERROR);

    let endpoint = user_info();
    let mut next = client.call(&endpoint).as_user(&user);
    assert_eq!(expect_send(next.poll(after(7200))).path, OAUTH_TOKEN);
}

#[test]
fn user_token_invalid_code_refreshes_and_repeats_once() {
    let client = self_built();
    let (result, seen) = user_info_as(
        &client,
        &user(),
        after(60),
        script([
            (
                Expect::api(USER_INFO, USER_ACCESS),
                failure(
                    400,
                    codes::USER_ACCESS_TOKEN_INVALID,
                    "user access token invalid",
                ),
            ),
            (
                refresh_request(USER_REFRESH),
                user_tokens(USER_ACCESS_2, USER_REFRESH_2, 7200),
            ),
            (Expect::api(USER_INFO, USER_ACCESS_2), data(profile())),
        ]),
    );
    result.expect("repaired");
    assert_eq!(paths(&seen), [USER_INFO, OAUTH_TOKEN, USER_INFO]);
}

#[test]
fn user_token_invalid_twice_is_returned() {
    let client = self_built();
    let (result, seen) = user_info_as(
        &client,
        &user(),
        after(60),
        script([
            (
                Expect::api(USER_INFO, USER_ACCESS),
                failure(
                    400,
                    codes::USER_ACCESS_TOKEN_INVALID,
                    "user access token invalid",
                ),
            ),
            (
                refresh_request(USER_REFRESH),
                user_tokens(USER_ACCESS_2, USER_REFRESH_2, 7200),
            ),
            (
                Expect::api(USER_INFO, USER_ACCESS_2),
                failure(
                    400,
                    codes::USER_ACCESS_TOKEN_INVALID,
                    "user access token invalid",
                ),
            ),
        ]),
    );
    assert_eq!(api_code(&result), codes::USER_ACCESS_TOKEN_INVALID);
    assert_eq!(count(&seen, OAUTH_TOKEN), 1);
}

#[test]
fn user_token_invalid_without_refresh_token_needs_reauthorization() {
    let client = self_built();
    let user = UserToken::new(issued(USER_ACCESS, None, 7200), t0());
    let (result, seen) = user_info_as(
        &client,
        &user,
        after(60),
        script([(
            Expect::api(USER_INFO, USER_ACCESS),
            failure(
                400,
                codes::USER_ACCESS_TOKEN_INVALID,
                "user access token invalid",
            ),
        )]),
    );
    assert!(matches!(result, Err(Error::UserTokenExpired)), "{result:?}");
    assert_eq!(paths(&seen), [USER_INFO]);
}

#[test]
fn user_call_needs_no_app_until_a_refresh() {
    let client = Client::new(Config::feishu(), 0x5eed);
    let user = user();
    let (result, _) = user_info_as(
        &client,
        &user,
        after(60),
        script([(Expect::api(USER_INFO, USER_ACCESS), data(profile()))]),
    );
    result.expect("the profile");

    let (result, seen) = user_info_as(&client, &user, after(7000), script([]));
    assert!(
        matches!(
            result,
            Err(Error::InvalidRequest(feishu_core::InvalidRequest::NoApp))
        ),
        "{result:?}"
    );
    assert!(seen.is_empty());
    // The failed attempt left the user free to refresh with an app.
    let (result, _) = user_info_as(
        &self_built(),
        &user,
        after(7000),
        script([
            (
                refresh_request(USER_REFRESH),
                user_tokens(USER_ACCESS_2, USER_REFRESH_2, 7200),
            ),
            (Expect::api(USER_INFO, USER_ACCESS_2), data(profile())),
        ]),
    );
    result.expect("the profile");
}

#[test]
fn stale_user_refresher_does_not_release_the_new_refreshers_lease() {
    // user.rs `UserToken::release` clears `refreshing_until` whoever set it.
    // A stalls past its lease, B takes over and sends the refresh; dropping A
    // clears B's lease, so C sends a second refresh with the same (rotating,
    // single-use) refresh token while B's is in flight: one of the two gets
    // REFRESH_TOKEN_ALREADY_USED and the user may have to authorize again.
    // Expected: C waits.
    let client = Client::new(
        self_built_config().with_timeout(Duration::from_secs(10)),
        0x5eed,
    );
    let user = user();
    let endpoint = user_info();
    let mut a = client.call(&endpoint).as_user(&user);
    let mut b = client.call(&endpoint).as_user(&user);
    let mut c = client.call(&endpoint).as_user(&user);

    assert_eq!(expect_send(a.poll(after(7300))).path, OAUTH_TOKEN);
    assert_eq!(expect_send(b.poll(after(7311))).path, OAUTH_TOKEN);
    drop(a);
    let _ = expect_wait(c.poll(after(7311)));
}
