//! What a producer of chunks is: an item of text or a failure
//! ([`Chunk`]), and the async producer the core can name without a futures
//! crate ([`ChunkStream`]).

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::ops::DerefMut;
use std::pin::Pin;
use std::task::{Context, Poll};

/// One item of a producer: a piece of text, or the producer's failure.
///
/// `String`, `&str`, `Box<str>` and `Cow<str>` are chunks that cannot fail;
/// `Result<T, E>` with `T` one of them is one that can: an `Err` ends the
/// stream (see [below](#when-the-producer-fails)).
///
/// # When the producer is slow
///
/// The stream writes text only when its pause is over. Meanwhile the
/// driver pulls the producer for more, so what arrives during the pause
/// goes out in the next write.
///
/// - **Async** drivers race the producer against the stream's timer, and
///   keep pulling it while a request is out: a write is never later than
///   its time, however slow the producer.
/// - **Blocking** drivers have one thread: while the iterator's `next`
///   blocks, nothing is written, so text that is waiting goes out when
///   `next` returns: at most one chunk's gap after its time (an LLM's
///   tokens come tens of milliseconds apart). A producer that stalls for
///   long (a tool call) should yield an empty chunk now and then: an empty
///   chunk changes no text, and gives the driver its turn. With a channel:
///   `iter::from_fn(|| match rx.recv_timeout(Duration::from_millis(100)) {
///   Ok(chunk) => Some(chunk), Err(RecvTimeoutError::Timeout) =>
///   Some(String::new()), Err(RecvTimeoutError::Disconnected) => None })`.
///
/// The call returns once the producer has ended: one that never ends
/// streams until it is dropped (text past the card's limits is dropped and
/// counted), so bound it, e.g. with `take`.
///
/// # When the producer fails
///
/// A producer of `Result`s (an iterator or [`ChunkStream`] of
/// `Result<String, E>`) that yields an `Err` is done: the text so far is
/// written, streaming is turned off, and the call returns
/// [`StreamReplyError::Producer`](crate::driver::StreamReplyError::Producer)
/// with the error and the [`Streamed`](crate::cardkit::stream::Streamed) card. A future dropped before it is done sends nothing more, so the card
/// keeps streaming until Feishu ends it (about ten minutes): await it to
/// the end.
pub trait Chunk {
    /// The producer's error: [`Infallible`] for plain text.
    type Error;
    /// The text, or why there is none.
    fn into_text(self) -> Result<String, Self::Error>;
}

impl Chunk for String {
    type Error = Infallible;
    fn into_text(self) -> Result<String, Infallible> {
        Ok(self)
    }
}

impl Chunk for &str {
    type Error = Infallible;
    fn into_text(self) -> Result<String, Infallible> {
        Ok(self.to_owned())
    }
}

impl Chunk for Box<str> {
    type Error = Infallible;
    fn into_text(self) -> Result<String, Infallible> {
        Ok(self.into())
    }
}

impl Chunk for Cow<'_, str> {
    type Error = Infallible;
    fn into_text(self) -> Result<String, Infallible> {
        Ok(self.into_owned())
    }
}

impl<T: Into<String>, E> Chunk for Result<T, E> {
    type Error = E;
    fn into_text(self) -> Result<String, E> {
        self.map(Into::into)
    }
}

/// An async producer of chunks: the shape of a `futures::Stream`, which the
/// core cannot name. `feishu-reqwest` takes any `Stream`; with the core
/// alone, implement it or use [`chunks_from_fn`].
pub trait ChunkStream {
    /// What it yields.
    type Item: Chunk;
    /// The next chunk: `Ready(Some(_))`, `Ready(None)` at the end, or
    /// `Pending` (and `cx`'s waker is woken when there is more).
    fn poll_chunk(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>>;
}

impl<P> ChunkStream for Pin<P>
where
    P: DerefMut + Unpin,
    P::Target: ChunkStream,
{
    type Item = <P::Target as ChunkStream>::Item;
    fn poll_chunk(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().as_mut().poll_chunk(cx)
    }
}

/// A [`ChunkStream`] that calls `next` for each chunk and awaits it;
/// `None` ends it.
///
/// ```
/// use std::future::ready;
/// use feishu_core::driver::chunks_from_fn;
///
/// let mut words = vec!["world", "Hello, "];
/// let chunks = chunks_from_fn(move || ready(words.pop()));
/// # let _ = chunks;
/// ```
pub fn chunks_from_fn<F, Fut>(next: F) -> FromFn<F, Fut>
where
    F: FnMut() -> Fut,
    Fut: Future,
{
    FromFn {
        next,
        pending: None,
    }
}

/// The [`ChunkStream`] of [`chunks_from_fn`].
pub struct FromFn<F, Fut> {
    next: F,
    pending: Option<Pin<Box<Fut>>>,
}

impl<F, Fut> fmt::Debug for FromFn<F, Fut> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FromFn")
            .field("pending", &self.pending.is_some())
            .finish_non_exhaustive()
    }
}

impl<F, Fut, K> ChunkStream for FromFn<F, Fut>
where
    F: FnMut() -> Fut + Unpin,
    Fut: Future<Output = Option<K>>,
    K: Chunk,
{
    type Item = K;
    fn poll_chunk(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<K>> {
        let this = self.get_mut();
        let next = &mut this.next;
        let pending = this.pending.get_or_insert_with(|| Box::pin(next()));
        let chunk = pending.as_mut().poll(cx);
        if chunk.is_ready() {
            this.pending = None;
        }
        chunk
    }
}
