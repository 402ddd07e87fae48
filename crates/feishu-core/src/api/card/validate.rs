//! The documented rules of Card JSON 2.0, checked on the card's JSON.
//!
//! One walk over the serialised card serves the typed builder, raw elements
//! added with `add(raw)` and cards given as JSON alike: there is one set of
//! rules and one code path for them.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::{CardError, Template, id};

/// The most components (and text elements) a card holds.
pub const MAX_ELEMENTS: usize = 200;
/// The most tables a card holds.
pub const MAX_TABLES: usize = 5;
/// The most columns a table has.
pub const MAX_TABLE_COLUMNS: usize = 50;
/// The most tags a header shows.
pub const MAX_HEADER_TAGS: usize = 3;
/// How deep containers nest.
pub const MAX_NESTING: usize = 5;
/// The largest card, in bytes of JSON (Feishu's 30 KB).
pub const MAX_CARD_BYTES: usize = 30 * 1024;

/// Components that take input: inside a form each needs a `name`.
const FORM_FIELDS: [&str; 12] = [
    "input",
    "button",
    "select_static",
    "multi_select_static",
    "select_person",
    "multi_select_person",
    "select_img",
    "date_picker",
    "picker_time",
    "picker_datetime",
    "checker",
    "overflow",
];

/// Checks a whole card.
pub(crate) fn card(card: &Value) -> Result<(), CardError> {
    let card = card
        .as_object()
        .ok_or_else(|| malformed("", "a card is a JSON object"))?;
    if card.get("schema").and_then(Value::as_str) != Some("2.0") {
        return Err(CardError::NotSchema2);
    }
    if let Some(config) = card.get("config") {
        config_(config)?;
    }
    let mut walk = Walk::default();
    if let Some(header) = card.get("header") {
        walk.header(header)?;
    }
    if let Some(body) = card.get("body") {
        let body = body
            .as_object()
            .ok_or_else(|| malformed("body", "not an object"))?;
        if let Some(elements) = body.get("elements") {
            walk.elements(elements, "body.elements", Place::ROOT)?;
        }
    }
    walk.finish()
}

/// Checks components sent on their own (CardKit element writes): the same
/// rules, with uniqueness within the batch only (the card's other ids are
/// Feishu's to check) and as if they sat at the root (where they land is
/// Feishu's to judge).
pub(crate) fn elements(elements: &Value) -> Result<(), CardError> {
    let mut walk = Walk::default();
    walk.elements(elements, "elements", Place::ROOT)?;
    walk.finish()
}

/// Checks a `config` (also the one of a settings update).
pub(crate) fn config_(config: &Value) -> Result<(), CardError> {
    let config = config
        .as_object()
        .ok_or_else(|| malformed("config", "not an object"))?;
    if config.get("update_multi") == Some(&Value::Bool(false)) {
        return Err(CardError::NotShared);
    }
    Ok(())
}

fn malformed(path: &str, reason: &'static str) -> CardError {
    CardError::Malformed {
        path: path.to_owned(),
        reason,
    }
}

/// Where a component sits.
#[derive(Clone, Copy)]
struct Place {
    /// Directly in the card's body.
    root: bool,
    /// The form it is in, if any.
    in_form: bool,
    /// How many containers enclose it.
    depth: usize,
    /// The innermost container's tag.
    parent: &'static str,
}

impl Place {
    const ROOT: Place = Place {
        root: true,
        in_form: false,
        depth: 0,
        parent: "body",
    };

    fn inside(self, parent: &'static str) -> Place {
        Place {
            root: false,
            in_form: self.in_form || parent == "form",
            depth: self.depth + 1,
            parent,
        }
    }
}

#[derive(Default)]
struct Walk {
    ids: HashSet<String>,
    names: HashSet<String>,
    elements: usize,
    tables: usize,
}

