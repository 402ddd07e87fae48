//! `GET /open-apis/im/v1/messages`
//!
//! Lists the history of a chat or a thread, a page at a time.
//! Docs: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/list>

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::Value;

use crate::im::error::ImError;
use crate::im::request;
use crate::messages::{Container, HistoryQuery, Message};
use crate::pagination::{PageRequest, PageRules};
use crate::query::Query;
use crate::reply::LogId;
use crate::state::Shared;

/// `page_size` is 1 to 50, 20 when absent.
const RULES: PageRules = PageRules {
    default: 20,
    max: 50,
};

pub(crate) async fn list_messages(
    State(shared): State<Arc<Shared>>,
    Extension(log_id): Extension<LogId>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    request::respond(list(&shared, &headers, &uri), &log_id)
}

fn list(shared: &Shared, headers: &HeaderMap, uri: &Uri) -> Result<Value, ImError> {
    request::bot(shared, headers)?;
    let query = Query::parse(uri.query());
    let history = history_query(&query)?;
    // A token is good only for the parameters it was issued with (clients keep
    // them the same on every page); page_size may change.
    let context = [
        "messages",
        query.get("container_id_type").unwrap_or(""),
        query.get("container_id").unwrap_or(""),
        query.get("sort_type").unwrap_or(""),
        query.get("start_time").unwrap_or(""),
        query.get("end_time").unwrap_or(""),
    ];
    let page = PageRequest::parse(&query, RULES, &shared.ids, &context)?;
    let messages = shared.messages();
    let items = messages.history(&history)?;
    let page = page.take(items, history.descending).map(Message::to_json);
    Ok(page.to_json(&shared.ids, &context))
}

/// The container, time window and order of a list request.
fn history_query(query: &Query) -> Result<HistoryQuery, ImError> {
    let container_id = query
        .get("container_id")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| ImError::invalid("container_id", "required"))?
        .to_owned();
    let container = match query.get("container_id_type") {
        Some("chat") => Container::Chat(container_id),
        Some("thread") => Container::Thread(container_id),
        _ => {
            return Err(ImError::invalid(
                "container_id_type",
                "must be chat or thread",
            ));
        }
    };
    let descending = match query.get("sort_type") {
        None | Some("" | "ByCreateTimeAsc") => false,
        Some("ByCreateTimeDesc") => true,
        Some(_) => {
            return Err(ImError::invalid(
                "sort_type",
                "must be ByCreateTimeAsc or ByCreateTimeDesc",
            ));
        }
    };
    // Feishu does not filter threads by time; the bounds are ignored there.
    let start_ms = seconds(query, "start_time")?.map(|s| s.saturating_mul(1000));
    let end_ms = seconds(query, "end_time")?.map(|s| s.saturating_mul(1000).saturating_add(999));
    Ok(HistoryQuery {
        container,
        start_ms,
        end_ms,
        descending,
    })
}

/// A Unix time in seconds, as a string of digits.
fn seconds(query: &Query, name: &'static str) -> Result<Option<u64>, ImError> {
    match query.get(name) {
        None | Some("") => Ok(None),
        Some(raw) => raw
            .parse()
            .map(Some)
            .map_err(|_| ImError::invalid(name, "must be a Unix time in seconds")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<HistoryQuery, ImError> {
        history_query(&Query::parse(Some(query)))
    }

    #[test]
    fn reads_the_container_order_and_window() {
        let query = parse("container_id_type=chat&container_id=oc_a&sort_type=ByCreateTimeDesc&start_time=10&end_time=20")
            .expect("valid");
        assert_eq!(query.container, Container::Chat("oc_a".to_owned()));
        assert!(query.descending);
        assert_eq!((query.start_ms, query.end_ms), (Some(10_000), Some(20_999)));
        let thread = parse("container_id_type=thread&container_id=omt_1").expect("valid");
        assert_eq!(thread.container, Container::Thread("omt_1".to_owned()));
        assert!(!thread.descending);
    }

    #[test]
    fn names_bad_parameters() {
        let field = |query: &str| match parse(query) {
            Err(ImError::InvalidParam { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field("container_id_type=chat"), "container_id");
        assert_eq!(
            field("container_id_type=group&container_id=x"),
            "container_id_type"
        );
        assert_eq!(
            field("container_id_type=chat&container_id=x&sort_type=asc"),
            "sort_type"
        );
        assert_eq!(
            field("container_id_type=chat&container_id=x&start_time=1.5"),
            "start_time"
        );
        assert_eq!(
            field("container_id_type=chat&container_id=x&end_time=-1"),
            "end_time"
        );
    }
}
