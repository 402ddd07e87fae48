//! The card streaming machine on a simulated clock, against a fake Feishu
//! (`fake.rs`) that judges every request the way CardKit does.
//!
//! The machine's promises, each checked here: the card ends with the full
//! text and streaming off, also when the producer fails; every operation's
//! `sequence` is above the last; no second of Feishu's clock sees more than
//! ten operations on the card, however long each takes; unchanged text is
//! not written again; odd input (empty or huge chunks, control characters)
//! neither panics nor breaks a limit.

mod drivers;
mod fake;

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fake::{CARD_ID, Fake, Kind, MESSAGE_ID};
use feishu_core::card::{CardV2, ElementId, Header, Markdown, PlainText};
use feishu_core::cardkit::codes;
use feishu_core::cardkit::stream::{
    CardStream, DEFAULT_ELEMENT_ID, Next, Stage, StreamError, StreamRequest, Streamed, Target,
};
use feishu_core::{Config, Endpoint, Error, Secret};
use proptest::prelude::*;

const MS: Duration = Duration::from_millis(1);

/// What the producer does, and when (after the previous event).
#[derive(Clone, Debug)]
enum Event {
    Chunk(String),
    Finish,
    Fail,
}

/// How long Feishu takes: to receive a request, and to answer it.
type Latency = Box<dyn FnMut(usize) -> (Duration, Duration)>;

struct Sim {
    now: SystemTime,
    fake: Fake,
    latency: Latency,
    /// Every request the machine handed out, with the time.
    sent: Vec<(SystemTime, Kind)>,
}

impl Sim {
    fn new(element_id: &str) -> Self {
        Self {
            now: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            fake: Fake::new(element_id),
            latency: Box::new(|_| (10 * MS, 40 * MS)),
            sent: Vec::new(),
        }
    }

    /// Drives `stream` the way an async adapter does: chunks that arrive
    /// while a request is out are pushed as soon as it is answered.
    fn run(
        &mut self,
        stream: &mut CardStream,
        events: &[(Duration, Event)],
    ) -> Result<Streamed, StreamError> {
        let mut at = self.now;
        let mut queue: VecDeque<(SystemTime, Event)> = events
            .iter()
            .map(|(gap, event)| {
                at += *gap;
                (at, event.clone())
            })
            .collect();
        for step in 0.. {
            assert!(step < 2_000_000, "the stream does not end");
            while queue.front().is_some_and(|(when, _)| *when <= self.now) {
                match queue.pop_front().map(|(_, event)| event) {
                    Some(Event::Chunk(chunk)) => stream.push(&chunk),
                    Some(Event::Finish) => stream.finish(),
                    Some(Event::Fail) => stream.fail(),
                    None => {}
                }
            }
            match stream.poll(self.now) {
                Next::Send(request) => {
                    let kind = kind_of(&request);
                    self.sent.push((self.now, kind));
                    let (receive, answer) = (self.latency)(self.sent.len());
                    let http =
                        feishu_core::build(&Config::feishu(), &request, Some(&Secret::new("t-x")));
                    let answer = match http {
                        Ok(http) => {
                            let response = self.fake.handle(&http, self.now + receive);
                            self.now += answer.max(receive);
                            request.parse(response).map_err(Error::from)
                        }
                        Err(error) => Err(error),
                    };
                    stream.on_answer(answer, self.now);
                }
                Next::WaitForChunk { until } => {
                    let next = queue.front().map(|(when, _)| *when);
                    self.now = match (until, next) {
                        (Some(until), Some(next)) => until.min(next).max(self.now),
                        (Some(until), None) => until.max(self.now),
                        (None, Some(next)) => next.max(self.now),
                        (None, None) => panic!("the stream waits for a producer that is done"),
                    };
                }
                Next::Wait(until) => {
                    assert!(until >= self.now, "a wait into the past");
                    self.now = until;
                }
                Next::Done(result) => return result,
            }
        }
        unreachable!()
    }
}

