//! How a stream ends: what it did, or where it failed and why.

use std::fmt;

use crate::card::CardError;
use crate::cardkit::CardId;
use crate::{Error, InvalidRequest};

/// A stream that ended with its text on the card and streaming off.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Streamed {
    /// The card entity.
    pub card_id: CardId,
    /// The message carrying it.
    pub message_id: String,
    /// Characters of text on the card.
    pub chars_written: usize,
    /// Characters dropped at Feishu's limits, or pushed after the end.
    pub dropped_chars: usize,
    /// Whether the producer reported a failure ([`CardStream::fail`](super::CardStream::fail)).
    pub producer_failed: bool,
    /// Operations sent on the card: writes and the close.
    pub operations: u32,
    /// Writes that failed (and were repaired by a later one).
    pub failed_writes: u32,
    /// Whether Feishu ended streaming first, so the text was written by
    /// replacing the element.
    pub fell_back: bool,
}

/// The step a stream failed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Creating the card entity: nothing was sent to anyone.
    Create,
    /// Sending the card: it exists, unsent.
    Send,
    /// Writing the text: writes kept failing; streaming was turned off
    /// with the text last written.
    Write,
    /// Turning streaming off: Feishu ends it itself after ten minutes.
    Close,
    /// The driver called the stream out of order.
    Driver,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Create => "creating the card",
            Stage::Send => "sending the card",
            Stage::Write => "writing the text",
            Stage::Close => "ending streaming",
            Stage::Driver => "driving the stream",
        })
    }
}

/// Why a stream failed, and how far it got.
#[derive(Debug, thiserror::Error)]
#[error("card stream failed while {stage}: {cause}")]
#[non_exhaustive]
pub struct StreamError {
    /// Where it failed.
    pub stage: Stage,
    /// The card entity, once created.
    pub card_id: Option<CardId>,
    /// The message, once sent.
    pub message_id: Option<String>,
    /// Characters of text known to be on the card.
    pub chars_written: usize,
    /// What went wrong.
    #[source]
    pub cause: Cause,
}

/// What made a stream fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Cause {
    /// A call failed (after its own retries).
    #[error(transparent)]
    Call(#[from] Error),
    /// A request could not be made (the card's sequence numbers ran out).
    #[error(transparent)]
    Card(#[from] CardError),
}

impl From<InvalidRequest> for Cause {
    fn from(error: InvalidRequest) -> Self {
        Cause::Call(error.into())
    }
}
