//! Any endpoint value → `build` → a request feishu-mock accepts, which reads
//! back with the same fields, over real HTTP.

use std::sync::OnceLock;

use feishu_core::im::content::{MessageContent, Post, PostElement, PostLocale, ReceivedContent};
use feishu_core::im::message::{GetMessage, ReplyMessage, SendMessage};
use feishu_core::{App, Config};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use proptest::prelude::*;

/// One mock and one client for every case: the cases are requests, not setups.
fn client() -> &'static (MockServer, feishu_ureq::Client) {
    static SHARED: OnceLock<(MockServer, feishu_ureq::Client)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let mock = MockServer::start();
        let config = Config::new(mock.url())
            .expect("the mock's URL is valid")
            .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
        let client = feishu_ureq::Client::new(config);
        (mock, client)
    })
}

/// `uuid` made unique to this case, still within Feishu's 50 characters.
fn unique(uuid: &str) -> String {
    static CASES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let case = CASES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut unique = format!("{case}-{uuid}");
    unique.truncate(50);
    unique
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_is_sent_and_read_back_unchanged(text in "\\PC{0,200}", uuid in proptest::option::of("[a-z0-9-]{1,50}")) {
        let (_, client) = client();
        let mut send = SendMessage::new("oc_mock_general", MessageContent::text(text.clone()));
        if let Some(uuid) = uuid {
            // One mock serves every case, and it deduplicates by uuid for an
            // hour, as Feishu does: a uuid two cases drew alike would answer
            // the second with the first's message. So each case's is its own.
            send = send.uuid(unique(&uuid));
        }
        let sent = client.send(&send).expect("the mock accepts it");
        let got = client.send(&GetMessage::new(&sent.message_id)).expect("it reads back");
        prop_assert_eq!(got.content(), ReceivedContent::Text { text });
    }

    #[test]
    fn any_post_is_sent_and_read_back_unchanged(title in "\\PC{1,40}", words in prop::collection::vec("\\PC{1,30}", 1..6)) {
        let (_, client) = client();
        let elements: Vec<_> = words.iter().map(PostElement::text).collect();
        let post = Post::new().locale("en_us", PostLocale::new(title.clone()).paragraph(elements.clone()));
        let sent = client
            .send(&SendMessage::new("oc_mock_general", MessageContent::Post(post)))
            .expect("the mock accepts it");
        let got = client.send(&GetMessage::new(&sent.message_id)).expect("it reads back");
        prop_assert_eq!(got.content(), ReceivedContent::Post { title, content: vec![elements] });
    }

    #[test]
    fn any_reply_keeps_its_parent(text in "\\PC{1,100}", in_thread in any::<bool>()) {
        let (_, client) = client();
        let root = client
            .send(&SendMessage::new("oc_mock_general", MessageContent::text("root")))
            .expect("sent");
        let mut reply = ReplyMessage::new(&root.message_id, MessageContent::text(text));
        if in_thread {
            reply = reply.in_thread();
        }
        let replied = client.send(&reply).expect("replied");
        prop_assert_eq!(replied.parent_id.as_deref(), Some(root.message_id.as_str()));
        prop_assert_eq!(replied.thread_id.is_some(), in_thread);
    }
}
