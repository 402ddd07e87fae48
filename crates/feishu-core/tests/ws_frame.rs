//! The `pbbp2.Frame` codec: the byte-exact
//! vectors of the official protobuf runtime, decoding that skips unknown
//! fields and refuses truncation, and properties: every frame round-trips,
//! and no bytes make the decoder panic.

use feishu_core::long_connection::{Frame, FrameError, Header, METHOD_DATA};
use proptest::prelude::*;

/// `ping`, service 5.
const PING: &str = "08001000180520002a0c0a0474797065120470696e67";
/// SeqID 1, LogID 2, service 3, method 1, headers type=event, message_id=m1,
/// sum=1, seq=0, trace_id=t1, payload `{}`.
const EVENT: &str = "08011002180320012a0d0a047479706512056576656e742a100a0a6d6573736167655f696412026d312a080a0373756d1201312a080a037365711201302a0e0a0874726163655f69641202743142027b7d";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The event's ACK: its bytes with the payload replaced by `biz_rt=0` and
/// `{"code":200}`.
fn ack_vector() -> Vec<u8> {
    let event = EVENT
        .strip_suffix("42027b7d")
        .expect("the payload ends the event");
    hex(&format!(
        "{event}2a0b0a0662697a5f7274120130420c7b22636f6465223a3230307d"
    ))
}

fn event_frame() -> Frame {
    Frame {
        seq_id: 1,
        log_id: 2,
        service: 3,
        method: METHOD_DATA,
        headers: vec![
            Header::new("type", "event"),
            Header::new("message_id", "m1"),
            Header::new("sum", "1"),
            Header::new("seq", "0"),
            Header::new("trace_id", "t1"),
        ],
        payload: Some(b"{}".to_vec()),
        ..Frame::default()
    }
}

#[test]
fn ping_is_byte_exact() {
    let ping = Frame::ping(5);
    assert_eq!(ping.encode(), hex(PING));
    assert_eq!(Frame::decode(&hex(PING)), Ok(ping));
}

#[test]
fn event_is_byte_exact() {
    assert_eq!(event_frame().encode(), hex(EVENT));
    assert_eq!(Frame::decode(&hex(EVENT)), Ok(event_frame()));
}

