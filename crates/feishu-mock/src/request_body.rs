//! Reading request bodies with a bound, without leaving the rest unread.

use std::future::poll_fn;
use std::pin::Pin;

use axum::body::{Body, Bytes};
use hyper::body::Body as _;

/// Past the bound, up to this much more is read and thrown away so the client
/// can finish sending and read the answer; beyond it the connection may be
/// reset. Relative to the bound, so uploads (30 MiB) drain as JSON bodies do.
const DRAIN_LIMIT: usize = 16 << 20;

/// Why a body could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Longer than the bound.
    TooLarge,
    /// The client went away or sent a malformed body.
    Broken,
}

/// The whole body if it is at most `limit` bytes.
///
/// A longer body is read on (but not kept) up to [`DRAIN_LIMIT`] past
/// `limit`, so the refusal reaches a client that is still sending.
pub(crate) async fn read(mut body: Body, limit: usize) -> Result<Bytes, BodyError> {
    let drain_limit = limit.saturating_add(DRAIN_LIMIT);
    if body.size_hint().lower() > drain_limit as u64 {
        return Err(BodyError::TooLarge);
    }
    // Uploads run to 30 MiB: grow once, not by doubling, when the length is known.
    let expected = usize::try_from(body.size_hint().lower()).unwrap_or(0);
    let mut kept = Vec::with_capacity(expected.min(limit));
    let mut seen = 0_usize;
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|_| BodyError::Broken)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen > drain_limit {
            return Err(BodyError::TooLarge);
        }
        if seen <= limit {
            kept.extend_from_slice(&data);
        }
    }
    if seen > limit {
        return Err(BodyError::TooLarge);
    }
    Ok(Bytes::from(kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_now(body: &'static str, limit: usize) -> Result<Bytes, BodyError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        runtime.block_on(read(Body::from(body), limit))
    }

    #[test]
    fn keeps_bodies_up_to_the_limit() {
        assert_eq!(read_now("abc", 3), Ok(Bytes::from_static(b"abc")));
        assert_eq!(read_now("", 0), Ok(Bytes::new()));
        assert_eq!(read_now("abcd", 3), Err(BodyError::TooLarge));
    }
}
