//! Marketplace (store) apps: the `app_ticket`, its throttled resend, the app
//! token bought with it, and one tenant token per `tenant_key`.

use feishu_core::{Error, InvalidRequest, RawEndpoint, codes};
use serde_json::{Value, json};

use crate::harness::*;

fn ticket_resend() -> Expect {
    Expect::token_request(TICKET_RESEND, app_credentials())
}

fn app_token_request() -> Expect {
    Expect::token_request(
        APP_TOKEN_STORE,
        json!({"app_id": APP_ID, "app_secret": APP_SECRET, "app_ticket": APP_TICKET}),
    )
}

fn tenant_token_request_for(app_token: &str, tenant_key: &str) -> Expect {
    Expect::token_request(
        TENANT_TOKEN_STORE,
        json!({"app_access_token": app_token, "tenant_key": tenant_key}),
    )
}

/// A marketplace call of the chats endpoint in `tenant`, driven at `now`.
fn chats_in(
    client: &feishu_core::Client,
    tenant: &str,
    now: std::time::SystemTime,
    server: impl Server,
) -> (Result<Value, Error>, Vec<Sent>) {
    let endpoint = chats();
    let call = client.call(&endpoint).for_tenant(tenant);
    drive(call, now, server)
}

fn assert_pending(result: &Result<Value, Error>) -> Option<i64> {
    match result {
        Err(Error::AppTicketPending(rejection)) => rejection.as_ref().map(|e| e.code),
        other => panic!("expected AppTicketPending, got {other:?}"),
    }
}

#[test]
fn without_a_ticket_a_resend_is_requested_and_the_call_reports_pending() {
    let client = marketplace();
    let (result, seen) = chats_in(
        &client,
        TENANT_KEY,
        t0(),
        script([(ticket_resend(), ticket_resent())]),
    );
    assert_eq!(assert_pending(&result), None);
    assert_eq!(paths(&seen), [TICKET_RESEND]);
}

#[test]
fn within_30_seconds_of_a_resend_the_call_reports_pending_without_sending() {
    let client = marketplace();
    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        t0(),
        script([(ticket_resend(), ticket_resent())]),
    );
    assert_pending(&result);

    let (result, seen) = chats_in(&client, TENANT_KEY, after(29), script([]));
    assert_eq!(assert_pending(&result), None);
    assert!(seen.is_empty());
}

#[test]
fn resend_may_go_out_again_after_30_seconds() {
    let client = marketplace();
    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        t0(),
        script([(ticket_resend(), ticket_resent())]),
    );
    assert_pending(&result);

    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        after(30),
        script([(ticket_resend(), ticket_resent())]),
    );
    assert_pending(&result);
}

#[test]
fn failed_resend_is_returned() {
    // RESEND_APP_TICKET_FAILED: not a store app.
    let client = marketplace();
    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        t0(),
        script([(
            ticket_resend(),
            failure(
                200,
                codes::RESEND_APP_TICKET_FAILED,
                "resend app ticket failed",
            ),
        )]),
    );
    assert_eq!(api_code(&result), codes::RESEND_APP_TICKET_FAILED);
}

