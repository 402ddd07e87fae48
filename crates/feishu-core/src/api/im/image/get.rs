//! `GET /open-apis/im/v1/images/:image_key`
//!
//! Download an image this app uploaded.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/get>

use crate::download::{self, Download};
use crate::endpoint;

/// `GET /open-apis/im/v1/images/:image_key`: an image this app uploaded.
#[derive(Clone, Debug)]
pub struct DownloadImage {
    image_key: String,
}

impl DownloadImage {
    /// Downloads `image_key`.
    pub fn new(image_key: impl Into<String>) -> Self {
        Self {
            image_key: image_key.into(),
        }
    }
}

endpoint! {
    DownloadImage => Download {
        id: "im.v1.image.get",
        method: GET,
        path: "/open-apis/im/v1/images/:image_key",
        tokens: [Tenant],
        params: [image_key],
        body: none,
        shape: binary(|download: &DownloadImage, response| {
            download::parse(response, &download.image_key)
        }),
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/get",
    }
}
