//! Why a card, or a CardKit value, is refused before anything is sent.

/// A card that breaks a rule of Card JSON 2.0, or a CardKit value out of its
/// documented range. Every limit Feishu documents is checked when the card
/// is built, so a bad card is this error, not a rejected request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CardError {
    /// An `element_id` is not 1–20 characters of `[A-Za-z][A-Za-z0-9_]*`.
    #[error("`{id}` is not a valid element_id: {reason}")]
    InvalidElementId {
        /// The id as given.
        id: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// Two components of one card share an `element_id`.
    #[error("the element_id `{0}` is used twice in the card")]
    DuplicateElementId(String),
    /// Two form fields (or forms) of one card share a `name`.
    #[error("the name `{0}` is used twice in the card")]
    DuplicateName(String),
    /// A form, or a component inside a form, has no `name`.
    #[error("a `{0}` needs a `name` here")]
    MissingName(String),
    /// One select offers the same option `value` twice.
    #[error("the option value `{0}` appears twice in one select")]
    DuplicateOptionValue(String),
    /// More components than a card may hold (200).
    #[error("the card has {count} elements; a card holds at most {limit}")]
    TooManyElements {
        /// How many the card has.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// More tables than a card may hold (5).
    #[error("the card has {count} tables; a card holds at most {limit}")]
    TooManyTables {
        /// How many the card has.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// More table columns than a table may have (50).
    #[error("a table has {count} columns; at most {limit}")]
    TooManyColumns {
        /// How many the table has.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// More header tags than a header shows (3).
    #[error("the header has {count} tags; it shows at most {limit}")]
    TooManyHeaderTags {
        /// How many the header has.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A table or a form somewhere other than the card's root.
    #[error("a `{0}` can only sit directly in the card's body")]
    NotAtRoot(&'static str),
    /// A component where its container does not take it (a table in a
    /// form, a form in a panel).
    #[error("a `{inner}` cannot be nested in a `{outer}`")]
    NotAllowedIn {
        /// The component.
        inner: String,
        /// Its container.
        outer: &'static str,
    },
    /// Containers nested deeper than Feishu renders (5 levels).
    #[error("containers are nested {depth} deep; at most {limit}")]
    NestingTooDeep {
        /// How deep they are.
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// A number out of its documented range.
    #[error("`{field}` is {value}; it must be in {min}..={max}")]
    OutOfRange {
        /// The field.
        field: &'static str,
        /// Its value.
        value: i64,
        /// The least value allowed.
        min: i64,
        /// The greatest value allowed.
        max: i64,
    },
    /// A text out of its documented length, in characters.
    #[error("`{field}` has {len} characters; it must have {min}–{max}")]
    Length {
        /// The field.
        field: &'static str,
        /// Its length in characters.
        len: usize,
        /// The least length allowed.
        min: usize,
        /// The greatest length allowed.
        max: usize,
    },
    /// The card's JSON is over Feishu's size limit (30 KB).
    #[error("the card is {size} bytes of JSON; at most {limit}")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A header `template` outside the documented colours.
    #[error("`{0}` is not a header template colour")]
    UnknownTemplate(String),
    /// The card does not declare `"schema": "2.0"`.
    #[error("a Card JSON 2.0 card declares \"schema\": \"2.0\"")]
    NotSchema2,
    /// `config.update_multi` is `false`: Card JSON 2.0 and CardKit take only
    /// shared cards.
    #[error("config.update_multi must be true: Card JSON 2.0 only has shared cards")]
    NotShared,
    /// The JSON is not the shape a card has (an element that is not an
    /// object with a `tag`, a list that is not an array).
    #[error("malformed card JSON at {path}: {reason}")]
    Malformed {
        /// Where, e.g. `body.elements[2]`.
        path: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The card has no component with this `element_id`.
    #[error("the card has no element `{0}`")]
    NoSuchElement(String),
    /// Text is streamed only into `markdown` and `plain_text` elements.
    #[error("element `{id}` is a `{tag}`; text streams only into markdown and plain_text")]
    NotText {
        /// The element.
        id: String,
        /// Its tag.
        tag: String,
    },
    /// A partial update may not change an element's `tag`.
    #[error("a partial element update cannot change the `tag`")]
    PatchesTag,
}
