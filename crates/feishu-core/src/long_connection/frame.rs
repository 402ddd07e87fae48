//! The `pbbp2.Frame` codec: one proto2 message, written by hand.
//!
//! Every binary WebSocket message of the long connection is one frame. The
//! decoder takes any bytes: it skips unknown fields by wire type (groups
//! included), refuses truncated input and missing required fields, and never
//! panics. The encoder writes fields in number order, each required one even
//! when zero, as the official protobuf runtimes do, so the vectors of the
//! protocol page come out byte for byte.

use std::fmt;

/// `method` of a control frame: `ping` and `pong`.
pub const METHOD_CONTROL: i32 = 0;
/// `method` of a data frame: events and card actions, and their ACKs.
pub const METHOD_DATA: i32 = 1;

/// One `pbbp2.Frame`.
///
/// ```
/// use feishu_core::long_connection::Frame;
///
/// let ping = Frame::ping(5);
/// let bytes = ping.encode();
/// assert_eq!(bytes, [0x08, 0, 0x10, 0, 0x18, 5, 0x20, 0, 0x2a, 0x0c, 0x0a, 4, b't', b'y', b'p', b'e', 0x12, 4, b'p', b'i', b'n', b'g']);
/// assert_eq!(Frame::decode(&bytes)?, ping);
/// # Ok::<(), feishu_core::long_connection::FrameError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// Field 1, `SeqID`.
    pub seq_id: u64,
    /// Field 2, `LogID`.
    pub log_id: u64,
    /// Field 3, `service`: the `service_id` of the connection URL.
    pub service: i32,
    /// Field 4, `method`: [`METHOD_CONTROL`] or [`METHOD_DATA`].
    pub method: i32,
    /// Field 5, `headers`, in order.
    pub headers: Vec<Header>,
    /// Field 6, `payload_encoding`, e.g. `gzip`.
    pub payload_encoding: Option<String>,
    /// Field 7, `payload_type`.
    pub payload_type: Option<String>,
    /// Field 8, `payload`.
    pub payload: Option<Vec<u8>>,
    /// Field 9, `LogIDNew`.
    pub log_id_new: Option<String>,
}

/// One `pbbp2.Header`: a key and a value, both required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Header {
    /// Field 1, `key`, e.g. `type`, `message_id`, `sum`, `seq`, `instance_id`.
    pub key: String,
    /// Field 2, `value`.
    pub value: String,
}

impl Header {
    /// A header.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// Why bytes are not a frame. Nothing here repeats the bytes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The input ends inside a field.
    #[error("the frame is truncated")]
    Truncated,
    /// A varint runs past ten bytes, or past 64 bits.
    #[error("a varint is longer than 64 bits")]
    BadVarint,
    /// A tag has field number 0 or one past 2^29 − 1.
    #[error("a field number is out of range")]
    BadFieldNumber,
    /// A wire type that does not exist (6, 7), or a group that ends without
    /// starting or ends another group.
    #[error("wire type {0} is invalid here")]
    BadWireType(u8),
    /// Groups nested deeper than the decoder follows.
    #[error("groups are nested too deeply")]
    TooDeep,
    /// A string field is not UTF-8.
    #[error("field {0} is not UTF-8")]
    NotUtf8(&'static str),
    /// A required field is absent.
    #[error("the required field {0} is missing")]
    MissingField(&'static str),
}

impl Frame {
    /// A ping: `SeqID 0, LogID 0, service, method 0, headers [type=ping]`.
    pub fn ping(service: i32) -> Self {
        Self {
            service,
            method: METHOD_CONTROL,
            headers: vec![Header::new("type", "ping")],
            ..Self::default()
        }
    }

    /// The value of the first header named `key`.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|header| header.key == key)
            .map(|header| header.value.as_str())
    }

    /// Sets header `key` to `value`: the first of that name is replaced, or
    /// one is appended.
    pub fn set_header(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.headers.iter_mut().find(|header| header.key == key) {
            Some(header) => header.value = value,
            None => self.headers.push(Header::new(key, value)),
        }
    }

    /// Decodes one frame. Never panics, whatever the bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, FrameError> {
        let mut input = Input::new(bytes);
        let mut frame = Frame::default();
        let mut seen = [false; 4];
        while let Some((number, wire)) = input.tag()? {
            match (number, wire) {
                (1, VARINT) => (frame.seq_id, seen[0]) = (input.varint()?, true),
                (2, VARINT) => (frame.log_id, seen[1]) = (input.varint()?, true),
                // int32 travels as a sign-extended varint: the low 32 bits are the value.
                (3, VARINT) => (frame.service, seen[2]) = (input.varint()? as i32, true),
                (4, VARINT) => (frame.method, seen[3]) = (input.varint()? as i32, true),
                (5, LEN) => frame.headers.push(Header::decode(input.bytes()?)?),
                (6, LEN) => {
                    frame.payload_encoding = Some(utf8(input.bytes()?, "payload_encoding")?)
                }
                (7, LEN) => frame.payload_type = Some(utf8(input.bytes()?, "payload_type")?),
                (8, LEN) => frame.payload = Some(input.bytes()?.to_vec()),
                (9, LEN) => frame.log_id_new = Some(utf8(input.bytes()?, "LogIDNew")?),
                // Unknown fields, and known numbers under another wire type,
                // are skipped as the runtimes do.
                _ => input.skip(number, wire, 0)?,
            }
        }
        let names = ["SeqID", "LogID", "service", "method"];
        if let Some(missing) = seen.iter().position(|seen| !seen) {
            return Err(FrameError::MissingField(names[missing]));
        }
        Ok(frame)
    }

