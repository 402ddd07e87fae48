//! Event dedup across a fleet: an event id is claimed with `SET NX`, so a
//! redelivery is dropped whichever replica it reaches.

use std::sync::Arc;
use std::time::SystemTime;

use feishu_core::event::{MemorySeenStore, SeenStore};
use redis::IntoConnectionInfo;

use crate::health::Health;
use crate::keys::{event_key, window_ms};
use crate::pool::Pool;
use crate::{InvalidUrl, Options, Target};

/// The event ids a fleet's webhooks have seen, in Redis: give it to
/// `Webhook::seen_store`. Each id is claimed with `SET <key> 1 NX PX
/// <dedup window>`.
///
/// Every id this process handles is claimed in its memory too, so when Redis is
/// unreachable or slow (bounded by the [`Options`]' timeouts) dedup falls
/// back to the process: a redelivery to the same replica is still dropped,
/// one to another replica is handled again, and a warning is logged.
///
/// [`SeenStore`]'s methods are blocking, also under an async webhook: a
/// claim holds its thread for at most the connect and command timeouts.
///
/// ```no_run
/// use std::sync::Arc;
/// use feishu_redis::RedisSeenStore;
///
/// let seen = RedisSeenStore::open("redis://127.0.0.1:6379")?;
/// // Webhook::new(..).seen_store(Arc::new(seen))
/// # let _ = Arc::new(seen);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct RedisSeenStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pool: Pool,
    health: Health,
    local: MemorySeenStore,
}

impl RedisSeenStore {
    /// A seen store on the Redis at `url`, with the default [`Options`].
    pub fn open(url: impl IntoConnectionInfo) -> Result<Self, InvalidUrl> {
        Self::with_options(url, Options::default())
    }

    /// A seen store on the Redis at `url`, with `options`.
    pub fn with_options(
        url: impl IntoConnectionInfo,
        options: Options,
    ) -> Result<Self, InvalidUrl> {
        let health = Health::new(options.retry_after);
        let local = MemorySeenStore::new(100_000, options.dedup_window);
        let pool = Pool::new(Target::open(url)?, options);
        Ok(Self {
            inner: Arc::new(Inner {
                pool,
                health,
                local,
            }),
        })
    }
}

impl SeenStore for RedisSeenStore {
    fn claim(&self, id: &str, now: SystemTime) -> bool {
        let Inner {
            pool,
            health,
            local,
        } = &*self.inner;
        if !local.claim(id, now) {
            return false;
        }
        if health.resting() {
            return true;
        }
        let options = pool.options();
        let claimed = pool.with(|connection| {
            redis::cmd("SET")
                .arg(event_key(&options.prefix, id))
                .arg(1)
                .arg("NX")
                .arg("PX")
                .arg(window_ms(options.dedup_window))
                .query::<Option<String>>(connection)
        });
        match claimed {
            Ok(claimed) => {
                health.answered(&pool.target.address);
                if claimed.is_none() {
                    // Another process has it: this one keeps only what it
                    // handles, so a release there is not undone here.
                    local.release(id);
                }
                claimed.is_some()
            }
            Err(error) => {
                pool.clear();
                health.failed(&pool.target.address, "claim", &error);
                true
            }
        }
    }

    fn release(&self, id: &str) {
        let Inner {
            pool,
            health,
            local,
        } = &*self.inner;
        local.release(id);
        if health.resting() {
            return;
        }
        let key = event_key(&pool.options().prefix, id);
        match pool.with(|connection| redis::cmd("DEL").arg(&key).query::<i64>(connection)) {
            Ok(_) => health.answered(&pool.target.address),
            Err(error) => {
                pool.clear();
                health.failed(&pool.target.address, "release", &error);
            }
        }
    }
}
