//! Decoding `{code, msg, data}` envelopes, fed with the golden responses in
//! `tests/fixtures/envelope/`.
//!
//! `code == 0` under a 2xx status is success and the output is `data`; any
//! other `code` is an [`Error::Api`] whatever the status. Bodies that are not
//! an envelope at all are in `unexpected.rs`.

#[path = "support/fixture.rs"]
mod support;

use std::time::Duration;

use feishu_core::{ApiError, Endpoint, Error, RawEndpoint, Shape, codes};
use serde::Deserialize;
use serde_json::{Value, json};
use support::{fixture, response};

/// `GET /open-apis/im/v1/messages` `data`, as a caller would type it.
#[derive(Debug, Deserialize)]
struct MessagePage {
    has_more: bool,
    page_token: String,
    items: Vec<Message>,
}

#[derive(Debug, Deserialize)]
struct Message {
    message_id: String,
    msg_type: String,
    create_time: String,
    body: MessageBody,
}

#[derive(Debug, Deserialize)]
struct MessageBody {
    content: String,
}

fn list_messages() -> RawEndpoint<MessagePage> {
    RawEndpoint::get("/open-apis/im/v1/messages").output::<MessagePage>()
}

fn api_error(name: &str) -> ApiError {
    match Shape::Data
        .decode::<Value>(fixture(name))
        .map_err(feishu_core::Error::from)
    {
        Err(Error::Api(error)) => *error,
        other => panic!("{name}: expected Error::Api, got {other:?}"),
    }
}

// ---------------------------------------------------------------- success

#[test]
fn data_ok_decodes_data_as_a_json_value() {
    let data: Value = Shape::Data
        .decode(fixture("envelope/data_ok"))
        .map_err(feishu_core::Error::from)
        .expect("code 0 under HTTP 200");

    assert_eq!(data["has_more"], false);
    assert_eq!(
        data["page_token"],
        "GxmvlNRvP0NdQZpa7yIqf_Lv_QuBwTQ8tXkX7w-irAghVD_TvuYd1aoJ1LQph86O-XImC4X9j9FhUPhXQDvtrQ=="
    );
    assert_eq!(
        data["items"][0],
        json!({
            "message_id": "om_…",
            "msg_type": "text",
            "create_time": "1615380573411",
            "body": {"content": "{\"text\":\"hi\"}"},
        })
    );
}

