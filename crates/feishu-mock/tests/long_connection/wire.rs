//! A `pbbp2.Frame` reader and writer of the test's own: varints 1–4,
//! headers 5, encoding 6, payload 8.

#[derive(Clone, Debug, Default)]
pub struct Frame {
    pub seq_id: u64,
    pub log_id: u64,
    pub service: i32,
    pub method: i32,
    pub headers: Vec<(String, String)>,
    pub payload_encoding: Option<String>,
    pub payload: Vec<u8>,
}

impl Frame {
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn decode(mut bytes: &[u8]) -> Frame {
        let mut frame = Frame::default();
        while !bytes.is_empty() {
            let tag = varint(&mut bytes);
            match tag {
                0x08 => frame.seq_id = varint(&mut bytes),
                0x10 => frame.log_id = varint(&mut bytes),
                0x18 => frame.service = varint(&mut bytes) as i32,
                0x20 => frame.method = varint(&mut bytes) as i32,
                0x2a => {
                    let mut header = field(&mut bytes);
                    let (mut key, mut value) = (String::new(), String::new());
                    while !header.is_empty() {
                        let tag = varint(&mut header);
                        let text = String::from_utf8(field(&mut header).to_vec()).expect("UTF-8");
                        if tag == 0x0a {
                            key = text
                        } else {
                            value = text
                        }
                    }
                    frame.headers.push((key, value));
                }
                0x32 => {
                    frame.payload_encoding =
                        Some(String::from_utf8(field(&mut bytes).to_vec()).expect("UTF-8"))
                }
                0x42 => frame.payload = field(&mut bytes).to_vec(),
                other => panic!("unexpected tag {other:#x}"),
            }
        }
        frame
    }
}

pub fn encode(frame: &Frame) -> Vec<u8> {
    let mut out = Vec::new();
    for (tag, value) in [
        (0x08, frame.seq_id),
        (0x10, frame.log_id),
        (0x18, frame.service as u64),
        (0x20, frame.method as u64),
    ] {
        out.push(tag);
        put_varint(&mut out, value);
    }
    for (key, value) in &frame.headers {
        let mut header = Vec::new();
        put_field(&mut header, 0x0a, key.as_bytes());
        put_field(&mut header, 0x12, value.as_bytes());
        put_field(&mut out, 0x2a, &header);
    }
    if let Some(encoding) = &frame.payload_encoding {
        put_field(&mut out, 0x32, encoding.as_bytes());
    }
    put_field(&mut out, 0x42, &frame.payload);
    out
}

fn varint(bytes: &mut &[u8]) -> u64 {
    let mut value = 0;
    for shift in (0..64).step_by(7) {
        let byte = bytes[0];
        *bytes = &bytes[1..];
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            break;
        }
    }
    value
}

fn field<'a>(bytes: &mut &'a [u8]) -> &'a [u8] {
    let len = varint(bytes) as usize;
    let (head, rest) = bytes.split_at(len);
    *bytes = rest;
    head
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_field(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    out.push(tag);
    put_varint(out, value.len() as u64);
    out.extend_from_slice(value);
}
