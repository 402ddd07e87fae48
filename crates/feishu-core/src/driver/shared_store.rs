//! The shared-store seams: how a driver reaches the store its calls share
//! with other processes, blocking or async.

use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use crate::{StoreAnswer, StoreOp};

/// A store shared with other processes (Redis, a database), for a blocking
/// driver: it carries out the [`StoreOp`]s calls hand out, so a fleet fetches
/// each token once and an app ticket pushed to one replica serves them all.
/// Give one to [`BlockingClient::with_shared_store`](super::BlockingClient::with_shared_store);
/// the design is in [`store`](crate::store). The `feishu-redis` crate is one
/// over Redis, blocking and async.
///
/// # Contract
///
/// Every protocol decision stays in the core; a store keeps entries and
/// locks, each operation atomic on its own:
///
/// - [`StoreOp::Load`]: the entry for the key, if there is one and it has not
///   expired: [`StoreAnswer::Loaded`].
/// - [`StoreOp::Lock`]: the key's refresh lock, unless another holder's lock
///   is still live, with a [`Fence`](crate::Fence) larger than every fence
///   issued for the key before (a Redis `INCR`, a database sequence):
///   [`StoreAnswer::Locked`]`(Some(fence))`; `Locked(None)` while another
///   process holds it. The lock expires on its own at `until`, so a crashed
///   holder never blocks the fleet.
/// - [`StoreOp::Save`]: keep the token until it expires, and release the lock
///   its fence holds. Under a fence, keep it only if no later fence was
///   issued for the key (a *fenced save*), so a holder that stalled past its
///   lock cannot overwrite a newer token; without one (an app ticket), keep
///   it. [`StoreAnswer::Done`], refused or not.
/// - [`StoreOp::Unlock`]: release the lock if that fence still holds it.
///   [`StoreAnswer::Done`].
/// - [`StoreOp::Invalidate`]: delete the entry only if it still holds that
///   very token (Feishu refused it; a newer one stays). [`StoreAnswer::Done`].
/// - [`StoreAnswer::Unavailable`] when the store cannot be reached or answers
///   nonsense: the call goes on with its process's cache and fetches its own
///   token (degraded, not failed), and asks the store nothing more. Log it
///   there: the driver does not.
/// - Answer within a bound. The driver does not time a store call out, so a
///   store that hangs holds its call past the call's deadline: give every
///   operation a timeout of its own, well under the request
///   [timeout](crate::Config::timeout), and answer `Unavailable` when it
///   passes.
///
/// `now` is the driver's clock, for a store that judges expiry itself; one
/// with its own TTLs (Redis `PX`) may ignore it.
///
/// Any `Fn(&StoreOp, SystemTime) -> StoreAnswer` that is `Send + Sync` is a
/// store. Here, one that never sees a token but shows the order of a cold
/// call's operations:
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use std::time::SystemTime;
/// use feishu_core::driver::BlockingClient;
/// use feishu_core::{App, Client, Config, Fence, RawEndpoint, StoreAnswer, StoreOp, TransportError};
///
/// let transport = |request: http::Request<Vec<u8>>| -> Result<_, TransportError> {
///     let body = if request.uri().path().ends_with("/tenant_access_token/internal") {
///         r#"{"code":0,"msg":"ok","tenant_access_token":"t-7f1bcd13fc57d46bac21793a18e560","expire":7200}"#
///     } else {
///         r#"{"code":0,"msg":"success","data":{"items":[],"has_more":false}}"#
///     };
///     Ok(http::Response::new(body.as_bytes().to_vec()))
/// };
/// let ops = Arc::new(Mutex::new(Vec::new()));
/// let seen = ops.clone();
/// let store = move |op: &StoreOp, _now: SystemTime| {
///     let mut seen = seen.lock().expect("unpoisoned");
///     match op {
///         StoreOp::Load(_) => { seen.push("load"); StoreAnswer::Loaded(None) }
///         StoreOp::Lock { .. } => { seen.push("lock"); StoreAnswer::Locked(Some(Fence(1))) }
///         _ => { seen.push("write"); StoreAnswer::Done }
///     }
/// };
///
/// let config = Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "app-secret"));
/// let client = BlockingClient::new(Client::new(config, 0x5eed), transport, (SystemTime::now, std::thread::sleep))
///     .with_shared_store(Arc::new(store));
/// client.send(&RawEndpoint::get("/open-apis/im/v1/chats"))?;
/// // Nobody had it: locked fleet-wide, fetched, saved under the fence.
/// assert_eq!(*ops.lock().expect("unpoisoned"), ["load", "lock", "load", "write"]);
/// # Ok::<(), feishu_core::Error>(())
/// ```
pub trait SharedStore: Send + Sync {
    /// Carries out `op` at `now` and says how it went.
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> StoreAnswer;
}

impl<F> SharedStore for F
where
    F: Fn(&StoreOp, SystemTime) -> StoreAnswer + Send + Sync,
{
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> StoreAnswer {
        self(op, now)
    }
}

/// A store shared with other processes, for an async driver, with the
/// [contract of `SharedStore`](SharedStore#contract); give one to
/// [`AsyncClient::with_shared_store`](super::AsyncClient::with_shared_store).
///
/// An `impl` may write `async fn carry_out`. Any
/// `Fn(&StoreOp, SystemTime) -> F` that is `Send + Sync`, `F` a `Send` future
/// of [`StoreAnswer`] that does not borrow the operation (clone what it
/// needs), is a store.
pub trait AsyncSharedStore: Send + Sync {
    /// Carries out `op` at `now` and says how it went.
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> impl Future<Output = StoreAnswer> + Send;
}

impl<F, Fut> AsyncSharedStore for F
where
    F: Fn(&StoreOp, SystemTime) -> Fut + Send + Sync,
    Fut: Future<Output = StoreAnswer> + Send,
{
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> impl Future<Output = StoreAnswer> + Send {
        self(op, now)
    }
}

/// A store's answer to come, boxed.
pub(super) type StoreFuture<'a> = Pin<Box<dyn Future<Output = StoreAnswer> + Send + 'a>>;

/// An [`AsyncSharedStore`] the client holds as a trait object: one box per
/// store operation, a cost only the shared-store path pays, and no type
/// parameter for it on the client.
pub(super) trait DynAsyncSharedStore: Send + Sync {
    fn carry_out<'a>(&'a self, op: &'a StoreOp, now: SystemTime) -> StoreFuture<'a>;
}

impl<S: AsyncSharedStore> DynAsyncSharedStore for S {
    fn carry_out<'a>(&'a self, op: &'a StoreOp, now: SystemTime) -> StoreFuture<'a> {
        Box::pin(AsyncSharedStore::carry_out(self, op, now))
    }
}
