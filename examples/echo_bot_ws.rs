//! An echo bot over the long connection: no public URL, no webhook; the bot
//! opens a WebSocket to Feishu and answers every text message with its echo.
//!
//! ```sh
//! cargo run --example echo_bot_ws
//! ```
//!
//! Offline by default: feishu-mock's gateway pushes the bot a message, the
//! bot replies through the API, the echo is printed and the bot shuts down.
//! For real, set `FEISHU_APP_ID` and `FEISHU_APP_SECRET` (and optionally
//! `FEISHU_BASE_URL`), choose "receive events through a long connection"
//! in the app's event settings, and stop it with Ctrl-C. The handler is the
//! one a webhook would run ([`Webhook::serve_async`] takes the same
//! [`Dispatcher`]).
//!
//! [`Webhook::serve_async`]: feishu_core::event::Webhook::serve_async

use std::env;
use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use feishu_core::FEISHU_BASE_URL;
use feishu_core::event::types::MESSAGE_RECEIVED;
use feishu_core::event::{Async, Dispatcher, EventHeader, HandlerError, MessageReceived};
use feishu_core::im::content::{MessageContent, ReceivedContent};
use feishu_core::im::message::ReplyMessage;
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use feishu_reqwest::{App, Client, Config};

/// Answers a text message with its echo. The uuid comes from the event id:
/// a redelivered event cannot make the bot answer twice.
async fn echo(
    client: Client,
    header: EventHeader,
    received: MessageReceived,
) -> Result<(), HandlerError> {
    if let ReceivedContent::Text { text } = received.message.content() {
        let reply = ReplyMessage::new(
            received.message.message_id,
            MessageContent::text(format!("echo: {text}")),
        )
        .uuid(format!("echo-{}", header.event_id.unwrap_or_default()));
        client.send(&reply).await?;
    }
    Ok(())
}

/// The bot's handlers, for the long connection or a webhook alike.
fn handlers(client: &Client) -> Dispatcher<Async> {
    let client = client.clone();
    Dispatcher::new_async().on(MESSAGE_RECEIVED, move |header, received| {
        echo(client.clone(), header, received)
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn StdError>> {
    if let (Ok(app_id), Ok(app_secret)) = (env::var("FEISHU_APP_ID"), env::var("FEISHU_APP_SECRET"))
    {
        let base_url = env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.into());
        let client =
            Client::new(Config::new(&base_url)?.with_app(App::self_built(app_id, app_secret)))?;
        let connection = Arc::new(client.long_connection(handlers(&client)));
        let stop = Arc::clone(&connection);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                println!("stopping: the handlers out finish first");
                stop.shutdown();
            }
        });
        println!("echo bot connected to {base_url} over the long connection; Ctrl-C stops it");
        connection.run().await?;
        return Ok(());
    }
    offline().await
}

/// The whole loop on 127.0.0.1: mock gateway → bot → reply → mock Feishu.
async fn offline() -> Result<(), Box<dyn StdError>> {
    let mock = MockServer::start();
    let config = Config::new(mock.url())?
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    let client = Client::new(config)?;
    let connection = Arc::new(client.long_connection(handlers(&client)));
    let running = tokio::spawn({
        let connection = Arc::clone(&connection);
        async move { connection.run().await }
    });
    println!("Offline: feishu-mock at {}", mock.url());

    let echoed = async {
        while mock.ws_connections() == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let event = mock.message_event("oc_mock_general", "ou_mock_user", "hello, bot", "");
        mock.push_event(event);
        println!("user → bot: \"hello, bot\" (over the long connection)");
        loop {
            let messages = mock.messages();
            if let Some(echo) = messages.iter().find(|m| m.content.contains("echo:")) {
                return echo.content.clone();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let echo = tokio::time::timeout(Duration::from_secs(10), echoed).await;
    connection.shutdown();
    running.await??;
    match echo {
        Ok(echo) => {
            println!("bot → chat: {echo}");
            println!("ACKs the gateway got: {}", mock.ack_count());
            Ok(())
        }
        Err(_) => Err("the bot did not answer".into()),
    }
}
