//! Message content: what is sent (the `content` JSON string of each
//! `msg_type`), what is received (message reads and `im.message.receive_v1`
//! events, where a `post` has no locale wrapper), and that reading received
//! content never fails.

use feishu_core::InvalidRequest;
use feishu_core::im::content::{
    Card, MessageContent, Post, PostElement, PostLocale, ReceivedContent, System, Text, TextStyle,
    body_limit,
};
use serde_json::{Value, json};

/// The content string, parsed back into JSON for comparison.
fn sent(content: &MessageContent) -> Value {
    let string = content.to_content_string().expect("serializable");
    serde_json::from_str(&string).expect("the content string is JSON")
}

fn sample_post() -> Post {
    Post::new()
        .locale(
            "zh_cn",
            PostLocale::new("T")
                .paragraph(vec![
                    PostElement::text("hi ").bold(),
                    PostElement::link("link", "https://x"),
                    PostElement::at("ou_xxx"),
                ])
                .paragraph(vec![PostElement::image("img_xxx")]),
        )
        .locale(
            "en_us",
            PostLocale::new("")
                .paragraph(vec![
                    PostElement::Text {
                        text: "a&nbsp;b".into(),
                        un_escape: Some(true),
                        style: vec![
                            TextStyle::Underline,
                            TextStyle::LineThrough,
                            TextStyle::Italic,
                        ],
                    },
                    PostElement::emotion("SMILE"),
                    PostElement::at_all(),
                ])
                .paragraph(vec![PostElement::media_with_cover("file_v2_m", "img_v2_c")])
                .paragraph(vec![PostElement::media("file_v2_n")])
                .paragraph(vec![PostElement::hr()])
                .paragraph(vec![
                    PostElement::code_block("GO", "func main() {}"),
                    PostElement::CodeBlock {
                        language: None,
                        text: "plain".into(),
                    },
                ])
                .paragraph(vec![PostElement::markdown("**bold**")]),
        )
}

fn sample_post_json() -> Value {
    json!({
        "zh_cn": {"title": "T", "content": [
            [{"tag": "text", "text": "hi ", "style": ["bold"]},
             {"tag": "a", "href": "https://x", "text": "link"},
             {"tag": "at", "user_id": "ou_xxx"}],
            [{"tag": "img", "image_key": "img_xxx"}]]},
        "en_us": {"content": [
            [{"tag": "text", "text": "a&nbsp;b", "un_escape": true, "style": ["underline", "lineThrough", "italic"]},
             {"tag": "emotion", "emoji_type": "SMILE"},
             {"tag": "at", "user_id": "all"}],
            [{"tag": "media", "file_key": "file_v2_m", "image_key": "img_v2_c"}],
            [{"tag": "media", "file_key": "file_v2_n"}],
            [{"tag": "hr"}],
            [{"tag": "code_block", "language": "GO", "text": "func main() {}"},
             {"tag": "code_block", "text": "plain"}],
            [{"tag": "md", "text": "**bold**"}]]}
    })
}

#[test]
fn text_is_escaped_once() {
    let content = MessageContent::text("a\nb");
    assert_eq!(content.msg_type(), "text");
    assert_eq!(
        content.to_content_string().expect("text"),
        "{\"text\":\"a\\nb\"}"
    );
}

#[test]
fn text_mentions() {
    let text = Text::new("hi ").at("ou_xxx", "Tom").push(" and ").at_all();
    assert_eq!(
        sent(&text.into()),
        json!({"text": "hi <at user_id=\"ou_xxx\">Tom</at> and <at user_id=\"all\">所有人</at>"})
    );
}

#[test]
fn every_variant_sends_its_sample() {
    for (content, msg_type, expected) in send_cases() {
        assert_eq!(content.msg_type(), msg_type, "{content:?}");
        assert_eq!(sent(&content), expected, "{content:?}");
    }
}

#[test]
fn post_elements_read_back() {
    let post: Post = serde_json::from_value(sample_post_json()).expect("a post");
    assert_eq!(post, sample_post());

    let odd = json!([{"tag": "text", "text": "x", "style": ["bold", "blink"]},
        {"tag": "sticker", "file_key": "s"}, {"tag": "img"}, {"no_tag": 1}]);
    let elements: Vec<PostElement> = serde_json::from_value(odd.clone()).expect("elements");
    assert_eq!(
        elements[0],
        PostElement::text("x")
            .bold()
            .with_style(TextStyle::Other("blink".into()))
    );
    assert_eq!(
        elements[1],
        PostElement::Unknown(json!({"tag": "sticker", "file_key": "s"}))
    );
    assert_eq!(elements[2], PostElement::Unknown(json!({"tag": "img"})));
    assert_eq!(elements[3], PostElement::Unknown(json!({"no_tag": 1})));
    assert_eq!(serde_json::to_value(&elements).expect("serializable"), odd);
}

