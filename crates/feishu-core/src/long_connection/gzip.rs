//! `payload_encoding: gzip`: one gzip member (RFC 1952) inflated by
//! `miniz_oxide`, bounded, its CRC-32 and length checked.

use miniz_oxide::inflate::{DecompressError, TINFLStatus, decompress_to_vec_with_limit};

/// Why a gzip payload was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GzipError {
    /// Not a gzip member: wrong magic, method or header.
    #[error("the payload is not gzip")]
    NotGzip,
    /// The deflate stream is corrupt or ends early.
    #[error("the gzip stream is corrupt or truncated")]
    Corrupt,
    /// The CRC-32 or the length in the trailer does not match.
    #[error("the gzip trailer does not match the inflated bytes")]
    BadTrailer,
    /// It inflates past the bound.
    #[error("the payload inflates past {limit} bytes")]
    TooLarge {
        /// The bound, in bytes.
        limit: usize,
    },
}

const FHCRC: u8 = 1 << 1;
const FEXTRA: u8 = 1 << 2;
const FNAME: u8 = 1 << 3;
const FCOMMENT: u8 = 1 << 4;

/// Inflates one gzip member into at most `limit` bytes.
pub(crate) fn gunzip(bytes: &[u8], limit: usize) -> Result<Vec<u8>, GzipError> {
    let body = skip_header(bytes).ok_or(GzipError::NotGzip)?;
    // The trailer is the last eight bytes; the deflate stream ends by itself.
    let split = body.len().checked_sub(8).ok_or(GzipError::Corrupt)?;
    let (deflate, trailer) = body.split_at(split);
    let inflated = decompress_to_vec_with_limit(deflate, limit).map_err(|error| match error {
        DecompressError {
            status: TINFLStatus::HasMoreOutput,
            ..
        } => GzipError::TooLarge { limit },
        _ => GzipError::Corrupt,
    })?;
    let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    // ISIZE is the length modulo 2^32.
    if crc32(&inflated) != crc || inflated.len() as u32 != size {
        return Err(GzipError::BadTrailer);
    }
    Ok(inflated)
}

/// The bytes after the member header, if it is one.
fn skip_header(bytes: &[u8]) -> Option<&[u8]> {
    let (fixed, mut rest) = (bytes.get(..10)?, bytes.get(10..)?);
    if fixed[..3] != [0x1f, 0x8b, 8] {
        return None;
    }
    let flags = fixed[3];
    if flags & FEXTRA != 0 {
        let len = usize::from(u16::from_le_bytes([*rest.first()?, *rest.get(1)?]));
        rest = rest.get(2 + len..)?;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let end = rest.iter().position(|byte| *byte == 0)?;
            rest = &rest[end + 1..];
        }
    }
    if flags & FHCRC != 0 {
        rest = rest.get(2..)?;
    }
    Some(rest)
}

/// CRC-32 (IEEE 802.3, reflected), as gzip's trailer has it.
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, byte| {
        CRC_TABLE[usize::from((crc as u8) ^ byte)] ^ (crc >> 8)
    })
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                0xedb8_8320 ^ (crc >> 1)
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    /// `printf '{"a":1}' | gzip -n | xxd -p`.
    const SAMPLE: &str = "1f8b0800000000000003ab564a54b232ac0500afac1b5607000000";

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap_or(0))
            .collect()
    }

    #[test]
    fn gzip_sample_inflates() {
        assert_eq!(gunzip(&hex(SAMPLE), 1024).as_deref(), Ok(&b"{\"a\":1}"[..]));
        assert_eq!(
            gunzip(&hex(SAMPLE), 3),
            Err(GzipError::TooLarge { limit: 3 })
        );
        let mut bad = hex(SAMPLE);
        let last = bad.len() - 5;
        bad[last] ^= 1;
        assert_eq!(gunzip(&bad, 1024), Err(GzipError::BadTrailer));
        assert_eq!(gunzip(b"{}", 1024), Err(GzipError::NotGzip));
    }
}
