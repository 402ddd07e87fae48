//! `GET /open-apis/im/v1/messages/:message_id/resources/:file_key`
//!
//! Download an image, file, audio or video of a message.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get>

use crate::download::{self, Download};
use crate::{Query, endpoint};

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

endpoint! {
    MessageResource => Download {
        id: "im.v1.message_resource.get",
        method: GET,
        path: "/open-apis/im/v1/messages/:message_id/resources/:file_key",
        tokens: [Tenant, User],
        params: [message_id, file_key],
        query: |resource: &MessageResource, query: &mut Query<'_>| {
            let kind = match resource.kind {
                ResourceType::Image => "image",
                ResourceType::File => "file",
            };
            query.push("type", kind);
        },
        body: none,
        shape: binary(|resource: &MessageResource, response| {
            download::parse(response, &resource.file_key)
        }),
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get",
    }
}