#[test]
fn with_a_ticket_the_app_token_buys_the_tenant_token() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let (result, seen) = chats_in(
        &client,
        TENANT_KEY,
        after(1),
        script([
            (app_token_request(), app_token(APP_TOKEN, 7140)),
            (
                tenant_token_request_for(APP_TOKEN, TENANT_KEY),
                store_tenant_token(TENANT_TOKEN, 7200),
            ),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    assert_eq!(result.expect("the chats"), chat_list());
    assert_eq!(seen.len(), 3);
}

#[test]
fn a_resend_then_the_ticket_event_then_a_successful_call() {
    let client = marketplace();
    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        t0(),
        script([(ticket_resend(), ticket_resent())]),
    );
    assert_pending(&result);

    // The app_ticket event arrives two seconds later.
    client
        .set_app_ticket(APP_TICKET, after(2))
        .expect("a marketplace app");
    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        after(3),
        script([
            (app_token_request(), app_token(APP_TOKEN, 7140)),
            (
                tenant_token_request_for(APP_TOKEN, TENANT_KEY),
                store_tenant_token(TENANT_TOKEN, 7200),
            ),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the chats");
}

#[test]
fn tenant_call_without_a_tenant_key_is_refused_before_sending() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let (result, seen) = drive(client.call(&chats()), t0(), script([]));
    assert!(
        matches!(
            result,
            Err(Error::InvalidRequest(InvalidRequest::MissingTenantKey))
        ),
        "{result:?}"
    );
    assert!(seen.is_empty());
}

#[test]
fn tenants_get_their_own_tenant_tokens_and_share_the_app_token() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        t0(),
        script([
            (app_token_request(), app_token(APP_TOKEN, 7140)),
            (
                tenant_token_request_for(APP_TOKEN, TENANT_KEY),
                store_tenant_token(TENANT_TOKEN, 7200),
            ),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the first tenant");

    // The second tenant reuses the app token: no app token request.
    let (result, _) = chats_in(
        &client,
        OTHER_TENANT_KEY,
        after(1),
        script([
            (
                tenant_token_request_for(APP_TOKEN, OTHER_TENANT_KEY),
                store_tenant_token(TENANT_TOKEN_2, 7200),
            ),
            (chats_with(TENANT_TOKEN_2), data(chat_list())),
        ]),
    );
    result.expect("the second tenant");

    // Each tenant's warm call sends its own token.
    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        after(2),
        script([(chats_with(TENANT_TOKEN), data(chat_list()))]),
    );
    result.expect("the first tenant again");
    let (result, _) = chats_in(
        &client,
        OTHER_TENANT_KEY,
        after(2),
        script([(chats_with(TENANT_TOKEN_2), data(chat_list()))]),
    );
    result.expect("the second tenant again");
}

#[test]
fn marketplace_app_endpoint_needs_no_tenant_key() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let (result, _) = drive(
        client.call(&app_info()),
        t0(),
        script([
            (app_token_request(), app_token(APP_TOKEN, 7140)),
            (Expect::api(APP_INFO, APP_TOKEN), data(json!({}))),
        ]),
    );
    result.expect("the app call");
}

#[test]
fn rejected_ticket_is_forgotten_and_a_resend_requested() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let (result, seen) = chats_in(
        &client,
        TENANT_KEY,
        after(1),
        script([
            (
                app_token_request(),
                failure(
                    200,
                    codes::APP_TICKET_INVALID,
                    "get app access token failed",
                ),
            ),
            (ticket_resend(), ticket_resent()),
        ]),
    );
    assert_eq!(assert_pending(&result), Some(codes::APP_TICKET_INVALID));
    assert_eq!(paths(&seen), [APP_TOKEN_STORE, TICKET_RESEND]);

    // The rejected ticket is gone: the next call asks for a resend again.
    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        after(40),
        script([(ticket_resend(), ticket_resent())]),
    );
    assert_eq!(assert_pending(&result), None);
}

#[test]
fn rejected_ticket_within_the_resend_window_reports_the_rejection_without_a_resend() {
    let client = marketplace();
    let (result, _) = chats_in(
        &client,
        TENANT_KEY,
        t0(),
        script([(ticket_resend(), ticket_resent())]),
    );
    assert_pending(&result);
    client
        .set_app_ticket(APP_TICKET, after(1))
        .expect("a marketplace app");

    let (result, seen) = chats_in(
        &client,
        TENANT_KEY,
        after(2),
        script([(
            app_token_request(),
            failure(
                200,
                codes::APP_TICKET_INVALID,
                "get app access token failed",
            ),
        )]),
    );
    assert_eq!(assert_pending(&result), Some(codes::APP_TICKET_INVALID));
    assert_eq!(paths(&seen), [APP_TOKEN_STORE]);
}

#[test]
fn ticket_is_trusted_for_12_hours() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let endpoint = app_info();
    let (result, _) = drive(
        client.call(&endpoint),
        after(12 * 3600 - 1),
        script([
            (app_token_request(), app_token(APP_TOKEN, 7140)),
            (Expect::api(APP_INFO, APP_TOKEN), data(json!({}))),
        ]),
    );
    result.expect("a ticket 12 h old less a second");

    let other = marketplace();
    other
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let (result, _) = drive(
        other.call(&endpoint),
        after(12 * 3600),
        script([(ticket_resend(), ticket_resent())]),
    );
    assert_pending(&result);
}

