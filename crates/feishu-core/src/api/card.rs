//! Cards in Card JSON 2.0: a typed builder, the documented limits checked
//! when a card is built, Markdown escaping and ready-made cards.
//! Docs: <https://open.feishu.cn/document/feishu-cards/card-json-v2-structure>
//!
//! [`CardV2`] is the builder; [`CardV2::build`] checks it against Feishu's
//! rules and gives a [`CardJson`], the only form the rest of the crate
//! takes a card in: send it as a message ([`CardJson::into_content`]) or
//! create a CardKit entity from it ([`CreateCard`](crate::cardkit::card::CreateCard)).
//!
//! ```
//! use feishu_core::card::{Button, ButtonType, CardV2, Header, Markdown, Template, escape};
//! use feishu_core::im::message::SendMessage;
//!
//! let user_text = "it's *urgent*";
//! let card = CardV2::new()
//!     .header(Header::new("Review requested").template(Template::Orange))
//!     .add(Markdown::new(format!("Tom wrote: {}", escape(user_text))).id("note"))
//!     .add(Button::new("Approve").button_type(ButtonType::Primary)
//!         .callback(serde_json::json!({"action": "approve"})))
//!     .build()?;
//! assert_eq!(card.as_value()["body"]["elements"][0]["content"], "Tom wrote: it's &#42;urgent&#42;");
//!
//! let send = SendMessage::new("oc_5ad11d72b830411d72b836c20", card.into_content());
//! # let _ = send;
//! # Ok::<(), feishu_core::card::CardError>(())
//! ```
//!
//! Components not typed here go in as JSON: `add(json!({"tag": "chart", …}))`;
//! they are checked by the same rules (ids, counts, nesting).

