//! No secret ever shows in `{:?}` or `{}`: configuration, credentials,
//! tokens, token caches, clients of every crate, webhooks, and the errors a
//! run against feishu-mock actually produces.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use feishu_core::auth::{AppAccessTokenRequest, TenantAccessTokenRequest, UserAccessTokenRequest};
use feishu_core::event::Webhook;
use feishu_core::{
    App, CachedToken, Client, Config, CredentialKind, Error, MemoryTokenStore, RawEndpoint,
    RetryPolicy, Secret, TokenKey, TokenStore, UserToken,
};
use feishu_mock::{Fault, MockServer, SELF_BUILT_APP_ID};

const APP_SECRET: &str = "app-secret-must-not-leak";
const TOKEN: &str = "t-token-must-not-leak";
const REFRESH: &str = "ur-refresh-must-not-leak";
const ENCRYPT_KEY: &str = "encrypt-key-must-not-leak";
const VERIFICATION: &str = "verification-token-must-not-leak";

fn assert_hidden(what: &str, shown: &str) {
    for secret in [APP_SECRET, TOKEN, REFRESH, ENCRYPT_KEY, VERIFICATION] {
        assert!(!shown.contains(secret), "{what} shows a secret: {shown}");
    }
}

fn both(what: &str, value: &(impl std::fmt::Debug + std::fmt::Display)) {
    assert_hidden(what, &format!("{value:?}"));
    assert_hidden(what, &format!("{value}"));
}

fn debug(what: &str, value: &impl std::fmt::Debug) {
    assert_hidden(what, &format!("{value:?}"));
}

#[test]
fn configuration_credentials_tokens_and_caches_are_redacted() {
    let config = Config::feishu().with_app(App::self_built("cli_x", APP_SECRET));
    debug("Config", &config);
    both("Secret", &Secret::new(TOKEN));

    let store = Arc::new(MemoryTokenStore::new());
    let key = TokenKey {
        base_url: "https://open.feishu.cn".into(),
        app_id: "cli_x".into(),
        kind: CredentialKind::TenantAccessToken,
        tenant_key: None,
    };
    let cached = CachedToken::new(Secret::new(TOKEN), 7200, SystemTime::now(), Duration::ZERO);
    debug("CachedToken", &cached);
    store.put(&key, cached);
    debug("MemoryTokenStore", &store);
    let client = Client::with_token_store(config.clone(), store, 0x5eed);
    debug("feishu_core::Client", &client);
    debug(
        "feishu_ureq::Client",
        &feishu_ureq::Client::with_core(client.clone()),
    );
    debug(
        "feishu_reqwest::Client",
        &feishu_reqwest::Client::with_core(client.clone()).expect("a client"),
    );

    debug(
        "TenantAccessTokenRequest",
        &TenantAccessTokenRequest::self_built("cli_x", APP_SECRET),
    );
    debug(
        "TenantAccessTokenRequest",
        &TenantAccessTokenRequest::marketplace(TOKEN, "tenant"),
    );
    debug(
        "AppAccessTokenRequest",
        &AppAccessTokenRequest::marketplace("cli_x", APP_SECRET, TOKEN),
    );
    let app = App::self_built("cli_x", APP_SECRET);
    debug(
        "UserAccessTokenRequest",
        &UserAccessTokenRequest::refresh_token(&app, Secret::new(REFRESH)),
    );
    debug(
        "UserToken",
        &UserToken::from_refresh_token(Secret::new(REFRESH)),
    );
    debug(
        "Webhook",
        &Webhook::encrypted(ENCRYPT_KEY).verification_token(VERIFICATION),
    );
    let request = feishu_core::build(
        &config,
        &RawEndpoint::get("/open-apis/x"),
        Some(&Secret::new(TOKEN)),
    )
    .expect("a request");
    debug("a built request", &request);
}

#[test]
fn errors_from_a_real_run_are_redacted() {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_retry_policy(RetryPolicy::never());
    let client = feishu_ureq::Client::new(
        config
            .clone()
            .with_app(App::self_built(SELF_BUILT_APP_ID, APP_SECRET)),
    );

    // A wrong secret: an API error.
    let error = client
        .send(&RawEndpoint::get("/open-apis/im/v1/chats"))
        .expect_err("the secret is wrong");
    both("Error::Api", &error);

    // A truncated token answer: an unexpected body from a token endpoint.
    mock.inject(
        "/open-apis/auth/v3/tenant_access_token/internal",
        Fault::status(200).body(
            "application/json",
            format!(r#"{{"code":0,"tenant_access_token":"{TOKEN}"#),
        ),
    );
    let error = client
        .send(&TenantAccessTokenRequest::self_built(
            SELF_BUILT_APP_ID,
            APP_SECRET,
        ))
        .expect_err("truncated");
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    both("Error::UnexpectedResponse from a token endpoint", &error);

    // A refused token given as is.
    let plain = feishu_ureq::Client::new(config);
    let error = plain
        .send_with_token(
            &RawEndpoint::get("/open-apis/im/v1/chats"),
            &Secret::new(TOKEN),
        )
        .expect_err("unknown token");
    both("Error::Api for a bad token", &error);

    // A transport error.
    drop(mock);
    let error = client
        .send(&RawEndpoint::get("/open-apis/im/v1/chats"))
        .expect_err("the server is gone");
    both("Error::Transport", &error);
}
