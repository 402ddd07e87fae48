//! `POST /open-apis/authen/v2/oauth/token`: code exchange, refresh rotation
//! and every error code. (Code expiry, 5 minutes, is unit-tested in `users.rs`.)

use std::time::Duration;

use feishu_mock::{
    MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MOCK_USER_OPEN_ID, ManualClock, MockServer,
    SELF_BUILT_APP_ID,
};
use serde_json::{Value, json};

use crate::support::{
    Reply, USER_INFO, authorized_user, code_exchange, get, oauth, post, refresh, user_tokens,
};

/// OAuth errors are HTTP 400 with a flat `code` / `error` / `error_description`
/// body and the usual log id header.
fn assert_oauth_error(reply: &Reply, code: i64, error: &str) {
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(reply.code(), code, "{reply:?}");
    let body = reply.json();
    assert_eq!(body["error"], error, "{reply:?}");
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert!(body.get("msg").is_none() && body.get("data").is_none());
    assert!(!reply.log_id().is_empty());
}

fn is_hex_token(token: &str, prefix: &str) -> bool {
    token.strip_prefix(prefix).is_some_and(|hex| {
        hex.len() == 40
            && hex
                .bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    })
}

#[test]
fn code_exchange_success_is_flat_oauth() {
    let server = MockServer::start();
    let code = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let mut request = code_exchange(&code);
    request["redirect_uri"] = json!("https://example.com/api/oauth/callback");
    request["code_verifier"] = json!("TxYmzM4PHLBlqm5NtnCmwxMH8mFlRWl_ipie3O0aVzo");
    let reply = oauth(&server, &request);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.code(), 0);
    assert!(!reply.log_id().is_empty());
    let body = reply.json();
    let access = body["access_token"].as_str().expect("access_token");
    let refresh = body["refresh_token"].as_str().expect("refresh_token");
    assert!(is_hex_token(access, "u-"), "{access}");
    assert!(is_hex_token(refresh, "ur-"), "{refresh}");
    assert_eq!(body["expires_in"], 7200);
    assert_eq!(body["refresh_token_expires_in"], 30 * 24 * 3600);
    assert_eq!(body["scope"], "auth:user.id:read offline_access");
    assert_eq!(body["token_type"], "Bearer");
    let keys: Vec<&str> = body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 7, "{keys:?}");
}

#[test]
fn marketplace_apps_use_oauth_too() {
    let server = MockServer::builder()
        .token_lifetime(Duration::from_secs(600))
        .refresh_token_lifetime(Duration::from_secs(3600))
        .start()
        .expect("start");
    let code = server.authorize(MARKETPLACE_APP_ID, "ou_someone");
    let request = json!({
        "grant_type": "authorization_code",
        "client_id": MARKETPLACE_APP_ID,
        "client_secret": MARKETPLACE_APP_SECRET,
        "code": code,
    });
    let reply = oauth(&server, &request);
    assert_eq!(reply.json()["expires_in"], 600);
    assert_eq!(reply.json()["refresh_token_expires_in"], 3600);
    let (access, _) = user_tokens(&reply);
    let data = get(&server, USER_INFO, Some(&access)).json()["data"].clone();
    assert_eq!(data["open_id"], "ou_someone");
    assert_eq!(data["tenant_key"], feishu_mock::MARKETPLACE_TENANT_KEY);
}

#[test]
fn codes_work_once_and_only_for_their_app() {
    let server = MockServer::start();
    let code = server.authorize(MARKETPLACE_APP_ID, MOCK_USER_OPEN_ID);
    // Another app's code: refused without spending it.
    assert_oauth_error(
        &oauth(&server, &code_exchange(&code)),
        20024,
        "invalid_grant",
    );
    let code = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let (first, _) = user_tokens(&oauth(&server, &code_exchange(&code)));
    let reused = oauth(&server, &code_exchange(&code));
    assert_oauth_error(&reused, 20065, "invalid_grant");
    assert_oauth_error(
        &oauth(&server, &code_exchange("nope")),
        20003,
        "invalid_grant",
    );
    // Each exchange mints a fresh user token.
    let again = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let (second, _) = user_tokens(&oauth(&server, &code_exchange(&again)));
    assert_ne!(first, second);
}

