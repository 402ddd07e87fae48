//! The fleet: four replica processes (two on feishu-ureq, two on
//! feishu-reqwest) sharing one Redis and one feishu-mock.
//!
//! - 64 concurrent cold calls across the fleet fetch one tenant token;
//! - the same event delivered to all four is handled once;
//! - an `app_ticket` pushed to one makes marketplace calls work on all;
//! - Redis killed mid-run: calls still succeed (each replica fetching its
//!   own token, degraded); back again: the fleet fetches one token again.
//!
//! This binary is both sides (`harness = false`): run plain it is the test,
//! and re-executes itself with `FEISHU_FLEET_REPLICA` set for each replica,
//! which then takes one command a line on stdin and answers on stdout.

// Tests may unwrap: a failure is the test's verdict.
#![allow(clippy::unwrap_used)]

#[path = "support/redis.rs"]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use feishu_core::event::{Delivery, EventKind, V1Event, Webhook};
use feishu_core::{App, Config, RawEndpoint};
use feishu_mock::{
    MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET, MARKETPLACE_TENANT_KEY, MockServer,
    SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET,
};
use feishu_redis::{AsyncRedisStore, Options, RedisSeenStore, RedisStore};
use support::RedisServer;

const CHATS: &str = "/open-apis/im/v1/chats";
const VERIFICATION_TOKEN: &str = "fleet-verification-token";
const REPLICAS: [&str; 4] = ["ureq", "ureq", "reqwest", "reqwest"];
/// How long a replica's store leaves a failed Redis alone.
const RETRY_AFTER: Duration = Duration::from_millis(300);

fn main() {
    match std::env::var("FEISHU_FLEET_REPLICA") {
        Ok(flavour) => replica(&flavour),
        Err(_) => fleet(),
    }
}

// ---- the test: drives the replicas --------------------------------------

fn fleet() {
    let started = Instant::now();
    let mut redis = RedisServer::start();
    let mock = MockServer::start();
    let mut fleet: Vec<Replica> = REPLICAS
        .iter()
        .map(|flavour| Replica::spawn(flavour, mock.url(), &redis.url()))
        .collect();
    let issued = |kind| mock.tokens_issued(kind);

    // 64 concurrent cold calls, 16 per replica.
    let answers = all(&mut fleet, "calls 16");
    assert!(answers.iter().all(|a| a == "ok 16 0"), "{answers:?}");
    let cold = issued("tenant");
    assert_eq!(
        cold, 1,
        "one tenant token for 64 cold calls across 4 processes"
    );
    assert_eq!(mock.hits(CHATS), 64);

    // The same event to every replica: handled by one.
    let event = mock.message_event("oc_mock_general", "ou_alice", "hello", VERIFICATION_TOKEN);
    let answers = all(&mut fleet, &format!("event {event}"));
    let handled = answers.iter().filter(|a| *a == "handled").count();
    assert_eq!(handled, 1, "{answers:?}");
    assert_eq!(answers.iter().filter(|a| *a == "duplicate").count(), 3);

    // The app ticket pushed to replica 0 serves them all.
    let before = fleet[3].ask("market");
    assert!(before.starts_with("err"), "no ticket yet: {before}");
    let ticket = mock.app_ticket_event(MARKETPLACE_APP_ID, VERIFICATION_TOKEN);
    assert_eq!(fleet[0].ask(&format!("event {ticket}")), "ticket");
    let answers = all(&mut fleet, "market");
    assert!(answers.iter().all(|a| a == "ok"), "{answers:?}");
    let app_tokens = issued("app");

    // Redis killed while a refresh is under way, then down for a whole one.
    mock.revoke_tokens();
    let before_kill = issued("tenant");
    for replica in &mut fleet {
        replica.send("calls 16");
    }
    redis.kill();
    let answers: Vec<String> = fleet.iter_mut().map(Replica::read).collect();
    assert!(
        answers.iter().all(|a| a == "ok 16 0"),
        "killed mid-run: {answers:?}"
    );
    mock.revoke_tokens();
    let before_down = issued("tenant");
    let answers = all(&mut fleet, "calls 16");
    assert!(
        answers.iter().all(|a| a == "ok 16 0"),
        "Redis down: {answers:?}"
    );
    let degraded = issued("tenant") - before_down;
    assert!(
        (1..=4).contains(&degraded),
        "each replica fetches alone: {degraded}"
    );
    // Dedup falls back to each process: a redelivery to one is still dropped.
    let event = mock.message_event("oc_mock_general", "ou_alice", "down", VERIFICATION_TOKEN);
    assert_eq!(fleet[2].ask(&format!("event {event}")), "handled");
    assert_eq!(fleet[2].ask(&format!("event {event}")), "duplicate");

    // Redis back (empty): the fleet shares again.
    redis.restart();
    thread::sleep(RETRY_AFTER * 3);
    mock.revoke_tokens();
    let before_back = issued("tenant");
    let answers = all(&mut fleet, "calls 16");
    assert!(
        answers.iter().all(|a| a == "ok 16 0"),
        "Redis back: {answers:?}"
    );
    let recovered = issued("tenant") - before_back;
    assert_eq!(recovered, 1, "one token for the fleet again");
    let event = mock.message_event("oc_mock_general", "ou_alice", "back", VERIFICATION_TOKEN);
    let answers = all(&mut fleet, &format!("event {event}"));
    assert_eq!(
        answers.iter().filter(|a| *a == "handled").count(),
        1,
        "{answers:?}"
    );

    for replica in &mut fleet {
        replica.quit();
    }
    println!(
        "fleet: 4 processes (2 ureq, 2 reqwest), one Redis, one feishu-mock\n\
         - 64 cold calls: {cold} tenant token request(s) ({} chats requests in the whole run)\n\
         - one event delivered to 4 replicas: handled {handled} time(s)\n\
         - app_ticket pushed to 1 replica: marketplace calls ok on 4, {app_tokens} app token request(s)\n\
         - Redis killed mid-refresh: 64/64 calls ok, {} token request(s)\n\
         - Redis down, tokens revoked: 64/64 calls ok, {degraded} token request(s) (one per replica at most)\n\
         - Redis back, tokens revoked: 64/64 calls ok, {recovered} token request(s)\n\
         - total {:.1} s",
        mock.hits(CHATS),
        before_down - before_kill,
        started.elapsed().as_secs_f64(),
    );
}

