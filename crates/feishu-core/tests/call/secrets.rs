//! No secret in any `Debug` or `Display` form a call produces: the
//! client, user tokens, the `Step::Send` requests, and every error.

use feishu_core::{Client, Config, Error, Secret, TransportErrorKind, UserToken, codes};
use serde_json::{Value, json};

use crate::harness::*;

/// Every secret the tests below put anywhere.
const SECRETS: [&str; 11] = [
    APP_SECRET,
    APP_TICKET,
    APP_TOKEN,
    APP_TOKEN_2,
    TENANT_TOKEN,
    TENANT_TOKEN_2,
    USER_ACCESS,
    USER_ACCESS_2,
    USER_REFRESH,
    USER_REFRESH_2,
    "t-given-by-the-caller",
];

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
    }
}

fn assert_error_shows_no_secret(error: &Error) {
    assert_no_secret("an error's Debug", &format!("{error:?}"));
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(error) = source {
        assert_no_secret("an error's Display", &error.to_string());
        source = error.source();
    }
}

/// A user whose tokens were issued at `t0`, valid 7200 s.
fn user() -> UserToken {
    let body = user_token_body(USER_ACCESS, Some(USER_REFRESH), 7200);
    UserToken::new(serde_json::from_value(body).expect("a user token"), t0())
}

/// Runs the flows of the other modules, keeping every request and result.
fn every_flow() -> (Vec<Sent>, Vec<Error>) {
    let mut requests = Vec::new();
    let mut errors = Vec::new();
    let mut keep = |(result, seen): (Result<Value, Error>, Vec<Sent>)| {
        requests.extend(seen);
        if let Err(error) = result {
            errors.push(error);
        }
    };

    // Self-built: cold, repaired twice, then refused.
    let client = self_built();
    keep(drive(
        client.call(&chats()),
        t0(),
        |seen: &Sent| match seen.path.as_str() {
            TENANT_TOKEN_INTERNAL => tenant_token(TENANT_TOKEN, 7200),
            _ => tenant_token_invalid(),
        },
    ));
    keep(drive(
        self_built_never_retrying().call(&app_info()),
        t0(),
        |seen: &Sent| match seen.path.as_str() {
            APP_TOKEN_INTERNAL => app_token_internal(APP_TOKEN, TENANT_TOKEN_2, 7200),
            _ => transport(TransportErrorKind::Timeout),
        },
    ));
    // Retried until the policy gives up.
    keep(drive(
        client.call(&chats()),
        t0(),
        |seen: &Sent| match seen.path.as_str() {
            TENANT_TOKEN_INTERNAL => tenant_token(TENANT_TOKEN_2, 7200),
            _ => failure(503, codes::INTERNAL_ERROR, "internal error"),
        },
    ));
    let given = chats();
    keep(drive(
        client
            .call(&given)
            .with_token(Secret::new("t-given-by-the-caller")),
        t0(),
        |_: &Sent| tenant_token_invalid(),
    ));
    // A token answer that is not what was promised keeps its bytes unshown.
    keep(drive(client.call(&chats()), after(7200), |_: &Sent| {
        json_reply(
            200,
            json!({"code": 0, "tenant_access_token": TENANT_TOKEN_2, "expire": "soon"}),
        )
    }));
    keep(drive(
        Client::new(Config::feishu(), 0x5eed).call(&chats()),
        t0(),
        |_: &Sent| data(json!({})),
    ));

    // Marketplace: pending, then a rejected ticket, then no tenant key.
    let store = marketplace();
    let endpoint = chats();
    keep(drive(
        store.call(&endpoint).for_tenant(TENANT_KEY),
        t0(),
        |_: &Sent| ticket_resent(),
    ));
    store
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    keep(drive(
        store.call(&endpoint).for_tenant(TENANT_KEY),
        after(60),
        |seen: &Sent| match seen.path.as_str() {
            APP_TOKEN_STORE => failure(
                200,
                codes::APP_TICKET_INVALID,
                "get app access token failed",
            ),
            _ => ticket_resent(),
        },
    ));
    store
        .set_app_ticket(APP_TICKET, after(61))
        .expect("a marketplace app");
    keep(drive(
        store.call(&endpoint).for_tenant(TENANT_KEY),
        after(62),
        |seen: &Sent| match seen.path.as_str() {
            APP_TOKEN_STORE => app_token(APP_TOKEN, 7140),
            TENANT_TOKEN_STORE => store_tenant_token(TENANT_TOKEN, 7200),
            _ => data(json!({})),
        },
    ));
    keep(drive(store.call(&endpoint), after(62), |_: &Sent| {
        data(json!({}))
    }));

    // Users: refreshed, refused, expired.
    let user_endpoint = user_info();
    let user = user();
    keep(drive(
        client.call(&user_endpoint).as_user(&user),
        after(7000),
        |seen: &Sent| match seen.path.as_str() {
            OAUTH_TOKEN => user_tokens(USER_ACCESS_2, USER_REFRESH_2, 7200),
            _ => data(json!({})),
        },
    ));
    keep(drive(
        client.call(&user_endpoint).as_user(&user),
        after(7000 + 7200),
        |_: &Sent| {
            json_reply(
                400,
                json!({"code": "20073", "error": "invalid_grant", "error_description": "The refresh token has been used."}),
            )
        },
    ));
    let without_refresh = body_without_refresh();
    keep(drive(
        client.call(&user_endpoint).as_user(&without_refresh),
        after(7200),
        |_: &Sent| data(json!({})),
    ));

    (requests, errors)
}

