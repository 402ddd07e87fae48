//! Fetches a tenant access token with plain ureq and serde_json: the baseline
//! `scripts/footprint.sh` measures `min_token` (feishu-ureq) against.
//!
//! ```sh
//! cargo run -p feishu-mock -- --port 9000 &
//! cargo bench --bench raw_ureq_token -- --url http://127.0.0.1:9000
//! ```
//!
//! Same settings and output as `min_token`: `--url` / `FEISHU_BASE_URL`
//! (with neither, it prints how to run it and exits), `--app-id` / `FEISHU_APP_ID` and
//! `--app-secret` / `FEISHU_APP_SECRET` (default feishu-mock's self-built
//! app). It prints the token's length and lifetime, never the token.

use std::env;
use std::error::Error as StdError;
use std::process::ExitCode;

/// `feishu_mock::SELF_BUILT_APP_ID` and `_SECRET`, spelled out.
const MOCK_APP_ID: &str = "cli_mock_self_built";
const MOCK_APP_SECRET: &str = "mock-self-built-secret";
const TENANT_TOKEN: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// `--name value` from the command line, else the environment variable.
fn setting(flag: &str, var: &str) -> Option<String> {
    let args: Vec<String> = env::args().collect();
    let from_args = args
        .iter()
        .position(|arg| arg == flag)
        .and_then(|i| args.get(i + 1).cloned());
    from_args.or_else(|| env::var(var).ok())
}

/// The token's length and lifetime, from `POST …/tenant_access_token/internal`.
fn fetch(url: &str, app_id: &str, app_secret: &str) -> Result<(usize, u64), Box<dyn StdError>> {
    let body = serde_json::json!({ "app_id": app_id, "app_secret": app_secret });
    let mut response = ureq::post(format!("{}{TENANT_TOKEN}", url.trim_end_matches('/')))
        .header("Content-Type", "application/json; charset=utf-8")
        .send(serde_json::to_vec(&body)?)?;
    let value = serde_json::from_slice::<serde_json::Value>(&response.body_mut().read_to_vec()?)?;
    // Only the code and msg are shown: the body holds the token.
    if value["code"] != 0 {
        return Err(format!("code {}: {}", value["code"], value["msg"]).into());
    }
    let token = value["tenant_access_token"]
        .as_str()
        .ok_or("no tenant_access_token in the answer")?;
    let expire = value["expire"].as_u64().ok_or("no expire in the answer")?;
    Ok((token.len(), expire))
}

fn main() -> ExitCode {
    let Some(url) = setting("--url", "FEISHU_BASE_URL") else {
        eprintln!(
            "raw_ureq_token: give --url URL (scripts/footprint.sh runs it against feishu-mock)"
        );
        return ExitCode::SUCCESS;
    };
    let app_id = setting("--app-id", "FEISHU_APP_ID").unwrap_or_else(|| MOCK_APP_ID.to_owned());
    let app_secret =
        setting("--app-secret", "FEISHU_APP_SECRET").unwrap_or_else(|| MOCK_APP_SECRET.to_owned());
    match fetch(&url, &app_id, &app_secret) {
        Ok((length, expire)) => {
            println!("tenant access token: {length} chars, expires in {expire} s");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("raw_ureq_token: {error}");
            ExitCode::FAILURE
        }
    }
}
