//! Instant messaging (`/open-apis/im/v1`): messages, their content, images
//! and files.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/intro>

pub mod content;
pub mod file;
pub mod image;
pub mod message;
pub mod message_resource;
