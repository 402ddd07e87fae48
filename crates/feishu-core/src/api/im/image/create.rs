//! `POST /open-apis/im/v1/images`
//!
//! Upload an image to send in messages.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/create>

use std::fmt;

use serde::Deserialize;

use crate::wire::multipart::Multipart;
use crate::{InvalidRequest, endpoint};

/// The largest image Feishu takes: 10 MB.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// What an image is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageType {
    /// To send in messages.
    #[default]
    Message,
    /// As an avatar (at most 4096×4096).
    Avatar,
}

/// `POST /open-apis/im/v1/images`: uploads an image (JPG, PNG, WEBP, GIF,
/// BMP, ICO, TIFF or HEIC; at most 10 MB, not empty) as `multipart/form-data`.
#[derive(Clone)]
pub struct UploadImage {
    image_type: ImageType,
    filename: String,
    image: Vec<u8>,
}

impl UploadImage {
    /// An image to send in messages; `filename` is kept (made safe) in the upload.
    pub fn new(filename: impl Into<String>, image: Vec<u8>) -> Self {
        Self {
            image_type: ImageType::Message,
            filename: filename.into(),
            image,
        }
    }

    /// Sets what the image is for.
    pub fn image_type(mut self, image_type: ImageType) -> Self {
        self.image_type = image_type;
        self
    }
}

impl fmt::Debug for UploadImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadImage")
            .field("image_type", &self.image_type)
            .field("filename", &self.filename)
            .field("bytes", &self.image.len())
            .finish()
    }
}

/// An uploaded image's key.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImageKey {
    /// The key, `img_…`, to put in image content.
    pub image_key: String,
}

endpoint! {
    UploadImage => ImageKey {
        id: "im.v1.image.create",
        method: POST,
        path: "/open-apis/im/v1/images",
        tokens: [Tenant, User],
        body: multipart(|upload: &UploadImage| {
            if upload.image.is_empty() {
                return Err(InvalidRequest::empty("image"));
            }
            if upload.image.len() > MAX_IMAGE_BYTES {
                return Err(InvalidRequest::TooLarge {
                    what: "image",
                    size: upload.image.len(),
                    limit: MAX_IMAGE_BYTES,
                });
            }
            let image_type = match upload.image_type {
                ImageType::Message => "message",
                ImageType::Avatar => "avatar",
            };
            Ok(Multipart::new()
                .text("image_type", image_type)
                .file("image", &upload.filename, &upload.image)
                .into_body())
        }),
        shape: data,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/create",
    }
}
