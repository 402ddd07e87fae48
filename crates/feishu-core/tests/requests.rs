//! Building requests: `feishu_core::build(&config, &endpoint, token)` for every
//! endpoint of the core: base URLs, auth headers, token bodies, the
//! app_ticket resend, request headers and paging. The mistakes
//! refused before any request exists are in `refused.rs`.

use std::time::Duration;

use feishu_core::auth::{AppAccessTokenRequest, AppTicketResend, TenantAccessTokenRequest};
use feishu_core::http::{Method, Request};
use feishu_core::{
    Config, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, Endpoint, RawEndpoint, Secret, Timeout, TokenKind,
    segment,
};
use serde_json::{Value, json};

const APP_ID: &str = "cli_slkdjalasdkjasd";
const APP_SECRET: &str = "dskLLdkasdjlasdKK";
const APP_TICKET: &str = "dskLLdkasd";
const APP_ACCESS_TOKEN: &str = "a-32bd8551db2f081cbfd26293f27516390b9feb04";
const TENANT_KEY: &str = "73658811060f175d";
const TENANT_TOKEN: &str = "t-caecc734c2e3328a62489fe0648c4b98779515d3";

/// Every base URL a client may talk to, and the prefix it gives each URI.
fn bases() -> [(Config, &'static str); 3] {
    [
        (Config::feishu(), "https://open.feishu.cn"),
        (Config::lark(), "https://open.larksuite.com"),
        (
            Config::new("http://127.0.0.1:9000/").expect("a valid base URL"),
            "http://127.0.0.1:9000",
        ),
    ]
}

fn build<E: Endpoint>(config: &Config, endpoint: &E, token: Option<&Secret>) -> Request<Vec<u8>> {
    feishu_core::build(config, endpoint, token).expect("a valid request")
}

fn json_body(request: &Request<Vec<u8>>) -> Value {
    serde_json::from_slice(request.body()).expect("the body is JSON")
}

fn header<'r>(request: &'r Request<Vec<u8>>, name: &str) -> Option<&'r str> {
    request
        .headers()
        .get(name)
        .map(|value| value.to_str().expect("a visible-ASCII header"))
}

fn timeout(request: &Request<Vec<u8>>) -> Option<Duration> {
    request
        .extensions()
        .get::<Timeout>()
        .map(|Timeout(timeout)| *timeout)
}

fn tenant_token() -> Secret {
    Secret::new(TENANT_TOKEN)
}

// ------------------------------------------------------- token endpoints

/// A token endpoint, built against a config.
type BuildOn = fn(&Config) -> Request<Vec<u8>>;

/// The five auth/v3 endpoints: how to build each, its path and its exact body.
fn token_endpoints() -> [(&'static str, BuildOn, &'static str, Value); 5] {
    [
        (
            "tenant token, self-built",
            |config| {
                build(
                    config,
                    &TenantAccessTokenRequest::self_built(APP_ID, APP_SECRET),
                    None,
                )
            },
            "/open-apis/auth/v3/tenant_access_token/internal",
            json!({"app_id": APP_ID, "app_secret": APP_SECRET}),
        ),
        (
            "tenant token, marketplace",
            |config| {
                let endpoint = TenantAccessTokenRequest::marketplace(APP_ACCESS_TOKEN, TENANT_KEY);
                build(config, &endpoint, None)
            },
            "/open-apis/auth/v3/tenant_access_token",
            // The real app access token, not the app id.
            json!({"app_access_token": APP_ACCESS_TOKEN, "tenant_key": TENANT_KEY}),
        ),
        (
            "app token, self-built",
            |config| {
                build(
                    config,
                    &AppAccessTokenRequest::self_built(APP_ID, APP_SECRET),
                    None,
                )
            },
            "/open-apis/auth/v3/app_access_token/internal",
            json!({"app_id": APP_ID, "app_secret": APP_SECRET}),
        ),
        (
            "app token, marketplace",
            |config| {
                let endpoint = AppAccessTokenRequest::marketplace(APP_ID, APP_SECRET, APP_TICKET);
                build(config, &endpoint, None)
            },
            "/open-apis/auth/v3/app_access_token",
            json!({"app_id": APP_ID, "app_secret": APP_SECRET, "app_ticket": APP_TICKET}),
        ),
        (
            "app_ticket resend",
            |config| build(config, &AppTicketResend::new(APP_ID, APP_SECRET), None),
            "/open-apis/auth/v3/app_ticket/resend",
            json!({"app_id": APP_ID, "app_secret": APP_SECRET}),
        ),
    ]
}

