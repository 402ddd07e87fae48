//! Event decryption: AES-256-CBC, key = SHA-256 of the encrypt key, the IV in
//! the first 16 bytes, strict PKCS#7.
//! Docs: <https://open.larksuite.com/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case>

use aes::Aes256;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use sha2::{Digest, Sha256};

use super::EventError;
use super::signature::Verified;

/// The AES block and IV size.
const BLOCK: usize = 16;

/// Decrypts the `encrypt` field of a request whose signature was verified:
/// only a [`Verified`] request can be decrypted, so nothing unsigned ever
/// reaches the cipher (no padding oracle).
pub(crate) fn decrypt(verified: &Verified<'_>, encrypt: &str) -> Result<Vec<u8>, EventError> {
    decrypt_with(verified.encrypt_key().expose(), encrypt)
}

fn decrypt_with(encrypt_key: &str, encrypt: &str) -> Result<Vec<u8>, EventError> {
    let mut raw = STANDARD
        .decode(encrypt.trim())
        .map_err(|_| EventError::BadBase64)?;
    let len = raw.len();
    if len < 2 * BLOCK || len % BLOCK != 0 {
        return Err(EventError::BadCiphertextLength(len));
    }
    let key = Sha256::digest(encrypt_key.as_bytes());
    let (iv, ciphertext) = raw.split_at_mut(BLOCK);
    let decryptor = cbc::Decryptor::<Aes256>::new_from_slices(&key, iv)
        .map_err(|_| EventError::BadCiphertextLength(len))?;
    // Decrypted in place; strict PKCS#7: the pad value is 1–16 and every pad
    // byte equals it. A wrong key almost always lands here.
    let plaintext_len = decryptor
        .decrypt_padded::<Pkcs7>(ciphertext)
        .map_err(|_| EventError::BadPadding)?
        .len();
    raw.drain(..BLOCK);
    raw.truncate(plaintext_len);
    Ok(raw)
}

/// Encrypts `plaintext` as Feishu does, with the given IV: `base64(iv ‖
/// AES-256-CBC(SHA-256(encrypt_key), iv, PKCS#7(plaintext)))`. For tests and
/// fake servers; the IV should be random (the caller's randomness).
///
/// ```
/// use feishu_core::event::encrypt;
///
/// // The official vector: "hello world" with the key "test key".
/// let iv = [0x3f, 0x7e, 0xf0, 0xf9, 0x56, 0x48, 0x98, 0xd8, 0x0f, 0x10, 0xed, 0x51, 0x06, 0x12, 0x7a, 0x46];
/// assert_eq!(encrypt("test key", iv, b"hello world"), "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
/// ```
pub fn encrypt(encrypt_key: &str, iv: [u8; BLOCK], plaintext: &[u8]) -> String {
    let key = Sha256::digest(encrypt_key.as_bytes());
    let padded_len = (plaintext.len() / BLOCK + 1) * BLOCK;
    let mut buffer = vec![0; padded_len];
    buffer[..plaintext.len()].copy_from_slice(plaintext);
    let mut out = iv.to_vec();
    // The key is 32 bytes (a SHA-256) and the IV 16, so `new` cannot fail,
    // and the buffer holds a whole padded block more than the plaintext.
    if let Ok(encryptor) = cbc::Encryptor::<Aes256>::new_from_slices(&key, &iv)
        && let Ok(ciphertext) = encryptor.encrypt_padded::<Pkcs7>(&mut buffer, plaintext.len())
    {
        out.extend_from_slice(ciphertext);
    }
    STANDARD.encode(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_vector_decrypts() {
        let plain = decrypt_with("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
        assert_eq!(plain.as_deref(), Ok(&b"hello world"[..]));
    }

    #[test]
    fn the_wrong_key_is_bad_padding_or_garbage_never_a_panic() {
        let result = decrypt_with("other key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
        assert_ne!(result.as_deref(), Ok(&b"hello world"[..]));
    }
}
