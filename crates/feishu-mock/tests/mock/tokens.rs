//! The re-issue rule and token expiry, on real time.

use std::time::Duration;

use feishu_mock::{MARKETPLACE_TENANT_KEY, ManualClock, MockServer};
use serde_json::json;

use crate::support::{
    APP_TOKEN, CHATS, TENANT_INTERNAL, TENANT_TOKEN, get, marketplace_app_token, post,
    self_built_token,
};

#[test]
fn same_token_while_far_from_expiry() {
    let server = MockServer::start();
    let first = self_built_token(&server);
    assert_eq!(self_built_token(&server), first);
    assert_eq!(
        marketplace_app_token(&server),
        marketplace_app_token(&server)
    );
}

#[test]
fn new_token_below_threshold_and_both_stay_valid() {
    let clock = ManualClock::new();
    let server = MockServer::builder()
        .token_lifetime(Duration::from_secs(3))
        .reissue_threshold(Duration::from_secs(2))
        .clock(clock.clone())
        .start()
        .expect("start");
    let first = self_built_token(&server);
    let body = format!(
        r#"{{"app_id":"{}","app_secret":"{}"}}"#,
        feishu_mock::SELF_BUILT_APP_ID,
        feishu_mock::SELF_BUILT_APP_SECRET
    );
    let again = post(&server, TENANT_INTERNAL, &body).json();
    assert_eq!(again["tenant_access_token"], first.as_str());
    let expire = again["expire"].as_u64().expect("expire");
    assert!((2..=3).contains(&expire), "{expire}");

    clock.advance(Duration::from_millis(1200));
    let renewed = post(&server, TENANT_INTERNAL, &body).json();
    let second = renewed["tenant_access_token"].as_str().expect("token");
    assert_ne!(second, first);
    assert_eq!(renewed["expire"], 3);
    for token in [first.as_str(), second] {
        let reply = get(&server, CHATS, Some(token));
        assert_eq!(reply.status, 200, "{reply:?}");
    }
}

#[test]
fn expired_tokens_are_refused() {
    let clock = ManualClock::new();
    let server = MockServer::builder()
        .token_lifetime(Duration::from_millis(1000))
        .reissue_threshold(Duration::ZERO)
        .clock(clock.clone())
        .start()
        .expect("start");
    let tenant = self_built_token(&server);
    let app = marketplace_app_token(&server);
    clock.advance(Duration::from_millis(1100));
    // Expired, not unknown: 99991677 tells the client a refetch will help.
    let reply = get(&server, CHATS, Some(&tenant));
    reply.assert_error(400, 99991677);
    assert_eq!(reply.json()["msg"], "token expired");
    let request = json!({ "app_access_token": app, "tenant_key": MARKETPLACE_TENANT_KEY });
    post(&server, TENANT_TOKEN, &request.to_string()).assert_error(200, 99991664);
    // A fresh request gets a fresh token.
    assert_ne!(self_built_token(&server), tenant);
    assert_eq!(server.hits(APP_TOKEN), 1);
}
