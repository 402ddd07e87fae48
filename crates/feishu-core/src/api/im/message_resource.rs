//! Message resources: the images, files, audio and video messages carry.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get>

mod get;

pub use get::{MessageResource, ResourceType};
