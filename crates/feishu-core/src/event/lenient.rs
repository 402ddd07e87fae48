//! Field readers for what events send loosely: times and counts that are a
//! string in one event and a number in the next (`operate_time` of
//! `approval_task` is a number on REVERTED only), and `null` for empty.

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Loose {
    String(String),
    Integer(i64),
    Unsigned(u64),
    Float(f64),
    Bool(bool),
}

/// A string, or a number kept as its decimal text; `null` or absent is `None`.
pub(crate) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(
        Option::<Loose>::deserialize(deserializer)?.map(|loose| match loose {
            Loose::String(text) => text,
            Loose::Integer(n) => n.to_string(),
            Loose::Unsigned(n) => n.to_string(),
            Loose::Float(n) => n.to_string(),
            Loose::Bool(b) => b.to_string(),
        }),
    )
}

/// [`text`], with `None` read as an empty string.
pub(crate) fn text_or_empty<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    text(deserializer).map(Option::unwrap_or_default)
}

/// An integer, or a string holding one; `null`, absent or empty is `None`.
pub(crate) fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    match Option::<Loose>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Loose::Integer(n)) => Ok(Some(n)),
        Some(Loose::Unsigned(n)) => i64::try_from(n).map(Some).map_err(serde::de::Error::custom),
        Some(Loose::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Loose::String(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(serde::de::Error::custom),
        Some(_) => Err(serde::de::Error::custom("expected an integer")),
    }
}

/// A list where `null` means empty.
pub(crate) fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// A flag where `null` means false.
pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(deserializer)?.unwrap_or_default())
}

/// Names by locale (`{"zh_cn": "…", "en_us": "…"}`); `null` means none, and
/// a `null` name is left out.
pub(crate) fn names<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<std::collections::BTreeMap<String, String>, D::Error> {
    let names =
        Option::<std::collections::BTreeMap<String, Option<String>>>::deserialize(deserializer)?;
    Ok(names
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(locale, name)| Some((locale, name?)))
        .collect())
}
