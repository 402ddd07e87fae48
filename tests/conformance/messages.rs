//! The IM message API end to end: send, read back, reply in a thread, edit,
//! recall, page through history, upload and download.

use feishu_core::im::content::MessageContent;
use feishu_core::im::file::{DownloadFile, FileType, UploadFile};
use feishu_core::im::image::{DownloadImage, UploadImage};
use feishu_core::im::message::{
    GetMessage, ListMessages, MessageResource, RecallMessage, ReplyMessage, ResourceType,
    SendMessage, SortType, UpdateMessage,
};
use feishu_core::{App, Config, Error, InvalidRequest, Pager, codes};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};

use crate::Adapter;

const CHAT: &str = "oc_mock_general";
const MESSAGES: &str = "/open-apis/im/v1/messages";

fn setup<A: Adapter>() -> (MockServer, A) {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    (mock, A::new(config))
}

fn text(s: &str) -> MessageContent {
    MessageContent::text(s)
}

pub fn send_get_reply_update_recall<A: Adapter>() {
    let (_mock, client) = setup::<A>();
    let sent = client
        .send(&SendMessage::new(CHAT, text("hello")))
        .expect("sent");
    assert_eq!(sent.chat_id, CHAT);

    let got = client
        .send(&GetMessage::new(&sent.message_id))
        .expect("got");
    assert_eq!(got.message_id, sent.message_id);
    assert_eq!(
        got.content(),
        feishu_core::im::content::ReceivedContent::Text {
            text: "hello".into()
        }
    );

    let reply = client
        .send(&ReplyMessage::new(&sent.message_id, text("in a thread")).in_thread())
        .expect("replied");
    assert_eq!(reply.parent_id.as_deref(), Some(sent.message_id.as_str()));
    let thread_id = reply.thread_id.clone().expect("a thread was created");
    let thread: Vec<_> = client
        .items(Pager::new(ListMessages::thread(&thread_id)))
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("the thread's messages");
    assert!(thread.iter().any(|m| m.message_id == reply.message_id));

    let updated = client
        .send(&UpdateMessage::new(&sent.message_id, text("hello, edited")))
        .expect("edited");
    assert!(updated.updated);

    client
        .send(&RecallMessage::new(&sent.message_id))
        .expect("recalled");
    let again = client
        .send(&RecallMessage::new(&sent.message_id))
        .expect_err("a second recall");
    assert_eq!(again.code(), Some(codes::MESSAGE_RECALLED));
    let got = client
        .send(&GetMessage::new(&sent.message_id))
        .expect("got");
    assert!(got.deleted);
}

pub fn every_message_of_a_long_chat_once_in_order<A: Adapter>() {
    let (mock, client) = setup::<A>();
    mock.add_chat("oc_long", "Long");
    for n in 0..250 {
        client
            .send(&SendMessage::new("oc_long", text(&format!("message {n}"))))
            .expect("sent");
    }
    mock.reset_hits();
    let pages = client.pages(Pager::new(ListMessages::chat("oc_long").page_size(20)));
    assert_eq!(pages.len(), 13, "250 messages, 20 a page");
    assert_eq!(mock.hits(MESSAGES), 13);
    let texts: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.expect("a page").items)
        .map(|message| match message.content() {
            feishu_core::im::content::ReceivedContent::Text { text } => text,
            other => panic!("unexpected content {other:?}"),
        })
        .collect();
    let expected: Vec<String> = (0..250).map(|n| format!("message {n}")).collect();
    assert_eq!(texts, expected, "every message once, in order");
}

pub fn newest_first_and_an_item_cap<A: Adapter>() {
    let (mock, client) = setup::<A>();
    mock.add_chat("oc_capped", "Capped");
    for n in 0..45 {
        client
            .send(&SendMessage::new("oc_capped", text(&format!("m{n}"))))
            .expect("sent");
    }
    mock.reset_hits();
    let list = ListMessages::chat("oc_capped")
        .sort(SortType::ByCreateTimeDesc)
        .page_size(20);
    let items: Vec<_> = client
        .items(Pager::new(list).max_items(30))
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("30 items");
    assert_eq!(items.len(), 30);
    assert_eq!(mock.hits(MESSAGES), 2, "the cap stops the walk");
    let first = items.first().map(|m| m.content());
    assert_eq!(
        first,
        Some(feishu_core::im::content::ReceivedContent::Text { text: "m44".into() })
    );
}

/// A small but real PNG: the signature and an IHDR chunk are enough for a
/// byte-for-byte round trip.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

pub fn images_and_files_come_back_byte_identical<A: Adapter>() {
    let (_mock, client) = setup::<A>();
    let image = client
        .send(&UploadImage::new("dot.png", PNG.to_vec()))
        .expect("uploaded");
    let downloaded = client
        .send(&DownloadImage::new(&image.image_key))
        .expect("downloaded");
    assert_eq!(downloaded.bytes, PNG);

    // 5 MiB of varied bytes, so a boundary or an encoding slip would show.
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let file: Vec<u8> = (0..5 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let uploaded = client
        .send(&UploadFile::new(FileType::Pdf, "报告.pdf", file.clone()))
        .expect("uploaded");
    let downloaded = client
        .send(&DownloadFile::new(&uploaded.file_key))
        .expect("downloaded");
    assert_eq!(downloaded.filename, "报告.pdf");
    assert!(downloaded.bytes == file, "byte-identical");

    let message = client
        .send(&SendMessage::new(
            CHAT,
            MessageContent::File {
                file_key: uploaded.file_key.clone(),
            },
        ))
        .expect("sent");
    let resource = client
        .send(&MessageResource::new(
            &message.message_id,
            &uploaded.file_key,
            ResourceType::File,
        ))
        .expect("the message's file");
    assert_eq!(resource.filename, "报告.pdf");
    assert!(resource.bytes == file, "byte-identical");
}

pub fn oversized_text_is_refused_locally<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let huge = "字".repeat(60 * 1024); // 180 KiB of UTF-8, over the 150 KB limit
    let error = client
        .send(&SendMessage::new(CHAT, text(&huge)))
        .expect_err("too long");
    assert!(
        matches!(
            error,
            Error::InvalidRequest(InvalidRequest::TooLarge { .. })
        ),
        "{error:?}"
    );
    assert_eq!(mock.hits(MESSAGES), 0, "nothing was sent");
}

pub fn a_bad_receive_id_is_refused_locally<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let error = client
        .send(&SendMessage::new("e33ggbyz", text("who?")))
        .expect_err("a user_id must be named");
    assert!(
        matches!(
            error,
            Error::InvalidRequest(InvalidRequest::InvalidField {
                field: "receive_id_type",
                ..
            })
        ),
        "{error:?}"
    );
    assert_eq!(mock.hits(MESSAGES), 0);
}
