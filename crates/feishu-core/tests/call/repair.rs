//! Token repair: a token-invalid code drops the cached token,
//! fetches a new one and repeats the call, once; every other error is returned
//! as it came.

use feishu_core::{Error, TokenKind, codes};
use serde_json::json;

use crate::harness::*;

/// The codes that mean "the token you sent is no good" on a tenant call.
const TOKEN_INVALID: [i64; 5] = [
    codes::MISSING_ACCESS_TOKEN,
    codes::TENANT_ACCESS_TOKEN_INVALID,
    codes::APP_ACCESS_TOKEN_INVALID,
    codes::ACCESS_TOKEN_INVALID,
    codes::ACCESS_TOKEN_EXPIRED,
];

#[test]
fn token_invalid_code_refetches_the_token_and_repeats_once() {
    for code in TOKEN_INVALID {
        let client = self_built();
        let (result, seen) = drive(
            client.call(&chats()),
            t0(),
            script([
                (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
                (
                    chats_with(TENANT_TOKEN),
                    failure(400, code, "token refused"),
                ),
                (tenant_token_request(), tenant_token(TENANT_TOKEN_2, 7200)),
                (chats_with(TENANT_TOKEN_2), data(chat_list())),
            ]),
        );
        assert_eq!(result.expect("repaired"), chat_list(), "code {code}");
        assert_eq!(
            bearers(&seen, CHATS),
            [TENANT_TOKEN, TENANT_TOKEN_2],
            "code {code}"
        );
    }
}

#[test]
fn revoked_cached_token_is_replaced_and_kept() {
    let client = self_built();
    let (result, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the first call");

    // The cached token is revoked server-side an hour later.
    let (result, _) = drive(
        client.call(&chats()),
        after(3600),
        script([
            (chats_with(TENANT_TOKEN), tenant_token_invalid()),
            (tenant_token_request(), tenant_token(TENANT_TOKEN_2, 7200)),
            (chats_with(TENANT_TOKEN_2), data(chat_list())),
        ]),
    );
    result.expect("the repaired call");

    // The replacement is what later calls use.
    let (result, seen) = drive(
        client.call(&chats()),
        after(3601),
        script([(chats_with(TENANT_TOKEN_2), data(chat_list()))]),
    );
    result.expect("the next call");
    assert_eq!(paths(&seen), [CHATS]);
}

#[test]
fn app_token_invalid_on_an_app_endpoint_refetches_the_app_token() {
    let client = self_built();
    let (result, seen) = drive(
        client.call(&app_info()),
        t0(),
        script([
            (
                Expect::token_request(APP_TOKEN_INTERNAL, app_credentials()),
                app_token_internal(APP_TOKEN, TENANT_TOKEN, 7200),
            ),
            (
                Expect::api(APP_INFO, APP_TOKEN),
                failure(400, codes::APP_ACCESS_TOKEN_INVALID, "invalid app token"),
            ),
            (
                Expect::token_request(APP_TOKEN_INTERNAL, app_credentials()),
                app_token_internal(APP_TOKEN_2, TENANT_TOKEN_2, 7200),
            ),
            (Expect::api(APP_INFO, APP_TOKEN_2), data(json!({}))),
        ]),
    );
    result.expect("repaired");
    assert_eq!(count(&seen, APP_TOKEN_INTERNAL), 2);
}

#[test]
fn second_token_invalid_answer_is_returned_without_another_repair() {
    let client = self_built();
    let (result, seen) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), tenant_token_invalid()),
            (tenant_token_request(), tenant_token(TENANT_TOKEN_2, 7200)),
            (chats_with(TENANT_TOKEN_2), tenant_token_invalid()),
        ]),
    );
    assert_eq!(api_code(&result), codes::TENANT_ACCESS_TOKEN_INVALID);
    assert_eq!(count(&seen, CHATS), 2);
    assert_eq!(count(&seen, TENANT_TOKEN_INTERNAL), 2);
}

