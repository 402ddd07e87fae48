//! Walking IM lists with a `Pager`: pages chain by token, the walk
//! stops on `has_more: false` only, broken chains are errors, and `max_items`
//! and `stop()` end it early.

use feishu_core::im::message::{ListMessages, Message, ReadUser, ReadUsers, SortType};
use feishu_core::{Endpoint, Error, Page, Pager, PaginationError};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::{CHAT_ID, build};

fn page<T: DeserializeOwned>(data: Value) -> Page<T> {
    serde_json::from_value(data).expect("a page")
}

/// A read-receipt page of `n` readers named from `first`.
fn readers(first: usize, n: usize, has_more: bool, token: Option<&str>) -> Page<ReadUser> {
    let items: Vec<Value> = (first..first + n)
        .map(|i| json!({"user_id_type": "open_id", "user_id": format!("ou_{i}"), "timestamp": "1609484183000"}))
        .collect();
    let mut data = json!({"items": items, "has_more": has_more});
    if let Some(token) = token {
        data["page_token"] = json!(token);
    }
    page(data)
}

fn ids(page: &Page<ReadUser>) -> Vec<&str> {
    page.items.iter().map(|r| r.user_id.as_str()).collect()
}

/// The query of the pager's next request.
fn next_query<E: Endpoint + feishu_core::Paginated>(pager: &Pager<E>) -> String {
    let request = pager.next_request().expect("a next request");
    build(request).uri().query().unwrap_or_default().to_owned()
}

fn broken<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::BrokenPagination(why)) => why.to_string(),
        other => panic!("expected Error::BrokenPagination, got {other:?}"),
    }
}

#[test]
fn pages_chain_by_token_until_has_more_is_false() {
    let mut pager = Pager::new(ReadUsers::new("om_1").page_size(2));
    assert_eq!(next_query(&pager), "user_id_type=open_id&page_size=2");

    let first = pager
        .on_page(readers(0, 2, true, Some("t/1=")))
        .expect("a page");
    assert_eq!(ids(&first), ["ou_0", "ou_1"]);
    assert_eq!(
        next_query(&pager),
        "user_id_type=open_id&page_size=2&page_token=t%2F1%3D"
    );

    pager
        .on_page(readers(2, 2, true, Some("t2")))
        .expect("a page");
    assert_eq!(
        next_query(&pager),
        "user_id_type=open_id&page_size=2&page_token=t2"
    );

    let last = pager
        .on_page(readers(4, 1, false, None))
        .expect("the last page");
    assert_eq!(ids(&last), ["ou_4"]);
    assert!(pager.next_request().is_none());
    assert_eq!(pager.items_seen(), 5);
}

#[test]
fn has_more_false_ends_the_walk_even_with_a_token() {
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    let page = pager
        .on_page(readers(
            0,
            1,
            false,
            Some("GxmvlNRvP0NdQZpa7yIqf_Lv_QuBwTQ8tXkX7w"),
        ))
        .expect("the last page");
    assert!(!page.has_more);
    assert!(
        pager.next_request().is_none(),
        "the stale token is not followed"
    );
}

#[test]
fn has_more_without_a_token_is_broken() {
    for token in [None, Some("")] {
        let mut pager = Pager::new(ReadUsers::new("om_1"));
        let why = broken(pager.on_page(readers(0, 1, true, token)));
        assert_eq!(why, "has_more without a page_token");
        assert!(pager.next_request().is_none(), "the walk ends on the error");
    }
}

#[test]
fn a_broken_page_counts_no_items_it_did_not_hand_out() {
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    pager
        .on_page(readers(0, 2, true, Some("t1")))
        .expect("a page");
    broken(pager.on_page(readers(2, 3, true, None)));
    assert_eq!(
        pager.items_seen(),
        2,
        "only the first page's items were handed out"
    );
}

#[test]
fn a_token_seen_before_is_broken() {
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    pager
        .on_page(readers(0, 1, true, Some("a")))
        .expect("a page");
    pager
        .on_page(readers(1, 1, true, Some("b")))
        .expect("a page");
    let why = broken(pager.on_page(readers(2, 1, true, Some("a"))));
    assert_eq!(why, "a page_token came back twice");
    assert!(pager.next_request().is_none());
}

