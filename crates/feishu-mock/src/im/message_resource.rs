//! Message resources: the images and files messages carry.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get>

pub(super) mod get;
