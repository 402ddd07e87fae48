//! `feishu-mock`: serves the mock Feishu Open Platform with its default apps on
//! `127.0.0.1` until the process is killed (Ctrl-C, SIGTERM).

use std::io::Write;
use std::process::ExitCode;

use feishu_mock::{
    MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_APP_TICKET, MARKETPLACE_TENANT_KEY,
    MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET,
};

const USAGE: &str = "\
Usage: feishu-mock [--port N]

Serves a fake Feishu / Lark Open Platform on 127.0.0.1 until killed.

Options:
  --port N    port to listen on (default 0: any free port)
  -h, --help  print this help";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match parse_args(&args) {
        Ok(Some(port)) => port,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("feishu-mock: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let server = match MockServer::builder().port(port).start() {
        Ok(server) => server,
        Err(e) => {
            eprintln!("feishu-mock: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The mock apps' secrets are public constants; printing them saves a lookup.
    println!("feishu-mock listening on {}", server.url());
    println!("self-built app:  app_id={SELF_BUILT_APP_ID} app_secret={SELF_BUILT_APP_SECRET}");
    println!(
        "marketplace app: app_id={MARKETPLACE_APP_ID} app_secret={MARKETPLACE_APP_SECRET} \
         app_ticket={MARKETPLACE_APP_TICKET} tenant_key={MARKETPLACE_TENANT_KEY}"
    );
    println!("Press Ctrl-C to stop.");
    // Scripts wait for the URL line, so do not leave it in a buffer.
    let _ = std::io::stdout().flush();
    // The default SIGINT / SIGTERM action ends the process, which is all the
    // shutdown a throwaway mock needs.
    loop {
        std::thread::park();
    }
}

/// The port to serve on, or `None` when help was asked for.
fn parse_args(args: &[String]) -> Result<Option<u16>, String> {
    let mut port = 0;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => args.next().ok_or("--port needs a value")?.as_str(),
            other => match other.strip_prefix("--port=") {
                Some(value) => value,
                None => return Err(format!("unknown argument {other:?}")),
            },
        };
        port = value
            .parse()
            .map_err(|_| format!("--port wants a number from 0 to 65535, not {value:?}"))?;
    }
    Ok(Some(port))
}

#[cfg(test)]
mod tests {
    use super::parse_args;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|&s| s.to_owned()).collect()
    }

    #[test]
    fn parses_port_forms_and_help() {
        assert_eq!(parse_args(&args(&[])), Ok(Some(0)));
        assert_eq!(parse_args(&args(&["--port", "9000"])), Ok(Some(9000)));
        assert_eq!(parse_args(&args(&["--port=9001"])), Ok(Some(9001)));
        assert_eq!(parse_args(&args(&["--help"])), Ok(None));
        assert!(parse_args(&args(&["--port"])).is_err());
        assert!(parse_args(&args(&["--port", "70000"])).is_err());
        assert!(parse_args(&args(&["--verbose"])).is_err());
    }
}
