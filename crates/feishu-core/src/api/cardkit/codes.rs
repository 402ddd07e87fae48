//! CardKit's error codes, by name: the `code` of an
//! [`ApiError`](crate::ApiError) from a CardKit call. The meanings are those
//! of the error tables on the CardKit API pages.
//!
//! ```
//! # use feishu_core::cardkit::codes;
//! assert!(codes::STREAMING_ENDED.contains(&codes::STREAMING_CLOSED));
//! ```

/// A request parameter is invalid.
pub const INVALID_PARAMETER: i64 = 10002;
/// The card entity does not exist.
pub const CARD_NOT_FOUND: i64 = 200740;
/// The card entity expired (entities live 14 days).
pub const CARD_EXPIRED: i64 = 200750;
/// The `uuid` was used for another operation.
pub const UUID_CONFLICT: i64 = 200770;
/// A user is interacting with the card (a callback is in progress).
pub const CARD_IN_INTERACTION: i64 = 200810;
/// Streaming mode timed out and closed itself (about 10 minutes after it
/// was opened).
pub const STREAMING_TIMEOUT: i64 = 200850;
/// The card is over 30 KB.
pub const CARD_TOO_LARGE: i64 = 200860;
/// The card JSON could not be rendered.
pub const CARD_CONTENT_FAILED: i64 = 200220;
/// Two components share an `element_id`.
pub const DUPLICATE_ELEMENT_ID: i64 = 300301;
/// `update_multi` is `false`.
pub const NOT_SHARED: i64 = 300302;
/// The card is not Card JSON 2.0.
pub const NOT_SCHEMA_2: i64 = 300303;
/// More than 200 components.
pub const TOO_MANY_ELEMENTS: i64 = 300305;
/// The card JSON is empty.
pub const EMPTY_CARD: i64 = 300307;
/// Streaming mode is off: content writes are refused.
pub const STREAMING_CLOSED: i64 = 300309;
/// Content writes take only `plain_text` and `markdown` elements.
pub const NOT_TEXT: i64 = 300310;
/// Another app created the card.
pub const NOT_CARD_OWNER: i64 = 300311;
/// An update tried to change a component's `tag`.
pub const TAG_CHANGED: i64 = 300312;
/// A component's properties could not be updated.
pub const ELEMENT_UPDATE_FAILED: i64 = 300313;
/// A component could not be deleted.
pub const ELEMENT_DELETE_FAILED: i64 = 300314;
/// A component could not be added.
pub const ELEMENT_ADD_FAILED: i64 = 300315;
/// The `sequence` did not increase over the card's last operation.
pub const SEQUENCE_NOT_INCREASING: i64 = 300317;
/// A CardKit internal error.
pub const INTERNAL_ERROR: i64 = 300120;

/// Streaming is over on Feishu's side: content writes will keep failing,
/// while component updates still work.
pub const STREAMING_ENDED: &[i64] = &[STREAMING_TIMEOUT, STREAMING_CLOSED];
