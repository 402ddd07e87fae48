//! Streaming text into a card, as an LLM bot answers: a sans-IO state
//! machine over CardKit.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/streaming-updates-openapi-overview>
//!
//! A [`CardStream`] creates a card entity in streaming mode, sends it (as a
//! message or a reply), turns the text chunks pushed into it into content
//! writes, and ends streaming when the producer is done or has failed. Like
//! [`Call`](crate::Call) it does no I/O and reads no clock: [`CardStream::poll`]
//! says what it needs next, its driver does it and reports back.
//!
//! The rules it keeps, so its driver need not:
//!
//! - **The full text each time.** Every write carries the whole text so
//!   far: Feishu types out only what extends the text it shows, and a write
//!   that is lost or fails is repaired by the next one.
//! - **One `sequence` per card**, from 1, strictly increasing over every
//!   operation (writes and the close), and a fresh `uuid` for each, drawn
//!   from the seed the stream was made with.
//! - **At most 10 operations a second** on the card, timed by when their
//!   answers came back, and a pause between writes (250 ms by default);
//!   text that has not changed is not written again.
//! - **It always ends**: after [`finish`](CardStream::finish) or
//!   [`fail`](CardStream::fail) it writes the last text and turns streaming
//!   off (otherwise the card keeps streaming for about ten minutes). When
//!   Feishu has already closed streaming on its own (after ten minutes), it
//!   writes the text by replacing the element instead.
//! - **Feishu's limits.** The text is kept to 100,000 characters and to what
//!   fits in a 30 KB card; what goes past is dropped and counted in
//!   [`Streamed::dropped_chars`]. Split longer answers over several cards.
//!
//! A `CardStream` dropped before [`Next::Done`] cannot send anything (a
//! `Drop` has no transport): the card keeps streaming until Feishu closes it.
//! Drivers call [`fail`](CardStream::fail) and keep driving to `Done` on
//! their error paths, or hold the stream in a guard that does.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use feishu_core::Endpoint;
//! use feishu_core::cardkit::stream::{CardStream, Next, StreamRequest, Target};
//!
//! // Feishu, canned: a card id for the create, a message for the reply,
//! // success for the rest. A real driver sends `request` with its client.
//! fn feishu(request: &StreamRequest) -> Result<feishu_core::cardkit::stream::StreamAnswer, feishu_core::Error> {
//!     let data = match request.metadata().id {
//!         "cardkit.v1.card.create" => r#"{"card_id":"7355372766134157313"}"#,
//!         "im.v1.message.reply" => r#"{"message_id":"om_b2c6b7a8f1"}"#,
//!         _ => "{}",
//!     };
//!     let body = format!(r#"{{"code":0,"msg":"success","data":{data}}}"#);
//!     Ok(request.parse(http::Response::new(body.into_bytes()))?)
//! }
//!
//! let mut stream = CardStream::new(Target::reply("om_dc13264520392913993dd051dba21dcf"), 0x5eed);
//! let mut chunks = ["Hel", "lo, ", "world"].into_iter();
//! let mut now = UNIX_EPOCH; // a simulated clock
//! let streamed = loop {
//!     match stream.poll(now) {
//!         Next::Send(request) => {
//!             let answer = feishu(&request);
//!             now += Duration::from_millis(40);
//!             stream.on_answer(answer, now);
//!         }
//!         Next::WaitForChunk { .. } => match chunks.next() {
//!             Some(chunk) => stream.push(chunk),
//!             None => stream.finish(),
//!         },
//!         Next::Wait(until) => now = until,
//!         Next::Done(result) => break result?,
//!     }
//! };
//! assert_eq!(streamed.message_id, "om_b2c6b7a8f1");
//! assert_eq!(streamed.chars_written, "Hello, world".len());
//! # Ok::<(), feishu_core::cardkit::stream::StreamError>(())
//! ```

mod outcome;
mod request;
mod steps;
mod target;
mod text;
mod throttle;

pub use outcome::{Cause, Stage, StreamError, Streamed};
pub use request::{StreamAnswer, StreamRequest};
pub use target::Target;

