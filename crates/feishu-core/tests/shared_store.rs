//! The shared-store seam: calls of several clients (standing for several
//! processes) share tokens and app tickets through the store their drivers
//! reach, take a fleet-wide lock with a fence while one fetches, and carry on
//! alone when the store is down. The store here is a map with Redis's
//! semantics (expiring locks, fenced writes); the server is scripted.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use feishu_core::codes::{APP_SECRET_INVALID, TENANT_ACCESS_TOKEN_INVALID};
use feishu_core::{
    App, CachedToken, Call, Client, Config, Endpoint, Error, Fence, RawEndpoint, RetryPolicy, Step,
    StoreAnswer, StoreOp, TokenKey,
};
use serde_json::json;

const APP_ID: &str = "cli_slkdjalasdkjasd";
const APP_SECRET: &str = "dskLLdkasdjlasdKK";
const TENANT_TOKEN: &str = "t-caecc734c2e3328a62489fe0648c4b98779515d3";
const APP_TOKEN: &str = "a-6U1SbDiM6XIH2DcTCPyeub";
const TICKET: &str = "dskLLdkasd";
const TENANT_INTERNAL: &str = "/open-apis/auth/v3/tenant_access_token/internal";
const APP_TOKEN_STORE: &str = "/open-apis/auth/v3/app_access_token";
const TENANT_TOKEN_STORE: &str = "/open-apis/auth/v3/tenant_access_token";
const CHATS: &str = "/open-apis/im/v1/chats";

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// A store with Redis's semantics: entries expire, locks expire, and a
/// fenced save is kept only if no newer lock was taken on the key.
#[derive(Default)]
struct FakeStore {
    entries: Mutex<HashMap<String, CachedToken>>,
    locks: Mutex<HashMap<String, (Fence, SystemTime)>>,
    /// The newest fence issued per key.
    newest: Mutex<HashMap<String, Fence>>,
    next_fence: AtomicUsize,
    down: std::sync::atomic::AtomicBool,
    log: Mutex<Vec<String>>,
}

impl FakeStore {
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> StoreAnswer {
        let key = op.key().to_string();
        let verb = match op {
            StoreOp::Load(_) => "load",
            StoreOp::Lock { .. } => "lock",
            StoreOp::Save { .. } => "save",
            StoreOp::Unlock { .. } => "unlock",
            StoreOp::Invalidate { .. } => "invalidate",
            _ => "other",
        };
        self.log
            .lock()
            .expect("log")
            .push(format!("{verb} {}", op.key().kind_name()));
        if self.down.load(Ordering::Relaxed) {
            return StoreAnswer::Unavailable;
        }
        match op {
            StoreOp::Load(_) => {
                let entries = self.entries.lock().expect("entries");
                StoreAnswer::Loaded(entries.get(&key).filter(|t| now < t.expires_at).cloned())
            }
            StoreOp::Lock { until, .. } => {
                let mut locks = self.locks.lock().expect("locks");
                if locks.get(&key).is_some_and(|(_, at)| now < *at) {
                    return StoreAnswer::Locked(None);
                }
                let fence = Fence(self.next_fence.fetch_add(1, Ordering::Relaxed) as u64 + 1);
                locks.insert(key.clone(), (fence, *until));
                self.newest.lock().expect("newest").insert(key, fence);
                StoreAnswer::Locked(Some(fence))
            }
            StoreOp::Save { token, fence, .. } => {
                let newest = self.newest.lock().expect("newest").get(&key).copied();
                if fence.is_none() || *fence == newest {
                    self.entries
                        .lock()
                        .expect("entries")
                        .insert(key.clone(), token.clone());
                }
                let mut locks = self.locks.lock().expect("locks");
                if locks
                    .get(&key)
                    .is_some_and(|(held, _)| Some(*held) == *fence)
                {
                    locks.remove(&key);
                }
                StoreAnswer::Done
            }
            StoreOp::Unlock { fence, .. } => {
                let mut locks = self.locks.lock().expect("locks");
                if locks.get(&key).is_some_and(|(held, _)| held == fence) {
                    locks.remove(&key);
                }
                StoreAnswer::Done
            }
            StoreOp::Invalidate { token, .. } => {
                let mut entries = self.entries.lock().expect("entries");
                if entries.get(&key).is_some_and(|t| t.token == *token) {
                    entries.remove(&key);
                }
                StoreAnswer::Done
            }
            _ => StoreAnswer::Unavailable,
        }
    }

    fn log(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().expect("log"))
    }
}

/// The short name of a key's kind, for the log.
trait KindName {
    fn kind_name(&self) -> &'static str;
}

