//! Event envelopes, v1 and v2, reduced to one `Event`; the typed kinds (the
//! receive-event sample and the docs' field lists of the IM events), and
//! every other or misshapen event kept raw, never lost (`ts` and
//! `create_time` stay strings: their unit is not fixed).

use feishu_core::event::{Event, EventKind, Schema, V1Event, Webhook};
use feishu_core::im::content::ReceivedContent;
use serde_json::json;

use crate::*;

fn v1(name: &str) -> Event {
    let handled = Webhook::token_only(V1_TOKEN).handle(&post(body(name).as_bytes()), now());
    event(&handled).clone()
}

fn v2(name: &str) -> Event {
    let handled = Webhook::token_only(VT).handle(&post(body(name).as_bytes()), now());
    event(&handled).clone()
}

/// The header fields every v2 sample shares.
fn assert_v2_header(event: &Event, event_id: &str, event_type: &str, create_time: &str) {
    assert_eq!(event.schema, Schema::V2);
    assert_eq!(event.event_id.as_deref(), Some(event_id));
    assert_eq!(event.event_type, event_type);
    assert_eq!(event.create_time.as_deref(), Some(create_time));
    assert_eq!(event.tenant_key.as_deref(), Some("2ca1d211f64f6438"));
    assert_eq!(event.app_id.as_deref(), Some("cli_9f5343c580712544"));
}

#[test]
fn v1_app_ticket_sample() {
    let event = v1("v1_app_ticket.json");
    assert_eq!(event.schema, Schema::V1);
    assert_eq!(
        event.event_id.as_deref(),
        Some("bc447199585340d1f3728d26b1c0297a")
    );
    assert_eq!(event.event_type, "app_ticket");
    assert_eq!(event.create_time.as_deref(), Some("1502199207.7171419"));
    assert_eq!(event.app_id.as_deref(), Some("cli_xxx"));
    assert_eq!(event.tenant_key, None);
    let EventKind::V1(V1Event::AppTicket(ticket)) = &event.kind else {
        panic!("expected an app ticket, got {:?}", event.kind);
    };
    assert_eq!(ticket.app_id, "cli_xxx");
    assert_eq!(ticket.app_ticket.expose(), "xxx");
}

#[test]
fn v1_p2p_chat_create_sample_is_typed() {
    let event = v1("v1_p2p_chat_create.json");
    assert_eq!(event.schema, Schema::V1);
    assert_eq!(
        event.event_id.as_deref(),
        Some("bc447199585340d1f3728d26b1c0297a")
    );
    assert_eq!(event.event_type, "p2p_chat_create");
    assert_eq!(event.create_time.as_deref(), Some("1502199207.7171419"));
    assert_eq!(event.tenant_key.as_deref(), Some("736588c9260f175c"));
    assert_eq!(event.app_id.as_deref(), Some("cli_9c8609450f78d102"));
    let EventKind::V1(V1Event::P2pChatCreate(created)) = &event.kind else {
        panic!("expected p2p_chat_create, got {:?}", event.kind);
    };
    assert_eq!(created.chat_id, "oc_26b66a5eb603162b849f91bcd8815b20");
    assert_eq!(
        created.operator.open_id.as_deref(),
        Some("ou_2d2c0399b53d06fd195bb393cd1e38f2")
    );
    assert_eq!(created.user.name.as_deref(), Some("user_name"));
    assert_eq!(created.user.user_id.as_deref(), Some("gfa21d92"));
}

#[test]
fn v1_sample_of_an_untyped_kind_is_kept_raw() {
    let mut json = body_json("v1_p2p_chat_create.json");
    json["event"]["type"] = json!("chat_disband");
    let handled = Webhook::token_only(V1_TOKEN).handle(&post(json.to_string().as_bytes()), now());
    let event = event(&handled);
    assert_eq!(event.schema, Schema::V1);
    assert_eq!(event.event_type, "chat_disband");
    assert_eq!(
        event.kind,
        EventKind::V1(V1Event::Unknown {
            event_type: "chat_disband".into(),
            raw: json["event"].clone(),
        })
    );
}