use std::mem;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};

use crate::call::retry::SplitMix64;
use crate::card::{self, CardError, CardJson, ElementId};
use crate::cardkit::card_element::StreamElementContent;
use crate::cardkit::{CardId, Sequence};
use crate::{Error, Misuse};
use text::TextBuffer;
use throttle::Throttle;

/// Feishu's limit of operations a second on one card.
pub const MAX_OPERATIONS_PER_SECOND: u8 = 10;

/// The default pause between two text writes.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(250);

/// The `element_id` of the default card's text.
pub const DEFAULT_ELEMENT_ID: &str = "stream_text";

/// Writes that may fail in a row before the stream gives up writing.
const MAX_FAILED_WRITES_IN_A_ROW: u32 = 3;

/// What a [`CardStream`]'s driver must do next.
#[derive(Debug)]
#[must_use]
pub enum Next {
    /// Send this request (e.g. `client.send(&request)`), then hand its
    /// result to [`CardStream::on_answer`]. Only then poll again.
    Send(StreamRequest),
    /// Nothing to send until the producer has more: hand the next chunk to
    /// [`push`](CardStream::push), or report its end with
    /// [`finish`](CardStream::finish) or [`fail`](CardStream::fail), then
    /// poll. When `until` is set, text is waiting for the rate: poll at
    /// that time even if no chunk came (a driver that can only block on its
    /// producer may wait for the chunk; the text then goes out with it).
    WaitForChunk {
        /// When to poll at the latest.
        until: Option<SystemTime>,
    },
    /// The producer is done and the card's rate needs a pause: poll again
    /// at this time.
    Wait(SystemTime),
    /// The stream is over: stop feeding it.
    Done(Result<Streamed, StreamError>),
}

/// A text stream into a card; see the [module](self) for what it does and
/// an example.
///
/// Drive it with [`poll`](Self::poll) and [`on_answer`](Self::on_answer);
/// feed it with [`push`](Self::push), [`finish`](Self::finish) and
/// [`fail`](Self::fail), which may be called at any time, also while a
/// request is out.
#[derive(Debug)]
pub struct CardStream {
    target: Target,
    card: CardJson,
    element_id: ElementId,
    /// The streamed element's JSON, for the fallback write.
    element: Map<String, Value>,
    close_summary: Option<String>,
    random: SplitMix64,
    per_second: u8,
    interval: Duration,
    max_chars: usize,
    throttle: Throttle,
    text: TextBuffer,
    /// How much of the text (bytes) the card shows; `None` when unknown (a
    /// write failed), so the next write sends it again.
    written: Option<usize>,
    producer: Producer,
    state: State,
    card_id: Option<CardId>,
    message_id: Option<String>,
    next_sequence: Option<Sequence>,
    operations: u32,
    failed_writes: u32,
    failed_in_a_row: u32,
    fell_back: bool,
    /// Why the last write failed.
    last_write_error: Option<Cause>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Producer {
    Running,
    Finished,
    Failed,
}

#[derive(Debug)]
enum State {
    Create,
    Send,
    Stream,
    Close,
    Awaiting(Pending),
    Finished(Result<Streamed, StreamError>),
    Spent,
}

#[derive(Clone, Copy, Debug)]
enum Pending {
    Create,
    Send,
    Write { len: usize },
    Close,
}

impl CardStream {
    /// A stream into the default card (one Markdown element,
    /// [`DEFAULT_ELEMENT_ID`], empty at first) sent to `target`.
    ///
    /// `seed` is the randomness of the operations' `uuid`s: pass fresh
    /// random bits (the same seed replays the same keys).
    pub fn new(target: Target, seed: u64) -> Self {
        let card = CardJson::trusted(json!({
            "schema": "2.0",
            "config": {"streaming_mode": true},
            "body": {"elements": [
                {"tag": "markdown", "content": "", "element_id": DEFAULT_ELEMENT_ID},
            ]},
        }));
        let element = card::find(card.as_value(), DEFAULT_ELEMENT_ID)
            .cloned()
            .unwrap_or_default();
        let mut stream = Self {
            target,
            card,
            element_id: ElementId::trusted(DEFAULT_ELEMENT_ID),
            element,
            close_summary: None,
            random: SplitMix64::new(seed),
            per_second: MAX_OPERATIONS_PER_SECOND,
            interval: DEFAULT_INTERVAL,
            max_chars: StreamElementContent::MAX_CHARS,
            throttle: Throttle::new(usize::from(MAX_OPERATIONS_PER_SECOND), DEFAULT_INTERVAL),
            text: TextBuffer::new(0, 0),
            written: None,
            producer: Producer::Running,
            state: State::Create,
            card_id: None,
            message_id: None,
            next_sequence: Some(Sequence::FIRST),
            operations: 0,
            failed_writes: 0,
            failed_in_a_row: 0,
            fell_back: false,
            last_write_error: None,
        };
        stream.reset_limits();
        stream
    }

