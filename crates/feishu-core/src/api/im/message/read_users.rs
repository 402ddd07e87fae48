//! `GET /open-apis/im/v1/messages/:message_id/read_users`
//!
//! Who has read a message the bot sent (within 7 days).
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/read_users>

use serde::Deserialize;

use crate::{Page, Query, endpoint};

/// `GET /open-apis/im/v1/messages/:message_id/read_users`: one page of the
/// users who read a message; walk them all with a [`Pager`](crate::Pager).
#[derive(Clone, Debug)]
pub struct ReadUsers {
    message_id: String,
    user_id_type: &'static str,
    page_size: Option<u32>,
    page_token: Option<String>,
}

impl ReadUsers {
    /// Readers of `message_id`, named by open_id.
    pub fn new(message_id: impl Into<String>) -> Self {
        Self {
            message_id: message_id.into(),
            user_id_type: "open_id",
            page_size: None,
            page_token: None,
        }
    }

    /// Items per page.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }
}

/// One reader of a message.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct ReadUser {
    /// The id's type, e.g. `open_id`.
    #[serde(default)]
    pub user_id_type: String,
    /// The reader.
    pub user_id: String,
    /// When they read it: milliseconds, as a string.
    #[serde(default)]
    pub timestamp: String,
    /// Their tenant.
    pub tenant_key: Option<String>,
}

endpoint! {
    ReadUsers => Page<ReadUser> {
        id: "im.v1.message.read_users",
        method: GET,
        path: "/open-apis/im/v1/messages/:message_id/read_users",
        tokens: [Tenant, User],
        params: [message_id],
        query: |list: &ReadUsers, query: &mut Query<'_>| {
            query.push("user_id_type", list.user_id_type);
            if let Some(page_size) = list.page_size {
                query.push("page_size", page_size);
            }
            if let Some(page_token) = &list.page_token {
                query.push("page_token", page_token);
            }
        },
        body: none,
        shape: data,
        pages: page_token => ReadUser,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/read_users",
    }
}