#[test]
fn sent_content_reads_back() {
    for (content, received) in round_trips() {
        let string = content.to_content_string().expect("serializable");
        assert_eq!(
            ReceivedContent::parse(content.msg_type(), &string),
            received
        );
        assert_eq!(received.msg_type(), content.msg_type());
    }

    // A post arrives in one locale, without the wrapper.
    let post = sample_post();
    let zh_cn = &post.locales["zh_cn"];
    let single = serde_json::to_string(zh_cn).expect("serializable");
    let expected = ReceivedContent::Post {
        title: "T".into(),
        content: zh_cn.content.clone(),
    };
    assert_eq!(ReceivedContent::parse("post", &single), expected);
    // A one-locale post in the send form reads back too; two locales do not.
    let wrapped = MessageContent::Post(Post::new().locale("zh_cn", zh_cn.clone()));
    let wrapped = wrapped.to_content_string().expect("serializable");
    assert_eq!(ReceivedContent::parse("post", &wrapped), expected);
    let both = MessageContent::Post(post)
        .to_content_string()
        .expect("serializable");
    assert!(matches!(
        ReceivedContent::parse("post", &both),
        ReceivedContent::Unknown { .. }
    ));
}

/// Received contents, as message reads and receive events carry them.
const RECEIVED: &[(&str, &str)] = &[
    ("text", r#"{"text":"@_user_1 hello"}"#),
    (
        "system",
        r#"{"template":"{from_user} invited {to_chatters} to this chat.","from_user":["botName"],"to_chatters":["Sam","John","Mary"]}"#,
    ),
    (
        "file",
        r#"{"file_key":"file_v2_xxx","file_name":"report.pdf"}"#,
    ),
    ("audio", r#"{"file_key":"file_v2_a","duration":2000}"#),
    ("audio", r#"{"file_key":"file_v2_a","duration":"2000"}"#),
    (
        "media",
        r#"{"file_key":"file_v2_m","image_key":"img_v2_c","file_name":"clip.mp4","duration":"5321"}"#,
    ),
    (
        "post",
        r#"{"title":"","content":[[{"tag":"at","user_id":"@_user_1","user_name":"Tom","style":[]},{"tag":"text","text":" look","style":["bold"]}],[{"tag":"img","image_key":"img_v2_x","width":300,"height":200}],[{"tag":"a","href":"https://x","text":"link","style":["italic"]}]]}"#,
    ),
    (
        "interactive",
        r#"{"title":"T","elements":[[{"tag":"text","text":"hi"}]]}"#,
    ),
    (
        "merge_forward",
        r#"{"content":"Merged and Forwarded Message"}"#,
    ),
    (
        "location",
        r#"{"name":"Feishu","longitude":"116.3","latitude":"39.9"}"#,
    ),
];

#[test]
fn received_samples() {
    let parsed: Vec<ReceivedContent> = RECEIVED
        .iter()
        .map(|(msg_type, content)| ReceivedContent::parse(msg_type, content))
        .collect();
    assert_eq!(parsed, received_expected());
}

#[test]
fn malformed_content_is_kept_raw() {
    let cases = [
        ("text", "not json"),
        ("text", ""),
        ("text", r#"{"text":1}"#),
        ("text", r#"["hello"]"#),
        ("image", r#"{"file_key":"file_v2_x"}"#),
        ("file", r#"{"file_name":"a.pdf"}"#),
        ("audio", r#"{"file_key":"f","duration":"soon"}"#),
        ("audio", r#"{"file_key":"f","duration":-1}"#),
        ("post", r#"{"title":"T"}"#),
        ("post", r#"{"title":"T","content":"flat"}"#),
        ("interactive", "[1,2]"),
        ("system", r#"{"from_user":["a"]}"#),
        ("share_chat", r#"{"user_id":"ou_x"}"#),
        ("vote", r#"{"topic":"lunch?"}"#),
        ("", "{}"),
    ];
    for (msg_type, content) in cases {
        assert_eq!(
            ReceivedContent::parse(msg_type, content),
            ReceivedContent::Unknown {
                msg_type: msg_type.into(),
                content: content.into()
            },
            "{msg_type} {content}"
        );
    }
}

#[test]
fn no_prefix_of_a_sample_panics_or_loses_content() {
    let mut sent = send_cases();
    sent.push((MessageContent::text("emoji 🎉 \"q\""), "text", Value::Null));
    let sent: Vec<(&str, String)> = sent
        .iter()
        .map(|(c, t, _)| (*t, c.to_content_string().expect("serializable")))
        .collect();
    let samples = RECEIVED
        .iter()
        .map(|(t, c)| (*t, *c))
        .chain(sent.iter().map(|(t, c)| (*t, c.as_str())));
    for (msg_type, content) in samples {
        for end in (0..content.len()).filter(|&end| content.is_char_boundary(end)) {
            let prefix = &content[..end];
            for as_type in [
                msg_type,
                "text",
                "post",
                "audio",
                "interactive",
                "system",
                "hongbao",
            ] {
                match ReceivedContent::parse(as_type, prefix) {
                    ReceivedContent::Unknown { msg_type, content } => {
                        assert_eq!((msg_type.as_str(), content.as_str()), (as_type, prefix));
                    }
                    parsed => assert_eq!(parsed.msg_type(), as_type),
                }
            }
        }
    }
}

#[test]
fn invalid_content_is_refused() {
    let refused = [
        (
            MessageContent::Post(Post::new()),
            "a post needs at least one locale",
        ),
        (
            MessageContent::Post(
                Post::new().locale(
                    "zh_cn",
                    PostLocale::new("T")
                        .paragraph(vec![PostElement::image("img_x"), PostElement::hr()]),
                ),
            ),
            "an img element must be alone in its paragraph",
        ),
        (
            Card::raw(json!("card")).into(),
            "a card must be a JSON object",
        ),
    ];
    for (content, reason) in refused {
        match content.to_content_string() {
            Err(InvalidRequest::InvalidField {
                field: "content",
                reason: why,
            }) => assert_eq!(why, reason),
            other => panic!("{content:?} gave {other:?}"),
        }
    }
}

#[test]
fn body_limits() {
    assert_eq!(body_limit("text"), 150 * 1024);
    assert_eq!(body_limit("image"), 150 * 1024);
    assert_eq!(body_limit("share_chat"), 150 * 1024);
    assert_eq!(body_limit("post"), 30 * 1024);
    assert_eq!(body_limit("interactive"), 30 * 1024);
}

/// Each send variant, its `msg_type` and the documented `content` it must produce.
#[rustfmt::skip]
fn send_cases() -> Vec<(MessageContent, &'static str, Value)> {
    let card = json!({"config": {"wide_screen_mode": true, "update_multi": true},
        "header": {"title": {"tag": "plain_text", "content": "T"}, "template": "turquoise"},
        "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": "**hi**"}}]});
    let variables = json!({"k": "v", "n": 1}).as_object().cloned().unwrap_or_default();
    vec![
        (MessageContent::text("hello"), "text", json!({"text": "hello"})),
        (MessageContent::Post(sample_post()), "post", sample_post_json()),
        (MessageContent::Image { image_key: "img_7ea74629-9191-4176-998c-2e603c9c5e8g".into() }, "image",
            json!({"image_key": "img_7ea74629-9191-4176-998c-2e603c9c5e8g"})),
        (MessageContent::File { file_key: "file_v2_xxx".into() }, "file", json!({"file_key": "file_v2_xxx"})),
        (MessageContent::Audio { file_key: "file_v2_xxx".into() }, "audio", json!({"file_key": "file_v2_xxx"})),
        (MessageContent::Media { file_key: "file_v2_xxx".into(), image_key: Some("img_v2_xxx".into()) }, "media",
            json!({"file_key": "file_v2_xxx", "image_key": "img_v2_xxx"})),
        (MessageContent::Media { file_key: "file_v2_xxx".into(), image_key: None }, "media",
            json!({"file_key": "file_v2_xxx"})),
        (MessageContent::Sticker { file_key: "file_v2_s".into() }, "sticker", json!({"file_key": "file_v2_s"})),
        (MessageContent::Interactive(Card::raw(card.clone())), "interactive", card),
        (Card::template("ctp_xxx", variables).into(), "interactive",
            json!({"type": "template", "data": {"template_id": "ctp_xxx", "template_variable": {"k": "v", "n": 1}}})),
        (Card::template("ctp_xxx", serde_json::Map::new()).into(), "interactive",
            json!({"type": "template", "data": {"template_id": "ctp_xxx"}})),
        (Card::entity("7355372766134157313").into(), "interactive",
            json!({"type": "card", "data": {"card_id": "7355372766134157313"}})),
        (MessageContent::ShareChat { chat_id: "oc_xxx".into() }, "share_chat", json!({"chat_id": "oc_xxx"})),
        (MessageContent::ShareUser { user_id: "ou_xxx".into() }, "share_user", json!({"user_id": "ou_xxx"})),
        (System::divider("新会话").i18n("zh_CN", "新会话").i18n("en_US", "New Session").need_rollup(true).into(),
            "system",
            json!({"type": "divider", "params": {"divider_text": {"text": "新会话",
                "i18n_text": {"zh_CN": "新会话", "en_US": "New Session"}}}, "options": {"need_rollup": true}})),
        (System::divider("—").into(), "system",
            json!({"type": "divider", "params": {"divider_text": {"text": "—"}}})),
    ]
}

/// Each send variant with a received twin, and the twin it reads back as.
#[rustfmt::skip]
fn round_trips() -> Vec<(MessageContent, ReceivedContent)> {
    vec![
        (MessageContent::text("a\nb"), ReceivedContent::Text { text: "a\nb".into() }),
        (MessageContent::Image { image_key: "img_x".into() }, ReceivedContent::Image { image_key: "img_x".into() }),
        // A sent file has no name: it reads back as an empty one.
        (MessageContent::File { file_key: "file_x".into() },
            ReceivedContent::File { file_key: "file_x".into(), file_name: String::new() }),
        (MessageContent::Audio { file_key: "file_a".into() },
            ReceivedContent::Audio { file_key: "file_a".into(), duration_ms: None }),
        (MessageContent::Media { file_key: "file_m".into(), image_key: Some("img_c".into()) },
            ReceivedContent::Media { file_key: "file_m".into(), image_key: Some("img_c".into()), file_name: None, duration_ms: None }),
        (MessageContent::Sticker { file_key: "file_s".into() }, ReceivedContent::Sticker { file_key: "file_s".into() }),
        (MessageContent::ShareChat { chat_id: "oc_x".into() }, ReceivedContent::ShareChat { chat_id: "oc_x".into() }),
        (MessageContent::ShareUser { user_id: "ou_x".into() }, ReceivedContent::ShareUser { user_id: "ou_x".into() }),
    ]
}

/// What each of [`RECEIVED`] reads as.
#[rustfmt::skip]
fn received_expected() -> Vec<ReceivedContent> {
    vec![
        ReceivedContent::Text { text: "@_user_1 hello".into() },
        ReceivedContent::System {
            template: "{from_user} invited {to_chatters} to this chat.".into(),
            from_user: vec!["botName".into()],
            to_chatters: vec!["Sam".into(), "John".into(), "Mary".into()],
        },
        ReceivedContent::File { file_key: "file_v2_xxx".into(), file_name: "report.pdf".into() },
        ReceivedContent::Audio { file_key: "file_v2_a".into(), duration_ms: Some(2000) },
        ReceivedContent::Audio { file_key: "file_v2_a".into(), duration_ms: Some(2000) },
        ReceivedContent::Media { file_key: "file_v2_m".into(), image_key: Some("img_v2_c".into()),
            file_name: Some("clip.mp4".into()), duration_ms: Some(5321) },
        ReceivedContent::Post { title: String::new(), content: vec![
            vec![PostElement::At { user_id: "@_user_1".into(), user_name: Some("Tom".into()), style: vec![] },
                PostElement::text(" look").bold()],
            vec![PostElement::image("img_v2_x")],
            vec![PostElement::link("link", "https://x").italic()],
        ] },
        ReceivedContent::Interactive(json!({"title": "T", "elements": [[{"tag": "text", "text": "hi"}]]})),
        ReceivedContent::Unknown { msg_type: "merge_forward".into(),
            content: r#"{"content":"Merged and Forwarded Message"}"#.into() },
        ReceivedContent::Unknown { msg_type: "location".into(),
            content: r#"{"name":"Feishu","longitude":"116.3","latitude":"39.9"}"#.into() },
    ]
}
