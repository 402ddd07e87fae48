//! The card entities: their JSON, last `sequence`, streaming mode, the
//! message that carries each, the per-card rate window, the `uuid`s used
//! and the history of every operation; and the card-update tokens that
//! card actions hand out. Given the time, never reading a clock.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use super::error::CardError;
use super::record::{CardWrite, StoredCard};
use super::tree;

/// Operations one card accepts in any second.
pub(crate) const MAX_OPERATIONS_PER_SECOND: usize = 10;
/// How long a card streams before Feishu ends it.
pub(crate) const STREAMING_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// How long a card entity lives.
pub(crate) const CARD_LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);
/// How long a card-update token works, and how often.
pub(crate) const UPDATE_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);
pub(crate) const UPDATE_TOKEN_USES: u32 = 2;
/// The history kept per card: older entries are dropped first.
const MAX_HISTORY: usize = 10_000;
/// Cards kept per server: the oldest is forgotten first.
const MAX_CARDS: usize = 10_000;

/// When a request was received, on the mock's clock.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Now {
    pub(crate) at: Instant,
    pub(crate) wall: SystemTime,
}

/// What an operation does to the card.
#[derive(Debug)]
pub(crate) enum Change {
    Settings(Value),
    Replace(Value),
    Batch(Vec<Value>),
    Insert {
        kind: String,
        target: Option<String>,
        elements: Vec<Value>,
    },
    UpdateElement {
        element_id: String,
        element: Value,
    },
    PatchElement {
        element_id: String,
        partial: serde_json::Map<String, Value>,
    },
    DeleteElement {
        element_id: String,
    },
    Content {
        element_id: String,
        content: String,
    },
}

impl Change {
    fn operation(&self) -> &'static str {
        match self {
            Change::Settings(_) => "card.settings",
            Change::Replace(_) => "card.update",
            Change::Batch(_) => "card.batch_update",
            Change::Insert { .. } => "card_element.create",
            Change::UpdateElement { .. } => "card_element.update",
            Change::PatchElement { .. } => "card_element.patch",
            Change::DeleteElement { .. } => "card_element.delete",
            Change::Content { .. } => "card_element.content",
        }
    }

    fn element_id(&self) -> Option<String> {
        match self {
            Change::UpdateElement { element_id, .. }
            | Change::PatchElement { element_id, .. }
            | Change::DeleteElement { element_id }
            | Change::Content { element_id, .. } => Some(element_id.clone()),
            Change::Insert { target, .. } => target.clone(),
            _ => None,
        }
    }
}

/// A mutating operation: its change, `sequence` and `uuid`.
#[derive(Debug)]
pub(crate) struct Operation {
    pub(crate) change: Change,
    pub(crate) sequence: i64,
    pub(crate) uuid: Option<String>,
}

struct Entity {
    record: StoredCard,
    created: Instant,
    /// When streaming was last turned on.
    streaming_since: Instant,
    /// When the accepted operations of the last second came in.
    window: VecDeque<Instant>,
    /// The `uuid`s applied, with their `sequence`.
    uuids: HashMap<String, i64>,
    /// The `uuid` of the send that carried the card.
    sent_uuid: Option<String>,
}

/// A card-update token handed out with a card action.
struct UpdateToken {
    message_id: String,
    issued: Instant,
    uses: u32,
}

/// Every card entity of one server.
#[derive(Default)]
pub(crate) struct CardStore {
    cards: VecDeque<Entity>,
    by_message: HashMap<String, String>,
    tokens: HashMap<String, UpdateToken>,
}

impl CardStore {
    fn index(&self, card_id: &str) -> Option<usize> {
        self.cards.iter().position(|e| e.record.card_id == card_id)
    }

