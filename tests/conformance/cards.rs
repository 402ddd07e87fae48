//! Streaming answers into cards, over real HTTP against feishu-mock's
//! CardKit: the whole text arrives, the card's rate and sequence are kept,
//! and the card always ends with streaming off, also when the producer
//! fails or is slow.
//!
//! This module instantiates its own tests (as `cards::ureq::…` and
//! `cards::reqwest::…`), so the list in `main.rs` stays as it is.

use std::fmt;
use std::iter;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use feishu_core::cardkit::stream::{CardStream, DEFAULT_ELEMENT_ID, Streamed, Target};
use feishu_core::driver::StreamReplyError;
use feishu_core::{App, Config};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET, StoredCard};
use futures_util::StreamExt;

use crate::Adapter;
use crate::adapters::{Reqwest, Ureq};

const CHAT: &str = "oc_mock_general";

conformance! {
    cards::two_thousand_chunks_end_as_their_concatenation,
    cards::a_failing_producer_leaves_a_closed_card_with_the_text_so_far,
    cards::a_slow_producer_has_each_chunk_written,
    cards::stream_to_a_chat_sends_the_card_entity,
    cards::a_stalled_producer_does_not_hold_back_pending_text,
}

/// A producer's failure, as an LLM client would report it.
#[derive(Debug, PartialEq)]
pub struct Boom;

impl fmt::Display for Boom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the model stopped answering")
    }
}

impl std::error::Error for Boom {}

/// A producer: each chunk comes `gap` after the one before.
pub type Chunks = Vec<Result<String, Boom>>;

/// What streaming needs beyond [`Adapter`]: the adapter's own producer
/// type (an iterator, a `Stream`) over the same chunks.
pub trait Streams: Adapter {
    /// `Client::card_stream`.
    fn card_stream(&self, target: Target) -> CardStream;
    /// `Client::stream_card`, fed `chunks` one every `gap`.
    fn stream_card(
        &self,
        stream: CardStream,
        chunks: Chunks,
        gap: Duration,
    ) -> Result<Streamed, StreamReplyError<Boom>>;
    /// `Client::stream_card`, fed each chunk after its delay, the way the
    /// adapter's docs advise for a producer that stalls: as it is for a
    /// `Stream`; for an iterator, over a channel that yields an empty chunk
    /// when nothing came for 20 ms.
    fn stream_card_stalling(
        &self,
        stream: CardStream,
        chunks: Vec<(Duration, String)>,
    ) -> Result<Streamed, StreamReplyError<Boom>>;
    /// `Client::stream_to`, fed `chunks` at once.
    fn stream_to(&self, receive_id: &str, chunks: Vec<String>) -> Result<Streamed, String>;
}

impl Streams for Ureq {
    fn card_stream(&self, target: Target) -> CardStream {
        self.client().card_stream(target)
    }
    fn stream_card(
        &self,
        stream: CardStream,
        chunks: Chunks,
        gap: Duration,
    ) -> Result<Streamed, StreamReplyError<Boom>> {
        let chunks = chunks.into_iter().inspect(move |_| thread::sleep(gap));
        self.client().stream_card(stream, chunks)
    }
    fn stream_card_stalling(
        &self,
        stream: CardStream,
        chunks: Vec<(Duration, String)>,
    ) -> Result<Streamed, StreamReplyError<Boom>> {
        let (send, receive) = mpsc::channel();
        let producer = thread::spawn(move || {
            for (delay, chunk) in chunks {
                thread::sleep(delay);
                if send.send(chunk).is_err() {
                    return;
                }
            }
        });
        let chunks = iter::from_fn(|| match receive.recv_timeout(Duration::from_millis(20)) {
            Ok(chunk) => Some(Ok::<_, Boom>(chunk)),
            Err(RecvTimeoutError::Timeout) => Some(Ok(String::new())),
            Err(RecvTimeoutError::Disconnected) => None,
        });
        let streamed = self.client().stream_card(stream, chunks);
        producer.join().expect("the producer thread");
        streamed
    }
    fn stream_to(&self, receive_id: &str, chunks: Vec<String>) -> Result<Streamed, String> {
        self.client()
            .stream_to(receive_id, chunks)
            .map_err(|e| e.to_string())
    }
}