    /// Streams into `card`'s element `element_id` instead, which must be a
    /// `markdown` or `plain_text` element with a `content`. The card's
    /// streaming mode is turned on; its element's content shows until the
    /// first text arrives.
    ///
    /// ```
    /// use feishu_core::card::{CardV2, ElementId, Header, Markdown, Template};
    /// use feishu_core::cardkit::stream::{CardStream, Target};
    ///
    /// let card = CardV2::new()
    ///     .header(Header::new("Answer").template(Template::Blue))
    ///     .add(Markdown::new("_Thinking…_").id("answer"))
    ///     .build()?;
    /// let stream = CardStream::new(Target::to("oc_5ad11d72b830411d72b836c20"), 7)
    ///     .with_card(card, ElementId::new("answer")?)?;
    /// # let _ = stream;
    /// # Ok::<(), feishu_core::card::CardError>(())
    /// ```
    pub fn with_card(
        mut self,
        mut card: CardJson,
        element_id: ElementId,
    ) -> Result<Self, CardError> {
        let element = card::find(card.as_value(), &element_id)
            .ok_or_else(|| CardError::NoSuchElement(element_id.to_string()))?;
        let tag = element
            .get("tag")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !matches!(tag, "markdown" | "plain_text") || !element.contains_key("content") {
            return Err(CardError::NotText {
                id: element_id.to_string(),
                tag: tag.to_owned(),
            });
        }
        let element = element.clone();
        if let Some(object) = card.value_mut().as_object_mut() {
            let config = object.entry("config").or_insert_with(|| json!({}));
            if let Some(config) = config.as_object_mut() {
                config.insert("streaming_mode".to_owned(), Value::Bool(true));
            }
        }
        // Checked again: turning streaming on adds to the card's size.
        self.card = CardJson::from_value(card.into_value())?;
        self.element_id = element_id;
        self.element = element;
        self.reset_limits();
        Ok(self)
    }

    /// Sets the pause between two text writes (250 ms by default); never
    /// less than a second over the operations allowed per second.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self.reset_limits();
        self
    }

    /// Lowers the operations a second the stream allows itself on the card
    /// (1–10; Feishu's limit, 10, by default), e.g. to leave room for other
    /// updates of the same card.
    pub fn max_operations_per_second(mut self, per_second: u8) -> Self {
        self.per_second = per_second.clamp(1, MAX_OPERATIONS_PER_SECOND);
        self.reset_limits();
        self
    }

    /// Lowers the most characters streamed (1–100,000; 100,000 by default).
    pub fn max_chars(mut self, max_chars: usize) -> Self {
        self.max_chars = max_chars.clamp(1, StreamElementContent::MAX_CHARS);
        self.reset_limits();
        self
    }

    /// Sets the chat-list preview when streaming ends. Without it Feishu
    /// shows the card's content, unless the card set a `summary` of its
    /// own, which then stays.
    pub fn close_summary(mut self, summary: impl Into<String>) -> Self {
        self.close_summary = Some(summary.into());
        self
    }