#[test]
fn token_endpoints_post_their_json_body_to_their_path_on_every_base_url() {
    for (name, build_on, path, body) in token_endpoints() {
        for (config, base) in bases() {
            let request = build_on(&config);
            assert_eq!(request.method(), Method::POST, "{name}");
            assert_eq!(request.uri(), format!("{base}{path}").as_str(), "{name}");
            assert!(
                !request.uri().path().contains("//"),
                "{name}: {}",
                request.uri()
            );
            assert_eq!(json_body(&request), body, "{name}");
        }
    }
}

#[test]
fn token_endpoints_send_json_content_type_user_agent_and_no_authorization() {
    for (name, build_on, _, _) in token_endpoints() {
        let request = build_on(&Config::feishu());
        let headers = request.headers();
        assert_eq!(
            header(&request, "content-type"),
            Some("application/json; charset=utf-8"),
            "{name}"
        );
        assert_eq!(
            header(&request, "user-agent"),
            Some(format!("feishu-rs/{}", env!("CARGO_PKG_VERSION")).as_str()),
            "{name}"
        );
        assert!(headers.get("authorization").is_none(), "{name}");
        assert_eq!(headers.len(), 2, "{name}: {headers:?}");
    }
}

#[test]
fn token_endpoints_ignore_a_token_given_to_them() {
    let endpoint = TenantAccessTokenRequest::self_built(APP_ID, APP_SECRET);
    let request = build(&Config::feishu(), &endpoint, Some(&tenant_token()));
    assert!(request.headers().get("authorization").is_none());
}

#[test]
fn from_inputs_picks_the_flow_by_the_first_input() {
    let self_built =
        TenantAccessTokenRequest::from_inputs(APP_ID, APP_SECRET).expect("`cli_…` is an app id");
    let request = build(&Config::feishu(), &self_built, None);
    assert_eq!(
        request.uri(),
        "https://open.feishu.cn/open-apis/auth/v3/tenant_access_token/internal"
    );
    assert_eq!(
        json_body(&request),
        json!({"app_id": APP_ID, "app_secret": APP_SECRET})
    );

    let marketplace = TenantAccessTokenRequest::from_inputs(APP_ACCESS_TOKEN, TENANT_KEY)
        .expect("`a-…` is an app access token");
    let request = build(&Config::feishu(), &marketplace, None);
    assert_eq!(
        request.uri(),
        "https://open.feishu.cn/open-apis/auth/v3/tenant_access_token"
    );
    assert_eq!(
        json_body(&request),
        json!({"app_access_token": APP_ACCESS_TOKEN, "tenant_key": TENANT_KEY})
    );
}

// --------------------------------------------------------- raw endpoints

#[test]
fn raw_get_sends_the_tenant_token_as_a_sensitive_bearer_header() {
    let endpoint = RawEndpoint::get("/open-apis/im/v1/chats");
    let request = build(&Config::feishu(), &endpoint, Some(&tenant_token()));

    let authorization = &request.headers()["authorization"];
    assert_eq!(authorization, format!("Bearer {TENANT_TOKEN}").as_str());
    assert!(authorization.is_sensitive());
}

#[test]
fn raw_get_has_no_body_and_no_content_type() {
    let endpoint = RawEndpoint::get("/open-apis/im/v1/chats");
    let request = build(&Config::feishu(), &endpoint, Some(&tenant_token()));

    assert_eq!(request.method(), Method::GET);
    assert!(request.body().is_empty());
    assert!(request.headers().get("content-type").is_none());
    assert_eq!(header(&request, "user-agent"), Some(DEFAULT_USER_AGENT));
}