fn kind_of(request: &StreamRequest) -> Kind {
    match request.metadata().id {
        "cardkit.v1.card.create" => Kind::Create,
        "im.v1.message.create" | "im.v1.message.reply" => Kind::Send,
        "cardkit.v1.card_element.content" => Kind::Content,
        "cardkit.v1.card_element.update" => Kind::UpdateElement,
        "cardkit.v1.card.settings" => Kind::Settings,
        _ => Kind::Other,
    }
}

fn chunks(texts: &[&str], gap: Duration) -> Vec<(Duration, Event)> {
    let mut events: Vec<_> = texts
        .iter()
        .map(|text| (gap, Event::Chunk((*text).to_owned())))
        .collect();
    events.push((gap, Event::Finish));
    events
}

fn reply_stream(seed: u64) -> CardStream {
    CardStream::new(Target::reply("om_dc13264520392913993dd051dba21dcf"), seed)
}

/// What must hold after any stream: sequences increase, no second holds
/// more than ten operations, every uuid is fresh, writes keep their pause,
/// and the last operation turned streaming off.
fn assert_invariants(sim: &Sim) {
    let fake = &sim.fake;
    assert_eq!(fake.rate_violations, 0, "the card's rate was exceeded");
    let sequences: Vec<i64> = fake.ops.iter().filter_map(|op| op.sequence).collect();
    assert!(sequences.first().is_none_or(|&first| first >= 1));
    assert!(
        sequences.windows(2).all(|pair| pair[0] < pair[1]),
        "sequences do not increase: {sequences:?}"
    );
    let times: Vec<SystemTime> = fake.ops.iter().map(|op| op.at).collect();
    for (i, &start) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .take_while(|&&t| t < start + Duration::from_secs(1))
            .count();
        assert!(in_window <= 10, "{in_window} operations within a second");
    }
    let uuids: Vec<&String> = fake.ops.iter().filter_map(|op| op.uuid.as_ref()).collect();
    let distinct: HashSet<_> = uuids.iter().collect();
    assert_eq!(distinct.len(), uuids.len(), "a uuid was used twice");
    let writes: Vec<SystemTime> = sim
        .sent
        .iter()
        .filter(|(_, kind)| matches!(kind, Kind::Content | Kind::UpdateElement))
        .map(|(at, _)| *at)
        .collect();
    for pair in writes.windows(2) {
        let gap = pair[1].duration_since(pair[0]).unwrap_or_default();
        assert!(gap >= 250 * MS, "writes {gap:?} apart");
    }
    if let Some(last) = fake.ops.last().filter(|_| fake.card.is_some()) {
        assert_eq!(last.kind, Kind::Settings, "the last operation is the close");
    }
}

#[test]
fn two_thousand_small_chunks_end_as_their_concatenation() {
    let pieces: Vec<String> = (0..2000).map(|i| format!("w{i} ")).collect();
    let texts: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let expected: String = pieces.concat();
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    // Feishu takes 5–200 ms, varying; chunks come every 5 ms for 10 s.
    sim.latency = Box::new(|n| {
        let receive = Duration::from_millis((n as u64 * 37) % 150);
        (
            receive,
            receive + Duration::from_millis((n as u64 * 53) % 50 + 5),
        )
    });
    let mut stream = reply_stream(1);
    let streamed = sim
        .run(&mut stream, &chunks(&texts, 5 * MS))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.fake.shown(), expected);
    assert!(!sim.fake.streaming, "streaming is off at the end");
    assert_eq!(streamed.chars_written, expected.chars().count());
    assert_eq!(streamed.card_id.as_str(), CARD_ID);
    assert_eq!(streamed.message_id, MESSAGE_ID);
    assert_eq!(streamed.dropped_chars, 0);
    assert!(!streamed.producer_failed);
    assert_invariants(&sim);
    // About four writes a second over ten seconds, not two thousand.
    let writes = sim
        .fake
        .ops
        .iter()
        .filter(|op| op.kind == Kind::Content)
        .count();
    assert!((20..=45).contains(&writes), "{writes} writes");
    assert_eq!(streamed.operations as usize, writes + 1);
    // Every write extends the one before: the prefix rule.
    let contents: Vec<&String> = sim
        .fake
        .ops
        .iter()
        .filter_map(|op| op.content.as_ref())
        .collect();
    assert!(
        contents
            .windows(2)
            .all(|pair| pair[1].starts_with(pair[0].as_str()))
    );
}

