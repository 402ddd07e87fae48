//! Pagination for every list endpoint: the next page's request from the
//! previous page, with a cap on items, early stop, and a guard against a
//! server that never ends.
//! Docs: <https://open.feishu.cn/document/server-docs/api-call-guide/paging>

use std::collections::HashSet;

use serde::{Deserialize, Deserializer};

use crate::{Endpoint, Error};

/// One page of a list: `data.items`, `data.has_more`, `data.page_token`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items (possibly none, even when more follow).
    pub items: Vec<T>,
    /// Whether another page follows. The only end signal that counts.
    pub has_more: bool,
    /// The token of the next page (`page_token` or `next_page_token`); an
    /// empty token reads as none.
    pub page_token: Option<String>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire<T> {
            #[serde(default = "Vec::new")]
            items: Vec<T>,
            #[serde(default)]
            has_more: bool,
            page_token: Option<String>,
            next_page_token: Option<String>,
        }
        let wire = Wire::deserialize(deserializer)?;
        Ok(Page {
            items: wire.items,
            has_more: wire.has_more,
            page_token: wire
                .page_token
                .or(wire.next_page_token)
                .filter(|t| !t.is_empty()),
        })
    }
}

/// A list endpoint: its output is a [`Page`], and it can ask for the page
/// after one. Its other parameters (`sort_type`, time bounds, `page_size`) stay
/// the same on every page.
pub trait Paginated: Endpoint<Output = Page<Self::Item>> + Clone {
    /// What the list holds.
    type Item;

    /// This request for the page `page_token` names.
    fn with_page_token(&self, page_token: &str) -> Self;
}

/// Walks a list page by page. It sends nothing: ask it for the next request,
/// send it, and hand the page back.
///
/// ```
/// use feishu_core::{Page, Pager, RawEndpoint};
/// # use feishu_core::{Endpoint, Paginated};
/// # let list = feishu_core::im::message::ListMessages::chat("oc_5ad11d72b830411d72b836c20");
/// let mut pager = Pager::new(list).max_items(30);
/// while let Some(request) = pager.next_request() {
///     # let _ = request;
///     // let page = client.send(request)?;   (any adapter, or your own loop)
///     # let page: Page<feishu_core::im::message::Message> = serde_json::from_str(r#"{"items":[],"has_more":false}"#)?;
///     let page = pager.on_page(page)?;
///     # let _ = page;
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Pager<E> {
    next: Option<E>,
    max_items: Option<usize>,
    yielded: usize,
    seen_tokens: HashSet<String>,
}

impl<E: Paginated> From<E> for Pager<E> {
    fn from(first: E) -> Self {
        Self::new(first)
    }
}

impl<E: Paginated> Pager<E> {
    /// A pager from the first page's request.
    pub fn new(first: E) -> Self {
        Self {
            next: Some(first),
            max_items: None,
            yielded: 0,
            seen_tokens: HashSet::new(),
        }
    }

    /// Stops after this many items, cutting the last page short.
    pub fn max_items(mut self, max_items: usize) -> Self {
        self.max_items = Some(max_items);
        if max_items == 0 {
            self.next = None;
        }
        self
    }

    /// The request for the next page, or `None` when the list is done.
    pub fn next_request(&self) -> Option<&E> {
        self.next.as_ref()
    }

    /// Takes the page the last request returned; returns it, cut to the item
    /// cap. A page that says more follow but names no new token is an error
    /// (it would loop forever), and ends the walk.
    pub fn on_page(&mut self, mut page: Page<E::Item>) -> Result<Page<E::Item>, Error> {
        let Some(current) = self.next.take() else {
            return Err(Error::BrokenPagination("a page arrived after the last one"));
        };
        if let Some(max) = self.max_items {
            let room = max.saturating_sub(self.yielded);
            if page.items.len() >= room {
                page.items.truncate(room);
                self.yielded = max;
                return Ok(page);
            }
        }
        // Stop on has_more = false even if a token came with it.
        if page.has_more {
            let token = page
                .page_token
                .as_deref()
                .ok_or(Error::BrokenPagination("has_more without a page_token"))?;
            if !self.seen_tokens.insert(token.to_owned()) {
                return Err(Error::BrokenPagination("a page_token came back twice"));
            }
            self.next = Some(current.with_page_token(token));
        }
        self.yielded += page.items.len();
        Ok(page)
    }

    /// Stops early: no further request.
    pub fn stop(&mut self) {
        self.next = None;
    }

    /// How many items were handed out so far.
    pub fn items_seen(&self) -> usize {
        self.yielded
    }
}
