//! Each [`StoreOp`] as one atomic Lua script, and its reply as a
//! [`StoreAnswer`]: the part the blocking and the async store share.

use std::sync::LazyLock;
use std::time::SystemTime;

use feishu_core::{Fence, StoreAnswer, StoreOp};
use redis::{Script, ScriptInvocation, Value};

use crate::keys::{self, CredentialKeys};

/// `Load`: the entry. KEYS: entry.
static LOAD: LazyLock<Script> = LazyLock::new(|| Script::new("return redis.call('GET', KEYS[1])"));

/// `Lock`: unless a live lock exists, the next fence, held by the lock until
/// it expires. KEYS: lock, fence. ARGV: ttl ms. Replies 0 when held.
static LOCK: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], fence, 'PX', ARGV[1])
return fence",
    )
});

/// `Save`: release the lock if this fence holds it; keep the token unless a
/// later fence was issued (a holder that stalled past its lock must not
/// overwrite a newer token). KEYS: entry, lock, fence. ARGV: value, ttl ms,
/// fence ('' for an unfenced save). Replies 1 if kept.
static SAVE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local fenced = ARGV[3] ~= ''
if fenced and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
if fenced and redis.call('GET', KEYS[3]) ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1",
    )
});

/// `Unlock`: release the lock if this fence still holds it. KEYS: lock.
/// ARGV: fence.
static UNLOCK: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1",
    )
});

/// `Invalidate`: delete the entry if it still holds this token (a newer one
/// stays). KEYS: entry. ARGV: token.
static INVALIDATE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local entry = redis.call('GET', KEYS[1])
if entry and string.match(entry, '^%d+:%d+:(.*)$') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1",
    )
});

/// What to send Redis for an operation, and how to read its reply.
pub(crate) enum Prepared {
    /// Run this script.
    Script(ScriptInvocation<'static>, Read),
    /// Nothing to send: the answer is known (a token that already expired
    /// is not worth saving).
    Answered(StoreAnswer),
}

/// How to read a script's reply.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Read {
    Loaded,
    Locked,
    Done,
}

/// The script for `op` at `now`, under `prefix`.
pub(crate) fn prepare(op: &StoreOp, prefix: &str, now: SystemTime) -> Prepared {
    let keys = CredentialKeys::new(prefix, op.key());
    match op {
        StoreOp::Load(_) => {
            let mut script = LOAD.prepare_invoke();
            script.key(keys.entry);
            Prepared::Script(script, Read::Loaded)
        }
        StoreOp::Lock { until, .. } => {
            let mut script = LOCK.prepare_invoke();
            script
                .key(keys.lock)
                .key(keys.fence)
                .arg(keys::ttl_ms(now, *until).unwrap_or(1));
            Prepared::Script(script, Read::Locked)
        }
        StoreOp::Save { token, fence, .. } => {
            let fence = fence.map(|Fence(fence)| fence.to_string());
            // An expired token is not kept; its lock is still released.
            let Some(ttl) = keys::ttl_ms(now, token.expires_at) else {
                return match fence {
                    Some(fence) => unlock(keys, fence),
                    None => Prepared::Answered(StoreAnswer::Done),
                };
            };
            let mut script = SAVE.prepare_invoke();
            script
                .key(keys.entry)
                .key(keys.lock)
                .key(keys.fence)
                .arg(keys::encode(token))
                .arg(ttl)
                .arg(fence.unwrap_or_default());
            Prepared::Script(script, Read::Done)
        }
        StoreOp::Unlock { fence, .. } => unlock(keys, fence.0.to_string()),
        StoreOp::Invalidate { token, .. } => {
            let mut script = INVALIDATE.prepare_invoke();
            script.key(keys.entry).arg(token.expose());
            Prepared::Script(script, Read::Done)
        }
        // An operation this version does not know: the call goes on without
        // the store, as for a store that is down.
        _ => Prepared::Answered(StoreAnswer::Unavailable),
    }
}

fn unlock(keys: CredentialKeys, fence: String) -> Prepared {
    let mut script = UNLOCK.prepare_invoke();
    script.key(keys.lock).arg(fence);
    Prepared::Script(script, Read::Done)
}

/// The answer a reply stands for; `None` for a reply that makes no sense.
pub(crate) fn read(read: Read, reply: Value, now: SystemTime) -> Option<StoreAnswer> {
    match (read, reply) {
        (Read::Loaded, Value::Nil) => Some(StoreAnswer::Loaded(None)),
        (Read::Loaded, Value::BulkString(stored)) => {
            // An entry that does not read as a token is treated as none: the
            // call then locks, fetches and overwrites it.
            let token = keys::decode(&stored).filter(|token| now < token.expires_at);
            Some(StoreAnswer::Loaded(token))
        }
        (Read::Locked, Value::Int(0)) => Some(StoreAnswer::Locked(None)),
        (Read::Locked, Value::Int(fence)) => {
            let fence = u64::try_from(fence).ok()?;
            Some(StoreAnswer::Locked(Some(Fence(fence))))
        }
        (Read::Done, Value::Int(_)) => Some(StoreAnswer::Done),
        _ => None,
    }
}

/// The name of an operation, for logs (never its token).
pub(crate) fn name(op: &StoreOp) -> &'static str {
    match op {
        StoreOp::Load(_) => "load",
        StoreOp::Lock { .. } => "lock",
        StoreOp::Save { .. } => "save",
        StoreOp::Unlock { .. } => "unlock",
        StoreOp::Invalidate { .. } => "invalidate",
        _ => "unknown",
    }
}
