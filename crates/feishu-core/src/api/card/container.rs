//! Containers: column sets, forms and collapsible panels.
//! Docs: <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/containers/column-set>,
//! <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/containers/form-container>,
//! <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/containers/collapsible-panel>

use serde::Serialize;

use super::{CardLink, Direction, Element, HorizontalAlign, Icon, Text, VerticalAlign};

/// How columns adapt to a narrow screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FlexMode {
    /// `none`: columns shrink in proportion.
    None,
    /// `stretch`: columns stack, each full width.
    Stretch,
    /// `flow`: columns wrap.
    Flow,
    /// `bisect`: two equal columns per row.
    Bisect,
    /// `trisect`: three equal columns per row.
    Trisect,
}

/// A click target for a whole column set or column.
#[derive(Clone, Debug, PartialEq, Serialize)]
struct Action {
    multi_url: CardLink,
}

/// The column set (`column_set`): columns side by side.
///
/// ```
/// use feishu_core::card::{Column, ColumnSet, Markdown};
///
/// let row = ColumnSet::new()
///     .column(Column::new().weight(1).add(Markdown::new("**Owner**")))
///     .column(Column::new().weight(3).add(Markdown::new("Tom")));
/// assert_eq!(serde_json::to_value(&row)?["columns"][1]["weight"], 3);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ColumnSet {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_spacing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_align: Option<HorizontalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flex_mode: Option<FlexMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    background_style: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<Action>,
    columns: Vec<Column>,
}

impl ColumnSet {
    /// An empty column set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column.
    pub fn column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }

    /// Opens a link when the set is clicked.
    pub fn link(mut self, link: CardLink) -> Self {
        self.action = Some(Action { multi_url: link });
        self
    }

    setters! {
        /// `horizontal_spacing`: `small`, `medium`, `large`, `extra_large` or px.
        horizontal_spacing: String,
        /// `horizontal_align`.
        horizontal_align: HorizontalAlign,
        /// `flex_mode`.
        flex_mode: FlexMode,
        /// `background_style`: `default`, a colour name or a custom colour.
        background_style: String,
    }
}

/// One column of a [`ColumnSet`].
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(tag = "tag", rename = "column")]
pub struct Column {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    background_style: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_spacing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_align: Option<HorizontalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_align: Option<VerticalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_spacing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    direction: Option<Direction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    padding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<Action>,
    elements: Vec<Element>,
}

impl Column {
    /// An empty column.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a component (any but a form or a table).
    // `add` is the builder word for a component here, not arithmetic.
    #[allow(clippy::should_implement_trait)]
    pub fn add(mut self, element: impl Into<Element>) -> Self {
        self.elements.push(element.into());
        self
    }

    /// Opens a link when the column is clicked.
    pub fn link(mut self, link: CardLink) -> Self {
        self.action = Some(Action { multi_url: link });
        self
    }

    /// `weight`: the column's share of the width (1–5) when `width` is
    /// `weighted`; sets `width: weighted` unless a width was given.
    pub fn weight(mut self, weight: u8) -> Self {
        self.weight = Some(weight);
        self.width.get_or_insert_with(|| "weighted".to_owned());
        self
    }

    setters! {
        /// `width`: `auto`, `weighted` or `[16,600]px`.
        width: String,
        /// `background_style`.
        background_style: String,
        /// `horizontal_spacing`.
        horizontal_spacing: String,
        /// `horizontal_align`.
        horizontal_align: HorizontalAlign,
        /// `vertical_align`.
        vertical_align: VerticalAlign,
        /// `vertical_spacing`.
        vertical_spacing: String,
        /// `direction`.
        direction: Direction,
        /// `padding`.
        padding: String,
    }
}

/// The form container (`form`): fields submitted together by a button with
/// [`Button::submit`](super::Button::submit). Only at the card's root; every
/// interactive component inside needs a card-unique `name`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Form {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    direction: Option<Direction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_spacing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_spacing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_align: Option<HorizontalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_align: Option<VerticalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    padding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    name: String,
    elements: Vec<Element>,
}

