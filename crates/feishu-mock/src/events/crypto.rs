//! Feishu's event crypto, from its
//! [encryption guide](https://open.larksuite.com/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case),
//! written for
//! the mock alone: the SDK has its own, and the two must agree.
//!
//! - AES key: `SHA-256(utf8(encrypt_key))`; cipher AES-256-CBC with PKCS#7
//!   and a random IV; the envelope value is `base64(iv ‖ ciphertext)`
//!   (standard alphabet, padded).
//! - Signature: `lowercase_hex(SHA-256(timestamp ‖ nonce ‖ encrypt_key ‖ body))`,
//!   a plain hash, not an HMAC, over the exact body bytes sent.

use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use aes::Aes256;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeEncrypt, KeyIvInit};
use sha2::{Digest, Sha256};

/// `base64(iv ‖ AES-256-CBC(SHA-256(encrypt_key), iv, pkcs7(plaintext)))`.
pub(crate) fn encrypt(encrypt_key: &str, iv: [u8; 16], plaintext: &[u8]) -> String {
    let key = Sha256::digest(encrypt_key.as_bytes());
    let ciphertext =
        cbc::Encryptor::<Aes256>::new(&key, &iv.into()).encrypt_padded_vec::<Pkcs7>(plaintext);
    let mut raw = Vec::with_capacity(iv.len() + ciphertext.len());
    raw.extend_from_slice(&iv);
    raw.extend_from_slice(&ciphertext);
    STANDARD.encode(raw)
}

/// The `X-Lark-Signature` of `body` sent with this timestamp and nonce.
pub(crate) fn signature(timestamp: &str, nonce: &str, encrypt_key: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(timestamp.as_bytes());
    hash.update(nonce.as_bytes());
    hash.update(encrypt_key.as_bytes());
    hash.update(body);
    hex(&hash.finalize())
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

/// Unpredictable enough for IVs, nonces and event ids in tests: std's
/// randomly keyed SipHash over a counter. Not for real secrets.
pub(crate) struct Random {
    state: RandomState,
    counter: AtomicU64,
}

impl Random {
    pub(crate) fn new() -> Self {
        Self {
            state: RandomState::new(),
            counter: AtomicU64::new(0),
        }
    }

    pub(crate) fn next_u64(&self) -> u64 {
        let mut hasher = self.state.build_hasher();
        hasher.write_u64(self.counter.fetch_add(1, Ordering::Relaxed));
        hasher.finish()
    }

    /// 16 random bytes, for an IV.
    pub(crate) fn iv(&self) -> [u8; 16] {
        let mut iv = [0; 16];
        iv[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        iv[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        iv
    }

    /// 32 lowercase hex digits, the shape of Feishu's `event_id` and `uuid`.
    pub(crate) fn hex32(&self) -> String {
        format!("{:016x}{:016x}", self.next_u64(), self.next_u64())
    }

    /// A fresh `X-Lark-Request-Nonce`: 16 lowercase hex digits.
    pub(crate) fn nonce(&self) -> String {
        format!("{:016x}", self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The official vector, from Feishu's encryption guide.
    const KEY: &str = "test key";
    const ENCRYPTED: &str = "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=";
    const IV: [u8; 16] = [
        0x3f, 0x7e, 0xf0, 0xf9, 0x56, 0x48, 0x98, 0xd8, 0x0f, 0x10, 0xed, 0x51, 0x06, 0x12, 0x7a,
        0x46,
    ];

    #[test]
    fn aes_key_is_the_sha256_of_the_encrypt_key() {
        assert_eq!(
            hex(&Sha256::digest(KEY.as_bytes())),
            "fa2bdca424f01f01ffb48df93acc35d439c7fd331a1a7fba6ac2fd83aa9ab31a"
        );
    }

    #[test]
    fn encryption_reproduces_the_official_vector() {
        assert_eq!(encrypt(KEY, IV, b"hello world"), ENCRYPTED);
    }

    #[test]
    fn a_full_block_gets_a_full_block_of_padding() {
        let raw = STANDARD
            .decode(encrypt(KEY, IV, &[b'x'; 16]))
            .expect("base64");
        assert_eq!(raw.len(), 16 + 32);
        assert_eq!(&raw[..16], &IV);
    }

    /// Derived with
    /// `{ printf '%s%s%s' 1700000000 3f9c2a7d1e5b8064 'test key'; cat body.raw; } | openssl dgst -sha256 -hex`
    /// where `body.raw` holds the body below, with no trailing newline.
    #[test]
    fn signature_matches_openssl() {
        let body = format!(r#"{{"encrypt":"{ENCRYPTED}"}}"#);
        assert_eq!(
            signature("1700000000", "3f9c2a7d1e5b8064", KEY, body.as_bytes()),
            "93d74bda796968a656048a845774b9e41548be6b3d9758be02223a75e2e79dcc"
        );
    }

    #[test]
    fn random_values_differ() {
        let random = Random::new();
        assert_ne!(random.iv(), random.iv());
        let id = random.hex32();
        assert_eq!(id.len(), 32);
        assert_ne!(id, random.hex32());
        assert_eq!(random.nonce().len(), 16);
    }
}
