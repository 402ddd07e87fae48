//! `GET /open-apis/im/v1/messages/:message_id/resources/:file_key`
//!
//! Download an image, file, audio or video of a message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get>

use std::borrow::Cow;

use http::Method;

use super::{message_path, require};
use crate::download::{self, Download};
use crate::{Body, Endpoint, Error, InvalidRequest, Query, TokenKind, segment};

/// Which kind of resource to fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResourceType {
    /// Images of image and post messages.
    Image,
    /// Files, audio and video.
    File,
}

/// `GET /open-apis/im/v1/messages/:message_id/resources/:file_key`: a
/// message's resource, as bytes (at most 100 MB). The key must belong to
/// that message; stickers and merge-forward sub-messages are not supported.
#[derive(Clone, Debug)]
pub struct MessageResource {
    message_id: String,
    file_key: String,
    kind: ResourceType,
}

impl MessageResource {
    /// The resource `file_key` (or `image_key`) of `message_id`.
    pub fn new(
        message_id: impl Into<String>,
        file_key: impl Into<String>,
        kind: ResourceType,
    ) -> Self {
        Self {
            message_id: message_id.into(),
            file_key: file_key.into(),
            kind,
        }
    }
}

impl Endpoint for MessageResource {
    type Output = Download;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Cow<'_, str> {
        let rest = format!("/resources/{}", segment(&self.file_key));
        Cow::Owned(message_path(&self.message_id, &rest))
    }

    fn query(&self, query: &mut Query<'_>) {
        query.push(
            "type",
            match self.kind {
                ResourceType::Image => "image",
                ResourceType::File => "file",
            },
        );
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        require("message_id", &self.message_id)?;
        require("file_key", &self.file_key)?;
        Ok(Body::Empty)
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Download, Error> {
        download::parse(response, &self.file_key)
    }
}