impl KindName for TokenKey {
    fn kind_name(&self) -> &'static str {
        match self.kind {
            feishu_core::CredentialKind::AppAccessToken => "app",
            feishu_core::CredentialKind::TenantAccessToken => "tenant",
            feishu_core::CredentialKind::AppTicket => "ticket",
            _ => "other",
        }
    }
}

/// A client of the sample app that uses the shared store: one process.
fn process(app: App) -> Client {
    let config = Config::feishu()
        .with_app(app)
        .with_retry_policy(RetryPolicy::never());
    let client = Client::new(config, 7);
    client.use_shared_store();
    client
}

fn self_built() -> Client {
    process(App::self_built(APP_ID, APP_SECRET))
}

fn response(body: serde_json::Value) -> http::Response<Vec<u8>> {
    http::Response::new(body.to_string().into_bytes())
}

/// Feishu: tokens for the token paths, chats for the rest; counts requests.
#[derive(Default)]
struct Feishu {
    requests: Vec<String>,
    refuse_tokens: bool,
}

impl Feishu {
    fn answer(&mut self, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        let path = request.uri().path().to_owned();
        self.requests.push(path.clone());
        match path.as_str() {
            TENANT_INTERNAL | TENANT_TOKEN_STORE if self.refuse_tokens => {
                response(json!({"code": APP_SECRET_INVALID, "msg": "app secret invalid"}))
            }
            TENANT_INTERNAL | TENANT_TOKEN_STORE => response(
                json!({"code": 0, "msg": "ok", "tenant_access_token": TENANT_TOKEN, "expire": 7200}),
            ),
            APP_TOKEN_STORE => response(
                json!({"code": 0, "msg": "ok", "app_access_token": APP_TOKEN, "expire": 7200}),
            ),
            _ => response(json!({"code": 0, "msg": "success", "data": {"items": []}})),
        }
    }

    fn token_requests(&self) -> usize {
        self.requests
            .iter()
            .filter(|p| p.contains("access_token"))
            .count()
    }
}

/// Drives a call to its end against the server and the store.
fn drive<E: Endpoint>(
    mut call: Call<'_, E>,
    feishu: &mut Feishu,
    store: &FakeStore,
    mut now: SystemTime,
) -> Result<E::Output, Error>
where
    E::Output: std::fmt::Debug,
{
    for _ in 0..64 {
        match call.poll(now) {
            Step::Send(request) => call.on_response(feishu.answer(&request), now),
            Step::Wait(until) => now = until,
            Step::Store(op) => call.on_store(store.carry_out(&op, now), now),
            Step::Done(result) => return result,
        }
    }
    panic!("the call did not end");
}

#[test]
fn a_token_one_process_fetched_is_loaded_by_the_next() {
    let store = FakeStore::default();
    let mut feishu = Feishu::default();
    let chats = RawEndpoint::get(CHATS);

    let a = self_built();
    drive(a.call(&chats), &mut feishu, &store, t0()).expect("the chats");
    assert_eq!(
        store.log(),
        ["load tenant", "lock tenant", "load tenant", "save tenant"],
        "a load again once locked: another process may have saved meanwhile"
    );
    assert_eq!(feishu.token_requests(), 1);

    let b = self_built();
    drive(b.call(&chats), &mut feishu, &store, t0()).expect("the chats");
    assert_eq!(store.log(), ["load tenant"], "B loads A's token");
    assert_eq!(feishu.token_requests(), 1, "and fetches none");

    // B's process keeps it: its next call asks the store nothing.
    drive(b.call(&chats), &mut feishu, &store, t0()).expect("the chats");
    assert!(store.log().is_empty());
}

