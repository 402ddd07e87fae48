//! Responses that are not the JSON an endpoint expects (HTML and plain-text
//! error pages, empty and truncated bodies, a `code` 0 under HTTP 5xx) are an
//! [`Error::UnexpectedResponse`] that keeps the body byte for byte and shows
//! an excerpt of it. Also: the `Error` helpers.

#[path = "support/fixture.rs"]
mod support;

use feishu_core::{
    Endpoint, Error, InvalidRequest, RawEndpoint, Shape, TransportError, TransportErrorKind,
    UnexpectedResponse, codes,
};
use serde::Deserialize;
use serde_json::Value;
use support::{body, fixture, response};

fn unexpected(name: &str) -> UnexpectedResponse {
    unexpected_from(fixture(name))
}

fn unexpected_from(response: http::Response<Vec<u8>>) -> UnexpectedResponse {
    match Shape::Data
        .decode::<Value>(response)
        .map_err(feishu_core::Error::from)
    {
        Err(Error::UnexpectedResponse(error)) => *error,
        other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
    }
}

#[test]
fn html_502_is_unexpected_and_keeps_the_page() {
    let error = unexpected("envelope/html_502");

    assert_eq!(error.status, 502);
    assert_eq!(error.content_type.as_deref(), Some("text/html"));
    assert_eq!(
        error.log_id.as_deref(),
        Some("20250301101503D4E5F60718293041526D")
    );
    assert_eq!(error.body(), body("envelope/html_502"));
    let shown = error.to_string();
    assert!(shown.contains("HTTP 502"), "{shown}");
    assert!(shown.contains("text/html"), "{shown}");
    assert!(
        shown.contains("20250301101503D4E5F60718293041526D"),
        "{shown}"
    );
    assert!(shown.contains("Bad Gateway"), "{shown}");
}