#[test]
fn v1_ts_is_kept_as_the_exact_string() {
    // Trailing zeros, a fraction longer than a float holds: never reformatted.
    for ts in [
        "1502199207.7171419",
        "1502199207.10",
        "1502199207.717141912345678",
        "1502199207",
    ] {
        let mut json = body_json("v1_p2p_chat_create.json");
        json["ts"] = json!(ts);
        let request = post(json.to_string().as_bytes());
        let handled = Webhook::token_only(V1_TOKEN).handle(&request, now());
        assert_eq!(event(&handled).create_time.as_deref(), Some(ts));
    }
}

#[test]
fn v2_message_receive_sample_is_typed() {
    let event = v2("v2_receive.json");
    assert_v2_header(
        &event,
        "5e3702a84e847582be8db7fb73283c02",
        "im.message.receive_v1",
        "1608725989000",
    );
    let EventKind::MessageReceived(received) = &event.kind else {
        panic!("expected a received message, got {:?}", event.kind);
    };
    let sender = &received.sender;
    assert_eq!(
        sender.sender_id.open_id.as_deref(),
        Some("ou_84aad35d084aa403a838cf73ee18467")
    );
    assert_eq!(
        sender.sender_id.union_id.as_deref(),
        Some("on_8ed6aa67826108097d9ee143816345")
    );
    assert_eq!(sender.sender_id.user_id.as_deref(), Some("e33ggbyz"));
    assert_eq!(sender.sender_type, "user");
    assert_eq!(sender.tenant_key.as_deref(), Some("736588c9260f175e"));

    let message = &received.message;
    assert_eq!(message.message_id, "om_5ce6d572455d361153b7cb51da133945");
    assert_eq!(
        message.root_id.as_deref(),
        Some("om_5ce6d572455d361153b7cb5xxfsdfsdfdsf")
    );
    assert_eq!(
        message.parent_id.as_deref(),
        Some("om_5ce6d572455d361153b7cb5xxfsdfsdfdsf")
    );
    assert_eq!(message.thread_id, None);
    assert_eq!(message.update_time, None);
    assert_eq!(message.create_time, "1609073151345");
    assert_eq!(message.chat_id, "oc_5ce6d572455d361153b7xx51da133945");
    assert_eq!(message.chat_type, "group");
    assert_eq!(message.message_type, "text");
    assert_eq!(message.content, r#"{"text":"@_user_1 hello"}"#);
    assert_eq!(
        message.content(),
        ReceivedContent::Text {
            text: "@_user_1 hello".into()
        }
    );

    let [mention] = message.mentions.as_slice() else {
        panic!("one mention, got {:?}", message.mentions);
    };
    assert_eq!(mention.key, "@_user_1");
    assert_eq!(
        mention.id.open_id.as_deref(),
        Some("ou_84aad35d084aa403a838cf73ee18467")
    );
    assert_eq!(
        mention.id.union_id.as_deref(),
        Some("on_8ed6aa67826108097d9ee143816345")
    );
    assert_eq!(mention.id.user_id.as_deref(), Some("e33ggbyz"));
    assert_eq!(mention.name, "Tom");
    assert_eq!(mention.tenant_key.as_deref(), Some("736588c9260f175e"));
}

#[test]
fn v2_message_receive_optional_fields_are_read() {
    let mut json = body_json("v2_receive.json");
    let message = &mut json["event"]["message"];
    message["thread_id"] = json!("omt_1a2b3c4d5e6f");
    message["update_time"] = json!("1609073151999");
    message["user_agent"] = json!("Mozilla/5.0");
    message["chat_type"] = json!("topic_group");
    let handled = Webhook::token_only(VT).handle(&post(json.to_string().as_bytes()), now());
    let EventKind::MessageReceived(received) = &event(&handled).kind else {
        panic!("a received message");
    };
    assert_eq!(
        received.message.thread_id.as_deref(),
        Some("omt_1a2b3c4d5e6f")
    );
    assert_eq!(
        received.message.update_time.as_deref(),
        Some("1609073151999")
    );
    assert_eq!(received.message.chat_type, "topic_group");
}

#[test]
fn v2_message_read_is_typed() {
    let event = v2("v2_message_read.json");
    assert_v2_header(
        &event,
        "a6b1c2d3e4f5061728394a5b6c7d8e9f",
        "im.message.message_read_v1",
        "1609484183000",
    );
    let EventKind::MessageRead(read) = &event.kind else {
        panic!("expected a read receipt, got {:?}", event.kind);
    };
    assert_eq!(
        read.reader.reader_id.open_id.as_deref(),
        Some("ou_84aad35d084aa403a838cf73ee18467")
    );
    assert_eq!(
        read.reader.reader_id.union_id.as_deref(),
        Some("on_8ed6aa67826108097d9ee143816345")
    );
    assert_eq!(read.reader.reader_id.user_id.as_deref(), Some("e33ggbyz"));
    assert_eq!(read.reader.read_time, "1609484183000");
    assert_eq!(read.reader.tenant_key.as_deref(), Some("736588c9260f175e"));
    assert_eq!(
        read.message_id_list,
        [
            "om_dc13264520392913993dd051dba21dcf",
            "om_5ce6d572455d361153b7cb51da133945"
        ]
    );
}

#[test]
fn v2_bot_added_is_typed() {
    let event = v2("v2_bot_added.json");
    assert_v2_header(
        &event,
        "0c8f5a7e9b1d2c3e4f5a6b7c8d9e0f1a",
        "im.chat.member.bot.added_v1",
        "1609484183000",
    );
    let EventKind::BotAdded(added) = &event.kind else {
        panic!("expected BotAdded, got {:?}", event.kind);
    };
    assert_eq!(added.chat_id, "oc_413871ec1b4a1aa5a6aa3d5f8a7a5e4e");
    assert_eq!(
        added.operator_id.open_id.as_deref(),
        Some("ou_84aad35d084aa403a838cf73ee18467")
    );
    assert_eq!(
        added.operator_id.union_id.as_deref(),
        Some("on_8ed6aa67826108097d9ee143816345")
    );
    assert_eq!(added.operator_id.user_id.as_deref(), Some("e33ggbyz"));
    assert!(!added.external);
    assert_eq!(
        added.operator_tenant_key.as_deref(),
        Some("86gb2ce5b0ce3ca2")
    );
    assert_eq!(added.name.as_deref(), Some("测试群"));
}

#[test]
fn v2_bot_deleted_is_typed() {
    let event = v2("v2_bot_deleted.json");
    assert_v2_header(
        &event,
        "1d9e6b8f0c2e3d4f5a6b7c8d9e0f1a2b",
        "im.chat.member.bot.deleted_v1",
        "1609484283000",
    );
    let EventKind::BotDeleted(deleted) = &event.kind else {
        panic!("expected BotDeleted, got {:?}", event.kind);
    };
    assert_eq!(deleted.chat_id, "oc_413871ec1b4a1aa5a6aa3d5f8a7a5e4e");
    assert_eq!(
        deleted.operator_id.open_id.as_deref(),
        Some("ou_0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d")
    );
    assert_eq!(deleted.operator_id.user_id.as_deref(), Some("9a7b8c6d"));
    assert!(deleted.external);
    assert_eq!(
        deleted.operator_tenant_key.as_deref(),
        Some("3e4f5a6b7c8d9e0f")
    );
    assert_eq!(deleted.name.as_deref(), Some("external group"));
}

#[test]
fn unknown_type_is_kept_with_the_raw_event() {
    // `v2_unknown.json` was written when `contact.user.created_v3` was not
    // typed; it is now, so the sample is renamed to a type that is not.
    let mut json = body_json("v2_unknown.json");
    json["header"]["event_type"] = json!("vc.meeting.all_meeting_started_v1");
    let handled = Webhook::token_only(VT).handle(&post(json.to_string().as_bytes()), now());
    let event = event(&handled).clone();
    assert_v2_header(
        &event,
        "7e2a9c1b3d4f5e6a7b8c9d0e1f2a3b4c",
        "vc.meeting.all_meeting_started_v1",
        "1700000000000",
    );
    assert_eq!(
        event.kind,
        EventKind::Unknown {
            event_type: "vc.meeting.all_meeting_started_v1".into(),
            raw: json["event"].clone(),
        }
    );
}

#[test]
fn contact_user_created_sample_is_typed() {
    let event = v2("v2_unknown.json");
    assert_eq!(event.event_type, "contact.user.created_v3");
    let EventKind::UserCreated(created) = &event.kind else {
        panic!("expected contact.user.created_v3, got {:?}", event.kind);
    };
    assert_eq!(
        created.object.open_id.as_deref(),
        Some("ou_7dab8a3d3cdcc9da365777c7ad535d62")
    );
    assert_eq!(created.object.name.as_deref(), Some("张三"));
    assert_eq!(
        created.object.department_ids,
        ["od-4e6ac4d14bcd5071a37a39de902c7141"]
    );
    assert_eq!(created.old_object, None);
}

#[test]
fn known_type_with_a_wrong_shape_is_other_never_lost() {
    let misshapen = v2("v2_wrong_shape.json");
    assert_v2_header(
        &misshapen,
        "9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e",
        "im.message.receive_v1",
        "1700000000000",
    );
    assert_eq!(
        misshapen.kind,
        EventKind::Unknown {
            event_type: "im.message.receive_v1".into(),
            raw: body_json("v2_wrong_shape.json")["event"].clone(),
        }
    );

    // Each typed kind, given an event missing a required field.
    let cases = [
        (
            "v2_message_read.json",
            "im.message.message_read_v1",
            json!({"message_id_list": []}),
        ),
        (
            "v2_bot_added.json",
            "im.chat.member.bot.added_v1",
            json!({"name": "no chat id"}),
        ),
        (
            "v2_bot_deleted.json",
            "im.chat.member.bot.deleted_v1",
            json!({"chat_id": 42}),
        ),
        (
            "v2_receive.json",
            "im.message.receive_v1",
            json!({"sender": {}, "message": {}}),
        ),
    ];
    for (name, event_type, misshapen) in cases {
        let mut json = body_json(name);
        json["event"] = misshapen.clone();
        let handled = Webhook::token_only(VT).handle(&post(json.to_string().as_bytes()), now());
        let event = event(&handled);
        assert_eq!(event.event_type, event_type);
        assert_eq!(
            event.kind,
            EventKind::Unknown {
                event_type: event_type.into(),
                raw: misshapen
            },
            "{name}"
        );
    }

    // A v1 app_ticket without its ticket.
    let mut json = body_json("v1_app_ticket.json");
    json["event"] = json!({"app_id": "cli_xxx", "type": "app_ticket"});
    let handled = Webhook::token_only(V1_TOKEN).handle(&post(json.to_string().as_bytes()), now());
    assert_eq!(
        event(&handled).kind,
        EventKind::V1(V1Event::Unknown {
            event_type: "app_ticket".into(),
            raw: json["event"].clone(),
        })
    );
}

#[test]
fn v2_is_recognised_by_its_header_alone() {
    // v2 if `schema == "2.0"` OR it has a `header` object.
    let mut json = body_json("v2_bot_added.json");
    json.as_object_mut().expect("an object").remove("schema");
    let handled = Webhook::token_only(VT).handle(&post(json.to_string().as_bytes()), now());
    let event = event(&handled);
    assert_eq!(event.schema, Schema::V2);
    assert!(matches!(event.kind, EventKind::BotAdded(_)));
}

#[test]
fn create_time_keeps_any_number_of_digits() {
    for create_time in ["1608725989000", "1608725989000123", "1608725989"] {
        let mut json = body_json("v2_unknown.json");
        json["header"]["create_time"] = json!(create_time);
        let handled = Webhook::token_only(VT).handle(&post(json.to_string().as_bytes()), now());
        assert_eq!(event(&handled).create_time.as_deref(), Some(create_time));
    }
}
