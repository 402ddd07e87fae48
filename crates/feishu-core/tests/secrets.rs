//! No secret is ever printed: app secrets, tickets and tokens show as `***` in
//! `Debug` and `Display`, and no error message repeats one (style.md).

#[path = "support/fixture.rs"]
mod support;

use std::io;

use feishu_core::auth::{AppAccessTokenRequest, AppTicketResend, TenantAccessTokenRequest};
use feishu_core::{
    Config, Endpoint, Error, RawEndpoint, Secret, Shape, TransportError, TransportErrorKind,
};
use support::fixture;

const APP_ID: &str = "cli_slkdjalasdkjasd";
const APP_SECRET: &str = "dskLLdkasdjlasdKK";
const APP_TICKET: &str = "dskLLdkasd";
const APP_ACCESS_TOKEN: &str = "a-32bd8551db2f081cbfd26293f27516390b9feb04";
const TENANT_KEY: &str = "73658811060f175d";
const TENANT_TOKEN: &str = "t-caecc734c2e3328a62489fe0648c4b98779515d3";

/// The start of every secret used here or in the fixtures: a partial leak
/// (an excerpt cut short) is still a leak.
const SECRET_FRAGMENTS: [&str; 6] = [
    "dskLLdk",    // APP_SECRET, APP_TICKET
    "a-32bd8",    // APP_ACCESS_TOKEN
    "t-caecc",    // TENANT_TOKEN, auth fixtures
    "t-g1044",    // auth/app_internal_ok
    "a-6U1Sb",    // auth/app_marketplace_ok
    "u-5Dak9ZAx", // a user token
];

#[track_caller]
fn assert_hides_secrets(what: &str, shown: &str) {
    for fragment in SECRET_FRAGMENTS {
        assert!(
            !shown.contains(fragment),
            "{what} shows {fragment:?}: {shown}"
        );
    }
}

/// `Debug`, pretty `Debug` and, when there is one, `Display`.
macro_rules! renderings {
    ($value:expr) => {{
        let value = &$value;
        [format!("{value:?}"), format!("{value:#?}")]
    }};
    ($value:expr, display) => {{
        let value = &$value;
        [
            format!("{value:?}"),
            format!("{value:#?}"),
            format!("{value}"),
        ]
    }};
}

#[test]
fn secret_prints_as_stars() {
    let secret = Secret::new(APP_SECRET);
    assert_eq!(format!("{secret:?}"), "***");
    assert_eq!(format!("{secret}"), "***");
    assert_eq!(format!("{secret:#?}"), "***");
    assert_eq!(secret.expose(), APP_SECRET);
}

#[test]
fn token_requests_print_ids_but_not_credentials() {
    let cases = [
        (
            "tenant token, self-built",
            format!(
                "{:?}",
                TenantAccessTokenRequest::self_built(APP_ID, APP_SECRET)
            ),
        ),
        (
            "tenant token, marketplace",
            format!(
                "{:?}",
                TenantAccessTokenRequest::marketplace(APP_ACCESS_TOKEN, TENANT_KEY)
            ),
        ),
        (
            "tenant token, from_inputs",
            format!(
                "{:#?}",
                TenantAccessTokenRequest::from_inputs(APP_ACCESS_TOKEN, TENANT_KEY)
            ),
        ),
        (
            "app token, self-built",
            format!(
                "{:?}",
                AppAccessTokenRequest::self_built(APP_ID, APP_SECRET)
            ),
        ),
        (
            "app token, marketplace",
            format!(
                "{:#?}",
                AppAccessTokenRequest::marketplace(APP_ID, APP_SECRET, APP_TICKET)
            ),
        ),
        (
            "app_ticket resend",
            format!("{:?}", AppTicketResend::new(APP_ID, APP_SECRET)),
        ),
        (
            "timed token request",
            format!(
                "{:?}",
                TenantAccessTokenRequest::self_built(APP_ID, APP_SECRET)
                    .with_timeout(std::time::Duration::from_secs(1))
            ),
        ),
    ];
    for (what, shown) in cases {
        assert_hides_secrets(what, &shown);
        assert!(shown.contains("***"), "{what}: {shown}");
        // What is not secret stays readable, for debugging.
        assert!(
            shown.contains(APP_ID) || shown.contains(TENANT_KEY),
            "{what}: {shown}"
        );
    }
}

#[test]
fn parsed_tokens_print_as_stars() {
    let tenant = TenantAccessTokenRequest::self_built(APP_ID, APP_SECRET)
        .parse(fixture("auth/tenant_internal_ok"))
        .map_err(feishu_core::Error::from)
        .expect("a token");
    let app = AppAccessTokenRequest::self_built(APP_ID, APP_SECRET)
        .parse(fixture("auth/app_internal_ok"))
        .map_err(feishu_core::Error::from)
        .expect("a token");
    let marketplace = AppAccessTokenRequest::marketplace(APP_ID, APP_SECRET, APP_TICKET)
        .parse(fixture("auth/app_marketplace_ok"))
        .map_err(feishu_core::Error::from)
        .expect("a token");

    for shown in renderings!(tenant) {
        assert_hides_secrets("TenantAccessToken", &shown);
        assert!(shown.contains("7200"), "{shown}");
    }
    for shown in renderings!(app) {
        assert_hides_secrets("AppAccessToken", &shown);
    }
    for shown in renderings!(marketplace) {
        assert_hides_secrets("AppAccessToken (marketplace)", &shown);
    }
}

