//! CardKit (`/open-apis/cardkit/v1`): card entities to send once and update
//! for 14 days, their components, and text streamed into them; and the
//! delayed update of a card after its callback.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/cardkit-v1/feishu-card-resource-overview>
//!
//! - [`card`]: create a card entity, change its settings, replace it, batch
//!   changes, find the card behind a message.
//! - [`card_element`]: insert, replace, patch and delete components, and
//!   stream text into one.
//! - [`stream`]: the streaming state machine an LLM bot answers with.
//! - [`DelayUpdateCard`]: `POST /open-apis/interactive/v1/card/update`.
//! - [`codes`]: CardKit's error codes.
//!
//! Every CardKit call takes the tenant token (scope `cardkit:card:write`;
//! 1,000 a minute, 50 a second per app), and a card accepts at most 10
//! operations a second. Each operation on a card carries a [`Sequence`],
//! strictly increasing over all operations on that card, and may carry a
//! [`Uuid`] so a repeat happens once; a [`Call`](crate::Call) gives each
//! one a fresh `uuid` when the caller set none, so CardKit writes are safe
//! to retry. Values are checked when they are made: a [`CardId`] is 1–20
//! characters, an [`ElementId`](crate::card::ElementId) 1–20 of
//! `[A-Za-z][A-Za-z0-9_]*`, a `Sequence` 1..=2,147,483,647, a `Uuid` 1–64
//! characters.

pub mod card;
pub mod card_element;
pub mod codes;
mod delay_update;
mod ids;
pub mod stream;

pub use delay_update::{DELAY_UPDATE_TOKEN_LIFETIME, DELAY_UPDATE_TOKEN_USES, DelayUpdateCard};
pub use ids::{CardId, Sequence, Uuid};

pub(crate) use ids::length;
