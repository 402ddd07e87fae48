//! A request against its API's spec: required query and body fields, their
//! types and enums; the body kind.

use serde_json::Value;

use super::Catalogue;
use super::catalogue::Api;

/// The body as JSON (`Null` when the API takes none or a form), or what is
/// wrong with the request.
pub(crate) fn request(
    api: &Api,
    catalogue: &Catalogue,
    query: &[(String, String)],
    content_type: &str,
    bytes: &[u8],
) -> Result<Value, String> {
    for param in &api.query {
        let name = param["name"].as_str().unwrap_or_default();
        let values: Vec<&str> = query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        if values.is_empty() {
            if param["required"] == true && name != "page_token" {
                return Err(format!("the query parameter `{name}` is required"));
            }
            continue;
        }
        let scalar = if param["type"] == "array" {
            &param["items"]
        } else {
            param
        };
        for value in values {
            scalar_in_query(scalar, value)
                .map_err(|why| format!("the query parameter `{name}` {why}"))?;
        }
    }
    match api.body_kind.as_str() {
        "json" => {
            let body: Value = if bytes.is_empty() {
                Value::Object(serde_json::Map::new())
            } else {
                serde_json::from_slice(bytes).map_err(|_| "the body is not JSON".to_owned())?
            };
            if let Some(schema) = &api.body {
                check(schema, &body, "body", catalogue, true)?;
            }
            Ok(body)
        }
        "multipart" => {
            if !content_type.starts_with("multipart/form-data") {
                return Err("this API takes a multipart/form-data body".into());
            }
            Ok(Value::Null)
        }
        _ => Ok(Value::Null),
    }
}

fn scalar_in_query(schema: &Value, value: &str) -> Result<(), String> {
    match schema["type"].as_str() {
        Some("integer") if value.parse::<i64>().is_err() => {
            return Err(format!("must be an integer, not `{value}`"));
        }
        Some("number") if value.parse::<f64>().is_err() => {
            return Err(format!("must be a number, not `{value}`"));
        }
        Some("boolean") if value != "true" && value != "false" => {
            return Err(format!("must be true or false, not `{value}`"));
        }
        _ => {}
    }
    if let Some(values) = schema["enum"].as_array()
        && !values
            .iter()
            .any(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned) == value)
    {
        return Err(format!("must be one of {}, not `{value}`", list(values)));
    }
    Ok(())
}

fn list(values: &[Value]) -> String {
    values
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value against a schema. `strict` for lark-mcp's wire types; a named
/// model (lark-oapi) is read leniently: its integers may be strings.
fn check(
    schema: &Value,
    value: &Value,
    at: &str,
    catalogue: &Catalogue,
    strict: bool,
) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        return match catalogue.model(reference) {
            Some(model) => check(model, value, at, catalogue, false),
            None => Ok(()),
        };
    }
    let ok = match schema["type"].as_str() {
        Some("string") => value.is_string(),
        Some("integer") => {
            value.is_i64()
                || value.is_u64()
                || (!strict && value.as_str().is_some_and(|s| s.parse::<i64>().is_ok()))
        }
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        _ => true,
    };
    if !ok {
        return Err(format!(
            "`{at}` must be a {}",
            schema["type"].as_str().unwrap_or("value")
        ));
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        return Err(format!("`{at}` must be one of {}", list(values)));
    }
    if let (Some(props), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for required in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(required) && required != "page_token" {
                return Err(format!("`{at}.{required}` is required"));
            }
        }
        for (key, field) in object {
            if let Some(schema) = props.get(key) {
                check(schema, field, &format!("{at}.{key}"), catalogue, strict)?;
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(items, item, &format!("{at}[{i}]"), catalogue, strict)?;
        }
    }
    Ok(())
}
