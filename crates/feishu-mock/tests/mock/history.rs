//! `GET /open-apis/im/v1/messages`: chat and thread history, real paging.

use std::time::{SystemTime, UNIX_EPOCH};

use feishu_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{
    MESSAGES, agent, call, get_with, id_of, self_built_token, send_message, send_text, text_message,
};

/// Sends `n` texts "0".."n-1" to `chat` over one connection; returns their ids.
fn fill(server: &MockServer, token: &str, chat: &str, n: usize) -> Vec<String> {
    let agent = agent();
    let path = format!("{MESSAGES}?receive_id_type=chat_id");
    (0..n)
        .map(|i| {
            let response = agent
                .post(format!("{}{path}", server.url()))
                .header("authorization", format!("Bearer {token}"))
                .send(text_message(chat, &i.to_string(), None).to_string())
                .expect("POST");
            let reply = crate::support::read(response);
            id_of(&reply.json()["data"])
        })
        .collect()
}

/// Every page of a listing; panics on an error or a page without a token
/// while `has_more`.
fn pages(server: &MockServer, token: &str, query: &str) -> Vec<Value> {
    let agent = agent();
    let mut pages = Vec::new();
    let mut page_token = String::new();
    loop {
        let path = format!("{MESSAGES}?{query}&page_token={}", encode(&page_token));
        let reply = get_with(&agent, server, &path, Some(token));
        assert_eq!(reply.code(), 0, "{reply:?}");
        let data = reply.json()["data"].clone();
        let more = data["has_more"].as_bool().expect("has_more");
        page_token = data["page_token"].as_str().expect("page_token").to_owned();
        pages.push(data);
        if !more {
            assert_eq!(page_token, "");
            return pages;
        }
        assert!(!page_token.is_empty());
        assert!(pages.len() < 100, "endless paging");
    }
}

fn encode(token: &str) -> String {
    token.replace('=', "%3D")
}

fn ids(pages: &[Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|page| page["items"].as_array().expect("items").iter().map(id_of))
        .collect()
}

#[test]
fn pages_through_250_messages_in_order() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    server.add_chat("oc_big", "Big");
    let sent = fill(&server, &token, "oc_big", 250);
    send_text(&server, &token, "oc_mock_general", "elsewhere");

    let asc = pages(
        &server,
        &token,
        "container_id_type=chat&container_id=oc_big&page_size=20",
    );
    assert_eq!(asc.len(), 13);
    assert!(
        asc[..12]
            .iter()
            .all(|p| p["items"].as_array().map(Vec::len) == Some(20))
    );
    assert_eq!(asc[12]["items"].as_array().map(Vec::len), Some(10));
    assert_eq!(ids(&asc), sent);
    let times: Vec<u64> = asc
        .iter()
        .flat_map(|p| p["items"].as_array().expect("items").clone())
        .map(|m| {
            m["create_time"]
                .as_str()
                .expect("time")
                .parse()
                .expect("ms")
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]));

    let desc = pages(
        &server,
        &token,
        "container_id_type=chat&container_id=oc_big&sort_type=ByCreateTimeDesc&page_size=50",
    );
    assert_eq!(desc.len(), 5);
    let mut reversed = sent.clone();
    reversed.reverse();
    assert_eq!(ids(&desc), reversed);

    let default = pages(
        &server,
        &token,
        "container_id_type=chat&container_id=oc_big",
    );
    assert_eq!(default[0]["items"].as_array().map(Vec::len), Some(20));
}

#[test]
fn tokens_survive_new_messages_and_belong_to_their_query() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let sent = fill(&server, &token, "oc_mock_random", 5);
    let query =
        "container_id_type=chat&container_id=oc_mock_random&page_size=2&sort_type=ByCreateTimeDesc";
    let first =
        call(&server, "GET", &format!("{MESSAGES}?{query}"), &token, None).json()["data"].clone();
    let page_token = first["page_token"].as_str().expect("token").to_owned();
    // A message arriving between pages does not shift the next page.
    send_text(&server, &token, "oc_mock_random", "late");
    let path = format!("{MESSAGES}?{query}&page_token={}", encode(&page_token));
    let second = call(&server, "GET", &path, &token, None).json()["data"].clone();
    assert_eq!(ids(&[second]), [sent[2].clone(), sent[1].clone()]);
    // Other parameters, a forged token, a bad size: 230001.
    let other = format!(
        "{MESSAGES}?container_id_type=chat&container_id=oc_mock_random&page_size=2&page_token={}",
        encode(&page_token)
    );
    call(&server, "GET", &other, &token, None).assert_error(400, 230001);
    let forged = format!("{MESSAGES}?{query}&page_token=AAAAAAAAAAAAAAAAAAAAAA%3D%3D");
    call(&server, "GET", &forged, &token, None).assert_error(400, 230001);
    for size in ["0", "51", "x"] {
        let path = format!(
            "{MESSAGES}?container_id_type=chat&container_id=oc_mock_random&page_size={size}"
        );
        let reply = call(&server, "GET", &path, &token, None);
        reply.assert_error(400, 230001);
        assert_eq!(
            reply.json()["error"]["field_violations"][0]["field"],
            "page_size"
        );
    }
}