#[test]
fn a_producer_that_fails_leaves_a_closed_card_with_the_text_so_far() {
    let mut events: Vec<(Duration, Event)> = (0..500)
        .map(|i| (7 * MS, Event::Chunk(format!("{i},"))))
        .collect();
    events.push((3 * MS, Event::Fail));
    events.push((1 * MS, Event::Chunk("after the end".into())));
    let expected: String = (0..500).map(|i| format!("{i},")).collect();
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    let mut stream = reply_stream(2);
    let streamed = sim
        .run(&mut stream, &events)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(streamed.producer_failed);
    assert_eq!(sim.fake.shown(), expected);
    assert!(!sim.fake.streaming);
    assert_eq!(streamed.dropped_chars, "after the end".len());
    assert_invariants(&sim);
}

#[test]
fn unchanged_text_is_not_written_again() {
    let mut events = vec![(300 * MS, Event::Chunk("abc".into()))];
    for _ in 0..10 {
        events.push((Duration::from_secs(1), Event::Chunk(String::new())));
    }
    events.push((Duration::from_secs(1), Event::Finish));
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    let mut stream = reply_stream(3);
    let streamed = sim
        .run(&mut stream, &events)
        .unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<Kind> = sim.fake.ops.iter().map(|op| op.kind).collect();
    assert_eq!(kinds, [Kind::Create, Kind::Content, Kind::Settings]);
    assert_eq!(sim.fake.shown(), "abc");
    assert_eq!(streamed.operations, 2);
}

#[test]
fn text_before_the_card_exists_goes_out_with_it() {
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    let mut stream = reply_stream(4);
    stream.push("all of it");
    stream.finish();
    let streamed = sim.run(&mut stream, &[]).unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<Kind> = sim.fake.ops.iter().map(|op| op.kind).collect();
    assert_eq!(kinds, [Kind::Create, Kind::Settings], "no write needed");
    assert_eq!(sim.fake.shown(), "all of it");
    assert_eq!(streamed.chars_written, 9);
}

#[test]
fn an_empty_answer_closes_the_card_without_writing() {
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    let mut stream = reply_stream(5);
    let streamed = sim
        .run(&mut stream, &chunks(&["", "", ""], 10 * MS))
        .unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<Kind> = sim.fake.ops.iter().map(|op| op.kind).collect();
    assert_eq!(kinds, [Kind::Create, Kind::Settings]);
    assert_eq!(streamed.chars_written, 0);
    assert!(!sim.fake.streaming);
}

#[test]
fn huge_chunks_are_cut_at_the_card_limits() {
    let huge = "a".repeat(200_000);
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    let mut stream = reply_stream(6);
    let streamed = sim
        .run(&mut stream, &chunks(&["start ", &huge, "more"], 10 * MS))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(sim.fake.refusals.is_empty(), "{:?}", sim.fake.refusals);
    let shown = sim.fake.shown().to_owned();
    assert!(shown.starts_with("start aaa"));
    assert_eq!(streamed.chars_written, shown.chars().count());
    assert_eq!(
        streamed.chars_written + streamed.dropped_chars,
        6 + 200_000 + 4
    );
    // The card with its text is 30 KB to the byte: one more `a` would not fit.
    let mut card = sim.fake.card.clone().unwrap_or_default();
    card["body"]["elements"][0]["content"] = shown.clone().into();
    assert_eq!(card.to_string().len(), 30 * 1024);
    assert_invariants(&sim);

    // The character limit, lowered.
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    let mut stream = reply_stream(7).max_chars(10);
    let streamed = sim
        .run(&mut stream, &chunks(&["中文字符", "🦀🦀🦀🦀🦀🦀"], 10 * MS))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.fake.shown(), "中文字符🦀🦀🦀🦀🦀🦀");
    assert_eq!(streamed.dropped_chars, 0);
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    let mut stream = reply_stream(7).max_chars(5);
    let streamed = sim
        .run(&mut stream, &chunks(&["中文字符", "🦀🦀"], 10 * MS))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.fake.shown(), "中文字符🦀");
    assert_eq!(streamed.dropped_chars, 1);
}

