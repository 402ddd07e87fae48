//! The user token endpoints official SDKs call besides v2: `POST /oauth/v3/token`
//! on the accounts host (the mock's own URL), and the legacy OIDC pair under
//! `/open-apis/authen/v1/oidc`, which take an app access token.

use feishu_mock::{MARKETPLACE_APP_ID, MOCK_USER_OPEN_ID, MockServer, SELF_BUILT_APP_ID};
use serde_json::{Value, json};

use crate::support::{
    OAUTH_TOKEN, Reply, USER_INFO, code_exchange, get, marketplace_app_token, post, post_bearer,
    refresh, self_built_token, user_tokens,
};

const V3_TOKEN: &str = "/oauth/v3/token";
const OIDC_TOKEN: &str = "/open-apis/authen/v1/oidc/access_token";
const OIDC_REFRESH: &str = "/open-apis/authen/v1/oidc/refresh_access_token";

fn v3(server: &MockServer, body: &Value) -> Reply {
    post(server, V3_TOKEN, &body.to_string())
}

fn oidc(server: &MockServer, path: &str, app_token: Option<&str>, body: &Value) -> Reply {
    post_bearer(server, path, app_token, &body.to_string())
}

/// The `data` of a successful OIDC answer, after checking its envelope.
fn oidc_data(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.code(), 0, "{reply:?}");
    let body = reply.json();
    assert_eq!(body["msg"], "success");
    body["data"].clone()
}

#[test]
fn v3_exchanges_and_refreshes_with_v2_shapes() {
    let server = MockServer::start();
    let code = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    // What lark-oapi sends: v2's fields, plus an optional scope.
    let mut request = code_exchange(&code);
    request["redirect_uri"] = json!("https://example.com/callback");
    request["scope"] = json!("auth:user.id:read");
    let reply = v3(&server, &request);
    assert_eq!(reply.status, 200, "{reply:?}");
    let body = reply.json();
    for field in ["access_token", "refresh_token", "scope", "token_type"] {
        assert!(body[field].is_string(), "{field}: {body}");
    }
    assert_eq!(body["expires_in"], 7200);
    assert_eq!(body["refresh_token_expires_in"], 30 * 24 * 3600);
    assert_eq!(body["token_type"], "Bearer");
    let (access, refresh_token) = user_tokens(&reply);
    assert_eq!(get(&server, USER_INFO, Some(&access)).code(), 0);

    let refreshed = v3(&server, &refresh(&refresh_token));
    let (_, rotated) = user_tokens(&refreshed);
    assert_ne!(rotated, refresh_token);
    // One grant store: v2 and v3 spend the same codes and refresh tokens.
    let again = post(&server, OAUTH_TOKEN, &refresh(&refresh_token).to_string());
    assert_eq!((again.status, again.code()), (400, 20073), "{again:?}");
    assert_eq!(server.tokens_issued("user"), 2);
    assert_eq!(server.hits(V3_TOKEN), 2);
}

#[test]
fn v3_errors_are_v2_errors() {
    let server = MockServer::start();
    let reply = v3(&server, &code_exchange("no-such-code"));
    assert_eq!((reply.status, reply.code()), (400, 20003), "{reply:?}");
    assert_eq!(reply.json()["error"], "invalid_grant");
    let mut bad_client = code_exchange("x");
    bad_client["client_secret"] = json!("wrong");
    let code = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    bad_client["code"] = json!(code);
    assert_eq!(v3(&server, &bad_client).code(), 20002);
    let mut no_grant = code_exchange(&code);
    no_grant["grant_type"] = json!("password");
    assert_eq!(v3(&server, &no_grant).code(), 20036);
}

#[test]
fn oidc_exchange_and_refresh_with_a_self_built_app_token() {
    let server = MockServer::start();
    let app_token = self_built_token(&server);
    let code = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let request = json!({ "grant_type": "authorization_code", "code": code });
    let reply = oidc(&server, OIDC_TOKEN, Some(&app_token), &request);
    assert!(!reply.log_id().is_empty());
    let data = oidc_data(&reply);
    let mut keys: Vec<&str> = data
        .as_object()
        .expect("data")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_in",
            "refresh_expires_in",
            "refresh_token",
            "scope",
            "token_type"
        ]
    );
    assert_eq!(data["token_type"], "Bearer");
    assert_eq!(data["expires_in"], 7200);
    assert_eq!(data["refresh_expires_in"], 30 * 24 * 3600);
    let access = data["access_token"].as_str().expect("access_token");
    let user = get(&server, USER_INFO, Some(access));
    assert_eq!(user.json()["data"]["open_id"], MOCK_USER_OPEN_ID);

    let refresh_token = data["refresh_token"].as_str().expect("refresh_token");
    let request = json!({ "grant_type": "refresh_token", "refresh_token": refresh_token });
    let refreshed = oidc_data(&oidc(&server, OIDC_REFRESH, Some(&app_token), &request));
    assert_ne!(refreshed["refresh_token"], data["refresh_token"]);
    assert_eq!(server.tokens_issued("user"), 2);
}

#[test]
fn oidc_takes_a_marketplace_app_token() {
    let server = MockServer::start();
    let app_token = marketplace_app_token(&server);
    let code = server.authorize(MARKETPLACE_APP_ID, "ou_buyer");
    let request = json!({ "grant_type": "authorization_code", "code": code });
    oidc_data(&oidc(&server, OIDC_TOKEN, Some(&app_token), &request));
}

#[test]
fn oidc_errors() {
    let server = MockServer::start();
    let code = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let request = json!({ "grant_type": "authorization_code", "code": code });

    // The app token is checked at the gateway: HTTP 400.
    oidc(&server, OIDC_TOKEN, None, &request).assert_error(400, 99991661);
    oidc(&server, OIDC_TOKEN, Some("t-forged"), &request).assert_error(400, 99991664);
    let app_token = self_built_token(&server);

    // Grant errors keep their 200xx codes, with HTTP 200.
    let grant_error = |path: &str, body: Value, code: i64| {
        let reply = oidc(&server, path, Some(&app_token), &body);
        reply.assert_error(200, code);
        assert!(reply.json()["msg"].as_str().is_some_and(|m| !m.is_empty()));
    };
    grant_error(
        OIDC_TOKEN,
        json!({ "grant_type": "authorization_code", "code": "nope" }),
        20003,
    );
    grant_error(
        OIDC_TOKEN,
        json!({ "grant_type": "authorization_code" }),
        20001,
    );
    grant_error(
        OIDC_TOKEN,
        json!({ "grant_type": "refresh_token", "code": code }),
        20036,
    );
    // Another app's code.
    let theirs = server.authorize(MARKETPLACE_APP_ID, "ou_buyer");
    grant_error(
        OIDC_TOKEN,
        json!({ "grant_type": "authorization_code", "code": theirs }),
        20024,
    );
    grant_error(
        OIDC_REFRESH,
        json!({ "grant_type": "refresh_token", "refresh_token": "ur-nope" }),
        20026,
    );
    oidc_data(&oidc(&server, OIDC_TOKEN, Some(&app_token), &request));
    grant_error(OIDC_TOKEN, request, 20065);

    // A revoked app token is refused like any revoked token.
    server.revoke_tokens();
    let fresh = server.authorize(SELF_BUILT_APP_ID, MOCK_USER_OPEN_ID);
    let body = json!({ "grant_type": "authorization_code", "code": fresh });
    oidc(&server, OIDC_TOKEN, Some(&app_token), &body).assert_error(400, 99991664);
}
