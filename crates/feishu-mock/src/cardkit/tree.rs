//! Card JSON 2.0 as data: the checks CardKit makes on a card, finding a
//! component by `element_id`, and the changes its endpoints make.

use serde_json::{Map, Value, json};

use super::error::CardError;
use super::store::Change;

/// The largest card, in bytes of JSON.
pub(crate) const MAX_CARD_BYTES: usize = 30 * 1024;
/// The most components a card holds.
const MAX_ELEMENTS: usize = 200;
/// The longest streamed text, in characters.
const MAX_CONTENT_CHARS: usize = 100_000;

/// One step from a card down to a component.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Whether `value` is the component `element_id`.
fn is(value: &Value, element_id: &str) -> bool {
    value.get("element_id").and_then(Value::as_str) == Some(element_id)
}

/// The way down to the component `element_id`.
fn path(value: &Value, element_id: &str) -> Option<Vec<Step>> {
    if is(value, element_id) {
        return Some(Vec::new());
    }
    let (step, rest) = match value {
        Value::Object(map) => map
            .iter()
            .find_map(|(key, v)| Some((Step::Key(key.clone()), path(v, element_id)?)))?,
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| Some((Step::Index(i), path(v, element_id)?)))?,
        _ => return None,
    };
    let mut steps = vec![step];
    steps.extend(rest);
    Some(steps)
}

fn walk_mut<'v>(mut value: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    for step in steps {
        value = match step {
            Step::Key(key) => value.get_mut(key.as_str())?,
            Step::Index(i) => value.get_mut(*i)?,
        };
    }
    Some(value)
}

/// The component `element_id`.
pub(crate) fn find<'v>(card: &'v Value, element_id: &str) -> Option<&'v Map<String, Value>> {
    let steps = path(card, element_id)?;
    let mut value = card;
    for step in &steps {
        value = match step {
            Step::Key(key) => value.get(key.as_str())?,
            Step::Index(i) => value.get(*i)?,
        };
    }
    value.as_object()
}

fn find_mut<'v>(
    card: &'v mut Value,
    element_id: &str,
) -> Result<&'v mut Map<String, Value>, CardError> {
    let missing = || CardError::NoSuchElement(element_id.to_owned());
    let steps = path(card, element_id).ok_or_else(missing)?;
    walk_mut(card, &steps)
        .and_then(Value::as_object_mut)
        .ok_or_else(missing)
}

/// The array holding `element_id`, and its place there.
fn siblings<'v>(
    card: &'v mut Value,
    element_id: &str,
) -> Result<(&'v mut Vec<Value>, usize), CardError> {
    let missing = || CardError::NoSuchElement(element_id.to_owned());
    let mut steps = path(card, element_id).ok_or_else(missing)?;
    let Some(Step::Index(at)) = steps.pop() else {
        return Err(missing());
    };
    let array = walk_mut(card, &steps)
        .and_then(Value::as_array_mut)
        .ok_or_else(missing)?;
    Ok((array, at))
}

/// Whether the card is in streaming mode.
pub(crate) fn streaming(card: &Value) -> bool {
    card["config"]["streaming_mode"] == true
}

/// Sets the card's `config.streaming_mode`.
pub(crate) fn set_streaming(card: &mut Value, on: bool) {
    if let Some(card) = card.as_object_mut() {
        let config = card.entry("config").or_insert_with(|| json!({}));
        if let Some(config) = config.as_object_mut() {
            config.insert("streaming_mode".to_owned(), Value::Bool(on));
        }
    }
}

