//! Images: upload one to send in messages, download one this app uploaded.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/image-overview>

mod create;
mod get;

pub use create::{ImageKey, ImageType, MAX_IMAGE_BYTES, UploadImage};
pub use get::DownloadImage;