    /// Encodes the frame: fields in number order, required ones always.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode_into(&mut out);
        out
    }

    /// Appends the encoded frame to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.reserve(self.encoded_len());
        put_varint_field(out, 1, self.seq_id);
        put_varint_field(out, 2, self.log_id);
        put_varint_field(out, 3, int32(self.service));
        put_varint_field(out, 4, int32(self.method));
        for header in &self.headers {
            put_tag(out, 5, LEN);
            put_varint(out, header.encoded_len() as u64);
            header.encode_into(out);
        }
        let optional = [
            (6, self.payload_encoding.as_deref().map(str::as_bytes)),
            (7, self.payload_type.as_deref().map(str::as_bytes)),
            (8, self.payload.as_deref()),
            (9, self.log_id_new.as_deref().map(str::as_bytes)),
        ];
        for (number, value) in optional {
            if let Some(value) = value {
                put_bytes_field(out, number, value);
            }
        }
    }

    /// The length of [`Frame::encode`]'s output.
    pub fn encoded_len(&self) -> usize {
        let scalars = [
            self.seq_id,
            self.log_id,
            int32(self.service),
            int32(self.method),
        ]
        .iter()
        .map(|value| 1 + varint_len(*value))
        .sum::<usize>();
        let headers = self
            .headers
            .iter()
            .map(|header| bytes_field_len(header.encoded_len()))
            .sum::<usize>();
        let optional = [
            self.payload_encoding.as_ref().map(String::len),
            self.payload_type.as_ref().map(String::len),
            self.payload.as_ref().map(Vec::len),
            self.log_id_new.as_ref().map(String::len),
        ]
        .iter()
        .flatten()
        .map(|len| bytes_field_len(*len))
        .sum::<usize>();
        scalars + headers + optional
    }
}

impl Header {
    fn decode(bytes: &[u8]) -> Result<Self, FrameError> {
        let mut input = Input::new(bytes);
        let (mut key, mut value) = (None, None);
        while let Some((number, wire)) = input.tag()? {
            match (number, wire) {
                (1, LEN) => key = Some(utf8(input.bytes()?, "Header.key")?),
                (2, LEN) => value = Some(utf8(input.bytes()?, "Header.value")?),
                _ => input.skip(number, wire, 0)?,
            }
        }
        Ok(Self {
            key: key.ok_or(FrameError::MissingField("Header.key"))?,
            value: value.ok_or(FrameError::MissingField("Header.value"))?,
        })
    }

    fn encode_into(&self, out: &mut Vec<u8>) {
        put_bytes_field(out, 1, self.key.as_bytes());
        put_bytes_field(out, 2, self.value.as_bytes());
    }

    fn encoded_len(&self) -> usize {
        bytes_field_len(self.key.len()) + bytes_field_len(self.value.len())
    }
}

impl fmt::Display for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

const VARINT: u8 = 0;
const FIXED64: u8 = 1;
const LEN: u8 = 2;
const START_GROUP: u8 = 3;
const END_GROUP: u8 = 4;
const FIXED32: u8 = 5;

/// How deep nested groups are followed while skipping: far more than any
/// sender uses, few enough that hostile input cannot exhaust the stack.
const MAX_GROUP_DEPTH: usize = 32;