impl Streams for Reqwest {
    fn card_stream(&self, target: Target) -> CardStream {
        self.client().card_stream(target)
    }
    fn stream_card(
        &self,
        stream: CardStream,
        chunks: Chunks,
        gap: Duration,
    ) -> Result<Streamed, StreamReplyError<Boom>> {
        let chunks = futures_util::stream::iter(chunks).then(move |chunk| async move {
            tokio::time::sleep(gap).await;
            chunk
        });
        self.block_on(self.client().stream_card(stream, chunks))
    }
    fn stream_card_stalling(
        &self,
        stream: CardStream,
        chunks: Vec<(Duration, String)>,
    ) -> Result<Streamed, StreamReplyError<Boom>> {
        let chunks = futures_util::stream::iter(chunks).then(|(delay, chunk)| async move {
            tokio::time::sleep(delay).await;
            Ok::<_, Boom>(chunk)
        });
        self.block_on(self.client().stream_card(stream, chunks))
    }
    fn stream_to(&self, receive_id: &str, chunks: Vec<String>) -> Result<Streamed, String> {
        let chunks = futures_util::stream::iter(chunks);
        self.block_on(self.client().stream_to(receive_id, chunks))
            .map_err(|e| e.to_string())
    }
}

pub fn setup<A: Adapter>() -> (MockServer, A) {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    (mock, A::new(config))
}