#[test]
fn control_characters_and_quotes_arrive_intact() {
    let odd = [
        "\"quoted\"",
        "\\back\\",
        "\n\t\r",
        "\u{0}\u{1f}",
        "<at id=all></at>",
        "🦀",
    ];
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    let mut stream = reply_stream(8);
    sim.run(&mut stream, &chunks(&odd, 100 * MS))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.fake.shown(), odd.concat());
    assert_invariants(&sim);
}

#[test]
fn a_failed_write_is_repaired_by_the_next() {
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    sim.fake.faults.insert((Kind::Content, 1), (500, 300120));
    sim.fake
        .faults
        .insert((Kind::Content, 2), (400, codes::SEQUENCE_NOT_INCREASING));
    let texts: Vec<String> = (0..40).map(|i| format!("{i} ")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut stream = reply_stream(9);
    let streamed = sim
        .run(&mut stream, &chunks(&texts, 50 * MS))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.fake.shown(), texts.concat());
    assert_eq!(streamed.failed_writes, 2);
    assert_invariants(&sim);
}

#[test]
fn writes_that_keep_failing_end_the_stream_closed() {
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    for n in 0..100 {
        sim.fake.faults.insert((Kind::Content, n), (500, 300120));
    }
    let texts: Vec<String> = (0..100).map(|i| format!("{i} ")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut stream = reply_stream(10);
    let error = sim
        .run(&mut stream, &chunks(&texts, 50 * MS))
        .expect_err("the writes failed");
    assert_eq!(error.stage, Stage::Write);
    assert_eq!(error.card_id.as_ref().map(|id| id.as_str()), Some(CARD_ID));
    assert_eq!(error.message_id.as_deref(), Some(MESSAGE_ID));
    assert!(!sim.fake.streaming, "closed although writing failed");
    let writes = sim
        .fake
        .ops
        .iter()
        .filter(|op| op.kind == Kind::Content)
        .count();
    assert_eq!(writes, 3, "three tries, then the close");
    assert_invariants(&sim);
}

#[test]
fn when_feishu_ends_streaming_the_text_still_arrives() {
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    sim.fake.streaming_ends_after = Some(3);
    let texts: Vec<String> = (0..60).map(|i| format!("{i} ")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut stream = reply_stream(11);
    let streamed = sim
        .run(&mut stream, &chunks(&texts, 40 * MS))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(streamed.fell_back);
    assert_eq!(sim.fake.shown(), texts.concat());
    assert!(sim.fake.ops.iter().any(|op| op.kind == Kind::UpdateElement));
    assert_eq!(sim.fake.refusals, [codes::STREAMING_TIMEOUT]);
    assert_invariants(&sim);
}

#[test]
fn a_card_that_cannot_be_created_or_sent_ends_the_stream() {
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    sim.fake.faults.insert((Kind::Create, 0), (400, 99991672));
    let mut stream = reply_stream(12);
    let error = sim
        .run(&mut stream, &chunks(&["x"], MS))
        .expect_err("no card");
    assert_eq!(error.stage, Stage::Create);
    assert!(error.card_id.is_none());
    assert_eq!(sim.sent.len(), 1, "nothing after the failed create");

    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    sim.fake.faults.insert((Kind::Send, 0), (400, 230002));
    let mut stream = reply_stream(13);
    let error = sim
        .run(&mut stream, &chunks(&["x"], MS))
        .expect_err("not sent");
    assert_eq!(error.stage, Stage::Send);
    assert_eq!(error.card_id.as_ref().map(|id| id.as_str()), Some(CARD_ID));
    assert!(error.to_string().contains("sending the card"));
}

#[test]
fn ten_operations_a_second_even_with_a_short_interval() {
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    // Feishu answers at once: only the rate holds the writes back.
    sim.latency = Box::new(|_| (Duration::ZERO, Duration::ZERO));
    let texts: Vec<String> = (0..3000).map(|i| format!("{i}")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut stream = reply_stream(14).interval(Duration::ZERO);
    sim.run(&mut stream, &chunks(&texts, MS))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.fake.rate_violations, 0);
    let writes = sim
        .fake
        .ops
        .iter()
        .filter(|op| op.kind == Kind::Content)
        .count();
    assert!(writes >= 25, "{writes} writes in 3 s");
    assert_eq!(sim.fake.shown(), texts.concat());

    // A slow request that Feishu receives late, followed by quick ones: timed
    // by when they were sent, the eleventh would land in the slow one's
    // second; timed by their answers, none does.
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    sim.latency = Box::new(|n| {
        if n % 11 == 3 {
            (900 * MS, 900 * MS)
        } else {
            (Duration::ZERO, Duration::ZERO)
        }
    });
    let mut stream = reply_stream(23).interval(Duration::ZERO);
    sim.run(&mut stream, &chunks(&texts, MS))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.fake.rate_violations, 0);
    assert_eq!(sim.fake.shown(), texts.concat());

    // Lowered for the rest of the card's traffic.
    let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
    sim.latency = Box::new(|_| (Duration::ZERO, Duration::ZERO));
    let mut stream = reply_stream(15)
        .interval(Duration::ZERO)
        .max_operations_per_second(2);
    sim.run(&mut stream, &chunks(&texts[..1000], MS))
        .unwrap_or_else(|e| panic!("{e}"));
    let times: Vec<SystemTime> = sim.fake.ops.iter().map(|op| op.at).collect();
    for (i, &start) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .take_while(|&&t| t < start + Duration::from_secs(1))
            .count();
        assert!(in_window <= 2);
    }
}

