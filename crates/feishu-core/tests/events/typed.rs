//! Every typed event (the events bots need first, and the schema 1.0 events
//! still delivered), from a sample after the Feishu docs' field lists in
//! `tests/events/samples/`, read through the webhook and taken out with its
//! `types` constant.

use feishu_core::event::types::*;
use feishu_core::event::{ApprovalStatus, Event, EventKind, EventType, Schema, V1Event, Webhook};

use crate::*;

macro_rules! samples {
    ($($dir:literal / $name:literal),* $(,)?) => {
        /// Every sample, by `dir/name`.
        const SAMPLES: &[(&str, &str)] = &[
            $((concat!($dir, "/", $name), include_str!(concat!("samples/", $dir, "/", $name, ".json")))),*
        ];
    };
}

samples![
    "v2" / "im.message.receive_v1",
    "v2" / "im.message.message_read_v1",
    "v2" / "im.message.recalled_v1",
    "v2" / "im.message.reaction.created_v1",
    "v2" / "im.message.reaction.deleted_v1",
    "v2" / "im.chat.member.bot.added_v1",
    "v2" / "im.chat.member.bot.deleted_v1",
    "v2" / "im.chat.access_event.bot_p2p_chat_entered_v1",
    "v2" / "application.bot.menu_v6",
    "v2" / "im.chat.member.user.added_v1",
    "v2" / "im.chat.member.user.deleted_v1",
    "v2" / "im.chat.member.user.withdrawn_v1",
    "v2" / "im.chat.updated_v1",
    "v2" / "im.chat.disbanded_v1",
    "v2" / "contact.user.created_v3",
    "v2" / "contact.user.updated_v3",
    "v2" / "contact.user.deleted_v3",
    "v2" / "contact.department.created_v3",
    "v2" / "contact.department.updated_v3",
    "v2" / "contact.department.deleted_v3",
    "v2" / "approval.instance.status_changed_v4",
    "v2" / "approval.task.status_changed_v4",
    "v2" / "drive.file.bitable_record_changed_v1",
    "v2" / "calendar.calendar.event.changed_v4",
    "v2" / "task.task.update_tenant_v1",
    "v1" / "app_ticket",
    "v1" / "approval_instance",
    "v1" / "approval_task",
    "v1" / "p2p_chat_create",
    "v1" / "add_bot",
    "v1" / "remove_bot",
    "v1" / "message_read",
    "v1" / "app_open",
    "v1" / "app_status_change",
    "v1" / "order_paid",
    "v1" / "app_uninstalled",
];

/// The sample, through a webhook.
fn received(name: &str) -> Event {
    let (_, body) = SAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no sample {name}"));
    let token = if name.starts_with("v1/") {
        V1_TOKEN
    } else {
        VT
    };
    let handled = Webhook::token_only(token).handle(&post(body.as_bytes()), now());
    event(&handled).clone()
}

/// The sample's payload, taken with its constant, whose name must be the
/// sample's type.
#[track_caller]
fn payload<P>(event_type: EventType<P>) -> P {
    let dir = if event_type.name().contains('.') {
        "v2"
    } else {
        "v1"
    };
    let event = received(&format!("{dir}/{}", event_type.name()));
    assert_eq!(event.event_type, event_type.name());
    match event_type.take(event.kind) {
        Ok(payload) => payload,
        Err(kind) => panic!("{} is not typed: {kind:?}", event_type.name()),
    }
}

const OPEN_ID: &str = "ou_84aad35d084aa403a838cf73ee18467";
const CHAT: &str = "oc_413871ec1b4a1aa5a6aa3d5f8a7a5e4e";