#[test]
fn dead_app_token_found_buying_a_tenant_token_is_replaced_once() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let (result, _) = drive(
        client.call(&app_info()),
        t0(),
        script([
            (app_token_request(), app_token(APP_TOKEN, 7140)),
            (Expect::api(APP_INFO, APP_TOKEN), data(json!({}))),
        ]),
    );
    result.expect("the app token is cached");

    let (result, seen) = chats_in(
        &client,
        TENANT_KEY,
        after(60),
        script([
            (
                tenant_token_request_for(APP_TOKEN, TENANT_KEY),
                failure(400, codes::APP_ACCESS_TOKEN_INVALID, "invalid app token"),
            ),
            (app_token_request(), app_token(APP_TOKEN_2, 7140)),
            (
                tenant_token_request_for(APP_TOKEN_2, TENANT_KEY),
                store_tenant_token(TENANT_TOKEN, 7200),
            ),
            (chats_with(TENANT_TOKEN), data(chat_list())),
        ]),
    );
    result.expect("the chats");
    assert_eq!(seen.len(), 4);
}

#[test]
fn set_app_ticket_without_an_app_is_refused() {
    let client = feishu_core::Client::new(feishu_core::Config::feishu(), 0x5eed);
    let result = client.set_app_ticket(APP_TICKET, t0());
    assert!(
        matches!(result, Err(Error::InvalidRequest(InvalidRequest::NoApp))),
        "{result:?}"
    );
}

#[test]
fn marketplace_app_token_answer_with_a_tenant_token_is_accepted() {
    // call.rs, `Pending::AppToken`: the answer's `tenant_access_token` is
    // cached under `client.tenant_token_key(None)?`, which for a marketplace
    // app is `Err(MissingTenantKey)`, so a successful answer ends the call with
    // an error about the caller's request, and the app token is not cached.
    // A marketplace app has no "own" tenant; the extra field should be ignored.
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let both = json_reply(
        200,
        json!({"code": 0, "msg": "success", "app_access_token": APP_TOKEN, "tenant_access_token": TENANT_TOKEN, "expire": 7140}),
    );
    let (result, _) = drive(
        client.call(&app_info()),
        t0(),
        script([
            (app_token_request(), both),
            (Expect::api(APP_INFO, APP_TOKEN), data(json!({}))),
        ]),
    );
    result.expect("the app call");
}

#[test]
fn self_built_app_token_rejected_with_10012_is_returned() {
    // call.rs `Pending::AppToken`: APP_TICKET_INVALID releases the lease,
    // forgets the ticket if there was one and returns Ok, so the next poll
    // builds the same app-token request again. A marketplace app then finds no ticket and stops
    // with AppTicketPending; a self-built app has no ticket to lose and repeats
    // the request, without backoff, until the retry policy's deadline (5 min).
    let client = self_built();
    let endpoint: RawEndpoint = app_info();
    let (result, seen) = drive(client.call(&endpoint), t0(), |_: &Sent| {
        failure(
            200,
            codes::APP_TICKET_INVALID,
            "get app access token failed",
        )
    });
    assert_eq!(
        result.err().and_then(|e| e.code()),
        Some(codes::APP_TICKET_INVALID)
    );
    assert_eq!(paths(&seen), [APP_TOKEN_INTERNAL]);
}

#[test]
fn resend_lost_to_a_transport_error_is_repeated() {
    // call.rs treats `Pending::TicketResend` as safe to repeat, so a timeout
    // on it backs off and polls again; but `Client::may_resend_app_ticket`
    // recorded the first attempt, so the repeat finds the resend throttled
    // and the call ends with AppTicketPending(None), saying a resend was
    // requested when none reached Feishu (and none may for 30 s).
    let client = marketplace();
    let (result, seen) = chats_in(
        &client,
        TENANT_KEY,
        t0(),
        script([
            (
                ticket_resend(),
                transport(feishu_core::TransportErrorKind::Timeout),
            ),
            (ticket_resend(), ticket_resent()),
        ]),
    );
    assert_eq!(assert_pending(&result), None);
    assert_eq!(paths(&seen), [TICKET_RESEND, TICKET_RESEND]);
}
