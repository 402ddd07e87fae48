//! Streaming an answer into a card from any `Stream`: the core's
//! [`AsyncClient::stream_reply`] and its relatives, fed by a
//! `futures::Stream` of text (or of `Result`s, whose `Err` ends the stream
//! with the text so far on a closed card).

use std::pin::Pin;
use std::task::{Context, Poll};

use feishu_core::cardkit::stream::{CardStream, Streamed};
use feishu_core::driver::{AsyncClient, Chunk, ChunkStream, StreamReplyError};
use feishu_core::im::message::ReceiveIdType;
use futures_util::Stream;

use crate::Client;

/// A `Stream` as the core's [`ChunkStream`].
struct Chunks<S>(Pin<Box<S>>);

impl<S: Stream<Item: Chunk>> ChunkStream for Chunks<S> {
    type Item = S::Item;
    fn poll_chunk(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.get_mut().0.as_mut().poll_next(cx)
    }
}

impl Client {
    /// Replies to `message_id` with a card and streams `chunks` into it:
    /// [`AsyncClient::stream_reply`] over a `Stream`. The stream is raced
    /// against the card's write timer, so text goes out on time however
    /// slowly it comes.
    pub async fn stream_reply<S>(
        &self,
        message_id: impl Into<String>,
        chunks: S,
    ) -> Result<Streamed, StreamReplyError<<S::Item as Chunk>::Error>>
    where
        S: Stream<Item: Chunk>,
    {
        self.0
            .stream_reply(message_id, Chunks(Box::pin(chunks)))
            .await
    }

    /// Sends a card to `receive_id` and streams `chunks` into it:
    /// [`AsyncClient::stream_to`] over a `Stream`.
    pub async fn stream_to<S>(
        &self,
        receive_id: impl Into<String>,
        chunks: S,
    ) -> Result<Streamed, StreamReplyError<<S::Item as Chunk>::Error>>
    where
        S: Stream<Item: Chunk>,
    {
        self.0.stream_to(receive_id, Chunks(Box::pin(chunks))).await
    }

    /// [`AsyncClient::stream_to_typed`] over a `Stream`.
    pub async fn stream_to_typed<S>(
        &self,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        chunks: S,
    ) -> Result<Streamed, StreamReplyError<<S::Item as Chunk>::Error>>
    where
        S: Stream<Item: Chunk>,
    {
        let chunks = Chunks(Box::pin(chunks));
        self.0
            .stream_to_typed(receive_id_type, receive_id, chunks)
            .await
    }

    /// Runs `stream` (made with [`AsyncClient::card_stream`], any card and
    /// options) fed from `chunks`: [`AsyncClient::stream_card`] over a
    /// `Stream`.
    pub async fn stream_card<S>(
        &self,
        stream: CardStream,
        chunks: S,
    ) -> Result<Streamed, StreamReplyError<<S::Item as Chunk>::Error>>
    where
        S: Stream<Item: Chunk>,
    {
        AsyncClient::stream_card(&self.0, stream, Chunks(Box::pin(chunks))).await
    }
}
