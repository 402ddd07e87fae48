//! N cached-token calls through feishu-ureq or plain ureq, for
//! `scripts/callgrind.sh` (instructions per call) and profilers.
//!
//! ```sh
//! cargo run --release --bench calls_ureq -- sdk --url http://127.0.0.1:9000 --calls 200
//! ```
//!
//! A `[[bench]]` target without a harness, so CI compiles it; run without a
//! side (as `cargo bench` does) it prints its usage and exits.
//!
//! Both sides first make `--warmup` calls (default 20: the connection, the
//! token cache, lazily built state), then `--calls` calls inside
//! `measured_region`. `scripts/callgrind.sh` counts whole runs of N and 2N
//! calls and takes the difference, which counts every thread;
//! `--toggle-collect='*measured_region*'` isolates the calls too, but only on
//! the main thread, and ureq resolves on a thread of its own when a timeout
//! is set. Each call is `GET /open-apis/im/v1/chats` with the self-built
//! app's tenant token:
//!
//! - `sdk`: `feishu_ureq::Client::send(&RawEndpoint::get(..))`;
//! - `sdk-token`: `feishu_ureq::Client::send_with_token(..)` with the token
//!   fetched by hand, as `raw` does: the path without the token cache;
//! - `raw`: a plain `ureq::Agent` (defaults) with the same URI and
//!   `Authorization: Bearer <the same token>`, the body parsed with
//!   `serde_json::from_slice::<Value>` and `code == 0` checked;
//! - `raw-sdk-agent`: `raw`, but with the agent configured and each request
//!   given a timeout as feishu-ureq does: isolates what that costs;
//! - `sdk-generated`: `send(&feishu_api::im::v1::chat::ListChat::new())`,
//!   the generated endpoint, its page typed from the spec;
//! - `sdk-handwritten`: the same API declared by hand in this file with
//!   feishu-core's `endpoint!`, as the core's own endpoints are, and a
//!   hand-written item type with the same fields: what generation costs
//!   over writing it.

use std::error::Error as StdError;
use std::hint::black_box;
use std::time::Duration;

use feishu_core::{Page, RawEndpoint, endpoint};
use feishu_ureq::{App, Config, Secret};
use serde::Deserialize;

type BoxError = Box<dyn StdError>;

const CHATS: &str = "/open-apis/im/v1/chats";
const TOKEN: &str = "/open-apis/auth/v3/tenant_access_token/internal";
/// feishu-mock's self-built app (`feishu_mock::SELF_BUILT_APP_ID`, `_SECRET`).
const APP_ID: &str = "cli_mock_self_built";
const APP_SECRET: &str = "mock-self-built-secret";

const USAGE: &str = "usage: calls_ureq <sdk|sdk-token|sdk-generated|sdk-handwritten|raw|raw-sdk-agent> \
     --url URL [--calls N] [--warmup N]";

/// `GET /open-apis/im/v1/chats`, written by hand: the `sdk-handwritten` side.
#[derive(Clone, Debug, Default)]
struct HandwrittenListChat;

/// A chat of the list, the generated `model::ListChat`'s fields by hand.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // read by `black_box` only
struct HandwrittenChat {
    avatar: Option<String>,
    chat_id: Option<String>,
    chat_mode: Option<String>,
    chat_status: Option<String>,
    description: Option<String>,
    external: Option<bool>,
    labels: Option<Vec<String>>,
    name: Option<String>,
    owner_id: Option<String>,
    owner_id_type: Option<String>,
    p2p_target_id: Option<String>,
    p2p_target_type: Option<String>,
    tenant_key: Option<String>,
}

endpoint! {
    HandwrittenListChat => Page<HandwrittenChat> {
        id: "im.v1.chat.list",
        method: GET,
        path: "/open-apis/im/v1/chats",
        tokens: [Tenant, User],
        body: none,
        shape: data,
        doc: "https://open.feishu.cn/document/server-docs/group/chat/list",
    }
}

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
            "sdk" | "sdk-token" | "sdk-generated" | "sdk-handwritten" | "raw" | "raw-sdk-agent" => {
                parsed.mode = arg
            }
            _ => return Err(USAGE.into()),
        }
    }
    if parsed.mode.is_empty() || parsed.url.is_empty() {
        return Err(USAGE.into());
    }
    Ok(Some(parsed))
}

