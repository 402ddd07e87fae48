//! Parsing the auth/v3 token responses, fed with the golden responses in
//! `tests/fixtures/auth/`.
//!
//! Token responses are flat: the token and `expire` sit beside `code` and
//! `msg`. Their bodies carry credentials, so an unexpected body is kept for the
//! caller but never printed, in `Display` or in `Debug`.

#[path = "support/fixture.rs"]
mod support;

use feishu_core::auth::{AppAccessTokenRequest, AppTicketResend, TenantAccessTokenRequest};
use feishu_core::{ApiError, Endpoint, Error, Secret, Shape, UnexpectedResponse, codes};
use support::{body, fixture};

const APP_ID: &str = "cli_slkdjalasdkjasd";
const APP_SECRET: &str = "dskLLdkasdjlasdKK";
const APP_TICKET: &str = "dskLLdkasd";
const APP_ACCESS_TOKEN: &str = "a-32bd8551db2f081cbfd26293f27516390b9feb04";
const TENANT_KEY: &str = "73658811060f175d";

/// Fragments of the tokens in the fixtures: none may ever be printed.
const TOKEN_FRAGMENTS: [&str; 3] = ["t-caecc", "t-g1044", "a-6U1Sb"];

fn tenant_self_built() -> TenantAccessTokenRequest {
    TenantAccessTokenRequest::self_built(APP_ID, Secret::new(APP_SECRET))
}

fn tenant_marketplace() -> TenantAccessTokenRequest {
    TenantAccessTokenRequest::marketplace(APP_ACCESS_TOKEN, TENANT_KEY)
}

fn app_self_built() -> AppAccessTokenRequest {
    AppAccessTokenRequest::self_built(APP_ID, APP_SECRET)
}

