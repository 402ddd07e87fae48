//! Pagination for every list endpoint: the next page's request from the
//! previous page, with a cap on items, early stop, and bounds against a
//! server that never ends.
//! Docs: <https://open.feishu.cn/document/server-docs/api-call-guide/paging>

use std::collections::VecDeque;

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
///
/// # Bounds
///
/// A server that keeps saying `has_more` cannot keep a walk going forever:
/// after [`max_pages`](Self::max_pages) pages (default
/// [`DEFAULT_MAX_PAGES`](Self::DEFAULT_MAX_PAGES)), or
/// [`max_empty_pages`](Self::max_empty_pages) empty pages in a row (default
/// [`DEFAULT_MAX_EMPTY_PAGES`](Self::DEFAULT_MAX_EMPTY_PAGES)), the next page
/// is not asked for: [`next_request`](Self::next_request) says the walk is
/// over and [`take_error`](Self::take_error) says why
/// ([`PaginationError::TooManyPages`] or
/// [`PaginationError::TooManyEmptyPages`]), after the last page's items were
/// handed out. A token repeated within the last
/// [`RECENT_TOKENS`](Self::RECENT_TOKENS) pages is a loop; longer cycles are
/// caught by the page limit, so the pager's memory stays the same however
/// long the list.
#[derive(Clone, Debug)]
pub struct Pager<E> {
    next: Option<E>,
    max_items: Option<usize>,
    max_pages: usize,
    max_empty_pages: usize,
    yielded: usize,
    pages: usize,
    empty_in_a_row: usize,
    /// The last few tokens, oldest first.
    recent_tokens: VecDeque<String>,
    /// The bound that ended the walk, until taken.
    overrun: Option<PaginationError>,
}

/// Why a list's pages stopped chaining; the walk ends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// A page said more follow but named no token.
    #[error("has_more without a page_token")]
    MissingPageToken,
    /// A page named a token a recent page named already: the walk would loop.
    #[error("a page_token came back twice")]
    RepeatedPageToken,
    /// A page was handed in after the walk ended.
    #[error("a page arrived after the last one")]
    PageAfterEnd,
    /// The walk read its page limit and the server still said more follow.
    #[error("more than {limit} pages; raise Pager::max_pages if the list is really that long")]
    TooManyPages {
        /// The limit ([`Pager::max_pages`]).
        limit: usize,
    },
    /// This many pages in a row held no item and the server still said more
    /// follow.
    #[error(
        "{limit} empty pages in a row; raise Pager::max_empty_pages if the server really pages like that"
    )]
    TooManyEmptyPages {
        /// The limit ([`Pager::max_empty_pages`]).
        limit: usize,
    },
}

impl<E: Paginated> From<E> for Pager<E> {
    fn from(first: E) -> Self {
        Self::new(first)
    }
}

impl<E: Paginated> Pager<E> {
    /// How many pages a walk reads unless told otherwise: 1,000 pages of the
    /// usual 20–100 items is more than any chat history a bot should read in
    /// one go.
    pub const DEFAULT_MAX_PAGES: usize = 1_000;

    /// How many empty pages in a row a walk accepts unless told otherwise.
    /// Feishu may answer a filtered list with a few empty pages; dozens in a
    /// row mean a server that will never deliver anything.
    pub const DEFAULT_MAX_EMPTY_PAGES: usize = 32;

    /// How many of the latest tokens are remembered to catch a loop.
    pub const RECENT_TOKENS: usize = 16;

    /// A pager from the first page's request.
    pub fn new(first: E) -> Self {
        Self {
            next: Some(first),
            max_items: None,
            max_pages: Self::DEFAULT_MAX_PAGES,
            max_empty_pages: Self::DEFAULT_MAX_EMPTY_PAGES,
            yielded: 0,
            pages: 0,
            empty_in_a_row: 0,
            recent_tokens: VecDeque::with_capacity(Self::RECENT_TOKENS),
            overrun: None,
        }
    }

    /// Reads at most this many pages (at least one); a longer list ends in
    /// [`PaginationError::TooManyPages`] after the last page allowed.
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// Accepts at most this many empty pages in a row (at least one) before
    /// giving up with [`PaginationError::TooManyEmptyPages`].
    pub fn max_empty_pages(mut self, max_empty_pages: usize) -> Self {
        self.max_empty_pages = max_empty_pages.max(1);
        self
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
    /// (it would loop forever): the walk ends and its items are not handed
    /// out. A page that reaches a [bound](Self#bounds) is handed out and ends
    /// the walk; [`take_error`](Self::take_error) then says why.
    pub fn on_page(&mut self, mut page: Page<E::Item>) -> Result<Page<E::Item>, Error> {
        let Some(current) = self.next.take() else {
            return Err(PaginationError::PageAfterEnd.into());
        };
        self.pages += 1;
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
                .ok_or(PaginationError::MissingPageToken)?;
            if self.recent_tokens.iter().any(|seen| seen == token) {
                return Err(PaginationError::RepeatedPageToken.into());
            }
            self.empty_in_a_row = if page.items.is_empty() {
                self.empty_in_a_row + 1
            } else {
                0
            };
            // The page is handed out; the walk ends after it, and the reason
            // waits in `take_error`.
            if self.empty_in_a_row >= self.max_empty_pages {
                let limit = self.max_empty_pages;
                self.overrun = Some(PaginationError::TooManyEmptyPages { limit });
            } else if self.pages >= self.max_pages {
                let limit = self.max_pages;
                self.overrun = Some(PaginationError::TooManyPages { limit });
            }
            if self.overrun.is_none() {
                if self.recent_tokens.len() == Self::RECENT_TOKENS {
                    self.recent_tokens.pop_front();
                }
                self.recent_tokens.push_back(token.to_owned());
                self.next = Some(current.with_page_token(token));
            }
        }
        self.yielded += page.items.len();
        Ok(page)
    }

    /// Once [`next_request`](Self::next_request) returns `None`: the bound
    /// that cut the walk short while the server still announced more pages,
    /// if one did; `None` after a walk that reached its end, a
    /// [`max_items`](Self::max_items) cap or [`stop`](Self::stop). Taken once,
    /// so drivers can report it as their walk's last item.
    pub fn take_error(&mut self) -> Option<PaginationError> {
        self.overrun.take()
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
