//! The `pbbp2.Frame` of the long connection, encoded and decoded here (not
//! borrowed from feishu-core, so the two must agree): fields 1–4 varints,
//! 5 repeated `Header {1: key, 2: value}`, 6–9 length-delimited.

/// `method` of ping and pong frames.
pub(crate) const CONTROL: i32 = 0;
/// `method` of events and their ACKs.
pub(crate) const DATA: i32 = 1;

/// One frame, as the mock sends and reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Frame {
    pub(crate) seq_id: u64,
    pub(crate) log_id: u64,
    pub(crate) service: i32,
    pub(crate) method: i32,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) payload_encoding: Option<String>,
    pub(crate) payload: Option<Vec<u8>>,
}

impl Frame {
    pub(crate) fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.payload.as_ref().map_or(0, Vec::len));
        for (number, value) in [
            (1, self.seq_id),
            (2, self.log_id),
            // int32 goes out sign-extended to 64 bits, as protobuf does.
            (3, i64::from(self.service) as u64),
            (4, i64::from(self.method) as u64),
        ] {
            varint(&mut out, number << 3);
            varint(&mut out, value);
        }
        for (key, value) in &self.headers {
            let mut header = Vec::with_capacity(key.len() + value.len() + 4);
            bytes(&mut header, 1, key.as_bytes());
            bytes(&mut header, 2, value.as_bytes());
            bytes(&mut out, 5, &header);
        }
        if let Some(encoding) = &self.payload_encoding {
            bytes(&mut out, 6, encoding.as_bytes());
        }
        if let Some(payload) = &self.payload {
            bytes(&mut out, 8, payload);
        }
        out
    }

    /// The frame in `input`; `None` if it is not one.
    pub(crate) fn decode(input: &[u8]) -> Option<Frame> {
        let mut frame = Frame::default();
        let mut reader = Reader(input);
        while !reader.0.is_empty() {
            let tag = reader.varint()?;
            match (tag >> 3, tag & 7) {
                (1, 0) => frame.seq_id = reader.varint()?,
                (2, 0) => frame.log_id = reader.varint()?,
                (3, 0) => frame.service = reader.varint()? as i32,
                (4, 0) => frame.method = reader.varint()? as i32,
                (5, 2) => {
                    let mut header = Reader(reader.bytes()?);
                    let (mut key, mut value) = (String::new(), String::new());
                    while !header.0.is_empty() {
                        match header.varint()? {
                            0x0a => key = String::from_utf8(header.bytes()?.to_vec()).ok()?,
                            0x12 => value = String::from_utf8(header.bytes()?.to_vec()).ok()?,
                            _ => return None,
                        }
                    }
                    frame.headers.push((key, value));
                }
                (6, 2) => {
                    frame.payload_encoding = Some(String::from_utf8(reader.bytes()?.to_vec()).ok()?)
                }
                (8, 2) => frame.payload = Some(reader.bytes()?.to_vec()),
                (_, 0) => drop(reader.varint()?),
                (_, 2) => drop(reader.bytes()?),
                _ => return None,
            }
        }
        Some(frame)
    }
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn bytes(out: &mut Vec<u8>, number: u64, value: &[u8]) {
    varint(out, (number << 3) | 2);
    varint(out, value.len() as u64);
    out.extend_from_slice(value);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.0.split_first()?;
            self.0 = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.varint()?).ok()?;
        if len > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_protocol_vectors() {
        let ping = Frame {
            service: 5,
            headers: vec![("type".into(), "ping".into())],
            ..Frame::default()
        };
        let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(&ping.encode()),
            "08001000180520002a0c0a0474797065120470696e67"
        );
        let event = Frame {
            seq_id: 1,
            log_id: 2,
            service: 3,
            method: DATA,
            headers: [
                ("type", "event"),
                ("message_id", "m1"),
                ("sum", "1"),
                ("seq", "0"),
                ("trace_id", "t1"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .to_vec(),
            payload: Some(b"{}".to_vec()),
            ..Frame::default()
        };
        let bytes = event.encode();
        assert_eq!(
            hex(&bytes),
            "08011002180320012a0d0a047479706512056576656e742a100a0a6d6573736167655f696412026d312a080a0373756d1201312a080a037365711201302a0e0a0874726163655f69641202743142027b7d"
        );
        assert_eq!(Frame::decode(&bytes), Some(event));
        assert_eq!(Frame::decode(&bytes[..bytes.len() - 1]), None);
    }
}
