//! Mistakes refused before any request exists: inputs that are not
//! credentials, missing or malformed tokens, raw paths and base URLs that
//! would send a request somewhere unintended.

use feishu_core::auth::TenantAccessTokenRequest;
use feishu_core::{
    Config, ConfigError, Endpoint, Error, InvalidRequest, RawEndpoint, Secret, TokenKind,
};

const APP_ID: &str = "cli_slkdjalasdkjasd";
const APP_ACCESS_TOKEN: &str = "a-32bd8551db2f081cbfd26293f27516390b9feb04";
const TENANT_TOKEN: &str = "t-caecc734c2e3328a62489fe0648c4b98779515d3";

fn tenant_token() -> Secret {
    Secret::new(TENANT_TOKEN)
}

fn build_error<E: Endpoint>(endpoint: &E, token: Option<&Secret>) -> InvalidRequest {
    match feishu_core::build(&Config::feishu(), endpoint, token) {
        Err(Error::InvalidRequest(error)) => error,
        Err(other) => panic!("expected Error::InvalidRequest, got {other:?}"),
        Ok(request) => panic!("expected an error, got {request:?}"),
    }
}

#[test]
fn from_inputs_refuses_what_is_neither_an_app_id_nor_an_app_token() {
    for input in [
        TENANT_TOKEN,
        "u-5Dak9ZAxJ9tFUn8MaTD_BFM51FNdg5xzO0y010000HWb",
        "",
        "CLI_a5d611352af9d00b",
        " cli_a5d611352af9d00b",
        "A-6U1SbDiM6XIH2DcTCPyeub",
    ] {
        assert!(
            matches!(
                TenantAccessTokenRequest::from_inputs(input, "anything"),
                Err(InvalidRequest::UnknownAppKind)
            ),
            "{input:?}"
        );
    }
}

#[test]
fn from_inputs_refuses_an_empty_second_input() {
    for (input_a, input_b, field) in [
        (APP_ID, "", "app_secret"),
        (APP_ID, "  \t", "app_secret"),
        (APP_ACCESS_TOKEN, "", "tenant_key"),
    ] {
        match TenantAccessTokenRequest::from_inputs(input_a, input_b) {
            Err(InvalidRequest::InvalidField { field: name, .. }) => {
                assert_eq!(name, field, "{input_a}")
            }
            other => panic!("{input_a} {input_b:?}: expected EmptyField, got {other:?}"),
        }
    }
}

#[test]
fn endpoint_needing_a_token_refuses_to_build_without_one() {
    let error = build_error(&RawEndpoint::get("/open-apis/im/v1/chats"), None);
    assert!(
        matches!(error, InvalidRequest::MissingToken(TokenKind::Tenant)),
        "{error:?}"
    );

    let user_endpoint = RawEndpoint::get("/open-apis/authen/v1/user_info").token(TokenKind::User);
    let error = build_error(&user_endpoint, None);
    assert!(
        matches!(error, InvalidRequest::MissingToken(TokenKind::User)),
        "{error:?}"
    );
}

#[test]
fn token_a_header_cannot_carry_is_refused() {
    for token in [
        format!("{TENANT_TOKEN}\n"),
        format!("{TENANT_TOKEN}\r\nX-Injected: 1"),
        format!("t-\0{TENANT_TOKEN}"),
    ] {
        let error = build_error(
            &RawEndpoint::get("/open-apis/im/v1/chats"),
            Some(&Secret::new(token.clone())),
        );
        assert!(
            matches!(error, InvalidRequest::InvalidToken),
            "{token:?}: {error:?}"
        );
    }
}

#[test]
fn raw_path_without_a_leading_slash_is_refused() {
    for path in ["open-apis/im/v1/chats", "", "?page_size=20"] {
        let error = build_error(&RawEndpoint::get(path), Some(&tenant_token()));
        assert!(
            matches!(error, InvalidRequest::InvalidPath),
            "{path:?}: {error:?}"
        );
    }
}

#[test]
fn config_refuses_a_base_url_that_is_not_plain_http_or_https() {
    for url in [
        "ftp://x",
        "open.feishu.cn",
        "https://x/?a=1",
        "https://x/#f",
        "",
        "https://",
        "/open-apis",
    ] {
        match Config::new(url) {
            Err(ConfigError::InvalidBaseUrl { url: given, .. }) => assert_eq!(given, url),
            other => panic!("{url:?}: expected InvalidBaseUrl, got {other:?}"),
        }
    }
}

#[test]
fn config_drops_trailing_slashes_so_paths_join_without_a_double_slash() {
    for (url, base) in [
        ("http://127.0.0.1:9000/", "http://127.0.0.1:9000"),
        ("https://open.feishu.cn", "https://open.feishu.cn"),
        (
            "https://proxy.example/feishu/",
            "https://proxy.example/feishu",
        ),
    ] {
        let config = Config::new(url).expect("a valid base URL");
        assert_eq!(config.base_url(), base);
    }
    assert_eq!(Config::default().base_url(), Config::feishu().base_url());
}

#[test]
fn config_refuses_a_user_agent_a_header_cannot_carry() {
    assert!(matches!(
        Config::feishu().with_user_agent("bot\r\nX-Injected: 1"),
        Err(ConfigError::InvalidUserAgent(_))
    ));
}