#[test]
fn an_unchanged_token_is_broken() {
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    pager
        .on_page(readers(0, 1, true, Some("same")))
        .expect("a page");
    broken(pager.on_page(readers(1, 1, true, Some("same"))));
}

#[test]
fn empty_pages_with_has_more_continue() {
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    for token in ["e1", "e2", "e3"] {
        let empty = pager
            .on_page(readers(0, 0, true, Some(token)))
            .expect("an empty page");
        assert!(empty.items.is_empty());
        assert!(next_query(&pager).ends_with(&format!("page_token={token}")));
    }
    pager
        .on_page(readers(0, 2, false, None))
        .expect("the last page");
    assert!(pager.next_request().is_none());
    assert_eq!(pager.items_seen(), 2);
}

#[test]
fn max_items_cuts_the_last_page_and_ends_the_walk() {
    let mut pager = Pager::new(ReadUsers::new("om_1")).max_items(3);
    let first = pager
        .on_page(readers(0, 2, true, Some("t1")))
        .expect("a page");
    assert_eq!(ids(&first), ["ou_0", "ou_1"]);
    let second = pager
        .on_page(readers(2, 2, true, Some("t2")))
        .expect("a page");
    assert_eq!(ids(&second), ["ou_2"], "cut to the cap");
    assert!(pager.next_request().is_none(), "no request past the cap");
    assert_eq!(pager.items_seen(), 3);
}

#[test]
fn max_items_reached_exactly_asks_no_more() {
    let mut pager = Pager::new(ReadUsers::new("om_1")).max_items(2);
    let page = pager
        .on_page(readers(0, 2, true, Some("t1")))
        .expect("a page");
    assert_eq!(ids(&page), ["ou_0", "ou_1"]);
    assert!(pager.next_request().is_none());
}

#[test]
fn max_items_zero_asks_nothing() {
    let mut pager = Pager::new(ReadUsers::new("om_1")).max_items(0);
    assert!(pager.next_request().is_none());
    broken(pager.on_page(readers(0, 1, false, None)));
    assert_eq!(pager.items_seen(), 0);
}

#[test]
fn stop_ends_the_walk() {
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    pager
        .on_page(readers(0, 1, true, Some("t1")))
        .expect("a page");
    assert!(pager.next_request().is_some());
    pager.stop();
    assert!(pager.next_request().is_none());
    broken(pager.on_page(readers(1, 1, true, Some("t2"))));
}

#[test]
fn next_page_token_is_accepted_as_the_token() {
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    let data = json!({"items": [], "has_more": true, "next_page_token": "n1"});
    pager.on_page(page(data)).expect("a page");
    assert!(next_query(&pager).ends_with("page_token=n1"));
}

#[test]
fn the_next_request_keeps_sort_size_and_bounds() {
    let list = ListMessages::chat(CHAT_ID)
        .start_time(1_608_594_809)
        .end_time(1_609_296_809)
        .sort(SortType::ByCreateTimeDesc)
        .page_size(50);
    let first = build(&list).uri().query().expect("a query").to_owned();
    let mut pager = Pager::new(list);
    assert_eq!(next_query(&pager), first);

    let token = "GxmvlNRvP0Nd+QZpa7yIqf/Lv==";
    let data = json!({"has_more": true, "page_token": token, "items": [
        {"message_id": "om_1", "msg_type": "text", "body": {"content": "{\"text\":\"hi\"}"}}
    ]});
    let second: Page<Message> = pager.on_page(page(data)).expect("a page");
    assert_eq!(second.items[0].message_id, "om_1");
    assert_eq!(
        next_query(&pager),
        format!("{first}&page_token=GxmvlNRvP0Nd%2BQZpa7yIqf%2FLv%3D%3D")
    );

    // The third request replaces the token rather than adding one.
    pager
        .on_page(page(
            json!({"has_more": true, "page_token": "t3", "items": []}),
        ))
        .expect("a page");
    assert_eq!(next_query(&pager), format!("{first}&page_token=t3"));
}

#[test]
fn a_page_after_the_end_is_an_error_not_a_panic() {
    let mut pager = Pager::new(ListMessages::thread("omt_1"));
    pager
        .on_page(page(json!({"has_more": false, "items": []})))
        .expect("the only page");
    for _ in 0..3 {
        let why = broken(pager.on_page(page(json!({"has_more": true, "page_token": "x"}))));
        assert_eq!(why, "a page arrived after the last one");
        assert!(pager.next_request().is_none());
    }
}