/// Sends `command` to every replica at once, then reads every answer.
fn all(fleet: &mut [Replica], command: &str) -> Vec<String> {
    for replica in fleet.iter_mut() {
        replica.send(command);
    }
    fleet.iter_mut().map(Replica::read).collect()
}

/// A replica process and its pipes.
struct Replica {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Replica {
    fn spawn(flavour: &str, mock: &str, redis: &str) -> Self {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env("FEISHU_FLEET_REPLICA", flavour)
            .env("FEISHU_FLEET_MOCK", mock)
            .env("FEISHU_FLEET_REDIS", redis)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut replica = Self {
            child,
            stdin,
            stdout,
        };
        assert_eq!(replica.read(), "ready");
        replica
    }

    fn send(&mut self, command: &str) {
        writeln!(self.stdin, "{command}").unwrap();
        self.stdin.flush().unwrap();
    }

    fn read(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "a replica exited");
        line.trim_end().to_owned()
    }

    fn ask(&mut self, command: &str) -> String {
        self.send(command);
        self.read()
    }

    fn quit(&mut self) {
        self.send("quit");
        self.child.wait().unwrap();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---- a replica: one bot process ------------------------------------------

/// The two apps' clients of one replica, on its adapter.
enum Clients {
    Ureq {
        app: feishu_ureq::Client,
        market: feishu_ureq::Client,
    },
    Reqwest {
        app: feishu_reqwest::Client,
        market: feishu_reqwest::Client,
        runtime: tokio::runtime::Runtime,
    },
}

fn replica(flavour: &str) {
    let mock = std::env::var("FEISHU_FLEET_MOCK").unwrap();
    let redis = std::env::var("FEISHU_FLEET_REDIS").unwrap();
    let options = Options::new().retry_after(RETRY_AFTER);
    let config = |app| Config::new(&mock).unwrap().with_app(app);
    let self_built = || config(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET));
    let marketplace = || config(App::marketplace(MARKETPLACE_APP_ID, MARKETPLACE_APP_SECRET));
    let clients = match flavour {
        "ureq" => {
            let store =
                Arc::new(RedisStore::with_options(redis.as_str(), options.clone()).unwrap());
            Clients::Ureq {
                app: feishu_ureq::Client::new(self_built()).with_shared_store(store.clone()),
                market: feishu_ureq::Client::new(marketplace()).with_shared_store(store),
            }
        }
        _ => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            let store =
                Arc::new(AsyncRedisStore::with_options(redis.as_str(), options.clone()).unwrap());
            Clients::Reqwest {
                app: feishu_reqwest::Client::new(self_built())
                    .unwrap()
                    .with_shared_store(store.clone()),
                market: feishu_reqwest::Client::new(marketplace())
                    .unwrap()
                    .with_shared_store(store),
                runtime,
            }
        }
    };
    let seen = RedisSeenStore::with_options(redis.as_str(), options).unwrap();
    let webhook = Webhook::token_only(VERIFICATION_TOKEN).seen_store(Arc::new(seen));