    /// Adds a chunk of text. Empty chunks change nothing; text past the
    /// limits, or pushed after [`finish`](Self::finish) or
    /// [`fail`](Self::fail), is dropped and counted.
    pub fn push(&mut self, chunk: &str) {
        if self.producer != Producer::Running || self.is_over() {
            self.text.drop_chunk(chunk);
            return;
        }
        self.text.push(chunk);
    }

    /// The producer is done: the stream writes the last text, ends
    /// streaming and is done.
    pub fn finish(&mut self) {
        if self.producer == Producer::Running {
            self.producer = Producer::Finished;
        }
    }

    /// The producer failed: the stream ends as for [`finish`](Self::finish),
    /// with the text so far, and reports it in [`Streamed::producer_failed`].
    /// Push a notice first to show one.
    pub fn fail(&mut self) {
        if self.producer == Producer::Running {
            self.producer = Producer::Failed;
        }
    }

    /// The text pushed so far (within the limits).
    pub fn text(&self) -> &str {
        self.text.as_str()
    }

    /// The card entity, once created.
    pub fn card_id(&self) -> Option<&CardId> {
        self.card_id.as_ref()
    }

    /// The message, once sent.
    pub fn message_id(&self) -> Option<&str> {
        self.message_id.as_deref()
    }

    /// Whether [`Next::Done`] has been returned or is next.
    pub fn is_over(&self) -> bool {
        matches!(self.state, State::Finished(_) | State::Spent)
    }

    /// The next step at `now`. Call it again after each step is carried
    /// out: after [`on_answer`](Self::on_answer) for a [`Next::Send`],
    /// after a chunk (or the end) for a [`Next::WaitForChunk`], at the time
    /// of a [`Next::Wait`].
    pub fn poll(&mut self, now: SystemTime) -> Next {
        match mem::replace(&mut self.state, State::Spent) {
            State::Create => self.create(),
            State::Send => self.send(),
            State::Stream => self.stream(now),
            State::Close => self.close(now),
            State::Finished(result) => Next::Done(result),
            State::Awaiting(_) | State::Spent => Next::Done(Err(
                self.error(Stage::Driver, Error::from(Misuse::OutOfOrder))
            )),
        }
    }

    /// Hands over the result of the last [`Next::Send`]'s request, answered
    /// at `now`.
    pub fn on_answer(&mut self, answer: Result<StreamAnswer, Error>, now: SystemTime) {
        let State::Awaiting(pending) = mem::replace(&mut self.state, State::Spent) else {
            self.state = State::Finished(Err(
                self.error(Stage::Driver, Error::from(Misuse::OutOfOrder))
            ));
            return;
        };
        self.state = match (pending, answer) {
            (Pending::Create, Ok(StreamAnswer::Created(entity))) => {
                self.throttle.answered(now);
                self.card_id = Some(entity.card_id);
                State::Send
            }
            (Pending::Send, Ok(StreamAnswer::Sent(message))) => {
                self.message_id = Some(message.message_id);
                State::Stream
            }
            (Pending::Write { len }, Ok(StreamAnswer::Updated)) => {
                self.throttle.answered(now);
                self.written = Some(len);
                self.failed_in_a_row = 0;
                State::Stream
            }
            (Pending::Write { .. }, Err(error)) => {
                self.throttle.answered(now);
                self.write_failed(error)
            }
            (Pending::Close, Ok(StreamAnswer::Updated)) => {
                self.throttle.answered(now);
                State::Finished(self.result())
            }
            (pending, Err(error)) => {
                if matches!(pending, Pending::Create | Pending::Close) {
                    self.throttle.answered(now);
                }
                let stage = match pending {
                    Pending::Create => Stage::Create,
                    Pending::Send => Stage::Send,
                    Pending::Write { .. } => Stage::Write,
                    Pending::Close => Stage::Close,
                };
                State::Finished(Err(self.error(stage, error)))
            }
            // An answer of another request's kind.
            (_, Ok(_)) => State::Finished(Err(
                self.error(Stage::Driver, Error::from(Misuse::OutOfOrder))
            )),
        };
    }
}
