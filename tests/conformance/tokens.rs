//! The seed's flows: tenant and app tokens for self-built and marketplace apps.

use feishu_core::auth::{AppAccessTokenRequest, AppTicketResend, TenantAccessTokenRequest};
use feishu_core::{App, Config, Error, InvalidRequest, RawEndpoint, RetryPolicy, codes};
use feishu_mock::{
    Fault, MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_APP_TICKET,
    MARKETPLACE_TENANT_KEY, MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET,
};

use serde_json::json;

use crate::Adapter;

const TENANT_INTERNAL: &str = "/open-apis/auth/v3/tenant_access_token/internal";
const TENANT_MARKETPLACE: &str = "/open-apis/auth/v3/tenant_access_token";

/// A running mock and an adapter pointed at it.
pub fn setup<A: Adapter>() -> (MockServer, A) {
    let mock = MockServer::start();
    let config = Config::new(mock.url()).expect("the mock's URL is valid");
    (mock, A::new(config))
}

pub fn self_built_tenant_token<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let token = client
        .tenant_access_token(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET)
        .expect("a tenant token");
    assert!(token.tenant_access_token.expose().starts_with("t-"));
    assert!((1..=7200).contains(&token.expire));
    assert_eq!((token.code, token.msg.as_str()), (0, "ok"));
    assert_eq!(mock.hits(TENANT_INTERNAL), 1);
}

pub fn marketplace_tenant_token<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let app = client
        .send(&AppAccessTokenRequest::marketplace(
            MARKETPLACE_APP_ID,
            MARKETPLACE_APP_SECRET,
            MARKETPLACE_APP_TICKET,
        ))
        .expect("an app token");
    assert!(app.app_access_token.expose().starts_with("a-"));

    let tenant = client
        .tenant_access_token(app.app_access_token.expose(), MARKETPLACE_TENANT_KEY)
        .expect("a tenant token through the marketplace flow");
    assert!(tenant.tenant_access_token.expose().starts_with("t-"));
    assert_eq!(mock.hits(TENANT_MARKETPLACE), 1);
    assert_eq!(mock.hits(TENANT_INTERNAL), 0);
}

pub fn unknown_prefix_is_refused_before_sending<A: Adapter>() {
    let (mock, client) = setup::<A>();
    for input_a in ["t-caecc734c2e3328a6", "u-5Dak9ZAxJ9", "CLI_upper", ""] {
        let error = client
            .tenant_access_token(input_a, "anything")
            .expect_err("an unknown prefix is refused");
        assert!(
            matches!(error, Error::InvalidRequest(InvalidRequest::UnknownAppKind)),
            "{input_a:?}: {error:?}"
        );
    }
    assert_eq!(
        mock.hits(TENANT_INTERNAL) + mock.hits(TENANT_MARKETPLACE),
        0
    );
}

pub fn self_built_app_token_carries_both_tokens<A: Adapter>() {
    let (_mock, client) = setup::<A>();
    let token = client
        .send(&AppAccessTokenRequest::self_built(
            SELF_BUILT_APP_ID,
            SELF_BUILT_APP_SECRET,
        ))
        .expect("an app token");
    assert!(token.app_access_token.expose().starts_with("t-"));
    assert!(token.tenant_access_token.is_some());
    assert!((1..=7200).contains(&token.expire));
}

pub fn app_ticket_resend<A: Adapter>() {
    let (_mock, client) = setup::<A>();
    client
        .send(&AppTicketResend::new(
            MARKETPLACE_APP_ID,
            MARKETPLACE_APP_SECRET,
        ))
        .expect("a marketplace app may ask for its ticket");
    let error = client
        .send(&AppTicketResend::new(
            SELF_BUILT_APP_ID,
            SELF_BUILT_APP_SECRET,
        ))
        .expect_err("a self-built app has no ticket");
    assert_eq!(error.code(), Some(codes::RESEND_APP_TICKET_FAILED));
}

/// The re-issue rule: with 30 minutes or more left, Feishu returns the same
/// token with its remaining lifetime.
pub fn same_token_while_far_from_expiry<A: Adapter>() {
    let (_mock, client) = setup::<A>();
    let request = TenantAccessTokenRequest::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET);
    let first = client.send(&request).expect("a token");
    let second = client.send(&request).expect("a token");
    assert_eq!(first.tenant_access_token, second.tenant_access_token);
    assert!(second.expire <= first.expire);
}

pub fn tenant_token_calls_an_api<A: Adapter>() {
    let (_mock, client) = setup::<A>();
    let token = client
        .tenant_access_token(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET)
        .expect("a tenant token");
    let chats = RawEndpoint::get("/open-apis/im/v1/chats").query("page_size", 20);
    let data = client
        .send_with_token(&chats, &token.tenant_access_token)
        .expect("the chat list");
    assert!(
        data["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
    );
    assert_eq!(data["has_more"], false);
}

/// An empty token under code 0 is a broken answer, not a token: the call
/// fails as unexpected and nothing goes out as `Bearer `.
pub fn an_empty_tenant_token_is_refused<A: Adapter>() {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET))
        .with_retry_policy(RetryPolicy::never());
    let client = A::new(config);
    let empty = json!({"code": 0, "msg": "ok", "tenant_access_token": "", "expire": 7200});
    mock.inject(TENANT_INTERNAL, Fault::json(200, empty));

    let error = client
        .send(&RawEndpoint::get("/open-apis/im/v1/chats"))
        .expect_err("an empty token is no token");
    assert!(
        matches!(error, Error::UnexpectedResponse(_)),
        "expected an unexpected response, got {error:?}"
    );
    assert_eq!(
        mock.hits("/open-apis/im/v1/chats"),
        0,
        "nothing was sent with it"
    );
}
