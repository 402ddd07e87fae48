//! The stream's steps: what `poll` hands out in each state, and how a
//! failed write is taken.

use std::mem;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::text::TextBuffer;
use super::throttle::Throttle;
use super::{
    CardStream, Cause, MAX_FAILED_WRITES_IN_A_ROW, Next, Pending, Producer, Stage, State,
    StreamError, StreamRequest, Streamed,
};
use crate::card::{self, CardError, Config, Element, MAX_CARD_BYTES};
use crate::cardkit::card::{CardSettings, CreateCard, UpdateCardSettings};
use crate::cardkit::card_element::{StreamElementContent, UpdateCardElement};
use crate::cardkit::codes::STREAMING_ENDED;
use crate::cardkit::{CardId, Sequence, Uuid};
use crate::{Error, Misuse};

impl CardStream {
    pub(super) fn create(&mut self) -> Next {
        // Text that came before the card exists goes out with it.
        if !self.text.is_empty() {
            let text = self.text.as_str().to_owned();
            if let Some(element) = card::find_mut(self.card.value_mut(), &self.element_id) {
                element.insert("content".to_owned(), Value::String(text));
            }
        }
        self.written = Some(self.text.len());
        self.state = State::Awaiting(Pending::Create);
        Next::Send(StreamRequest::CreateCard(CreateCard::new(&self.card)))
    }

    pub(super) fn send(&mut self) -> Next {
        let Some(card_id) = self.card_id.clone() else {
            return Next::Done(Err(
                self.error(Stage::Driver, Error::from(Misuse::OutOfOrder))
            ));
        };
        self.state = State::Awaiting(Pending::Send);
        Next::Send(self.target.request(&card_id))
    }

    pub(super) fn stream(&mut self, now: SystemTime) -> Next {
        let changed = !self.text.is_empty() && self.written != Some(self.text.len());
        if changed {
            let at = self.throttle.write_at(now);
            if now >= at {
                return self.write(now);
            }
            self.state = State::Stream;
            return match self.producer {
                Producer::Running => Next::WaitForChunk { until: Some(at) },
                Producer::Finished | Producer::Failed => Next::Wait(at),
            };
        }
        if self.producer != Producer::Running {
            return self.close(now);
        }
        self.state = State::Stream;
        Next::WaitForChunk { until: None }
    }

    pub(super) fn write(&mut self, now: SystemTime) -> Next {
        let (card_id, sequence) = match self.next_operation() {
            Ok(ids) => ids,
            Err(cause) => return self.give_up(cause, now),
        };
        let uuid = Uuid::generated(self.random.uuid());
        let text = self.text.as_str();
        let request = if self.fell_back {
            let mut element = self.element.clone();
            element.insert("content".to_owned(), Value::String(text.to_owned()));
            UpdateCardElement::new(
                card_id,
                self.element_id.clone(),
                Element::Raw(element.into()),
                sequence,
            )
            .map(|write| StreamRequest::UpdateElement(write.uuid(uuid)))
        } else {
            StreamElementContent::new(card_id, self.element_id.clone(), text, sequence)
                .map(|write| StreamRequest::Content(write.uuid(uuid)))
        };
        match request {
            Ok(request) => {
                self.throttle.wrote(now);
                self.operations += 1;
                self.state = State::Awaiting(Pending::Write {
                    len: self.text.len(),
                });
                Next::Send(request)
            }
            Err(error) => self.give_up(error.into(), now),
        }
    }

    pub(super) fn close(&mut self, now: SystemTime) -> Next {
        let at = self.throttle.operation_at(now);
        if now < at {
            self.state = State::Close;
            return Next::Wait(at);
        }
        let (card_id, sequence) = match self.next_operation() {
            Ok(ids) => ids,
            Err(cause) => return Next::Done(Err(self.error(Stage::Close, cause))),
        };
        let mut config = Config::new().streaming_mode(false);
        if let Some(summary) = &self.close_summary {
            config = config.summary(summary.as_str());
        }
        let uuid = Uuid::generated(self.random.uuid());
        match UpdateCardSettings::new(card_id, &CardSettings::config(config), sequence) {
            Ok(close) => {
                self.operations += 1;
                self.state = State::Awaiting(Pending::Close);
                Next::Send(StreamRequest::Settings(close.uuid(uuid)))
            }
            Err(error) => Next::Done(Err(self.error(Stage::Close, error))),
        }
    }

