//! Instant messaging (`/open-apis/im/v1`).
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create>

pub mod message;