fn body_without_refresh() -> UserToken {
    let body = user_token_body(USER_ACCESS, None, 7200);
    UserToken::new(serde_json::from_value(body).expect("a user token"), t0())
}

#[test]
fn client_debug_shows_no_secret() {
    let client = marketplace();
    client
        .set_app_ticket(APP_TICKET, t0())
        .expect("a marketplace app");
    let (result, _) = drive(client.call(&app_info()), t0(), |seen: &Sent| {
        match seen.path.as_str() {
            APP_TOKEN_STORE => app_token(APP_TOKEN, 7140),
            _ => data(json!({})),
        }
    });
    result.expect("a cached app token");
    assert_no_secret("the Client's Debug", &format!("{client:?}"));
    assert_no_secret("the Client's Debug", &format!("{:?}", self_built()));
}

#[test]
fn user_token_debug_shows_no_token() {
    let user = user();
    let debug = format!("{user:?}");
    assert_no_secret("a UserToken's Debug", &debug);
    assert!(debug.contains("has_refresh_token: true"), "{debug}");
    let debug = format!(
        "{:?}",
        UserToken::from_refresh_token(Secret::new(USER_REFRESH))
    );
    assert_no_secret("a UserToken's Debug", &debug);
}

#[test]
fn sent_requests_debug_shows_no_secret_as_text() {
    let (requests, _) = every_flow();
    assert!(requests.len() > 10, "{}", requests.len());
    for request in &requests {
        assert_no_secret(&format!("the Send of {}", request.path), &request.debug);
    }
}

#[test]
fn every_error_shows_no_secret() {
    let (_, errors) = every_flow();
    let kinds: Vec<String> = errors
        .iter()
        .map(|e| format!("{e:?}").chars().take_while(|c| *c != '(').collect())
        .collect();
    for kind in [
        "Api",
        "Exhausted",
        "Transport",
        "UnexpectedResponse",
        "InvalidRequest",
        "AppTicketPending",
        "UserTokenExpired",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} among {kinds:?}");
    }
    for error in &errors {
        assert_error_shows_no_secret(error);
    }
}

#[test]
fn sent_token_request_debug_does_not_spell_the_secret_in_bytes() {
    // `Step` derives Debug, and http::Request's Debug prints the Vec<u8> body
    // as `[123, 34, 97, …]`: the app_secret (or refresh token, or code) is one
    // `String::from_utf8` away. Never log app_secret, not even at debug
    // level. Expected: Step's Debug leaves out (or redacts) the body.
    let (requests, _) = every_flow();
    for request in &requests {
        for secret in SECRETS {
            let bytes: Vec<String> = secret.bytes().map(|b| b.to_string()).collect();
            let spelled = bytes.join(", ");
            assert!(
                !request.debug.contains(&spelled),
                "the Send of {} spells {secret:?} in bytes",
                request.path
            );
        }
    }
}
