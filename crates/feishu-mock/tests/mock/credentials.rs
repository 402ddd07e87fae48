//! Test controls over credentials: `revoke_tokens`, `rotate_app_ticket` and
//! `tokens_issued`.

use feishu_mock::{
    Fault, MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_APP_TICKET,
    MARKETPLACE_TENANT_KEY, MockServer, SELF_BUILT_APP_ID,
};
use serde_json::json;

use crate::support::{
    APP_INTERNAL, APP_TOKEN, CHATS, TENANT_INTERNAL, TENANT_TOKEN, USER_INFO, authorized_user, get,
    marketplace_app_token, oauth, post, refresh, self_built_token, user_tokens,
};

fn tenant_token_request(app_token: &str) -> String {
    json!({ "app_access_token": app_token, "tenant_key": MARKETPLACE_TENANT_KEY }).to_string()
}

fn app_token_request(ticket: &str) -> String {
    json!({ "app_id": MARKETPLACE_APP_ID, "app_secret": MARKETPLACE_APP_SECRET, "app_ticket": ticket })
        .to_string()
}

#[test]
fn revoked_tenant_tokens_are_invalid_and_replaced() {
    let server = MockServer::start();
    let old = self_built_token(&server);
    server.revoke_tokens();
    let reply = get(&server, CHATS, Some(&old));
    reply.assert_error(400, 99991663);
    let new = self_built_token(&server);
    assert_ne!(new, old);
    assert_eq!(get(&server, CHATS, Some(&new)).code(), 0);
}

#[test]
fn revoked_app_token_gets_99991664() {
    let server = MockServer::start();
    let old = marketplace_app_token(&server);
    server.revoke_tokens();
    post(&server, TENANT_TOKEN, &tenant_token_request(&old)).assert_error(200, 99991664);
    let new = marketplace_app_token(&server);
    assert_ne!(new, old);
    assert_eq!(
        post(&server, TENANT_TOKEN, &tenant_token_request(&new)).code(),
        0
    );
}

#[test]
fn revoked_user_tokens_keep_their_refresh_tokens() {
    let server = MockServer::start();
    let (access, refresh_token) = authorized_user(&server);
    server.revoke_tokens();
    get(&server, USER_INFO, Some(&access)).assert_error(400, 99991668);
    let (new_access, _) = user_tokens(&oauth(&server, &refresh(&refresh_token)));
    assert_eq!(get(&server, USER_INFO, Some(&new_access)).code(), 0);
}

#[test]
fn rotated_ticket_replaces_the_old_one() {
    let server = MockServer::start();
    let ticket = server.rotate_app_ticket(MARKETPLACE_APP_ID);
    assert_ne!(ticket, MARKETPLACE_APP_TICKET);
    let stale = post(
        &server,
        APP_TOKEN,
        &app_token_request(MARKETPLACE_APP_TICKET),
    );
    stale.assert_error(200, 10012);
    assert_eq!(
        post(&server, APP_TOKEN, &app_token_request(&ticket)).code(),
        0
    );
    assert_ne!(server.rotate_app_ticket(MARKETPLACE_APP_ID), ticket);
}

#[test]
#[should_panic(expected = "not a marketplace app")]
fn only_marketplace_apps_have_tickets() {
    MockServer::start().rotate_app_ticket(SELF_BUILT_APP_ID);
}

#[test]
fn tokens_issued_counts_answered_token_requests() {
    let server = MockServer::start();
    let self_built = json!({
        "app_id": SELF_BUILT_APP_ID,
        "app_secret": feishu_mock::SELF_BUILT_APP_SECRET,
    })
    .to_string();
    self_built_token(&server);
    self_built_token(&server); // the same token again still counts
    assert_eq!(post(&server, APP_INTERNAL, &self_built).code(), 0);
    let app_token = marketplace_app_token(&server);
    assert_eq!(
        post(&server, TENANT_TOKEN, &tenant_token_request(&app_token)).code(),
        0
    );
    let (_, refresh_token) = authorized_user(&server);
    assert_eq!(oauth(&server, &refresh(&refresh_token)).code(), 0);
    assert_eq!(server.tokens_issued("tenant"), 3);
    assert_eq!(server.tokens_issued("app"), 2);
    assert_eq!(server.tokens_issued("user"), 2);

    // Faults and errors hand out no token.
    server.inject(TENANT_INTERNAL, Fault::status(503));
    assert_eq!(post(&server, TENANT_INTERNAL, &self_built).status, 503);
    post(&server, APP_TOKEN, &app_token_request("stale")).assert_error(200, 10012);
    assert_ne!(oauth(&server, &refresh(&refresh_token)).code(), 0);
    assert_eq!(server.tokens_issued("tenant"), 3);
    assert_eq!(server.tokens_issued("app"), 2);
    assert_eq!(server.tokens_issued("user"), 2);
}

#[test]
#[should_panic(expected = "unknown kind")]
fn tokens_issued_rejects_unknown_kinds() {
    MockServer::start().tokens_issued("tenant_access_token");
}
