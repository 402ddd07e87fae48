//! A server that pages forever: the walk ends on the pager's bounds, with a
//! typed error after the last page, and never more requests than the bound.

use feishu_core::im::message::ListMessages;
use feishu_core::{App, Config, Error, Pager, PaginationError};
use feishu_mock::{Fault, MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use serde_json::{Value, json};

use crate::Adapter;

const MESSAGES: &str = "/open-apis/im/v1/messages";

fn setup<A: Adapter>() -> (MockServer, A) {
    let mock = MockServer::start();
    let config = Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    (mock, A::new(config))
}

/// Queues `pages` answers that each say more follow, with a fresh token and
/// these items.
fn endless(mock: &MockServer, pages: usize, items: impl Fn(usize) -> Vec<Value>) {
    for n in 0..pages {
        let data = json!({"has_more": true, "page_token": format!("token-{n}"), "items": items(n)});
        mock.inject(
            MESSAGES,
            Fault::json(200, json!({"code": 0, "msg": "success", "data": data})),
        );
    }
}

fn pagination_error<T: std::fmt::Debug>(result: &Result<T, Error>) -> PaginationError {
    match result {
        Err(Error::BrokenPagination(why)) => *why,
        other => panic!("expected a pagination error, got {other:?}"),
    }
}

pub fn endless_empty_pages_end_with_an_error<A: Adapter>() {
    let (mock, client) = setup::<A>();
    endless(&mock, 100, |_| Vec::new());
    let items = client.items(Pager::new(ListMessages::chat("oc_mock_general")));
    let limit = Pager::<ListMessages>::DEFAULT_MAX_EMPTY_PAGES;
    assert_eq!(items.len(), 1, "one error, no item: {items:?}");
    assert_eq!(
        pagination_error(&items[0]),
        PaginationError::TooManyEmptyPages { limit }
    );
    assert_eq!(mock.hits(MESSAGES), limit, "no request past the bound");
}

pub fn the_page_limit_keeps_every_item_then_says_why<A: Adapter>() {
    let (mock, client) = setup::<A>();
    endless(&mock, 10, |n| {
        vec![json!({"message_id": format!("om_{n}"), "msg_type": "text",
            "body": {"content": "{\"text\":\"hi\"}"}})]
    });
    let pager = Pager::new(ListMessages::chat("oc_mock_general")).max_pages(5);
    let items = client.items(pager);
    assert_eq!(items.len(), 6, "five items and the error: {items:?}");
    for (n, item) in items[..5].iter().enumerate() {
        let message = item.as_ref().expect("an item");
        assert_eq!(message.message_id, format!("om_{n}"));
    }
    assert_eq!(
        pagination_error(&items[5]),
        PaginationError::TooManyPages { limit: 5 }
    );
    assert_eq!(mock.hits(MESSAGES), 5);
}
