//! Files: upload one to send in messages, download one this app uploaded.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/file-overview>

mod create;
mod get;

pub use create::{FileKey, FileType, MAX_FILE_BYTES, UploadFile};
pub use get::DownloadFile;
