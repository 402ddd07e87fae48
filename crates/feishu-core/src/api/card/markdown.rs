//! Escaping user text for Markdown components.
//! Docs: <https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/rich-text>
//! ("Special character escaping").

use std::borrow::Cow;

/// Escapes text so a `markdown` (or `lark_md`) component shows it as
/// written: every character Markdown or Feishu's tags give a meaning to
/// (`` * _ ` < > [ ] ( ) # \ ~ ! + - . | ``) becomes the HTML entity Feishu
/// documents for it (`&#42;` for `*`, …), and so does `&`, so text that
/// already reads like an entity stays literal.
///
/// Entities rather than backslashes, because Feishu documents entities and
/// its Markdown is not CommonMark everywhere. Each character is escaped on
/// its own, so `escape(a + b) == escape(a) + escape(b)`: chunks of a stream
/// can be escaped one by one and still satisfy the prefix rule. Nothing is
/// allocated when there is nothing to escape.
///
/// ```
/// use feishu_core::card::escape;
///
/// assert_eq!(escape("**not bold** <at id=all>"), "&#42;&#42;not bold&#42;&#42; &#60;at id=all&#62;");
/// assert_eq!(escape("plain words"), "plain words");
/// ```
pub fn escape(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(|c| entity(c).is_some()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match entity(c) {
            Some(entity) => out.push_str(entity),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The entity standing for `c`, when `c` needs one.
fn entity(c: char) -> Option<&'static str> {
    Some(match c {
        '*' => "&#42;",
        '_' => "&#95;",
        '`' => "&#96;",
        '<' => "&#60;",
        '>' => "&#62;",
        '[' => "&#91;",
        ']' => "&#93;",
        '(' => "&#40;",
        ')' => "&#41;",
        '#' => "&#35;",
        '\\' => "&#92;",
        '~' => "&#126;",
        '!' => "&#33;",
        '+' => "&#43;",
        '-' => "&#45;",
        '.' => "&#46;",
        '|' => "&#124;",
        '&' => "&#38;",
        _ => return None,
    })
}
