//! `GET /open-apis/im/v1/chats`: bearer auth and the success shape.

use feishu_mock::{MARKETPLACE_TENANT_KEY, MockServer};
use serde_json::json;

use crate::support::{
    CHATS, TENANT_TOKEN, agent, get, marketplace_app_token, post, read, self_built_token,
};

#[test]
fn lists_chats_for_a_self_built_tenant_token() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let reply = get(&server, CHATS, Some(&token));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.code(), 0);
    let body = reply.json();
    assert_eq!(body["msg"], "success");
    assert_eq!(body["data"]["has_more"], false);
    assert_eq!(body["data"]["page_token"], "");
    let first = &body["data"]["items"][0];
    assert_eq!(first["chat_id"], "oc_mock_general");
    assert_eq!(first["name"], "General");
    assert_eq!(first["owner_id"], "ou_mock_owner");
    assert_eq!(first["tenant_key"], "mock_self_built_tenant");
    assert!(reply.header("x-tt-logid").is_some());
}

#[test]
fn marketplace_tenant_token_sees_its_tenant() {
    let server = MockServer::start();
    let app_token = marketplace_app_token(&server);
    let request = json!({ "app_access_token": app_token, "tenant_key": MARKETPLACE_TENANT_KEY });
    let reply = post(&server, TENANT_TOKEN, &request.to_string());
    let token = reply.json()["tenant_access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let body = get(&server, &format!("{CHATS}?page_size=20"), Some(&token)).json();
    assert_eq!(
        body["data"]["items"][0]["tenant_key"],
        MARKETPLACE_TENANT_KEY
    );
    // An app token is not a tenant token.
    get(&server, CHATS, Some(&app_token)).assert_error(400, 99991663);
}

#[test]
fn missing_or_malformed_authorization() {
    let server = MockServer::start();
    let reply = get(&server, CHATS, None);
    reply.assert_error(400, 99991661);
    assert_eq!(
        reply.json()["msg"],
        "Missing access token for authorization. Please make a request with token attached."
    );
    let token = self_built_token(&server);
    for value in [
        token.clone(),
        format!("bearer {token}"),
        "Bearer ".to_owned(),
    ] {
        let response = agent()
            .get(format!("{}{CHATS}", server.url()))
            .header("authorization", value)
            .call()
            .expect("GET");
        read(response).assert_error(400, 99991661);
    }
}

#[test]
fn unknown_token_is_invalid() {
    let server = MockServer::start();
    let reply = get(&server, CHATS, Some("t-not-a-real-token"));
    reply.assert_error(400, 99991663);
    assert_eq!(
        reply.json()["msg"],
        "Invalid access token for authorization. Please make a request with token attached"
    );
}

#[test]
fn wrong_method_is_405() {
    let server = MockServer::start();
    // POST is the spec's chat.create; no API PUTs here.
    let reply = crate::support::call(&server, "PUT", CHATS, "t-any", None);
    assert_eq!(reply.status, 405);
    assert!(reply.header("x-tt-logid").is_some());
}

#[test]
fn added_chats_are_listed_in_order() {
    let server = MockServer::builder()
        .chat("oc_built", "Built")
        .start()
        .expect("start");
    server.add_chat("oc_added", "Added");
    server.add_chat("oc_mock_random", "Renamed");
    let token = self_built_token(&server);
    let body = get(&server, CHATS, Some(&token)).json();
    let chats: Vec<(String, String)> = body["data"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| {
            (
                c["chat_id"].as_str().expect("id").to_owned(),
                c["name"].as_str().expect("name").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("oc_mock_general", "General"),
        ("oc_mock_random", "Renamed"),
        ("oc_built", "Built"),
        ("oc_added", "Added"),
    ];
    assert_eq!(
        chats,
        expected.map(|(id, name)| (id.to_owned(), name.to_owned()))
    );
}