impl Walk {
    fn header(&mut self, header: &Value) -> Result<(), CardError> {
        let header = header
            .as_object()
            .ok_or_else(|| malformed("header", "not an object"))?;
        if let Some(template) = header.get("template") {
            let template = template.as_str().unwrap_or_default();
            if !Template::NAMES.contains(&template) {
                return Err(CardError::UnknownTemplate(template.to_owned()));
            }
        }
        if let Some(tags) = header.get("text_tag_list") {
            let tags = tags
                .as_array()
                .ok_or_else(|| malformed("header.text_tag_list", "not an array"))?;
            if tags.len() > MAX_HEADER_TAGS {
                return Err(CardError::TooManyHeaderTags {
                    count: tags.len(),
                    limit: MAX_HEADER_TAGS,
                });
            }
            for tag in tags {
                if let Some(tag) = tag.as_object() {
                    self.id(tag)?;
                }
            }
        }
        Ok(())
    }

    fn elements(&mut self, elements: &Value, path: &str, place: Place) -> Result<(), CardError> {
        let elements = elements
            .as_array()
            .ok_or_else(|| malformed(path, "not an array"))?;
        if place.depth > MAX_NESTING {
            return Err(CardError::NestingTooDeep {
                depth: place.depth,
                limit: MAX_NESTING,
            });
        }
        for (i, element) in elements.iter().enumerate() {
            self.element(element, &format!("{path}[{i}]"), place)?;
        }
        Ok(())
    }

    fn element(&mut self, element: &Value, path: &str, place: Place) -> Result<(), CardError> {
        let object = element
            .as_object()
            .ok_or_else(|| malformed(path, "a component is a JSON object"))?;
        let tag = object
            .get("tag")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed(path, "a component has a string `tag`"))?;
        self.elements += count_text_objects(object) + 1;
        self.id(object)?;
        if place.in_form && FORM_FIELDS.contains(&tag) {
            self.name(object, tag)?;
        }
        match tag {
            "table" => self.table(object, path, place)?,
            "form" => {
                if !place.root {
                    return Err(nested_or_not_root("form", place));
                }
                self.name(object, tag)?;
            }
            "input" => input(object)?,
            "select_static" | "multi_select_static" => options(object)?,
            _ => {}
        }
        let parent = container(tag);
        if let Some(children) = object.get("elements") {
            self.elements(children, &format!("{path}.elements"), place.inside(parent))?;
        }
        if let Some(columns) = object.get("columns").filter(|_| tag == "column_set") {
            self.columns(columns, path, place.inside(parent))?;
        }
        Ok(())
    }

    fn columns(&mut self, columns: &Value, path: &str, place: Place) -> Result<(), CardError> {
        let columns = columns
            .as_array()
            .ok_or_else(|| malformed(path, "`columns` is not an array"))?;
        for (i, column) in columns.iter().enumerate() {
            let path = format!("{path}.columns[{i}]");
            let column = column
                .as_object()
                .ok_or_else(|| malformed(&path, "a column is a JSON object"))?;
            self.elements += 1;
            self.id(column)?;
            if let Some(weight) = column.get("weight") {
                range("weight", weight, 1, 5)?;
            }
            if let Some(children) = column.get("elements") {
                self.elements(children, &format!("{path}.elements"), place)?;
            }
        }
        Ok(())
    }

    fn table(
        &mut self,
        table: &Map<String, Value>,
        path: &str,
        place: Place,
    ) -> Result<(), CardError> {
        if !place.root {
            return Err(nested_or_not_root("table", place));
        }
        self.tables += 1;
        if self.tables > MAX_TABLES {
            return Err(CardError::TooManyTables {
                count: self.tables,
                limit: MAX_TABLES,
            });
        }
        let columns = table
            .get("columns")
            .and_then(Value::as_array)
            .ok_or_else(|| malformed(path, "a table has a `columns` array"))?;
        if columns.len() > MAX_TABLE_COLUMNS {
            return Err(CardError::TooManyColumns {
                count: columns.len(),
                limit: MAX_TABLE_COLUMNS,
            });
        }
        if let Some(page_size) = table.get("page_size") {
            range("page_size", page_size, 1, 10)?;
        }
        let rows = table.get("rows").and_then(Value::as_array);
        if rows.is_some_and(|rows| rows.iter().any(|row| !row.is_object())) {
            return Err(malformed(
                path,
                "a table row is an object keyed by column name",
            ));
        }
        Ok(())
    }

    /// Registers an `element_id`, refusing a malformed or repeated one.
    fn id(&mut self, object: &Map<String, Value>) -> Result<(), CardError> {
        let Some(element_id) = object.get("element_id") else {
            return Ok(());
        };
        let element_id = element_id
            .as_str()
            .ok_or_else(|| CardError::InvalidElementId {
                id: element_id.to_string(),
                reason: "it is not a string",
            })?;
        id::check(element_id)?;
        if !self.ids.insert(element_id.to_owned()) {
            return Err(CardError::DuplicateElementId(element_id.to_owned()));
        }
        Ok(())
    }

    /// Registers a form field's or form's `name`, which must be there.
    fn name(&mut self, object: &Map<String, Value>, tag: &str) -> Result<(), CardError> {
        let name = object
            .get("name")
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty())
            .ok_or_else(|| CardError::MissingName(tag.to_owned()))?;
        if !self.names.insert(name.to_owned()) {
            return Err(CardError::DuplicateName(name.to_owned()));
        }
        Ok(())
    }

    fn finish(self) -> Result<(), CardError> {
        if self.elements > MAX_ELEMENTS {
            return Err(CardError::TooManyElements {
                count: self.elements,
                limit: MAX_ELEMENTS,
            });
        }
        Ok(())
    }
}

