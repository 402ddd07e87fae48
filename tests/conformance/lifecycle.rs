//! The token lifecycle: fetched, cached, refreshed, repaired, shared, for
//! self-built apps, marketplace tenants and users.

use std::thread;
use std::time::{Duration, Instant};

use feishu_core::{App, Config, Error, InvalidRequest, RawEndpoint, TokenKind, codes};
use feishu_mock::{
    Fault, MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_APP_TICKET,
    MARKETPLACE_TENANT_KEY, MOCK_USER_OPEN_ID, MockServer, SELF_BUILT_APP_ID,
    SELF_BUILT_APP_SECRET,
};

use crate::Adapter;

const CHATS: &str = "/open-apis/im/v1/chats";
const USER_INFO: &str = "/open-apis/authen/v1/user_info";
const TENANT_INTERNAL: &str = "/open-apis/auth/v3/tenant_access_token/internal";
const APP_MARKETPLACE: &str = "/open-apis/auth/v3/app_access_token";
const TENANT_MARKETPLACE: &str = "/open-apis/auth/v3/tenant_access_token";
const TICKET_RESEND: &str = "/open-apis/auth/v3/app_ticket/resend";
const OAUTH_TOKEN: &str = "/oauth/v3/token";

fn chats() -> RawEndpoint {
    RawEndpoint::get(CHATS)
}

fn client_for<A: Adapter>(mock: &MockServer, app: App) -> A {
    A::new(Config::new(mock.url()).expect("a valid URL").with_app(app))
}

fn self_built<A: Adapter>(mock: &MockServer) -> A {
    client_for(
        mock,
        App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET),
    )
}

fn marketplace<A: Adapter>(mock: &MockServer) -> A {
    client_for(
        mock,
        App::marketplace(MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET),
    )
}

pub fn tokens_are_fetched_once_and_cached<A: Adapter>() {
    let mock = MockServer::start();
    let client = self_built::<A>(&mock);
    for _ in 0..3 {
        client.send(&chats()).expect("the chat list");
    }
    assert_eq!(mock.hits(TENANT_INTERNAL), 1);
    assert_eq!(mock.hits(CHATS), 3);
}

/// Tokens live 2 s; calls keep going for 3 s, and none fails.
pub fn token_expiry_is_crossed_without_a_failed_call<A: Adapter>() {
    let mock = MockServer::builder()
        .token_lifetime(Duration::from_secs(2))
        .reissue_threshold(Duration::from_secs(1))
        .start()
        .expect("a mock");
    let client = self_built::<A>(&mock);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        client.send(&chats()).expect("no call fails across expiry");
        thread::sleep(Duration::from_millis(100));
    }
    assert!(mock.tokens_issued("tenant") >= 2, "the token was refreshed");
}

pub fn revoked_token_is_healed_transparently<A: Adapter>() {
    let mock = MockServer::start();
    let client = self_built::<A>(&mock);
    client.send(&chats()).expect("the chat list");
    mock.revoke_tokens();
    client
        .send(&chats())
        .expect("healed: invalidated, refetched, repeated");
    assert_eq!(mock.hits(TENANT_INTERNAL), 2);
    assert_eq!(mock.hits(CHATS), 3, "one refused call, one repeat");
}

pub fn a_second_token_failure_is_returned<A: Adapter>() {
    let mock = MockServer::start();
    let client = self_built::<A>(&mock);
    let invalid = serde_json::json!({"code": codes::TENANT_ACCESS_TOKEN_INVALID, "msg": "Invalid access token for authorization."});
    mock.inject(CHATS, Fault::json(400, invalid).times(5));
    let error = client.send(&chats()).expect_err("the repair is tried once");
    assert_eq!(error.code(), Some(codes::TENANT_ACCESS_TOKEN_INVALID));
    assert_eq!(mock.hits(CHATS), 2, "one call, one repeat, no loop");
    assert_eq!(mock.hits(TENANT_INTERNAL), 2);
}

/// Cold cache, a slow token endpoint, many calls at once: one token request.
pub fn one_token_request_for_concurrent_cold_calls<A: Adapter>() {
    let mock = MockServer::start();
    let client = self_built::<A>(&mock);
    mock.inject(TENANT_INTERNAL, Fault::delay(Duration::from_millis(300)));
    let results = client.send_concurrently(chats());
    assert_eq!(results.len(), A::CONCURRENCY);
    for result in results {
        result.expect("every call succeeds");
    }
    assert_eq!(mock.hits(TENANT_INTERNAL), 1);
    assert_eq!(mock.hits(CHATS), A::CONCURRENCY);
}

