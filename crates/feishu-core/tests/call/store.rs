//! The `TokenStore` a client keeps its tokens in: what the call asks of it
//! (`get` on every call, `put` on a fetch, compare-and-delete `invalidate` on a
//! refused token), and the keys it uses (base URL + app + kind + tenant).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use feishu_core::{
    App, CachedToken, Client, Config, CredentialKind, DEFAULT_TOKEN_REFRESH_MARGIN,
    MemoryTokenStore, Secret, TokenKey, TokenStore,
};

use crate::harness::*;

/// A `MemoryTokenStore` that logs every operation as `op key [token]`.
#[derive(Default)]
struct RecordingStore {
    inner: MemoryTokenStore,
    log: Mutex<Vec<String>>,
}

impl RecordingStore {
    fn record(&self, entry: String) {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(entry);
    }

    /// Takes the log so far.
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl TokenStore for RecordingStore {
    fn get(&self, key: &TokenKey) -> Option<CachedToken> {
        self.record(format!("get {key}"));
        self.inner.get(key)
    }

    fn put(&self, key: &TokenKey, token: CachedToken) {
        self.record(format!("put {key} {}", token.token.expose()));
        self.inner.put(key, token);
    }

    fn invalidate(&self, key: &TokenKey, token: &Secret) {
        self.record(format!("invalidate {key} {}", token.expose()));
        self.inner.invalidate(key, token);
    }
}

const TENANT_KEY_FORM: &str = "feishu:https://open.feishu.cn:cli_slkdjalasdkjasd:tenant";

fn recorded(config: Config) -> (Client, Arc<RecordingStore>) {
    let store = Arc::new(RecordingStore::default());
    (
        Client::with_token_store(config, store.clone(), 0x5eed),
        store,
    )
}

fn tenant_key() -> TokenKey {
    TokenKey {
        base_url: "https://open.feishu.cn".into(),
        app_id: APP_ID.into(),
        kind: CredentialKind::TenantAccessToken,
        tenant_key: None,
    }
}

fn only<'a>(log: &'a [String], op: &str) -> Vec<&'a str> {
    log.iter()
        .map(String::as_str)
        .filter(|entry| entry.starts_with(op))
        .collect()
}

#[test]
fn fetched_token_is_put_in_the_store() {
    let (client, store) = recorded(self_built_config());
    let (result, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the chats");
    let log = store.take();
    assert_eq!(
        only(&log, "put"),
        [format!("put {TENANT_KEY_FORM} {TENANT_TOKEN}")]
    );
    assert!(!only(&log, "get").is_empty(), "{log:?}");
}

#[test]
fn stored_entry_carries_the_answers_expiry_and_refresh_point() {
    let (client, store) = recorded(self_built_config());
    let (result, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the chats");
    let entry = store.inner.get(&tenant_key()).expect("the entry");
    assert_eq!(entry.token.expose(), TENANT_TOKEN);
    assert_eq!(entry.expires_at, after(7200));
    assert_eq!(entry.refresh_at, after(7200) - DEFAULT_TOKEN_REFRESH_MARGIN);
}

#[test]
fn warm_call_reads_the_store_once_and_writes_nothing() {
    let (client, store) = recorded(self_built_config());
    let (result, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the first call");
    store.take();

    let (result, _) = drive(
        client.call(&chats()),
        after(1),
        script([(chats_with(TENANT_TOKEN), data(chat_list()))]),
    );
    result.expect("the warm call");
    assert_eq!(store.take(), [format!("get {TENANT_KEY_FORM}")]);
}

#[test]
fn refused_token_is_invalidated_by_value() {
    let (client, store) = recorded(self_built_config());
    let (result, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), tenant_token_invalid()),
            (tenant_token_request(), tenant_token(TENANT_TOKEN_2, 7200)),
            (chats_with(TENANT_TOKEN_2), data(chat_list())),
        ]),
    );
    result.expect("repaired");
    let log = store.take();
    assert_eq!(
        only(&log, "invalidate"),
        [format!("invalidate {TENANT_KEY_FORM} {TENANT_TOKEN}")]
    );
    assert_eq!(
        only(&log, "put"),
        [
            format!("put {TENANT_KEY_FORM} {TENANT_TOKEN}"),
            format!("put {TENANT_KEY_FORM} {TENANT_TOKEN_2}"),
        ]
    );
}

#[test]
fn invalidation_spares_a_newer_token_stored_meanwhile() {
    let (client, store) = recorded(self_built_config());
    let endpoint = chats();
    let mut call = client.call(&endpoint);
    let _ = expect_send(call.poll(t0()));
    feed(&mut call, tenant_token(TENANT_TOKEN, 7200), t0());
    let api = expect_send(call.poll(t0()));
    assert_eq!(api.bearer(), Some(TENANT_TOKEN));

    // Another process of the cluster stores a newer token meanwhile.
    let newer = CachedToken::new(
        Secret::new(TENANT_TOKEN_2),
        7200,
        t0(),
        DEFAULT_TOKEN_REFRESH_MARGIN,
    );
    client.token_store().put(&tenant_key(), newer);

    // The refusal of the old token leaves the newer one in place, and the
    // repeat uses it without fetching.
    feed(&mut call, tenant_token_invalid(), t0());
    let repeat = expect_send(call.poll(t0()));
    assert_eq!(
        (repeat.path.as_str(), repeat.bearer()),
        (CHATS, Some(TENANT_TOKEN_2))
    );
    feed(&mut call, data(chat_list()), t0());
    expect_done(call.poll(t0())).expect("the chats");
    assert!(store.inner.get(&tenant_key()).is_some());
}

