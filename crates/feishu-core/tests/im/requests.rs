//! The request of every message endpoint: method, exact URI with
//! percent-encoded ids, query, headers and the exact JSON body.

use feishu_core::Paginated;
use feishu_core::im::content::{Card, MessageContent, Post, PostElement, PostLocale};
use feishu_core::im::message::{
    FollowUp, ForwardMessage, GetMessage, ListMessages, MergeForward, PatchMessage, PushFollowUp,
    ReadUsers, RecallMessage, ReceiveIdType, ReplyMessage, SendMessage, SortType, UpdateMessage,
};
use serde_json::{Value, json};

use crate::{CHAT_ID, ODD_ID, ODD_ID_ENCODED, UUID, assert_request, build, json_body};

const BASE: &str = "https://open.feishu.cn/open-apis/im/v1";
const JSON: Option<&str> = Some("application/json; charset=utf-8");

fn text_content(text: &str) -> Value {
    Value::String(json!({ "text": text }).to_string())
}

#[test]
fn send_infers_the_receive_id_type_from_each_prefix() {
    for (id, kind) in [
        (CHAT_ID, "chat_id"),
        ("ou_7d8a6e6df7621556ce0d21922b676706ccs", "open_id"),
        ("on_94a1ee5551019f18cd73d9f111898cf2", "union_id"),
        ("tom@example.com", "email"),
    ] {
        let request = build(&SendMessage::new(id, MessageContent::text("test content")));
        let uri = format!("{BASE}/messages?receive_id_type={kind}");
        assert_request(&request, "POST", &uri, JSON);
        assert_eq!(
            json_body(&request),
            json!({"receive_id": id, "msg_type": "text", "content": "{\"text\":\"test content\"}"}),
            "{id}: no uuid unless one is set"
        );
    }
}

#[test]
fn send_to_a_named_user_id_and_with_a_uuid() {
    let send = SendMessage::to(
        ReceiveIdType::UserId,
        "e33ggbyz",
        MessageContent::text("hi"),
    );
    let request = build(&send.clone().uuid(UUID));
    assert_request(
        &request,
        "POST",
        &format!("{BASE}/messages?receive_id_type=user_id"),
        JSON,
    );
    assert_eq!(
        json_body(&request),
        json!({"receive_id": "e33ggbyz", "msg_type": "text", "content": text_content("hi"), "uuid": UUID})
    );
    assert!(json_body(&build(&send)).get("uuid").is_none());
}

#[test]
fn send_content_is_a_string_of_json_never_a_nested_object() {
    let text = "line 1\nline \"2\" <at user_id=\"all\">所有人</at>";
    let request = build(&SendMessage::new(CHAT_ID, MessageContent::text(text)));
    let body = json_body(&request);
    let content = body["content"].as_str().expect("content is a string");
    assert_eq!(
        serde_json::from_str::<Value>(content).expect("JSON"),
        json!({"text": text})
    );

    let image = MessageContent::Image {
        image_key: "img_7ea74629-9191-4176-998c-2e603c9c5e8g".into(),
    };
    let body = json_body(&build(&SendMessage::new(CHAT_ID, image)));
    assert_eq!(body["msg_type"], "image");
    assert_eq!(
        body["content"],
        "{\"image_key\":\"img_7ea74629-9191-4176-998c-2e603c9c5e8g\"}"
    );
}

#[test]
fn send_post_and_card_carry_their_msg_type() {
    let post = Post::new().locale(
        "zh_cn",
        PostLocale::new("T").paragraph(vec![PostElement::text("hi ").bold()]),
    );
    let body = json_body(&build(&SendMessage::new(CHAT_ID, post.into())));
    assert_eq!(body["msg_type"], "post");
    let content: Value = serde_json::from_str(body["content"].as_str().expect("a string"))
        .expect("the content string is JSON");
    assert_eq!(
        content,
        json!({"zh_cn": {"title": "T", "content": [[{"tag": "text", "text": "hi ", "style": ["bold"]}]]}})
    );

    let card = Card::raw(json!({"config": {"update_multi": true}, "elements": []}));
    let body = json_body(&build(&SendMessage::new(CHAT_ID, card.into())));
    assert_eq!(body["msg_type"], "interactive");
    assert_eq!(
        body["content"],
        "{\"config\":{\"update_multi\":true},\"elements\":[]}"
    );
}