#[test]
fn ack_is_byte_exact() {
    let mut ack = Frame::decode(&hex(EVENT)).expect("the event vector");
    ack.set_header("biz_rt", "0");
    ack.payload = Some(br#"{"code":200}"#.to_vec());
    assert_eq!(ack.encode(), ack_vector());
}

#[test]
fn required_fields_are_emitted_when_zero() {
    let bytes = Frame::default().encode();
    assert_eq!(bytes, [0x08, 0, 0x10, 0, 0x18, 0, 0x20, 0]);
    assert_eq!(Frame::decode(&bytes), Ok(Frame::default()));
}

#[test]
fn missing_required_fields_are_refused() {
    // The ping without its `method` (0x20 0x00).
    let mut bytes = hex(PING);
    bytes.drain(6..8);
    assert_eq!(
        Frame::decode(&bytes),
        Err(FrameError::MissingField("method"))
    );
    assert_eq!(Frame::decode(&[]), Err(FrameError::MissingField("SeqID")));
    // A header without its value.
    let header_without_value = [0x08, 0, 0x10, 0, 0x18, 0, 0x20, 0, 0x2a, 3, 0x0a, 1, b'k'];
    assert_eq!(
        Frame::decode(&header_without_value),
        Err(FrameError::MissingField("Header.value"))
    );
}

#[test]
fn every_cut_of_the_event_is_refused_or_a_shorter_frame() {
    let bytes = hex(EVENT);
    for end in 0..bytes.len() {
        match Frame::decode(&bytes[..end]) {
            // A cut between fields leaves fewer fields, never other values.
            Ok(frame) => {
                assert_eq!((frame.seq_id, frame.log_id, frame.service), (1, 2, 3));
                assert!(frame.payload.is_none(), "cut at {end}");
            }
            Err(error) => assert!(
                matches!(error, FrameError::Truncated | FrameError::MissingField(_)),
                "cut at {end}: {error:?}"
            ),
        }
    }
    // Inside the payload: truncated.
    assert_eq!(
        Frame::decode(&bytes[..bytes.len() - 1]),
        Err(FrameError::Truncated)
    );
}

#[test]
fn unknown_fields_of_every_wire_type_are_skipped() {
    let mut bytes = hex(EVENT);
    // Field 15 varint, 16 fixed64, 17 bytes, 18 fixed32, 19 a group holding a
    // varint and a nested group, then field 5 under a wrong wire type.
    let unknown: &[u8] = &[
        0x78, 0x96, 0x01, // 15: varint 150
        0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, // 16: fixed64
        0x8a, 0x01, 3, b'a', b'b', b'c', // 17: bytes
        0x95, 0x01, 9, 9, 9, 9, // 18: fixed32
        0x9b, 0x01, 0x08, 0x01, 0xa3, 0x01, 0xa4, 0x01, 0x9c,
        0x01, // 19: group { 1: 1, 20: group {} }
        0x28, 0x07, // 5 as a varint: not a header, skipped
    ];
    bytes.splice(4..4, unknown.iter().copied());
    assert_eq!(Frame::decode(&bytes), Ok(event_frame()));
}

#[test]
fn malformed_input_is_refused_by_kind() {
    let ping = hex(PING);
    let with = |extra: &[u8]| [ping.as_slice(), extra].concat();
    assert_eq!(
        Frame::decode(&with(&[0x07])),
        Err(FrameError::BadFieldNumber)
    );
    assert_eq!(
        Frame::decode(&with(&[0x0e, 0])),
        Err(FrameError::BadWireType(6))
    );
    assert_eq!(
        Frame::decode(&with(&[0x0c])),
        Err(FrameError::BadWireType(4))
    );
    assert_eq!(
        Frame::decode(&with(&[0x00])),
        Err(FrameError::BadFieldNumber)
    );
    assert_eq!(
        Frame::decode(&with(&[0x0b, 0x08, 0x01])),
        Err(FrameError::Truncated)
    );
    assert_eq!(
        Frame::decode(&with(&[0x0b, 0x14])),
        Err(FrameError::BadWireType(4))
    );
    assert_eq!(
        Frame::decode(&with(&[0x08; 11])),
        Err(FrameError::Truncated)
    );
    let eleven = [
        0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ];
    assert_eq!(Frame::decode(&with(&eleven)), Err(FrameError::BadVarint));
    let overflow = [
        0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
    ];
    assert_eq!(Frame::decode(&with(&overflow)), Err(FrameError::BadVarint));
    assert_eq!(
        Frame::decode(&with(&[0x42, 0x05, b'{'])),
        Err(FrameError::Truncated)
    );
    assert_eq!(
        Frame::decode(&with(&[0x42, 0xff, 0xff, 0xff, 0xff, 0x0f])),
        Err(FrameError::Truncated)
    );
    assert_eq!(
        Frame::decode(&with(&[0x32, 0x01, 0xff])),
        Err(FrameError::NotUtf8("payload_encoding"))
    );
    // Groups nested past the bound are refused, not followed to a stack overflow.
    let deep: Vec<u8> = std::iter::repeat_n(0x0b, 100).collect();
    assert_eq!(Frame::decode(&with(&deep)), Err(FrameError::TooDeep));
}

#[test]
fn sixty_four_bit_ids_survive_and_int32_ids_read_back() {
    let frame = Frame {
        seq_id: u64::MAX,
        log_id: 1 << 63,
        service: i32::MIN,
        method: -1,
        ..Frame::default()
    };
    assert_eq!(Frame::decode(&frame.encode()), Ok(frame));
    // A peer that writes SeqID as a negative int32 sends its ten-byte
    // sign extension: the decoder keeps all 64 bits.
    let mut bytes = vec![0x08];
    bytes.extend([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    bytes.extend([0x10, 0, 0x18, 0, 0x20, 1]);
    assert_eq!(Frame::decode(&bytes).map(|f| f.seq_id), Ok(u64::MAX));
}

#[test]
fn later_scalars_win_and_headers_accumulate() {
    let mut bytes = hex(PING);
    bytes.extend([0x18, 0x07, 0x2a, 0x06, 0x0a, 1, b'a', 0x12, 1, b'b']);
    let frame = Frame::decode(&bytes).expect("a frame");
    assert_eq!(frame.service, 7);
    assert_eq!(frame.headers.len(), 2);
    assert_eq!(frame.header("a"), Some("b"));
}

fn any_frame() -> impl Strategy<Value = Frame> {
    let headers = proptest::collection::vec((".{0,12}", ".{0,24}"), 0..8);
    (
        any::<u64>(),
        any::<u64>(),
        any::<i32>(),
        any::<i32>(),
        headers,
        proptest::option::of(".{0,8}"),
        proptest::option::of(".{0,8}"),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..300)),
        proptest::option::of(".{0,16}"),
    )
        .prop_map(
            |(seq_id, log_id, service, method, headers, encoding, kind, payload, log_id_new)| {
                Frame {
                    seq_id,
                    log_id,
                    service,
                    method,
                    headers: headers
                        .into_iter()
                        .map(|(key, value)| Header::new(key, value))
                        .collect(),
                    payload_encoding: encoding,
                    payload_type: kind,
                    payload,
                    log_id_new,
                }
            },
        )
}

proptest! {
    #[test]
    fn every_frame_round_trips(frame in any_frame()) {
        let bytes = frame.encode();
        prop_assert_eq!(bytes.len(), frame.encoded_len());
        prop_assert_eq!(Frame::decode(&bytes), Ok(frame));
    }

    #[test]
    fn any_bytes_decode_or_fail_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(frame) = Frame::decode(&bytes) {
            // Whatever decoded encodes and decodes to itself.
            prop_assert_eq!(Frame::decode(&frame.encode()), Ok(frame));
        }
    }

    #[test]
    fn a_frame_cut_inside_its_payload_is_truncated(
        frame in any_frame(),
        payload in proptest::collection::vec(any::<u8>(), 1..300),
        cut in any::<prop::sample::Index>(),
    ) {
        let frame = Frame { payload: Some(payload.clone()), log_id_new: None, ..frame };
        let bytes = frame.encode();
        let start = bytes.len() - payload.len();
        let end = start + cut.index(payload.len());
        prop_assert_eq!(Frame::decode(&bytes[..end]), Err(FrameError::Truncated));
    }

    #[test]
    fn corrupted_frames_never_panic(frame in any_frame(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = frame.encode();
        let at = at.index(bytes.len());
        bytes[at] = byte;
        let _ = Frame::decode(&bytes);
    }
}
