//! What the IM endpoints refuse before any request exists: receivers whose
//! type cannot be told, empty ids, long uuids, oversized bodies and files,
//! empty uploads and invalid content.

use feishu_core::im::content::{Card, MessageContent, Post, PostElement, PostLocale};
use feishu_core::im::file::{DownloadFile, FileType, MAX_FILE_BYTES, UploadFile};
use feishu_core::im::image::{DownloadImage, MAX_IMAGE_BYTES, UploadImage};
use feishu_core::im::message::{
    ForwardMessage, GetMessage, ListMessages, MergeForward, MessageResource, PatchMessage,
    PushFollowUp, ReadUsers, RecallMessage, ReceiveIdType, ReplyMessage, ResourceType, SendMessage,
    UpdateMessage,
};
use feishu_core::{Config, Endpoint, Error, InvalidRequest, Secret};
use serde_json::json;

use crate::{CHAT_ID, body_len, build, refused};

fn text() -> MessageContent {
    MessageContent::text("hi")
}

#[test]
fn a_receiver_whose_type_cannot_be_told_is_refused() {
    for id in ["e33ggbyz", "@example.com", "tom@localhost", "OC_upper"] {
        let unknown = |e: InvalidRequest| {
            matches!(
                e,
                InvalidRequest::InvalidField {
                    field: "receive_id_type",
                    ..
                }
            )
        };
        assert!(unknown(refused(&SendMessage::new(id, text()))), "{id}");
        assert!(unknown(refused(&ForwardMessage::new("om_1", id))), "{id}");
        assert!(
            unknown(refused(&MergeForward::new(id, vec!["om_1".into()]))),
            "{id}"
        );
    }
}

#[test]
fn empty_ids_are_refused() {
    let cases: Vec<(InvalidRequest, &str)> = vec![
        (refused(&SendMessage::new("", text())), "receive_id"),
        (
            refused(&SendMessage::to(ReceiveIdType::UserId, "", text())),
            "receive_id",
        ),
        (refused(&ReplyMessage::new("", text())), "message_id"),
        (refused(&UpdateMessage::new("", text())), "message_id"),
        (
            refused(&PatchMessage::new("", Card::raw(json!({})))),
            "message_id",
        ),
        (refused(&RecallMessage::new("")), "message_id"),
        (refused(&GetMessage::new("")), "message_id"),
        (refused(&ForwardMessage::new("", CHAT_ID)), "message_id"),
        (refused(&ForwardMessage::new("om_1", "")), "receive_id"),
        (
            refused(&MergeForward::new("", vec!["om_1".into()])),
            "receive_id",
        ),
        (
            refused(&MergeForward::new(CHAT_ID, vec![])),
            "message_id_list",
        ),
        (refused(&ReadUsers::new("")), "message_id"),
        (refused(&PushFollowUp::new("", vec![])), "message_id"),
        (refused(&PushFollowUp::new("om_1", vec![])), "follow_ups"),
        (
            refused(&MessageResource::new("", "file_v2_1", ResourceType::File)),
            "message_id",
        ),
        (
            refused(&MessageResource::new("om_1", "", ResourceType::Image)),
            "file_key",
        ),
        (refused(&DownloadImage::new("")), "image_key"),
        (refused(&DownloadFile::new("")), "file_key"),
    ];
    for (error, field) in cases {
        assert!(
            matches!(error, InvalidRequest::InvalidField { field: f, reason: "must not be empty" } if f == field),
            "{field}: {error:?}"
        );
    }
}