    /// Stores a new card of `app_id`, checked; `card_id` must be fresh.
    pub(crate) fn create(
        &mut self,
        card_id: String,
        app_id: &str,
        card: Value,
        now: Now,
    ) -> Result<(), CardError> {
        tree::check_card(&card)?;
        if self.cards.len() == MAX_CARDS {
            self.cards.pop_front();
        }
        let streaming = tree::streaming(&card);
        let write = CardWrite {
            operation: "card.create",
            at: now.wall,
            sequence: None,
            uuid: None,
            element_id: None,
            content: None,
            code: 0,
            replay: false,
            extends: false,
        };
        self.cards.push_back(Entity {
            record: StoredCard {
                card_id,
                app_id: app_id.to_owned(),
                card,
                sequence: 0,
                streaming,
                message_id: None,
                writes: vec![write],
            },
            created: now.at,
            streaming_since: now.at,
            window: VecDeque::from([now.at]),
            uuids: HashMap::new(),
            sent_uuid: None,
        });
        Ok(())
    }

    /// Whether `card_id` is taken.
    pub(crate) fn contains(&self, card_id: &str) -> bool {
        self.index(card_id).is_some()
    }

    /// A copy of the card `card_id`.
    pub(crate) fn card(&self, card_id: &str) -> Option<StoredCard> {
        self.index(card_id).map(|i| self.cards[i].record.clone())
    }

    /// Every card, oldest first.
    pub(crate) fn cards(&self) -> Vec<StoredCard> {
        self.cards.iter().map(|e| e.record.clone()).collect()
    }

    /// The card sent as `message_id`.
    pub(crate) fn card_of(&self, message_id: &str) -> Option<&str> {
        self.by_message.get(message_id).map(String::as_str)
    }

    /// Whether `app_id` may send `card_id` in a message with `uuid` now:
    /// its own, live, and not sent before (but for a repeat of the send
    /// that carried it, with its `uuid`).
    pub(crate) fn check_send(
        &self,
        card_id: &str,
        app_id: &str,
        uuid: Option<&str>,
        now: Now,
    ) -> Result<(), String> {
        let entity = self
            .index(card_id)
            .map(|i| &self.cards[i])
            .ok_or_else(|| format!("no card entity {card_id}"))?;
        if entity.record.app_id != app_id {
            return Err(format!("card entity {card_id} belongs to another app"));
        }
        if now.at.duration_since(entity.created) >= CARD_LIFETIME {
            return Err(format!("card entity {card_id} expired"));
        }
        let repeat = uuid.is_some() && entity.sent_uuid.as_deref() == uuid;
        if entity.record.message_id.is_some() && !repeat {
            return Err(format!("card entity {card_id} was sent already"));
        }
        Ok(())
    }

    /// `card_id` went out as `message_id`.
    pub(crate) fn sent(&mut self, card_id: &str, message_id: &str, uuid: Option<String>) {
        if let Some(i) = self.index(card_id) {
            let entity = &mut self.cards[i];
            entity.record.message_id = Some(message_id.to_owned());
            entity.sent_uuid = uuid;
            self.by_message
                .insert(message_id.to_owned(), card_id.to_owned());
        }
    }

    /// Carries out `operation` on `card_id` for `app_id`, or refuses it
    /// with Feishu's code; either way it goes into the card's history.
    pub(crate) fn operate(
        &mut self,
        card_id: &str,
        app_id: &str,
        operation: Operation,
        now: Now,
    ) -> Result<(), CardError> {
        let i = self.index(card_id).ok_or(CardError::NotFound)?;
        let entity = &mut self.cards[i];
        if entity.record.app_id != app_id {
            return Err(CardError::NotOwner);
        }
        let mut write = CardWrite {
            operation: operation.change.operation(),
            at: now.wall,
            sequence: Some(operation.sequence),
            uuid: operation.uuid.clone(),
            element_id: operation.change.element_id(),
            content: match &operation.change {
                Change::Content { content, .. } => Some(content.clone()),
                _ => None,
            },
            code: 0,
            replay: false,
            extends: false,
        };
        let result = entity.operate(operation, now, &mut write);
        if let Err(error) = &result {
            write.code = error.code();
        }
        entity.remember(write);
        result
    }

    /// Replaces the card of message `message_id` with `card`, as a callback
    /// answer (`card.callback`) or a delayed update (`card.delay_update`)
    /// does; `false` when the message carries no card entity.
    pub(crate) fn replace_shown(
        &mut self,
        message_id: &str,
        card: Value,
        operation: &'static str,
        now: Now,
    ) -> bool {
        let Some(i) = self
            .by_message
            .get(message_id)
            .and_then(|card_id| self.index(card_id))
        else {
            return false;
        };
        let entity = &mut self.cards[i];
        entity.record.streaming = tree::streaming(&card);
        entity.record.card = card;
        entity.remember(CardWrite {
            operation,
            at: now.wall,
            sequence: None,
            uuid: None,
            element_id: None,
            content: None,
            code: 0,
            replay: false,
            extends: false,
        });
        true
    }

