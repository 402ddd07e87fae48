//! A conformance-style run of both adapters (with their default `tracing`
//! feature) against feishu-mock, their tokens shared through Redis, while a
//! subscriber captures every span and event at TRACE: self-built,
//! marketplace and user calls, retries, a rate limit, a revoked token, an
//! API error, a pending app ticket, webhook deliveries (accepted, duplicate,
//! rejected, an `app_ticket`). Then each secret and token of the run is
//! searched for in the capture: none may appear; the facts must.

// Tests may unwrap: a failure is the test's verdict.
#![allow(clippy::unwrap_used)]

#[path = "support/redis.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use feishu_core::event::Webhook;
use feishu_core::{
    App, Config, CredentialKind, RawEndpoint, Secret, TokenKey, TokenKind, UserToken,
};
use feishu_mock::{
    Fault, MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_APP_TICKET,
    MARKETPLACE_TENANT_KEY, MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET,
};
use feishu_redis::{AsyncRedisStore, Options, RedisSeenStore, RedisStore};
use support::{shared_url, unique_prefix};

const CHATS: &str = "/open-apis/im/v1/chats";
const USER_INFO: &str = "/open-apis/authen/v1/user_info";
const VERIFICATION_TOKEN: &str = "vt-2f8a9c1d7e3b4a5f";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn config(mock: &MockServer, app: App) -> Config {
    Config::new(mock.url()).unwrap().with_app(app)
}

/// The tokens a client's process cache holds now.
fn cached(
    core: &feishu_core::Client,
    kind: CredentialKind,
    tenant: Option<&str>,
) -> Option<Secret> {
    let key = TokenKey {
        base_url: core.config().base_url().into(),
        app_id: core.config().app().map(|app| app.app_id().into())?,
        kind,
        tenant_key: tenant.map(Into::into),
    };
    core.token_store().get(&key).map(|cached| cached.token)
}

/// What one adapter's run leaves to search for.
#[derive(Default)]
struct Secrets(Vec<String>);

impl Secrets {
    fn add(&mut self, secret: Option<Secret>) {
        if let Some(secret) = secret {
            self.0.push(secret.expose().to_owned());
        }
    }
}

/// An API error Feishu does not ask to retry.
fn not_in_chat() -> Fault {
    Fault::json(
        400,
        serde_json::json!({"code": 230002, "msg": "Bot is not in the chat"}),
    )
    .times(1)
}

/// The webhook half of the run: every kind of delivery, traced.
fn deliveries(mock: &MockServer, webhook: &Webhook) {
    let deliver = |body: String| {
        let request = http::Request::post("/webhook")
            .body(body.into_bytes())
            .unwrap();
        let handled = webhook.handle(&request, SystemTime::now());
        feishu_ureq::trace::delivery(&handled);
    };
    let event = mock.message_event("oc_mock_general", "ou_alice", "hello", VERIFICATION_TOKEN);
    deliver(event.to_string());
    deliver(event.to_string());
    deliver(
        mock.app_ticket_event(MARKETPLACE_APP_ID, VERIFICATION_TOKEN)
            .to_string(),
    );
    let forged = mock.message_event("oc_mock_general", "ou_alice", "x", "wrong-token");
    deliver(forged.to_string());
}

fn ureq_run(secrets: &mut Secrets) {
    let mock = MockServer::start();
    let store = Arc::new(
        RedisStore::with_options(
            shared_url().as_str(),
            Options::new().prefix(unique_prefix("ureq")),
        )
        .unwrap(),
    );
    let client = feishu_ureq::Client::new(config(
        &mock,
        App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET),
    ))
    .with_shared_store(store.clone());
    let chats = RawEndpoint::get(CHATS);
    client.send(&chats).unwrap();
    mock.inject(CHATS, Fault::status(500).times(1));
    client.send(&chats).unwrap();
    mock.inject(
        CHATS,
        Fault::json(429, serde_json::json!({"code": 99991400, "msg": "limited"}))
            .header("x-ogw-ratelimit-reset", "1")
            .times(1),
    );
    client.send(&chats).unwrap();
    secrets.add(cached(
        client.core(),
        CredentialKind::TenantAccessToken,
        None,
    ));
    mock.revoke_tokens();
    client.send(&chats).unwrap();
    secrets.add(cached(
        client.core(),
        CredentialKind::TenantAccessToken,
        None,
    ));
    mock.inject(CHATS, not_in_chat());
    client.send(&chats).unwrap_err();

    let market = feishu_ureq::Client::new(config(
        &mock,
        App::marketplace(MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET),
    ))
    .with_shared_store(store);
    market
        .tenant(MARKETPLACE_TENANT_KEY)
        .send(&chats)
        .unwrap_err();
    market.share_app_ticket(MARKETPLACE_APP_TICKET).unwrap();
    market.tenant(MARKETPLACE_TENANT_KEY).send(&chats).unwrap();
    secrets.add(cached(market.core(), CredentialKind::AppAccessToken, None));
    secrets.add(cached(
        market.core(),
        CredentialKind::TenantAccessToken,
        Some(MARKETPLACE_TENANT_KEY),
    ));

    let code = mock.authorize(SELF_BUILT_APP_ID, "ou_alice");
    secrets.0.push(code.clone());
    let token = client
        .send(&client.core().code_exchange(code.as_str(), None).unwrap())
        .unwrap();
    secrets.add(Some(token.access_token.clone()));
    secrets.add(token.refresh_token.clone());
    let user = UserToken::new(token.clone(), SystemTime::now());
    let me = RawEndpoint::get(USER_INFO).token(TokenKind::User);
    client.send_as(&me, &user).unwrap();
    let refreshed = UserToken::from_refresh_token(token.refresh_token.clone().unwrap());
    client.send_as(&me, &refreshed).unwrap();
    secrets.add(refreshed.refresh_token());

    let seen = RedisSeenStore::with_options(
        shared_url().as_str(),
        Options::new().prefix(unique_prefix("seen")),
    )
    .unwrap();
    let webhook = Webhook::token_only(VERIFICATION_TOKEN).seen_store(Arc::new(seen));
    deliveries(&mock, &webhook);
}