/// What CardKit checks of every card it keeps: Card JSON 2.0, shared,
/// within 30 KB and 200 components, each `element_id` once.
pub(crate) fn check_card(card: &Value) -> Result<(), CardError> {
    let object = card.as_object().ok_or(CardError::Empty)?;
    if object.is_empty() {
        return Err(CardError::Empty);
    }
    if card["schema"] != "2.0" {
        return Err(CardError::NotSchema2);
    }
    if card["config"]["update_multi"] == false {
        return Err(CardError::NotShared);
    }
    if card.to_string().len() > MAX_CARD_BYTES {
        return Err(CardError::TooLarge);
    }
    let mut ids = Vec::new();
    let mut count = 0;
    components(&card["body"], &mut ids, &mut count);
    if count > MAX_ELEMENTS {
        return Err(CardError::TooManyElements);
    }
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(CardError::DuplicateElementId(pair[0].to_owned()));
    }
    Ok(())
}

/// The `element_id`s and the number of components (objects with a `tag`)
/// under `value`.
fn components<'v>(value: &'v Value, ids: &mut Vec<&'v str>, count: &mut usize) {
    match value {
        Value::Object(map) => {
            if map.contains_key("tag") {
                *count += 1;
            }
            if let Some(id) = map.get("element_id").and_then(Value::as_str) {
                ids.push(id);
            }
            map.values().for_each(|v| components(v, ids, count));
        }
        Value::Array(items) => items.iter().for_each(|v| components(v, ids, count)),
        _ => {}
    }
}

/// Streams `content` into the text component `element_id`; whether the
/// old text was a prefix of it (typed out) rather than replaced.
pub(crate) fn set_content(
    card: &mut Value,
    element_id: &str,
    content: String,
) -> Result<bool, CardError> {
    let chars = content.chars().count();
    if !(1..=MAX_CONTENT_CHARS).contains(&chars) {
        return Err(CardError::invalid(
            "content",
            "must be 1 to 100000 characters",
        ));
    }
    let element = find_mut(card, element_id)?;
    let tag = element.get("tag").and_then(Value::as_str);
    if !matches!(tag, Some("markdown" | "plain_text")) {
        return Err(CardError::NotText(element_id.to_owned()));
    }
    let old = element.get("content").and_then(Value::as_str).unwrap_or("");
    let extends = content.starts_with(old);
    element.insert("content".to_owned(), Value::String(content));
    Ok(extends)
}

/// Carries out a settings, element or batch change.
pub(crate) fn apply(card: &mut Value, change: Change) -> Result<(), CardError> {
    match change {
        Change::Settings(settings) => apply_settings(card, &settings),
        Change::Batch(actions) => actions.iter().try_for_each(|a| action(card, a)),
        Change::Insert {
            kind,
            target,
            elements,
        } => insert(card, &kind, target.as_deref(), elements),
        Change::UpdateElement {
            element_id,
            element,
        } => replace(card, &element_id, element),
        Change::PatchElement {
            element_id,
            partial,
        } => patch(card, &element_id, partial),
        Change::DeleteElement { element_id } => delete(card, &element_id),
        Change::Content { .. } | Change::Replace(_) => Ok(()),
    }
}