fn app_marketplace() -> AppAccessTokenRequest {
    AppAccessTokenRequest::marketplace(APP_ID, APP_SECRET, APP_TICKET)
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> ApiError {
    match result {
        Err(Error::Api(error)) => *error,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn unexpected(result: Result<impl std::fmt::Debug, Error>) -> (Error, UnexpectedResponse) {
    match result {
        Err(Error::UnexpectedResponse(error)) => {
            let inner = (*error).clone();
            (Error::UnexpectedResponse(error), inner)
        }
        other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
    }
}

fn assert_prints_no_token(error: &Error) {
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        for fragment in TOKEN_FRAGMENTS {
            assert!(!shown.contains(fragment), "{fragment:?} printed in {shown}");
        }
    }
}

// ---------------------------------------------------------------- success

#[test]
fn self_built_tenant_token_is_read_from_the_flat_body() {
    let token = tenant_self_built()
        .parse(fixture("auth/tenant_internal_ok"))
        .map_err(feishu_core::Error::from)
        .expect("code 0 under HTTP 200");

    assert_eq!(
        token.tenant_access_token.expose(),
        "t-caecc734c2e3328a62489fe0648c4b98779515d3"
    );
    assert_eq!(token.expire, 7200);
    assert_eq!(token.code, 0);
    assert_eq!(token.msg, "ok");
}

#[test]
fn marketplace_tenant_token_is_read_from_the_flat_body() {
    let token = tenant_marketplace()
        .parse(fixture("auth/tenant_marketplace_ok"))
        .map_err(feishu_core::Error::from)
        .expect("code 0 under HTTP 200");

    assert_eq!(
        token.tenant_access_token.expose(),
        "t-caecc734c2e3328a62489fe0648c4b98779515d3"
    );
    assert_eq!(token.expire, 7200);
    assert_eq!(token.msg, "success");
}

#[test]
fn self_built_app_token_response_carries_both_tokens() {
    let token = app_self_built()
        .parse(fixture("auth/app_internal_ok"))
        .map_err(feishu_core::Error::from)
        .expect("code 0 under HTTP 200");

    assert_eq!(
        token.app_access_token.expose(),
        "t-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef"
    );
    assert_eq!(
        token.tenant_access_token.as_ref().map(Secret::expose),
        Some("t-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef")
    );
    assert_eq!(token.expire, 7200);
    assert_eq!(token.code, 0);
    assert_eq!(token.msg, "ok");
}

#[test]
fn marketplace_app_token_has_no_tenant_token_and_a_shorter_expiry() {
    let token = app_marketplace()
        .parse(fixture("auth/app_marketplace_ok"))
        .map_err(feishu_core::Error::from)
        .expect("code 0 under HTTP 200");

    assert_eq!(token.app_access_token.expose(), "a-6U1SbDiM6XIH2DcTCPyeub");
    assert!(token.tenant_access_token.is_none());
    assert_eq!(token.expire, 7140);
    assert_eq!(token.msg, "success");
}

#[test]
fn ticket_resend_success_is_unit() {
    AppTicketResend::new(APP_ID, APP_SECRET)
        .parse(fixture("auth/resend_ok"))
        .map_err(feishu_core::Error::from)
        .expect("code 0 under HTTP 200");
}

#[test]
fn token_response_without_msg_is_accepted() {
    let body = br#"{"code":0,"tenant_access_token":"t-caecc734c2e3328a62489fe0648c4b98779515d3","expire":1799}"#;
    let token = tenant_self_built()
        .parse(http::Response::new(body.to_vec()))
        .map_err(feishu_core::Error::from)
        .expect("`msg` is optional");
    assert_eq!(token.msg, "");
    assert_eq!(token.expire, 1799);
}

#[test]
fn token_response_spelling_msg_as_message_is_accepted() {
    let body = br#"{"code":0,"message":"ok","tenant_access_token":"t-caecc734c2e3328a62489fe0648c4b98779515d3","expire":7200}"#;
    let token = tenant_self_built()
        .parse(http::Response::new(body.to_vec()))
        .map_err(feishu_core::Error::from)
        .expect("one doc copy spells `msg` as `message`");
    assert_eq!(token.expire, 7200);
}

#[test]
fn token_response_spelling_msg_as_message_keeps_the_message() {
    let body = br#"{"code":0,"message":"ok","tenant_access_token":"t-caecc734c2e3328a62489fe0648c4b98779515d3","expire":7200}"#;
    let token = tenant_self_built()
        .parse(http::Response::new(body.to_vec()))
        .map_err(feishu_core::Error::from)
        .expect("one doc copy spells `msg` as `message`");
    assert_eq!(token.msg, "ok");
}

#[test]
fn token_response_with_code_zero_as_a_string_is_success() {
    let body = br#"{"code":"0","msg":"ok","tenant_access_token":"t-caecc734c2e3328a62489fe0648c4b98779515d3","expire":7200}"#;
    let token = tenant_self_built()
        .parse(http::Response::new(body.to_vec()))
        .map_err(feishu_core::Error::from)
        .expect("`code` may be a numeric string");
    assert_eq!(token.code, 0);
}

// ------------------------------------------------------------- API errors

#[test]
fn credential_errors_arrive_under_http_200() {
    type Parse = fn(http::Response<Vec<u8>>) -> Result<(), Error>;
    let cases: [(&str, Parse, i64, &str, &str); 4] = [
        (
            "auth/invalid_param_200",
            |r| {
                tenant_self_built()
                    .parse(r)
                    .map_err(feishu_core::Error::from)
                    .map(drop)
            },
            codes::INVALID_PARAM,
            "invalid param",
            "20250301093020F607182930415263748F",
        ),
        (
            "auth/wrong_secret_200",
            |r| {
                app_self_built()
                    .parse(r)
                    .map_err(feishu_core::Error::from)
                    .map(drop)
            },
            codes::APP_SECRET_INVALID,
            "app secret invalid",
            "2025030109302107182930415263748590",
        ),
        (
            "auth/ticket_invalid",
            |r| {
                app_marketplace()
                    .parse(r)
                    .map_err(feishu_core::Error::from)
                    .map(drop)
            },
            codes::APP_TICKET_INVALID,
            "get app access token failed",
            "202503010930221829304152637485960A",
        ),
        (
            "auth/invalid_param_200",
            |r| {
                AppTicketResend::new(APP_ID, APP_SECRET)
                    .parse(r)
                    .map_err(feishu_core::Error::from)
            },
            codes::INVALID_PARAM,
            "invalid param",
            "20250301093020F607182930415263748F",
        ),
    ];
    for (name, parse, code, msg, log_id) in cases {
        let error = api_error(parse(fixture(name)));
        assert_eq!(error.status, 200, "{name}");
        assert_eq!(error.code, code, "{name}");
        assert_eq!(error.msg, msg, "{name}");
        assert_eq!(error.log_id.as_deref(), Some(log_id), "{name}");
        assert!(error.details.is_none(), "{name}");
        assert!(error.oauth_error.is_none(), "{name}");
    }
}

#[test]
fn oauth_error_with_a_string_code_is_an_api_error() {
    let error = api_error(
        Shape::Token
            .check(fixture("auth/oauth_code_string"))
            .map_err(feishu_core::Error::from),
    );

    assert_eq!(error.status, 500);
    assert_eq!(error.code, codes::OAUTH_SERVER_ERROR);
    assert_eq!(error.oauth_error.as_deref(), Some("server_error"));
    // Without `msg`, the message is OAuth's `error_description`.
    assert_eq!(
        error.msg,
        "An unexpected server error occurred. Please retry your request."
    );
    assert!(error.details.is_none());
    assert_eq!(
        error.log_id.as_deref(),
        Some("20250301093023293041526374859607AB")
    );
}

#[test]
fn api_error_from_a_token_endpoint_displays_code_and_msg() {
    let error = app_self_built()
        .parse(fixture("auth/wrong_secret_200"))
        .map_err(feishu_core::Error::from)
        .expect_err("code 10014");
    assert_eq!(
        error.to_string(),
        "Feishu error 10014 (HTTP 200): app secret invalid [log id 2025030109302107182930415263748590]"
    );
    assert_eq!(error.code(), Some(codes::APP_SECRET_INVALID));
    assert_eq!(error.log_id(), Some("2025030109302107182930415263748590"));
}

// ------------------------------------------------------ unexpected bodies

#[test]
fn truncated_token_body_is_kept_but_never_printed() {
    let (error, inner) = unexpected(
        tenant_self_built()
            .parse(fixture("auth/truncated_token"))
            .map_err(feishu_core::Error::from),
    );

    assert_eq!(inner.body(), body("auth/truncated_token"));
    assert_eq!(inner.status, 200);
    assert_eq!(
        inner.content_type.as_deref(),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(error.log_id(), Some("2025030109302430415263748596071ABC"));
    assert!(
        inner.reason.starts_with("not a JSON envelope"),
        "{}",
        inner.reason
    );
    assert_prints_no_token(&error);
}

#[test]
fn token_of_the_wrong_type_is_kept_but_never_printed() {
    let (error, inner) = unexpected(
        tenant_self_built()
            .parse(fixture("auth/token_wrong_type"))
            .map_err(feishu_core::Error::from),
    );

    assert_eq!(inner.body(), body("auth/token_wrong_type"));
    // The position of the fault is given; the value at it is not quoted.
    assert!(inner.reason.contains("line 1 column"), "{}", inner.reason);
    assert!(!inner.reason.contains("7200x"), "{}", inner.reason);
    assert_prints_no_token(&error);
}

#[test]
fn app_token_as_a_number_is_unexpected_and_the_tenant_token_beside_it_is_not_printed() {
    let (error, inner) = unexpected(
        app_self_built()
            .parse(fixture("auth/app_token_as_number"))
            .map_err(feishu_core::Error::from),
    );

    assert_eq!(inner.body(), body("auth/app_token_as_number"));
    assert_prints_no_token(&error);
}

#[test]
fn a_bare_token_as_the_whole_body_is_not_printed() {
    let body = b"t-caecc734c2e3328a62489fe0648c4b98779515d3".to_vec();
    let (error, inner) = unexpected(
        tenant_self_built()
            .parse(http::Response::new(body.clone()))
            .map_err(feishu_core::Error::from),
    );
    assert_eq!(inner.body(), body);
    assert_prints_no_token(&error);
}

#[test]
fn the_same_truncated_body_from_a_data_endpoint_shows_an_excerpt() {
    // The contrast with `truncated_token_body_is_kept_but_never_printed`:
    // only token endpoints hide their bodies.
    let error = Shape::Data
        .decode::<serde_json::Value>(fixture("auth/truncated_token"))
        .map_err(feishu_core::Error::from)
        .expect_err("truncated JSON");
    assert!(error.to_string().contains("t-caecc"));
}

#[test]
fn html_page_from_a_token_endpoint_is_unexpected_without_an_excerpt() {
    let (error, inner) = unexpected(
        tenant_self_built()
            .parse(fixture("envelope/html_502"))
            .map_err(feishu_core::Error::from),
    );

    assert_eq!(inner.status, 502);
    assert_eq!(inner.body(), body("envelope/html_502"));
    assert!(!error.to_string().contains("Bad Gateway"));
}

#[test]
fn an_empty_tenant_token_is_unexpected_not_a_token() {
    let (_, inner) = unexpected(
        tenant_self_built()
            .parse(fixture("auth/empty_tenant_token"))
            .map_err(feishu_core::Error::from),
    );
    assert_eq!(inner.body(), body("auth/empty_tenant_token"));
    assert!(inner.reason.contains("line 1 column"), "{}", inner.reason);
}

#[test]
fn an_empty_app_token_is_unexpected_not_a_token() {
    let (_, inner) = unexpected(
        app_self_built()
            .parse(fixture("auth/empty_app_token"))
            .map_err(feishu_core::Error::from),
    );
    assert!(inner.reason.contains("line 1 column"), "{}", inner.reason);
}

#[test]
fn an_empty_tenant_token_beside_the_app_token_reads_as_none() {
    let token = app_self_built()
        .parse(fixture("auth/app_token_empty_tenant_token"))
        .map_err(feishu_core::Error::from)
        .expect("the app token itself is fine");
    assert!(token.tenant_access_token.is_none());
    assert!(!token.app_access_token.expose().is_empty());
}
