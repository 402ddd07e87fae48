//! Opaque, unique identifiers: access tokens, log ids, message, thread and
//! upload ids, page-token seals, and the stable union ids, user ids and p2p
//! chat ids.
//!
//! Tokens only have to be unique and look opaque, so a counter is pushed through
//! SplitMix64 (a bijection on `u64`, hence no collisions within one server) and
//! keyed with a per-server seed, so two servers in one test run hand out
//! different tokens.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Hands out fresh ids; shared by every request of one server.
pub(crate) struct IdSource {
    seed: u64,
    counter: AtomicU64,
}

impl IdSource {
    pub(crate) fn new() -> Self {
        // std's `RandomState` is randomly keyed per process and per instance,
        // which is all the randomness an opaque test token needs.
        let seed = RandomState::new().build_hasher().finish();
        Self {
            seed,
            counter: AtomicU64::new(0),
        }
    }

    fn next(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    /// A token such as `t-3f9c…`: the prefix, then 40 lowercase hex digits,
    /// like the samples in Feishu's docs.
    pub(crate) fn token(&self, prefix: &str) -> String {
        let n = self.next();
        let unique = splitmix64(self.seed ^ n);
        let filler = splitmix64(unique ^ self.seed.rotate_left(32));
        let tail = splitmix64(filler) >> 32;
        format!("{prefix}{unique:016x}{filler:016x}{tail:08x}")
    }

    /// A message id: `om_` and 32 lowercase hex digits, as in Feishu's docs.
    pub(crate) fn message_id(&self) -> String {
        let unique = splitmix64(self.seed ^ self.next());
        let filler = splitmix64(unique ^ self.seed.rotate_left(32));
        format!("om_{unique:016x}{filler:016x}")
    }

    /// A thread id: `omt_` and 16 lowercase hex digits (Feishu's sample is
    /// `omt_d4be107c616a`).
    pub(crate) fn thread_id(&self) -> String {
        format!("omt_{:016x}", splitmix64(self.seed ^ self.next()))
    }

    /// An upload key such as `img_v2_041b28e3-5680-48c2-9af2-497ace79333g`:
    /// the prefix, a UUID-shaped hex string, and Feishu's trailing `g`.
    pub(crate) fn upload_key(&self, prefix: &str) -> String {
        let unique = splitmix64(self.seed ^ self.next());
        let filler = splitmix64(unique ^ self.seed.rotate_left(32));
        let hex = format!("{unique:016x}{filler:016x}");
        format!(
            "{prefix}{}-{}-{}-{}-{}g",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..31]
        )
    }

    /// A check value for `value` in `context`, keyed with this server's seed,
    /// so a page token cannot be forged, moved to other query parameters, or
    /// reused on another server.
    pub(crate) fn seal(&self, context: &[&str], value: u64) -> u64 {
        splitmix64(fnv1a(context) ^ self.seed ^ splitmix64(value))
    }

    /// A log id shaped like Feishu's: UTC `YYYYMMDDhhmmss`, then 20 uppercase
    /// hex digits (`202407260711088FB107A76E0100002087`).
    pub(crate) fn log_id(&self) -> String {
        let unique = splitmix64(self.seed.wrapping_add(self.next()));
        let tag = self.seed >> 48;
        format!("{}{tag:04X}{unique:016X}", utc_timestamp())
    }
}

/// The `union_id` of the user with `open_id`: `on_` and 32 hex digits, the
/// same in every server and run, as a real user's union id is stable.
pub(crate) fn union_id(open_id: &str) -> String {
    stable_id("on_", &[open_id])
}

/// The `chat_id` of the p2p chat between the bot of `app_id` and the user
/// `receive_id`: `oc_` and 32 hex digits, stable like a real p2p chat.
pub(crate) fn p2p_chat_id(app_id: &str, receive_id: &str) -> String {
    stable_id("oc_", &[app_id, receive_id])
}

/// The `user_id` of the user with `open_id`: 8 lowercase hex digits, stable
/// like [`union_id`]. Real user ids are tenant-assigned and have no prefix.
pub(crate) fn user_id(open_id: &str) -> String {
    let hash = splitmix64(fnv1a(&["user_id", open_id]));
    format!("{:08x}", hash >> 32)
}

/// The most characters an id may have after its prefix.
const MAX_ID_TAIL: usize = 64;

/// Whether `chat_id` is shaped like Feishu's: `oc_`, then 1 to 64 ASCII
/// letters, digits, `_` or `-`; the error says what is wrong.
pub(crate) fn check_chat_id(chat_id: &str) -> Result<(), String> {
    check_id(chat_id, "oc_", "chat_id")
}

/// Whether `open_id` is shaped like Feishu's: `ou_`, then 1 to 64 ASCII
/// letters, digits, `_` or `-`; the error says what is wrong.
pub(crate) fn check_open_id(open_id: &str) -> Result<(), String> {
    check_id(open_id, "ou_", "open_id")
}