/// The calls callgrind counts. Not inlined, so its name stays in the binary.
#[inline(never)]
fn measured_region(
    calls: usize,
    call: &mut dyn FnMut() -> Result<(), BoxError>,
) -> Result<(), BoxError> {
    for _ in 0..calls {
        call()?;
    }
    Ok(())
}

/// The calls before: not counted. (Kept apart from `measured_region` by its
/// body: the linker folds identical functions into one symbol.)
fn warmup(calls: usize, call: &mut dyn FnMut() -> Result<(), BoxError>) -> Result<(), BoxError> {
    (0..calls).try_for_each(|_| call())
}

/// The self-built app's tenant token, fetched by hand.
fn raw_token(agent: &ureq::Agent, base: &str) -> Result<String, BoxError> {
    let body = serde_json::json!({ "app_id": APP_ID, "app_secret": APP_SECRET });
    let mut response = agent
        .post(format!("{base}{TOKEN}"))
        .header("Content-Type", "application/json; charset=utf-8")
        .send(serde_json::to_vec(&body)?)?;
    let value = serde_json::from_slice::<serde_json::Value>(&response.body_mut().read_to_vec()?)?;
    match value["tenant_access_token"].as_str() {
        Some(token) if value["code"] == 0 => Ok(token.to_owned()),
        _ => Err(format!("no tenant token: code {}", value["code"]).into()),
    }
}

/// The `sdk` side with a typed endpoint.
fn typed<E: feishu_core::Endpoint>(base: &str, args: &Args, endpoint: &E) -> Result<(), BoxError> {
    let config = Config::new(base)?.with_app(App::self_built(APP_ID, APP_SECRET));
    let client = feishu_ureq::Client::new(config);
    let mut call = || -> Result<(), BoxError> {
        black_box(client.send(endpoint)?);
        Ok(())
    };
    warmup(args.warmup, &mut call)?;
    measured_region(args.calls, &mut call)
}

fn main() -> Result<(), BoxError> {
    let Some(args) = args()? else {
        eprintln!("{USAGE} (scripts/callgrind.sh runs it)");
        return Ok(());
    };
    let base = args.url.trim_end_matches('/');
    match args.mode.as_str() {
        "sdk" => {
            let config = Config::new(base)?.with_app(App::self_built(APP_ID, APP_SECRET));
            let client = feishu_ureq::Client::new(config);
            let endpoint = RawEndpoint::get(CHATS);
            let mut call = || -> Result<(), BoxError> {
                black_box(client.send(&endpoint)?);
                Ok(())
            };
            warmup(args.warmup, &mut call)?;
            measured_region(args.calls, &mut call)
        }
        "sdk-generated" => typed(base, &args, &feishu_api::im::v1::chat::ListChat::new()),
        "sdk-handwritten" => typed(base, &args, &HandwrittenListChat),
        "sdk-token" => {
            let client = feishu_ureq::Client::new(Config::new(base)?);
            let token = Secret::new(raw_token(&ureq::Agent::new_with_defaults(), base)?);
            let endpoint = RawEndpoint::get(CHATS);
            let mut call = || -> Result<(), BoxError> {
                black_box(client.send_with_token(&endpoint, &token)?);
                Ok(())
            };
            warmup(args.warmup, &mut call)?;
            measured_region(args.calls, &mut call)
        }
        mode => {
            let agent = if mode == "raw" {
                ureq::Agent::new_with_defaults()
            } else {
                ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .max_redirects(0)
                    .timeout_global(Some(Duration::from_secs(30)))
                    .build()
                    .new_agent()
            };
            let token = raw_token(&agent, base)?;
            let uri = format!("{base}{CHATS}");
            let authorization = format!("Bearer {token}");
            let per_request = mode != "raw";
            let mut call = || -> Result<(), BoxError> {
                let mut request = agent.get(&uri).header("Authorization", &authorization);
                if per_request {
                    request = request
                        .config()
                        .timeout_global(Some(Duration::from_secs(30)))
                        .build();
                }
                let mut response = request.call()?;
                let value = serde_json::from_slice::<serde_json::Value>(
                    &response.body_mut().read_to_vec()?,
                )?;
                if value["code"] != 0 {
                    return Err(format!("code {}", value["code"]).into());
                }
                black_box(value);
                Ok(())
            };
            warmup(args.warmup, &mut call)?;
            measured_region(args.calls, &mut call)
        }
    }
}
