//! `GET /open-apis/im/v1/chats/:chat_id/members`
//!
//! Lists the users in a group the bot is in, a page at a time, in the order
//! they joined; bots are not members. Tests add members with
//! [`MockServer::add_chat_member`](crate::MockServer::add_chat_member), and
//! users who post join by themselves. A p2p chat lists no one; a chat the
//! bot is not in gets 230002, the mock's code for that in every IM API.
//! Docs: <https://open.feishu.cn/document/server-docs/group/chat-member/get>

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use crate::ids::{union_id, user_id};
use crate::im::error::ImError;
use crate::im::request;
use crate::pagination::{PageRequest, PageRules};
use crate::query::Query;
use crate::reply::LogId;
use crate::state::Shared;

/// `page_size` is 1 to 100, 20 when absent.
const RULES: PageRules = PageRules {
    default: 20,
    max: 100,
};

pub(crate) async fn chat_members(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    Path(chat_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    request::respond(list(&shared, &headers, &uri, &chat_id), &log_id)
}

fn list(shared: &Shared, headers: &HeaderMap, uri: &Uri, chat_id: &str) -> Result<Value, ImError> {
    let bot = request::bot(shared, headers)?;
    let query = Query::parse(uri.query());
    let member_id_type = match query.get("member_id_type") {
        None | Some("") => "open_id",
        Some(t @ ("open_id" | "union_id" | "user_id")) => t,
        Some(_) => {
            return Err(ImError::invalid(
                "member_id_type",
                "must be open_id, union_id or user_id",
            ));
        }
    };
    let context = ["chat_members", chat_id, member_id_type];
    let page = PageRequest::parse(&query, RULES, &shared.ids, &context)?;
    let messages = shared.messages();
    let chats = messages.chats();
    if !chats.contains(chat_id) {
        return Err(ImError::BotNotInChat);
    }
    let members = chats.group(chat_id).map_or(&[][..], |g| &g.members[..]);
    let total = members.len();
    let page = page.take((0_u64..).zip(members), false).map(|open_id| {
        let id = match member_id_type {
            "union_id" => union_id(open_id),
            "user_id" => user_id(open_id),
            _ => open_id.clone(),
        };
        json!({
            "member_id_type": member_id_type,
            "member_id": id,
            "name": chats.user_name(open_id),
            "tenant_key": bot.tenant_key,
        })
    });
    let mut data = page.to_json(&shared.ids, &context);
    data["member_total"] = json!(total);
    Ok(data)
}
