//! N cached-token calls through feishu-reqwest or plain reqwest, for
//! `scripts/callgrind.sh` (instructions per call) and profilers.
//!
//! ```sh
//! cargo run --release --bench calls_reqwest -- sdk --url http://127.0.0.1:9000 --calls 200
//! ```
//!
//! A `[[bench]]` target without a harness, so CI compiles it; run without a
//! side (as `cargo bench` does) it prints its usage and exits.
//!
//! Everything runs on one thread (a current-thread tokio runtime), hyper's
//! connection task included. Both sides first make `--warmup` calls (default
//! 20), then `--calls` calls inside `measured_region`: `scripts/callgrind.sh`
//! counts whole runs of N and 2N calls and takes the difference, and
//! `--toggle-collect='*measured_region*'` isolates the calls as well. Each
//! call is `GET /open-apis/im/v1/chats` with the self-built app's tenant token:
//!
//! - `sdk`: `feishu_reqwest::Client::send(&RawEndpoint::get(..))`;
//! - `sdk-token`: `feishu_reqwest::Client::send_with_token(..)` with the
//!   token fetched by hand, as `raw` does: the path without the token cache;
//! - `raw`: a plain `reqwest::Client::new()` with the same URI and
//!   `Authorization: Bearer <the same token>`, the body parsed with
//!   `serde_json::from_slice::<Value>` and `code == 0` checked;
//! - `raw-timeout`: `raw`, but with the client built and each request given a
//!   timeout as feishu-reqwest does: isolates what that costs.

use std::error::Error as StdError;
use std::hint::black_box;
use std::time::Duration;

use feishu_core::RawEndpoint;
use feishu_reqwest::{App, Config, Secret};
use tokio::runtime::Runtime;

type BoxError = Box<dyn StdError>;

const CHATS: &str = "/open-apis/im/v1/chats";
const TOKEN: &str = "/open-apis/auth/v3/tenant_access_token/internal";
/// feishu-mock's self-built app (`feishu_mock::SELF_BUILT_APP_ID`, `_SECRET`).
const APP_ID: &str = "cli_mock_self_built";
const APP_SECRET: &str = "mock-self-built-secret";

const USAGE: &str =
    "usage: calls_reqwest <sdk|sdk-token|raw|raw-timeout> --url URL [--calls N] [--warmup N]";

/// The side, the mock's URL, the measured calls and the warm-up calls.
struct Args {
    mode: String,
    url: String,
    calls: usize,
    warmup: usize,
}

/// The arguments; `None` when there are none (`cargo bench` passes only
/// `--bench`).
fn args() -> Result<Option<Args>, BoxError> {
    let mut parsed = Args {
        mode: String::new(),
        url: String::new(),
        calls: 200,
        warmup: 20,
    };
    let mut args = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .peekable();
    if args.peek().is_none() {
        return Ok(None);
    }
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value; {USAGE}"))
        };
        match arg.as_str() {
            "--url" => parsed.url = value()?,
            "--calls" => parsed.calls = value()?.parse()?,
            "--warmup" => parsed.warmup = value()?.parse()?,
            "sdk" | "sdk-token" | "raw" | "raw-timeout" => parsed.mode = arg,
            _ => return Err(USAGE.into()),
        }
    }
    if parsed.mode.is_empty() || parsed.url.is_empty() {
        return Err(USAGE.into());
    }
    Ok(Some(parsed))
}

/// The calls before: not counted. (Kept apart from `measured_region` by its
/// body: the linker folds identical functions into one symbol.)
fn warmup(runtime: &Runtime, calls: usize, side: &Side) -> Result<(), BoxError> {
    runtime.block_on(async {
        for _ in 0..calls {
            side.call().await?;
        }
        Ok(())
    })
}

/// The calls callgrind counts. Not inlined, so its name stays in the binary.
#[inline(never)]
fn measured_region(runtime: &Runtime, calls: usize, side: &Side) -> Result<(), BoxError> {
    runtime.block_on(side.calls(calls))
}

enum Side {
    Sdk(feishu_reqwest::Client, RawEndpoint),
    SdkToken(feishu_reqwest::Client, RawEndpoint, Secret),
    Raw {
        client: reqwest::Client,
        uri: String,
        authorization: String,
        timeout: Option<Duration>,
    },
}

impl Side {
    async fn calls(&self, calls: usize) -> Result<(), BoxError> {
        for _ in 0..calls {
            self.call().await?;
        }
        Ok(())
    }

    async fn call(&self) -> Result<(), BoxError> {
        match self {
            Side::Sdk(client, endpoint) => {
                black_box(client.send(endpoint).await?);
            }
            Side::SdkToken(client, endpoint, token) => {
                black_box(client.send_with_token(endpoint, token).await?);
            }
            Side::Raw {
                client,
                uri,
                authorization,
                timeout,
            } => {
                let mut request = client.get(uri).header("Authorization", authorization);
                if let Some(timeout) = timeout {
                    request = request.timeout(*timeout);
                }
                let response = request.send().await?;
                let value = serde_json::from_slice::<serde_json::Value>(&response.bytes().await?)?;
                if value["code"] != 0 {
                    return Err(format!("code {}", value["code"]).into());
                }
                black_box(value);
            }
        }
        Ok(())
    }
}

/// The self-built app's tenant token, fetched by hand.
async fn raw_token(client: &reqwest::Client, base: &str) -> Result<String, BoxError> {
    let body = serde_json::json!({ "app_id": APP_ID, "app_secret": APP_SECRET });
    let response = client
        .post(format!("{base}{TOKEN}"))
        .header("Content-Type", "application/json; charset=utf-8")
        .body(serde_json::to_vec(&body)?)
        .send()
        .await?;
    let value = serde_json::from_slice::<serde_json::Value>(&response.bytes().await?)?;
    match value["tenant_access_token"].as_str() {
        Some(token) if value["code"] == 0 => Ok(token.to_owned()),
        _ => Err(format!("no tenant token: code {}", value["code"]).into()),
    }
}

fn main() -> Result<(), BoxError> {
    let Some(args) = args()? else {
        eprintln!("{USAGE} (scripts/callgrind.sh runs it)");
        return Ok(());
    };
    let base = args.url.trim_end_matches('/');
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let side = match args.mode.as_str() {
        "sdk" => {
            let config = Config::new(base)?.with_app(App::self_built(APP_ID, APP_SECRET));
            let client = runtime.block_on(async { feishu_reqwest::Client::new(config) })?;
            Side::Sdk(client, RawEndpoint::get(CHATS))
        }
        "sdk-token" => {
            let config = Config::new(base)?;
            let client = runtime.block_on(async { feishu_reqwest::Client::new(config) })?;
            let token = runtime.block_on(raw_token(&reqwest::Client::new(), base))?;
            Side::SdkToken(client, RawEndpoint::get(CHATS), Secret::new(token))
        }
        mode => {
            let timeout = (mode == "raw-timeout").then_some(Duration::from_secs(30));
            let client = match timeout {
                None => reqwest::Client::new(),
                Some(timeout) => reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(timeout)
                    .build()?,
            };
            let token = runtime.block_on(raw_token(&client, base))?;
            Side::Raw {
                client,
                uri: format!("{base}{CHATS}"),
                authorization: format!("Bearer {token}"),
                timeout,
            }
        }
    };
    warmup(&runtime, args.warmup, &side)?;
    measured_region(&runtime, args.calls, &side)
}