#[test]
fn a_card_of_ones_own_with_a_placeholder_and_summary() {
    let card = CardV2::new()
        .header(Header::new("Answer"))
        .add(Markdown::new("_Thinking…_").id("answer"))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!card.is_streaming());
    let answer = ElementId::new("answer").unwrap_or_else(|e| panic!("{e}"));
    let mut stream = CardStream::new(Target::to("oc_5ad11d72b830411d72b836c20"), 16)
        .with_card(card.clone(), answer.clone())
        .unwrap_or_else(|e| panic!("{e}"))
        .close_summary("The answer");
    let mut sim = Sim::new("answer");
    sim.run(&mut stream, &chunks(&["Forty", "-two"], 400 * MS))
        .unwrap_or_else(|e| panic!("{e}"));
    let created = sim.fake.card.clone().unwrap_or_default();
    assert_eq!(created["config"]["streaming_mode"], true);
    assert_eq!(created["header"]["title"]["content"], "Answer");
    assert_eq!(created["body"]["elements"][0]["content"], "_Thinking…_");
    assert_eq!(sim.fake.shown(), "Forty-two");
    assert_eq!(sim.fake.summary.as_deref(), Some("The answer"));
    assert_eq!(
        sim.fake.sent[0]["receive_id"],
        "oc_5ad11d72b830411d72b836c20"
    );

    // Only text elements stream.
    let not_text = CardV2::new()
        .add(PlainText::new("div").id("div"))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let div = ElementId::new("div").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        CardStream::new(Target::to("oc_1"), 0)
            .with_card(not_text.clone(), div)
            .is_err()
    );
    let missing = ElementId::new("nope").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        CardStream::new(Target::to("oc_1"), 0)
            .with_card(not_text, missing)
            .is_err()
    );
}