#[test]
fn every_sample_on_disk_is_listed_and_typed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/events/samples");
    let mut on_disk = Vec::new();
    for dir in ["v1", "v2"] {
        for file in std::fs::read_dir(root.join(dir)).expect("a samples directory") {
            let path = file.expect("an entry").path();
            let name = path
                .file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            on_disk.push(format!("{dir}/{name}"));
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = SAMPLES.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
    for (name, _) in SAMPLES {
        let event = received(name);
        let unknown = matches!(
            event.kind,
            EventKind::Unknown { .. } | EventKind::V1(V1Event::Unknown { .. })
        );
        assert!(!unknown, "{name} is not typed: {:?}", event.kind);
        let schema = if name.starts_with("v1/") {
            Schema::V1
        } else {
            Schema::V2
        };
        assert_eq!(event.schema, schema, "{name}");
    }
}

#[test]
fn messages_and_reactions() {
    let received = payload(MESSAGE_RECEIVED);
    assert_eq!(received.message.message_type, "post");
    assert_eq!(received.message.reply_to(), Some("om_parent_1"));
    assert_eq!(received.message.thread_id.as_deref(), Some("omt_1a2b3c"));
    assert!(
        received
            .message
            .mentions_open_id("ou_0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d")
    );

    let read = payload(MESSAGE_READ);
    assert_eq!(read.reader.reader_id.open_id.as_deref(), Some(OPEN_ID));
    assert_eq!(
        read.message_id_list,
        ["om_dc13264520392913993dd051dba21dcf"]
    );

    let recalled = payload(MESSAGE_RECALLED);
    assert_eq!(recalled.message_id, "om_dc13264520392913993dd051dba21dcf");
    assert_eq!(recalled.chat_id, CHAT);
    assert_eq!(recalled.recall_time, "1609484183000");
    assert_eq!(recalled.recall_type, "message_owner");

    let created = payload(REACTION_CREATED);
    assert_eq!(created.reaction_type.emoji_type, "THUMBSUP");
    assert_eq!(created.operator_type, "user");
    assert_eq!(created.user_id.open_id.as_deref(), Some(OPEN_ID));
    assert_eq!(created.action_time, "1627641418803");
    let deleted = payload(REACTION_DELETED);
    assert_eq!(deleted.reaction_type.emoji_type, "DONE");
    assert_eq!(deleted.operator_type, "app");
    // A number where the docs say a string: read as its text.
    assert_eq!(deleted.action_time, "1627641419000");
}

#[test]
fn the_bot_in_chats_and_its_menu() {
    let added = payload(BOT_ADDED);
    assert_eq!((added.chat_id.as_str(), added.external), (CHAT, false));
    let deleted = payload(BOT_DELETED);
    assert!(deleted.external);
    let entered = payload(BOT_P2P_CHAT_ENTERED);
    assert_eq!(entered.chat_id, "oc_e520983d3e4f5ec7b7b1234567890");
    assert_eq!(entered.operator_id.open_id.as_deref(), Some(OPEN_ID));
    assert_eq!(entered.last_message_id.as_deref(), Some("om_last_1"));
    let menu = payload(BOT_MENU);
    assert_eq!(menu.event_key, "weekly_report");
    assert_eq!(menu.operator.operator_name.as_deref(), Some("Tom"));
    assert_eq!(
        menu.operator.operator_id.user_id.as_deref(),
        Some("e33ggbyz")
    );
    assert_eq!(menu.timestamp.as_deref(), Some("1669002302"));
}

#[test]
fn chat_membership_and_settings() {
    let added = payload(CHAT_MEMBER_USER_ADDED);
    assert_eq!(added.chat_id, CHAT);
    assert_eq!(added.users[0].name.as_deref(), Some("Alice"));
    assert_eq!(added.i18n_names["en_us"], "test group");
    let deleted = payload(CHAT_MEMBER_USER_DELETED);
    assert_eq!(deleted.users.len(), 1);
    assert!(deleted.i18n_names.is_empty());
    let withdrawn = payload(CHAT_MEMBER_USER_WITHDRAWN);
    assert_eq!(withdrawn.users.len(), 2);
    assert!(withdrawn.external);

    let updated = payload(CHAT_UPDATED);
    assert_eq!(updated.after_change.name.as_deref(), Some("新名字"));
    assert_eq!(updated.before_change.name.as_deref(), Some("测试群"));
    assert_eq!(
        updated.after_change.moderation_permission.as_deref(),
        Some("moderator_list")
    );
    let owner = updated.after_change.owner_id.as_ref().expect("a new owner");
    assert_eq!(owner.user_id.as_deref(), Some("9a7b8c6d"));
    let moderators = updated.moderator_list.expect("moderators");
    assert_eq!(moderators.added_member_list.len(), 1);
    assert!(moderators.removed_member_list.is_empty());

    let disbanded = payload(CHAT_DISBANDED);
    assert_eq!(disbanded.name.as_deref(), Some("测试群"));
}

#[test]
fn directory_changes() {
    let created = payload(USER_CREATED);
    let user = &created.object;
    assert_eq!(user.name.as_deref(), Some("张三"));
    assert_eq!(user.gender, Some(1));
    assert_eq!(user.join_time, Some(2_147_483_647));
    assert_eq!(
        user.status.as_ref().and_then(|s| s.is_activated),
        Some(true)
    );
    assert_eq!(created.old_object, None);
    let updated = payload(USER_UPDATED);
    assert_eq!(updated.object.name.as_deref(), Some("张三丰"));
    assert_eq!(
        updated.old_object.and_then(|old| old.name).as_deref(),
        Some("张三")
    );
    let deleted = payload(USER_DELETED);
    let old = deleted.old_object.expect("the old object");
    assert_eq!(old.department_ids, ["od-4e6ac4d14bcd5071a37a39de902c7141"]);

    let created = payload(DEPARTMENT_CREATED);
    assert_eq!(created.object.name.as_deref(), Some("产品部"));
    assert_eq!(created.object.order.as_deref(), Some("100"));
    assert_eq!(created.object.i18n_name["en_us"], "Product");
    let updated = payload(DEPARTMENT_UPDATED);
    assert_eq!(updated.object.order.as_deref(), Some("200"));
    let deleted = payload(DEPARTMENT_DELETED);
    assert_eq!(deleted.object.status.and_then(|s| s.is_deleted), Some(true));
}

#[test]
fn approvals_in_both_schemas() {
    let instance = payload(APPROVAL_INSTANCE_STATUS_CHANGED);
    assert_eq!(instance.status, ApprovalStatus::Approved);
    assert_eq!(
        instance.instance_code,
        "81D31358-93AF-92D6-7425-01A5D67C4E71"
    );
    let task = payload(APPROVAL_TASK_STATUS_CHANGED);
    assert_eq!(task.status, ApprovalStatus::Other("TRANSFERRED".into()));
    assert_eq!(task.status.as_str(), "TRANSFERRED");
    assert_eq!(task.task_id, "7110153401253494803");

    let instance = payload(APPROVAL_INSTANCE);
    assert_eq!(instance.status, ApprovalStatus::Pending);
    assert_eq!(instance.app_id.as_deref(), Some("cli_9f5343c580712544"));
    assert_eq!(
        instance.instance_operate_time.as_deref(),
        Some("1666079207003")
    );
    // REVERTED sends operate_time as a number: read as the same text.
    let task = payload(APPROVAL_TASK);
    assert_eq!(task.status, ApprovalStatus::Reverted);
    assert_eq!(task.operate_time.as_deref(), Some("1666079207003"));
    assert_eq!(task.open_id.as_deref(), Some("ou_123456"));
}

#[test]
fn every_approval_status() {
    for status in [
        "PENDING",
        "APPROVED",
        "REJECTED",
        "CANCELED",
        "DELETED",
        "REVERTED",
        "OVERTIME_CLOSE",
        "OVERTIME_RECOVER",
    ] {
        let parsed: ApprovalStatus =
            serde_json::from_value(serde_json::json!(status)).expect("a status");
        assert!(!matches!(parsed, ApprovalStatus::Other(_)), "{status}");
        assert_eq!(parsed.as_str(), status);
    }
}

#[test]
fn workflow_changes() {
    let changed = payload(BITABLE_RECORD_CHANGED);
    assert_eq!(changed.file_token, "bascnUkM0Lbc0KUmG7SBKjKxyzb");
    assert_eq!(changed.table_id, "tblr5NYc5rCdyNAb");
    assert_eq!(changed.revision, Some(10));
    let action = &changed.action_list[0];
    assert_eq!(
        (action.record_id.as_str(), action.action.as_str()),
        ("recvNmF0ln", "record_edited")
    );
    assert_eq!(action.after_value[0].field_id, "fldA3Ux0pw");
    assert_eq!(
        action.after_value[0].field_value,
        r#"[{"text":"new","type":"text"}]"#
    );
    let calendar = payload(CALENDAR_EVENT_CHANGED);
    assert_eq!(calendar.user_id_list.len(), 2);
    assert!(calendar.calendar_id.ends_with("@group.calendar.feishu.cn"));
    let task = payload(TASK_UPDATED);
    assert_eq!(task.task_id, "83912691-2e43-47fc-94a4-d512e03984fa");
    assert_eq!(
        task.user_id_list.user_id_list[0].open_id.as_deref(),
        Some(OPEN_ID)
    );
    assert_eq!(task.event_type.as_deref(), Some("update"));
}

#[test]
fn the_app_in_a_tenant() {
    let ticket = payload(APP_TICKET);
    assert_eq!(ticket.app_ticket.expose(), "tk-4a7b2c9d");
    let created = payload(P2P_CHAT_CREATE);
    assert_eq!(created.chat_id, "oc_26b66a5eb603162b849f91bcd8815b20");
    let added = payload(ADD_BOT);
    assert_eq!(added.open_chat_id, "oc_e520983d3e4f5ec7b7b1234567890");
    assert_eq!(added.chat_i18n_names["zh_cn"], "中文标题");
    assert!(!added.owner_is_bot);
    let removed = payload(REMOVE_BOT);
    assert!(removed.owner_is_bot);
    let read = payload(V1_MESSAGE_READ);
    assert_eq!(read.open_message_ids, ["om_1", "om_2"]);
    let opened = payload(APP_OPEN);
    assert_eq!(opened.applicants.len(), 1);
    assert!(opened.installer.is_some());
    let status = payload(APP_STATUS_CHANGE);
    assert_eq!(status.status, "stop_by_tenant");
    let paid = payload(ORDER_PAID);
    assert_eq!(paid.order_id, "6708978506916697671");
    assert_eq!(
        (paid.seats, paid.buy_count, paid.order_pay_price),
        (Some(20), Some(1), Some(10_000))
    );
    assert_eq!(paid.pay_time.as_deref(), Some("1502199209"));
    let uninstalled = payload(APP_UNINSTALLED);
    assert_eq!(uninstalled.tenant_key.as_deref(), Some("736588c9260f175d"));
}

#[test]
fn a_constant_takes_only_its_own_type() {
    let event = received("v2/im.message.recalled_v1");
    let kind = MESSAGE_RECEIVED
        .take(event.kind)
        .expect_err("not a message");
    assert!(matches!(kind, EventKind::MessageRecalled(_)));
    let kind = APP_TICKET.take(kind).expect_err("not a ticket");
    assert!(MESSAGE_RECALLED.take(kind).is_ok());
}