/// A user's question to reply to.
fn question(mock: &MockServer) -> String {
    mock.post_user_message(CHAT, "ou_alice", "text", r#"{"text":"Tell me a story"}"#)
}

/// The most operations the card took in any second, and the operations
/// the mock applied, after checking what every stream must keep: the
/// sequence strictly increased, the card's writes were not refused, every
/// write extended the last (the prefix rule), and the card ended with
/// streaming off, the close last.
fn assert_kept_the_rules(card: &StoredCard) -> usize {
    let applied: Vec<_> = card.writes.iter().filter(|w| w.code == 0).collect();
    assert_eq!(
        applied.len(),
        card.writes.len(),
        "refused: {:?}",
        card.writes
    );
    let sequences: Vec<i64> = applied.iter().filter_map(|w| w.sequence).collect();
    assert!(
        sequences.windows(2).all(|pair| pair[0] < pair[1]),
        "{sequences:?}"
    );
    let contents: Vec<_> = applied
        .iter()
        .filter(|w| w.operation == "card_element.content")
        .collect();
    assert!(
        contents.iter().all(|w| w.extends),
        "a write replaced the text"
    );
    assert!(!card.streaming, "still streaming");
    assert_eq!(card.card["config"]["streaming_mode"], false);
    assert_eq!(applied.last().map(|w| w.operation), Some("card.settings"));
    let times: Vec<SystemTime> = applied.iter().map(|w| w.at).collect();
    let peak = (0..times.len())
        .map(|i| {
            times[i..]
                .iter()
                .take_while(|&&t| t < times[i] + Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0);
    assert!(peak <= 10, "{peak} operations within a second");
    peak
}

pub fn two_thousand_chunks_end_as_their_concatenation<A: Streams>() {
    let (mock, client) = setup::<A>();
    let message_id = question(&mock);
    let words: Vec<String> = (0..2000).map(|i| format!("w{i} ")).collect();
    let expected = words.concat();
    // The shortest pause CardKit's rate allows: ten writes a second.
    let stream = client
        .card_stream(Target::reply(&message_id))
        .interval(Duration::from_millis(100));
    let started = Instant::now();
    let streamed = client
        .stream_card(
            stream,
            words.into_iter().map(Ok).collect(),
            Duration::from_millis(2),
        )
        .expect("streamed");
    let wall = started.elapsed();

    let card = mock.card(streamed.card_id.as_str()).expect("the card");
    assert_eq!(card.text(DEFAULT_ELEMENT_ID), Some(expected.as_str()));
    assert_eq!(streamed.chars_written, expected.len());
    assert_eq!(
        card.message_id.as_deref(),
        Some(streamed.message_id.as_str())
    );
    let peak = assert_kept_the_rules(&card);
    let writes = card
        .writes
        .iter()
        .filter(|w| w.operation == "card_element.content")
        .count();
    assert_eq!(streamed.operations as usize, writes + 1);
    // About one write every 100 ms, not one per chunk.
    assert!(writes < 200, "{writes} writes for 2000 chunks");
    let reply = &mock.messages()[1];
    assert_eq!(reply.parent_id.as_deref(), Some(message_id.as_str()));
    eprintln!(
        "2000 chunks: {writes} writes, peak {peak} operations/s, {} ms",
        wall.as_millis()
    );
}

pub fn a_failing_producer_leaves_a_closed_card_with_the_text_so_far<A: Streams>() {
    let (mock, client) = setup::<A>();
    let message_id = question(&mock);
    let mut chunks: Chunks = (0..50).map(|i| Ok(format!("{i},"))).collect();
    chunks.push(Err(Boom));
    chunks.push(Ok("never shown".into()));
    let stream = client
        .card_stream(Target::reply(&message_id))
        .interval(Duration::from_millis(100));
    let error = client
        .stream_card(stream, chunks, Duration::from_millis(5))
        .expect_err("the producer failed");
    let StreamReplyError::Producer { error, streamed } = error else {
        panic!("{error:?}");
    };
    assert_eq!(error, Boom);
    assert!(streamed.producer_failed);
    let expected: String = (0..50).map(|i| format!("{i},")).collect();
    let card = mock.card(streamed.card_id.as_str()).expect("the card");
    assert_eq!(card.text(DEFAULT_ELEMENT_ID), Some(expected.as_str()));
    assert_kept_the_rules(&card);
}

pub fn a_slow_producer_has_each_chunk_written<A: Streams>() {
    let (mock, client) = setup::<A>();
    let message_id = question(&mock);
    let chunks: Chunks = ["Once ", "upon ", "a ", "time."]
        .map(|c| Ok(c.to_owned()))
        .into();
    // Chunks slower than the pause (250 ms by default): each has a write.
    let stream = client.card_stream(Target::reply(&message_id));
    let streamed = client
        .stream_card(stream, chunks, Duration::from_millis(400))
        .expect("streamed");
    let card = mock.card(streamed.card_id.as_str()).expect("the card");
    assert_eq!(card.text(DEFAULT_ELEMENT_ID), Some("Once upon a time."));
    let contents: Vec<_> = card
        .writes
        .iter()
        .filter_map(|w| w.content.as_deref())
        .collect();
    assert_eq!(
        contents,
        ["Once ", "Once upon ", "Once upon a ", "Once upon a time."]
    );
    assert_kept_the_rules(&card);
}

pub fn stream_to_a_chat_sends_the_card_entity<A: Streams>() {
    let (mock, client) = setup::<A>();
    let streamed = client
        .stream_to(CHAT, vec!["To ".into(), "everyone".into()])
        .expect("streamed");
    let message = &mock.messages()[0];
    assert_eq!(message.chat_id, CHAT);
    assert_eq!(message.msg_type, "interactive");
    let content: serde_json::Value = serde_json::from_str(&message.content).expect("JSON content");
    assert_eq!(content["type"], "card");
    assert_eq!(content["data"]["card_id"], streamed.card_id.as_str());
    let card = mock
        .card_of_message(&streamed.message_id)
        .expect("the card");
    assert_eq!(card.text(DEFAULT_ELEMENT_ID), Some("To everyone"));
    assert_kept_the_rules(&card);
}

pub fn a_stalled_producer_does_not_hold_back_pending_text<A: Streams>() {
    let (mock, client) = setup::<A>();
    let message_id = question(&mock);
    let ms = Duration::from_millis;
    // "A" is written at once; "B" comes within the pause, then the model
    // thinks for 1.5 s: "B" must go out when the pause ends, not with "C".
    let chunks = vec![
        (ms(0), "A".to_owned()),
        (ms(30), "B".to_owned()),
        (ms(1500), "C".to_owned()),
    ];
    let stream = client.card_stream(Target::reply(&message_id));
    let streamed = client
        .stream_card_stalling(stream, chunks)
        .expect("streamed");
    let card = mock.card(streamed.card_id.as_str()).expect("the card");
    let contents: Vec<_> = card
        .writes
        .iter()
        .filter_map(|w| w.content.as_deref())
        .collect();
    assert_eq!(contents, ["A", "AB", "ABC"]);
    assert_kept_the_rules(&card);
}
