//! Blocking connections, kept for reuse: each operation takes one (or opens
//! one, within the connect timeout), so threads never queue behind each
//! other's commands, and a connection that failed is dropped.

use std::sync::{Mutex, PoisonError};

use redis::{Connection, RedisResult};

use crate::{Options, Target};

/// At most this many idle connections are kept; more are opened when busy
/// and closed after use.
const MAX_IDLE: usize = 16;

/// Blocking connections to one Redis.
#[derive(Debug)]
pub(crate) struct Pool {
    pub(crate) target: Target,
    options: Options,
    #[allow(clippy::struct_field_names)]
    idle: Mutex<Vec<ConnectionSlot>>,
}

/// A connection; not `Debug` (the redis crate's would show its settings).
struct ConnectionSlot(Connection);

impl std::fmt::Debug for ConnectionSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Connection")
    }
}

impl Pool {
    pub(crate) fn new(target: Target, options: Options) -> Self {
        Self {
            target,
            options,
            idle: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn options(&self) -> &Options {
        &self.options
    }

    /// Runs `work` on a connection; the connection is kept only if it worked.
    /// An idle connection Redis dropped (a restart) is replaced once.
    pub(crate) fn with<T>(
        &self,
        work: impl Fn(&mut Connection) -> RedisResult<T>,
    ) -> RedisResult<T> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let (connection, result) = match idle {
            Some(ConnectionSlot(mut connection)) => match work(&mut connection) {
                Err(error) if error.is_connection_dropped() || error.is_connection_refusal() => {
                    self.clear();
                    let mut connection = self.connect()?;
                    let result = work(&mut connection);
                    (connection, result)
                }
                result => (connection, result),
            },
            None => {
                let mut connection = self.connect()?;
                let result = work(&mut connection);
                (connection, result)
            }
        };
        if result.is_ok() {
            let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
            if idle.len() < MAX_IDLE {
                idle.push(ConnectionSlot(connection));
            }
        }
        result
    }

    /// Drops every idle connection: after a failure they may all be dead.
    pub(crate) fn clear(&self) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn connect(&self) -> RedisResult<Connection> {
        let connection = self
            .target
            .client
            .get_connection_with_timeout(self.options.connect_timeout)?;
        connection.set_read_timeout(Some(self.options.command_timeout))?;
        connection.set_write_timeout(Some(self.options.command_timeout))?;
        Ok(connection)
    }
}