    /// A write failed: the next one sends the whole text again. When Feishu
    /// has ended streaming, later writes replace the element instead; after
    /// too many failures in a row the stream stops writing and closes.
    pub(super) fn write_failed(&mut self, error: Error) -> State {
        self.failed_writes += 1;
        self.written = None;
        let ended = error
            .code()
            .is_some_and(|code| STREAMING_ENDED.contains(&code));
        if ended && !self.fell_back {
            self.fell_back = true;
            self.failed_in_a_row = 0;
        } else {
            self.failed_in_a_row += 1;
        }
        self.last_write_error = Some(error.into());
        if self.failed_in_a_row >= MAX_FAILED_WRITES_IN_A_ROW {
            State::Close
        } else {
            State::Stream
        }
    }

    /// A write could not even be made: stop writing and close with the text
    /// so far.
    pub(super) fn give_up(&mut self, cause: Cause, now: SystemTime) -> Next {
        self.failed_in_a_row = MAX_FAILED_WRITES_IN_A_ROW;
        self.last_write_error = Some(cause);
        self.close(now)
    }

    /// The card and the sequence number of the next operation on it.
    pub(super) fn next_operation(&mut self) -> Result<(CardId, Sequence), Cause> {
        let card_id = self
            .card_id
            .clone()
            .ok_or(Cause::Call(Misuse::OutOfOrder.into()))?;
        let sequence = self.next_sequence.ok_or(CardError::OutOfRange {
            field: "sequence",
            value: i64::from(i32::MAX) + 1,
            min: 1,
            max: i64::from(i32::MAX),
        })?;
        self.next_sequence = sequence.next();
        Ok((card_id, sequence))
    }

    /// How the stream ended, once streaming is off.
    pub(super) fn result(&mut self) -> Result<Streamed, StreamError> {
        if self.failed_in_a_row >= MAX_FAILED_WRITES_IN_A_ROW
            && let Some(cause) = self.last_write_error.take()
        {
            return Err(self.error(Stage::Write, cause));
        }
        let (Some(card_id), Some(message_id)) = (self.card_id.clone(), self.message_id.clone())
        else {
            return Err(self.error(Stage::Driver, Error::from(Misuse::OutOfOrder)));
        };
        Ok(Streamed {
            card_id,
            message_id,
            chars_written: self.chars_written(),
            dropped_chars: self.text.dropped(),
            producer_failed: self.producer == Producer::Failed,
            operations: self.operations,
            failed_writes: self.failed_writes,
            fell_back: self.fell_back,
        })
    }

    pub(super) fn chars_written(&self) -> usize {
        match self.written {
            Some(len) if len == self.text.len() => self.text.chars(),
            Some(len) => self
                .text
                .as_str()
                .get(..len)
                .map_or(0, |t| t.chars().count()),
            None => 0,
        }
    }

    pub(super) fn error(&self, stage: Stage, cause: impl Into<Cause>) -> StreamError {
        StreamError {
            stage,
            card_id: self.card_id.clone(),
            message_id: self.message_id.clone(),
            chars_written: self.chars_written(),
            cause: cause.into(),
        }
    }

    /// Recomputes what the options and the card allow; the text pushed so
    /// far is kept within the new limits.
    pub(super) fn reset_limits(&mut self) {
        let interval = self
            .interval
            .max(Duration::from_secs(1) / u32::from(self.per_second));
        self.throttle = Throttle::new(usize::from(self.per_second), interval);
        let mut empty = self.card.clone();
        if let Some(element) = card::find_mut(empty.value_mut(), &self.element_id) {
            element.insert("content".to_owned(), Value::String(String::new()));
        }
        let room = MAX_CARD_BYTES.saturating_sub(empty.size());
        let pushed = mem::replace(&mut self.text, TextBuffer::new(self.max_chars, room));
        self.text.push(pushed.as_str());
    }
}
