//! Instant messaging (`/open-apis/im/v1`): the requests
//! every IM endpoint builds, what is refused before a request exists, how
//! answers, downloads and pages are read, and which calls are safe to retry.
//!
//! Fed with the golden responses in `tests/fixtures/im/` (the samples of
//! the IM API pages). Tests marked `#[ignore = "bug: …"]` describe behaviour
//! the core should have and does not yet; each names the defect.

#[path = "../support/fixture.rs"]
mod fixture;

mod downloads;
mod filename;
mod idempotency;
mod multipart;
mod pager;
mod refused;
mod requests;
mod responses;
mod uploads;

use feishu_core::http::Request;
use feishu_core::{Body, Config, Endpoint, Error, InvalidRequest, Secret};
use serde_json::Value;

/// A message id that would change the path if it were not percent-encoded.
pub const ODD_ID: &str = "om_a/b?c";
/// [`ODD_ID`] as a path segment.
pub const ODD_ID_ENCODED: &str = "om_a%2Fb%3Fc";
/// A chat id, as in Feishu's IM samples.
pub const CHAT_ID: &str = "oc_5ad11d72b830411d72b836c20";
/// The uuid of the send-message sample.
pub const UUID: &str = "a0d69e20-1dd1-458b-k525-dfeca4015204";

/// The request an endpoint builds on the Feishu base URL with a tenant token.
pub fn build<E: Endpoint>(endpoint: &E) -> Request<Vec<u8>> {
    feishu_core::build(&Config::feishu(), endpoint, Some(&Secret::new("t-x")))
        .unwrap_or_else(|e| panic!("expected a request, got {e:?}"))
}

/// Why an endpoint is refused before any request exists.
pub fn refused<E: Endpoint>(endpoint: &E) -> InvalidRequest {
    match feishu_core::build(&Config::feishu(), endpoint, Some(&Secret::new("t-x"))) {
        Err(Error::InvalidRequest(error)) => error,
        Err(other) => panic!("expected Error::InvalidRequest, got {other:?}"),
        Ok(request) => panic!("expected a refusal, got {request:?}"),
    }
}

/// The request body, parsed as JSON.
pub fn json_body(request: &Request<Vec<u8>>) -> Value {
    serde_json::from_slice(request.body()).expect("the body is JSON")
}

/// A request header as text.
pub fn header<'r>(request: &'r Request<Vec<u8>>, name: &str) -> Option<&'r str> {
    request
        .headers()
        .get(name)
        .map(|value| value.to_str().expect("a visible-ASCII header"))
}

/// The bytes of an endpoint's body, or why it is refused.
pub fn body_len<E: Endpoint>(endpoint: &E) -> Result<usize, InvalidRequest> {
    Ok(match endpoint.body()? {
        Body::Json(bytes) | Body::Bytes { bytes, .. } => bytes.len(),
        _ => 0,
    })
}

/// Checks what every IM request carries: the method, the exact URI, the
/// tenant token as a sensitive bearer header, and the content type.
pub fn assert_request(
    request: &Request<Vec<u8>>,
    method: &str,
    uri: &str,
    content_type: Option<&str>,
) {
    assert_eq!(request.method().as_str(), method, "{uri}");
    assert_eq!(request.uri().to_string(), uri);
    assert_eq!(
        header(request, "authorization"),
        Some("Bearer t-x"),
        "{uri}"
    );
    let authorization = request.headers().get("authorization");
    assert!(
        authorization.is_some_and(|value| value.is_sensitive()),
        "{uri}"
    );
    assert_eq!(header(request, "content-type"), content_type, "{uri}");
    if content_type.is_none() {
        assert!(request.body().is_empty(), "{uri}: a request without a body");
    }
}
