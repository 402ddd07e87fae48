//! The catalogue against the spec: every API once, with the spec's method,
//! path, token kinds and doc page; each either generated or written by hand
//! in feishu-core, never both.
#![allow(clippy::unwrap_used)]

use feishu_api::catalogue::{self, Rust};
use feishu_core::TokenKind;
use serde_json::Value;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/feishu-apis.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_catalogue_is_the_spec() {
    let spec = spec();
    let apis = spec["apis"].as_array().unwrap();
    assert_eq!(catalogue::APIS.len(), apis.len());
    assert!(
        catalogue::APIS.windows(2).all(|w| w[0].id < w[1].id),
        "sorted, no id twice"
    );
    for api in apis {
        let id = api["id"].as_str().unwrap();
        let entry = catalogue::find(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(entry.method, api["method"], "{id}");
        assert_eq!(entry.path, api["path"], "{id}");
        assert_eq!(entry.doc, api["doc_url"], "{id}");
        let tokens: Vec<TokenKind> = api["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| match t.as_str().unwrap() {
                "app" => TokenKind::App,
                "user" => TokenKind::User,
                _ => TokenKind::Tenant,
            })
            .collect();
        assert_eq!(entry.tokens, tokens.as_slice(), "{id}");
    }
}

#[test]
fn every_api_is_typed_once() {
    let generated = catalogue::APIS
        .iter()
        .filter(|a| matches!(a.rust, Rust::Generated(_)))
        .count();
    let by_hand = catalogue::APIS
        .iter()
        .filter(|a| a.rust == Rust::HandWritten)
        .count();
    assert!(generated >= 1_500, "{generated} generated endpoints");
    assert_eq!(
        generated + by_hand,
        catalogue::APIS.len(),
        "an API without a type"
    );
    for id in [
        "im.v1.message.create",
        "auth.v3.tenant_access_token.internal",
        "cardkit.v1.card.create",
    ] {
        assert_eq!(
            catalogue::find(id).map(|a| a.rust),
            Some(Rust::HandWritten),
            "{id}"
        );
    }
    let paths: std::collections::BTreeSet<&str> = catalogue::APIS
        .iter()
        .filter_map(|a| match a.rust {
            Rust::Generated(path) => Some(path),
            _ => None,
        })
        .collect();
    assert_eq!(paths.len(), generated, "two APIs under one Rust name");
}

#[test]
fn an_unknown_id_is_not_found() {
    assert!(catalogue::find("im.v1.message.send").is_none());
    assert!(catalogue::find("").is_none());
}

/// lark-oapi spells a field named after a Python keyword with a trailing
/// `_` (`from_`); the spec must carry the wire's name (`from`). No field of
/// Feishu's ends with `_`.
#[test]
fn no_field_keeps_a_python_escape() {
    fn walk(value: &Value, at: &str, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    if let (true, Value::Object(props)) = (key == "properties", inner) {
                        found.extend(
                            props
                                .keys()
                                .filter(|k| k.ends_with('_'))
                                .map(|k| format!("{at}.{k}")),
                        );
                    }
                    walk(inner, &format!("{at}.{key}"), found);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, at, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(&spec(), "spec", &mut found);
    assert!(found.is_empty(), "{found:?}");
}
