//! Both adapters over real HTTP against feishu-mock, with their Redis store:
//! clients standing for separate processes (each with its own store and
//! connections) fetch one token between them; a Redis that is down or
//! silent leaves every call working, within a bound; the seen store drops a
//! redelivery across processes and falls back to the process when Redis is
//! down. Nothing logged holds a token or the Redis password.

// Tests may unwrap: a failure is the test's verdict.
#![allow(clippy::unwrap_used)]

#[path = "support/redis.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use feishu_core::driver::SharedStore;
use feishu_core::event::SeenStore;
use feishu_core::{App, CachedToken, Config, RawEndpoint, Secret, StoreOp, TokenKey};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use feishu_redis::{AsyncRedisStore, Options, RedisSeenStore, RedisStore};
use support::{shared_url, unique_prefix};

const CHATS: &str = "/open-apis/im/v1/chats";

fn config(mock: &MockServer) -> Config {
    Config::new(mock.url())
        .unwrap()
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET))
}

#[test]
fn ureq_clients_on_separate_redis_stores_fetch_one_token_for_32_cold_calls() {
    let mock = MockServer::start();
    let options = Options::new().prefix(unique_prefix("ureq"));
    let process = || {
        let store = RedisStore::with_options(shared_url().as_str(), options.clone()).unwrap();
        feishu_ureq::Client::new(config(&mock)).with_shared_store(Arc::new(store))
    };
    let fleet = [process(), process()];
    let chats = RawEndpoint::get(CHATS);
    thread::scope(|scope| {
        for n in 0..32 {
            let (client, chats) = (&fleet[n % 2], &chats);
            scope.spawn(move || client.send(chats).unwrap());
        }
    });
    assert_eq!(mock.tokens_issued("tenant"), 1);
    assert_eq!(mock.hits(CHATS), 32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reqwest_clients_on_separate_redis_stores_fetch_one_token_for_32_cold_calls() {
    let mock = MockServer::start();
    let options = Options::new().prefix(unique_prefix("reqwest"));
    let process = || {
        let store = AsyncRedisStore::with_options(shared_url().as_str(), options.clone()).unwrap();
        feishu_reqwest::Client::new(config(&mock))
            .unwrap()
            .with_shared_store(Arc::new(store))
    };
    let fleet = [process(), process()];
    let calls: Vec<_> = (0..32)
        .map(|n| {
            let client = fleet[n % 2].clone();
            tokio::spawn(async move { client.send(&RawEndpoint::get(CHATS)).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(mock.tokens_issued("tenant"), 1);
}

/// A Redis that accepts connections and never answers: the worst case.
fn silent_redis() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("redis://{}", listener.local_addr().unwrap());
    (listener, url)
}

#[test]
fn a_silent_or_missing_redis_leaves_16_concurrent_ureq_calls_working_within_a_bound() {
    let (_listener, silent) = silent_redis();
    let missing = format!("redis://127.0.0.1:{}", support::free_port());
    for url in [silent, missing] {
        let mock = MockServer::start();
        let store = RedisStore::open(url.as_str()).unwrap();
        let client = feishu_ureq::Client::new(config(&mock)).with_shared_store(Arc::new(store));
        let started = Instant::now();
        let chats = RawEndpoint::get(CHATS);
        thread::scope(|scope| {
            for _ in 0..16 {
                scope.spawn(|| client.send(&chats).unwrap());
            }
        });
        client.send(&chats).unwrap();
        // Generous: far under the call's 10 s deadline; the store's own
        // timeouts are 300 ms and it then leaves Redis alone.
        assert!(started.elapsed() < Duration::from_secs(5), "{url}");
        assert_eq!(mock.tokens_issued("tenant"), 1, "fetched alone, once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_or_missing_redis_leaves_16_concurrent_reqwest_calls_working_within_a_bound() {
    let (_listener, silent) = silent_redis();
    let missing = format!("redis://127.0.0.1:{}", support::free_port());
    for url in [silent, missing] {
        let mock = MockServer::start();
        let store = AsyncRedisStore::open(url.as_str()).unwrap();
        let client = feishu_reqwest::Client::new(config(&mock))
            .unwrap()
            .with_shared_store(Arc::new(store));
        let started = Instant::now();
        let calls: Vec<_> = (0..16)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.send(&RawEndpoint::get(CHATS)).await })
            })
            .collect();
        for call in calls {
            call.await.unwrap().unwrap();
        }
        client.send(&RawEndpoint::get(CHATS)).await.unwrap();
        assert!(started.elapsed() < Duration::from_secs(5), "{url}");
        assert_eq!(mock.tokens_issued("tenant"), 1);
    }
}

#[test]
fn an_event_claimed_by_one_process_is_a_duplicate_for_the_others_until_released() {
    let options = Options::new().prefix(unique_prefix("seen"));
    let process = || RedisSeenStore::with_options(shared_url().as_str(), options.clone()).unwrap();
    let (a, b) = (process(), process());
    let now = SystemTime::now();
    assert!(a.claim("ev-1", now));
    assert!(!b.claim("ev-1", now), "seen by another process");
    assert!(!a.claim("ev-1", now), "seen by this one");
    assert!(b.claim("ev-2", now));
    a.release("ev-1");
    assert!(b.claim("ev-1", now), "released: processed again");
}

#[test]
fn a_claim_expires_after_the_dedup_window() {
    let options = Options::new()
        .prefix(unique_prefix("window"))
        .dedup_window(Duration::from_millis(100));
    let a = RedisSeenStore::with_options(shared_url().as_str(), options.clone()).unwrap();
    let b = RedisSeenStore::with_options(shared_url().as_str(), options).unwrap();
    assert!(a.claim("ev-1", SystemTime::now()));
    thread::sleep(Duration::from_millis(250));
    assert!(b.claim("ev-1", SystemTime::now()), "the window passed");
}

#[test]
fn with_redis_down_dedup_falls_back_to_the_process() {
    let url = format!("redis://127.0.0.1:{}", support::free_port());
    let (a, b) = (
        RedisSeenStore::open(url.as_str()).unwrap(),
        RedisSeenStore::open(url.as_str()).unwrap(),
    );
    let now = SystemTime::now();
    assert!(a.claim("ev-1", now));
    assert!(
        !a.claim("ev-1", now),
        "the process still drops its redelivery"
    );
    assert!(
        b.claim("ev-1", now),
        "another process cannot know: degraded"
    );
}

/// Everything `tracing` prints, into a buffer.
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

#[test]
fn no_log_line_holds_a_token_or_the_redis_password() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let token = "t-secret-token-0123456789";
    let password = "pw-hunter2-secret";
    tracing::subscriber::with_default(subscriber, || {
        let mut server = support::RedisServer::start();
        let url = format!("redis://:{password}@127.0.0.1:{}", server.port);
        // The server has no password: Redis refuses the AUTH, the store is
        // degraded and says so.
        let options = Options::new().retry_after(Duration::ZERO);
        let store = RedisStore::with_options(url.as_str(), options.clone()).unwrap();
        let seen = RedisSeenStore::with_options(url.as_str(), options).unwrap();
        let now = SystemTime::now();
        let key = TokenKey {
            base_url: "https://open.feishu.cn".into(),
            app_id: SELF_BUILT_APP_ID.into(),
            kind: feishu_core::CredentialKind::TenantAccessToken,
            tenant_key: None,
        };
        let save = StoreOp::Save {
            key: key.clone(),
            token: CachedToken {
                token: Secret::new(token),
                expires_at: now + Duration::from_secs(60),
                refresh_at: now + Duration::from_secs(30),
            },
            fence: None,
        };
        store.carry_out(&save, now);
        seen.claim("ev-1", now);
        server.kill();
        store.carry_out(&save, now);
        store.carry_out(
            &StoreOp::Invalidate {
                key,
                token: Secret::new(token),
            },
            now,
        );
    });
    let logged = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("Redis unavailable"),
        "the degradation is logged: {logged}"
    );
    assert!(!logged.contains(password), "{logged}");
    assert!(!logged.contains(token), "{logged}");
}
