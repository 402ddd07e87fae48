//! The shared store's contract (feishu_core::driver::SharedStore), checked
//! operation by operation against a real Redis, for the blocking and the
//! async store alike: expiring entries and locks, growing fences, fenced
//! saves, conditional unlocks and invalidations, and `Unavailable` within a
//! bound when Redis is down, then recovery.

// Tests may unwrap: a failure is the test's verdict.
#![allow(clippy::unwrap_used)]

#[path = "support/redis.rs"]
mod support;

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use feishu_core::driver::{AsyncSharedStore, SharedStore};
use feishu_core::{CachedToken, CredentialKind, Fence, Secret, StoreAnswer, StoreOp, TokenKey};
use feishu_redis::{AsyncRedisStore, Options, RedisStore};
use support::{RedisServer, shared_url, unique_prefix};

/// One store operation, whichever flavour carries it out.
type Store = Box<dyn Fn(&StoreOp, SystemTime) -> StoreAnswer>;

fn blocking(url: &str, options: Options) -> Store {
    let store = RedisStore::with_options(url, options).unwrap();
    Box::new(move |op, now| SharedStore::carry_out(&store, op, now))
}

fn nonblocking(url: &str, options: Options) -> Store {
    let store = AsyncRedisStore::with_options(url, options).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    Box::new(move |op, now| runtime.block_on(AsyncSharedStore::carry_out(&store, op, now)))
}