#[test]
fn built_request_shows_authorization_as_sensitive() {
    let endpoint = RawEndpoint::get("/open-apis/im/v1/chats");
    let request = feishu_core::build(
        &Config::feishu(),
        &endpoint,
        Some(&Secret::new(TENANT_TOKEN)),
    )
    .expect("a valid request");

    let shown = format!("{request:?}");
    assert_hides_secrets("http::Request", &shown);
    assert!(shown.contains(r#""authorization": Sensitive"#), "{shown}");
}

#[test]
fn built_token_request_debug_does_not_spell_out_the_secret() {
    // `http::Request<Vec<u8>>` prints its body as a list of byte values, so
    // the secret is not spelled out; the bytes are still there, so adapters
    // must not log request bodies of token endpoints.
    let endpoint = AppAccessTokenRequest::marketplace(APP_ID, APP_SECRET, APP_TICKET);
    let request = feishu_core::build(&Config::feishu(), &endpoint, None).expect("a valid request");
    assert_hides_secrets("http::Request", &format!("{request:?}"));
}

#[test]
fn raw_endpoint_debug_leaves_out_its_body() {
    let endpoint = RawEndpoint::post(
        "/open-apis/authen/v1/oidc/refresh_access_token",
        serde_json::json!({"grant_type": "refresh_token", "refresh_token": "u-5Dak9ZAxJ9tFUn8MaTD_BFM51FNdg5xzO0y010000HWb"}),
    );
    for shown in renderings!(endpoint) {
        assert_hides_secrets("RawEndpoint", &shown);
    }
}

/// Every error a caller can meet, produced with secrets at hand.
fn errors() -> Vec<(&'static str, Error)> {
    let build_error = |endpoint: &RawEndpoint, token: Option<&Secret>| {
        feishu_core::build(&Config::feishu(), endpoint, token).expect_err("refused")
    };
    let chats = RawEndpoint::get("/open-apis/im/v1/chats");
    let tenant = TenantAccessTokenRequest::self_built(APP_ID, APP_SECRET);
    let app = AppAccessTokenRequest::self_built(APP_ID, APP_SECRET);
    vec![
        (
            // The classic mistake: the secret passed where the app id goes.
            "UnknownAppKind",
            TenantAccessTokenRequest::from_inputs(APP_SECRET, APP_ID)
                .expect_err("not an app id")
                .into(),
        ),
        (
            "UnknownAppKind (tenant token)",
            TenantAccessTokenRequest::from_inputs(TENANT_TOKEN, TENANT_KEY)
                .expect_err("not an app id")
                .into(),
        ),
        (
            "EmptyField",
            TenantAccessTokenRequest::from_inputs(APP_ID, "")
                .expect_err("empty secret")
                .into(),
        ),
        ("MissingToken", build_error(&chats, None)),
        (
            "InvalidToken",
            build_error(&chats, Some(&Secret::new(format!("{TENANT_TOKEN}\n")))),
        ),
        (
            "InvalidPath",
            build_error(&RawEndpoint::get("open-apis/im/v1/chats"), Some(&Secret::new(TENANT_TOKEN))),
        ),
        (
            "Api (credentials)",
            tenant.parse(fixture("auth/invalid_param_200")).map_err(feishu_core::Error::from).expect_err("10003"),
        ),
        (
            "Api (OAuth)",
            Shape::Token.check(fixture("auth/oauth_code_string")).map_err(feishu_core::Error::from).expect_err("20050"),
        ),
        (
            "Api (with a token beside the code)",
            tenant
                .parse(http::Response::new(
                    format!(r#"{{"code":10014,"msg":"app secret invalid","tenant_access_token":"{TENANT_TOKEN}"}}"#)
                        .into_bytes(),
                )).map_err(feishu_core::Error::from)
                .expect_err("10014"),
        ),
        (
            "UnexpectedResponse (truncated token)",
            tenant.parse(fixture("auth/truncated_token")).map_err(feishu_core::Error::from).expect_err("truncated"),
        ),
        (
            "UnexpectedResponse (expire of the wrong type)",
            tenant.parse(fixture("auth/token_wrong_type")).map_err(feishu_core::Error::from).expect_err("wrong type"),
        ),
        (
            "UnexpectedResponse (app token of the wrong type)",
            app.parse(fixture("auth/app_token_as_number")).map_err(feishu_core::Error::from).expect_err("wrong type"),
        ),
        (
            "UnexpectedResponse (app token endpoint, HTTP 500 with code 0)",
            app.parse(
                http::Response::builder()
                    .status(500)
                    .body(fixture("auth/app_internal_ok").into_body())
                    .expect("a valid response"),
            ).map_err(feishu_core::Error::from)
            .expect_err("HTTP 500"),
        ),
        (
            "Transport",
            TransportError::new(
                TransportErrorKind::Reset,
                io::Error::from(io::ErrorKind::ConnectionReset),
            )
            .into(),
        ),
        ("Transport (body too large)", TransportError::body_too_large(10).into()),
    ]
}

#[test]
fn no_error_prints_a_secret() {
    for (what, error) in errors() {
        for shown in renderings!(error, display) {
            assert_hides_secrets(what, &shown);
        }
        let mut source = std::error::Error::source(&error);
        while let Some(inner) = source {
            assert_hides_secrets(what, &inner.to_string());
            assert_hides_secrets(what, &format!("{inner:?}"));
            source = inner.source();
        }
    }
}