/// A cursor over the input; every read is bounds-checked.
struct Input<'a> {
    bytes: &'a [u8],
}

impl<'a> Input<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    /// The next tag, or `None` at the end of the input.
    fn tag(&mut self) -> Result<Option<(u32, u8)>, FrameError> {
        if self.bytes.is_empty() {
            return Ok(None);
        }
        let tag = self.varint()?;
        let number = tag >> 3;
        if number == 0 || number > (1 << 29) - 1 {
            return Err(FrameError::BadFieldNumber);
        }
        // Both casts are in range: checked above, and masked.
        Ok(Some((number as u32, (tag & 7) as u8)))
    }

    fn varint(&mut self) -> Result<u64, FrameError> {
        let mut value = 0u64;
        for (i, byte) in self.bytes.iter().enumerate().take(10) {
            // The tenth byte holds bit 63 only.
            if i == 9 && *byte > 1 {
                return Err(FrameError::BadVarint);
            }
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                self.bytes = &self.bytes[i + 1..];
                return Ok(value);
            }
        }
        if self.bytes.len() >= 10 {
            Err(FrameError::BadVarint)
        } else {
            Err(FrameError::Truncated)
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], FrameError> {
        if len > self.bytes.len() {
            return Err(FrameError::Truncated);
        }
        let (taken, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(taken)
    }

    fn bytes(&mut self) -> Result<&'a [u8], FrameError> {
        let len = self.varint()?;
        let len = usize::try_from(len).map_err(|_| FrameError::Truncated)?;
        self.take(len)
    }

    /// Skips one field's value by its wire type; a group up to its end.
    fn skip(&mut self, number: u32, wire: u8, depth: usize) -> Result<(), FrameError> {
        match wire {
            VARINT => self.varint().map(drop),
            FIXED64 => self.take(8).map(drop),
            LEN => self.bytes().map(drop),
            FIXED32 => self.take(4).map(drop),
            START_GROUP => {
                if depth >= MAX_GROUP_DEPTH {
                    return Err(FrameError::TooDeep);
                }
                loop {
                    match self.tag()? {
                        None => return Err(FrameError::Truncated),
                        Some((end, END_GROUP)) if end == number => return Ok(()),
                        Some((_, END_GROUP)) => return Err(FrameError::BadWireType(END_GROUP)),
                        Some((inner, wire)) => self.skip(inner, wire, depth + 1)?,
                    }
                }
            }
            other => Err(FrameError::BadWireType(other)),
        }
    }
}

fn utf8(bytes: &[u8], field: &'static str) -> Result<String, FrameError> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| FrameError::NotUtf8(field))
}

/// An int32 on the wire: negative values sign-extend to ten bytes.
fn int32(value: i32) -> u64 {
    i64::from(value) as u64
}

fn put_tag(out: &mut Vec<u8>, number: u32, wire: u8) {
    put_varint(out, (u64::from(number) << 3) | u64::from(wire));
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_varint_field(out: &mut Vec<u8>, number: u32, value: u64) {
    put_tag(out, number, VARINT);
    put_varint(out, value);
}

fn put_bytes_field(out: &mut Vec<u8>, number: u32, value: &[u8]) {
    put_tag(out, number, LEN);
    put_varint(out, value.len() as u64);
    out.extend_from_slice(value);
}

fn varint_len(value: u64) -> usize {
    // 1 byte per started group of 7 bits; 0 takes one byte.
    (64 - (value | 1).leading_zeros() as usize).div_ceil(7)
}

/// A length-delimited field of a number below 16: a one-byte tag.
fn bytes_field_len(len: usize) -> usize {
    1 + varint_len(len as u64) + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_lengths() {
        for (value, len) in [(0, 1), (1, 1), (127, 1), (128, 2), (u64::MAX, 10)] {
            let mut out = Vec::new();
            put_varint(&mut out, value);
            assert_eq!(out.len(), len, "{value}");
            assert_eq!(varint_len(value), len, "{value}");
        }
    }

    #[test]
    fn negative_int32_sign_extends() {
        let frame = Frame {
            service: -1,
            method: i32::MIN,
            ..Frame::default()
        };
        let bytes = frame.encode();
        assert_eq!(bytes.len(), frame.encoded_len());
        assert_eq!(Frame::decode(&bytes), Ok(frame));
    }
}
