//! What Feishu's rules say about a message's `content`: size limits, the
//! texts shown in place of recalled and merge-forwarded content, how content
//! reads back, and the resource keys a message carries.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::uploads::UploadKind;

/// The body a recalled message shows in `GET` and list answers. Feishu shows
/// "This message was recalled"; the mock wraps it as text content so that
/// clients can parse every body the same way.
pub(crate) const RECALLED_CONTENT: &str = r#"{"text":"This message was recalled"}"#;

/// The fixed content of a message made by merge-forwarding, as documented
/// (not JSON); its parts are read with `GET` on the message.
pub(crate) const MERGE_FORWARD_CONTENT: &str = "Merged and Forwarded Message";

/// Request body limit for rich text and cards.
const POST_LIMIT: usize = 30 * 1024;
/// Request body limit for every other `msg_type`, text included.
const TEXT_LIMIT: usize = 150 * 1024;

/// The largest request body Feishu accepts for a message of `msg_type`.
pub(crate) fn size_limit(msg_type: &str) -> usize {
    match msg_type {
        "post" | "interactive" => POST_LIMIT,
        _ => TEXT_LIMIT,
    }
}

/// Whether `content` is a string of serialized JSON holding an object, as
/// every sent `content` must be.
pub(crate) fn is_json_object(content: &str) -> bool {
    serde_json::from_str::<Map<String, Value>>(content).is_ok()
}

/// The locales a post is read back in, in order of preference.
const POST_LOCALES: [&str; 3] = ["zh_cn", "en_us", "ja_jp"];

/// `content` as reading a message shows it: a `post`
/// loses its locale wrapper, keeping one locale (`zh_cn`, else `en_us`, else
/// `ja_jp`, else the first). Everything else reads back as sent.
pub(crate) fn received<'a>(msg_type: &str, content: &'a str) -> Cow<'a, str> {
    if msg_type != "post" {
        return Cow::Borrowed(content);
    }
    let Ok(locales) = serde_json::from_str::<Map<String, Value>>(content) else {
        return Cow::Borrowed(content);
    };
    if locales.contains_key("content") {
        return Cow::Borrowed(content);
    }
    let chosen = POST_LOCALES
        .iter()
        .find_map(|locale| locales.get(*locale))
        .or_else(|| locales.values().next());
    match chosen {
        Some(post @ Value::Object(_)) => Cow::Owned(post.to_string()),
        _ => Cow::Borrowed(content),
    }
}

/// The resource keys in a message, with the `type` that downloads each:
/// `image` for image messages, post images and media covers; `file` for
/// file, audio and media messages and post media. Stickers and anything else
/// carry none that can be downloaded.
pub(crate) fn resource_keys(msg_type: &str, content: &str) -> Vec<(UploadKind, String)> {
    let Ok(content) = serde_json::from_str::<Value>(content) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    match msg_type {
        "image" | "file" | "audio" | "media" => top_level_keys(&content, &mut keys),
        "post" => post_keys(&content, &mut keys),
        _ => {}
    }
    keys
}

fn top_level_keys(object: &Value, keys: &mut Vec<(UploadKind, String)>) {
    if let Some(key) = object.get("image_key").and_then(Value::as_str) {
        keys.push((UploadKind::Image, key.to_owned()));
    }
    if let Some(key) = object.get("file_key").and_then(Value::as_str) {
        keys.push((UploadKind::File, key.to_owned()));
    }
}

/// Every `img` and `media` element, whatever the locale wrapper.
fn post_keys(value: &Value, keys: &mut Vec<(UploadKind, String)>) {
    match value {
        Value::Object(object) => {
            if matches!(
                object.get("tag").and_then(Value::as_str),
                Some("img" | "media")
            ) {
                top_level_keys(value, keys);
            }
            object.values().for_each(|v| post_keys(v, keys));
        }
        Value::Array(items) => items.iter().for_each(|v| post_keys(v, keys)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_msg_type() {
        assert_eq!(size_limit("post"), 30 * 1024);
        assert_eq!(size_limit("interactive"), 30 * 1024);
        assert_eq!(size_limit("text"), 150 * 1024);
    }

    #[test]
    fn finds_keys_by_msg_type() {
        let image = (UploadKind::Image, "img_1".to_owned());
        let file = (UploadKind::File, "file_1".to_owned());
        assert_eq!(
            resource_keys("image", r#"{"image_key":"img_1"}"#),
            std::slice::from_ref(&image)
        );
        assert_eq!(
            resource_keys("audio", r#"{"file_key":"file_1"}"#),
            std::slice::from_ref(&file)
        );
        assert_eq!(
            resource_keys("media", r#"{"file_key":"file_1","image_key":"img_1"}"#),
            [image.clone(), file.clone()]
        );
        let post = r#"{"zh_cn":{"title":"t","content":[[{"tag":"text","text":"x"}],[{"tag":"img","image_key":"img_1"}],[{"tag":"media","file_key":"file_1"}]]}}"#;
        assert_eq!(resource_keys("post", post), [image, file]);
        assert!(resource_keys("sticker", r#"{"file_key":"f"}"#).is_empty());
        assert!(resource_keys("text", r#"{"image_key":"i"}"#).is_empty());
        assert!(resource_keys("image", "not json").is_empty());
    }

    #[test]
    fn posts_read_back_without_their_locale() {
        let both = r#"{"en_us":{"title":"E","content":[]},"zh_cn":{"title":"Z","content":[]}}"#;
        assert_eq!(received("post", both), r#"{"content":[],"title":"Z"}"#);
        let english = r#"{"en_us":{"title":"E","content":[]}}"#;
        assert_eq!(received("post", english), r#"{"content":[],"title":"E"}"#);
        let other = r#"{"fr_fr":{"title":"F","content":[]}}"#;
        assert_eq!(received("post", other), r#"{"content":[],"title":"F"}"#);
        let bare = r#"{"title":"B","content":[]}"#;
        assert_eq!(received("post", bare), bare);
        assert_eq!(received("text", r#"{"zh_cn":{}}"#), r#"{"zh_cn":{}}"#);
    }

    #[test]
    fn content_must_be_an_object() {
        assert!(is_json_object(r#"{"text":"hi"}"#));
        assert!(!is_json_object("[1]"));
        assert!(!is_json_object("hi"));
    }
}
