//! Streaming an answer into a card, for both drivers: the loop that runs a
//! [`CardStream`] over the client's calls and feeds it from a producer.
//! Docs: <https://open.feishu.cn/document/cardkit-v1/streaming-updates-openapi-overview>
//!
//! [`BlockingClient::stream_reply`] and [`AsyncClient::stream_reply`] (and
//! `stream_to`, `stream_card`) create the card, send it, write the text as
//! it comes, at most every 250 ms and never past ten operations a second
//! on the card, and end streaming: the [`CardStream`] decides all of that;
//! this module only carries out its steps and pulls the producer. How a
//! slow or failing producer is taken: [`Chunk`].

mod chunk;

pub use chunk::{Chunk, ChunkStream, FromFn, chunks_from_fn};

use std::convert::Infallible;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::task::{Context, Poll};

use crate::cardkit::stream::{CardStream, Next, StreamError, Streamed, Target};
use crate::driver::{
    AsyncClient, AsyncClock, AsyncTransport, BlockingClient, Clock, Transport, until,
};
use crate::im::message::ReceiveIdType;

/// Chunks an async driver takes from a producer that is always ready,
/// before it yields to the runtime: a producer without end cannot starve
/// the request in flight or the other tasks.
const MAX_CHUNKS_PER_POLL: usize = 64;

/// A streamed answer that did not end as planned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamReplyError<E> {
    /// The stream failed (see [`StreamError::stage`] for how far it got).
    #[error("{error}")]
    Stream {
        /// What failed.
        #[source]
        error: StreamError,
        /// The producer's error, if it had failed first.
        producer: Option<E>,
    },
    /// The producer failed: its text so far is on the card, and streaming
    /// is off.
    #[error("the answer's producer failed; its text so far is on the card")]
    Producer {
        /// The producer's error.
        #[source]
        error: E,
        /// The card, closed.
        streamed: Streamed,
    },
}

impl<E> StreamReplyError<E> {
    /// The card and message, when the card was created and sent.
    pub fn card_id(&self) -> Option<&crate::cardkit::CardId> {
        match self {
            StreamReplyError::Stream { error, .. } => error.card_id.as_ref(),
            StreamReplyError::Producer { streamed, .. } => Some(&streamed.card_id),
        }
    }
}

/// A producer of plain text cannot fail: its only error is the stream's.
impl From<StreamReplyError<Infallible>> for StreamError {
    fn from(error: StreamReplyError<Infallible>) -> Self {
        match error {
            StreamReplyError::Stream { error, .. } => error,
            StreamReplyError::Producer { error, .. } => match error {},
        }
    }
}

/// The producer's side of a drive: its first error, and whether it is over.
struct Fed<E> {
    failure: Option<E>,
    over: bool,
}

impl<E> Fed<E> {
    fn new() -> Self {
        Self {
            failure: None,
            over: false,
        }
    }

    /// Hands the producer's next item (`None`: its end) to `stream`.
    fn feed<K: Chunk<Error = E>>(&mut self, stream: &mut CardStream, chunk: Option<K>) {
        match chunk.map(Chunk::into_text) {
            Some(Ok(text)) => stream.push(&text),
            Some(Err(error)) => {
                self.failure = Some(error);
                self.over = true;
                stream.fail();
            }
            None => {
                self.over = true;
                stream.finish();
            }
        }
    }

    /// How the drive ended, from the stream's result.
    fn outcome(
        self,
        result: Result<Streamed, StreamError>,
    ) -> Result<Streamed, StreamReplyError<E>> {
        match (result, self.failure) {
            (Ok(streamed), None) => Ok(streamed),
            (Ok(streamed), Some(error)) => Err(StreamReplyError::Producer { error, streamed }),
            (Err(error), producer) => Err(StreamReplyError::Stream { error, producer }),
        }
    }

    /// Takes what the producer has ready (up to [`MAX_CHUNKS_PER_POLL`]);
    /// whether anything came, or it ended.
    fn pull<S: ChunkStream<Item: Chunk<Error = E>>>(
        &mut self,
        mut chunks: Pin<&mut S>,
        stream: &mut CardStream,
        cx: &mut Context<'_>,
    ) -> bool {
        let mut pulled = false;
        for _ in 0..MAX_CHUNKS_PER_POLL {
            if self.over {
                return pulled;
            }
            match chunks.as_mut().poll_chunk(cx) {
                Poll::Ready(chunk) => {
                    self.feed(stream, chunk);
                    pulled = true;
                }
                Poll::Pending => return pulled,
            }
        }
        // More may be ready: look again after the others had their turn.
        cx.waker().wake_by_ref();
        pulled
    }
}