/// The container name a component's children are checked under.
fn container(tag: &str) -> &'static str {
    match tag {
        "form" => "form",
        "column_set" => "column_set",
        "collapsible_panel" => "collapsible_panel",
        _ => "container",
    }
}

fn nested_or_not_root(tag: &'static str, place: Place) -> CardError {
    if place.parent == "form" || place.parent == "collapsible_panel" {
        CardError::NotAllowedIn {
            inner: tag.to_owned(),
            outer: place.parent,
        }
    } else {
        CardError::NotAtRoot(tag)
    }
}

/// Text objects (`{"tag": "plain_text", …}`) inside one component, which
/// Feishu counts towards the 200 as well; icons are not counted.
fn count_text_objects(component: &Map<String, Value>) -> usize {
    component
        .iter()
        .filter(|(key, _)| *key != "elements" && *key != "columns")
        .map(|(_, value)| count_texts(value))
        .sum()
}

fn count_texts(value: &Value) -> usize {
    match value {
        Value::Object(object) => {
            let own = match object.get("tag").and_then(Value::as_str) {
                Some("plain_text" | "lark_md" | "markdown") => 1,
                _ => 0,
            };
            own + object.values().map(count_texts).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(count_texts).sum(),
        _ => 0,
    }
}

fn input(input: &Map<String, Value>) -> Result<(), CardError> {
    if let Some(max_length) = input.get("max_length") {
        range("max_length", max_length, 1, 1000)?;
    }
    let placeholder = input
        .get("placeholder")
        .and_then(|p| p.get("content"))
        .and_then(Value::as_str);
    if let Some(placeholder) = placeholder {
        let len = placeholder.chars().count();
        if len > 100 {
            return Err(CardError::Length {
                field: "placeholder",
                len,
                min: 0,
                max: 100,
            });
        }
    }
    Ok(())
}

fn options(select: &Map<String, Value>) -> Result<(), CardError> {
    let Some(options) = select.get("options").and_then(Value::as_array) else {
        return Ok(());
    };
    let mut seen = HashSet::new();
    for value in options.iter().filter_map(|o| o.get("value")?.as_str()) {
        if !seen.insert(value) {
            return Err(CardError::DuplicateOptionValue(value.to_owned()));
        }
    }
    Ok(())
}

fn range(field: &'static str, value: &Value, min: i64, max: i64) -> Result<(), CardError> {
    let out_of_range = |value| CardError::OutOfRange {
        field,
        value,
        min,
        max,
    };
    match value.as_i64() {
        Some(n) if (min..=max).contains(&n) => Ok(()),
        Some(n) => Err(out_of_range(n)),
        // A fraction, a string, a huge number: no valid value.
        None => Err(out_of_range(value.as_f64().map_or(i64::MIN, |f| f as i64))),
    }
}
