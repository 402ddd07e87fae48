//! Reading IM answers (messages, lists, uploads and the IM error codes), fed
//! with the golden
//! responses in `tests/fixtures/im/`.

use feishu_core::im::content::{MessageContent, ReceivedContent};
use feishu_core::im::file::{FileType, UploadFile};
use feishu_core::im::image::UploadImage;
use feishu_core::im::message::{
    ForwardMessage, GetMessage, ListMessages, MergeForward, Message, PatchMessage, PushFollowUp,
    ReadUsers, RecallMessage, ReplyMessage, SendMessage, UpdateMessage,
};
use feishu_core::im::{content::Card, message::FollowUp};
use feishu_core::{Endpoint, Error, UnexpectedResponse, codes};
use serde_json::json;

use crate::CHAT_ID;
use crate::fixture::{body, fixture, response};

fn send() -> SendMessage {
    SendMessage::new(CHAT_ID, MessageContent::text("test content"))
}

fn unexpected<T: std::fmt::Debug>(result: Result<T, Error>) -> UnexpectedResponse {
    match result {
        Err(Error::UnexpectedResponse(error)) => *error,
        other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
    }
}

/// Checks the send-message sample, field by field.
fn assert_sample_message(message: &Message, msg_type: &str) {
    assert_eq!(message.message_id, "om_dc13264520392913993dd051dba21dcf");
    assert_eq!(
        message.root_id.as_deref(),
        Some("om_40eb06e7b84dc71c03e009ad3c754195")
    );
    assert_eq!(
        message.parent_id.as_deref(),
        Some("om_d4be107c616aed9c1da8ed8068570a9f")
    );
    assert_eq!(message.thread_id.as_deref(), Some("omt_d4be107c616a"));
    assert_eq!(message.msg_type, msg_type);
    assert_eq!(
        message.create_time, "1615380573411",
        "milliseconds, kept as a string"
    );
    assert_eq!(message.update_time, "1615380573411");
    assert!(!message.deleted && !message.updated);
    assert_eq!(message.chat_id, CHAT_ID);
    let sender = message.sender.as_ref().expect("a sender");
    assert_eq!(sender.id, "cli_9f427eec54ae901b");
    assert_eq!(sender.id_type, "app_id");
    assert_eq!(sender.sender_type, "app");
    assert_eq!(sender.tenant_key.as_deref(), Some("736588c9260f175e"));
    let body = message.body.as_ref().expect("a body");
    assert_eq!(body.content, r#"{"text":"@_user_1 test content"}"#);
    assert_eq!(message.mentions.len(), 1);
    let mention = &message.mentions[0];
    assert_eq!(mention.key, "@_user_1");
    assert_eq!(mention.id, "ou_155184d1e73cbfb8973e5a9e698e74f2");
    assert_eq!(mention.id_type, "open_id");
    assert_eq!(mention.name, "Tom");
    assert_eq!(mention.tenant_key.as_deref(), Some("736588c9260f175e"));
}

#[test]
fn send_reads_the_whole_message() {
    let message = send()
        .parse(fixture("im/send_ok"))
        .map_err(feishu_core::Error::from)
        .expect("the send-message sample");
    assert_sample_message(&message, "card");
    assert_eq!(
        message.upper_message_id.as_deref(),
        Some("om_40eb06e7b84dc71c03e009ad3c754195")
    );
    // `card` is not a msg_type the core reads: the content is kept raw.
    assert_eq!(
        message.content(),
        ReceivedContent::Unknown {
            msg_type: "card".into(),
            content: r#"{"text":"@_user_1 test content"}"#.into(),
        }
    );
}

#[test]
fn reply_update_and_forward_read_the_same_message() {
    let reply = ReplyMessage::new("om_1", MessageContent::text("x"))
        .parse(fixture("im/send_ok"))
        .map_err(feishu_core::Error::from);
    assert_sample_message(&reply.expect("a reply answers a message"), "card");
    let update = UpdateMessage::new("om_1", MessageContent::text("x"))
        .parse(fixture("im/send_ok"))
        .map_err(feishu_core::Error::from);
    assert_sample_message(&update.expect("an edit answers a message"), "card");
    let forward = ForwardMessage::new("om_1", CHAT_ID)
        .parse(fixture("im/send_ok"))
        .map_err(feishu_core::Error::from);
    assert_sample_message(&forward.expect("a forward answers a message"), "card");
}

#[test]
fn merge_forward_reads_a_plain_or_wrapped_message() {
    let merge = MergeForward::new(CHAT_ID, vec!["om_1".into(), "om_2".into()]);
    let plain = merge
        .parse(fixture("im/send_ok"))
        .map_err(feishu_core::Error::from)
        .expect("data is the message");
    assert_sample_message(&plain, "card");

    let envelope: serde_json::Value = serde_json::from_slice(&body("im/send_ok")).expect("JSON");
    let wrapped = json!({"code": 0, "msg": "success", "data": {"message": envelope["data"]}});
    let wrapped = response(
        200,
        &[("content-type", "application/json")],
        &wrapped.to_string(),
    );
    assert_eq!(
        merge
            .parse(wrapped)
            .map_err(feishu_core::Error::from)
            .expect("data.message is the message"),
        plain
    );
}

#[test]
fn get_reads_the_one_item_and_types_its_content() {
    let message = GetMessage::new("om_1")
        .parse(fixture("im/get_ok"))
        .map_err(feishu_core::Error::from)
        .expect("items[0]");
    assert_sample_message(&message, "text");
    assert_eq!(message.upper_message_id, None);
    assert_eq!(
        message.content(),
        ReceivedContent::Text {
            text: "@_user_1 test content".into()
        }
    );
}

#[test]
fn get_with_no_item_is_unexpected_and_keeps_the_body() {
    let error = unexpected(
        GetMessage::new("om_1")
            .parse(fixture("im/get_empty_items"))
            .map_err(feishu_core::Error::from),
    );
    assert_eq!(error.status, 200);
    assert_eq!(error.body(), body("im/get_empty_items"));
    assert_eq!(
        error.log_id.as_deref(),
        Some("202503011020021A2B3C4D5E6F70819203")
    );
    assert!(
        error.reason.contains("`items` is empty"),
        "{}",
        error.reason
    );
}

#[test]
fn a_list_page_with_a_token_but_no_more_reads_has_more_false() {
    let page = ListMessages::chat(CHAT_ID)
        .parse(fixture("im/list_page"))
        .map_err(feishu_core::Error::from)
        .expect("the documented sample");
    assert!(!page.has_more);
    assert_eq!(
        page.page_token.as_deref(),
        Some(
            "GxmvlNRvP0NdQZpa7yIqf_Lv_QuBwTQ8tXkX7w-irAghVD_TvuYd1aoJ1LQph86O-XImC4X9j9FhUPhXQDvtrQ=="
        )
    );
    assert_eq!(page.items.len(), 1);
    let item = &page.items[0];
    assert_eq!(
        (item.message_id.as_str(), item.msg_type.as_str()),
        ("om_…", "text")
    );
    assert_eq!(item.create_time, "1615380573411");
    assert_eq!(item.sender, None);
    assert!(item.mentions.is_empty());
    assert_eq!(item.content(), ReceivedContent::Text { text: "hi".into() });
}

#[test]
fn a_read_users_page_reads_its_readers() {
    let page = ReadUsers::new("om_1")
        .parse(fixture("im/read_users_page"))
        .map_err(feishu_core::Error::from)
        .expect("the documented sample");
    assert!(!page.has_more);
    assert_eq!(page.page_token, None, "an empty token reads as none");
    assert_eq!(page.items.len(), 1);
    let reader = &page.items[0];
    assert_eq!(reader.user_id_type, "open_id");
    assert_eq!(reader.user_id, "ou_xxx");
    assert_eq!(reader.timestamp, "1609484183000");
    assert_eq!(reader.tenant_key.as_deref(), Some("736588c9260f175e"));
}

#[test]
fn uploads_read_their_keys() {
    let image = UploadImage::new("a.png", vec![1])
        .parse(fixture("im/image_upload_ok"))
        .map_err(feishu_core::Error::from);
    assert_eq!(image.expect("an image key").image_key, "img_v2_xxx");
    let file = UploadFile::new(FileType::Pdf, "a.pdf", vec![1])
        .parse(fixture("im/file_upload_ok"))
        .map_err(feishu_core::Error::from);
    assert_eq!(file.expect("a file key").file_key, "file_v2_xxx");
}

#[test]
fn a_missing_key_is_unexpected() {
    let error = unexpected(
        UploadImage::new("a.png", vec![1])
            .parse(fixture("im/file_upload_ok"))
            .map_err(feishu_core::Error::from),
    );
    assert_eq!(error.body(), body("im/file_upload_ok"));
}

#[test]
fn recall_patch_and_follow_up_take_empty_data() {
    let card = Card::raw(json!({"elements": []}));
    RecallMessage::new("om_1")
        .parse(fixture("im/empty_data_ok"))
        .map_err(feishu_core::Error::from)
        .expect("{} is success");
    PatchMessage::new("om_1", card.clone())
        .parse(fixture("im/empty_data_ok"))
        .map_err(feishu_core::Error::from)
        .expect("{} is success");
    let follow_up = PushFollowUp::new("om_1", vec![FollowUp::new("ok")]);
    follow_up
        .parse(fixture("im/empty_data_ok"))
        .map_err(feishu_core::Error::from)
        .expect("{} is success");

    // `data` left out altogether is success too.
    let bare = || {
        response(
            200,
            &[("content-type", "application/json")],
            r#"{"code":0,"msg":"success"}"#,
        )
    };
    RecallMessage::new("om_1")
        .parse(bare())
        .map_err(feishu_core::Error::from)
        .expect("no data is success");
    PatchMessage::new("om_1", card)
        .parse(bare())
        .map_err(feishu_core::Error::from)
        .expect("no data is success");
}

#[test]
fn a_recalled_message_is_an_api_error_230011() {
    for result in [
        RecallMessage::new("om_1")
            .parse(fixture("im/recalled_230011"))
            .map_err(feishu_core::Error::from)
            .err(),
        GetMessage::new("om_1")
            .parse(fixture("im/recalled_230011"))
            .map_err(feishu_core::Error::from)
            .err(),
        send()
            .parse(fixture("im/recalled_230011"))
            .map_err(feishu_core::Error::from)
            .err(),
    ] {
        let Some(Error::Api(error)) = result else {
            panic!("expected Error::Api, got {result:?}");
        };
        assert_eq!(error.status, 400);
        assert_eq!(error.code, codes::MESSAGE_RECALLED);
        assert_eq!(error.msg, "The message was withdrawn.");
        assert_eq!(
            error.log_id.as_deref(),
            Some("202503011020081A2B3C4D5E6F70819209")
        );
    }
}

#[test]
fn an_html_gateway_page_is_unexpected() {
    let html = crate::fixture::fixture("envelope/html_502");
    let error = unexpected(send().parse(html).map_err(feishu_core::Error::from));
    assert_eq!(error.status, 502);
    assert_eq!(error.body(), crate::fixture::body("envelope/html_502"));
}

#[test]
fn message_content_is_typed_by_msg_type() {
    let with = |msg_type: &str, content: &str| -> Message {
        let item =
            json!({"message_id": "om_1", "msg_type": msg_type, "body": {"content": content}});
        serde_json::from_value(item).expect("a message")
    };
    let file = with("file", r#"{"file_key":"file_v2_1","file_name":"a.pdf"}"#);
    assert_eq!(
        file.content(),
        ReceivedContent::File {
            file_key: "file_v2_1".into(),
            file_name: "a.pdf".into()
        }
    );
    let post = with(
        "post",
        r#"{"title":"T","content":[[{"tag":"text","text":"hi"}]]}"#,
    );
    assert!(
        matches!(post.content(), ReceivedContent::Post { title, content } if title == "T" && content.len() == 1)
    );
    let merged = with(
        "merge_forward",
        r#"{"content":"Merged and Forwarded Message"}"#,
    );
    assert_eq!(merged.content().msg_type(), "merge_forward");
    let broken = with("text", "not json");
    assert!(
        matches!(broken.content(), ReceivedContent::Unknown { content, .. } if content == "not json")
    );

    let no_body: Message =
        serde_json::from_value(json!({"message_id": "om_1", "msg_type": "text"}))
            .expect("a message without a body");
    assert!(matches!(no_body.content(), ReceivedContent::Unknown { .. }));
}

/// Every IM fixture is valid and answers JSON.
#[test]
fn every_im_fixture_is_a_json_response() {
    let names = crate::fixture::ALL.iter().map(|(name, _)| *name);
    for name in names.filter(|name| name.starts_with("im/")) {
        let response = fixture(name);
        let content_type = response.headers().get("content-type");
        assert!(content_type.is_some_and(|v| v.as_bytes().starts_with(b"application/json")));
        serde_json::from_slice::<serde_json::Value>(response.body()).expect("the body is JSON");
    }
}