#[test]
fn threads_list_their_messages_and_chats_hide_them() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let root = id_of(&send_text(&server, &token, "oc_mock_general", "root"));
    let reply_body = |text: &str| json!({ "msg_type": "text", "content": json!({ "text": text }).to_string(), "reply_in_thread": true });
    let path = format!("{MESSAGES}/{root}/reply");
    let first = call(&server, "POST", &path, &token, Some(&reply_body("a"))).json()["data"].clone();
    let second =
        call(&server, "POST", &path, &token, Some(&reply_body("b"))).json()["data"].clone();
    let after = id_of(&send_text(&server, &token, "oc_mock_general", "after"));
    let thread = first["thread_id"].as_str().expect("thread");

    let in_thread = pages(
        &server,
        &token,
        &format!("container_id_type=thread&container_id={thread}"),
    );
    assert_eq!(
        ids(&in_thread),
        [root.clone(), id_of(&first), id_of(&second)]
    );
    let in_chat = pages(
        &server,
        &token,
        "container_id_type=chat&container_id=oc_mock_general",
    );
    assert_eq!(ids(&in_chat), [root, after]);

    let unknown = format!("{MESSAGES}?container_id_type=thread&container_id=omt_nope");
    call(&server, "GET", &unknown, &token, None).assert_error(400, 230019);
}

#[test]
fn time_windows_are_in_seconds() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let sent = fill(&server, &token, "oc_mock_general", 3);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let listed = |window: &str| {
        ids(&pages(
            &server,
            &token,
            &format!("container_id_type=chat&container_id=oc_mock_general&{window}"),
        ))
    };
    assert_eq!(
        listed(&format!("start_time={}&end_time={}", now - 60, now + 60)),
        sent
    );
    assert!(listed(&format!("start_time={}", now + 60)).is_empty());
    assert!(listed(&format!("end_time={}", now - 60)).is_empty());
}

#[test]
fn recalled_messages_stay_listed_as_recalled() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let sent = fill(&server, &token, "oc_mock_general", 2);
    call(
        &server,
        "DELETE",
        &format!("{MESSAGES}/{}", sent[0]),
        &token,
        None,
    );
    let page = &pages(
        &server,
        &token,
        "container_id_type=chat&container_id=oc_mock_general",
    )[0];
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["deleted"], true);
    assert_eq!(
        items[0]["body"]["content"],
        r#"{"text":"This message was recalled"}"#
    );
    assert_eq!(items[1]["deleted"], false);
}

#[test]
fn bad_listing_parameters() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let get = |query: &str| call(&server, "GET", &format!("{MESSAGES}?{query}"), &token, None);
    get("container_id=oc_mock_general").assert_error(400, 230001);
    get("container_id_type=chat").assert_error(400, 230001);
    get("container_id_type=chat&container_id=oc_mock_general&sort_type=Newest")
        .assert_error(400, 230001);
    get("container_id_type=chat&container_id=oc_mock_general&start_time=yesterday")
        .assert_error(400, 230001);
    get("container_id_type=chat&container_id=oc_unknown").assert_error(400, 230002);
    let reply = crate::support::get(
        &server,
        &format!("{MESSAGES}?container_id_type=chat&container_id=oc_mock_general"),
        None,
    );
    reply.assert_error(400, 99991661);
    // A p2p chat exists once the bot has written to the user.
    let p2p = send_message(
        &server,
        &token,
        "open_id",
        &text_message("ou_bob", "hi", None),
    )
    .json()["data"]["chat_id"]
        .as_str()
        .expect("chat")
        .to_owned();
    let listed = get(&format!("container_id_type=chat&container_id={p2p}"));
    assert_eq!(
        listed.json()["data"]["items"].as_array().map(Vec::len),
        Some(1)
    );
}
