//! Both adapters over real HTTP against feishu-mock, with a store shared by
//! two clients (two processes, as far as their token state goes): a fleet's
//! cold calls fetch one token; and a call waiting for another's refresh goes
//! on when it ends, woken by the adapter's clock, not at the 1 s fallback.

use std::collections::HashMap;
use std::future::{Future, ready};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use feishu_core::driver::{AsyncSharedStore, SharedStore};
use feishu_core::{App, CachedToken, Config, Fence, RawEndpoint, StoreAnswer, StoreOp, TokenKey};
use feishu_mock::{Fault, MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};

const CHATS: &str = "/open-apis/im/v1/chats";
const TENANT_INTERNAL: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// A store in memory with the contract's semantics: expiring entries and
/// locks, growing fences, fenced saves. One mutex makes each op atomic.
#[derive(Default)]
struct MemoryStore(Mutex<Entries>);

#[derive(Default)]
struct Entries {
    tokens: HashMap<TokenKey, CachedToken>,
    locks: HashMap<TokenKey, (Fence, SystemTime)>,
    newest: HashMap<TokenKey, Fence>,
    fences: u64,
}

impl SharedStore for MemoryStore {
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> StoreAnswer {
        let mut entries = self.0.lock().expect("unpoisoned");
        let key = op.key();
        let release = match op {
            StoreOp::Load(_) => {
                let token = entries.tokens.get(key).filter(|t| now < t.expires_at);
                return StoreAnswer::Loaded(token.cloned());
            }
            StoreOp::Lock { until, .. } => {
                if entries.locks.get(key).is_some_and(|(_, at)| now < *at) {
                    return StoreAnswer::Locked(None);
                }
                entries.fences += 1;
                let fence = Fence(entries.fences);
                entries.newest.insert(key.clone(), fence);
                entries.locks.insert(key.clone(), (fence, *until));
                return StoreAnswer::Locked(Some(fence));
            }
            StoreOp::Save { token, fence, .. } => {
                if fence.is_none() || *fence == entries.newest.get(key).copied() {
                    entries.tokens.insert(key.clone(), token.clone());
                }
                *fence
            }
            StoreOp::Unlock { fence, .. } => Some(*fence),
            StoreOp::Invalidate { token, .. } => {
                if entries.tokens.get(key).is_some_and(|t| t.token == *token) {
                    entries.tokens.remove(key);
                }
                None
            }
            _ => return StoreAnswer::Unavailable,
        };
        if release.is_some() && entries.locks.get(key).map(|(held, _)| *held) == release {
            entries.locks.remove(key);
        }
        StoreAnswer::Done
    }
}

impl AsyncSharedStore for MemoryStore {
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> impl Future<Output = StoreAnswer> + Send {
        ready(SharedStore::carry_out(self, op, now))
    }
}

fn config(mock: &MockServer) -> Config {
    Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET))
}

#[test]
fn ureq_clients_sharing_a_store_fetch_one_token_for_32_cold_calls() {
    let mock = MockServer::start();
    let store = Arc::new(MemoryStore::default());
    let fleet = [
        feishu_ureq::Client::new(config(&mock)).with_shared_store(store.clone()),
        feishu_ureq::Client::new(config(&mock)).with_shared_store(store.clone()),
    ];
    let chats = RawEndpoint::get(CHATS);
    thread::scope(|scope| {
        for n in 0..32 {
            let (client, chats) = (&fleet[n % 2], &chats);
            scope.spawn(move || client.send(chats).expect("the chats"));
        }
    });
    assert_eq!(mock.tokens_issued("tenant"), 1, "one token for the fleet");
    assert_eq!(mock.hits(CHATS), 32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reqwest_clients_sharing_a_store_fetch_one_token_for_32_cold_calls() {
    let mock = MockServer::start();
    let store = Arc::new(MemoryStore::default());
    let fleet = [
        feishu_reqwest::Client::new(config(&mock))
            .expect("a client")
            .with_shared_store(store.clone()),
        feishu_reqwest::Client::new(config(&mock))
            .expect("a client")
            .with_shared_store(store.clone()),
    ];
    let tasks: Vec<_> = (0..32)
        .map(|n| {
            let client = fleet[n % 2].clone();
            tokio::spawn(async move {
                let chats = RawEndpoint::get(CHATS);
                client.send(&chats).await.expect("the chats");
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("the task ran");
    }
    assert_eq!(mock.tokens_issued("tenant"), 1, "one token for the fleet");
    assert_eq!(mock.hits(CHATS), 32);
}

/// A mock whose first tenant token takes 300 ms to issue.
fn slow_token_mock() -> MockServer {
    let mock = MockServer::start();
    mock.inject(TENANT_INTERNAL, Fault::delay(Duration::from_millis(300)));
    mock
}

/// How far the second call finished behind the first, which it waited for.
fn assert_woken(mock: &MockServer, first: Instant, second: Instant) {
    assert_eq!(mock.tokens_issued("tenant"), 1, "the second call waited");
    let behind = second.saturating_duration_since(first);
    assert!(
        behind < Duration::from_millis(500),
        "woken when the refresh ended, not at the 1 s fallback: {behind:?} behind"
    );
}

#[test]
fn a_ureq_call_waiting_for_a_refresh_goes_on_when_it_ends() {
    let mock = slow_token_mock();
    let client = feishu_ureq::Client::new(config(&mock));
    let chats = RawEndpoint::get(CHATS);
    let call = || {
        client.send(&chats).expect("the chats");
        Instant::now()
    };
    let (first, second) = thread::scope(|scope| {
        let first = scope.spawn(call);
        thread::sleep(Duration::from_millis(50));
        let second = scope.spawn(call);
        (
            first.join().expect("joined"),
            second.join().expect("joined"),
        )
    });
    assert_woken(&mock, first, second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reqwest_call_waiting_for_a_refresh_goes_on_when_it_ends() {
    let mock = slow_token_mock();
    let client = feishu_reqwest::Client::new(config(&mock)).expect("a client");
    let call = |client: feishu_reqwest::Client| async move {
        client
            .send(&RawEndpoint::get(CHATS))
            .await
            .expect("the chats");
        Instant::now()
    };
    let first = tokio::spawn(call(client.clone()));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let second = tokio::spawn(call(client));
    let (first, second) = (first.await.expect("ran"), second.await.expect("ran"));
    assert_woken(&mock, first, second);
}