/// Both flavours, each on its own prefix of the shared Redis.
fn stores(test: &str) -> [(&'static str, Store, String); 2] {
    let url = shared_url();
    let (a, b) = (unique_prefix(test), unique_prefix(test));
    [
        ("blocking", blocking(&url, Options::new().prefix(&a)), a),
        ("async", nonblocking(&url, Options::new().prefix(&b)), b),
    ]
}

fn key(kind: CredentialKind) -> TokenKey {
    TokenKey {
        base_url: "https://open.feishu.cn".into(),
        app_id: "cli_a5d611352af9d00b".into(),
        kind,
        tenant_key: None,
    }
}

fn tenant() -> TokenKey {
    key(CredentialKind::TenantAccessToken)
}

fn token(value: &str, now: SystemTime, lifetime: Duration) -> CachedToken {
    CachedToken {
        token: Secret::new(value),
        expires_at: now + lifetime,
        refresh_at: now + lifetime / 2,
    }
}

fn lock(store: &Store, now: SystemTime, lease: Duration) -> Option<Fence> {
    let op = StoreOp::Lock {
        key: tenant(),
        until: now + lease,
    };
    match store(&op, now) {
        StoreAnswer::Locked(fence) => fence,
        other => panic!("lock: {other:?}"),
    }
}

fn load(store: &Store, now: SystemTime) -> Option<String> {
    match store(&StoreOp::Load(tenant()), now) {
        StoreAnswer::Loaded(token) => token.map(|t| t.token.expose().to_owned()),
        other => panic!("load: {other:?}"),
    }
}

fn save(store: &Store, now: SystemTime, value: &str, fence: Option<Fence>) {
    let op = StoreOp::Save {
        key: tenant(),
        token: token(value, now, Duration::from_secs(7200)),
        fence,
    };
    assert!(matches!(store(&op, now), StoreAnswer::Done));
}

#[test]
fn a_locked_fetch_is_saved_loaded_and_releases_its_lock() {
    for (flavour, store, _) in stores("save") {
        let now = SystemTime::now();
        assert_eq!(load(&store, now), None, "{flavour}: nothing yet");
        let fence = lock(&store, now, Duration::from_secs(10)).expect("free");
        assert_eq!(
            lock(&store, now, Duration::from_secs(10)),
            None,
            "{flavour}: held"
        );
        save(&store, now, "t-first", Some(fence));
        assert_eq!(load(&store, now).as_deref(), Some("t-first"), "{flavour}");
        let next = lock(&store, now, Duration::from_secs(10)).expect("released by the save");
        assert!(next > fence, "{flavour}: fences grow");
    }
}

#[test]
fn a_stale_holder_cannot_overwrite_the_token_of_a_later_lock() {
    for (flavour, store, _) in stores("fence") {
        let now = SystemTime::now();
        let stale = lock(&store, now, Duration::from_millis(50)).expect("free");
        thread::sleep(Duration::from_millis(150));
        let fresh = lock(&store, now, Duration::from_secs(10)).expect("the first lapsed");
        save(&store, now, "t-fresh", Some(fresh));
        save(&store, now, "t-stale", Some(stale));
        assert_eq!(load(&store, now).as_deref(), Some("t-fresh"), "{flavour}");
    }
}

#[test]
fn a_crashed_holders_lock_expires_on_its_own() {
    for (flavour, store, _) in stores("expiry") {
        let now = SystemTime::now();
        assert!(lock(&store, now, Duration::from_millis(50)).is_some());
        thread::sleep(Duration::from_millis(150));
        assert!(
            lock(&store, now, Duration::from_secs(1)).is_some(),
            "{flavour}"
        );
    }
}

#[test]
fn an_unlock_releases_only_the_lock_its_fence_holds() {
    for (flavour, store, _) in stores("unlock") {
        let now = SystemTime::now();
        let fence = lock(&store, now, Duration::from_secs(10)).unwrap();
        let other = StoreOp::Unlock {
            key: tenant(),
            fence: Fence(fence.0 + 1),
        };
        assert!(matches!(store(&other, now), StoreAnswer::Done));
        assert_eq!(
            lock(&store, now, Duration::from_secs(10)),
            None,
            "{flavour}"
        );
        let own = StoreOp::Unlock {
            key: tenant(),
            fence,
        };
        assert!(matches!(store(&own, now), StoreAnswer::Done));
        assert!(
            lock(&store, now, Duration::from_secs(10)).is_some(),
            "{flavour}"
        );
    }
}

#[test]
fn an_invalidation_deletes_only_the_refused_token() {
    for (flavour, store, _) in stores("invalidate") {
        let now = SystemTime::now();
        save(&store, now, "t-newer", None);
        let refused = |value: &str| StoreOp::Invalidate {
            key: tenant(),
            token: Secret::new(value),
        };
        assert!(matches!(store(&refused("t-older"), now), StoreAnswer::Done));
        assert_eq!(load(&store, now).as_deref(), Some("t-newer"), "{flavour}");
        assert!(matches!(store(&refused("t-newer"), now), StoreAnswer::Done));
        assert_eq!(load(&store, now), None, "{flavour}");
    }
}

#[test]
fn entries_expire_with_their_token() {
    for (flavour, store, _) in stores("ttl") {
        let now = SystemTime::now();
        let short = StoreOp::Save {
            key: tenant(),
            token: token("t-short", now, Duration::from_millis(100)),
            fence: None,
        };
        assert!(matches!(store(&short, now), StoreAnswer::Done));
        assert_eq!(load(&store, now).as_deref(), Some("t-short"), "{flavour}");
        // Judged by the driver's clock too, not only by Redis's TTL.
        assert_eq!(
            load(&store, now + Duration::from_secs(1)),
            None,
            "{flavour}"
        );
        thread::sleep(Duration::from_millis(250));
        assert_eq!(
            load(&store, SystemTime::now()),
            None,
            "{flavour}: expired in Redis"
        );
        let expired = StoreOp::Save {
            key: tenant(),
            token: token(
                "t-gone",
                now - Duration::from_secs(10),
                Duration::from_secs(1),
            ),
            fence: None,
        };
        assert!(matches!(store(&expired, now), StoreAnswer::Done));
        assert_eq!(
            load(&store, now),
            None,
            "{flavour}: an expired token is not kept"
        );
    }
}

#[test]
fn keys_are_the_token_keys_display_form_under_the_prefix_with_a_ttl() {
    for (flavour, store, prefix) in stores("layout") {
        let now = SystemTime::now();
        let ticket = StoreOp::Save {
            key: key(CredentialKind::AppTicket),
            token: token("ticket-1", now, Duration::from_secs(3600)),
            fence: None,
        };
        assert!(matches!(store(&ticket, now), StoreAnswer::Done));
        let mut redis = support::connection(&shared_url());
        let name = format!("{prefix}{{{}}}", key(CredentialKind::AppTicket));
        assert!(name.ends_with("{feishu:https://open.feishu.cn:cli_a5d611352af9d00b:ticket}"));
        let ttl: i64 = redis::cmd("PTTL").arg(&name).query(&mut redis).unwrap();
        assert!(
            (3_000_000..=3_600_000).contains(&ttl),
            "{flavour}: {ttl} ms"
        );
        let loaded = store(&StoreOp::Load(key(CredentialKind::AppTicket)), now);
        assert!(
            matches!(loaded, StoreAnswer::Loaded(Some(t)) if t.token.expose() == "ticket-1"),
            "{flavour}"
        );
    }
}

#[test]
fn a_value_the_store_did_not_write_reads_as_no_token() {
    for (flavour, store, prefix) in stores("foreign") {
        let mut redis = support::connection(&shared_url());
        let name = format!("{prefix}{{{}}}", tenant());
        let () = redis::cmd("SET")
            .arg(&name)
            .arg("garbage")
            .query(&mut redis)
            .unwrap();
        assert_eq!(load(&store, SystemTime::now()), None, "{flavour}");
    }
}

/// Every flavour, against a Redis that refuses connections and one that
/// accepts them and never answers: `Unavailable` within the timeouts, then
/// at once while the store leaves Redis alone.
#[test]
fn a_redis_down_or_silent_answers_unavailable_within_its_timeouts() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("redis://{}", silent.local_addr().unwrap());
    let refused_url = format!("redis://127.0.0.1:{}", support::free_port());
    let options = Options::new()
        .connect_timeout(Duration::from_millis(200))
        .command_timeout(Duration::from_millis(200))
        .retry_after(Duration::from_secs(60));
    for url in [silent_url, refused_url] {
        for (flavour, store) in [
            ("blocking", blocking(&url, options.clone())),
            ("async", nonblocking(&url, options.clone())),
        ] {
            let started = Instant::now();
            let answer = store(&StoreOp::Load(tenant()), SystemTime::now());
            assert!(
                matches!(answer, StoreAnswer::Unavailable),
                "{flavour} {url}"
            );
            // A generous bound: far under any call's deadline.
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "{flavour} {url}"
            );
            let again = Instant::now();
            let answer = store(&StoreOp::Load(tenant()), SystemTime::now());
            assert!(matches!(answer, StoreAnswer::Unavailable));
            assert!(
                again.elapsed() < Duration::from_millis(100),
                "{flavour}: resting"
            );
        }
    }
}

