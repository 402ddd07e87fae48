//! Rust names from Feishu's: snake_case fields and modules, PascalCase types,
//! raw identifiers for keywords.

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Words of a name: split at `_`, `-`, other punctuation and lower→upper case changes.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `snake_case`, a valid identifier (raw for keywords, `_` before a digit).
pub fn snake(name: &str) -> String {
    let joined = words(name).join("_");
    let joined = if joined.is_empty() {
        "value".to_owned()
    } else {
        joined
    };
    ident(joined)
}

/// `PascalCase`, a valid type name.
pub fn pascal(name: &str) -> String {
    let mut out: String = words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect();
    if out.is_empty() {
        out.push_str("Value");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if matches!(
        out.as_str(),
        "Self"
            | "Some"
            | "None"
            | "Ok"
            | "Err"
            | "Option"
            | "Result"
            | "String"
            | "Vec"
            | "Box"
            | "Value"
            | "Unknown"
            | "Default"
    ) {
        out.push('_');
    }
    out
}

fn ident(name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else if matches!(name.as_str(), "self" | "super" | "crate" | "Self") {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The name without a raw prefix, for use inside other names and strings.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake("userId"), "user_id");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("i18n_name"), "i18n_name");
        assert_eq!(pascal("batch_get_id"), "BatchGetId");
        assert_eq!(pascal("zh-CN"), "ZhCn");
        assert_eq!(pascal("1"), "V1");
        assert_eq!(pascal("ByCreateTimeAsc"), "ByCreateTimeAsc");
    }
}