fn reqwest_run(secrets: &mut Secrets) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mock = MockServer::start();
        let store = Arc::new(
            AsyncRedisStore::with_options(
                shared_url().as_str(),
                Options::new().prefix(unique_prefix("reqwest")),
            )
            .unwrap(),
        );
        let app = App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET);
        let client = feishu_reqwest::Client::new(config(&mock, app))
            .unwrap()
            .with_shared_store(store.clone());
        let chats = RawEndpoint::get(CHATS);
        client.send(&chats).await.unwrap();
        mock.inject(CHATS, Fault::status(500).times(1));
        client.send(&chats).await.unwrap();
        secrets.add(cached(
            client.core(),
            CredentialKind::TenantAccessToken,
            None,
        ));
        mock.revoke_tokens();
        client.send(&chats).await.unwrap();
        secrets.add(cached(
            client.core(),
            CredentialKind::TenantAccessToken,
            None,
        ));
        mock.inject(CHATS, not_in_chat());
        client.send(&chats).await.unwrap_err();

        let app = App::marketplace(MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET);
        let market = feishu_reqwest::Client::new(config(&mock, app))
            .unwrap()
            .with_shared_store(store);
        market
            .tenant(MARKETPLACE_TENANT_KEY)
            .send(&chats)
            .await
            .unwrap_err();
        market
            .share_app_ticket(MARKETPLACE_APP_TICKET)
            .await
            .unwrap();
        market
            .tenant(MARKETPLACE_TENANT_KEY)
            .send(&chats)
            .await
            .unwrap();
        secrets.add(cached(market.core(), CredentialKind::AppAccessToken, None));
        secrets.add(cached(
            market.core(),
            CredentialKind::TenantAccessToken,
            Some(MARKETPLACE_TENANT_KEY),
        ));

        let code = mock.authorize(SELF_BUILT_APP_ID, "ou_alice");
        secrets.0.push(code.clone());
        let token = client
            .send(&client.core().code_exchange(code.as_str(), None).unwrap())
            .await
            .unwrap();
        secrets.add(Some(token.access_token.clone()));
        secrets.add(token.refresh_token.clone());
        let me = RawEndpoint::get(USER_INFO).token(TokenKind::User);
        client
            .send_as(&me, &UserToken::new(token.clone(), SystemTime::now()))
            .await
            .unwrap();
    });
}

#[test]
fn no_span_or_event_of_a_full_run_holds_a_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // Global: reqwest's calls run on the runtime's threads.
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let mut secrets = Secrets::default();
    secrets.0.extend(
        [
            SELF_BUILT_APP_SECRET,
            MARKETPLACE_APP_SECRET,
            MARKETPLACE_APP_TICKET,
            VERIFICATION_TOKEN,
        ]
        .map(str::to_owned),
    );
    ureq_run(&mut secrets);
    reqwest_run(&mut secrets);
    std::thread::sleep(Duration::from_millis(50));

    let logged = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    for fact in [
        "feishu.call",
        "endpoint=\"raw\"",
        "path=\"/open-apis/im/v1/chats\"",
        "token request",
        "status=500",
        "reason=\"rate_limit\"",
        "reason=\"retry\"",
        "code=99991663",
        "outcome=\"api\"",
        "code=230002",
        "outcome=\"app_ticket_pending\"",
        "log_id=",
        "webhook delivery",
        "delivery=\"duplicate\"",
        "delivery=\"rejected\"",
    ] {
        assert!(logged.contains(fact), "{fact:?} is traced:\n{logged}");
    }
    assert!(secrets.0.len() >= 14, "{} secrets", secrets.0.len());
    for secret in &secrets.0 {
        assert!(
            secret.len() >= 8,
            "a secret worth searching for: {secret:?}"
        );
        assert!(
            !logged.contains(secret.as_str()),
            "{secret:?} leaked:\n{logged}"
        );
    }
    println!(
        "{} lines traced, {} secrets searched, none found",
        logged.lines().count(),
        secrets.0.len()
    );
}