/// Builder setters for optional fields, each entry ending in a comma:
/// `field: Type` writes `fn field(self, impl Into<Type>)`, `field = Type`
/// takes the type itself (numbers, so literals infer), and `field as name`
/// names the method `name`.
macro_rules! setters {
    () => {};
    ($(#[$doc:meta])* $field:ident $(as $method:ident)?: $ty:ty, $($rest:tt)*) => {
        setters!(@into $(#[$doc])* $field [$($method)? $field]: $ty);
        setters!($($rest)*);
    };
    ($(#[$doc:meta])* $field:ident $(as $method:ident)? = $ty:ty, $($rest:tt)*) => {
        setters!(@exact $(#[$doc])* $field [$($method)? $field]: $ty);
        setters!($($rest)*);
    };
    (@into $(#[$doc:meta])* $field:ident [$method:ident $($_default:ident)?]: $ty:ty) => {
        $(#[$doc])*
        pub fn $method(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
    (@exact $(#[$doc:meta])* $field:ident [$method:ident $($_default:ident)?]: $ty:ty) => {
        $(#[$doc])*
        pub fn $method(mut self, value: $ty) -> Self {
            self.$field = Some(value);
            self
        }
    };
}

/// The `element_id` and `margin` every component has.
macro_rules! element_common {
    ($($ty:ty),* $(,)?) => {
        $(
            impl $ty {
                /// Sets the `element_id` CardKit updates the component by:
                /// 1–20 characters, a letter then letters, digits and `_`,
                /// unique within the card (checked when the card is built).
                pub fn id(mut self, element_id: impl Into<String>) -> Self {
                    self.element_id = Some(element_id.into());
                    self
                }

                /// Sets the `margin`, e.g. `4px 0`, in [-99, 99] px.
                pub fn margin(mut self, margin: impl Into<String>) -> Self {
                    self.margin = Some(margin.into());
                    self
                }
            }
        )*
    };
}

mod button;
mod config;
mod container;
mod element;
mod error;
pub mod factory;
mod header;
mod id;
mod input;
mod markdown;
mod table;
mod text;
pub(crate) mod validate;

pub use button::{Behavior, Button, ButtonSize, ButtonType, Confirm, FormAction, OpenUrl};
pub use config::{
    CardLink, Config, PerPlatform, PrintStrategy, StreamingConfig, Summary, WidthMode,
};
pub use container::{
    Border, CollapsiblePanel, Column, ColumnSet, FlexMode, Form, IconPosition, PanelHeader,
};
pub use element::{Divider, Element, Image, Markdown, PlainText, ScaleType};
pub use error::CardError;
pub use header::{Header, HeaderTag, TagColor, Template};
pub use id::ElementId;
pub use input::{Input, InputType, LabelPosition, Select, SelectOption, SelectType};
pub use markdown::escape;
pub use table::{DataType, HeaderStyle, NumberFormat, Table, TableColumn};
pub use text::{Direction, HorizontalAlign, Icon, Text, TextTag, VerticalAlign};
pub use validate::{
    MAX_CARD_BYTES, MAX_ELEMENTS, MAX_HEADER_TAGS, MAX_NESTING, MAX_TABLE_COLUMNS, MAX_TABLES,
};

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::im::content::{Card, MessageContent};

/// A card under construction (`"schema": "2.0"`). Setters never fail; the
/// rules are checked once, by [`CardV2::build`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardV2 {
    config: Config,
    card_link: Option<CardLink>,
    header: Option<Header>,
    body: Body,
}

/// The card's `body`: its layout and components.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    direction: Option<Direction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    padding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_spacing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_align: Option<HorizontalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_spacing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_align: Option<VerticalAlign>,
    elements: Vec<Element>,
}

impl CardV2 {
    /// An empty card.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the title bar.
    pub fn header(mut self, header: Header) -> Self {
        self.header = Some(header);
        self
    }

    /// Sets a plain title bar reading `title`.
    pub fn title(self, title: impl Into<String>) -> Self {
        self.header(Header::new(Text::plain(title)))
    }

    /// Sets the `config`.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Turns `config.streaming_mode` on or off, keeping the rest of the config.
    pub fn streaming(mut self, on: bool) -> Self {
        self.config = self.config.streaming_mode(on);
        self
    }

    /// Sets where a click on the card leads (`card_link`).
    pub fn link(mut self, link: CardLink) -> Self {
        self.card_link = Some(link);
        self
    }

    /// Adds a component: a typed one, or raw JSON (`json!({"tag": …})`) for
    /// a component not typed yet.
    // `add` is the builder word for a component here, not arithmetic.
    #[allow(clippy::should_implement_trait)]
    pub fn add(mut self, element: impl Into<Element>) -> Self {
        self.body.elements.push(element.into());
        self
    }

    /// Sets how the body lays its components out.
    pub fn direction(mut self, direction: Direction) -> Self {
        self.body.direction = Some(direction);
        self
    }

    /// Sets the body's padding, e.g. `12px 12px 12px 12px`.
    pub fn padding(mut self, padding: impl Into<String>) -> Self {
        self.body.padding = Some(padding.into());
        self
    }

    /// Sets the spacing between components, vertically (`small`, `medium`,
    /// `large`, `extra_large` or px).
    pub fn vertical_spacing(mut self, spacing: impl Into<String>) -> Self {
        self.body.vertical_spacing = Some(spacing.into());
        self
    }

    /// Sets the spacing between components, horizontally.
    pub fn horizontal_spacing(mut self, spacing: impl Into<String>) -> Self {
        self.body.horizontal_spacing = Some(spacing.into());
        self
    }

    /// Sets how components align horizontally.
    pub fn horizontal_align(mut self, align: HorizontalAlign) -> Self {
        self.body.horizontal_align = Some(align);
        self
    }

    /// Sets how components align vertically.
    pub fn vertical_align(mut self, align: VerticalAlign) -> Self {
        self.body.vertical_align = Some(align);
        self
    }

    /// Checks the card against Card JSON 2.0's documented rules and returns
    /// its JSON.
    ///
    /// Refused: an `element_id` that is not 1–20 characters of
    /// `[A-Za-z][A-Za-z0-9_]*` or is used twice; more than 200 components
    /// and text elements; more than 5 tables, or a table with more than 50
    /// columns or a page size outside 1–10; a table or form anywhere but the
    /// body's root; a form without a `name`, or a field in a form without
    /// one, or a name used twice; containers nested more than 5 deep; more
    /// than 3 header tags; a column weight outside 1–5; an input whose
    /// `max_length` is outside 1–1,000 or whose placeholder is over 100
    /// characters; a select offering one value twice; `update_multi: false`;
    /// and a card over 30 KB of JSON.
    pub fn build(&self) -> Result<CardJson, CardError> {
        let value = serde_json::to_value(self).map_err(|_| CardError::Malformed {
            path: String::new(),
            reason: "the card could not be serialised",
        })?;
        CardJson::from_value(value)
    }
}

impl Serialize for CardV2 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            schema: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            config: Option<&'a Config>,
            #[serde(skip_serializing_if = "Option::is_none")]
            card_link: Option<&'a CardLink>,
            #[serde(skip_serializing_if = "Option::is_none")]
            header: Option<&'a Header>,
            body: &'a Body,
        }
        Wire {
            schema: "2.0",
            config: Some(&self.config).filter(|config| !config.is_empty()),
            card_link: self.card_link.as_ref(),
            header: self.header.as_ref(),
            body: &self.body,
        }
        .serialize(serializer)
    }
}

/// A card's JSON, checked against Card JSON 2.0's rules: what
/// [`CardV2::build`] gives, or any card JSON through
/// [`CardJson::from_value`].
#[derive(Clone, Debug, PartialEq)]
pub struct CardJson {
    value: Value,
}

impl CardJson {
    /// Checks card JSON written elsewhere (a file, another tool) by the
    /// rules [`CardV2::build`] applies.
    ///
    /// ```
    /// use feishu_core::card::{CardError, CardJson};
    ///
    /// let card = serde_json::json!({"schema": "2.0", "body": {"elements": [
    ///     {"tag": "markdown", "content": "a", "element_id": "same"},
    ///     {"tag": "markdown", "content": "b", "element_id": "same"},
    /// ]}});
    /// assert_eq!(CardJson::from_value(card), Err(CardError::DuplicateElementId("same".into())));
    /// ```
    pub fn from_value(value: Value) -> Result<Self, CardError> {
        validate::card(&value)?;
        let size = value.to_string().len();
        if size > MAX_CARD_BYTES {
            return Err(CardError::TooLarge {
                size,
                limit: MAX_CARD_BYTES,
            });
        }
        Ok(Self { value })
    }

    /// The JSON.
    pub fn as_value(&self) -> &Value {
        &self.value
    }

    /// JSON the crate wrote itself and knows to be valid.
    pub(crate) fn trusted(value: Value) -> Self {
        Self { value }
    }

    /// The JSON, owned.
    pub fn into_value(self) -> Value {
        self.value
    }

    /// The JSON as a string, as CardKit takes it.
    pub fn to_json_string(&self) -> String {
        self.value.to_string()
    }

    /// The size of the JSON in bytes (at most 30 KB).
    pub fn size(&self) -> usize {
        self.to_json_string().len()
    }

    /// The card as message content's [`Card`] (`Card::raw`).
    pub fn to_card(&self) -> Card {
        Card::raw(self.value.clone())
    }

    /// The card as the content of an `interactive` message.
    pub fn into_content(self) -> MessageContent {
        MessageContent::Interactive(Card::raw(self.value))
    }

    /// The component with this `element_id`, anywhere in the body.
    pub fn element(&self, element_id: &str) -> Option<&Map<String, Value>> {
        find(self.value.get("body")?, element_id)
    }

    /// Whether `config.streaming_mode` is on.
    pub fn is_streaming(&self) -> bool {
        self.value.pointer("/config/streaming_mode") == Some(&Value::Bool(true))
    }

    /// The JSON, for the crate's own edits that keep it valid (streaming
    /// mode, a streamed element's text).
    pub(crate) fn value_mut(&mut self) -> &mut Value {
        &mut self.value
    }
}

impl Serialize for CardJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl TryFrom<&CardV2> for CardJson {
    type Error = CardError;
    fn try_from(card: &CardV2) -> Result<Self, CardError> {
        card.build()
    }
}

/// The object with `element_id` == `id` under `value`, depth first.
pub(crate) fn find<'v>(value: &'v Value, id: &str) -> Option<&'v Map<String, Value>> {
    match value {
        Value::Object(object) => {
            if object.get("element_id").and_then(Value::as_str) == Some(id) {
                return Some(object);
            }
            object.values().find_map(|child| find(child, id))
        }
        Value::Array(items) => items.iter().find_map(|child| find(child, id)),
        _ => None,
    }
}

/// [`find`], mutably.
pub(crate) fn find_mut<'v>(value: &'v mut Value, id: &str) -> Option<&'v mut Map<String, Value>> {
    match value {
        Value::Object(object) => {
            if object.get("element_id").and_then(Value::as_str) == Some(id) {
                return Some(object);
            }
            object.values_mut().find_map(|child| find_mut(child, id))
        }
        Value::Array(items) => items.iter_mut().find_map(|child| find_mut(child, id)),
        _ => None,
    }
}
