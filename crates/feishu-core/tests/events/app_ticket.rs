//! The hourly `app_ticket` event feeds a marketplace `Client`, so its
//! next call buys the app token with that ticket.

use feishu_core::event::{EventKind, V1Event, Webhook};
use feishu_core::http::Request;
use feishu_core::{App, Client, Config, RawEndpoint, Step};
use serde_json::{Value, json};

use crate::*;

const APP_ID: &str = "cli_xxx";
const APP_SECRET: &str = "dskLLdkasdjlasdKK";
const TICKET: &str = "tk-7b3e9f1a2c4d6e8f";

fn marketplace(app_id: &str) -> Client {
    Client::new(
        Config::feishu().with_app(App::marketplace(app_id, APP_SECRET)),
        0x5eed,
    )
}

/// The documented `app_ticket` event sample, carrying `ticket` for `app_id`.
fn ticket_event(app_id: &str, ticket: &str) -> Request<Vec<u8>> {
    let mut json = body_json("v1_app_ticket.json");
    json["event"]["app_id"] = json!(app_id);
    json["event"]["app_ticket"] = json!(ticket);
    post(json.to_string().as_bytes())
}

/// The first request a marketplace call in tenant `t1` sends.
fn first_request(client: &Client) -> (String, Value) {
    let endpoint = RawEndpoint::get("/open-apis/im/v1/chats");
    let mut call = client.call(&endpoint).for_tenant("t1");
    match call.poll(now()) {
        Step::Send(request) => {
            let body = serde_json::from_slice(request.body()).unwrap_or(Value::Null);
            (request.uri().path().to_owned(), body)
        }
        Step::Wait(until) => panic!("expected a request, got a wait until {until:?}"),
        Step::Store(op) => panic!("expected a request, got {op:?}"),
        Step::Done(result) => panic!("expected a request, got {result:?}"),
    }
}

#[test]
fn without_the_event_the_call_asks_for_a_resend() {
    // The baseline: no ticket yet, so the client asks Feishu to push one.
    let client = marketplace(APP_ID);
    let (path, _) = first_request(&client);
    assert_eq!(path, "/open-apis/auth/v3/app_ticket/resend");
}

#[test]
fn app_ticket_event_feeds_the_client() {
    let client = marketplace(APP_ID);
    let webhook = Webhook::token_only(V1_TOKEN).app_tickets_to(&client);
    let handled = webhook.handle(&ticket_event(APP_ID, TICKET), now());
    assert!(matches!(
        event(&handled).kind,
        EventKind::V1(V1Event::AppTicket(_))
    ));

    let (path, body) = first_request(&client);
    assert_eq!(path, "/open-apis/auth/v3/app_access_token");
    assert_eq!(
        body,
        json!({"app_id": APP_ID, "app_secret": APP_SECRET, "app_ticket": TICKET})
    );
}

#[test]
fn the_sample_ticket_feeds_the_client() {
    let client = marketplace(APP_ID);
    let webhook = Webhook::token_only(V1_TOKEN).app_tickets_to(&client);
    event(&webhook.handle(&post(body("v1_app_ticket.json").as_bytes()), now()));
    let (path, body) = first_request(&client);
    assert_eq!(path, "/open-apis/auth/v3/app_access_token");
    assert_eq!(body["app_ticket"], "xxx");
}

#[test]
fn a_newer_ticket_replaces_the_older() {
    let client = marketplace(APP_ID);
    let webhook = Webhook::token_only(V1_TOKEN).app_tickets_to(&client);
    event(&webhook.handle(&ticket_event(APP_ID, "tk-old"), now()));
    // The hourly push: a new uuid, a new ticket.
    let mut json = body_json("v1_app_ticket.json");
    json["uuid"] = json!("0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a");
    json["event"]["app_ticket"] = json!("tk-new");
    event(&webhook.handle(&post(json.to_string().as_bytes()), now()));
    assert_eq!(first_request(&client).1["app_ticket"], "tk-new");
}

#[test]
fn a_refused_ticket_event_does_not_feed_the_client() {
    let client = marketplace(APP_ID);
    let webhook = Webhook::token_only(VT).app_tickets_to(&client);
    let handled = webhook.handle(&ticket_event(APP_ID, TICKET), now());
    assert_eq!(handled.response.status(), 401);
    assert_eq!(
        first_request(&client).0,
        "/open-apis/auth/v3/app_ticket/resend"
    );
}

#[test]
fn a_self_built_client_still_gets_the_event_delivered() {
    let client = Client::new(
        Config::feishu().with_app(App::self_built(APP_ID, APP_SECRET)),
        0x5eed,
    );
    let webhook = Webhook::token_only(V1_TOKEN).app_tickets_to(&client);
    let handled = webhook.handle(&ticket_event(APP_ID, TICKET), now());
    assert!(matches!(
        event(&handled).kind,
        EventKind::V1(V1Event::AppTicket(_))
    ));
}

#[test]
fn a_ticket_for_another_app_does_not_feed_the_client() {
    let client = marketplace(APP_ID);
    let webhook = Webhook::token_only(V1_TOKEN).app_tickets_to(&client);
    event(&webhook.handle(&ticket_event("cli_other_app", TICKET), now()));
    assert_eq!(
        first_request(&client).0,
        "/open-apis/auth/v3/app_ticket/resend"
    );
}
