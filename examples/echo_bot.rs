//! An echo bot: an axum webhook that answers every text message with its echo.
//!
//! ```sh
//! cargo run --example echo_bot
//! ```
//!
//! Offline by default: feishu-mock sends the bot a message (signed and
//! encrypted as Feishu does), the bot replies through the API, and the echo
//! is printed. For real, set `FEISHU_APP_ID`, `FEISHU_APP_SECRET`,
//! `FEISHU_ENCRYPT_KEY` and `FEISHU_VERIFICATION_TOKEN` (and optionally
//! `FEISHU_BASE_URL`, `PORT`): it serves `POST /webhook` until stopped.

use std::env;
use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::post;
use feishu_core::FEISHU_BASE_URL;
use feishu_core::event::{Delivery, EventKind, Webhook};
use feishu_core::im::content::{MessageContent, ReceivedContent};
use feishu_core::im::message::ReplyMessage;
use feishu_mock::{
    EventSecurity, MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET, WebhookTarget,
};
use feishu_reqwest::{App, Client, Config};

#[derive(Clone)]
struct Bot {
    webhook: Webhook,
    client: Client,
}

/// The webhook: the pipeline answers at once; replies go out afterwards, so
/// Feishu gets its 200 well within 3 s.
async fn webhook(State(bot): State<Bot>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, 1 << 20).await else {
        return Response::builder()
            .status(413)
            .body(Body::empty())
            .unwrap_or_default();
    };
    let handled = bot
        .webhook
        .handle(&http::Request::from_parts(parts, bytes), SystemTime::now());
    match handled.delivery {
        Delivery::Event(event) => {
            if let (EventKind::MessageReceived(received), Some(event_id)) =
                (event.kind, event.event_id)
                && let ReceivedContent::Text { text } = received.message.content()
            {
                // The uuid comes from the event id: a redelivered event
                // cannot make the bot answer twice.
                let reply = ReplyMessage::new(
                    received.message.message_id,
                    MessageContent::text(format!("echo: {text}")),
                )
                .uuid(format!("echo-{event_id}"));
                let client = bot.client.clone();
                tokio::spawn(async move {
                    if let Err(error) = client.send(&reply).await {
                        eprintln!("reply failed: {error}");
                    }
                });
            }
        }
        Delivery::Rejected(error) => eprintln!("refused a request: {error}"),
        _ => {}
    }
    handled.response.map(Body::from)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn StdError>> {
    let real = (
        env::var("FEISHU_APP_ID"),
        env::var("FEISHU_APP_SECRET"),
        env::var("FEISHU_ENCRYPT_KEY"),
        env::var("FEISHU_VERIFICATION_TOKEN"),
    );
    if let (Ok(app_id), Ok(app_secret), Ok(encrypt_key), Ok(token)) = real {
        let base_url = env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.into());
        let client =
            Client::new(Config::new(&base_url)?.with_app(App::self_built(app_id, app_secret)))?;
        let bot = Bot {
            webhook: Webhook::encrypted(encrypt_key).verification_token(token),
            client,
        };
        let port = env::var("PORT").unwrap_or_else(|_| "3000".into());
        let listener = tokio::net::TcpListener::bind(format!("0.0.0.0:{port}")).await?;
        println!("echo bot listening on {}/webhook", listener.local_addr()?);
        axum::serve(
            listener,
            Router::new()
                .route("/webhook", post(webhook))
                .with_state(bot),
        )
        .await?;
        return Ok(());
    }
    offline().await
}

/// The whole loop on 127.0.0.1: mock Feishu → webhook → reply → mock Feishu.
async fn offline() -> Result<(), Box<dyn StdError>> {
    const ENCRYPT_KEY: &str = "echo-bot-encrypt-key";
    const TOKEN: &str = "echo-bot-verification-token";

    let mock = Arc::new(MockServer::start());
    let config = Config::new(mock.url())?
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    let bot = Bot {
        webhook: Webhook::encrypted(ENCRYPT_KEY).verification_token(TOKEN),
        client: Client::new(config)?,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/webhook", listener.local_addr()?);
    tokio::spawn(
        axum::serve(
            listener,
            Router::new()
                .route("/webhook", post(webhook))
                .with_state(bot),
        )
        .into_future(),
    );
    println!("Offline: feishu-mock at {}, the bot at {url}", mock.url());

    let target = WebhookTarget {
        url,
        security: EventSecurity::Encrypted {
            encrypt_key: ENCRYPT_KEY.into(),
            verification_token: TOKEN.into(),
        },
    };
    let event = mock.message_event("oc_mock_general", "ou_mock_user", "hello, bot", TOKEN);
    // Delivery blocks until the bot answers: off the async threads.
    let delivering = Arc::clone(&mock);
    let report =
        tokio::task::spawn_blocking(move || delivering.deliver_event(&target, &event)).await?;
    println!(
        "user → bot: \"hello, bot\" (delivered: {}, {} attempt)",
        report.delivered,
        report.attempts.len()
    );

    for _ in 0..100 {
        if let Some(echo) = mock
            .messages()
            .into_iter()
            .find(|m| m.content.contains("echo:"))
        {
            println!("bot → chat: {}", echo.content);
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err("the bot did not answer".into())
}
