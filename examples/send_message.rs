//! Send a text, a rich post and a card.
//!
//! ```sh
//! cargo run --example send_message
//! ```
//!
//! Offline by default: it starts feishu-mock in-process, sends to one of its
//! chats and reads the chat back. With `FEISHU_APP_ID`, `FEISHU_APP_SECRET`
//! and `FEISHU_RECEIVE_ID` (a chat `oc_…`, an `ou_…` open_id or an email) set,
//! it sends to Feishu (`FEISHU_BASE_URL`, default https://open.feishu.cn).

use std::env;
use std::error::Error as StdError;

use feishu_core::im::content::{Card, MessageContent, Post, PostElement, PostLocale};
use feishu_core::im::message::{ListMessages, SendMessage};
use feishu_core::{FEISHU_BASE_URL, Pager};
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use feishu_ureq::{App, Client, Config};

fn main() -> Result<(), Box<dyn StdError>> {
    let real = (
        env::var("FEISHU_APP_ID"),
        env::var("FEISHU_APP_SECRET"),
        env::var("FEISHU_RECEIVE_ID"),
    );
    if let (Ok(app_id), Ok(app_secret), Ok(receive_id)) = real {
        let base_url = env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.into());
        let client =
            Client::new(Config::new(&base_url)?.with_app(App::self_built(app_id, app_secret)));
        return send_all(&client, &receive_id);
    }

    let mock = MockServer::start();
    println!("Offline: feishu-mock at {}\n", mock.url());
    let config = Config::new(mock.url())?
        .with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    let client = Client::new(config);
    send_all(&client, "oc_mock_general")?;

    println!("\nThe chat now holds:");
    for message in client.items(Pager::new(ListMessages::chat("oc_mock_general"))) {
        let message = message?;
        println!(
            "  {} {:<11} {:?}",
            message.message_id,
            message.msg_type,
            message.content()
        );
    }
    Ok(())
}

fn send_all(client: &Client, receive_id: &str) -> Result<(), Box<dyn StdError>> {
    let text = MessageContent::text("Hello from feishu-rs");

    let post = MessageContent::Post(
        Post::new()
            .locale(
                "en_us",
                PostLocale::new("Release notes")
                    .paragraph(vec![
                        PostElement::text("feishu-rs ").bold(),
                        PostElement::text("is a sans-IO SDK. "),
                        PostElement::link("Docs", "https://open.feishu.cn"),
                    ])
                    .paragraph(vec![PostElement::code_block(
                        "rust",
                        "client.send(&message)?;",
                    )]),
            )
            .locale(
                "zh_cn",
                PostLocale::new("发布说明").paragraph(vec![PostElement::text("你好")]),
            ),
    );

    let card = MessageContent::Interactive(Card::raw(serde_json::json!({
        "config": { "wide_screen_mode": true, "update_multi": true },
        "header": { "title": { "tag": "plain_text", "content": "Deploy finished" }, "template": "green" },
        "elements": [{ "tag": "div", "text": { "tag": "lark_md", "content": "**main** is live." } }],
    })));

    for (what, content) in [("text", text), ("post", post), ("card", card)] {
        let sent = client.send(&SendMessage::new(receive_id, content))?;
        println!("sent the {what:<4} as {}", sent.message_id);
    }
    Ok(())
}
