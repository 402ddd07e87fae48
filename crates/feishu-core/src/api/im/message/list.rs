//! `GET /open-apis/im/v1/messages`
//!
//! List the history of a chat or a thread, page by page.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/list>

use super::Message;
use crate::{InvalidRequest, Page, Query, endpoint};

/// What a history lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContainerIdType {
    /// A chat, `oc_…`.
    Chat,
    /// A thread, `omt_…` (no time bounds).
    Thread,
}

/// The order of a history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SortType {
    /// Oldest first (Feishu's default).
    #[default]
    ByCreateTimeAsc,
    /// Newest first.
    ByCreateTimeDesc,
}

/// `GET /open-apis/im/v1/messages`: one page of a chat's or thread's
/// history. Walk every page with a [`Pager`](crate::Pager); the sort, time
/// bounds and page size stay the same on every page.
#[derive(Clone, Debug)]
pub struct ListMessages {
    container_id_type: ContainerIdType,
    container_id: String,
    start_time: Option<i64>,
    end_time: Option<i64>,
    sort_type: SortType,
    page_size: Option<u32>,
    page_token: Option<String>,
}

impl ListMessages {
    /// A chat's history.
    pub fn chat(chat_id: impl Into<String>) -> Self {
        Self::new(ContainerIdType::Chat, chat_id.into())
    }

    /// A thread's history.
    pub fn thread(thread_id: impl Into<String>) -> Self {
        Self::new(ContainerIdType::Thread, thread_id.into())
    }

    fn new(container_id_type: ContainerIdType, container_id: String) -> Self {
        Self {
            container_id_type,
            container_id,
            start_time: None,
            end_time: None,
            sort_type: SortType::default(),
            page_size: None,
            page_token: None,
        }
    }

    /// Only messages created at or after this Unix time, in seconds (chats only).
    pub fn start_time(mut self, unix_seconds: i64) -> Self {
        self.start_time = Some(unix_seconds);
        self
    }

    /// Only messages created at or before this Unix time, in seconds (chats only).
    pub fn end_time(mut self, unix_seconds: i64) -> Self {
        self.end_time = Some(unix_seconds);
        self
    }

    /// The order.
    pub fn sort(mut self, sort_type: SortType) -> Self {
        self.sort_type = sort_type;
        self
    }

    /// Items per page, 1–50 (Feishu's default 20).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }
}

endpoint! {
    ListMessages => Page<Message> {
        id: "im.v1.message.list",
        method: GET,
        path: "/open-apis/im/v1/messages",
        tokens: [Tenant, User],
        query: |list: &ListMessages, query: &mut Query<'_>| {
            let container_id_type = match list.container_id_type {
                ContainerIdType::Chat => "chat",
                ContainerIdType::Thread => "thread",
            };
            query
                .push("container_id_type", container_id_type)
                .push("container_id", &list.container_id);
            if let Some(start) = list.start_time {
                query.push("start_time", start);
            }
            if let Some(end) = list.end_time {
                query.push("end_time", end);
            }
            let sort_type = match list.sort_type {
                SortType::ByCreateTimeAsc => "ByCreateTimeAsc",
                SortType::ByCreateTimeDesc => "ByCreateTimeDesc",
            };
            query.push("sort_type", sort_type);
            if let Some(page_size) = list.page_size {
                query.push("page_size", page_size);
            }
            if let Some(page_token) = &list.page_token {
                query.push("page_token", page_token);
            }
        },
        body: none(|list: &ListMessages| {
            if list.container_id.is_empty() {
                return Err(InvalidRequest::empty("container_id"));
            }
            Ok(())
        }),
        shape: data,
        pages: page_token => Message,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/list",
    }
}
