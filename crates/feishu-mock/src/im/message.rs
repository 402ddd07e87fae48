//! Messages: send, list history, merge-forward, get, edit, patch a card,
//! recall, reply, forward, follow-ups and read receipts, one file per
//! endpoint, named after its Feishu doc page.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/intro>

pub(super) mod create;
pub(super) mod delete;
pub(super) mod forward;
pub(super) mod get;
pub(super) mod list;
pub(super) mod merge_forward;
pub(super) mod patch;
pub(super) mod push_follow_up;
pub(super) mod read_users;
pub(super) mod reply;
pub(super) mod update;
