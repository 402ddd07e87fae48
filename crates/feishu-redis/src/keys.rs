//! The key layout and the stored form of a token.
//!
//! A credential's keys share a hash tag (`{…}`), so a Redis Cluster keeps them
//! in one slot and the scripts that touch several of them still run:
//!
//! - `<prefix>{<TokenKey>}`: the token, `<expires_ms>:<refresh_ms>:<token>`
//!   (milliseconds since the Unix epoch), expiring with it;
//! - `<prefix>{<TokenKey>}:lock`: the refresh lock, holding its fence;
//! - `<prefix>{<TokenKey>}:fence`: the last fence issued (`INCR`);
//! - `<prefix>event:<event_id>`: a claimed event id.

// Without a shared store (features `blocking`, `tokio`) only the event keys
// are used.
#![cfg_attr(not(any(feature = "blocking", feature = "tokio")), allow(dead_code))]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use feishu_core::{CachedToken, Secret, TokenKey};

/// The three keys of one credential.
pub(crate) struct CredentialKeys {
    pub(crate) entry: String,
    pub(crate) lock: String,
    pub(crate) fence: String,
}

impl CredentialKeys {
    pub(crate) fn new(prefix: &str, key: &TokenKey) -> Self {
        let entry = format!("{prefix}{{{key}}}");
        Self {
            lock: format!("{entry}:lock"),
            fence: format!("{entry}:fence"),
            entry,
        }
    }
}

/// The key of a claimed event id.
pub(crate) fn event_key(prefix: &str, event_id: &str) -> String {
    format!("{prefix}event:{event_id}")
}

/// A token as stored.
pub(crate) fn encode(token: &CachedToken) -> String {
    format!(
        "{}:{}:{}",
        millis(token.expires_at),
        millis(token.refresh_at),
        token.token.expose()
    )
}

/// A stored token; `None` for anything else.
pub(crate) fn decode(stored: &[u8]) -> Option<CachedToken> {
    let stored = std::str::from_utf8(stored).ok()?;
    let mut parts = stored.splitn(3, ':');
    let expires_at = time(parts.next()?)?;
    let refresh_at = time(parts.next()?)?;
    let token = parts.next().filter(|token| !token.is_empty())?;
    Some(CachedToken {
        token: Secret::new(token),
        expires_at,
        refresh_at,
    })
}

/// Milliseconds from `now` until `at`, as Redis `PX` takes them: at least 1
/// (Redis refuses 0), `None` if `at` passed.
pub(crate) fn ttl_ms(now: SystemTime, at: SystemTime) -> Option<u64> {
    let left = at.duration_since(now).ok()?;
    let ms = u64::try_from(left.as_millis()).unwrap_or(u64::MAX);
    (ms > 0).then_some(ms)
}

/// Milliseconds in `window`, at least 1.
pub(crate) fn window_ms(window: Duration) -> u64 {
    u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1)
}

fn millis(at: SystemTime) -> u64 {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

fn time(ms: &str) -> Option<SystemTime> {
    UNIX_EPOCH.checked_add(Duration::from_millis(ms.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_to_the_millisecond_and_colons_in_it_survive() {
        let at = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        let token = CachedToken {
            token: Secret::new("t-a:b:c"),
            expires_at: at + Duration::from_secs(7200),
            refresh_at: at + Duration::from_secs(6900),
        };
        assert_eq!(decode(encode(&token).as_bytes()), Some(token));
    }

    #[test]
    fn anything_else_stored_reads_as_no_token() {
        for stored in ["", "x", "1:2", "1:2:", "a:2:t", "1:b:t"] {
            assert_eq!(decode(stored.as_bytes()), None, "{stored:?}");
        }
        assert_eq!(decode(&[0xff, b':', b'1']), None);
    }

    #[test]
    fn a_ttl_is_never_zero_and_none_once_passed() {
        let now = UNIX_EPOCH + Duration::from_secs(100);
        assert_eq!(ttl_ms(now, now + Duration::from_micros(10)), None);
        assert_eq!(ttl_ms(now, now + Duration::from_millis(1500)), Some(1500));
        assert_eq!(ttl_ms(now, now - Duration::from_secs(1)), None);
        assert_eq!(window_ms(Duration::ZERO), 1);
    }
}
