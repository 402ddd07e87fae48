//! `POST /open-apis/im/v1/messages/:id/push_follow_up`: bubbles under the
//! bot's own live messages, with the IM error conventions.

use feishu_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{MESSAGES, call, id_of, self_built_token, send_text};

fn push(server: &MockServer, token: &str, message_id: &str, body: &Value) -> crate::support::Reply {
    let path = format!("{MESSAGES}/{message_id}/push_follow_up");
    call(server, "POST", &path, token, Some(body))
}

fn bubbles(texts: &[&str]) -> Value {
    let items: Vec<Value> = texts.iter().map(|t| json!({ "content": t })).collect();
    json!({ "follow_ups": items })
}

#[test]
fn follow_ups_show_under_the_bots_message() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let id = id_of(&send_text(&server, &token, "oc_mock_general", "Continue?"));

    let reply = push(&server, &token, &id, &bubbles(&["Yes", "No"]));
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(
        reply.json(),
        json!({ "code": 0, "msg": "success", "data": {} })
    );
    assert_eq!(server.messages()[0].follow_ups, ["Yes", "No"]);

    // A second push replaces the bubbles; i18n_contents are accepted.
    let with_i18n = json!({ "follow_ups": [
        { "content": "Later", "i18n_contents": [{ "content": "稍后", "language": "zh_cn" }] },
    ]});
    assert_eq!(push(&server, &token, &id, &with_i18n).code(), 0);
    assert_eq!(server.messages()[0].follow_ups, ["Later"]);
    assert!(
        !server.messages()[0].updated,
        "the message itself is unchanged"
    );
}

#[test]
fn follow_up_errors() {
    let server = MockServer::start();
    let token = self_built_token(&server);
    let id = id_of(&send_text(&server, &token, "oc_mock_general", "Continue?"));

    push(&server, &token, "om_nope", &bubbles(&["Yes"])).assert_error(400, 230001);
    for bad in [json!({}), json!({ "follow_ups": [] }), bubbles(&[""])] {
        let reply = push(&server, &token, &id, &bad);
        reply.assert_error(400, 230001);
        assert!(
            reply.json()["error"]["field_violations"][0]["field"]
                .as_str()
                .is_some_and(|f| f.starts_with("follow_ups")),
            "{reply:?}"
        );
    }
    let theirs =
        server.post_user_message("oc_mock_general", "ou_alice", "text", r#"{"text":"hi"}"#);
    push(&server, &token, &theirs, &bubbles(&["Yes"])).assert_error(400, 230027);
    call(&server, "DELETE", &format!("{MESSAGES}/{id}"), &token, None);
    push(&server, &token, &id, &bubbles(&["Yes"])).assert_error(400, 230011);
    push(&server, "t-forged", &id, &bubbles(&["Yes"])).assert_error(400, 99991663);
    assert!(server.messages()[0].follow_ups.is_empty());
}
