//! Paging: `page_size`, and opaque `page_token`s that
//! stay valid while the query stays the same.
//!
//! A token is URL-safe base64 (with `=` padding, as Feishu's are) of 16
//! bytes: a cursor, the position in the store of the first item of the next
//! page, then a seal over the cursor and the query parameters it belongs to.
//! A cursor is a position, not an offset, so items added while a client is
//! paging neither repeat nor go missing.

use serde_json::{Value, json};

use crate::ids::IdSource;
use crate::im::error::ImError;
use crate::query::Query;

/// The allowed and default `page_size` of one endpoint.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PageRules {
    pub(crate) default: usize,
    pub(crate) max: usize,
}

/// The paging part of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PageRequest {
    pub(crate) size: usize,
    /// Where the page starts; `None` for the first page.
    pub(crate) cursor: Option<u64>,
}

/// One page of items and the cursor of the next page, if there is one.
#[derive(Clone, Debug)]
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    pub(crate) next: Option<u64>,
}

impl PageRequest {
    /// Reads `page_size` (1 to `rules.max`, else 230001) and `page_token`
    /// (empty means none; one not issued for `context` gets 230001).
    pub(crate) fn parse(
        query: &Query,
        rules: PageRules,
        ids: &IdSource,
        context: &[&str],
    ) -> Result<PageRequest, ImError> {
        let size = match query.get("page_size") {
            None | Some("") => rules.default,
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|size| (1..=rules.max).contains(size))
                .ok_or_else(|| {
                    ImError::invalid("page_size", format!("must be 1 to {}", rules.max))
                })?,
        };
        let cursor = match query.get("page_token") {
            None | Some("") => None,
            Some(token) => Some(
                open(token, ids, context)
                    .ok_or_else(|| ImError::invalid("page_token", "not a token of this query"))?,
            ),
        };
        Ok(PageRequest { size, cursor })
    }

    /// The page of `items` (in listing order, each with its cursor) that starts
    /// at this request's cursor.
    pub(crate) fn take<T>(
        &self,
        items: impl IntoIterator<Item = (u64, T)>,
        descending: bool,
    ) -> Page<T> {
        let before_cursor = |key: u64| match self.cursor {
            None => false,
            Some(cursor) if descending => key > cursor,
            Some(cursor) => key < cursor,
        };
        let mut rest = items.into_iter().skip_while(|(key, _)| before_cursor(*key));
        let items = rest
            .by_ref()
            .take(self.size)
            .map(|(_, item)| item)
            .collect();
        let next = rest.next().map(|(key, _)| key);
        Page { items, next }
    }
}

impl<T> Page<T> {
    /// The same page with each item mapped.
    pub(crate) fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

impl Page<Value> {
    /// `{has_more, page_token, items}`; the last page has `page_token: ""`.
    pub(crate) fn to_json(&self, ids: &IdSource, context: &[&str]) -> Value {
        let token = self
            .next
            .map_or_else(String::new, |next| seal(next, ids, context));
        json!({
            "has_more": self.next.is_some(),
            "page_token": token,
            "items": self.items,
        })
    }
}

/// The token for `cursor` under `context`.
fn seal(cursor: u64, ids: &IdSource, context: &[&str]) -> String {
    let mut bytes = [0_u8; 16];
    bytes[..8].copy_from_slice(&cursor.to_be_bytes());
    bytes[8..].copy_from_slice(&ids.seal(context, cursor).to_be_bytes());
    base64url(&bytes)
}

/// The cursor in `token`, if this server issued it for `context`.
fn open(token: &str, ids: &IdSource, context: &[&str]) -> Option<u64> {
    let bytes = unbase64url(token)?;
    let cursor = u64::from_be_bytes(bytes.get(..8)?.try_into().ok()?);
    let check = u64::from_be_bytes(bytes.get(8..16)?.try_into().ok()?);
    (bytes.len() == 16 && check == ids.seal(context, cursor)).then_some(cursor)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0_u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let digits = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0_u32, 0);
    for &c in digits {
        let value = ALPHABET.iter().position(|&a| a == c)?;
        acc = (acc << 6) | u32::try_from(value).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xFF).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: PageRules = PageRules {
        default: 20,
        max: 50,
    };

    fn parse(query: &str, ids: &IdSource) -> Result<PageRequest, ImError> {
        PageRequest::parse(&Query::parse(Some(query)), RULES, ids, &["ctx"])
    }

    #[test]
    fn base64_round_trips() {
        for len in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            assert_eq!(unbase64url(&base64url(&bytes)), Some(bytes));
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8=");
        assert!(base64url(&[0; 16]).ends_with("=="));
    }

    #[test]
    fn page_sizes_are_checked() {
        let ids = IdSource::new();
        assert_eq!(parse("", &ids).map(|r| r.size), Ok(20));
        assert_eq!(parse("page_size=50", &ids).map(|r| r.size), Ok(50));
        for bad in ["page_size=0", "page_size=51", "page_size=x", "page_size=-1"] {
            assert!(parse(bad, &ids).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_belong_to_their_server_and_query() {
        let ids = IdSource::new();
        let token = seal(42, &ids, &["ctx"]);
        let query = format!("page_token={}", token.replace('=', "%3D"));
        assert_eq!(parse(&query, &ids).map(|r| r.cursor), Ok(Some(42)));
        assert_eq!(open(&token, &ids, &["other"]), None);
        assert_eq!(open(&token, &IdSource::new(), &["ctx"]), None);
        assert_eq!(open("garbage!", &ids, &["ctx"]), None);
        assert!(parse("page_token=AAAA", &ids).is_err());
        assert_eq!(parse("page_token=", &ids).map(|r| r.cursor), Ok(None));
    }

    #[test]
    fn pages_resume_at_the_cursor_in_either_order() {
        let request = |cursor| PageRequest { size: 2, cursor };
        let asc = (0..5_u64).map(|k| (k * 10, k));
        let first = request(None).take(asc.clone(), false);
        assert_eq!((first.items, first.next), (vec![0, 1], Some(20)));
        let last = request(Some(40)).take(asc, false);
        assert_eq!((last.items, last.next), (vec![4], None));
        let desc = (0..5_u64).rev().map(|k| (k * 10, k));
        let second = request(Some(20)).take(desc, true);
        assert_eq!((second.items, second.next), (vec![2, 1], Some(0)));
    }
}
