//! Values shaped like a schema, for the answers of the stateless APIs.

use serde_json::{Value, json};

use super::Catalogue;

/// A value shaped like the schema: one item per list, the first enum value,
/// models followed to a few levels.
pub(crate) fn value(schema: &Value, catalogue: &Catalogue, depth: usize) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        return match catalogue.model(reference) {
            Some(model) if depth < 4 => value(model, catalogue, depth + 1),
            _ => json!({}),
        };
    }
    match schema["type"].as_str() {
        Some("object") => match schema["properties"].as_object() {
            Some(props) => props
                .iter()
                .filter(|(k, _)| k.as_str() != "page_token" && k.as_str() != "has_more")
                .map(|(k, v)| (k.clone(), value(v, catalogue, depth)))
                .chain(
                    props
                        .contains_key("has_more")
                        .then(|| ("has_more".to_owned(), json!(false))),
                )
                .collect(),
            None => json!({}),
        },
        Some("array") => json!([value(&schema["items"], catalogue, depth)]),
        Some("string") => schema["enum"]
            .get(0)
            .cloned()
            .unwrap_or_else(|| json!("mock")),
        Some("integer") => json!(1),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        _ => json!({}),
    }
}