#[test]
fn memory_store_invalidates_only_the_token_it_holds() {
    let store = MemoryTokenStore::new();
    let entry = CachedToken::new(Secret::new(TENANT_TOKEN), 7200, t0(), Duration::ZERO);
    store.put(&tenant_key(), entry);

    store.invalidate(&tenant_key(), &Secret::new(TENANT_TOKEN_2));
    assert!(store.get(&tenant_key()).is_some());
    store.invalidate(&tenant_key(), &Secret::new(TENANT_TOKEN));
    assert!(store.get(&tenant_key()).is_none());
}

#[test]
fn token_key_display_is_base_url_app_kind_and_tenant() {
    let tenant = tenant_key();
    assert_eq!(tenant.to_string(), TENANT_KEY_FORM);
    let of_a_tenant = TokenKey {
        tenant_key: Some(TENANT_KEY.into()),
        ..tenant.clone()
    };
    assert_eq!(
        of_a_tenant.to_string(),
        "feishu:https://open.feishu.cn:cli_slkdjalasdkjasd:tenant:73658811060f175d"
    );
    let app = TokenKey {
        kind: CredentialKind::AppAccessToken,
        ..tenant.clone()
    };
    assert_eq!(
        app.to_string(),
        "feishu:https://open.feishu.cn:cli_slkdjalasdkjasd:app"
    );
    let ticket = TokenKey {
        kind: CredentialKind::AppTicket,
        ..tenant
    };
    assert_eq!(
        ticket.to_string(),
        "feishu:https://open.feishu.cn:cli_slkdjalasdkjasd:ticket"
    );
}

#[test]
fn marketplace_app_keeps_ticket_app_and_tenant_tokens_under_their_keys() {
    let config = Config::feishu().with_app(App::marketplace(APP_ID, APP_SECRET));
    let (client, store) = recorded(config);
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let endpoint = chats();
    let (result, _) = drive(
        client.call(&endpoint).for_tenant(TENANT_KEY),
        t0(),
        |seen: &Sent| match seen.path.as_str() {
            APP_TOKEN_STORE => app_token(APP_TOKEN, 7140),
            TENANT_TOKEN_STORE => store_tenant_token(TENANT_TOKEN, 7200),
            _ => data(chat_list()),
        },
    );
    result.expect("the chats");
    let log = store.take();
    assert_eq!(
        only(&log, "put"),
        [
            "put feishu:https://open.feishu.cn:cli_slkdjalasdkjasd:ticket dskLLdkasd",
            "put feishu:https://open.feishu.cn:cli_slkdjalasdkjasd:app a-6U1SbDiM6XIH2DcTCPyeub",
            "put feishu:https://open.feishu.cn:cli_slkdjalasdkjasd:tenant:73658811060f175d t-caecc734c2e3328a62489fe0648c4b98779515d3",
        ]
    );
}

#[test]
fn clients_sharing_a_store_share_tokens() {
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let first = Client::with_token_store(self_built_config(), store.clone(), 0x5eed);
    let second = Client::with_token_store(self_built_config(), store, 0x5eed);
    let (result, _) = drive(
        first.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the first client");

    let (result, seen) = drive(
        second.call(&chats()),
        after(1),
        script([(chats_with(TENANT_TOKEN), data(chat_list()))]),
    );
    result.expect("the second client");
    assert_eq!(paths(&seen), [CHATS]);
}

#[test]
fn clients_of_different_base_urls_do_not_share_tokens() {
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let feishu = Client::with_token_store(self_built_config(), store.clone(), 0x5eed);
    let lark = Client::with_token_store(
        Config::lark().with_app(App::self_built(APP_ID, APP_SECRET)),
        store,
        0x5eed,
    );
    let (result, _) = drive(
        feishu.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the Feishu call");

    let (result, _) = drive(
        lark.call(&chats()),
        after(1),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN_2, 7200)),
            (chats_with(TENANT_TOKEN_2), data(chat_list())),
        ]),
    );
    result.expect("the Lark call");
}

/// A store that keeps nothing: caching disabled, or a remote store that is down.
struct ForgetfulStore;

impl TokenStore for ForgetfulStore {
    fn get(&self, _: &TokenKey) -> Option<CachedToken> {
        None
    }
    fn put(&self, _: &TokenKey, _: CachedToken) {}
    fn invalidate(&self, _: &TokenKey, _: &Secret) {}
}

#[test]
fn call_sends_the_token_it_fetched_even_if_the_store_loses_it() {
    // call.rs: a token answer only goes into the store (`client.store`); the
    // next poll reads the store back (`client.fresh`), finds nothing, and asks
    // again, back to back, until the retry policy's deadline. A store is a
    // cache, not a channel: the call should send the token it was just given.
    let client = Client::with_token_store(self_built_config(), Arc::new(ForgetfulStore), 0x5eed);
    let (result, seen) = drive(client.call(&chats()), t0(), |seen: &Sent| {
        match seen.path.as_str() {
            TENANT_TOKEN_INTERNAL => tenant_token(TENANT_TOKEN, 7200),
            _ => data(chat_list()),
        }
    });
    result.expect("the chats");
    assert_eq!(paths(&seen), [TENANT_TOKEN_INTERNAL, CHATS]);
}
