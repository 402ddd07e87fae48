//! Reply, edit, card patch, recall and get on `/open-apis/im/v1/messages/:id`.

use feishu_mock::{MockServer, SELF_BUILT_APP_ID};
use serde_json::{Value, json};

use crate::support::{
    MESSAGES, TENANT_TOKEN, call, id_of, marketplace_app_token, post, self_built_token, send_text,
};

fn reply(server: &MockServer, token: &str, target: &str, body: &Value) -> crate::support::Reply {
    call(
        server,
        "POST",
        &format!("{MESSAGES}/{target}/reply"),
        token,
        Some(body),
    )
}

fn text(text: &str) -> String {
    json!({ "text": text }).to_string()
}

fn get_items(server: &MockServer, token: &str, id: &str) -> Vec<Value> {
    let reply = call(server, "GET", &format!("{MESSAGES}/{id}"), token, None);
    assert_eq!(reply.code(), 0, "{reply:?}");
    reply.json()["data"]["items"]
        .as_array()
        .expect("items")
        .clone()
}

/// A tenant token of the marketplace app, another bot than the self-built one.
fn other_bot_token(server: &MockServer) -> String {
    let app_token = marketplace_app_token(server);
    let request =
        json!({ "app_access_token": app_token, "tenant_key": feishu_mock::MARKETPLACE_TENANT_KEY });
    post(server, TENANT_TOKEN, &request.to_string()).json()["tenant_access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

#[test]
fn replies_chain_and_threads_open_on_the_root() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let root = id_of(&send_text(&server, &token, "oc_mock_general", "root"));

    let first = reply(
        &server,
        &token,
        &root,
        &json!({ "msg_type": "text", "content": text("one") }),
    );
    assert_eq!(first.code(), 0, "{first:?}");
    let first = first.json()["data"].clone();
    assert_eq!(first["root_id"], root);
    assert_eq!(first["parent_id"], root);
    assert_eq!(first["chat_id"], "oc_mock_general");
    assert_eq!(first["body"]["content"], text("one"));
    assert!(first.get("thread_id").is_none(), "{first}");

    let second = reply(
        &server,
        &token,
        &id_of(&first),
        &json!({ "msg_type": "text", "content": text("two") }),
    );
    let second = second.json()["data"].clone();
    assert_eq!(second["root_id"], root);
    assert_eq!(second["parent_id"], first["message_id"]);

    // In a thread, every reply replies to the root.
    let body = json!({ "msg_type": "text", "content": text("threaded"), "reply_in_thread": true });
    let threaded = reply(&server, &token, &id_of(&second), &body).json()["data"].clone();
    let thread_id = threaded["thread_id"].as_str().expect("thread_id");
    assert!(thread_id.starts_with("omt_"), "{thread_id}");
    assert_eq!(threaded["root_id"], root);
    assert_eq!(threaded["parent_id"], root);
    assert_eq!(get_items(&server, &token, &root)[0]["thread_id"], thread_id);
    // Once the root has a thread, replies go into it.
    let later = reply(
        &server,
        &token,
        &root,
        &json!({ "msg_type": "text", "content": text("more") }),
    );
    assert_eq!(later.json()["data"]["thread_id"], thread_id);

    let stored = server.messages();
    assert_eq!(stored.len(), 5);
    assert_eq!(stored[0].thread_id.as_deref(), Some(thread_id));
    assert_eq!(stored[1].parent_id.as_deref(), Some(root.as_str()));
    assert_eq!(stored[3].thread_id.as_deref(), Some(thread_id));
}

#[test]
fn reply_uuids_dedup_and_errors() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let root = id_of(&send_text(&server, &token, "oc_mock_general", "root"));
    let body = json!({ "msg_type": "text", "content": text("once"), "uuid": "reply-1" });
    let a = reply(&server, &token, &root, &body).json();
    let b = reply(&server, &token, &root, &body).json();
    assert_eq!(a["data"]["message_id"], b["data"]["message_id"]);
    assert_eq!(server.messages().len(), 2);

    let ok = json!({ "msg_type": "text", "content": text("x") });
    reply(&server, &token, "om_unknown", &ok).assert_error(400, 230001);
    let unknown = reply(&server, &token, "om_unknown", &ok).json();
    assert_eq!(
        unknown["error"]["field_violations"][0]["field"],
        "message_id"
    );
    reply(
        &server,
        &token,
        &root,
        &json!({ "msg_type": "text", "content": "x" }),
    )
    .assert_error(400, 230001);
    reply(
        &server,
        &token,
        &root,
        &json!({ "msg_type": "text", "content": text("x"), "reply_in_thread": "yes" }),
    )
    .assert_error(400, 230001);
    let long = json!({ "msg_type": "post", "content": json!({ "zh_cn": { "title": "x".repeat(31 * 1024) } }).to_string() });
    reply(&server, &token, &root, &long).assert_error(400, 230025);
    call(
        &server,
        "DELETE",
        &format!("{MESSAGES}/{root}"),
        &token,
        None,
    );
    reply(&server, &token, &root, &ok).assert_error(400, 230011);
    call(
        &server,
        "POST",
        &format!("{MESSAGES}/{root}/reply"),
        "t-nope",
        Some(&ok),
    )
    .assert_error(400, 99991663);
}

