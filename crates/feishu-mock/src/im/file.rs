//! Files: upload one to send in messages, download one this app uploaded.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/file-overview>

pub(super) mod create;
pub(super) mod get;
