//! The message endpoints the other files leave out: follow-up bubbles,
//! forward, merge-forward, card patch and read receipts, each over real HTTP
//! against feishu-mock, with one of its errors.
//!
//! This module instantiates its own tests (as `message_actions::ureq::…` and
//! `message_actions::reqwest::…`), so the list in `main.rs` stays as it is.

use feishu_core::im::content::{Card, MessageContent, ReceivedContent};
use feishu_core::im::message::{
    FollowUp, ForwardMessage, MergeForward, PatchMessage, PushFollowUp, ReadUsers, SendMessage,
};
use feishu_core::{App, Config, Pager, codes};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use serde_json::json;

use crate::Adapter;

const CHAT: &str = "oc_mock_general";

conformance! {
    message_actions::follow_ups_go_under_the_bots_message,
    message_actions::forward_and_merge_forward,
    message_actions::a_card_is_patched,
    message_actions::read_receipts_are_listed,
}

fn setup<A: Adapter>() -> (MockServer, A) {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    (mock, A::new(config))
}

fn send<A: Adapter>(client: &A, chat_id: &str, text: &str) -> String {
    client
        .send(&SendMessage::new(chat_id, MessageContent::text(text)))
        .expect("sent")
        .message_id
}

pub fn follow_ups_go_under_the_bots_message<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let message_id = send(&client, CHAT, "Shall I go on?");
    client
        .send(&PushFollowUp::new(
            &message_id,
            vec![FollowUp::new("Yes"), FollowUp::new("Not now")],
        ))
        .expect("pushed");
    assert_eq!(mock.messages()[0].follow_ups, ["Yes", "Not now"]);

    let theirs = mock.post_user_message(CHAT, "ou_alice", "text", r#"{"text":"hi"}"#);
    let error = client
        .send(&PushFollowUp::new(&theirs, vec![FollowUp::new("Yes")]))
        .expect_err("only under the bot's own messages");
    assert_eq!(
        error.code(),
        Some(codes::LACK_OF_NECESSARY_PERMISSIONS),
        "{error:?}"
    );
}

pub fn forward_and_merge_forward<A: Adapter>() {
    let (mock, client) = setup::<A>();
    mock.add_chat("oc_archive", "Archive");
    let first = send(&client, CHAT, "one");
    let second = send(&client, CHAT, "two");

    let forwarded = client
        .send(&ForwardMessage::new(&first, "oc_archive"))
        .expect("forwarded");
    assert_eq!(forwarded.chat_id, "oc_archive");
    assert_eq!(
        forwarded.content(),
        ReceivedContent::Text { text: "one".into() }
    );

    let merged = client
        .send(&MergeForward::new(
            "oc_archive",
            vec![first.clone(), second.clone()],
        ))
        .expect("merge-forwarded");
    assert_eq!(merged.msg_type, "merge_forward");
    assert_eq!(merged.chat_id, "oc_archive");

    let error = client
        .send(&ForwardMessage::new(&first, "oc_nowhere"))
        .expect_err("the bot is in no such chat");
    assert_eq!(error.code(), Some(codes::BOT_NOT_IN_CHAT), "{error:?}");
}

pub fn a_card_is_patched<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let card = |title: &str| {
        Card::raw(json!({
            "config": { "update_multi": true },
            "elements": [{ "tag": "markdown", "content": title }],
        }))
    };
    let sent = client
        .send(&SendMessage::new(
            CHAT,
            MessageContent::Interactive(card("Building…")),
        ))
        .expect("sent");
    client
        .send(&PatchMessage::new(&sent.message_id, card("Built")))
        .expect("patched");
    let stored = &mock.messages()[0];
    assert!(stored.updated);
    assert!(stored.content.contains("Built"), "{}", stored.content);

    let text = send(&client, CHAT, "not a card");
    let error = client
        .send(&PatchMessage::new(&text, card("x")))
        .expect_err("only cards are patched");
    assert_eq!(
        error.code(),
        Some(codes::UNSUPPORTED_MESSAGE_TYPE),
        "{error:?}"
    );
}

pub fn read_receipts_are_listed<A: Adapter>() {
    let (mock, client) = setup::<A>();
    let message_id = send(&client, CHAT, "read me");
    let readers = ["ou_a", "ou_b", "ou_c"];
    for open_id in readers {
        mock.mark_read(&message_id, open_id);
    }
    let read: Vec<String> = client
        .items(Pager::new(ReadUsers::new(&message_id).page_size(2)))
        .into_iter()
        .map(|reader| reader.expect("a reader").user_id)
        .collect();
    assert_eq!(read, readers, "every reader once, over two pages");

    let theirs = mock.post_user_message(CHAT, "ou_alice", "text", r#"{"text":"hi"}"#);
    let error = client
        .send(&ReadUsers::new(&theirs))
        .expect_err("only the bot's own messages");
    assert_eq!(
        error.code(),
        Some(codes::LACK_OF_NECESSARY_PERMISSIONS),
        "{error:?}"
    );
}
