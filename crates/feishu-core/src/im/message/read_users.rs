//! `GET /open-apis/im/v1/messages/:message_id/read_users`
//!
//! Who has read a message the bot sent (within 7 days).
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/read_users>

use std::borrow::Cow;

use http::Method;
use serde::Deserialize;

use super::{message_path, require};
use crate::{Body, Endpoint, Error, InvalidRequest, Page, Paginated, Query, Shape, TokenKind};

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

impl Endpoint for ReadUsers {
    type Output = Page<ReadUser>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Cow<'_, str> {
        Cow::Owned(message_path(&self.message_id, "/read_users"))
    }

    fn query(&self, query: &mut Query<'_>) {
        query.push("user_id_type", self.user_id_type);
        if let Some(page_size) = self.page_size {
            query.push("page_size", page_size);
        }
        if let Some(page_token) = &self.page_token {
            query.push("page_token", page_token);
        }
    }

    fn body(&self) -> Result<Body, InvalidRequest> {
        require("message_id", &self.message_id)?;
        Ok(Body::Empty)
    }

    fn token_kind(&self) -> TokenKind {
        TokenKind::Tenant
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Page<ReadUser>, Error> {
        Shape::Data.decode(response)
    }
}

impl Paginated for ReadUsers {
    type Item = ReadUser;

    fn with_page_token(&self, page_token: &str) -> Self {
        Self {
            page_token: Some(page_token.to_owned()),
            ..self.clone()
        }
    }
}
