//! The app_ticket event makes a marketplace app work: without a ticket its
//! call asks Feishu for one and fails at once; Feishu (the mock) pushes the
//! ticket to the webhook, which hands it to the client; the next call works.

use feishu_core::event::Webhook;
use feishu_core::{App, Config, Error, RawEndpoint};
use feishu_mock::{
    EventSecurity, MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_TENANT_KEY, MockServer,
    WebhookTarget,
};

use crate::server::Server;

const TOKEN: &str = "v-token-for-tickets";

fn config(mock: &MockServer) -> Config {
    Config::new(mock.url())
        .expect("the mock's URL is valid")
        .with_app(App::marketplace(MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET))
}

fn chats() -> RawEndpoint {
    RawEndpoint::get("/open-apis/im/v1/chats")
}

/// Runs the story with any adapter: `call` is one tenant call.
fn ticket_arrives_and_calls_work(
    mock: &MockServer,
    core: &feishu_core::Client,
    call: impl Fn() -> Result<serde_json::Value, Error>,
) {
    let server = Server::start(Webhook::token_only(TOKEN).app_tickets_to(core));
    mock.set_event_target(Some(WebhookTarget {
        url: server.url.clone(),
        security: EventSecurity::TokenOnly {
            verification_token: TOKEN.to_owned(),
        },
    }));

    let error = call().expect_err("no ticket yet");
    assert!(matches!(error, Error::AppTicketPending(None)), "{error:?}");

    // The resend makes the mock push the ticket, in the background.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while mock.deliveries().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "no app_ticket delivery"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(mock.deliveries()[0].delivered);

    let chats = call().expect("the ticket arrived through the webhook");
    assert_eq!(chats["items"][0]["tenant_key"], MARKETPLACE_TENANT_KEY);
}

#[test]
fn with_ureq() {
    let mock = MockServer::start();
    let client = feishu_ureq::Client::new(config(&mock));
    ticket_arrives_and_calls_work(&mock, client.core(), || {
        client.tenant(MARKETPLACE_TENANT_KEY).send(&chats())
    });
}

#[test]
fn with_reqwest() {
    let mock = MockServer::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = {
        let _guard = runtime.enter();
        feishu_reqwest::Client::new(config(&mock)).expect("a client")
    };
    ticket_arrives_and_calls_work(&mock, client.core(), || {
        runtime.block_on(client.tenant(MARKETPLACE_TENANT_KEY).send(&chats()))
    });
}