impl<T: Transport, C: Clock> BlockingClient<T, C> {
    /// A [`CardStream`] to `target`, seeded from this client's randomness:
    /// set its card and options, then run it with
    /// [`stream_card`](Self::stream_card).
    pub fn card_stream(&self, target: Target) -> CardStream {
        CardStream::new(target, self.core().derive_seed())
    }

    /// Replies to `message_id` with a card and streams `chunks` into it;
    /// returns the card and the reply's message once streaming is off. See
    /// [`Chunk`] for slow and failing producers.
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use feishu_core::driver::BlockingClient;
    /// use feishu_core::{App, Client, Config, TransportError};
    ///
    /// // Feishu, canned: a token, a card id, the reply, success for the rest.
    /// fn feishu(request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
    ///     let path = request.uri().path();
    ///     let body = if path.ends_with("/tenant_access_token/internal") {
    ///         r#"{"code":0,"msg":"ok","tenant_access_token":"t-7f1bcd13fc57d46bac21793a18e560","expire":7200}"#
    ///     } else if path == "/open-apis/cardkit/v1/cards" {
    ///         r#"{"code":0,"msg":"success","data":{"card_id":"7355372766134157313"}}"#
    ///     } else if path.ends_with("/reply") {
    ///         r#"{"code":0,"msg":"success","data":{"message_id":"om_b2c6b7a8f1"}}"#
    ///     } else {
    ///         r#"{"code":0,"msg":"success","data":{}}"#
    ///     };
    ///     Ok(http::Response::new(body.into()))
    /// }
    ///
    /// let config = Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "app-secret"));
    /// let client = BlockingClient::new(Client::new(config, 0x5eed), feishu, (SystemTime::now, std::thread::sleep));
    /// // An LLM's answer, token by token (here, at once).
    /// let answer = ["Hel", "lo, ", "world"].map(String::from);
    /// let streamed = client.stream_reply("om_dc13264520392913993dd051dba21dcf", answer)?;
    /// assert_eq!(streamed.message_id, "om_b2c6b7a8f1");
    /// assert_eq!(streamed.chars_written, "Hello, world".len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stream_reply<I>(
        &self,
        message_id: impl Into<String>,
        chunks: I,
    ) -> Result<Streamed, StreamReplyError<<I::Item as Chunk>::Error>>
    where
        I: IntoIterator,
        I::Item: Chunk,
    {
        self.stream_card(self.card_stream(Target::reply(message_id)), chunks)
    }

    /// Sends a card to `receive_id` (`oc_…`, `ou_…`, `on_…`, an email; see
    /// [`ReceiveIdType::infer`]) and streams `chunks` into it; see
    /// [`stream_reply`](Self::stream_reply).
    pub fn stream_to<I>(
        &self,
        receive_id: impl Into<String>,
        chunks: I,
    ) -> Result<Streamed, StreamReplyError<<I::Item as Chunk>::Error>>
    where
        I: IntoIterator,
        I::Item: Chunk,
    {
        self.stream_card(self.card_stream(Target::to(receive_id)), chunks)
    }

    /// [`stream_to`](Self::stream_to) a receiver whose id type is named (a
    /// `user_id`).
    pub fn stream_to_typed<I>(
        &self,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        chunks: I,
    ) -> Result<Streamed, StreamReplyError<<I::Item as Chunk>::Error>>
    where
        I: IntoIterator,
        I::Item: Chunk,
    {
        let target = Target::to_typed(receive_id_type, receive_id);
        self.stream_card(self.card_stream(target), chunks)
    }

    /// Runs `stream` (any card, target and options) to its end, fed from
    /// `chunks`: pulled whenever the stream has nothing due, so a blocking
    /// `next` holds back a due write until it returns (see
    /// [`Chunk`](Chunk#when-the-producer-is-slow)).
    pub fn stream_card<I>(
        &self,
        mut stream: CardStream,
        chunks: I,
    ) -> Result<Streamed, StreamReplyError<<I::Item as Chunk>::Error>>
    where
        I: IntoIterator,
        I::Item: Chunk,
    {
        let mut chunks = chunks.into_iter();
        let mut fed = Fed::new();
        loop {
            match stream.poll(self.clock().now()) {
                Next::Send(request) => {
                    let answer = self.send(&request);
                    stream.on_answer(answer, self.clock().now());
                }
                Next::WaitForChunk { .. } => fed.feed(&mut stream, chunks.next()),
                Next::Wait(at) => self.clock().sleep(until(self.clock().now(), at)),
                Next::Done(result) => return fed.outcome(result),
            }
        }
    }
}