#[test]
fn while_one_process_fetches_the_others_wait_then_load_its_token() {
    let store = FakeStore::default();
    let mut feishu = Feishu::default();
    let chats = RawEndpoint::get(CHATS);
    let (a, b) = (self_built(), self_built());
    let now = t0();

    // A locks and sends its token request; the answer is still out.
    let mut call_a = a.call(&chats);
    let request_a = loop {
        match call_a.poll(now) {
            Step::Store(op) => call_a.on_store(store.carry_out(&op, now), now),
            Step::Send(request) => break request,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(request_a.uri().path(), TENANT_INTERNAL);

    // B finds no token and A's lock: it waits, and loads again.
    let mut call_b = b.call(&chats);
    let mut waited = None;
    let b_now = now;
    for _ in 0..4 {
        match call_b.poll(b_now) {
            Step::Store(op) => call_b.on_store(store.carry_out(&op, b_now), b_now),
            Step::Wait(until) => {
                waited = Some(until);
                break;
            }
            other => panic!("B must not fetch while A holds the lock: {other:?}"),
        }
    }
    let until = waited.expect("B waits");
    assert!(
        until > now && until <= now + Duration::from_secs(1),
        "{until:?}"
    );
    assert_eq!(
        store.log(),
        [
            "load tenant",
            "lock tenant",
            "load tenant",
            "load tenant",
            "lock tenant"
        ],
        "A loads, locks and loads again; B loads and finds A's lock"
    );

    // A's answer arrives; it saves the token under its fence.
    call_a.on_response(feishu.answer(&request_a), now);
    drive(call_a, &mut feishu, &store, now).expect("A's chats");
    // B, woken, loads it and calls the API: one token request in all.
    drive(call_b, &mut feishu, &store, until).expect("B's chats");
    assert_eq!(feishu.token_requests(), 1);
    let log = store.log();
    assert_eq!(log.first().map(String::as_str), Some("save tenant"));
    assert!(log.contains(&"load tenant".to_owned()), "{log:?}");
}

#[test]
fn a_save_carries_the_fence_of_its_lock_so_a_stale_holder_cannot_overwrite() {
    let store = FakeStore::default();
    let mut feishu = Feishu::default();
    let chats = RawEndpoint::get(CHATS);
    let client = self_built();
    let now = t0();
    let mut call = client.call(&chats);
    let mut fences = Vec::new();
    for _ in 0..16 {
        match call.poll(now) {
            Step::Store(op) => {
                let answer = store.carry_out(&op, now);
                if let StoreAnswer::Locked(Some(fence)) = &answer {
                    fences.push(("lock", *fence));
                }
                if let StoreOp::Save {
                    fence: Some(fence), ..
                } = &op
                {
                    fences.push(("save", *fence));
                }
                call.on_store(answer, now);
            }
            Step::Send(request) => call.on_response(feishu.answer(&request), now),
            Step::Wait(_) => panic!("nobody else holds the lock"),
            Step::Done(result) => {
                result.expect("the chats");
                break;
            }
        }
    }
    assert_eq!(fences.len(), 2);
    assert_eq!(fences[0].1, fences[1].1, "{fences:?}");

    // A store refuses a save under an older fence: a newer lock was taken.
    let key = TokenKey {
        base_url: "https://open.feishu.cn".into(),
        app_id: APP_ID.into(),
        kind: feishu_core::CredentialKind::TenantAccessToken,
        tenant_key: None,
    };
    let later = now + Duration::from_secs(30);
    assert!(matches!(
        store.carry_out(
            &StoreOp::Lock {
                key: key.clone(),
                until: later
            },
            now
        ),
        StoreAnswer::Locked(Some(_))
    ));
    let stale = CachedToken::new("t-stale".into(), 7200, now, Duration::ZERO);
    store.carry_out(
        &StoreOp::Save {
            key: key.clone(),
            token: stale,
            fence: Some(fences[0].1),
        },
        now,
    );
    let StoreAnswer::Loaded(Some(kept)) = store.carry_out(&StoreOp::Load(key), now) else {
        panic!("the token is kept");
    };
    assert_eq!(kept.token.expose(), TENANT_TOKEN);
}

#[test]
fn a_store_that_is_down_degrades_to_fetching_alone() {
    let store = FakeStore::default();
    store.down.store(true, Ordering::Relaxed);
    let mut feishu = Feishu::default();
    let chats = RawEndpoint::get(CHATS);
    let client = self_built();
    drive(client.call(&chats), &mut feishu, &store, t0()).expect("the chats, all the same");
    assert_eq!(
        store.log(),
        ["load tenant"],
        "one attempt, then no more store steps"
    );
    assert_eq!(feishu.token_requests(), 1);
    assert_eq!(feishu.requests.last().map(String::as_str), Some(CHATS));
}

#[test]
fn a_failed_fetch_unlocks_before_the_call_ends() {
    let store = FakeStore::default();
    let mut feishu = Feishu {
        refuse_tokens: true,
        ..Feishu::default()
    };
    let chats = RawEndpoint::get(CHATS);
    let client = self_built();
    let error = drive(client.call(&chats), &mut feishu, &store, t0()).expect_err("refused");
    assert_eq!(error.code(), Some(APP_SECRET_INVALID));
    assert_eq!(
        store.log(),
        ["load tenant", "lock tenant", "load tenant", "unlock tenant"]
    );
    // The next process may lock at once.
    let other = self_built();
    feishu.refuse_tokens = false;
    drive(other.call(&chats), &mut feishu, &store, t0()).expect("the chats");
    assert_eq!(
        store.log(),
        ["load tenant", "lock tenant", "load tenant", "save tenant"],
        "a load again once locked: another process may have saved meanwhile"
    );
}

#[test]
fn a_refused_shared_token_is_invalidated_everywhere() {
    let store = FakeStore::default();
    let mut feishu = Feishu::default();
    let chats = RawEndpoint::get(CHATS);
    let a = self_built();
    drive(a.call(&chats), &mut feishu, &store, t0()).expect("the chats");
    store.log();

    // Feishu revokes it: the next call's answer says so once.
    let b = self_built();
    let mut call = b.call(&chats);
    let mut revoked = false;
    let now = t0();
    let result = loop {
        match call.poll(now) {
            Step::Store(op) => call.on_store(store.carry_out(&op, now), now),
            Step::Send(request) if request.uri().path() == CHATS && !revoked => {
                revoked = true;
                let answer = response(
                    json!({"code": TENANT_ACCESS_TOKEN_INVALID, "msg": "Invalid access token"}),
                );
                call.on_response(answer, now);
            }
            Step::Send(request) => call.on_response(feishu.answer(&request), now),
            Step::Wait(_) => panic!("no wait"),
            Step::Done(result) => break result,
        }
    };
    result.expect("repaired");
    let log = store.log();
    assert_eq!(
        log,
        [
            "load tenant",
            "invalidate tenant",
            "lock tenant",
            "load tenant",
            "save tenant"
        ],
        "the refused token leaves the store; a new one is fetched and shared"
    );
}

#[test]
fn an_app_ticket_pushed_to_one_replica_serves_all() {
    let store = FakeStore::default();
    let mut feishu = Feishu::default();
    let app = App::marketplace(APP_ID, APP_SECRET);
    let (a, b) = (process(app.clone()), process(app));

    let save = a.share_app_ticket(TICKET, t0()).expect("a marketplace app");
    store.carry_out(&save, t0());
    store.log();

    let chats = RawEndpoint::get(CHATS);
    drive(
        b.call(&chats).for_tenant("73658811060f175d"),
        &mut feishu,
        &store,
        t0(),
    )
    .expect("B's marketplace call");
    let log = store.log();
    assert!(log.contains(&"load ticket".to_owned()), "{log:?}");
    assert!(
        !feishu.requests.iter().any(|p| p.contains("resend")),
        "{:?}",
        feishu.requests
    );
    assert_eq!(feishu.requests.last().map(String::as_str), Some(CHATS));
}

#[test]
fn without_a_shared_store_no_call_hands_out_a_store_step() {
    let config = Config::feishu().with_app(App::self_built(APP_ID, APP_SECRET));
    let client = Client::new(config, 7);
    let mut feishu = Feishu::default();
    let chats = RawEndpoint::get(CHATS);
    let mut call = client.call(&chats);
    let now = t0();
    loop {
        match call.poll(now) {
            Step::Send(request) => call.on_response(feishu.answer(&request), now),
            Step::Done(result) => {
                result.expect("the chats");
                break;
            }
            other => panic!("only requests without a shared store: {other:?}"),
        }
    }
}

#[test]
fn waiters_are_woken_when_a_refresh_ends() {
    let config = Config::feishu().with_app(App::self_built(APP_ID, APP_SECRET));
    let client = Client::new(config, 7);
    let woken = Arc::new(AtomicUsize::new(0));
    let counter = woken.clone();
    client.add_waker(Arc::new(move || {
        counter.fetch_add(1, Ordering::Relaxed);
    }));
    let mut feishu = Feishu::default();
    let chats = RawEndpoint::get(CHATS);
    let now = t0();

    let mut first = client.call(&chats);
    let Step::Send(request) = first.poll(now) else {
        panic!("the first call fetches");
    };
    let mut second = client.call(&chats);
    let Step::Wait(until) = second.poll(now) else {
        panic!("the second call waits");
    };
    // With a waker the wait is only a fallback, not a 20 ms poll.
    assert!(until >= now + Duration::from_millis(500), "{until:?}");
    assert_eq!(woken.load(Ordering::Relaxed), 0);
    first.on_response(feishu.answer(&request), now);
    assert_eq!(
        woken.load(Ordering::Relaxed),
        1,
        "the end of the refresh wakes the waiters"
    );
    let Step::Send(request) = second.poll(now) else {
        panic!("woken, the second call goes straight to the API");
    };
    assert_eq!(request.uri().path(), CHATS);
}
