//! `feishu-mock`: serves the mock Feishu Open Platform with its default apps on
//! `127.0.0.1` until the process is killed (Ctrl-C, SIGTERM), with the
//! control API under `/_mock/` and, optionally, a webhook to deliver events to.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use feishu_mock::{
    EventSecurity, MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_APP_TICKET,
    MARKETPLACE_TENANT_KEY, MockServer, MockServerBuilder, SELF_BUILT_APP_ID,
    SELF_BUILT_APP_SECRET, WebhookTarget,
};

const USAGE: &str = "\
Usage: feishu-mock [--port N] [--webhook URL --verification-token T [--encrypt-key K]]
                   [--delivery-timeout-ms MS] [--redelivery-delays-ms MS,MS,...]

Serves a fake Feishu / Lark Open Platform on 127.0.0.1 until killed. The
control API is under /_mock (GET /_mock lists its routes).

Options:
  --port N                     port to listen on (default 0: any free port)
  --webhook URL                deliver events to this http:// URL (the bot's
                               request URL); POST /_mock/events/... sends one
  --verification-token T       the Verification Token events carry (needed
                               with --webhook)
  --encrypt-key K              encrypt and sign events with this Encrypt Key
                               (default: plain JSON, unsigned)
  --delivery-timeout-ms MS     how long the webhook has to answer 200
                               (default 3000, Feishu's)
  --redelivery-delays-ms LIST  waits before each retry of a failed delivery,
                               comma-separated, \"\" for none (default
                               Feishu's 15 s, 5 min, 1 h, 6 h)
  -h, --help                   print this help";

/// What the command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    port: u16,
    webhook: Option<String>,
    verification_token: Option<String>,
    encrypt_key: Option<String>,
    delivery_timeout: Option<Duration>,
    redelivery_delays: Option<Vec<Duration>>,
}