    let mut out = std::io::stdout();
    writeln!(out, "ready").unwrap();
    for line in std::io::stdin().lines() {
        let line = line.unwrap();
        let (command, argument) = line.split_once(' ').unwrap_or((&line, ""));
        let answer = match command {
            "calls" => clients.calls(argument.parse().unwrap()),
            "market" => clients.market(),
            "event" => clients.deliver(&webhook, argument),
            _ => break,
        };
        writeln!(out, "{answer}").unwrap();
        out.flush().unwrap();
    }
}

impl Clients {
    /// `n` concurrent calls: `ok <succeeded> <failed>`.
    fn calls(&self, n: usize) -> String {
        let chats = RawEndpoint::get(CHATS);
        let results: Vec<bool> = match self {
            Clients::Ureq { app, .. } => thread::scope(|scope| {
                let calls: Vec<_> = (0..n).map(|_| scope.spawn(|| app.send(&chats))).collect();
                calls
                    .into_iter()
                    .map(|call| report(call.join().unwrap()))
                    .collect()
            }),
            Clients::Reqwest { app, runtime, .. } => runtime.block_on(async {
                let calls: Vec<_> = (0..n)
                    .map(|_| {
                        let app = app.clone();
                        tokio::spawn(async move { app.send(&RawEndpoint::get(CHATS)).await })
                    })
                    .collect();
                let mut results = Vec::new();
                for call in calls {
                    results.push(report(call.await.unwrap()));
                }
                results
            }),
        };
        let ok = results.iter().filter(|ok| **ok).count();
        format!("ok {ok} {}", n - ok)
    }

    /// A marketplace call in the mock's tenant: `ok` or `err <why>`.
    fn market(&self) -> String {
        let chats = RawEndpoint::get(CHATS);
        let result = match self {
            Clients::Ureq { market, .. } => market.tenant(MARKETPLACE_TENANT_KEY).send(&chats),
            Clients::Reqwest {
                market, runtime, ..
            } => runtime.block_on(market.tenant(MARKETPLACE_TENANT_KEY).send(&chats)),
        };
        match result {
            Ok(_) => "ok".to_owned(),
            Err(error) => format!("err {error}"),
        }
    }

    /// One webhook delivery: `handled`, `duplicate`, or `ticket` for an
    /// `app_ticket` (then shared with the fleet).
    fn deliver(&self, webhook: &Webhook, body: &str) -> String {
        let request = http::Request::post("/webhook")
            .body(body.as_bytes().to_vec())
            .unwrap();
        let handled = webhook.handle(&request, SystemTime::now());
        match handled.delivery {
            Delivery::Event(event) => match event.kind {
                EventKind::V1(V1Event::AppTicket(ticket)) => {
                    let ticket = ticket.app_ticket.clone();
                    match self {
                        Clients::Ureq { market, .. } => market.share_app_ticket(ticket),
                        Clients::Reqwest {
                            market, runtime, ..
                        } => runtime.block_on(market.share_app_ticket(ticket)),
                    }
                    .unwrap();
                    "ticket".to_owned()
                }
                _ => "handled".to_owned(),
            },
            Delivery::Duplicate { .. } => "duplicate".to_owned(),
            other => format!("unexpected {other:?}"),
        }
    }
}

/// Whether a call succeeded; a failure is told on stderr.
fn report<T>(result: Result<T, feishu_core::Error>) -> bool {
    if let Err(error) = &result {
        eprintln!("replica {}: {error}", std::process::id());
    }
    result.is_ok()
}