#[test]
fn data_ok_decodes_into_a_typed_output_through_raw_endpoint() {
    let page = list_messages()
        .parse(fixture("envelope/data_ok"))
        .map_err(feishu_core::Error::from)
        .expect("code 0 under HTTP 200");

    assert!(!page.has_more);
    assert!(page.page_token.ends_with("DvtrQ=="));
    assert_eq!(page.items.len(), 1);
    let message = &page.items[0];
    assert_eq!(message.message_id, "om_…");
    assert_eq!(message.msg_type, "text");
    assert_eq!(message.create_time, "1615380573411");
    // `content` is a JSON string inside the JSON.
    assert_eq!(message.body.content, r#"{"text":"hi"}"#);
}

#[test]
fn missing_data_reads_as_an_empty_object() {
    let data: Value = Shape::Data
        .decode(fixture("envelope/data_missing"))
        .map_err(feishu_core::Error::from)
        .expect("`data` may be missing");
    assert_eq!(data, json!({}));

    #[derive(Deserialize)]
    struct Optional {
        #[serde(default)]
        items: Vec<Value>,
    }
    let typed = RawEndpoint::get("/open-apis/im/v1/pins")
        .output::<Optional>()
        .parse(fixture("envelope/data_missing"))
        .map_err(feishu_core::Error::from)
        .expect("a type whose fields all default reads `{}`");
    assert!(typed.items.is_empty());
}

#[test]
fn null_data_reads_as_an_empty_object() {
    let body = r#"{"code":0,"msg":"success","data":null}"#;
    let data: Value = Shape::Data
        .decode(response(200, &[], body))
        .map_err(feishu_core::Error::from)
        .expect("`data: null` is no data");
    assert_eq!(data, json!({}));
}

#[test]
fn message_is_accepted_in_place_of_msg() {
    #[derive(Deserialize)]
    struct Image {
        image_key: String,
    }
    let image = RawEndpoint::post("/open-apis/im/v1/images", json!({}))
        .output::<Image>()
        .parse(fixture("envelope/msg_as_message"))
        .map_err(feishu_core::Error::from)
        .expect("success does not depend on `msg`");
    assert_eq!(image.image_key, "img_v2_xxx");

    let error = api_error("envelope/msg_as_message_error");
    assert_eq!(error.code, codes::TENANT_ACCESS_TOKEN_INVALID);
    assert_eq!(
        error.msg,
        "Invalid access token for authorization. Please make a request with token attached."
    );
}

#[test]
fn check_accepts_a_success_and_ignores_data() {
    Shape::Data
        .check(fixture("envelope/data_ok"))
        .map_err(feishu_core::Error::from)
        .expect("code 0 under HTTP 200");
    Shape::Data
        .check(fixture("envelope/data_missing"))
        .map_err(feishu_core::Error::from)
        .expect("code 0 under HTTP 200");
}

#[test]
fn code_zero_given_as_a_string_is_success() {
    let body = r#"{"code":"0","msg":"success","data":{"n":1}}"#;
    let data: Value = Shape::Data
        .decode(response(200, &[], body))
        .map_err(feishu_core::Error::from)
        .expect("`code` may be a numeric string");
    assert_eq!(data, json!({"n": 1}));
}

// ------------------------------------------------------------- API errors

#[test]
fn permission_denied_carries_the_whole_error_object() {
    let error = api_error("envelope/permission_denied_99991672");

    assert_eq!(error.status, 400);
    assert_eq!(error.code, codes::ACCESS_DENIED);
    assert_eq!(
        error.msg,
        "Access denied. One of the following scopes is required: [contact:user.employee_id:readonly]"
    );
    assert_eq!(
        error.log_id.as_deref(),
        Some("202502271443593BB72D35D902E18D1343")
    );
    assert_eq!(error.oauth_error, None);
    assert_eq!(error.rate_limit_reset, None);

    let details = error.details.expect("the body has an `error` object");
    assert_eq!(
        details.log_id.as_deref(),
        Some("202502271443593BB72D35D902E18D1343")
    );
    assert_eq!(
        details.troubleshooter.as_deref(),
        Some(
            "排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?from=openapi&log_id=202502271443593BB72D35D902E18D1343&code=99991672&method_id=6936075528891154460"
        )
    );
    assert_eq!(
        details.message.as_deref(),
        Some(
            "Refer to the documentation to fix the error: https://open.feishu.cn/document/uAjLw4CM/ugTN1YjL4UTN24CO1UjN/trouble-shooting/how-to-fix-the-99991672-error"
        )
    );
    assert!(details.details.is_empty());
    let violations: Vec<_> = details
        .permission_violations
        .iter()
        .map(|v| {
            (
                v.kind.as_deref(),
                v.subject.as_deref(),
                v.description.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        violations,
        [(
            Some("field_scope_required"),
            Some("contact:user.employee_id:readonly"),
            None
        )]
    );
}

#[test]
fn user_privilege_error_lists_every_missing_privilege() {
    let error = api_error("envelope/user_privilege_99991679");

    assert_eq!(error.code, codes::UNAUTHORIZED);
    assert!(
        error
            .msg
            .starts_with("Unauthorized. You do not have permission")
    );
    let details = error.details.expect("the body has an `error` object");
    assert_eq!(details.troubleshooter, None);
    let subjects: Vec<_> = details
        .permission_violations
        .iter()
        .map(|v| v.subject.as_deref())
        .collect();
    assert_eq!(subjects, [Some("task:task:read"), Some("task:task:write")]);
    assert!(
        details
            .permission_violations
            .iter()
            .all(|v| v.kind.as_deref() == Some("action_privilege_required"))
    );
}

#[test]
fn invalid_tenant_token_is_an_api_error_under_http_400() {
    let error = api_error("envelope/tenant_token_invalid_400");

    assert_eq!(error.status, 400);
    assert_eq!(error.code, codes::TENANT_ACCESS_TOKEN_INVALID);
    // The fixture spells the header `X-Tt-Logid`: header names are case-insensitive.
    assert_eq!(
        error.log_id.as_deref(),
        Some("20250301101501B2C3D4E5F6071829304B")
    );
    assert!(error.details.is_none());
}

#[test]
fn rate_limit_under_429_carries_the_reset_delay() {
    let error = api_error("envelope/rate_limited_429");

    assert_eq!(error.status, 429);
    assert_eq!(error.code, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT);
    assert_eq!(error.msg, "request trigger frequency limit");
    assert_eq!(error.rate_limit_reset, Some(Duration::from_secs(52)));
    assert_eq!(error.log_id, None);
}

#[test]
fn rate_limit_under_400_is_the_same_code_without_a_reset_header() {
    let error = api_error("envelope/rate_limited_400");

    assert_eq!(error.status, 400);
    assert_eq!(error.code, codes::REQUEST_TRIGGER_FREQUENCY_LIMIT);
    assert_eq!(error.rate_limit_reset, None);
}

#[test]
fn rate_limit_reset_is_read_as_whole_seconds() {
    let body = r#"{"code":99991400,"msg":"request trigger frequency limit"}"#;
    for (header, expected) in [
        ("52", Some(Duration::from_secs(52))),
        ("0", Some(Duration::ZERO)),
        ("1.5", None),
        ("-1", None),
        ("soon", None),
        ("18446744073709551616", None),
    ] {
        let headers = [("X-Ogw-Ratelimit-Reset", header)];
        let error = match Shape::Data
            .decode::<Value>(response(429, &headers, body))
            .map_err(feishu_core::Error::from)
        {
            Err(Error::Api(error)) => error,
            other => panic!("{header:?}: expected Error::Api, got {other:?}"),
        };
        assert_eq!(
            error.rate_limit_reset, expected,
            "x-ogw-ratelimit-reset: {header}"
        );
    }
}

#[test]
fn log_id_falls_back_to_the_error_object() {
    let error = api_error("envelope/log_id_only_in_body");
    assert_eq!(
        error.log_id.as_deref(),
        Some("20250301101512637485960718ABCDEF01")
    );
}

#[test]
fn log_id_falls_back_to_x_request_id() {
    let error = api_error("envelope/x_request_id_fallback");
    assert_eq!(
        error.log_id.as_deref(),
        Some("9c1f4e2a-5b7d-4a86-b0e3-1d2c3b4a5f60")
    );
}

#[test]
fn log_id_prefers_x_tt_logid_then_x_request_id_then_the_body() {
    let body = r#"{"code":99991672,"msg":"denied","error":{"log_id":"from-body"}}"#;
    type Headers = &'static [(&'static str, &'static str)];
    let cases: [(Headers, Option<&str>); 4] = [
        (
            &[
                ("x-tt-logid", "from-tt"),
                ("x-request-id", "from-request-id"),
            ],
            Some("from-tt"),
        ),
        (
            &[("x-request-id", "from-request-id")],
            Some("from-request-id"),
        ),
        (&[], Some("from-body")),
        // A header that is not visible ASCII is skipped, not trusted.
        (&[("x-tt-logid", "caf\u{e9}")], Some("from-body")),
    ];
    for (headers, expected) in cases {
        let error = match Shape::Data
            .decode::<Value>(response(400, headers, body))
            .map_err(feishu_core::Error::from)
        {
            Err(error) => error,
            Ok(data) => panic!("{headers:?}: expected an error, got {data}"),
        };
        assert_eq!(error.log_id(), expected, "headers {headers:?}");
    }
}

#[test]
fn code_is_read_as_an_integer_or_a_numeric_string() {
    for (code, expected) in [
        ("99991663", codes::TENANT_ACCESS_TOKEN_INVALID),
        ("\"99991663\"", codes::TENANT_ACCESS_TOKEN_INVALID),
        ("-1", -1),
        ("\"20050\"", codes::OAUTH_SERVER_ERROR),
    ] {
        let body = format!(r#"{{"code":{code},"msg":"no"}}"#);
        let error = Shape::Data
            .decode::<Value>(response(400, &[], &body))
            .map_err(feishu_core::Error::from)
            .expect_err("a non-zero code");
        assert_eq!(error.code(), Some(expected), "code {code}");
    }
}

#[test]
fn code_that_is_not_an_integer_is_unexpected() {
    for code in ["\"abc\"", "1.5", "true", "{}", "[]", "18446744073709551615"] {
        let body = format!(r#"{{"code":{code},"msg":"no"}}"#);
        match Shape::Data
            .decode::<Value>(response(200, &[], &body))
            .map_err(feishu_core::Error::from)
        {
            Err(Error::UnexpectedResponse(error)) => assert_eq!(error.body(), body.as_bytes()),
            other => panic!("code {code}: expected Error::UnexpectedResponse, got {other:?}"),
        }
    }
}

#[test]
fn non_zero_code_is_an_error_even_under_http_200() {
    let body = r#"{"code":230002,"msg":"Bot/User can NOT be out of the chat."}"#;
    let error = Shape::Data
        .decode::<Value>(response(200, &[], body))
        .map_err(feishu_core::Error::from)
        .expect_err("HTTP 200 does not mean success");
    assert_eq!(error.code(), Some(codes::BOT_NOT_IN_CHAT));
}

#[test]
fn raw_endpoint_reports_errors_as_shape_data_does() {
    let error = list_messages()
        .parse(fixture("envelope/permission_denied_99991672"))
        .map_err(feishu_core::Error::from)
        .expect_err("code 99991672");
    assert_eq!(error.code(), Some(codes::ACCESS_DENIED));
    assert_eq!(error.log_id(), Some("202502271443593BB72D35D902E18D1343"));
}

#[test]
fn api_error_display_names_code_status_msg_and_log_id() {
    let error = Error::from(api_error("envelope/tenant_token_invalid_400"));
    assert_eq!(
        error.to_string(),
        "Feishu error 99991663 (HTTP 400): Invalid access token for authorization. \
         Please make a request with token attached. [log id 20250301101501B2C3D4E5F6071829304B]"
    );
}

// ------------------------------------------------------------ known bugs

#[test]
fn envelope_with_both_msg_and_message_keeps_its_code() {
    let body = r#"{"code":99991663,"msg":"Invalid access token","message":"Invalid access token"}"#;
    let error = Shape::Data
        .decode::<Value>(response(400, &[], body))
        .map_err(feishu_core::Error::from)
        .expect_err("a non-zero code");
    assert_eq!(error.code(), Some(codes::TENANT_ACCESS_TOKEN_INVALID));
}

#[test]
fn error_object_survives_one_ill_typed_field() {
    for error_object in [
        r#"{"log_id":"from-body","troubleshooter":"see log","details":null}"#,
        r#"{"log_id":"from-body","troubleshooter":"see log","details":[{"key":"retry_after","value":3}]}"#,
    ] {
        let body = format!(r#"{{"code":99991672,"msg":"denied","error":{error_object}}}"#);
        let error = match Shape::Data
            .decode::<Value>(response(400, &[], &body))
            .map_err(feishu_core::Error::from)
        {
            Err(Error::Api(error)) => error,
            other => panic!("{error_object}: expected Error::Api, got {other:?}"),
        };
        assert_eq!(error.log_id.as_deref(), Some("from-body"), "{error_object}");
        let details = error.details.expect("the `error` object is kept");
        assert_eq!(
            details.troubleshooter.as_deref(),
            Some("see log"),
            "{error_object}"
        );
    }
}
