//! The shared-store seam: how calls share tokens and app tickets with other
//! processes without the core doing I/O.
//!
//! # Design
//!
//! Tokens live in two places. Every [`Client`](crate::Client) keeps an
//! in-process cache (its [`TokenStore`](crate::TokenStore), memory by
//! default), read inside [`Call::poll`](crate::Call::poll) on every call; it
//! must never do I/O. A store other processes see (Redis, a database) is
//! reached by the *driver*, blocking or async as its transport is, through
//! [`Step::Store`](crate::Step::Store) operations the call hands out and whose
//! outcome the driver feeds back with [`Call::on_store`](crate::Call::on_store).
//! A client says it has such a store with
//! [`Client::use_shared_store`](crate::Client::use_shared_store); without one
//! no call ever hands out a store step, and the cached path costs nothing more.
//!
//! With a shared store, a call that finds no fresh token in its process:
//!
//! 1. takes the process's refresh lease ([single flight](crate::Client) within
//!    the process: its other calls wait, and are woken when it ends);
//! 2. [`StoreOp::Load`]s the key: a fresh token another process stored is
//!    kept in the process's cache and used;
//! 3. otherwise [`StoreOp::Lock`]s the key fleet-wide until its lease lapses.
//!    The store answers with a [`Fence`] (a number that grows with every
//!    lock) or says another process holds the lock, and the call then waits
//!    and loads again;
//! 4. fetches the token from Feishu and [`StoreOp::Save`]s it under its fence,
//!    which releases the lock. A store keeps it only if no later fence was
//!    issued for the key, so a holder that stalled past its lock cannot
//!    overwrite a newer token. A fetch that fails [`StoreOp::Unlock`]s.
//!
//! A lock expires on its own, so a crashed holder never blocks the fleet. A
//! token Feishu refused is [`StoreOp::Invalidate`]d (only if the store still
//! holds that very token). An `app_ticket` pushed to one replica is shared
//! with [`Client::share_app_ticket`](crate::Client::share_app_ticket) and
//! loaded like a token by the others. When the store answers
//! [`StoreAnswer::Unavailable`], the call goes on as if it had none: it uses
//! its process's cache and fetches its own token (degraded, not failed), and
//! hands out no more store steps.

use std::fmt;
use std::time::SystemTime;

use crate::{CachedToken, Secret, TokenKey};

/// A number a shared store hands out with each lock on a key, larger than
/// every one before it (a Redis `INCR`, a database sequence).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fence(pub u64);

/// What the driver must do with its shared store; see the [module
/// docs](crate::store).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreOp {
    /// Read the entry for `key`: answer [`StoreAnswer::Loaded`].
    Load(TokenKey),
    /// Take the fleet-wide refresh lock on `key` until `until` (let it expire
    /// then): answer [`StoreAnswer::Locked`].
    Lock {
        /// The credential.
        key: TokenKey,
        /// When the lock lapses if never released.
        until: SystemTime,
    },
    /// Store `token` for `key` until it expires and, under a `fence`, release
    /// the lock; keep it only if no lock newer than `fence` was taken since.
    /// Answer [`StoreAnswer::Done`].
    Save {
        /// The credential.
        key: TokenKey,
        /// The token and its times.
        token: CachedToken,
        /// The lock it was fetched under; `None` for an app ticket.
        fence: Option<Fence>,
    },
    /// Release the lock `fence` holds on `key`, if it still does. Answer
    /// [`StoreAnswer::Done`].
    Unlock {
        /// The credential.
        key: TokenKey,
        /// The lock.
        fence: Fence,
    },
    /// Delete the entry for `key` if it still holds `token`: Feishu refused
    /// it. Answer [`StoreAnswer::Done`].
    Invalidate {
        /// The credential.
        key: TokenKey,
        /// The refused token.
        token: Secret,
    },
}

impl StoreOp {
    /// The credential the operation is about.
    pub fn key(&self) -> &TokenKey {
        match self {
            Self::Load(key)
            | Self::Lock { key, .. }
            | Self::Save { key, .. }
            | Self::Unlock { key, .. }
            | Self::Invalidate { key, .. } => key,
        }
    }
}

impl fmt::Debug for StoreOp {
    // Tokens stay out of it; the key and the fence say enough.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Load(key) => f.debug_tuple("Load").field(key).finish(),
            Self::Lock { key, until } => f
                .debug_struct("Lock")
                .field("key", key)
                .field("until", until)
                .finish(),
            Self::Save { key, fence, .. } => f
                .debug_struct("Save")
                .field("key", key)
                .field("fence", fence)
                .finish_non_exhaustive(),
            Self::Unlock { key, fence } => f
                .debug_struct("Unlock")
                .field("key", key)
                .field("fence", fence)
                .finish(),
            Self::Invalidate { key, .. } => f
                .debug_struct("Invalidate")
                .field("key", key)
                .finish_non_exhaustive(),
        }
    }
}

/// How the driver's shared store answered a [`StoreOp`].
#[derive(Debug)]
#[non_exhaustive]
pub enum StoreAnswer {
    /// The entry [`StoreOp::Load`] asked for, if there is one.
    Loaded(Option<CachedToken>),
    /// The lock [`StoreOp::Lock`] asked for: its fence, or `None` while
    /// another process holds it.
    Locked(Option<Fence>),
    /// The write was carried out (or refused by its fence, which is fine).
    Done,
    /// The store could not be reached, or answered nonsense: the call goes on
    /// without it. The driver should log it.
    Unavailable,
}