#[test]
fn edits_text_and_post_messages_of_the_bot() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let sent = send_text(&server, &token, "oc_mock_general", "draft");
    let id = id_of(&sent);
    let path = format!("{MESSAGES}/{id}");
    let edited = call(
        &server,
        "PUT",
        &path,
        &token,
        Some(&json!({ "msg_type": "text", "content": text("final") })),
    );
    assert_eq!(edited.code(), 0, "{edited:?}");
    let data = edited.json()["data"].clone();
    assert_eq!(data["message_id"], id);
    assert_eq!(data["updated"], true);
    assert_eq!(data["body"]["content"], text("final"));
    let created: u64 = sent["create_time"]
        .as_str()
        .expect("time")
        .parse()
        .expect("ms");
    let updated: u64 = data["update_time"]
        .as_str()
        .expect("time")
        .parse()
        .expect("ms");
    assert!(updated > created, "{updated} <= {created}");
    assert_eq!(
        get_items(&server, &token, &id)[0]["body"]["content"],
        text("final")
    );
    let post =
        json!({ "zh_cn": { "title": "T", "content": [[{ "tag": "text", "text": "rich" }]] } });
    let to_post = json!({ "msg_type": "post", "content": post.to_string() });
    assert_eq!(
        call(&server, "PUT", &path, &token, Some(&to_post)).code(),
        0
    );
    let stored = &server.messages()[0];
    assert!(stored.updated);
    assert_eq!(stored.msg_type, "post");
    assert_eq!(stored.content, post.to_string());
    // Read back, a post has no locale wrapper.
    let read_back = &get_items(&server, &token, &id)[0]["body"]["content"];
    assert_eq!(read_back.as_str(), Some(post["zh_cn"].to_string().as_str()));

    // Not text or post: 230054, either way round.
    let card =
        json!({ "msg_type": "interactive", "content": json!({ "elements": [] }).to_string() });
    call(&server, "PUT", &path, &token, Some(&card)).assert_error(400, 230054);
    let card_msg = json!({ "receive_id": "oc_mock_general", "msg_type": "interactive", "content": json!({ "elements": [] }).to_string() });
    let card_id =
        id_of(&crate::support::send_message(&server, &token, "chat_id", &card_msg).json()["data"]);
    let to_text = json!({ "msg_type": "text", "content": text("x") });
    call(
        &server,
        "PUT",
        &format!("{MESSAGES}/{card_id}"),
        &token,
        Some(&to_text),
    )
    .assert_error(400, 230054);
    // Others' messages: 230027; unknown: 230001; bad content: 230001.
    call(
        &server,
        "PUT",
        &path,
        &other_bot_token(&server),
        Some(&to_text),
    )
    .assert_error(400, 230027);
    let user_msg = server.post_user_message("oc_mock_general", "ou_alice", "text", &text("hi"));
    call(
        &server,
        "PUT",
        &format!("{MESSAGES}/{user_msg}"),
        &token,
        Some(&to_text),
    )
    .assert_error(400, 230027);
    call(
        &server,
        "PUT",
        &format!("{MESSAGES}/om_nope"),
        &token,
        Some(&to_text),
    )
    .assert_error(400, 230001);
    call(
        &server,
        "PUT",
        &path,
        &token,
        Some(&json!({ "msg_type": "text" })),
    )
    .assert_error(400, 230001);
}

