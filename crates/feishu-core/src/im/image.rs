//! `POST /open-apis/im/v1/images` and `GET /open-apis/im/v1/images/:image_key`
//!
//! Upload an image to send in messages, and download an image this app uploaded.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/create>
//! and <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/get>

use std::borrow::Cow;
use std::fmt;

use http::Method;
use serde::Deserialize;

use crate::download::{self, Download};
use crate::im::message::require;
use crate::multipart::Multipart;
use crate::{Body, Endpoint, Error, InvalidRequest, Shape, TokenKind, segment};

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

impl Endpoint for UploadImage {
    type Output = ImageKey;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/open-apis/im/v1/images")
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        if self.image.is_empty() {
            return Err(InvalidRequest::EmptyFile);
        }
        if self.image.len() > MAX_IMAGE_BYTES {
            return Err(InvalidRequest::TooLarge {
                what: "image",
                size: self.image.len(),
                limit: MAX_IMAGE_BYTES,
            });
        }
        let image_type = match self.image_type {
            ImageType::Message => "message",
            ImageType::Avatar => "avatar",
        };
        Ok(Multipart::new()
            .text("image_type", image_type)
            .file("image", &self.filename, &self.image)
            .into_body())
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<ImageKey, Error> {
        Shape::Data.decode(response)
    }
}

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

impl Endpoint for DownloadImage {
    type Output = Download;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Owned(format!(
            "/open-apis/im/v1/images/{}",
            segment(&self.image_key)
        ))
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        require("image_key", &self.image_key)?;
        Ok(Body::Empty)
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Download, Error> {
        download::parse(response, &self.image_key)
    }
}