#[test]
fn the_same_seed_gives_the_same_keys() {
    let keys = |seed| {
        let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
        let mut stream = reply_stream(seed);
        sim.run(&mut stream, &chunks(&["a", "b", "c"], 300 * MS))
            .unwrap_or_else(|e| panic!("{e}"));
        sim.fake
            .ops
            .iter()
            .filter_map(|op| op.uuid.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(42), keys(42));
    assert_ne!(keys(42), keys(43));
    assert!(keys(42).iter().all(|uuid| uuid.len() == 36));
}

#[test]
fn out_of_order_driving_is_an_error_not_a_panic() {
    let now = UNIX_EPOCH;
    let mut stream = reply_stream(17);
    let Next::Send(_) = stream.poll(now) else {
        panic!("expected the create")
    };
    let Next::Done(Err(error)) = stream.poll(now) else {
        panic!("expected an error")
    };
    assert_eq!(error.stage, Stage::Driver);
    assert!(stream.is_over());

    let mut stream = reply_stream(18);
    stream.on_answer(Ok(feishu_core::cardkit::stream::StreamAnswer::Updated), now);
    let Next::Done(Err(error)) = stream.poll(now) else {
        panic!("expected an error")
    };
    assert_eq!(error.stage, Stage::Driver);

    // An answer of the wrong kind.
    let mut stream = reply_stream(19);
    let Next::Send(_) = stream.poll(now) else {
        panic!("expected the create")
    };
    stream.on_answer(Ok(feishu_core::cardkit::stream::StreamAnswer::Updated), now);
    let Next::Done(Err(error)) = stream.poll(now) else {
        panic!("expected an error")
    };
    assert_eq!(error.stage, Stage::Driver);
}

#[test]
fn a_clock_that_goes_back_does_not_stall_the_card() {
    let mut stream = reply_stream(20);
    let mut fake = Fake::new(DEFAULT_ELEMENT_ID);
    let mut now = UNIX_EPOCH + Duration::from_secs(10_000);
    let mut answer = |stream: &mut CardStream, request: StreamRequest, now: SystemTime| {
        let http = feishu_core::build(&Config::feishu(), &request, Some(&Secret::new("t-x")))
            .unwrap_or_else(|e| panic!("{e}"));
        let response = fake.handle(&http, now);
        stream.on_answer(request.parse(response).map_err(Error::from), now);
    };
    for _ in 0..2 {
        let Next::Send(request) = stream.poll(now) else {
            panic!("expected a request")
        };
        answer(&mut stream, request, now);
    }
    stream.push("x");
    let Next::Send(request) = stream.poll(now) else {
        panic!("expected a write")
    };
    answer(&mut stream, request, now);
    // An hour back: the next write waits the pause, not the hour.
    now -= Duration::from_secs(3600);
    stream.push("y");
    match stream.poll(now) {
        Next::WaitForChunk { until: Some(until) } => {
            assert!(until.duration_since(now).unwrap_or_default() <= Duration::from_secs(1));
        }
        Next::Send(_) => {}
        other => panic!("unexpected {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the chunks, their timing and Feishu's latency and failures:
    /// the card ends with the text (within the limits), closed, the rate
    /// and the sequence kept.
    #[test]
    fn any_stream_keeps_the_promises(
        chunks in prop::collection::vec(("\\PC{0,12}", 0u64..400), 0..150),
        latencies in prop::collection::vec((0u64..300, 0u64..300), 1..40),
        failures in prop::collection::btree_set(0usize..30, 0..4),
        end in prop_oneof![Just(Event::Finish), Just(Event::Fail)],
        seed in any::<u64>(),
    ) {
        let mut sim = Sim::new(DEFAULT_ELEMENT_ID);
        let latencies = latencies.clone();
        sim.latency = Box::new(move |n| {
            let (receive, extra) = latencies[n % latencies.len()];
            (Duration::from_millis(receive), Duration::from_millis(receive + extra))
        });
        for n in &failures {
            sim.fake.faults.insert((Kind::Content, *n), (500, 300120));
        }
        let mut events: Vec<(Duration, Event)> = chunks
            .iter()
            .map(|(text, gap)| (Duration::from_millis(*gap), Event::Chunk(text.clone())))
            .collect();
        events.push((Duration::from_millis(5), end.clone()));
        let expected: String = chunks.iter().map(|(text, _)| text.as_str()).collect();

        let mut stream = reply_stream(seed);
        let result = sim.run(&mut stream, &events);
        assert_invariants(&sim);
        prop_assert!(!sim.fake.streaming);
        match result {
            Ok(streamed) => {
                prop_assert_eq!(sim.fake.shown(), expected.as_str());
                prop_assert_eq!(streamed.producer_failed, matches!(end, Event::Fail));
            }
            // Three failures in a row: closed with what was written.
            Err(error) => {
                prop_assert_eq!(error.stage, Stage::Write);
                prop_assert!(expected.starts_with(sim.fake.shown()));
            }
        }
    }
}
