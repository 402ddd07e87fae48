//! `GET /open-apis/authen/v1/user_info`: user tokens only.

use std::time::Duration;

use feishu_mock::{MOCK_USER_OPEN_ID, ManualClock, MockServer};

use crate::support::{USER_INFO, authorized_user, get, marketplace_app_token, self_built_token};

const INVALID: &str =
    "Invalid access token for authorization. Please make a request with token attached";

#[test]
fn returns_the_user_of_a_user_token() {
    let server = MockServer::start();
    let (access, _) = authorized_user(&server);
    let reply = get(&server, USER_INFO, Some(&access));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.code(), 0);
    let body = reply.json();
    assert_eq!(body["msg"], "success");
    let data = &body["data"];
    assert_eq!(data["name"], "Mock User");
    assert_eq!(data["open_id"], MOCK_USER_OPEN_ID);
    assert_eq!(data["tenant_key"], "mock_self_built_tenant");
    let union_id = data["union_id"].as_str().expect("union_id");
    assert!(
        union_id.starts_with("on_") && union_id.len() > 3,
        "{union_id}"
    );
    // Derived from the user, so stable across sign-ins and servers.
    let other = MockServer::start();
    let (again, _) = authorized_user(&other);
    assert_eq!(
        get(&other, USER_INFO, Some(&again)).json()["data"]["union_id"],
        union_id
    );
}

#[test]
fn other_tokens_are_invalid_for_authorization() {
    let server = MockServer::start();
    let tenant = self_built_token(&server);
    let app = marketplace_app_token(&server);
    for token in [tenant.as_str(), app.as_str(), "u-unknown"] {
        let reply = get(&server, USER_INFO, Some(token));
        reply.assert_error(400, 99991668);
        assert_eq!(reply.json()["msg"], INVALID);
    }
    get(&server, USER_INFO, None).assert_error(400, 99991661);
}

#[test]
fn expired_user_tokens_are_invalid() {
    let clock = ManualClock::new();
    let server = MockServer::builder()
        .token_lifetime(Duration::from_millis(400))
        .clock(clock.clone())
        .start()
        .expect("start");
    let (access, _) = authorized_user(&server);
    clock.advance(Duration::from_millis(500));
    get(&server, USER_INFO, Some(&access)).assert_error(400, 99991668);
}