/// `{config?, card_link?}`: the config's fields given are set, the link
/// replaced.
fn apply_settings(card: &mut Value, settings: &Value) -> Result<(), CardError> {
    let settings = settings
        .as_object()
        .ok_or(CardError::invalid("settings", "must be a JSON object"))?;
    let Some(card) = card.as_object_mut() else {
        return Err(CardError::Empty);
    };
    if let Some(config) = settings.get("config") {
        let config = config
            .as_object()
            .ok_or(CardError::invalid("settings", "config must be an object"))?;
        let target = card.entry("config").or_insert_with(|| json!({}));
        if let Some(target) = target.as_object_mut() {
            for (key, value) in config {
                target.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(link) = settings.get("card_link") {
        card.insert("card_link".to_owned(), link.clone());
    }
    Ok(())
}

/// One `batch_update` action, `{action, params}`.
fn action(card: &mut Value, action: &Value) -> Result<(), CardError> {
    let params = &action["params"];
    let text = |name: &'static str| {
        params[name]
            .as_str()
            .map(str::to_owned)
            .ok_or(CardError::invalid("actions", format!("{name} is required")))
    };
    match action["action"].as_str() {
        Some("partial_update_setting") => apply_settings(card, &params["settings"]),
        Some("add_elements") => {
            let elements = params["elements"]
                .as_array()
                .cloned()
                .ok_or(CardError::invalid("actions", "elements must be an array"))?;
            let target = params["target_element_id"].as_str();
            insert(card, &text("type")?, target, elements)
        }
        Some("delete_elements") => {
            let ids = params["element_ids"].as_array().ok_or(CardError::invalid(
                "actions",
                "element_ids must be an array",
            ))?;
            ids.iter()
                .try_for_each(|id| delete(card, id.as_str().unwrap_or_default()))
        }
        Some("partial_update_element") => {
            let partial =
                params["partial_element"]
                    .as_object()
                    .cloned()
                    .ok_or(CardError::invalid(
                        "actions",
                        "partial_element must be an object",
                    ))?;
            patch(card, &text("element_id")?, partial)
        }
        Some("update_element") => replace(card, &text("element_id")?, params["element"].clone()),
        _ => Err(CardError::invalid("actions", "unknown action")),
    }
}

/// Inserts `elements` `insert_before` / `insert_after` a component, or
/// `append`s them to the body or to a container's `elements`.
fn insert(
    card: &mut Value,
    kind: &str,
    target: Option<&str>,
    elements: Vec<Value>,
) -> Result<(), CardError> {
    if elements.is_empty() || !elements.iter().all(Value::is_object) {
        return Err(CardError::invalid(
            "elements",
            "must be a non-empty array of components",
        ));
    }
    match (kind, target) {
        ("insert_before" | "insert_after", Some(target)) => {
            let (array, at) = siblings(card, target)?;
            let at = if kind == "insert_after" { at + 1 } else { at };
            array.splice(at..at, elements);
            Ok(())
        }
        ("append", None) => {
            let body = card
                .as_object_mut()
                .ok_or(CardError::Empty)?
                .entry("body")
                .or_insert_with(|| json!({}));
            push_into(body, elements)
        }
        ("append", Some(target)) => {
            let container = find_mut(card, target)?;
            let key = if container.contains_key("columns") {
                "columns"
            } else {
                "elements"
            };
            let children = container
                .entry(key)
                .or_insert_with(|| Value::Array(Vec::new()));
            match children.as_array_mut() {
                Some(children) => {
                    children.extend(elements);
                    Ok(())
                }
                None => Err(CardError::invalid("target_element_id", "not a container")),
            }
        }
        _ => Err(CardError::invalid(
            "type",
            "must be insert_before or insert_after with a target, or append",
        )),
    }
}

fn push_into(body: &mut Value, elements: Vec<Value>) -> Result<(), CardError> {
    let body = body
        .as_object_mut()
        .ok_or(CardError::invalid("body", "must be an object"))?;
    let list = body
        .entry("elements")
        .or_insert_with(|| Value::Array(Vec::new()));
    let list = list
        .as_array_mut()
        .ok_or(CardError::invalid("body", "elements must be an array"))?;
    list.extend(elements);
    Ok(())
}

/// Replaces a component; the new one keeps the old `element_id` unless it
/// names one.
fn replace(card: &mut Value, element_id: &str, mut element: Value) -> Result<(), CardError> {
    let Some(new) = element.as_object_mut() else {
        return Err(CardError::invalid("element", "must be a component object"));
    };
    new.entry("element_id")
        .or_insert_with(|| Value::String(element_id.to_owned()));
    let (array, at) = siblings(card, element_id)?;
    array[at] = element;
    Ok(())
}

/// Sets some properties of a component; its `tag` stays.
fn patch(card: &mut Value, element_id: &str, partial: Map<String, Value>) -> Result<(), CardError> {
    if partial.contains_key("tag") {
        return Err(CardError::TagChanged);
    }
    let element = find_mut(card, element_id)?;
    for (key, value) in partial {
        element.insert(key, value);
    }
    Ok(())
}

/// Removes a component, a container with its contents.
fn delete(card: &mut Value, element_id: &str) -> Result<(), CardError> {
    let (array, at) = siblings(card, element_id)?;
    array.remove(at);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Value {
        json!({
            "schema": "2.0",
            "config": {"streaming_mode": true},
            "body": {"elements": [
                {"tag": "markdown", "content": "Hel", "element_id": "answer"},
                {"tag": "column_set", "element_id": "cols", "columns": [
                    {"tag": "column", "element_id": "left", "elements": [
                        {"tag": "button", "element_id": "ok", "text": {"tag": "plain_text", "content": "OK"}},
                    ]},
                ]},
            ]},
        })
    }

    #[test]
    fn content_follows_the_prefix_rule() {
        let mut card = card();
        assert_eq!(set_content(&mut card, "answer", "Hello".into()), Ok(true));
        assert_eq!(set_content(&mut card, "answer", "Bye".into()), Ok(false));
        assert_eq!(
            find(&card, "answer").and_then(|e| e["content"].as_str()),
            Some("Bye")
        );
        assert_eq!(
            set_content(&mut card, "ok", "x".into()),
            Err(CardError::NotText("ok".into()))
        );
        assert_eq!(
            set_content(&mut card, "nope", "x".into()),
            Err(CardError::NoSuchElement("nope".into()))
        );
        assert!(set_content(&mut card, "answer", String::new()).is_err());
    }

    #[test]
    fn elements_are_inserted_replaced_patched_and_deleted() {
        let mut card = card();
        let new = |id: &str| json!({"tag": "markdown", "content": id, "element_id": id});
        insert(&mut card, "insert_before", Some("ok"), vec![new("a")]).expect("applied");
        insert(&mut card, "insert_after", Some("answer"), vec![new("b")]).expect("applied");
        insert(&mut card, "append", None, vec![new("c")]).expect("applied");
        insert(&mut card, "append", Some("left"), vec![new("d")]).expect("applied");
        let ids: Vec<_> = card["body"]["elements"]
            .as_array()
            .expect("the body elements")
            .iter()
            .map(|e| e["element_id"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(ids, ["answer", "b", "cols", "c"]);
        let left = &card["body"]["elements"][2]["columns"][0]["elements"];
        assert_eq!(left[0]["element_id"], "a");
        assert_eq!(left[2]["element_id"], "d");

        replace(&mut card, "b", json!({"tag": "hr"})).expect("applied");
        assert_eq!(
            find(&card, "b").map(|e| e["tag"].clone()),
            Some(json!("hr"))
        );
        let mut partial = Map::new();
        partial.insert("content".into(), json!("patched"));
        patch(&mut card, "c", partial).expect("applied");
        assert_eq!(
            find(&card, "c").map(|e| e["content"].clone()),
            Some(json!("patched"))
        );
        let mut retag = Map::new();
        retag.insert("tag".into(), json!("div"));
        assert_eq!(patch(&mut card, "c", retag), Err(CardError::TagChanged));
        delete(&mut card, "cols").expect("applied");
        assert!(find(&card, "ok").is_none());
        assert!(check_card(&card).is_ok());

        insert(&mut card, "append", None, vec![new("c")]).expect("applied");
        assert_eq!(
            check_card(&card),
            Err(CardError::DuplicateElementId("c".into()))
        );
    }

    #[test]
    fn cards_are_checked() {
        assert_eq!(check_card(&json!({})), Err(CardError::Empty));
        assert_eq!(check_card(&json!({"body": {}})), Err(CardError::NotSchema2));
        let unshared = json!({"schema": "2.0", "config": {"update_multi": false}});
        assert_eq!(check_card(&unshared), Err(CardError::NotShared));
        let big = json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": "a".repeat(31 * 1024)}]}});
        assert_eq!(check_card(&big), Err(CardError::TooLarge));
        let mut settings_card = card();
        apply_settings(
            &mut settings_card,
            &json!({"config": {"streaming_mode": false}}),
        )
        .expect("applied");
        assert!(!streaming(&settings_card));
    }
}