impl<T: AsyncTransport, C: AsyncClock> AsyncClient<T, C> {
    /// A [`CardStream`] to `target`, seeded from this client's randomness:
    /// set its card and options, then run it with
    /// [`stream_card`](Self::stream_card).
    pub fn card_stream(&self, target: Target) -> CardStream {
        CardStream::new(target, self.core().derive_seed())
    }

    /// Replies to `message_id` with a card and streams `chunks` into it;
    /// returns the card and the reply's message once streaming is off. See
    /// [`Chunk`] for slow and failing producers.
    pub async fn stream_reply<S: ChunkStream>(
        &self,
        message_id: impl Into<String>,
        chunks: S,
    ) -> Result<Streamed, StreamReplyError<<S::Item as Chunk>::Error>> {
        let stream = self.card_stream(Target::reply(message_id));
        self.stream_card(stream, chunks).await
    }

    /// Sends a card to `receive_id` (`oc_…`, `ou_…`, `on_…`, an email; see
    /// [`ReceiveIdType::infer`]) and streams `chunks` into it; see
    /// [`stream_reply`](Self::stream_reply).
    pub async fn stream_to<S: ChunkStream>(
        &self,
        receive_id: impl Into<String>,
        chunks: S,
    ) -> Result<Streamed, StreamReplyError<<S::Item as Chunk>::Error>> {
        let stream = self.card_stream(Target::to(receive_id));
        self.stream_card(stream, chunks).await
    }

    /// [`stream_to`](Self::stream_to) a receiver whose id type is named (a
    /// `user_id`).
    pub async fn stream_to_typed<S: ChunkStream>(
        &self,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        chunks: S,
    ) -> Result<Streamed, StreamReplyError<<S::Item as Chunk>::Error>> {
        let stream = self.card_stream(Target::to_typed(receive_id_type, receive_id));
        self.stream_card(stream, chunks).await
    }

    /// Runs `stream` (any card, target and options) to its end, fed from
    /// `chunks`, which is raced against the stream's timer and pulled while
    /// requests are out: a write goes out on time however slow the
    /// producer (see [`Chunk`](Chunk#when-the-producer-is-slow)).
    pub async fn stream_card<S: ChunkStream>(
        &self,
        mut stream: CardStream,
        chunks: S,
    ) -> Result<Streamed, StreamReplyError<<S::Item as Chunk>::Error>> {
        let mut chunks = pin!(chunks);
        let mut fed = Fed::new();
        loop {
            match stream.poll(self.clock().now()) {
                Next::Send(request) => {
                    let mut send = pin!(self.send(&request));
                    let answer = poll_fn(|cx| {
                        let answer = send.as_mut().poll(cx);
                        if answer.is_pending() {
                            fed.pull(chunks.as_mut(), &mut stream, cx);
                        }
                        answer
                    })
                    .await;
                    stream.on_answer(answer, self.clock().now());
                }
                Next::WaitForChunk { until: at } => {
                    let wait = at.map(|at| self.clock().sleep(until(self.clock().now(), at)));
                    let mut wait = pin!(wait);
                    poll_fn(|cx| {
                        if fed.pull(chunks.as_mut(), &mut stream, cx) {
                            return Poll::Ready(());
                        }
                        match wait.as_mut().as_pin_mut() {
                            Some(wait) => wait.poll(cx),
                            None => Poll::Pending,
                        }
                    })
                    .await;
                }
                Next::Wait(at) => {
                    self.clock().sleep(until(self.clock().now(), at)).await;
                }
                Next::Done(result) => return fed.outcome(result),
            }
        }
    }
}

#[cfg(test)]
mod tests;