#[test]
fn refresh_rotates_both_tokens() {
    let server = MockServer::start();
    let (access, refresh_token) = authorized_user(&server);
    let (new_access, new_refresh) = user_tokens(&oauth(&server, &refresh(&refresh_token)));
    assert_ne!(new_access, access);
    assert_ne!(new_refresh, refresh_token);
    let used = oauth(&server, &refresh(&refresh_token));
    assert_oauth_error(&used, 20073, "invalid_grant");
    let (newest, _) = user_tokens(&oauth(&server, &refresh(&new_refresh)));
    // The refreshed-away access token keeps its one-minute grace period.
    for token in [&access, &new_access, &newest] {
        assert_eq!(get(&server, USER_INFO, Some(token)).code(), 0);
    }
    let unknown = oauth(&server, &refresh("ur-unknown"));
    assert_oauth_error(&unknown, 20026, "invalid_grant");
}

#[test]
fn expired_refresh_token() {
    let clock = ManualClock::new();
    let server = MockServer::builder()
        .refresh_token_lifetime(Duration::from_millis(400))
        .clock(clock.clone())
        .start()
        .expect("start");
    let (_, refresh_token) = authorized_user(&server);
    clock.advance(Duration::from_millis(500));
    let reply = oauth(&server, &refresh(&refresh_token));
    assert_oauth_error(&reply, 20037, "invalid_grant");
}

#[test]
fn missing_parameters() {
    let server = MockServer::start();
    let code = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let cases: [(Value, &str); 5] = [
        (code_exchange(&code), "grant_type"),
        (code_exchange(&code), "client_id"),
        (code_exchange(&code), "client_secret"),
        (code_exchange(&code), "code"),
        (refresh("ur-x"), "refresh_token"),
    ];
    for (mut request, field) in cases {
        request.as_object_mut().expect("object").remove(field);
        let reply = oauth(&server, &request);
        assert_oauth_error(&reply, 20001, "invalid_request");
        let description = reply.json()["error_description"].clone();
        assert!(description.as_str().is_some_and(|d| d.contains(field)));
        request[field] = json!("");
        assert_oauth_error(&oauth(&server, &request), 20001, "invalid_request");
    }
    // None of that spent the code.
    assert_eq!(oauth(&server, &code_exchange(&code)).code(), 0);
}

#[test]
fn unsupported_grant_types_and_malformed_bodies() {
    let server = MockServer::start();
    for grant_type in ["client_credentials", "password", "Authorization_Code"] {
        let mut request = code_exchange("x");
        request["grant_type"] = json!(grant_type);
        let reply = oauth(&server, &request);
        assert_oauth_error(&reply, 20036, "unsupported_grant_type");
    }
    let mut numeric = code_exchange("x");
    numeric["code"] = json!(12345);
    for body in ["", "not json", "[1,2]", &numeric.to_string()] {
        let reply = post(&server, crate::support::OAUTH_TOKEN, body);
        assert_oauth_error(&reply, 20063, "invalid_request");
    }
}

#[test]
fn unknown_client_or_wrong_secret() {
    let server = MockServer::start();
    let code = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let mut unknown = code_exchange(&code);
    unknown["client_id"] = json!("cli_nobody");
    assert_oauth_error(&oauth(&server, &unknown), 20002, "invalid_client");
    let mut wrong = code_exchange(&code);
    wrong["client_secret"] = json!("wrong");
    assert_oauth_error(&oauth(&server, &wrong), 20002, "invalid_client");
    let mut wrong = refresh("ur-x");
    wrong["client_secret"] = json!("wrong");
    assert_oauth_error(&oauth(&server, &wrong), 20002, "invalid_client");
    assert_eq!(oauth(&server, &code_exchange(&code)).code(), 0);
}