#[test]
fn patches_cards_only() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let card = |title: &str| {
        json!({ "config": { "update_multi": true }, "elements": [{ "tag": "markdown", "content": title }] }).to_string()
    };
    let body = json!({ "receive_id": "oc_mock_general", "msg_type": "interactive", "content": card("v1") });
    let id = id_of(&crate::support::send_message(&server, &token, "chat_id", &body).json()["data"]);
    let path = format!("{MESSAGES}/{id}");
    let patched = call(
        &server,
        "PATCH",
        &path,
        &token,
        Some(&json!({ "content": card("v2") })),
    );
    assert_eq!(patched.status, 200);
    assert_eq!(patched.code(), 0);
    assert_eq!(patched.json()["data"], json!({}));
    let item = &get_items(&server, &token, &id)[0];
    assert_eq!(item["body"]["content"], card("v2"));
    assert_eq!(item["updated"], true);

    let huge = json!({ "content": card(&"x".repeat(31 * 1024)) });
    call(&server, "PATCH", &path, &token, Some(&huge)).assert_error(400, 230025);
    call(
        &server,
        "PATCH",
        &path,
        &token,
        Some(&json!({ "content": "not json" })),
    )
    .assert_error(400, 230001);
    let text_id = id_of(&send_text(&server, &token, "oc_mock_general", "plain"));
    call(
        &server,
        "PATCH",
        &format!("{MESSAGES}/{text_id}"),
        &token,
        Some(&json!({ "content": card("x") })),
    )
    .assert_error(400, 230054);
    call(
        &server,
        "PATCH",
        &format!("{MESSAGES}/om_nope"),
        &token,
        Some(&json!({ "content": card("x") })),
    )
    .assert_error(400, 230001);
    call(&server, "DELETE", &path, &token, None);
    call(
        &server,
        "PATCH",
        &path,
        &token,
        Some(&json!({ "content": card("v3") })),
    )
    .assert_error(400, 230011);
}

#[test]
fn recall_then_recall_again_is_230011() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let id = id_of(&send_text(&server, &token, "oc_mock_general", "oops"));
    let path = format!("{MESSAGES}/{id}");
    call(&server, "DELETE", &path, &other_bot_token(&server), None).assert_error(400, 230027);
    let recalled = call(&server, "DELETE", &path, &token, None);
    assert_eq!(recalled.status, 200);
    assert_eq!(recalled.code(), 0);
    assert_eq!(recalled.json()["data"], json!({}));
    let again = call(&server, "DELETE", &path, &token, None);
    again.assert_error(400, 230011);
    assert_eq!(again.json()["msg"], "The message was recalled.");
    call(
        &server,
        "DELETE",
        &format!("{MESSAGES}/om_nope"),
        &token,
        None,
    )
    .assert_error(400, 230001);

    let item = &get_items(&server, &token, &id)[0];
    assert_eq!(item["deleted"], true);
    assert_eq!(
        item["body"]["content"],
        r#"{"text":"This message was recalled"}"#
    );
    let stored = &server.messages()[0];
    assert!(stored.deleted);
    assert_eq!(stored.content, text("oops"));
}

#[test]
fn get_returns_a_list_of_one() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let sent = send_text(&server, &token, "oc_mock_general", "hello");
    let items = get_items(&server, &token, &id_of(&sent));
    assert_eq!(items, std::slice::from_ref(&sent));
    assert_eq!(items[0]["sender"]["id"], SELF_BUILT_APP_ID);
    call(&server, "GET", &format!("{MESSAGES}/om_nope"), &token, None).assert_error(400, 230001);
    call(
        &server,
        "GET",
        &format!("{MESSAGES}/{}", id_of(&sent)),
        "t-nope",
        None,
    )
    .assert_error(400, 99991663);
    // A user's message shows its sender as a user.
    let user_msg = server.post_user_message("oc_mock_general", "ou_alice", "text", &text("hi bot"));
    let user_item = &get_items(&server, &token, &user_msg)[0];
    assert_eq!(user_item["sender"]["id"], "ou_alice");
    assert_eq!(user_item["sender"]["id_type"], "open_id");
    assert_eq!(user_item["sender"]["sender_type"], "user");
}