    /// Hands out `token` to update the card of `message_id` later.
    pub(crate) fn issue_token(&mut self, token: String, message_id: &str, now: Now) {
        self.tokens.insert(
            token,
            UpdateToken {
                message_id: message_id.to_owned(),
                issued: now.at,
                uses: 0,
            },
        );
    }

    /// Spends one use of `token`; the message it updates.
    pub(crate) fn spend_token(&mut self, token: &str, now: Now) -> Result<String, CardError> {
        let entry = self
            .tokens
            .get_mut(token)
            .ok_or(CardError::invalid("token", "no such card-update token"))?;
        if now.at.duration_since(entry.issued) >= UPDATE_TOKEN_LIFETIME {
            return Err(CardError::invalid(
                "token",
                "the token expired (30 minutes)",
            ));
        }
        if entry.uses >= UPDATE_TOKEN_USES {
            return Err(CardError::invalid("token", "the token was used twice"));
        }
        entry.uses += 1;
        Ok(entry.message_id.clone())
    }
}

impl Entity {
    fn remember(&mut self, write: CardWrite) {
        if self.record.writes.len() == MAX_HISTORY {
            self.record.writes.remove(0);
        }
        self.record.writes.push(write);
    }

    fn operate(
        &mut self,
        operation: Operation,
        now: Now,
        write: &mut CardWrite,
    ) -> Result<(), CardError> {
        if now.at.duration_since(self.created) >= CARD_LIFETIME {
            return Err(CardError::Expired);
        }
        if !(1..=i64::from(i32::MAX)).contains(&operation.sequence) {
            return Err(CardError::invalid(
                "sequence",
                "must be an integer from 1 to 2147483647",
            ));
        }
        if let Some(uuid) = &operation.uuid {
            match self.uuids.get(uuid) {
                Some(&sequence) if sequence == operation.sequence => {
                    write.replay = true;
                    return Ok(());
                }
                Some(_) => return Err(CardError::UuidConflict),
                None => {}
            }
        }
        while self
            .window
            .front()
            .is_some_and(|&at| now.at.duration_since(at) >= Duration::from_secs(1))
        {
            self.window.pop_front();
        }
        if self.window.len() >= MAX_OPERATIONS_PER_SECOND {
            return Err(CardError::RateLimited);
        }
        self.window.push_back(now.at);
        if operation.sequence <= self.record.sequence {
            return Err(CardError::SequenceNotIncreasing);
        }
        if let Change::Content { .. } = operation.change {
            self.check_streaming(now)?;
        }
        let mut card = self.record.card.clone();
        match operation.change {
            Change::Content {
                element_id,
                content,
            } => {
                write.extends = tree::set_content(&mut card, &element_id, content)?;
            }
            Change::Replace(new) => card = new,
            change => tree::apply(&mut card, change)?,
        }
        tree::check_card(&card)?;
        // The card's own `config.streaming_mode` is the mode: settings,
        // batches and replacements change it there.
        let streaming = tree::streaming(&card);
        if streaming && !self.record.streaming {
            self.streaming_since = now.at;
        }
        self.record.card = card;
        self.record.streaming = streaming;
        self.record.sequence = operation.sequence;
        if let Some(uuid) = operation.uuid {
            self.uuids.insert(uuid, operation.sequence);
        }
        Ok(())
    }

    /// Content writes need streaming mode, which ends on its own after ten
    /// minutes.
    fn check_streaming(&mut self, now: Now) -> Result<(), CardError> {
        if !self.record.streaming {
            return Err(CardError::StreamingClosed);
        }
        if now.at.duration_since(self.streaming_since) >= STREAMING_TIMEOUT {
            self.record.streaming = false;
            tree::set_streaming(&mut self.record.card, false);
            return Err(CardError::StreamingTimeout);
        }
        Ok(())
    }
}
