//! Both drivers over a store shared by two processes (two `Client`s, each
//! with a driver of its own), on a simulated clock: the store is a map with
//! fenced saves and expiring locks, Feishu a fake that counts what it is
//! asked.

use std::collections::HashMap;
use std::future::{Future, ready};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use http::{Request, Response};

use super::{run, start};
use crate::driver::{AsyncClient, AsyncSharedStore, BlockingClient, Clock, SharedStore, Transport};
use crate::{
    App, CachedToken, Client, Config, Error, Fence, RawEndpoint, StoreAnswer, StoreOp, TokenKey,
    TransportError,
};

const APP_ID: &str = "cli_slkdjalasdkjasd";
const APP_SECRET: &str = "dskLLdkasdjlasdKK";
const TICKET: &str = "dskLLdkasd";
const TENANT_KEY: &str = "73658811060f175d";
pub(super) const CHATS: &str = "/open-apis/im/v1/chats";

/// A store with Redis's semantics: one lock over the whole map stands for
/// each operation being atomic.
#[derive(Default)]
pub(super) struct FencedStore {
    state: Mutex<Entries>,
    pub(super) ops: AtomicUsize,
}

#[derive(Default)]
struct Entries {
    tokens: HashMap<TokenKey, CachedToken>,
    locks: HashMap<TokenKey, (Fence, SystemTime)>,
    newest: HashMap<TokenKey, Fence>,
    fences: u64,
}

impl Entries {
    /// Releases the lock on `key` if `fence` holds it.
    fn unlock(&mut self, key: &TokenKey, fence: Option<Fence>) {
        let held = self.locks.get(key).map(|(held, _)| *held);
        if fence.is_some() && held == fence {
            self.locks.remove(key);
        }
    }
}

impl SharedStore for FencedStore {
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> StoreAnswer {
        self.ops.fetch_add(1, Ordering::Relaxed);
        let mut entries = self.state.lock().expect("unpoisoned");
        let key = op.key();
        match op {
            StoreOp::Load(_) => {
                let token = entries.tokens.get(key).filter(|t| now < t.expires_at);
                StoreAnswer::Loaded(token.cloned())
            }
            StoreOp::Lock { until, .. } => {
                if entries.locks.get(key).is_some_and(|(_, at)| now < *at) {
                    return StoreAnswer::Locked(None);
                }
                entries.fences += 1;
                let fence = Fence(entries.fences);
                entries.newest.insert(key.clone(), fence);
                entries.locks.insert(key.clone(), (fence, *until));
                StoreAnswer::Locked(Some(fence))
            }
            StoreOp::Save { token, fence, .. } => {
                if fence.is_none() || *fence == entries.newest.get(key).copied() {
                    entries.tokens.insert(key.clone(), token.clone());
                }
                entries.unlock(key, *fence);
                StoreAnswer::Done
            }
            StoreOp::Unlock { fence, .. } => {
                entries.unlock(key, Some(*fence));
                StoreAnswer::Done
            }
            StoreOp::Invalidate { token, .. } => {
                if entries.tokens.get(key).is_some_and(|t| t.token == *token) {
                    entries.tokens.remove(key);
                }
                StoreAnswer::Done
            }
        }
    }
}

impl AsyncSharedStore for FencedStore {
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> impl Future<Output = StoreAnswer> + Send {
        ready(SharedStore::carry_out(self, op, now))
    }
}

/// Feishu: tokens, ticket resends and chats; it counts what it is asked.
#[derive(Default)]
pub(super) struct Feishu {
    tokens: AtomicUsize,
    resends: AtomicUsize,
    pub(super) chats: AtomicUsize,
    /// The bodies of the app token requests: the tickets they carry.
    app_token_bodies: Mutex<Vec<String>>,
}

impl Feishu {
    /// The answer to `request`; `pause` runs before a token is issued.
    fn answer(&self, request: &Request<Vec<u8>>, pause: fn()) -> Response<Vec<u8>> {
        let path = request.uri().path();
        let body = if path.ends_with("/tenant_access_token/internal")
            || path.ends_with("/tenant_access_token")
        {
            self.tokens.fetch_add(1, Ordering::SeqCst);
            pause();
            r#"{"code":0,"msg":"ok","tenant_access_token":"t-caecc734c2e3328a62489fe0648c4b98779515d3","expire":7200}"#
        } else if path.ends_with("/app_access_token") {
            self.tokens.fetch_add(1, Ordering::SeqCst);
            let body = String::from_utf8_lossy(request.body()).into_owned();
            self.app_token_bodies.lock().expect("unpoisoned").push(body);
            r#"{"code":0,"msg":"ok","app_access_token":"a-6U1SbDiM6XIH2DcTCPyeub","expire":7200}"#
        } else if path.ends_with("/app_ticket/resend") {
            self.resends.fetch_add(1, Ordering::SeqCst);
            r#"{"code":0,"msg":"ok"}"#
        } else {
            self.chats.fetch_add(1, Ordering::SeqCst);
            r#"{"code":0,"msg":"success","data":{"items":[],"has_more":false}}"#
        };
        Response::new(body.as_bytes().to_vec())
    }

    pub(super) fn tokens(&self) -> usize {
        self.tokens.load(Ordering::SeqCst)
    }

    fn resends(&self) -> usize {
        self.resends.load(Ordering::SeqCst)
    }
}

/// A transport to `feishu`, running `pause` before it issues a token.
pub(super) fn wire(feishu: &Arc<Feishu>, pause: fn()) -> impl Transport + Clone + Send + Sync {
    let feishu = feishu.clone();
    move |request: Request<Vec<u8>>| -> Result<_, TransportError> {
        Ok(feishu.answer(&request, pause))
    }
}