#[test]
fn a_store_recovers_when_its_redis_comes_back() {
    let mut server = RedisServer::start();
    let options = Options::new().retry_after(Duration::from_millis(200));
    for (flavour, store) in [
        ("blocking", blocking(&server.url(), options.clone())),
        ("async", nonblocking(&server.url(), options.clone())),
    ] {
        let now = SystemTime::now();
        save(&store, now, "t-before", None);
        server.kill();
        let answer = store(&StoreOp::Load(tenant()), now);
        assert!(
            matches!(answer, StoreAnswer::Unavailable),
            "{flavour}: down"
        );
        server.restart();
        thread::sleep(Duration::from_millis(300));
        assert_eq!(load(&store, now), None, "{flavour}: back, empty");
        save(&store, now, "t-after", None);
        assert_eq!(load(&store, now).as_deref(), Some("t-after"), "{flavour}");
    }
}

#[test]
fn debug_shows_the_address_never_the_password() {
    let url = "redis://:pw-hunter2-secret@127.0.0.1:6399/0";
    let shown = format!(
        "{:?} {:?} {:?}",
        RedisStore::open(url).unwrap(),
        AsyncRedisStore::open(url).unwrap(),
        feishu_redis::RedisSeenStore::open(url).unwrap(),
    );
    assert!(shown.contains("127.0.0.1:6399"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
    let error = RedisStore::open("redis://:pw-hunter2-secret@[bad").unwrap_err();
    assert!(!format!("{error} {error:?}").contains("hunter2"));
    let _ = Arc::new(error);
}