#[test]
fn raw_get_percent_encodes_query_keys_and_values() {
    let endpoint = RawEndpoint::get("/open-apis/im/v1/messages")
        .query("container_id_type", "chat")
        .query("page_size", 50)
        .query("page_token", "GxmvlNRvP0Nd+QZpa7yIqf/Lv==")
        .query("odd key", "a b&c=d");

    for (config, base) in bases() {
        let request = build(&config, &endpoint, Some(&tenant_token()));
        assert_eq!(
            request.uri(),
            format!(
                "{base}/open-apis/im/v1/messages?container_id_type=chat&page_size=50\
                 &page_token=GxmvlNRvP0Nd%2BQZpa7yIqf%2FLv%3D%3D&odd%20key=a%20b%26c%3Dd"
            )
            .as_str()
        );
    }
}

#[test]
fn raw_post_sends_its_json_body() {
    let message = json!({
        "receive_id": "oc_5ad11d72b830411d72b836c20",
        "msg_type": "text",
        "content": "{\"text\":\"hi\"}",
        "uuid": "a0d69e20-1dd1-458b-k525-dfeca4015204",
    });
    let endpoint = RawEndpoint::post("/open-apis/im/v1/messages", message.clone())
        .query("receive_id_type", "chat_id");
    let request = build(&Config::lark(), &endpoint, Some(&tenant_token()));

    assert_eq!(request.method(), Method::POST);
    assert_eq!(
        request.uri(),
        "https://open.larksuite.com/open-apis/im/v1/messages?receive_id_type=chat_id"
    );
    assert_eq!(
        header(&request, "content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(json_body(&request), message);
}

#[test]
fn segment_keeps_a_caller_supplied_id_inside_its_path_segment() {
    let path = format!(
        "/open-apis/im/v1/messages/{}/resources/{}",
        segment("a/b?c"),
        segment("file key#1")
    );
    let endpoint = RawEndpoint::get(path).query("type", "file");
    let request = build(&Config::feishu(), &endpoint, Some(&tenant_token()));

    assert_eq!(
        request.uri().path(),
        "/open-apis/im/v1/messages/a%2Fb%3Fc/resources/file%20key%231"
    );
    assert_eq!(request.uri().query(), Some("type=file"));
}

#[test]
fn base_url_path_prefix_is_kept() {
    let config = Config::new("http://127.0.0.1:9000/feishu/").expect("a valid base URL");
    let endpoint = RawEndpoint::get("/open-apis/im/v1/chats");
    let request = build(&config, &endpoint, Some(&tenant_token()));
    assert_eq!(
        request.uri(),
        "http://127.0.0.1:9000/feishu/open-apis/im/v1/chats"
    );
}

#[test]
fn raw_endpoint_sends_the_kind_of_token_it_declares() {
    let user_token = Secret::new("u-5Dak9ZAxJ9tFUn8MaTD_BFM51FNdg5xzO0y010000HWb");
    let endpoint = RawEndpoint::get("/open-apis/authen/v1/user_info").token(TokenKind::User);
    let request = build(&Config::feishu(), &endpoint, Some(&user_token));
    assert_eq!(
        request.headers()["authorization"],
        "Bearer u-5Dak9ZAxJ9tFUn8MaTD_BFM51FNdg5xzO0y010000HWb"
    );

    let endpoint = RawEndpoint::post("/callback/ws/endpoint", json!({})).token(TokenKind::None);
    let request = build(&Config::feishu(), &endpoint, Some(&tenant_token()));
    assert!(request.headers().get("authorization").is_none());
}

#[test]
fn custom_user_agent_replaces_the_default() {
    let config = Config::feishu()
        .with_user_agent("my-bot/2.1 feishu-rs")
        .expect("a valid header value");
    let request = build(&config, &AppTicketResend::new(APP_ID, APP_SECRET), None);
    assert_eq!(header(&request, "user-agent"), Some("my-bot/2.1 feishu-rs"));
}

#[test]
fn query_appended_to_a_path_that_has_one_joins_with_ampersand() {
    let endpoint =
        RawEndpoint::get("/open-apis/im/v1/messages?container_id_type=chat").query("page_size", 20);
    let request = build(&Config::feishu(), &endpoint, Some(&tenant_token()));
    assert_eq!(
        request.uri().query(),
        Some("container_id_type=chat&page_size=20")
    );
}

// --------------------------------------------------------------- timeouts

#[test]
fn request_carries_the_config_default_timeout_of_120_seconds() {
    let endpoint = RawEndpoint::get("/open-apis/im/v1/chats");
    let request = build(&Config::feishu(), &endpoint, Some(&tenant_token()));
    assert_eq!(timeout(&request), Some(Duration::from_secs(120)));
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(120));
}

#[test]
fn request_carries_the_config_timeout() {
    let config = Config::feishu().with_timeout(Duration::from_secs(5));
    let request = build(&config, &AppTicketResend::new(APP_ID, APP_SECRET), None);
    assert_eq!(timeout(&request), Some(Duration::from_secs(5)));
}

#[test]
fn endpoint_timeout_overrides_the_config_timeout() {
    let config = Config::feishu().with_timeout(Duration::from_secs(5));
    let endpoint = TenantAccessTokenRequest::self_built(APP_ID, APP_SECRET)
        .with_timeout(Duration::from_millis(200));
    let request = build(&config, &endpoint, None);

    assert_eq!(timeout(&request), Some(Duration::from_millis(200)));
    // Nothing else changes.
    assert_eq!(
        request.uri(),
        "https://open.feishu.cn/open-apis/auth/v3/tenant_access_token/internal"
    );
    assert_eq!(
        json_body(&request),
        json!({"app_id": APP_ID, "app_secret": APP_SECRET})
    );
}

// ------------------------------------------------------------ idempotence

#[test]
fn idempotence_defaults_follow_the_method_and_token_endpoints_are_safe() {
    let post = || RawEndpoint::post("/open-apis/im/v1/messages", json!({}));
    let cases: [(&str, bool, bool); 11] = [
        (
            "tenant token, self-built",
            TenantAccessTokenRequest::self_built(APP_ID, APP_SECRET).idempotent(),
            true,
        ),
        (
            "tenant token, marketplace",
            TenantAccessTokenRequest::marketplace(APP_ACCESS_TOKEN, TENANT_KEY).idempotent(),
            true,
        ),
        (
            "app token, self-built",
            AppAccessTokenRequest::self_built(APP_ID, APP_SECRET).idempotent(),
            true,
        ),
        (
            "app token, marketplace",
            AppAccessTokenRequest::marketplace(APP_ID, APP_SECRET, APP_TICKET).idempotent(),
            true,
        ),
        (
            "app_ticket resend",
            AppTicketResend::new(APP_ID, APP_SECRET).idempotent(),
            true,
        ),
        (
            "raw GET",
            Endpoint::idempotent(&RawEndpoint::get("/x")),
            true,
        ),
        (
            "raw DELETE",
            Endpoint::idempotent(&RawEndpoint::new(Method::DELETE, "/x")),
            true,
        ),
        (
            "raw PATCH",
            Endpoint::idempotent(&RawEndpoint::new(Method::PATCH, "/x")),
            false,
        ),
        ("raw POST", Endpoint::idempotent(&post()), false),
        (
            "raw POST declared idempotent",
            Endpoint::idempotent(&post().idempotent(true)),
            true,
        ),
        (
            "raw GET declared not idempotent",
            Endpoint::idempotent(&RawEndpoint::get("/x").idempotent(false)),
            false,
        ),
    ];
    for (name, idempotent, expected) in cases {
        assert_eq!(idempotent, expected, "{name}");
    }
}

#[test]
fn with_timeout_keeps_the_endpoint_idempotence() {
    let post = RawEndpoint::post("/open-apis/im/v1/messages", json!({}));
    assert!(
        !post
            .clone()
            .with_timeout(Duration::from_secs(1))
            .idempotent()
    );
    let declared = Endpoint::with_timeout(post.idempotent(true), Duration::from_secs(1));
    assert!(declared.idempotent());
}
