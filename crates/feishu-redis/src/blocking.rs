//! The shared store of a blocking client.

use std::sync::Arc;
use std::time::SystemTime;

use feishu_core::driver::SharedStore;
use feishu_core::{StoreAnswer, StoreOp};
use redis::IntoConnectionInfo;

use crate::health::Health;
use crate::ops::{self, Prepared};
use crate::pool::Pool;
use crate::{InvalidUrl, Options, Target, log};

/// Tokens, app tickets and refresh locks in Redis, for a blocking client
/// (feishu-ureq): give it to `with_shared_store`, and a fleet fetches each
/// token once, whichever replica asks first.
///
/// Each operation is one Lua script, atomic in Redis; the layout is in
/// [`keys`](crate#keys). Redis unreachable or slow: the operation answers
/// [`StoreAnswer::Unavailable`] within the [`Options`]' timeouts, the call
/// goes on from its process's cache and fetches its own token, and the store
/// leaves Redis alone for [`Options::retry_after`] (logged once, and again
/// when Redis answers).
///
/// ```no_run
/// use std::sync::Arc;
/// use feishu_redis::RedisStore;
/// use feishu_ureq::{App, Client, Config};
///
/// let store = RedisStore::open("redis://127.0.0.1:6379")?;
/// let config = Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "app-secret"));
/// let client = Client::new(config).with_shared_store(Arc::new(store));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct RedisStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pool: Pool,
    health: Health,
}

impl RedisStore {
    /// A store on the Redis at `url` (`redis://[:password@]host:port[/db]`),
    /// with the default [`Options`]. Nothing is connected yet.
    pub fn open(url: impl IntoConnectionInfo) -> Result<Self, InvalidUrl> {
        Self::with_options(url, Options::default())
    }

    /// A store on the Redis at `url`, with `options`.
    pub fn with_options(
        url: impl IntoConnectionInfo,
        options: Options,
    ) -> Result<Self, InvalidUrl> {
        let health = Health::new(options.retry_after);
        let pool = Pool::new(Target::open(url)?, options);
        Ok(Self {
            inner: Arc::new(Inner { pool, health }),
        })
    }
}

impl SharedStore for RedisStore {
    fn carry_out(&self, op: &StoreOp, now: SystemTime) -> StoreAnswer {
        let Inner { pool, health } = &*self.inner;
        let target = &pool.target.address;
        let (script, read) = match ops::prepare(op, &pool.options().prefix, now) {
            Prepared::Script(script, read) => (script, read),
            Prepared::Answered(answer) => return answer,
        };
        if health.resting() {
            return StoreAnswer::Unavailable;
        }
        match pool.with(|connection| script.invoke(connection)) {
            Ok(reply) => {
                health.answered(target);
                ops::read(read, reply, now).unwrap_or_else(|| {
                    log::unreadable(target, ops::name(op));
                    StoreAnswer::Unavailable
                })
            }
            Err(error) => {
                pool.clear();
                health.failed(target, ops::name(op), &error);
                StoreAnswer::Unavailable
            }
        }
    }
}
