//! `GET /open-apis/im/v1/files/:file_key`
//!
//! Download a file this app uploaded.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/get>

use crate::download::{self, Download};
use crate::endpoint;

/// `GET /open-apis/im/v1/files/:file_key`: a file this app uploaded.
#[derive(Clone, Debug)]
pub struct DownloadFile {
    file_key: String,
}

impl DownloadFile {
    /// Downloads `file_key`.
    pub fn new(file_key: impl Into<String>) -> Self {
        Self {
            file_key: file_key.into(),
        }
    }
}

endpoint! {
    DownloadFile => Download {
        id: "im.v1.file.get",
        method: GET,
        path: "/open-apis/im/v1/files/:file_key",
        tokens: [Tenant],
        params: [file_key],
        body: none,
        shape: binary(|download: &DownloadFile, response| {
            download::parse(response, &download.file_key)
        }),
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/get",
    }
}