impl Options {
    /// The builder these options describe; `Err` for a combination that
    /// makes no sense.
    fn builder(&self) -> Result<MockServerBuilder, String> {
        let mut builder = MockServer::builder().port(self.port);
        if let Some(timeout) = self.delivery_timeout {
            builder = builder.delivery_timeout(timeout);
        }
        if let Some(delays) = &self.redelivery_delays {
            builder = builder.redelivery_delays(delays.clone());
        }
        match (&self.webhook, &self.verification_token) {
            (Some(url), Some(token)) => {
                let security = match &self.encrypt_key {
                    Some(encrypt_key) => EventSecurity::Encrypted {
                        encrypt_key: encrypt_key.clone(),
                        verification_token: token.clone(),
                    },
                    None => EventSecurity::TokenOnly {
                        verification_token: token.clone(),
                    },
                };
                let target = WebhookTarget {
                    url: url.clone(),
                    security,
                };
                Ok(builder.event_target(target))
            }
            (Some(_), None) => Err("--webhook needs --verification-token".to_owned()),
            (None, _) if self.verification_token.is_some() || self.encrypt_key.is_some() => {
                Err("--verification-token and --encrypt-key go with --webhook".to_owned())
            }
            (None, _) => Ok(builder),
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_args(&args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("feishu-mock: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let builder = match options.builder() {
        Ok(builder) => builder,
        Err(problem) => {
            eprintln!("feishu-mock: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let server = match builder.start() {
        Ok(server) => server,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            eprintln!("feishu-mock: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!(
                "feishu-mock: cannot listen on 127.0.0.1:{}: {e}",
                options.port
            );
            return ExitCode::FAILURE;
        }
    };
    // The mock apps' secrets are public constants; printing them saves a lookup.
    let mut banner = format!(
        "feishu-mock listening on {url}\n\
         self-built app:  app_id={SELF_BUILT_APP_ID} app_secret={SELF_BUILT_APP_SECRET}\n\
         marketplace app: app_id={MARKETPLACE_APP_ID} app_secret={MARKETPLACE_APP_SECRET} \
         app_ticket={MARKETPLACE_APP_TICKET} tenant_key={MARKETPLACE_TENANT_KEY}\n\
         control API:     {url}/_mock\n",
        url = server.url()
    );
    if let Some(url) = &options.webhook {
        // The keys are the bot's secrets: say which mode, not the values.
        let mode = if options.encrypt_key.is_some() {
            "encrypted and signed"
        } else {
            "plain JSON, unsigned"
        };
        banner.push_str(&format!("events go to:    {url} ({mode})\n"));
    }
    banner.push_str("Press Ctrl-C to stop.\n");
    // Scripts wait for the URL line, so do not leave it in a buffer; a script
    // that reads it and closes the pipe must not take the server down, so a
    // failed write is ignored (`println!` would panic).
    let mut stdout = std::io::stdout();
    let _ = stdout.write_all(banner.as_bytes());
    let _ = stdout.flush();
    // The default SIGINT / SIGTERM action ends the process, which is all the
    // shutdown a throwaway mock needs.
    loop {
        std::thread::park();
    }
}

/// The options, or `None` when help was asked for.
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if matches!(arg.as_str(), "-h" | "--help") {
            return Ok(None);
        }
        // `--name value` and `--name=value` alike.
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let known = [
            "--port",
            "--webhook",
            "--verification-token",
            "--encrypt-key",
            "--delivery-timeout-ms",
            "--redelivery-delays-ms",
        ];
        if !known.contains(&name) {
            return Err(format!("unknown argument {arg:?}"));
        }
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .ok_or_else(|| format!("{name} needs a value"))?
                .clone(),
        };
        match name {
            "--port" => {
                options.port = value
                    .parse()
                    .map_err(|_| format!("--port wants a number from 0 to 65535, not {value:?}"))?;
            }
            "--webhook" => options.webhook = Some(value),
            "--verification-token" => options.verification_token = Some(value),
            "--encrypt-key" => options.encrypt_key = Some(value),
            "--delivery-timeout-ms" => {
                options.delivery_timeout = Some(millis(name, &value)?);
            }
            _ => {
                let delays = value
                    .split(',')
                    .filter(|part| !part.trim().is_empty())
                    .map(|part| millis(name, part.trim()))
                    .collect::<Result<_, _>>()?;
                options.redelivery_delays = Some(delays);
            }
        }
    }
    Ok(Some(options))
}

fn millis(name: &str, value: &str) -> Result<Duration, String> {
    value
        .parse()
        .map(Duration::from_millis)
        .map_err(|_| format!("{name} wants milliseconds, not {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|&s| s.to_owned()).collect()
    }

    fn port(list: &[&str]) -> Result<Option<u16>, String> {
        parse_args(&args(list)).map(|options| options.map(|o| o.port))
    }

    #[test]
    fn parses_port_forms_and_help() {
        assert_eq!(port(&[]), Ok(Some(0)));
        assert_eq!(port(&["--port", "9000"]), Ok(Some(9000)));
        assert_eq!(port(&["--port=9001"]), Ok(Some(9001)));
        assert_eq!(port(&["--help"]), Ok(None));
        assert!(port(&["--port"]).is_err());
        assert!(port(&["--port", "70000"]).is_err());
        assert!(port(&["--verbose"]).is_err());
    }

    #[test]
    fn parses_webhook_and_delivery_options() {
        let options = parse_args(&args(&[
            "--webhook",
            "http://127.0.0.1:8080/events",
            "--verification-token=vt",
            "--encrypt-key",
            "k",
            "--delivery-timeout-ms",
            "500",
            "--redelivery-delays-ms",
            "10, 20",
        ]))
        .expect("parsed")
        .expect("not help");
        assert_eq!(
            options,
            Options {
                port: 0,
                webhook: Some("http://127.0.0.1:8080/events".to_owned()),
                verification_token: Some("vt".to_owned()),
                encrypt_key: Some("k".to_owned()),
                delivery_timeout: Some(Duration::from_millis(500)),
                redelivery_delays: Some(vec![Duration::from_millis(10), Duration::from_millis(20)]),
            }
        );
        assert!(options.builder().is_ok());
        let none = parse_args(&args(&["--redelivery-delays-ms", ""]));
        assert_eq!(
            none.map(|o| o.and_then(|o| o.redelivery_delays)),
            Ok(Some(Vec::new()))
        );
        assert!(parse_args(&args(&["--delivery-timeout-ms", "soon"])).is_err());
    }

    #[test]
    fn webhook_options_go_together() {
        let builder = |list: &[&str]| {
            parse_args(&args(list))
                .expect("parsed")
                .expect("not help")
                .builder()
                .map(drop)
        };
        assert!(builder(&["--webhook", "http://127.0.0.1:1/"]).is_err());
        assert!(builder(&["--verification-token", "vt"]).is_err());
        assert!(builder(&["--encrypt-key", "k"]).is_err());
        assert!(
            builder(&[
                "--webhook",
                "http://127.0.0.1:1/",
                "--verification-token",
                "vt"
            ])
            .is_ok()
        );
    }
}
