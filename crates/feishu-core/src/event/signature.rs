//! Request signatures: SHA-256 over timestamp, nonce, encrypt key and the raw
//! body (events, `card.action.trigger`), SHA-1 with the verification token
//! (old card callbacks); constant-time comparison and a replay window.
//! Docs: <https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-security-verification>

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::EventError;
use crate::Secret;

const TIMESTAMP: &str = "x-lark-request-timestamp";
const NONCE: &str = "x-lark-request-nonce";
const SIGNATURE: &str = "x-lark-signature";

/// Proof that a request's signature was checked: the only way to get one is
/// [`verify_sha256`], and only with one can a body be decrypted.
#[derive(Debug)]
pub(crate) struct Verified<'a> {
    encrypt_key: &'a Secret,
}

impl<'k> Verified<'k> {
    /// For an encrypted URL verification that arrives unsigned (whether
    /// Feishu signs it is unconfirmed): decrypting is allowed only to answer a
    /// challenge that carries the right verification token, and every failure
    /// on that path is reported the same way.
    pub(crate) fn challenge_only(encrypt_key: &'k Secret) -> Self {
        Self { encrypt_key }
    }

    pub(crate) fn encrypt_key(&self) -> &Secret {
        self.encrypt_key
    }
}

/// The three signature headers, read verbatim.
struct Signed<'h> {
    timestamp: &'h [u8],
    nonce: &'h [u8],
    signature: &'h [u8],
}

/// Whether the request carries signature headers at all.
pub(crate) fn is_signed(headers: &HeaderMap) -> bool {
    headers.contains_key(SIGNATURE)
}

fn signed(headers: &HeaderMap) -> Result<Signed<'_>, EventError> {
    // Exactly one of each: a duplicated header is ambiguous, so refused.
    let one = |name| {
        let mut values = headers.get_all(name).iter();
        match (values.next(), values.next()) {
            (Some(value), None) => Ok(value.as_bytes()),
            _ => Err(EventError::MissingSignature),
        }
    };
    Ok(Signed {
        timestamp: one(TIMESTAMP)?,
        nonce: one(NONCE)?,
        signature: one(SIGNATURE)?,
    })
}

/// Checks the SHA-256 signature of events: `hex(SHA-256(timestamp ‖ nonce ‖
/// encrypt_key ‖ body))`, over the raw body exactly as received.
pub(crate) fn verify_sha256<'k>(
    headers: &HeaderMap,
    body: &[u8],
    encrypt_key: &'k Secret,
    now: SystemTime,
    window: Duration,
) -> Result<Verified<'k>, EventError> {
    let signed = signed(headers)?;
    check_fresh(signed.timestamp, now, window)?;
    let mut hash = Sha256::new();
    hash.update(signed.timestamp);
    hash.update(signed.nonce);
    hash.update(encrypt_key.expose().as_bytes());
    hash.update(body);
    compare(&hash.finalize(), signed.signature)?;
    Ok(Verified { encrypt_key })
}

/// Checks the SHA-1 signature of old card callbacks: `hex(SHA-1(timestamp ‖
/// nonce ‖ verification_token ‖ body))`.
pub(crate) fn verify_sha1(
    headers: &HeaderMap,
    body: &[u8],
    verification_token: &Secret,
    now: SystemTime,
    window: Duration,
) -> Result<(), EventError> {
    let signed = signed(headers)?;
    check_fresh(signed.timestamp, now, window)?;
    let mut hash = Sha1::new();
    hash.update(signed.timestamp);
    hash.update(signed.nonce);
    hash.update(verification_token.expose().as_bytes());
    hash.update(body);
    compare(&hash.finalize(), signed.signature)
}

/// Refuses a timestamp further than `window` from `now`, either way.
fn check_fresh(timestamp: &[u8], now: SystemTime, window: Duration) -> Result<(), EventError> {
    let seconds: u64 = std::str::from_utf8(timestamp)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .ok_or(EventError::InvalidTimestamp)?;
    let sent = UNIX_EPOCH
        .checked_add(Duration::from_secs(seconds))
        .ok_or(EventError::InvalidTimestamp)?;
    let skew = match now.duration_since(sent) {
        Ok(behind) => behind,
        Err(ahead) => ahead.duration(),
    };
    if skew > window {
        return Err(EventError::StaleTimestamp { skew });
    }
    Ok(())
}

/// Compares a digest with a hex signature (either case) in constant time.
fn compare(digest: &[u8], signature: &[u8]) -> Result<(), EventError> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    if signature.len() != digest.len() * 2 {
        return Err(EventError::BadSignature);
    }
    let expected = digest
        .iter()
        .flat_map(|byte| [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xF)]]);
    let diff = expected
        .zip(signature)
        .fold(0u8, |diff, (x, y)| diff | (x ^ y.to_ascii_lowercase()));
    if diff == 0 {
        Ok(())
    } else {
        Err(EventError::BadSignature)
    }
}

/// Equal, without an early exit that would tell how much matched.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}
