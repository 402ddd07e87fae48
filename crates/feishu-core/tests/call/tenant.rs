//! A self-built app's tenant and app tokens: fetched on a cold cache, reused
//! on a warm one; tokens given as-is; calls without an app.

use feishu_core::auth::TenantAccessTokenRequest;
use feishu_core::{Client, Config, Error, InvalidRequest, Secret, TokenKind, codes};
use serde_json::json;

use crate::harness::*;

#[test]
fn cold_call_fetches_a_tenant_token_then_sends_it_as_bearer() {
    let client = self_built();
    let (result, seen) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    assert_eq!(result.expect("the chats"), chat_list());
    assert_eq!(paths(&seen), [TENANT_TOKEN_INTERNAL, CHATS]);
}

#[test]
fn warm_call_sends_only_the_api_request() {
    let client = self_built();
    let (first, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    first.expect("the first call");

    let (second, seen) = drive(
        client.call(&chats()),
        after(60),
        script([(chats_with(TENANT_TOKEN), data(chat_list()))]),
    );
    second.expect("the second call");
    assert_eq!(paths(&seen), [CHATS]);
}

#[test]
fn clones_of_a_client_share_its_token_cache() {
    let client = self_built();
    let (first, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    first.expect("the first call");

    let clone = client.clone();
    let (second, _) = drive(
        clone.call(&chats()),
        after(1),
        script([(chats_with(TENANT_TOKEN), data(chat_list()))]),
    );
    second.expect("the clone's call");
}

#[test]
fn app_token_endpoint_fetches_the_app_access_token() {
    let client = self_built();
    let (result, _) = drive(
        client.call(&app_info()),
        t0(),
        script([
            (
                Expect::token_request(APP_TOKEN_INTERNAL, app_credentials()),
                app_token_internal(APP_TOKEN, TENANT_TOKEN, 7200),
            ),
            (
                Expect::api(APP_INFO, APP_TOKEN),
                data(json!({"app": {"app_id": APP_ID}})),
            ),
        ]),
    );
    assert_eq!(result.expect("the app")["app"]["app_id"], APP_ID);
}

#[test]
fn self_built_app_token_answer_caches_its_tenant_token_too() {
    let client = self_built();
    let (result, _) = drive(
        client.call(&app_info()),
        t0(),
        script([
            (
                Expect::token_request(APP_TOKEN_INTERNAL, app_credentials()),
                app_token_internal(APP_TOKEN, TENANT_TOKEN, 7200),
            ),
            (Expect::api(APP_INFO, APP_TOKEN), data(json!({}))),
        ]),
    );
    result.expect("the app call");

    let (result, seen) = drive(
        client.call(&chats()),
        after(1),
        script([(chats_with(TENANT_TOKEN), data(chat_list()))]),
    );
    result.expect("the tenant call");
    assert_eq!(paths(&seen), [CHATS]);
}

#[test]
fn app_and_tenant_tokens_are_cached_apart() {
    let client = self_built();
    let (result, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the tenant call");

    // The tenant token is no app token: the app call fetches its own.
    let (result, _) = drive(
        client.call(&app_info()),
        after(1),
        script([
            (
                Expect::token_request(APP_TOKEN_INTERNAL, app_credentials()),
                app_token_internal(APP_TOKEN, TENANT_TOKEN, 7200),
            ),
            (Expect::api(APP_INFO, APP_TOKEN), data(json!({}))),
        ]),
    );
    result.expect("the app call");
}

#[test]
fn given_token_is_sent_as_is_without_fetching_one() {
    let client = self_built();
    let endpoint = chats();
    let call = client
        .call(&endpoint)
        .with_token(Secret::new("t-given-by-the-caller"));
    let (result, seen) = drive(
        call,
        t0(),
        script([(chats_with("t-given-by-the-caller"), data(chat_list()))]),
    );
    result.expect("the chats");
    assert_eq!(paths(&seen), [CHATS]);
}

#[test]
fn given_token_is_never_repaired() {
    let client = self_built();
    let endpoint = chats();
    let call = client
        .call(&endpoint)
        .with_token(Secret::new("t-given-by-the-caller"));
    let (result, seen) = drive(
        call,
        t0(),
        script([(chats_with("t-given-by-the-caller"), tenant_token_invalid())]),
    );
    assert_eq!(api_code(&result), codes::TENANT_ACCESS_TOKEN_INVALID);
    assert_eq!(paths(&seen), [CHATS]);
}

#[test]
fn given_token_needs_no_app() {
    let client = Client::new(Config::feishu(), 0x5eed);
    let endpoint = chats();
    let call = client
        .call(&endpoint)
        .with_token(Secret::new("t-given-by-the-caller"));
    let (result, _) = drive(
        call,
        t0(),
        script([(chats_with("t-given-by-the-caller"), data(chat_list()))]),
    );
    result.expect("the chats");
}

#[test]
fn tenant_call_without_an_app_is_refused_before_sending() {
    let client = Client::new(Config::feishu(), 0x5eed);
    let (result, seen) = drive(client.call(&chats()), t0(), script([]));
    assert!(
        matches!(result, Err(Error::InvalidRequest(InvalidRequest::NoApp))),
        "{result:?}"
    );
    assert!(seen.is_empty());
}

#[test]
fn app_call_without_an_app_is_refused_before_sending() {
    let client = Client::new(Config::feishu(), 0x5eed);
    let (result, seen) = drive(client.call(&app_info()), t0(), script([]));
    assert!(
        matches!(result, Err(Error::InvalidRequest(InvalidRequest::NoApp))),
        "{result:?}"
    );
    assert!(seen.is_empty());
}

#[test]
fn user_endpoint_without_a_user_is_refused_before_sending() {
    let client = self_built();
    let (result, seen) = drive(client.call(&user_info()), t0(), script([]));
    assert!(
        matches!(
            result,
            Err(Error::InvalidRequest(InvalidRequest::MissingToken(
                TokenKind::User
            )))
        ),
        "{result:?}"
    );
    assert!(seen.is_empty());
}

#[test]
fn token_free_endpoint_works_without_an_app() {
    let client = Client::new(Config::feishu(), 0x5eed);
    let endpoint = TenantAccessTokenRequest::self_built(APP_ID, Secret::new(APP_SECRET));
    let (result, _) = drive(
        client.call(&endpoint),
        t0(),
        script([(tenant_token_request(), tenant_token(TENANT_TOKEN, 7200))]),
    );
    let token = result.expect("the token");
    assert_eq!(token.tenant_access_token.expose(), TENANT_TOKEN);
    assert_eq!(token.expire, 7200);
}

#[test]
fn token_free_endpoint_does_not_fill_the_cache() {
    // A token bought through a raw auth call is the caller's, not the cache's.
    let client = self_built();
    let endpoint = TenantAccessTokenRequest::self_built(APP_ID, Secret::new(APP_SECRET));
    let (result, _) = drive(
        client.call(&endpoint),
        t0(),
        script([(tenant_token_request(), tenant_token(TENANT_TOKEN, 7200))]),
    );
    result.expect("the token");

    let (result, seen) = drive(
        client.call(&chats()),
        after(1),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN_2, 7200)),
            (chats_with(TENANT_TOKEN_2), data(chat_list())),
        ]),
    );
    result.expect("the chats");
    assert_eq!(count(&seen, TENANT_TOKEN_INTERNAL), 1);
}

#[test]
fn requests_carry_the_configured_timeout() {
    let client = Client::new(
        self_built_config().with_timeout(std::time::Duration::from_secs(7)),
        0x5eed,
    );
    let (result, seen) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the chats");
    for request in &seen {
        assert_eq!(
            request.timeout,
            Some(std::time::Duration::from_secs(7)),
            "{}",
            request.path
        );
    }
}
