//! The table component.
//! Docs: <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/table>

use serde::Serialize;
use serde_json::{Map, Value};

use super::{HorizontalAlign, VerticalAlign};

/// What a column holds, and so how its cells are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DataType {
    /// `text`: plain text.
    Text,
    /// `lark_md`: a subset of Markdown.
    LarkMd,
    /// `options`: tags, `"S1"` or `[{"text": "S1", "color": "red"}]`.
    Options,
    /// `number`, formatted by [`NumberFormat`].
    Number,
    /// `persons`: user ids, shown with name and avatar.
    Persons,
    /// `date`: a millisecond timestamp, shown in the reader's time zone.
    Date,
    /// `markdown`: full Markdown.
    Markdown,
}

/// How a `number` column is written.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NumberFormat {
    #[serde(skip_serializing_if = "Option::is_none")]
    symbol: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    separator: Option<bool>,
}

impl NumberFormat {
    /// Feishu's default format.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// `symbol`: a currency sign before the number.
        symbol: String,
        /// `precision`: decimal places, 0–10.
        precision = u8,
        /// `separator`: thousands separators.
        separator: bool,
    }
}

/// One column of a [`Table`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableColumn {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    data_type: DataType,
    #[serde(skip_serializing_if = "Option::is_none")]
    horizontal_align: Option<HorizontalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertical_align: Option<VerticalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<NumberFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_format: Option<String>,
}

impl TableColumn {
    /// A column keyed `name` in the rows.
    pub fn new(name: impl Into<String>, data_type: DataType) -> Self {
        Self {
            name: name.into(),
            display_name: None,
            data_type,
            horizontal_align: None,
            vertical_align: None,
            width: None,
            format: None,
            date_format: None,
        }
    }

    setters! {
        /// The header text.
        display_name: String,
        /// `horizontal_align`.
        horizontal_align: HorizontalAlign,
        /// `vertical_align`.
        vertical_align: VerticalAlign,
        /// `width`: `auto`, `[80,600]px` or a percentage.
        width: String,
        /// The number format (`number` columns).
        format: NumberFormat,
        /// `date_format`, e.g. `YYYY/MM/DD` (`date` columns).
        date_format: String,
    }
}

/// The header row's style.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HeaderStyle {
    #[serde(skip_serializing_if = "Option::is_none")]
    text_align: Option<HorizontalAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    background_style: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bold: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<u32>,
}

impl HeaderStyle {
    /// Feishu's default style.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// `text_align`.
        text_align: HorizontalAlign,
        /// `text_size`: `normal` or `heading`.
        text_size: String,
        /// `background_style`: `grey` or `none`.
        background_style: String,
        /// `text_color`: `default` or `grey`.
        text_color: String,
        /// `bold`.
        bold: bool,
        /// `lines`.
        lines = u32,
    }
}

/// The table (`table`): at most five per card, only at the card's root, at
/// most 50 columns, 1–10 rows a page.
///
/// ```
/// use feishu_core::card::{DataType, Table, TableColumn};
///
/// let table = Table::new()
///     .column(TableColumn::new("host", DataType::Text).display_name("Host"))
///     .column(TableColumn::new("load", DataType::Number).display_name("Load"))
///     .row(serde_json::json!({"host": "web-1", "load": 0.42}));
/// assert_eq!(serde_json::to_value(&table)?["rows"][0]["host"], "web-1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Table {
    #[serde(skip_serializing_if = "Option::is_none")]
    element_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_size: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row_height: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row_max_height: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    freeze_first_column: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    header_style: Option<HeaderStyle>,
    columns: Vec<TableColumn>,
    rows: Vec<Value>,
}

impl Table {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column.
    pub fn column(mut self, column: TableColumn) -> Self {
        self.columns.push(column);
        self
    }

    /// Adds a row: an object keyed by column names (checked when the card
    /// is built).
    pub fn row(mut self, row: Value) -> Self {
        self.rows.push(row);
        self
    }

    /// Adds a row from its cells.
    pub fn row_of(self, cells: Map<String, Value>) -> Self {
        self.row(Value::Object(cells))
    }

    setters! {
        /// `page_size`: rows per page, 1–10.
        page_size = u8,
        /// `row_height`: `low`, `middle`, `high`, `auto` or px.
        row_height: String,
        /// `row_max_height` for `auto` rows.
        row_max_height: String,
        /// `freeze_first_column`.
        freeze_first_column: bool,
        /// The header row's style.
        header_style: HeaderStyle,
    }
}

element_common!(Table);