impl Form {
    /// An empty form named `name` (unique within the card).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            element_id: None,
            direction: None,
            horizontal_spacing: None,
            vertical_spacing: None,
            horizontal_align: None,
            vertical_align: None,
            padding: None,
            margin: None,
            name: name.into(),
            elements: Vec::new(),
        }
    }

    /// Adds a component (any but a form or a table).
    // `add` is the builder word for a component here, not arithmetic.
    #[allow(clippy::should_implement_trait)]
    pub fn add(mut self, element: impl Into<Element>) -> Self {
        self.elements.push(element.into());
        self
    }

    setters! {
        /// `direction`.
        direction: Direction,
        /// `horizontal_spacing`.
        horizontal_spacing: String,
        /// `vertical_spacing`.
        vertical_spacing: String,
        /// `horizontal_align`.
        horizontal_align: HorizontalAlign,
        /// `vertical_align`.
        vertical_align: VerticalAlign,
        /// `padding`.
        padding: String,
    }
}

/// Where a panel header's icon sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IconPosition {
    /// `left`.
    Left,
    /// `right`.
    Right,
    /// `follow_text`: right after the title.
    FollowText,
}

/// The title row of a [`CollapsiblePanel`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PanelHeader {
    title: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    background_color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_align: Option<VerticalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    padding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<Icon>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon_position: Option<IconPosition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon_expanded_angle: Option<i32>,
}

impl PanelHeader {
    /// A header titled `title` ([`Text::plain`] or [`Text::markdown`]).
    pub fn new(title: impl Into<Text>) -> Self {
        Self {
            title: title.into(),
            background_color: None,
            width: None,
            vertical_align: None,
            padding: None,
            icon: None,
            icon_position: None,
            icon_expanded_angle: None,
        }
    }

    setters! {
        /// `background_color`.
        background_color: String,
        /// `width`: `fill`, `auto` or `auto_when_fold`.
        width: String,
        /// `vertical_align`.
        vertical_align: VerticalAlign,
        /// `padding`.
        padding: String,
        /// The icon.
        icon: Icon,
        /// `icon_position`.
        icon_position: IconPosition,
        /// `icon_expanded_angle`: -180, -90, 90 or 180.
        icon_expanded_angle = i32,
    }
}

/// A panel's border.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Border {
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corner_radius: Option<String>,
}

impl Border {
    /// A border of this colour.
    pub fn new(color: impl Into<String>) -> Self {
        Self {
            color: Some(color.into()),
            corner_radius: None,
        }
    }

    setters! {
        /// `corner_radius`, e.g. `5px`.
        corner_radius: String,
    }
}

/// The collapsible panel (`collapsible_panel`): secondary content folded
/// under a title.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CollapsiblePanel {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expanded: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    direction: Option<Direction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_spacing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_spacing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_align: Option<VerticalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_align: Option<HorizontalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    padding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    background_color: Option<String>,
    header: PanelHeader,
    #[serde(skip_serializing_if = "Option::is_none")]
    border: Option<Border>,
    elements: Vec<Element>,
}

impl CollapsiblePanel {
    /// A panel under this header.
    pub fn new(header: PanelHeader) -> Self {
        Self {
            element_id: None,
            margin: None,
            expanded: None,
            direction: None,
            vertical_spacing: None,
            horizontal_spacing: None,
            vertical_align: None,
            horizontal_align: None,
            padding: None,
            background_color: None,
            header,
            border: None,
            elements: Vec::new(),
        }
    }

    /// Adds a component (any but a form or a table).
    // `add` is the builder word for a component here, not arithmetic.
    #[allow(clippy::should_implement_trait)]
    pub fn add(mut self, element: impl Into<Element>) -> Self {
        self.elements.push(element.into());
        self
    }

    setters! {
        /// `expanded`: open at first.
        expanded: bool,
        /// `direction`.
        direction: Direction,
        /// `vertical_spacing`.
        vertical_spacing: String,
        /// `horizontal_spacing`.
        horizontal_spacing: String,
        /// `vertical_align`.
        vertical_align: VerticalAlign,
        /// `horizontal_align`.
        horizontal_align: HorizontalAlign,
        /// `padding`.
        padding: String,
        /// `background_color`.
        background_color: String,
        /// The border.
        border: Border,
    }
}

element_common!(ColumnSet, Column, Form, CollapsiblePanel);