#[test]
fn a_pager_walks_the_list_fixture_to_its_end() {
    let list = ListMessages::chat(CHAT_ID);
    let mut pager = Pager::from(list.clone());
    let request = pager.next_request().expect("a first request").clone();
    let page = request
        .parse(crate::fixture::fixture("im/list_page"))
        .map_err(feishu_core::Error::from)
        .expect("the list sample");
    let page = pager.on_page(page).expect("a page");
    assert_eq!(page.items.len(), 1);
    assert!(
        pager.next_request().is_none(),
        "has_more false with a token ends the walk"
    );
}

/// A page of nothing that says more follow, with a fresh token.
fn empty(token: &str) -> Page<ReadUser> {
    readers(0, 0, true, Some(token))
}

#[test]
fn a_server_of_endless_empty_pages_is_cut_off() {
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    let mut pages = 0;
    while pager.next_request().is_some() {
        pages += 1;
        assert!(pages <= 1_000, "the walk must end");
        pager
            .on_page(empty(&format!("t{pages}")))
            .expect("empty pages are handed out");
    }
    assert_eq!(pages, Pager::<ReadUsers>::DEFAULT_MAX_EMPTY_PAGES);
    assert_eq!(
        pager.take_error(),
        Some(PaginationError::TooManyEmptyPages {
            limit: Pager::<ReadUsers>::DEFAULT_MAX_EMPTY_PAGES
        })
    );
    assert_eq!(pager.take_error(), None, "the reason is taken once");
}

#[test]
fn a_page_with_items_resets_the_empty_run() {
    let mut pager = Pager::new(ReadUsers::new("om_1")).max_empty_pages(2);
    pager.on_page(empty("e1")).expect("a page");
    pager
        .on_page(readers(0, 1, true, Some("full")))
        .expect("a page");
    pager.on_page(empty("e2")).expect("a page");
    assert!(pager.next_request().is_some(), "one empty page in a row");
    pager.on_page(empty("e3")).expect("a page");
    assert!(pager.next_request().is_none());
    assert_eq!(
        pager.take_error(),
        Some(PaginationError::TooManyEmptyPages { limit: 2 })
    );
}

#[test]
fn the_page_limit_hands_out_the_last_page_then_says_why() {
    let mut pager = Pager::new(ReadUsers::new("om_1")).max_pages(3);
    for i in 0..3 {
        let page = pager
            .on_page(readers(i, 1, true, Some(&format!("t{i}"))))
            .expect("a page");
        assert_eq!(page.items.len(), 1, "no item is lost at the limit");
    }
    assert!(pager.next_request().is_none());
    assert_eq!(pager.items_seen(), 3);
    assert_eq!(
        pager.take_error(),
        Some(PaginationError::TooManyPages { limit: 3 })
    );
}

#[test]
fn a_walk_that_ends_within_its_bounds_has_no_error() {
    let mut pager = Pager::new(ReadUsers::new("om_1")).max_pages(2);
    pager
        .on_page(readers(0, 1, true, Some("t1")))
        .expect("a page");
    pager
        .on_page(readers(1, 1, false, None))
        .expect("the last page");
    assert!(pager.next_request().is_none());
    assert_eq!(pager.take_error(), None);
}

#[test]
fn the_default_page_limit_is_a_thousand() {
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    let mut pages = 0;
    while pager.next_request().is_some() {
        pager
            .on_page(readers(pages, 1, true, Some(&format!("t{pages}"))))
            .expect("a page");
        pages += 1;
    }
    assert_eq!(pages, 1_000);
    assert_eq!(
        pager.take_error(),
        Some(PaginationError::TooManyPages { limit: 1_000 })
    );
}

#[test]
fn token_memory_is_bounded_but_a_recent_repeat_is_caught() {
    let recent = Pager::<ReadUsers>::RECENT_TOKENS;
    let mut pager = Pager::new(ReadUsers::new("om_1"));
    for i in 0..recent {
        pager
            .on_page(readers(i, 1, true, Some(&format!("t{i}"))))
            .expect("a page");
    }
    // The oldest remembered token, handed back, is a loop.
    let why = broken(pager.on_page(readers(recent, 1, true, Some("t0"))));
    assert_eq!(why, "a page_token came back twice");
}