#[test]
fn an_empty_container_id_is_refused() {
    let error = refused(&ListMessages::chat(""));
    assert!(
        matches!(
            error,
            InvalidRequest::InvalidField {
                field: "container_id",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn dot_segment_ids_are_refused() {
    // `ReplyMessage::new("..")` builds POST /open-apis/im/v1/messages/../reply,
    // which url::Url (reqwest) normalizes to POST /open-apis/im/v1/reply.
    fn is_refused<E: Endpoint>(endpoint: &E) -> bool {
        let built = feishu_core::build(&Config::feishu(), endpoint, Some(&Secret::new("t-x")));
        matches!(built, Err(Error::InvalidRequest(_)))
    }
    for id in [".", ".."] {
        assert!(is_refused(&ReplyMessage::new(id, text())), "{id}");
        assert!(is_refused(&GetMessage::new(id)), "{id}");
        assert!(is_refused(&RecallMessage::new(id)), "{id}");
        assert!(
            is_refused(&MessageResource::new("om_1", id, ResourceType::File)),
            "{id}"
        );
        assert!(is_refused(&DownloadImage::new(id)), "{id}");
        assert!(is_refused(&DownloadFile::new(id)), "{id}");
    }
}

#[test]
fn send_refuses_a_thread_receiver() {
    // ReceiveIdType::ThreadId is documented "forwarding only".
    let error = refused(&SendMessage::new("omt_d4be107c616a", text()));
    assert!(
        matches!(
            error,
            InvalidRequest::InvalidField {
                field: "receive_id_type",
                ..
            }
        ),
        "{error:?}"
    );
    let named = SendMessage::to(ReceiveIdType::ThreadId, "omt_d4be107c616a", text());
    assert!(matches!(
        refused(&named),
        InvalidRequest::InvalidField {
            field: "receive_id_type",
            ..
        }
    ));
}

#[test]
fn a_uuid_over_50_characters_is_refused() {
    let long = "u".repeat(51);
    let too_long =
        |e: InvalidRequest| matches!(e, InvalidRequest::InvalidField { field: "uuid", .. });
    assert!(too_long(refused(
        &SendMessage::new(CHAT_ID, text()).uuid(&long)
    )));
    assert!(too_long(refused(
        &ReplyMessage::new("om_1", text()).uuid(&long)
    )));
    assert!(too_long(refused(
        &ForwardMessage::new("om_1", CHAT_ID).uuid(&long)
    )));
    assert!(too_long(refused(
        &MergeForward::new(CHAT_ID, vec!["om_1".into()]).uuid(&long)
    )));

    // 50 characters pass, however many bytes they take.
    for ok in ["u".repeat(50), "报".repeat(50)] {
        build(&SendMessage::new(CHAT_ID, text()).uuid(&ok));
        build(&ReplyMessage::new("om_1", text()).uuid(&ok));
        build(&ForwardMessage::new("om_1", CHAT_ID).uuid(&ok));
        build(&MergeForward::new(CHAT_ID, vec!["om_1".into()]).uuid(&ok));
    }
}

/// Checks an endpoint made by `make(n)` passes at exactly `limit` body
/// bytes and is refused one byte over (`n` adds one body byte per unit).
fn assert_limit<E: Endpoint>(make: impl Fn(usize) -> E, limit: usize) {
    let overhead = body_len(&make(0)).expect("a small body passes");
    let at_limit = make(limit - overhead);
    assert_eq!(
        body_len(&at_limit).expect("exactly at the limit passes"),
        limit
    );
    build(&at_limit);
    match refused(&make(limit - overhead + 1)) {
        InvalidRequest::TooLarge {
            what,
            size,
            limit: l,
        } => {
            assert_eq!((what, size, l), ("message body", limit + 1, limit));
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

fn long_text(n: usize) -> MessageContent {
    MessageContent::text("a".repeat(n))
}

fn long_post(n: usize) -> MessageContent {
    let paragraph = vec![PostElement::text("a".repeat(n))];
    Post::new()
        .locale("zh_cn", PostLocale::new("T").paragraph(paragraph))
        .into()
}

fn long_card(n: usize) -> Card {
    Card::raw(json!({"elements": [{"tag": "markdown", "content": "a".repeat(n)}]}))
}

#[test]
fn a_text_body_is_at_most_150_kb() {
    let limit = 150 * 1024;
    assert_limit(|n| SendMessage::new(CHAT_ID, long_text(n)), limit);
    assert_limit(|n| ReplyMessage::new("om_1", long_text(n)).uuid("u"), limit);
    assert_limit(|n| UpdateMessage::new("om_1", long_text(n)), limit);
}

#[test]
fn a_post_or_card_body_is_at_most_30_kb() {
    let limit = 30 * 1024;
    assert_limit(|n| SendMessage::new(CHAT_ID, long_post(n)), limit);
    assert_limit(
        |n| ReplyMessage::new("om_1", long_post(n)).in_thread(),
        limit,
    );
    assert_limit(|n| UpdateMessage::new("om_1", long_post(n)), limit);
    assert_limit(|n| SendMessage::new(CHAT_ID, long_card(n).into()), limit);
    assert_limit(|n| PatchMessage::new("om_1", long_card(n)), limit);
}

#[test]
fn an_empty_upload_is_refused() {
    assert!(matches!(
        refused(&UploadImage::new("a.png", vec![])),
        InvalidRequest::InvalidField { field: "image", .. }
    ));
    let file = UploadFile::new(FileType::Pdf, "a.pdf", vec![]);
    assert!(matches!(
        refused(&file),
        InvalidRequest::InvalidField { field: "file", .. }
    ));
}

#[test]
fn an_image_is_at_most_10_mb() {
    assert_eq!(MAX_IMAGE_BYTES, 10 * 1024 * 1024);
    build(&UploadImage::new("big.png", vec![0x5a; MAX_IMAGE_BYTES]));
    match refused(&UploadImage::new(
        "big.png",
        vec![0x5a; MAX_IMAGE_BYTES + 1],
    )) {
        InvalidRequest::TooLarge { what, size, limit } => {
            assert_eq!(
                (what, size, limit),
                ("image", MAX_IMAGE_BYTES + 1, MAX_IMAGE_BYTES)
            );
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn a_file_is_at_most_30_mb() {
    assert_eq!(MAX_FILE_BYTES, 30 * 1024 * 1024);
    build(&UploadFile::new(
        FileType::Stream,
        "big.bin",
        vec![0x5a; MAX_FILE_BYTES],
    ));
    let over = UploadFile::new(FileType::Stream, "big.bin", vec![0x5a; MAX_FILE_BYTES + 1]);
    match refused(&over) {
        InvalidRequest::TooLarge { what, size, limit } => {
            assert_eq!(
                (what, size, limit),
                ("file", MAX_FILE_BYTES + 1, MAX_FILE_BYTES)
            );
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn invalid_content_is_refused() {
    let no_locale: MessageContent = Post::new().into();
    let shared_image: MessageContent = Post::new()
        .locale(
            "zh_cn",
            PostLocale::new("T").paragraph(vec![
                PostElement::text("look: "),
                PostElement::image("img_x"),
            ]),
        )
        .into();
    let not_an_object = Card::raw(json!(["not", "a", "card"]));
    let cases = [
        (
            refused(&SendMessage::new(CHAT_ID, no_locale.clone())),
            "a post needs at least one locale",
        ),
        (
            refused(&ReplyMessage::new("om_1", no_locale)),
            "a post needs at least one locale",
        ),
        (
            refused(&UpdateMessage::new("om_1", shared_image)),
            "an img element must be alone in its paragraph",
        ),
        (
            refused(&SendMessage::new(CHAT_ID, not_an_object.clone().into())),
            "a card must be a JSON object",
        ),
        (
            refused(&PatchMessage::new("om_1", not_an_object)),
            "a card must be a JSON object",
        ),
    ];
    for (error, why) in cases {
        assert!(
            matches!(error, InvalidRequest::InvalidField { field: "content", reason: w } if w == why),
            "{error:?}"
        );
    }
}
