//! The shared store of an async client, on tokio.

use std::sync::Arc;
use std::time::SystemTime;

use feishu_core::driver::AsyncSharedStore;
use feishu_core::{StoreAnswer, StoreOp};
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, IntoConnectionInfo, RedisError, ScriptInvocation, Value};
use tokio::sync::Mutex;
use tokio::time::timeout;

use crate::health::Health;
use crate::ops::{self, Prepared};
use crate::{InvalidUrl, Options, Target, log};

/// [`RedisStore`](crate::RedisStore) for an async client (feishu-reqwest):
/// the same scripts and keys, so blocking and async replicas can share one
/// Redis, over one multiplexed connection per store.
///
/// Each operation, connecting included, is bounded by the [`Options`]'
/// timeouts, and answers [`StoreAnswer::Unavailable`] past them.
///
/// ```no_run
/// use std::sync::Arc;
/// use feishu_redis::AsyncRedisStore;
/// use feishu_reqwest::{App, Client, Config};
///
/// let store = AsyncRedisStore::open("redis://127.0.0.1:6379")?;
/// let config = Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "app-secret"));
/// let client = Client::new(config)?.with_shared_store(Arc::new(store));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct AsyncRedisStore {
    inner: Arc<Inner>,
}

struct Inner {
    target: Target,
    options: Options,
    health: Health,
    /// The connection, opened on first use and dropped when it fails.
    connection: Mutex<Option<MultiplexedConnection>>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncRedisStore")
            .field("redis", &self.target)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Why Redis did not answer.
enum Failure {
    Redis(RedisError),
    TimedOut,
    /// Another operation found Redis down while this one waited to connect.
    Resting,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Redis(error) => error.fmt(f),
            Self::TimedOut => f.write_str("timed out"),
            Self::Resting => f.write_str("left alone after a failure"),
        }
    }
}

impl AsyncRedisStore {
    /// A store on the Redis at `url`, with the default [`Options`]. Nothing
    /// is connected yet.
    pub fn open(url: impl IntoConnectionInfo) -> Result<Self, InvalidUrl> {
        Self::with_options(url, Options::default())
    }

    /// A store on the Redis at `url`, with `options`.
    pub fn with_options(
        url: impl IntoConnectionInfo,
        options: Options,
    ) -> Result<Self, InvalidUrl> {
        Ok(Self {
            inner: Arc::new(Inner {
                target: Target::open(url)?,
                health: Health::new(options.retry_after),
                options,
                connection: Mutex::new(None),
            }),
        })
    }

    /// The connection, opened if there is none; `true` if just opened.
    async fn connection(&self) -> Result<(MultiplexedConnection, bool), Failure> {
        let inner = &*self.inner;
        let mut connection = inner.connection.lock().await;
        if let Some(connection) = &*connection {
            return Ok((connection.clone(), false));
        }
        // Calls queue here while one connects: once it failed, the rest give
        // up at once rather than each wait out a connect timeout in turn.
        if inner.health.resting() {
            return Err(Failure::Resting);
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(inner.options.connect_timeout))
            .set_response_timeout(Some(inner.options.command_timeout));
        let opened = inner
            .target
            .client
            .get_multiplexed_async_connection_with_config(&config);
        let opened = timeout(inner.options.connect_timeout, opened)
            .await
            .map_err(|_| Failure::TimedOut)?
            .map_err(Failure::Redis)?;
        *connection = Some(opened.clone());
        Ok((opened, true))
    }

    /// Runs `script`; a kept connection Redis dropped (a restart) is
    /// replaced once.
    async fn invoke(&self, script: &ScriptInvocation<'static>) -> Result<Value, Failure> {
        let (connection, fresh) = self.connection().await?;
        match self.invoke_on(connection, script).await {
            Err(Failure::Redis(error))
                if !fresh && (error.is_connection_dropped() || error.is_connection_refusal()) =>
            {
                *self.inner.connection.lock().await = None;
                let (connection, _) = self.connection().await?;
                self.invoke_on(connection, script).await
            }
            reply => reply,
        }
    }

    async fn invoke_on(
        &self,
        mut connection: MultiplexedConnection,
        script: &ScriptInvocation<'static>,
    ) -> Result<Value, Failure> {
        let reply = script.invoke_async(&mut connection);
        timeout(self.inner.options.command_timeout, reply)
            .await
            .map_err(|_| Failure::TimedOut)?
            .map_err(Failure::Redis)
    }
}

impl AsyncSharedStore for AsyncRedisStore {
    async fn carry_out(&self, op: &StoreOp, now: SystemTime) -> StoreAnswer {
        let inner = &*self.inner;
        let target = &inner.target.address;
        let (script, read) = match ops::prepare(op, &inner.options.prefix, now) {
            Prepared::Script(script, read) => (script, read),
            Prepared::Answered(answer) => return answer,
        };
        if inner.health.resting() {
            return StoreAnswer::Unavailable;
        }
        match self.invoke(&script).await {
            Ok(reply) => {
                inner.health.answered(target);
                ops::read(read, reply, now).unwrap_or_else(|| {
                    log::unreadable(target, ops::name(op));
                    StoreAnswer::Unavailable
                })
            }
            Err(Failure::Resting) => StoreAnswer::Unavailable,
            Err(failure) => {
                *inner.connection.lock().await = None;
                inner.health.failed(target, ops::name(op), &failure);
                StoreAnswer::Unavailable
            }
        }
    }
}
