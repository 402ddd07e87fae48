//! Fetches a tenant access token with feishu-ureq, and nothing else: the SDK
//! side of `scripts/footprint.sh` (its plain-ureq twin is `raw_ureq_token`).
//!
//! ```sh
//! cargo run -p feishu-mock -- --port 9000 &
//! cargo bench --bench min_token -- --url http://127.0.0.1:9000
//! ```
//!
//! A `[[bench]]` target without a harness, so CI compiles it; the footprint
//! script builds the same file as a crate of its own. The base URL comes from
//! `--url`, else `FEISHU_BASE_URL`; with neither (as `cargo bench` runs it) it
//! prints how to run it and exits. The app comes from `--app-id` /
//! `--app-secret`, else `FEISHU_APP_ID` / `FEISHU_APP_SECRET`, else
//! feishu-mock's self-built app.
//! It prints the token's length and lifetime, never the token. It depends on
//! feishu-ureq alone (not feishu-mock), so the footprint is the SDK's.

use std::env;
use std::process::ExitCode;

use feishu_ureq::{Client, Config};

/// `feishu_mock::SELF_BUILT_APP_ID` and `_SECRET`, spelled out.
const MOCK_APP_ID: &str = "cli_mock_self_built";
const MOCK_APP_SECRET: &str = "mock-self-built-secret";

/// `--name value` from the command line, else the environment variable.
fn setting(flag: &str, var: &str) -> Option<String> {
    let args: Vec<String> = env::args().collect();
    let from_args = args
        .iter()
        .position(|arg| arg == flag)
        .and_then(|i| args.get(i + 1).cloned());
    from_args.or_else(|| env::var(var).ok())
}

fn main() -> ExitCode {
    let Some(url) = setting("--url", "FEISHU_BASE_URL") else {
        eprintln!("min_token: give --url URL (scripts/footprint.sh runs it against feishu-mock)");
        return ExitCode::SUCCESS;
    };
    let app_id = setting("--app-id", "FEISHU_APP_ID").unwrap_or_else(|| MOCK_APP_ID.to_owned());
    let app_secret =
        setting("--app-secret", "FEISHU_APP_SECRET").unwrap_or_else(|| MOCK_APP_SECRET.to_owned());
    let config = match Config::new(&url) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("min_token: bad base URL {url:?}: {error}");
            return ExitCode::FAILURE;
        }
    };
    match Client::new(config).tenant_access_token(&app_id, &app_secret) {
        Ok(token) => {
            let length = token.tenant_access_token.expose().len();
            println!(
                "tenant access token: {length} chars, expires in {} s",
                token.expire
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("min_token: {error}");
            ExitCode::FAILURE
        }
    }
}
