//! Chats, users and chat members made by a test: the builder, the
//! `MockServer` methods, id validation, and where they show in the Open API
//! (`GET /open-apis/im/v1/chats/:chat_id/members`, `user_info`).

use std::io::ErrorKind;

use feishu_mock::{MockServer, SELF_BUILT_APP_ID};
use serde_json::Value;

use crate::support::{
    USER_INFO, code_exchange, get, oauth, self_built_token, send_message, text_message, user_tokens,
};

fn members(server: &MockServer, token: &str, chat_id: &str, query: &str) -> crate::support::Reply {
    let path = format!("/open-apis/im/v1/chats/{chat_id}/members{query}");
    get(server, &path, Some(token))
}

fn member_ids(data: &Value) -> Vec<String> {
    data["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["member_id"].as_str().expect("member_id").to_owned())
        .collect()
}

#[test]
fn the_builder_declares_chats_users_and_members() {
    let server = MockServer::builder()
        .chat("oc_team", "Team")
        .user("ou_alice", "Alice")
        .chat_member("oc_team", "ou_alice")
        .chat_member("oc_team", "ou_bob")
        .start()
        .expect("start");
    let chats = server.chats();
    assert_eq!(chats.len(), 3);
    assert_eq!(chats[2].chat_id, "oc_team");
    assert_eq!(chats[2].members, ["ou_alice", "ou_bob"]);
    let users: Vec<(String, String)> = server
        .users()
        .into_iter()
        .map(|u| (u.open_id, u.name))
        .collect();
    assert_eq!(
        users,
        [
            ("ou_alice".to_owned(), "Alice".to_owned()),
            ("ou_bob".to_owned(), "Mock User".to_owned())
        ]
    );

    let token = self_built_token(&server);
    let reply = members(&server, &token, "oc_team", "");
    assert_eq!(reply.code(), 0, "{reply:?}");
    let data = &reply.json()["data"];
    assert_eq!(member_ids(data), ["ou_alice", "ou_bob"]);
    assert_eq!(data["member_total"], 2);
    assert_eq!(data["has_more"], false);
    let alice = &data["items"][0];
    assert_eq!(alice["member_id_type"], "open_id");
    assert_eq!(alice["name"], "Alice");
    assert_eq!(alice["tenant_key"], "mock_self_built_tenant");
}

#[test]
fn bad_ids_and_unknown_groups_fail_the_start() {
    let cases = [
        MockServer::builder().chat("chat_1", "x"),
        MockServer::builder().user("alice", "Alice"),
        MockServer::builder().chat_member("oc_nowhere", "ou_alice"),
        MockServer::builder().chat_member("oc_mock_general", "on_alice"),
    ];
    for builder in cases {
        let error = builder.start().expect_err("refused");
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    }
}

#[test]
fn members_page_and_posters_join() {
    let server = MockServer::start();
    server.add_chat("oc_big", "Big");
    for n in 0..25 {
        server.add_chat_member("oc_big", &format!("ou_{n:02}"));
    }
    server.post_user_message("oc_big", "ou_late", "text", r#"{"text":"hi"}"#);
    server.add_chat_member("oc_big", "ou_00"); // once only
    let token = self_built_token(&server);

    let first = members(&server, &token, "oc_big", "?page_size=20").json()["data"].clone();
    assert_eq!(first["has_more"], true);
    assert_eq!(first["member_total"], 26);
    let page_token = first["page_token"].as_str().expect("page_token");
    let query = format!(
        "?page_size=20&page_token={}",
        page_token.replace('=', "%3D")
    );
    let second = members(&server, &token, "oc_big", &query).json()["data"].clone();
    assert_eq!(second["has_more"], false);
    let mut all = member_ids(&first);
    all.extend(member_ids(&second));
    let mut expected: Vec<String> = (0..25).map(|n| format!("ou_{n:02}")).collect();
    expected.push("ou_late".to_owned());
    assert_eq!(all, expected);

    let by_union = members(
        &server,
        &token,
        "oc_big",
        "?member_id_type=union_id&page_size=1",
    );
    let union = by_union.json()["data"]["items"][0]["member_id"].clone();
    assert!(
        union.as_str().is_some_and(|id| id.starts_with("on_")),
        "{union}"
    );
}

#[test]
fn member_list_errors() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    members(&server, &token, "oc_nowhere", "").assert_error(400, 230002);
    members(&server, &token, "oc_mock_general", "?member_id_type=email").assert_error(400, 230001);
    members(&server, &token, "oc_mock_general", "?page_size=101").assert_error(400, 230001);
    members(&server, "t-forged", "oc_mock_general", "").assert_error(400, 99991663);
    // The p2p chat a bot opened by sending lists no one.
    let sent = send_text_to_user(&server, &token, "ou_alice");
    let chat_id = sent["chat_id"].as_str().expect("chat_id");
    let reply = members(&server, &token, chat_id, "");
    assert_eq!(reply.json()["data"]["member_total"], 0, "{reply:?}");
}

fn send_text_to_user(server: &MockServer, token: &str, open_id: &str) -> Value {
    let body = text_message(open_id, "hi", None);
    let reply = send_message(server, token, "open_id", &body);
    assert_eq!(reply.code(), 0, "{reply:?}");
    reply.json()["data"].clone()
}

#[test]
fn user_info_shows_the_users_name() {
    let server = MockServer::start();
    server.add_user("ou_alice", "Alice");
    let code = server.authorize(SELF_BUILT_APP_ID, "ou_alice");
    let (access, _) = user_tokens(&oauth(&server, &code_exchange(&code)));
    let reply = get(&server, USER_INFO, Some(&access));
    assert_eq!(reply.json()["data"]["name"], "Alice", "{reply:?}");
    server.add_user("ou_alice", "Alice Liddell");
    let reply = get(&server, USER_INFO, Some(&access));
    assert_eq!(reply.json()["data"]["name"], "Alice Liddell");
}

#[test]
#[should_panic(expected = "feishu-mock: add_chat: chat_id \"team\" does not start with oc_")]
fn a_badly_shaped_chat_id_panics() {
    MockServer::start().add_chat("team", "Team");
}

#[test]
#[should_panic(expected = "feishu-mock: add_chat_member: no group chat \"oc_nowhere\"")]
fn a_member_of_an_unknown_group_panics() {
    MockServer::start().add_chat_member("oc_nowhere", "ou_alice");
}

#[test]
#[should_panic(
    expected = "feishu-mock: post_user_message: open_id \"alice\" does not start with ou_"
)]
fn a_badly_shaped_open_id_panics() {
    MockServer::start().post_user_message("oc_mock_general", "alice", "text", "{}");
}