pub fn marketplace_tenant_end_to_end<A: Adapter>() {
    let mock = MockServer::start();
    let client = marketplace::<A>(&mock);
    client
        .set_app_ticket(MARKETPLACE_APP_TICKET)
        .expect("an app is configured");
    for _ in 0..2 {
        let data = client
            .send_in_tenant(MARKETPLACE_TENANT_KEY, &chats())
            .expect("the tenant's chats");
        assert_eq!(data["items"][0]["tenant_key"], MARKETPLACE_TENANT_KEY);
    }
    assert_eq!(mock.hits(APP_MARKETPLACE), 1);
    assert_eq!(mock.hits(TENANT_MARKETPLACE), 1);
    assert_eq!(mock.hits(TICKET_RESEND), 0);
}

pub fn marketplace_call_without_tenant_is_refused<A: Adapter>() {
    let mock = MockServer::start();
    let client = marketplace::<A>(&mock);
    client
        .set_app_ticket(MARKETPLACE_APP_TICKET)
        .expect("an app is configured");
    let error = client.send(&chats()).expect_err("which tenant?");
    assert!(
        matches!(
            error,
            Error::InvalidRequest(InvalidRequest::MissingTenantKey)
        ),
        "{error:?}"
    );
    assert_eq!(mock.hits(APP_MARKETPLACE) + mock.hits(CHATS), 0);
}

pub fn missing_ticket_asks_for_a_resend<A: Adapter>() {
    let mock = MockServer::start();
    let client = marketplace::<A>(&mock);
    let error = client
        .send_in_tenant(MARKETPLACE_TENANT_KEY, &chats())
        .expect_err("no ticket yet");
    assert!(matches!(error, Error::AppTicketPending(None)), "{error:?}");
    assert_eq!(mock.hits(TICKET_RESEND), 1);
    // The ticket arrives (as the app_ticket event would deliver it).
    client
        .set_app_ticket(MARKETPLACE_APP_TICKET)
        .expect("an app is configured");
    client
        .send_in_tenant(MARKETPLACE_TENANT_KEY, &chats())
        .expect("works once the ticket is there");
}

pub fn rejected_ticket_asks_for_a_resend<A: Adapter>() {
    let mock = MockServer::start();
    let client = marketplace::<A>(&mock);
    client
        .set_app_ticket(MARKETPLACE_APP_TICKET)
        .expect("an app is configured");
    let fresh_ticket = mock.rotate_app_ticket(MARKETPLACE_APP_ID);
    let error = client
        .send_in_tenant(MARKETPLACE_TENANT_KEY, &chats())
        .expect_err("the old ticket is refused");
    assert!(
        matches!(&error, Error::AppTicketPending(Some(_))),
        "{error:?}"
    );
    assert_eq!(error.code(), Some(codes::APP_TICKET_INVALID));
    assert_eq!(mock.hits(TICKET_RESEND), 1);
    client
        .set_app_ticket(&fresh_ticket)
        .expect("an app is configured");
    client
        .send_in_tenant(MARKETPLACE_TENANT_KEY, &chats())
        .expect("works with the new ticket");
}

fn user_info() -> RawEndpoint {
    RawEndpoint::get(USER_INFO).token(TokenKind::User)
}

/// Code exchange, a call as the user, expiry, a rotated refresh, the old
/// refresh token dead.
pub fn user_token_end_to_end<A: Adapter>() {
    let mock = MockServer::builder()
        .token_lifetime(Duration::from_secs(2))
        .start()
        .expect("a mock");
    let client = self_built::<A>(&mock);
    let code = mock.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let user = client.user_token(&code).expect("the code exchange");
    let first_refresh = user.refresh_token().expect("offline_access was granted");

    let info = client
        .send_as(&user_info(), &user)
        .expect("the user's info");
    assert_eq!(info["open_id"], MOCK_USER_OPEN_ID);
    assert_eq!(mock.hits(OAUTH_TOKEN), 1);

    thread::sleep(Duration::from_millis(1100)); // past the halfway refresh point
    client
        .send_as(&user_info(), &user)
        .expect("refreshed on the way");
    assert_eq!(mock.hits(OAUTH_TOKEN), 2);
    let rotated = user.refresh_token().expect("a new refresh token");
    assert_ne!(rotated, first_refresh, "refresh tokens rotate");
    assert_eq!(mock.tokens_issued("user"), 2);
}

pub fn one_user_refresh_for_concurrent_calls<A: Adapter>() {
    let mock = MockServer::start();
    let client = self_built::<A>(&mock);
    let code = mock.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let user = client.user_token(&code).expect("the code exchange");
    mock.revoke_tokens();
    mock.inject(OAUTH_TOKEN, Fault::delay(Duration::from_millis(300)));
    // Every call finds its token refused, and they repair it together: the
    // refresh token works once, so a second refresh would fail.
    let results: Vec<_> = thread::scope(|scope| {
        let calls: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| client.send_as(&user_info(), &user)))
            .collect();
        calls
            .into_iter()
            .map(|call| call.join().expect("no panic"))
            .collect()
    });
    for result in results {
        result.expect("every call succeeds");
    }
    assert_eq!(mock.hits(OAUTH_TOKEN), 2, "the exchange and one refresh");
}