fn check_id(id: &str, prefix: &str, what: &str) -> Result<(), String> {
    let tail = id
        .strip_prefix(prefix)
        .ok_or_else(|| format!("{what} {id:?} does not start with {prefix}"))?;
    let shaped = (1..=MAX_ID_TAIL).contains(&tail.len())
        && tail
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if shaped {
        Ok(())
    } else {
        Err(format!(
            "{what} {id:?} must be {prefix} and 1 to {MAX_ID_TAIL} letters, digits, _ or -"
        ))
    }
}

/// `prefix` and 32 hex digits that depend only on `parts`.
fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let high = splitmix64(fnv1a(parts));
    let low = splitmix64(high);
    format!("{prefix}{high:016x}{low:016x}")
}

/// FNV-1a of `parts`: fixed keys, unlike std's randomly keyed hashers. A NUL
/// between parts keeps ("ab", "c") and ("a", "bc") apart.
fn fnv1a(parts: &[&str]) -> u64 {
    let bytes = parts.iter().enumerate().flat_map(|(i, part)| {
        let separator: &[u8] = if i == 0 { b"" } else { b"\0" };
        separator.iter().chain(part.as_bytes())
    });
    bytes.fold(0xCBF2_9CE4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// SplitMix64's finaliser: a fast bijective mix of 64 bits.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The current UTC time as `YYYYMMDDhhmmss`.
fn utc_timestamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_and_open_ids_are_checked() {
        assert_eq!(check_chat_id("oc_mock_general"), Ok(()));
        assert_eq!(check_open_id("ou_7d8a6e6df7621f4c-x"), Ok(()));
        assert_eq!(check_chat_id(&p2p_chat_id("cli_a", "ou_b")), Ok(()));
        for bad in [
            "",
            "oc_",
            "ou_alice",
            "oc_a b",
            "oc_ü",
            &format!("oc_{}", "a".repeat(65)),
        ] {
            assert!(check_chat_id(bad).is_err(), "{bad:?}");
        }
        assert!(check_open_id("on_123").is_err());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn tokens_are_unique_and_shaped() {
        let ids = IdSource::new();
        let a = ids.token("t-");
        let b = ids.token("t-");
        assert_ne!(a, b);
        assert_eq!(a.len(), 42);
        assert!(a[2..].bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn union_ids_are_stable_per_open_id() {
        let id = union_id("ou_mock_user");
        assert_eq!(id, union_id("ou_mock_user"));
        assert_ne!(id, union_id("ou_other"));
        assert_eq!(id.len(), 35);
        assert!(id.starts_with("on_"));
    }

    #[test]
    fn message_and_chat_ids_are_shaped() {
        let ids = IdSource::new();
        let a = ids.message_id();
        assert_ne!(a, ids.message_id());
        assert_eq!(a.len(), 35);
        assert!(a.starts_with("om_"));
        let chat = p2p_chat_id("cli_a", "ou_b");
        assert_eq!(chat, p2p_chat_id("cli_a", "ou_b"));
        assert_ne!(chat, p2p_chat_id("cli_a", "ou_c"));
        assert_ne!(p2p_chat_id("ab", "c"), p2p_chat_id("a", "bc"));
        assert!(chat.starts_with("oc_") && chat.len() == 35);
    }

    #[test]
    fn thread_ids_upload_keys_and_user_ids_are_shaped() {
        let ids = IdSource::new();
        let thread = ids.thread_id();
        assert!(thread.starts_with("omt_") && thread.len() == 20, "{thread}");
        let key = ids.upload_key("img_v2_");
        assert_eq!(
            key.len(),
            "img_v2_041b28e3-5680-48c2-9af2-497ace79333g".len()
        );
        assert!(key.starts_with("img_v2_") && key.ends_with('g'), "{key}");
        assert_ne!(key, ids.upload_key("img_v2_"));
        assert_eq!(user_id("ou_a"), user_id("ou_a"));
        assert_ne!(user_id("ou_a"), user_id("ou_b"));
        assert_eq!(user_id("ou_a").len(), 8);
    }

    #[test]
    fn seals_depend_on_context_value_and_server() {
        let ids = IdSource::new();
        assert_eq!(ids.seal(&["a"], 1), ids.seal(&["a"], 1));
        assert_ne!(ids.seal(&["a"], 1), ids.seal(&["a"], 2));
        assert_ne!(ids.seal(&["a"], 1), ids.seal(&["b"], 1));
        assert_ne!(ids.seal(&["a"], 1), IdSource::new().seal(&["a"], 1));
    }

    #[test]
    fn log_ids_are_unique_and_shaped() {
        let ids = IdSource::new();
        let a = ids.log_id();
        assert_ne!(a, ids.log_id());
        assert_eq!(a.len(), 34);
        assert!(a.starts_with("20"));
    }
}
