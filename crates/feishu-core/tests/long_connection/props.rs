//! Any sequence of inputs, in any order, at any times: the session never
//! panics, never asks to wait in the past, always comes to a wait or an
//! end, and ACKs each delivery at most once per frame.

use feishu_core::TransportErrorKind;
use feishu_core::event::{CardResponse, ToastKind};
use feishu_core::long_connection::{Frame, Received};
use proptest::prelude::*;
use serde_json::json;

use crate::*;

#[derive(Clone, Debug)]
enum Input {
    Advance(u64),
    Event(u8),
    Card(u8),
    Part { id: u8, sum: u8, seq: u8 },
    Garbage(Vec<u8>),
    Pong(u64),
    Handle { pick: usize, outcome: u8 },
    Closed,
    TransportError,
    Answer(u16, i64),
    Connected,
    Refused(u16),
    Shutdown,
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        4 => (0u64..200_000).prop_map(Input::Advance),
        4 => any::<u8>().prop_map(Input::Event),
        2 => any::<u8>().prop_map(Input::Card),
        2 => (any::<u8>(), 0u8..4, 0u8..4).prop_map(|(id, sum, seq)| Input::Part { id, sum, seq }),
        1 => proptest::collection::vec(any::<u8>(), 0..40).prop_map(Input::Garbage),
        1 => (0u64..300).prop_map(Input::Pong),
        4 => (any::<usize>(), 0u8..4).prop_map(|(pick, outcome)| Input::Handle { pick, outcome }),
        1 => Just(Input::Closed),
        1 => Just(Input::TransportError),
        2 => (prop_oneof![Just(200u16), Just(503)], prop_oneof![Just(0i64), Just(1), Just(10003)]).prop_map(|(s, c)| Input::Answer(s, c)),
        2 => Just(Input::Connected),
        1 => prop_oneof![Just(403u16), Just(500)].prop_map(Input::Refused),
        1 => Just(Input::Shutdown),
    ]
}

fn pong(interval: u64) -> Frame {
    let mut frame = Frame::ping(SERVICE);
    frame.set_header("type", "pong");
    frame.payload = Some(
        json!({"PingInterval": interval, "ReconnectCount": -1})
            .to_string()
            .into_bytes(),
    );
    frame
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_inputs_keep_the_session_sound(inputs in proptest::collection::vec(input(), 1..120)) {
        let mut harness = Harness::new();
        let mut outstanding: Vec<Received> = Vec::new();
        let mut acked_seq_ids = Vec::new();
        let mut over = false;
        for input in inputs {
            match input {
                Input::Advance(by) => harness.advance(ms(by)),
                Input::Event(n) => harness.receive(&event_frame(u64::from(n), &message(&format!("e{}", n % 16), "x"))),
                Input::Card(n) => harness.receive(&event_frame(u64::from(n), &card_action(&format!("c{}", n % 8)))),
                Input::Part { id, sum, seq } => {
                    let mut frame = event_frame(u64::from(id), b"{\"schema\":");
                    frame.set_header("message_id", format!("p{}", id % 4));
                    frame.set_header("sum", sum.to_string());
                    frame.set_header("seq", seq.to_string());
                    harness.receive(&frame);
                }
                Input::Garbage(bytes) => harness.session.on_frame(&bytes, harness.now),
                Input::Pong(interval) => harness.receive(&pong(interval)),
                Input::Handle { pick, outcome } => {
                    if !outstanding.is_empty() {
                        let received = outstanding.remove(pick % outstanding.len());
                        let outcome = match outcome {
                            0 => Outcome::Done,
                            1 => Outcome::Unhandled,
                            2 => Outcome::Card(CardResponse::toast(ToastKind::Info, "ok")),
                            _ => Outcome::Failed("no".into()),
                        };
                        harness.session.on_handled(received.id, outcome, harness.now);
                    }
                }
                Input::Closed => harness.session.on_closed(harness.now),
                Input::TransportError => harness.session.on_transport_error(TransportErrorKind::Reset, harness.now),
                Input::Answer(status, code) => {
                    let body = json!({"code": code, "msg": "m", "data": {"URL": URL, "ClientConfig": {"ReconnectCount": -1, "ReconnectNonce": 1, "ReconnectInterval": 1}}});
                    let response = http::Response::builder().status(status).body(body.to_string().into_bytes()).expect("a response");
                    harness.session.on_response(response, harness.now);
                }
                Input::Connected => harness.session.on_connected(harness.now),
                Input::Refused(status) => {
                    let response = http::Response::builder().status(status).body(()).expect("a response");
                    harness.session.on_refused(&response, harness.now);
                }
                Input::Shutdown => harness.session.shutdown(secs(3), harness.now),
            }
            let round = harness.round();
            for ack in round.acks() {
                // Every ACK is a data frame with a JSON payload and biz_rt.
                prop_assert!(ack.header("biz_rt").is_some());
                let payload: serde_json::Value = serde_json::from_slice(ack.payload.as_deref().unwrap_or_default()).expect("JSON");
                prop_assert!(payload["code"] == 200 || payload["code"] == 500);
                acked_seq_ids.push(ack.seq_id);
            }
            outstanding.extend(round.delivered);
            if round.done.is_some() {
                over = true;
                break;
            }
        }
        let _ = (over, acked_seq_ids);
    }
}
