//! Which IM calls are safe to send twice (only with a stable `uuid`: a fresh
//! one per attempt defeats Feishu's dedup), and the
//! `uuid` a `Call` may add to the four that take one.

use std::time::Duration;

use feishu_core::im::content::{Card, MessageContent};
use feishu_core::im::file::{DownloadFile, FileType, UploadFile};
use feishu_core::im::image::{DownloadImage, UploadImage};
use feishu_core::im::message::{
    FollowUp, ForwardMessage, GetMessage, ListMessages, MergeForward, MessageResource,
    PatchMessage, PushFollowUp, ReadUsers, RecallMessage, ReplyMessage, ResourceType, SendMessage,
    UpdateMessage,
};
use feishu_core::{Config, Endpoint, Secret};
use serde_json::json;

use crate::{CHAT_ID, UUID, build, json_body};

fn send() -> SendMessage {
    SendMessage::new(CHAT_ID, MessageContent::text("hi"))
}

fn reply() -> ReplyMessage {
    ReplyMessage::new("om_1", MessageContent::text("hi"))
}

fn forward() -> ForwardMessage {
    ForwardMessage::new("om_1", CHAT_ID)
}

fn merge() -> MergeForward {
    MergeForward::new(CHAT_ID, vec!["om_1".into(), "om_2".into()])
}

#[test]
fn posts_are_idempotent_only_with_a_uuid() {
    assert!(!send().idempotent());
    assert!(!reply().idempotent());
    assert!(!forward().idempotent());
    assert!(!merge().idempotent());
    assert!(send().uuid(UUID).idempotent());
    assert!(reply().uuid(UUID).idempotent());
    assert!(forward().uuid(UUID).idempotent());
    assert!(merge().uuid(UUID).idempotent());
}

#[test]
fn reads_edits_and_recalls_are_idempotent() {
    let card = Card::raw(json!({"config": {"update_multi": true}}));
    assert!(GetMessage::new("om_1").idempotent());
    assert!(ListMessages::chat(CHAT_ID).idempotent());
    assert!(ReadUsers::new("om_1").idempotent());
    assert!(RecallMessage::new("om_1").idempotent());
    assert!(UpdateMessage::new("om_1", MessageContent::text("x")).idempotent());
    assert!(PatchMessage::new("om_1", card).idempotent());
    assert!(MessageResource::new("om_1", "file_v2_1", ResourceType::File).idempotent());
    assert!(DownloadImage::new("img_1").idempotent());
    assert!(DownloadFile::new("file_v2_1").idempotent());
}

#[test]
fn uploads_and_follow_ups_are_not_idempotent() {
    assert!(!UploadImage::new("a.png", vec![1]).idempotent());
    assert!(!UploadFile::new(FileType::Pdf, "a.pdf", vec![1]).idempotent());
    assert!(!PushFollowUp::new("om_1", vec![FollowUp::new("ok")]).idempotent());
}

#[test]
fn with_uuid_sets_one_where_none_was_set() {
    let send = send().with_uuid(UUID).expect("send takes a uuid");
    assert!(send.idempotent());
    assert_eq!(json_body(&build(&send))["uuid"], UUID);

    let reply = reply().with_uuid(UUID).expect("reply takes a uuid");
    assert!(reply.idempotent());
    assert_eq!(json_body(&build(&reply))["uuid"], UUID);

    let forward = forward().with_uuid(UUID).expect("forward takes a uuid");
    assert!(forward.idempotent());
    let query = format!("receive_id_type=chat_id&uuid={UUID}");
    assert_eq!(build(&forward).uri().query(), Some(query.as_str()));

    let merge = merge().with_uuid(UUID).expect("merge forward takes a uuid");
    assert!(merge.idempotent());
    assert_eq!(build(&merge).uri().query(), Some(query.as_str()));
}

#[test]
fn with_uuid_keeps_the_callers_uuid() {
    assert!(send().uuid("mine").with_uuid(UUID).is_none());
    assert!(reply().uuid("mine").with_uuid(UUID).is_none());
    assert!(forward().uuid("mine").with_uuid(UUID).is_none());
    assert!(merge().uuid("mine").with_uuid(UUID).is_none());
}

#[test]
fn with_uuid_is_none_for_endpoints_without_one() {
    let card = Card::raw(json!({}));
    assert!(GetMessage::new("om_1").with_uuid(UUID).is_none());
    assert!(ListMessages::chat(CHAT_ID).with_uuid(UUID).is_none());
    assert!(ReadUsers::new("om_1").with_uuid(UUID).is_none());
    assert!(RecallMessage::new("om_1").with_uuid(UUID).is_none());
    assert!(
        UpdateMessage::new("om_1", MessageContent::text("x"))
            .with_uuid(UUID)
            .is_none()
    );
    assert!(PatchMessage::new("om_1", card).with_uuid(UUID).is_none());
    assert!(
        PushFollowUp::new("om_1", vec![FollowUp::new("ok")])
            .with_uuid(UUID)
            .is_none()
    );
    assert!(UploadImage::new("a.png", vec![1]).with_uuid(UUID).is_none());
    assert!(
        UploadFile::new(FileType::Pdf, "a.pdf", vec![1])
            .with_uuid(UUID)
            .is_none()
    );
    assert!(
        MessageResource::new("om_1", "k", ResourceType::Image)
            .with_uuid(UUID)
            .is_none()
    );
    assert!(DownloadImage::new("img_1").with_uuid(UUID).is_none());
    assert!(DownloadFile::new("file_v2_1").with_uuid(UUID).is_none());
}

#[test]
fn a_timeout_keeps_idempotence_and_the_uuid() {
    let timed = send().with_timeout(Duration::from_secs(5));
    assert!(!timed.idempotent());
    let timed = timed
        .with_uuid(UUID)
        .expect("the wrapped send takes a uuid");
    assert!(timed.idempotent());
    assert_eq!(json_body(&build(&timed))["uuid"], UUID);
    assert!(timed.with_uuid("other").is_none());
}

#[test]
fn an_empty_uuid_is_refused_or_treated_as_none() {
    for (idempotent, with_uuid, built) in [
        (
            send().uuid("").idempotent(),
            send().uuid("").with_uuid(UUID).is_some(),
            feishu_core::build(
                &Config::feishu(),
                &send().uuid(""),
                Some(&Secret::new("t-x")),
            ),
        ),
        (
            forward().uuid("").idempotent(),
            forward().uuid("").with_uuid(UUID).is_some(),
            feishu_core::build(
                &Config::feishu(),
                &forward().uuid(""),
                Some(&Secret::new("t-x")),
            ),
        ),
    ] {
        let refused = built.is_err();
        let treated_as_none = !idempotent && with_uuid;
        assert!(
            refused || treated_as_none,
            "idempotent {idempotent}, with_uuid {with_uuid}"
        );
    }
}
