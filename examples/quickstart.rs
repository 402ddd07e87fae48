//! Get tenant access tokens the way open-feishu's `get_tenant_access_token` does.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With no `FEISHU_APP_ID` set, it starts feishu-mock in-process and runs every
//! flow offline. With `FEISHU_APP_ID` and `FEISHU_APP_SECRET` set, it runs the
//! self-built flow against `FEISHU_BASE_URL` (default https://open.feishu.cn).
//! Tokens and secrets are never printed.

use std::env;
use std::error::Error as StdError;

use feishu_core::auth::AppAccessTokenRequest;
use feishu_core::{FEISHU_BASE_URL, Secret};
use feishu_ureq::{Client, Config, Error};

fn main() -> Result<(), Box<dyn StdError>> {
    match (env::var("FEISHU_APP_ID"), env::var("FEISHU_APP_SECRET")) {
        (Ok(app_id), Ok(app_secret)) => {
            let base_url = env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.into());
            println!("Feishu at {base_url}, app {app_id}\n");
            let client = Client::new(Config::new(&base_url)?);
            self_built(&client, &app_id, &app_secret);
            invalid_prefix(&client);
        }
        (Ok(_), Err(_)) => return Err("FEISHU_APP_ID is set but FEISHU_APP_SECRET is not".into()),
        _ => offline()?,
    }
    Ok(())
}

/// Every flow against feishu-mock, started in-process on 127.0.0.1.
fn offline() -> Result<(), Box<dyn StdError>> {
    use feishu_mock::*;

    let mock = MockServer::start();
    println!(
        "No FEISHU_APP_ID set: using feishu-mock at {}\n",
        mock.url()
    );
    let client = Client::new(Config::new(mock.url())?);

    self_built(&client, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET);

    println!("Marketplace app {MARKETPLACE_APP_ID}, tenant {MARKETPLACE_TENANT_KEY}:");
    let app_token = client.send(&AppAccessTokenRequest::marketplace(
        MARKETPLACE_APP_ID,
        MARKETPLACE_APP_SECRET,
        MARKETPLACE_APP_TICKET,
    ))?;
    println!(
        "  app access token:    {}",
        describe(&app_token.app_access_token, app_token.expire)
    );
    let result =
        client.tenant_access_token(app_token.app_access_token.expose(), MARKETPLACE_TENANT_KEY);
    report(result);

    invalid_prefix(&client);
    Ok(())
}

fn self_built(client: &Client, app_id: &str, app_secret: &str) {
    println!("Self-built app {app_id}:");
    report(client.tenant_access_token(app_id, app_secret));
}

fn invalid_prefix(client: &Client) {
    println!("An input that is neither `cli_…` nor `a-…`:");
    report(client.tenant_access_token("not-an-app-id", "whatever"));
}

fn report(result: Result<feishu_core::auth::TenantAccessToken, Error>) {
    match result {
        Ok(token) => println!(
            "  tenant access token: {}\n",
            describe(&token.tenant_access_token, token.expire)
        ),
        Err(error) => println!("  error: {error}\n"),
    }
}

/// Shows what a token is without showing the token.
fn describe(token: &Secret, expire: u64) -> String {
    let kind = token.expose().get(..2).unwrap_or("?");
    format!(
        "{token} ({kind}…, {} chars), valid for {expire} s",
        token.expose().len()
    )
}
