//! Forward, merge-forward and read receipts.

use feishu_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{MESSAGES, call, id_of, self_built_token, send_text};

fn forward(
    server: &MockServer,
    token: &str,
    id: &str,
    query: &str,
    receive_id: &str,
) -> crate::support::Reply {
    let path = format!("{MESSAGES}/{id}/forward?{query}");
    call(
        server,
        "POST",
        &path,
        token,
        Some(&json!({ "receive_id": receive_id })),
    )
}

fn merge(server: &MockServer, token: &str, query: &str, body: &Value) -> crate::support::Reply {
    call(
        server,
        "POST",
        &format!("{MESSAGES}/merge_forward?{query}"),
        token,
        Some(body),
    )
}

#[test]
fn forwards_a_copy_to_a_chat_a_user_or_a_thread() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let source = send_text(&server, &token, "oc_mock_general", "news");
    let id = id_of(&source);

    let to_chat = forward(
        &server,
        &token,
        &id,
        "receive_id_type=chat_id",
        "oc_mock_random",
    );
    assert_eq!(to_chat.code(), 0, "{to_chat:?}");
    let copy = to_chat.json()["data"].clone();
    assert_ne!(copy["message_id"], source["message_id"]);
    assert_eq!(copy["chat_id"], "oc_mock_random");
    assert_eq!(copy["msg_type"], "text");
    assert_eq!(copy["body"], source["body"]);

    let to_user = forward(&server, &token, &id, "receive_id_type=open_id", "ou_bob").json();
    assert!(
        to_user["data"]["chat_id"]
            .as_str()
            .expect("chat")
            .starts_with("oc_")
    );

    // Into a thread: the copy joins it.
    let root = id_of(&send_text(&server, &token, "oc_mock_random", "root"));
    let threaded =
        json!({ "msg_type": "text", "content": "{\"text\":\"t\"}", "reply_in_thread": true });
    let reply = call(
        &server,
        "POST",
        &format!("{MESSAGES}/{root}/reply"),
        &token,
        Some(&threaded),
    );
    let thread = reply.json()["data"]["thread_id"]
        .as_str()
        .expect("thread")
        .to_owned();
    let into =
        forward(&server, &token, &id, "receive_id_type=thread_id", &thread).json()["data"].clone();
    assert_eq!(into["thread_id"], thread.as_str());
    assert_eq!(into["root_id"], root.as_str());
    assert_eq!(into["chat_id"], "oc_mock_random");

    let count = server.messages().len();
    let a = forward(
        &server,
        &token,
        &id,
        "receive_id_type=chat_id&uuid=fw-1",
        "oc_mock_random",
    )
    .json();
    let b = forward(
        &server,
        &token,
        &id,
        "receive_id_type=chat_id&uuid=fw-1",
        "oc_mock_random",
    )
    .json();
    assert_eq!(a["data"]["message_id"], b["data"]["message_id"]);
    assert_eq!(server.messages().len(), count + 1);
}

#[test]
fn forward_errors() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let id = id_of(&send_text(&server, &token, "oc_mock_general", "x"));
    forward(
        &server,
        &token,
        &id,
        "receive_id_type=chat",
        "oc_mock_random",
    )
    .assert_error(400, 230001);
    forward(&server, &token, &id, "", "oc_mock_random").assert_error(400, 230001);
    forward(
        &server,
        &token,
        &id,
        "receive_id_type=chat_id",
        "oc_nowhere",
    )
    .assert_error(400, 230002);
    forward(
        &server,
        &token,
        &id,
        "receive_id_type=thread_id",
        "omt_nope",
    )
    .assert_error(400, 230019);
    forward(
        &server,
        &token,
        "om_nope",
        "receive_id_type=chat_id",
        "oc_mock_random",
    )
    .assert_error(400, 230001);
    let long_uuid = format!("receive_id_type=chat_id&uuid={}", "u".repeat(51));
    forward(&server, &token, &id, &long_uuid, "oc_mock_random").assert_error(400, 230001);
    call(&server, "DELETE", &format!("{MESSAGES}/{id}"), &token, None);
    forward(
        &server,
        &token,
        &id,
        "receive_id_type=chat_id",
        "oc_mock_random",
    )
    .assert_error(400, 230011);
}