#[test]
fn reply_posts_to_the_encoded_message_id() {
    let reply = ReplyMessage::new(ODD_ID, MessageContent::text("pong"));
    let request = build(&reply);
    let uri = format!("{BASE}/messages/{ODD_ID_ENCODED}/reply");
    assert_request(&request, "POST", &uri, JSON);
    assert_eq!(
        json_body(&request),
        json!({"content": text_content("pong"), "msg_type": "text"}),
        "reply_in_thread is left out when false (Feishu's default)"
    );

    let request = build(&reply.in_thread().uuid(UUID));
    assert_request(&request, "POST", &uri, JSON);
    assert_eq!(
        json_body(&request),
        json!({"content": text_content("pong"), "msg_type": "text", "reply_in_thread": true, "uuid": UUID})
    );
}

#[test]
fn update_puts_msg_type_and_content() {
    let request = build(&UpdateMessage::new(ODD_ID, MessageContent::text("edited")));
    let uri = format!("{BASE}/messages/{ODD_ID_ENCODED}");
    assert_request(&request, "PUT", &uri, JSON);
    assert_eq!(
        json_body(&request),
        json!({"msg_type": "text", "content": text_content("edited")})
    );
}

#[test]
fn patch_sends_only_the_card_content() {
    let card = json!({"config": {"update_multi": true}, "header": {"title": {"tag": "plain_text", "content": "T"}}});
    let request = build(&PatchMessage::new(ODD_ID, Card::raw(card.clone())));
    assert_request(
        &request,
        "PATCH",
        &format!("{BASE}/messages/{ODD_ID_ENCODED}"),
        JSON,
    );
    let body = json_body(&request);
    assert_eq!(body, json!({"content": card.to_string()}), "no msg_type");
    let content: Value = serde_json::from_str(body["content"].as_str().expect("a string"))
        .expect("the card string is JSON");
    assert_eq!(content, card);
}

#[test]
fn recall_and_get_have_no_body_and_no_query() {
    let uri = format!("{BASE}/messages/{ODD_ID_ENCODED}");
    assert_request(&build(&RecallMessage::new(ODD_ID)), "DELETE", &uri, None);
    assert_request(&build(&GetMessage::new(ODD_ID)), "GET", &uri, None);
}

#[test]
fn non_ascii_ids_are_percent_encoded_as_utf8() {
    let request = build(&GetMessage::new("om_报 告"));
    assert_eq!(
        request.uri().path(),
        "/open-apis/im/v1/messages/om_%E6%8A%A5%20%E5%91%8A"
    );
}

#[test]
fn forward_puts_the_receive_id_type_and_uuid_in_the_query() {
    let request = build(&ForwardMessage::new(ODD_ID, CHAT_ID).uuid(UUID));
    let uri =
        format!("{BASE}/messages/{ODD_ID_ENCODED}/forward?receive_id_type=chat_id&uuid={UUID}");
    assert_request(&request, "POST", &uri, JSON);
    assert_eq!(
        json_body(&request),
        json!({"receive_id": CHAT_ID}),
        "no uuid in the body"
    );

    let request = build(&ForwardMessage::new(ODD_ID, "omt_d4be107c616a"));
    let uri = format!("{BASE}/messages/{ODD_ID_ENCODED}/forward?receive_id_type=thread_id");
    assert_request(&request, "POST", &uri, JSON);
    assert_eq!(
        json_body(&request),
        json!({"receive_id": "omt_d4be107c616a"})
    );

    let named = ForwardMessage::to("om_1", ReceiveIdType::UserId, "e33ggbyz");
    assert_eq!(build(&named).uri().query(), Some("receive_id_type=user_id"));
}

#[test]
fn a_uuid_in_the_query_is_percent_encoded() {
    let request = build(&ForwardMessage::new("om_1", CHAT_ID).uuid("a b&c=d/é"));
    assert_eq!(
        request.uri().query(),
        Some("receive_id_type=chat_id&uuid=a%20b%26c%3Dd%2F%C3%A9")
    );
    let request = build(&MergeForward::new(CHAT_ID, vec!["om_1".into()]).uuid("x?y#z"));
    assert_eq!(
        request.uri().query(),
        Some("receive_id_type=chat_id&uuid=x%3Fy%23z")
    );
}

