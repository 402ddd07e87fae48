//! Received content read for real: `@_user_N` placeholders resolved from
//! `mentions`, posts with images, mentions, code and links, and the words
//! a reader sees.

use feishu_core::event::EventMessage;
use feishu_core::event::types::MESSAGE_RECEIVED;
use feishu_core::im::content::{PostElement, ReceivedContent, TextStyle};
use serde_json::json;

use crate::*;

fn message(message_type: &str, content: &str, mentions: serde_json::Value) -> EventMessage {
    serde_json::from_value(json!({
        "message_id": "om_1",
        "message_type": message_type,
        "content": content,
        "mentions": mentions,
    }))
    .expect("a message")
}

fn mention(key: &str, open_id: &str, name: &str) -> serde_json::Value {
    json!({"key": key, "id": {"open_id": open_id, "union_id": "on_x", "user_id": "u"}, "name": name})
}

#[test]
fn text_placeholders_become_names() {
    let message = message(
        "text",
        r#"{"text":"@_user_1 ask @_user_12 and @_user_1 again, @_all too"}"#,
        json!([
            mention("@_user_1", "ou_a", "Ann"),
            mention("@_user_12", "ou_b", "Bo")
        ]),
    );
    assert_eq!(
        message.resolved_content(),
        ReceivedContent::Text {
            text: "@Ann ask @Bo and @Ann again, @_all too".into()
        }
    );
    // The raw content is untouched.
    assert_eq!(
        message.content(),
        ReceivedContent::Text {
            text: "@_user_1 ask @_user_12 and @_user_1 again, @_all too".into()
        }
    );
}

#[test]
fn without_mentions_nothing_changes() {
    let message = message("text", r#"{"text":"mail me @ noon, @_user_1"}"#, json!([]));
    assert_eq!(message.resolved_content(), message.content());
}

#[test]
fn a_mention_without_open_id_falls_back_to_other_ids() {
    let message = message(
        "post",
        r#"{"title":"","content":[[{"tag":"at","user_id":"@_user_1","user_name":"","style":[]}]]}"#,
        json!([{"key": "@_user_1", "id": {"union_id": "on_only"}, "name": "Cy"}]),
    );
    let ReceivedContent::Post { content, .. } = message.resolved_content() else {
        panic!("a post");
    };
    assert_eq!(
        content[0][0],
        PostElement::At {
            user_id: "on_only".into(),
            user_name: Some("Cy".into()),
            style: vec![]
        }
    );
}

#[test]
fn the_received_post_sample_reads_whole() {
    let event = {
        let body = include_str!("samples/v2/im.message.receive_v1.json");
        let handled =
            feishu_core::event::Webhook::token_only(VT).handle(&post(body.as_bytes()), now());
        event(&handled).clone()
    };
    let received = MESSAGE_RECEIVED.take(event.kind).expect("a message");
    let ReceivedContent::Post { title, content } = received.message.resolved_content() else {
        panic!("a post: {:?}", received.message.content());
    };
    assert_eq!(title, "发布");
    assert_eq!(
        content[0],
        [
            PostElement::At {
                user_id: "ou_0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d".into(),
                user_name: Some("Release Bot".into()),
                style: vec![]
            },
            PostElement::Text {
                text: " 请看 ".into(),
                un_escape: None,
                style: vec![TextStyle::Bold]
            },
            PostElement::link("说明", "https://example.com/notes"),
        ]
    );
    // An image keeps its key (its size is not part of the element).
    assert_eq!(content[1], [PostElement::image("img_v3_02ab_7f1c")]);
    assert_eq!(
        content[2],
        [PostElement::code_block("RUST", "fn main() {}\n")]
    );
    assert_eq!(content[3], [PostElement::emotion("THUMBSUP")]);
    assert_eq!(content[4], [PostElement::hr()]);
    assert_eq!(
        content[5],
        [PostElement::media_with_cover(
            "file_v3_00ab_1d2e",
            "img_v3_02ab_cover"
        )]
    );
    assert_eq!(
        received.message.resolved_content().plain_text().as_deref(),
        Some("发布\n@Release Bot 请看 说明\n\nfn main() {}\n\n[THUMBSUP]\n\n")
    );
}

#[test]
fn plain_text_of_each_kind() {
    let text = ReceivedContent::parse("text", r#"{"text":"hi"}"#);
    assert_eq!(text.plain_text().as_deref(), Some("hi"));
    let post = ReceivedContent::parse(
        "post",
        r#"{"title":"","content":[[{"tag":"md","text":"**bold**"}],[{"tag":"at","user_id":"ou_x"}]]}"#,
    );
    assert_eq!(post.plain_text().as_deref(), Some("**bold**\n@ou_x"));
    for (msg_type, content) in [
        ("image", r#"{"image_key":"img_1"}"#),
        ("sticker", r#"{"file_key":"file_s"}"#),
        ("file", r#"{"file_key":"file_1","file_name":"a.pdf"}"#),
        (
            "merge_forward",
            r#"{"content":"Merged and Forwarded Message"}"#,
        ),
    ] {
        assert_eq!(
            ReceivedContent::parse(msg_type, content).plain_text(),
            None,
            "{msg_type}"
        );
    }
}

#[test]
fn stickers_media_and_files_are_typed() {
    assert_eq!(
        ReceivedContent::parse("sticker", r#"{"file_key":"file_v3_sticker"}"#),
        ReceivedContent::Sticker {
            file_key: "file_v3_sticker".into()
        }
    );
    assert_eq!(
        ReceivedContent::parse(
            "media",
            r#"{"file_key":"file_v3_m","image_key":"img_v3_c","file_name":"clip.mp4","duration":"1200"}"#
        ),
        ReceivedContent::Media {
            file_key: "file_v3_m".into(),
            image_key: Some("img_v3_c".into()),
            file_name: Some("clip.mp4".into()),
            duration_ms: Some(1200),
        }
    );
    assert_eq!(
        ReceivedContent::parse(
            "file",
            r#"{"file_key":"file_v3_f","file_name":"report.pdf"}"#
        ),
        ReceivedContent::File {
            file_key: "file_v3_f".into(),
            file_name: "report.pdf".into()
        }
    );
}

#[test]
fn a_quoted_reply_names_the_message_it_quotes() {
    let mut reply = message("text", r#"{"text":"agreed"}"#, json!([]));
    assert_eq!(reply.reply_to(), None);
    reply.parent_id = Some("om_quoted".into());
    reply.root_id = Some("om_root".into());
    assert_eq!(reply.reply_to(), Some("om_quoted"));
}

#[test]
fn resolving_never_panics_on_odd_text() {
    let mentions = [
        ("@_user_1", "ou_a", "A"),
        ("@", "ou_b", "B"),
        ("", "ou_c", "C"),
    ];
    for text in ["", "@", "@@", "@_user_", "é@_user_1é", "🙂@_user_1🙂@"] {
        let content = ReceivedContent::Text { text: text.into() };
        let _ = content.resolve_mentions(mentions);
    }
    let resolved = ReceivedContent::Text {
        text: "é@_user_1é".into(),
    }
    .resolve_mentions(mentions);
    assert_eq!(
        resolved,
        ReceivedContent::Text {
            text: "é@Aé".into()
        }
    );
}