#[test]
fn repair_error_keeps_status_msg_and_log_id() {
    let client = self_built();
    let (result, _) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), tenant_token_invalid()),
            (tenant_token_request(), tenant_token(TENANT_TOKEN_2, 7200)),
            (chats_with(TENANT_TOKEN_2), tenant_token_invalid()),
        ]),
    );
    let Err(Error::Api(error)) = result else {
        panic!("expected an API error, got {result:?}");
    };
    assert_eq!(error.status, 400);
    assert!(
        error.msg.starts_with("Invalid access token"),
        "{}",
        error.msg
    );
    assert_eq!(
        error.log_id.as_deref(),
        Some("202407260711088FB107A76E0100002087")
    );
}

#[test]
fn business_error_is_returned_at_once() {
    let client = self_built();
    let (result, seen) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (
                chats_with(TENANT_TOKEN),
                failure(
                    400,
                    codes::BOT_NOT_IN_CHAT,
                    "The bot can not be outside the group.",
                ),
            ),
        ]),
    );
    assert_eq!(api_code(&result), codes::BOT_NOT_IN_CHAT);
    assert_eq!(paths(&seen), [TENANT_TOKEN_INTERNAL, CHATS]);
}

#[test]
fn permission_errors_are_returned_at_once_with_their_violations() {
    for code in [codes::ACCESS_DENIED, codes::TOKEN_NO_PERMISSION] {
        let client = self_built();
        let denied = json_reply(
            400,
            json!({
                "code": code,
                "msg": "Access denied. One of the following scopes is required: [im:chat:readonly]",
                "error": {
                    "log_id": "202407260711088FB107A76E0100002087",
                    "permission_violations": [{"type": "action_scope_required", "subject": "im:chat:readonly"}]
                }
            }),
        );
        let (result, seen) = drive(
            client.call(&chats()),
            t0(),
            script([
                (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
                (chats_with(TENANT_TOKEN), denied),
            ]),
        );
        let Err(Error::Api(error)) = result else {
            panic!("code {code}: expected an API error, got {result:?}");
        };
        assert_eq!(error.code, code);
        let details = error.details.expect("the error object");
        assert_eq!(
            details.permission_violations[0].subject.as_deref(),
            Some("im:chat:readonly")
        );
        assert_eq!(count(&seen, TENANT_TOKEN_INTERNAL), 1, "code {code}");
    }
}

#[test]
fn token_invalid_code_on_a_token_free_endpoint_is_returned_at_once() {
    // No token was sent, so there is nothing to repair.
    let client = self_built();
    let endpoint = chats().token(TokenKind::None);
    let (result, seen) = drive(
        client.call(&endpoint),
        t0(),
        script([(Expect::get(CHATS), tenant_token_invalid())]),
    );
    assert_eq!(api_code(&result), codes::TENANT_ACCESS_TOKEN_INVALID);
    assert_eq!(paths(&seen), [CHATS]);
}

#[test]
fn unreadable_answer_is_returned_without_repair() {
    let client = self_built_never_retrying();
    let html = feishu_core::http::Response::builder()
        .status(502)
        .header("content-type", "text/html")
        .body(b"<html><body>502 Bad Gateway</body></html>".to_vec())
        .expect("a response");
    let (result, seen) = drive(
        client.call(&chats()),
        t0(),
        script([
            (tenant_token_request(), tenant_token(TENANT_TOKEN, 7200)),
            (chats_with(TENANT_TOKEN), Answer::from(html)),
        ]),
    );
    let Err(Error::UnexpectedResponse(error)) = result else {
        panic!("expected an unexpected response, got {result:?}");
    };
    assert_eq!(error.status, 502);
    assert_eq!(paths(&seen), [TENANT_TOKEN_INTERNAL, CHATS]);
}

#[test]
fn failed_token_request_is_returned_without_a_retry() {
    // A bad app id answers HTTP 200 with a non-zero code.
    let client = self_built();
    let (result, seen) = drive(
        client.call(&chats()),
        t0(),
        script([(
            tenant_token_request(),
            failure(200, codes::INVALID_PARAM, "invalid param"),
        )]),
    );
    assert_eq!(api_code(&result), codes::INVALID_PARAM);
    assert_eq!(paths(&seen), [TENANT_TOKEN_INTERNAL]);
}