#[test]
fn merge_forward_posts_to_the_underscore_path() {
    let ids = vec!["om_1".to_owned(), "om_2".to_owned()];
    let request = build(&MergeForward::new(CHAT_ID, ids.clone()));
    let uri = format!("{BASE}/messages/merge_forward?receive_id_type=chat_id");
    assert_request(&request, "POST", &uri, JSON);
    assert_eq!(
        json_body(&request),
        json!({"receive_id": CHAT_ID, "message_id_list": ["om_1", "om_2"]})
    );

    let request = build(&MergeForward::to(ReceiveIdType::OpenId, "ou_1", ids).uuid(UUID));
    let uri = format!("{BASE}/messages/merge_forward?receive_id_type=open_id&uuid={UUID}");
    assert_request(&request, "POST", &uri, JSON);
    assert!(json_body(&request).get("uuid").is_none());
}

#[test]
fn push_follow_up_posts_the_bubbles() {
    let follow_ups = vec![FollowUp::new("Yes"), FollowUp::new("不要")];
    let request = build(&PushFollowUp::new(ODD_ID, follow_ups));
    let uri = format!("{BASE}/messages/{ODD_ID_ENCODED}/push_follow_up");
    assert_request(&request, "POST", &uri, JSON);
    assert_eq!(
        json_body(&request),
        json!({"follow_ups": [{"content": "Yes"}, {"content": "不要"}]})
    );
}

// ------------------------------------------------------------- listings

const TOKEN: &str = "GxmvlNRvP0Nd+QZpa7yIqf/Lv==";
const TOKEN_ENCODED: &str = "GxmvlNRvP0Nd%2BQZpa7yIqf%2FLv%3D%3D";

#[test]
fn list_a_chat_with_bounds_sort_and_page_size() {
    let list = ListMessages::chat(CHAT_ID)
        .start_time(1_608_594_809)
        .end_time(1_609_296_809)
        .sort(SortType::ByCreateTimeDesc)
        .page_size(20);
    let request = build(&list);
    let query = format!(
        "container_id_type=chat&container_id={CHAT_ID}&start_time=1608594809\
         &end_time=1609296809&sort_type=ByCreateTimeDesc&page_size=20"
    );
    assert_request(&request, "GET", &format!("{BASE}/messages?{query}"), None);

    let next = build(&list.with_page_token(TOKEN));
    let uri = format!("{BASE}/messages?{query}&page_token={TOKEN_ENCODED}");
    assert_request(&next, "GET", &uri, None);
}

#[test]
fn list_a_thread_sends_the_default_sort() {
    let request = build(&ListMessages::thread("omt_d4be107c616a"));
    let uri = format!(
        "{BASE}/messages?container_id_type=thread&container_id=omt_d4be107c616a&sort_type=ByCreateTimeAsc"
    );
    assert_request(&request, "GET", &uri, None);
}

#[test]
fn list_encodes_the_container_id_in_the_query() {
    let request = build(&ListMessages::chat("oc_a&b=c"));
    assert_eq!(
        request.uri().query(),
        Some("container_id_type=chat&container_id=oc_a%26b%3Dc&sort_type=ByCreateTimeAsc")
    );
}

#[test]
fn read_users_pages_by_open_id() {
    let read = ReadUsers::new(ODD_ID).page_size(10);
    let path = format!("{BASE}/messages/{ODD_ID_ENCODED}/read_users");
    let request = build(&read);
    assert_request(
        &request,
        "GET",
        &format!("{path}?user_id_type=open_id&page_size=10"),
        None,
    );

    let request = build(&read.with_page_token(TOKEN));
    let uri = format!("{path}?user_id_type=open_id&page_size=10&page_token={TOKEN_ENCODED}");
    assert_request(&request, "GET", &uri, None);

    let request = build(&ReadUsers::new("om_1"));
    assert_eq!(request.uri().query(), Some("user_id_type=open_id"));
}