#[test]
fn merge_forwards_messages_of_one_chat() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let a = send_text(&server, &token, "oc_mock_general", "a");
    let b = send_text(&server, &token, "oc_mock_general", "b");
    let body = json!({ "receive_id": "oc_mock_random", "message_id_list": [id_of(&a), "om_missing", id_of(&b)] });
    let reply = merge(&server, &token, "receive_id_type=chat_id&uuid=m-1", &body);
    assert_eq!(reply.code(), 0, "{reply:?}");
    let data = reply.json()["data"].clone();
    assert_eq!(data["invalid_message_id_list"], json!(["om_missing"]));
    let merged = &data["message"];
    assert_eq!(merged["msg_type"], "merge_forward");
    assert_eq!(merged["chat_id"], "oc_mock_random");
    assert_eq!(merged["body"]["content"], "Merged and Forwarded Message");

    // GET shows the merge-forward, then what it carries.
    let merged_id = id_of(merged);
    let got = call(
        &server,
        "GET",
        &format!("{MESSAGES}/{merged_id}"),
        &token,
        None,
    )
    .json();
    let items = got["data"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["message_id"], merged_id.as_str());
    assert_eq!(items[1]["message_id"], a["message_id"]);
    assert_eq!(items[1]["upper_message_id"], merged_id.as_str());
    assert_eq!(items[2]["body"], b["body"]);

    let again = merge(&server, &token, "receive_id_type=chat_id&uuid=m-1", &body).json();
    assert_eq!(again["data"]["message"]["message_id"], merged_id.as_str());
    assert_eq!(server.messages().len(), 3);
}

#[test]
fn merge_forward_errors() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let a = id_of(&send_text(&server, &token, "oc_mock_general", "a"));
    let other = id_of(&send_text(&server, &token, "oc_mock_random", "b"));
    let body = |list: Value| json!({ "receive_id": "oc_mock_random", "message_id_list": list });
    let q = "receive_id_type=chat_id";
    merge(&server, &token, q, &body(json!([]))).assert_error(400, 230001);
    merge(&server, &token, q, &body(json!("om_x"))).assert_error(400, 230001);
    merge(&server, &token, q, &body(json!(["om_missing"]))).assert_error(400, 230001);
    merge(&server, &token, q, &body(json!([a, other]))).assert_error(400, 230001);
    merge(
        &server,
        &token,
        "receive_id_type=chat_id",
        &json!({ "message_id_list": [a] }),
    )
    .assert_error(400, 230001);
    merge(&server, &token, "receive_id_type=nope", &body(json!([a]))).assert_error(400, 230001);
    let to_nowhere = json!({ "receive_id": "oc_nowhere", "message_id_list": [a] });
    merge(&server, &token, q, &to_nowhere).assert_error(400, 230002);
}

#[test]
fn read_receipts_page_and_convert_ids() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let id = id_of(&send_text(&server, &token, "oc_mock_general", "read me"));
    let path = |query: &str| format!("{MESSAGES}/{id}/read_users?{query}");
    let empty = call(&server, "GET", &path("user_id_type=open_id"), &token, None).json();
    assert_eq!(
        empty["data"],
        json!({ "items": [], "has_more": false, "page_token": "" })
    );

    for user in ["ou_a", "ou_b", "ou_c", "ou_a"] {
        server.mark_read(&id, user);
    }
    let first = call(
        &server,
        "GET",
        &path("user_id_type=open_id&page_size=2"),
        &token,
        None,
    )
    .json();
    let data = &first["data"];
    assert_eq!(data["has_more"], true);
    assert_eq!(data["items"][0]["user_id"], "ou_a");
    assert_eq!(data["items"][0]["user_id_type"], "open_id");
    assert_eq!(data["items"][0]["tenant_key"], "mock_self_built_tenant");
    assert!(
        data["items"][0]["timestamp"]
            .as_str()
            .expect("ms")
            .parse::<u64>()
            .is_ok()
    );
    let next = data["page_token"]
        .as_str()
        .expect("token")
        .replace('=', "%3D");
    let rest = call(
        &server,
        "GET",
        &path(&format!(
            "user_id_type=open_id&page_size=2&page_token={next}"
        )),
        &token,
        None,
    )
    .json();
    assert_eq!(rest["data"]["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(rest["data"]["items"][0]["user_id"], "ou_c");
    assert_eq!(rest["data"]["has_more"], false);

    let union = call(&server, "GET", &path("user_id_type=union_id"), &token, None).json();
    assert!(
        union["data"]["items"][0]["user_id"]
            .as_str()
            .expect("id")
            .starts_with("on_")
    );
    call(&server, "GET", &path("user_id_type=email"), &token, None).assert_error(400, 230001);
    call(
        &server,
        "GET",
        &path("user_id_type=open_id&page_size=101"),
        &token,
        None,
    )
    .assert_error(400, 230001);
    call(
        &server,
        "GET",
        &format!("{MESSAGES}/om_nope/read_users?user_id_type=open_id"),
        &token,
        None,
    )
    .assert_error(400, 230001);
    let theirs = server.post_user_message("oc_mock_general", "ou_a", "text", "{\"text\":\"hi\"}");
    call(
        &server,
        "GET",
        &format!("{MESSAGES}/{theirs}/read_users?user_id_type=open_id"),
        &token,
        None,
    )
    .assert_error(400, 230027);
}

#[test]
#[should_panic(expected = "no message")]
fn mark_read_needs_a_message() {
    MockServer::start().mark_read("om_nope", "ou_a");
}