#[test]
fn plain_text_404_is_unexpected_and_keeps_the_text() {
    let error = unexpected("envelope/plain_404");

    assert_eq!(error.status, 404);
    assert_eq!(
        error.content_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(error.body(), b"404 page not found\n");
    assert!(error.to_string().contains("404 page not found"));
}

#[test]
fn empty_bodies_are_unexpected_under_any_status() {
    for (name, status, content_type) in [
        ("envelope/empty_502", 502, None),
        (
            "envelope/empty_200",
            200,
            Some("application/json; charset=utf-8"),
        ),
    ] {
        let error = unexpected(name);
        assert_eq!(error.status, status, "{name}");
        assert_eq!(error.content_type.as_deref(), content_type, "{name}");
        assert!(error.body().is_empty(), "{name}");
        assert!(
            error.reason.contains("empty body"),
            "{name}: {}",
            error.reason
        );
    }
}

#[test]
fn truncated_json_is_unexpected_and_keeps_the_bytes() {
    let error = unexpected("envelope/truncated_200");

    assert_eq!(error.status, 200);
    assert_eq!(
        error.body(),
        br#"{"code":0,"msg":"success","data":{"items":["#
    );
    assert!(
        error.reason.starts_with("not a JSON envelope"),
        "{}",
        error.reason
    );
}

#[test]
fn code_zero_under_http_500_is_unexpected() {
    let error = unexpected("envelope/code_zero_http_500");

    assert_eq!(error.status, 500);
    assert_eq!(error.reason, "HTTP 500 with code 0");
    assert_eq!(error.body(), br#"{"code":0,"msg":"ok"}"#);
}

#[test]
fn envelope_without_code_is_unexpected() {
    let error = unexpected("envelope/no_code");
    assert_eq!(error.reason, "no `code` field");
    assert_eq!(error.body(), br#"{"msg":"ok","data":{}}"#);
}

#[test]
fn invalid_utf8_is_unexpected_and_keeps_the_exact_bytes() {
    let error = unexpected("envelope/invalid_utf8");

    assert_eq!(
        error.body(),
        b"{\"code\":0,\"msg\":\"\xff\xfe\xc0\xaf\",\"data\":{}}"
    );
    // The excerpt is decoded lossily for display only.
    assert!(error.to_string().contains('\u{fffd}'));
}

#[test]
fn data_of_the_wrong_shape_is_unexpected_and_keeps_the_body() {
    #[derive(Debug, Deserialize)]
    struct Image {
        #[allow(dead_code)]
        image_key: String,
    }
    let error = RawEndpoint::get("/open-apis/im/v1/messages")
        .output::<Image>()
        .parse(fixture("envelope/data_ok"))
        .map_err(feishu_core::Error::from)
        .expect_err("`data` is a message page, not an image");

    let Error::UnexpectedResponse(error) = error else {
        panic!("expected Error::UnexpectedResponse, got {error:?}");
    };
    assert_eq!(error.status, 200);
    assert_eq!(error.body(), body("envelope/data_ok"));
    assert!(error.reason.contains("image_key"), "{}", error.reason);
}

#[test]
fn unexpected_response_log_id_falls_back_to_x_request_id() {
    let headers = [("x-request-id", "9c1f4e2a")];
    let error = Shape::Data
        .decode::<Value>(response(504, &headers, "upstream request timeout"))
        .map_err(feishu_core::Error::from)
        .expect_err("not JSON");
    assert_eq!(error.log_id(), Some("9c1f4e2a"));
}

#[test]
fn unexpected_response_display_shows_only_an_excerpt_of_a_long_body() {
    let page = format!("<html>{}</html>", "x".repeat(10_000));
    let error = unexpected_from(response(502, &[], &page));

    assert_eq!(error.body(), page.as_bytes());
    let shown = error.to_string();
    assert!(shown.contains("10013 bytes"), "{shown}");
    assert!(shown.contains('…'), "{shown}");
    assert!(shown.len() < 400, "{} bytes shown", shown.len());
}

#[test]
fn unexpected_response_excerpt_may_cut_a_utf8_character() {
    // 199 ASCII bytes, then a 3-byte character straddling the 200-byte cut.
    let page = format!("{}服务繁忙", "a".repeat(199));
    let error = unexpected_from(response(503, &[], &page));
    assert_eq!(error.body(), page.as_bytes());
    assert!(error.to_string().contains('\u{fffd}'));
}

#[test]
fn unexpected_response_debug_shows_length_and_excerpt_not_the_whole_body() {
    let page = format!("<html>{}</html>", "x".repeat(10_000));
    let error = unexpected_from(response(502, &[], &page));
    let debug = format!("{error:?}");
    assert!(debug.contains("body_len: 10013"), "{debug}");
    assert!(debug.contains("body_excerpt: Some(\"<html>xxx"), "{debug}");
    assert!(debug.len() < 500, "{} bytes shown", debug.len());
}

#[test]
fn into_body_hands_back_the_bytes() {
    assert_eq!(
        unexpected("envelope/plain_404").into_body(),
        body("envelope/plain_404")
    );
}

// -------------------------------------------------------- Error helpers

#[test]
fn error_code_is_the_feishu_code_of_api_errors_only() {
    let api = Shape::Data
        .decode::<Value>(fixture("envelope/rate_limited_429"))
        .map_err(feishu_core::Error::from)
        .expect_err("code 99991400");
    let unexpected = Shape::Data
        .decode::<Value>(fixture("envelope/html_502"))
        .map_err(feishu_core::Error::from)
        .expect_err("HTML");
    let invalid = Error::from(InvalidRequest::InvalidPath);
    let transport = Error::from(TransportError::body_too_large(10));

    assert_eq!(api.code(), Some(codes::REQUEST_TRIGGER_FREQUENCY_LIMIT));
    assert_eq!(unexpected.code(), None);
    assert_eq!(invalid.code(), None);
    assert_eq!(transport.code(), None);
}

#[test]
fn error_log_id_comes_from_any_response_and_never_from_before_one() {
    let api = Shape::Data
        .decode::<Value>(fixture("envelope/tenant_token_invalid_400"))
        .map_err(feishu_core::Error::from)
        .expect_err("code 99991663");
    let unexpected = Shape::Data
        .decode::<Value>(fixture("envelope/plain_404"))
        .map_err(feishu_core::Error::from)
        .expect_err("plain text");
    let invalid = Error::from(InvalidRequest::InvalidToken);
    let transport = Error::from(TransportError::new(
        TransportErrorKind::Timeout,
        "deadline passed",
    ));

    assert_eq!(api.log_id(), Some("20250301101501B2C3D4E5F6071829304B"));
    assert_eq!(
        unexpected.log_id(),
        Some("20250301101504E5F6071829304152637E")
    );
    assert_eq!(invalid.log_id(), None);
    assert_eq!(transport.log_id(), None);
}
