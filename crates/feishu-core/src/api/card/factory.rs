//! Ready-made cards for the common cases: a text, an alert, a table.
//!
//! Each returns a [`CardV2`] to extend (`.add(…)`) before
//! [`build`](CardV2::build).
//!
//! ```
//! use feishu_core::card::factory::{self, Level};
//!
//! let card = factory::alert(Level::Error, "Disk full", "`/var` is at 98%").build()?;
//! assert_eq!(card.as_value()["header"]["template"], "red");
//! # Ok::<(), feishu_core::card::CardError>(())
//! ```

use serde_json::{Map, Value};

use super::{CardV2, DataType, Header, Markdown, Table, TableColumn, Template};

/// A card with a title and a Markdown body. The body is Markdown as given:
/// pass user text through [`escape`](super::escape).
pub fn text(title: impl Into<String>, markdown: impl Into<String>) -> CardV2 {
    CardV2::new().title(title).add(Markdown::new(markdown))
}

/// How serious an alert is, and so its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Level {
    /// Blue.
    Info,
    /// Green.
    Success,
    /// Orange.
    Warning,
    /// Red.
    Error,
}

impl Level {
    /// The header colour of the level.
    pub fn template(self) -> Template {
        match self {
            Level::Info => Template::Blue,
            Level::Success => Template::Green,
            Level::Warning => Template::Orange,
            Level::Error => Template::Red,
        }
    }
}

/// An alert: a coloured title bar and a Markdown message (escape user text
/// with [`escape`](super::escape)).
pub fn alert(level: Level, title: impl Into<String>, markdown: impl Into<String>) -> CardV2 {
    CardV2::new()
        .header(Header::new(title.into()).template(level.template()))
        .add(Markdown::new(markdown))
}

/// A card with a title and a table of text cells: one column per header,
/// one row per line of `rows` (missing cells are left empty, extra ones
/// dropped). Columns are keyed `c0`, `c1`, …; a table has at most 50.
///
/// ```
/// use feishu_core::card::factory;
///
/// let card = factory::table("Hosts", &["Host", "Load"], &[vec!["web-1", "0.42"], vec!["web-2", "1.70"]]).build()?;
/// let table = &card.as_value()["body"]["elements"][0];
/// assert_eq!(table["columns"][1]["display_name"], "Load");
/// assert_eq!(table["rows"][1]["c0"], "web-2");
/// # Ok::<(), feishu_core::card::CardError>(())
/// ```
pub fn table<H, C>(title: impl Into<String>, headers: &[H], rows: &[Vec<C>]) -> CardV2
where
    H: AsRef<str>,
    C: AsRef<str>,
{
    let key = |i: usize| format!("c{i}");
    let mut table = Table::new();
    for (i, header) in headers.iter().enumerate() {
        table =
            table.column(TableColumn::new(key(i), DataType::Text).display_name(header.as_ref()));
    }
    for row in rows {
        let cells: Map<String, Value> = row
            .iter()
            .take(headers.len())
            .enumerate()
            .map(|(i, cell)| (key(i), Value::from(cell.as_ref())))
            .collect();
        table = table.row_of(cells);
    }
    CardV2::new().title(title).add(table)
}
