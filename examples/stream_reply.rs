//! An LLM-style answer streamed into a card: CardKit creates the card, the
//! reply carries it, and the text types out as it comes.
//!
//! ```sh
//! cargo run --example stream_reply
//! ```
//!
//! Offline by default: feishu-mock plays Feishu, a user asks a question,
//! the canned answer streams into the reply's card, and the card's final
//! JSON and the writes it took are printed, read back from the mock.
//!
//! Against Feishu, set `FEISHU_APP_ID` and `FEISHU_APP_SECRET` (the app
//! needs `cardkit:card:write` and `im:message:send_as_bot`), and say where
//! the answer goes: `FEISHU_MESSAGE_ID` (an `om_…` message to reply to) or
//! `FEISHU_CHAT_ID` (an `oc_…` chat the bot is in). `FEISHU_BASE_URL`
//! defaults to `https://open.feishu.cn`.

use std::env;
use std::error::Error as StdError;
use std::time::Duration;

use feishu_core::FEISHU_BASE_URL;
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use feishu_reqwest::{App, Client, Config};
use futures_util::{Stream, StreamExt, stream};

/// The answer, as a model streams it: a token every 30 ms.
fn canned_answer() -> impl Stream<Item = String> {
    const ANSWER: &str = "Rust's ownership model gives each value one owner. \
        When the owner goes out of scope, the value is dropped: no garbage \
        collector, no double free. Borrowing lends access without giving \
        up ownership, and the borrow checker proves, at compile time, that \
        no reference outlives its value and that **shared** and **mutable** \
        access never overlap.";
    let tokens: Vec<String> = ANSWER.split_inclusive(' ').map(String::from).collect();
    stream::iter(tokens).then(|token| async move {
        tokio::time::sleep(Duration::from_millis(30)).await;
        token
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn StdError>> {
    let real = (env::var("FEISHU_APP_ID"), env::var("FEISHU_APP_SECRET"));
    if let (Ok(app_id), Ok(app_secret)) = real {
        let base_url = env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.into());
        let client =
            Client::new(Config::new(&base_url)?.with_app(App::self_built(app_id, app_secret)))?;
        let streamed = match (env::var("FEISHU_MESSAGE_ID"), env::var("FEISHU_CHAT_ID")) {
            (Ok(message_id), _) => client.stream_reply(message_id, canned_answer()).await?,
            (_, Ok(chat_id)) => client.stream_to(chat_id, canned_answer()).await?,
            _ => {
                return Err(
                    "set FEISHU_MESSAGE_ID (om_…, to reply to) or FEISHU_CHAT_ID (oc_…)".into(),
                );
            }
        };
        println!(
            "streamed {} characters into card {} (message {}) in {} operations",
            streamed.chars_written, streamed.card_id, streamed.message_id, streamed.operations
        );
        return Ok(());
    }
    offline().await
}

/// The whole loop on 127.0.0.1, against feishu-mock.
async fn offline() -> Result<(), Box<dyn StdError>> {
    let mock = MockServer::start();
    let config = Config::new(mock.url())?
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    let client = Client::new(config)?;
    println!("Offline: feishu-mock at {}", mock.url());

    let question = mock.post_user_message(
        "oc_mock_general",
        "ou_mock_user",
        "text",
        r#"{"text":"What is ownership in Rust?"}"#,
    );
    println!("user: What is ownership in Rust?");
    let streamed = client.stream_reply(&question, canned_answer()).await?;
    println!(
        "bot: {} characters in card {} (message {}), {} operations, streaming off",
        streamed.chars_written, streamed.card_id, streamed.message_id, streamed.operations
    );

    let card = mock
        .card(streamed.card_id.as_str())
        .ok_or("the mock has no such card")?;
    for write in card
        .writes
        .iter()
        .filter(|w| w.operation == "card_element.content")
    {
        let shown = write.content.as_deref().unwrap_or_default();
        println!(
            "  write #{}: {} characters",
            write.sequence.unwrap_or(0),
            shown.chars().count()
        );
    }
    println!(
        "The card's final JSON:\n{}",
        serde_json::to_string_pretty(&card.card)?
    );
    Ok(())
}