/// Simulated time: it stands still but for the waits, which pass at once.
#[derive(Clone)]
struct SimClock(Arc<Mutex<SystemTime>>);

impl Default for SimClock {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(start())))
    }
}

impl Clock for SimClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().expect("unpoisoned")
    }
    fn sleep(&self, duration: Duration) {
        *self.0.lock().expect("unpoisoned") += duration;
    }
}

/// One process of the fleet: a `Client` of its own and its driver.
pub(super) fn process<T: Transport, C: Clock>(
    app: App,
    transport: T,
    clock: C,
) -> BlockingClient<T, C> {
    let core = Client::new(Config::feishu().with_app(app), 0x5eed);
    BlockingClient::new(core, transport, clock)
}

pub(super) fn self_built() -> App {
    App::self_built(APP_ID, APP_SECRET)
}

fn marketplace() -> App {
    App::marketplace(APP_ID, APP_SECRET)
}

#[test]
fn a_token_one_process_fetched_serves_the_other() {
    let feishu = Arc::new(Feishu::default());
    let store = Arc::new(FencedStore::default());
    let clock = SimClock::default();
    let a = process(self_built(), wire(&feishu, || {}), clock.clone());
    let b = process(self_built(), wire(&feishu, || {}), clock);
    let (a, b) = (
        a.with_shared_store(store.clone()),
        b.with_shared_store(store.clone()),
    );
    let chats = RawEndpoint::get(CHATS);
    a.send(&chats).expect("A's chats");
    b.send(&chats).expect("B's chats, with A's token");
    assert_eq!(feishu.tokens(), 1);
    assert_eq!(
        store.ops.load(Ordering::Relaxed),
        5,
        "load, lock, load, save; load"
    );
}

#[test]
fn an_app_ticket_shared_through_one_process_serves_the_other() {
    let feishu = Arc::new(Feishu::default());
    let store = Arc::new(FencedStore::default());
    let clock = SimClock::default();
    let a = process(marketplace(), wire(&feishu, || {}), clock.clone());
    let b = process(marketplace(), wire(&feishu, || {}), clock);
    let (a, b) = (
        a.with_shared_store(store.clone()),
        b.with_shared_store(store),
    );

    a.share_app_ticket(TICKET).expect("a marketplace app");
    let chats = RawEndpoint::get(CHATS);
    b.tenant(TENANT_KEY)
        .send(&chats)
        .expect("B's call, with A's ticket");

    assert_eq!(feishu.resends(), 0, "B never asked for one");
    let bodies = feishu.app_token_bodies.lock().expect("unpoisoned");
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0].contains(TICKET), "{}", bodies[0]);
}

#[test]
fn without_a_store_an_app_ticket_is_shared_with_this_process_only() {
    let feishu = Arc::new(Feishu::default());
    let clock = SimClock::default();
    let a = process(marketplace(), wire(&feishu, || {}), clock.clone());
    let b = process(marketplace(), wire(&feishu, || {}), clock);
    a.share_app_ticket(TICKET).expect("a marketplace app");
    let chats = RawEndpoint::get(CHATS);
    a.tenant(TENANT_KEY).send(&chats).expect("A has its ticket");
    let error = b.tenant(TENANT_KEY).send(&chats).expect_err("B has none");
    assert!(matches!(error, Error::AppTicketPending(_)), "{error:?}");
    assert_eq!(feishu.resends(), 1);
}

#[test]
fn a_store_that_is_unavailable_leaves_every_process_to_fetch_its_own() {
    let feishu = Arc::new(Feishu::default());
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let down: Arc<dyn SharedStore> = Arc::new(move |_: &StoreOp, _: SystemTime| {
        counter.fetch_add(1, Ordering::Relaxed);
        StoreAnswer::Unavailable
    });
    let clock = SimClock::default();
    let a = process(self_built(), wire(&feishu, || {}), clock.clone());
    let b = process(self_built(), wire(&feishu, || {}), clock);
    let (a, b) = (a.with_shared_store(down.clone()), b.with_shared_store(down));
    let chats = RawEndpoint::get(CHATS);
    for client in [&a, &b, &a, &b] {
        client.send(&chats).expect("the chats, all the same");
    }
    assert_eq!(feishu.chats.load(Ordering::SeqCst), 4);
    assert_eq!(feishu.tokens(), 2, "one per process: degraded, not failed");
    assert_eq!(asked.load(Ordering::Relaxed), 2, "once per cold process");
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[test]
fn the_async_driver_carries_out_store_steps_on_its_store() {
    let feishu = Arc::new(Feishu::default());
    let store = Arc::new(FencedStore::default());
    let async_process = |app: App| {
        let core = Client::new(Config::feishu().with_app(app), 0x5eed);
        let feishu = feishu.clone();
        let transport = move |request: Request<Vec<u8>>| ready(Ok(feishu.answer(&request, || {})));
        AsyncClient::new(core, transport, (start, |_| ready(()))).with_shared_store(store.clone())
    };
    let (a, b) = (async_process(self_built()), async_process(self_built()));
    let chats = RawEndpoint::get(CHATS);
    run(assert_send(a.send(&chats))).expect("A's chats");
    run(b.send(&chats)).expect("B's chats, with A's token");
    assert_eq!(feishu.tokens(), 1);

    let (a, b) = (async_process(marketplace()), async_process(marketplace()));
    run(a.share_app_ticket(TICKET)).expect("a marketplace app");
    run(b.tenant(TENANT_KEY).send(&chats)).expect("B's call, with A's ticket");
    assert_eq!(feishu.resends(), 0);
}
