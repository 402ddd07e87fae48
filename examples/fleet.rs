//! Several replicas of one bot, sharing their tokens and their event dedup
//! through Redis: each token is fetched once by the whole fleet, and an event
//! delivered to every replica is handled once.
//!
//! ```sh
//! cargo run --example fleet            # 4 replicas
//! cargo run --example fleet -- 8       # 8 replicas
//! ```
//!
//! It starts `redis-server` (from PATH; `apt-get install redis-server`) on a
//! free port unless `REDIS_URL` is set, and feishu-mock in-process unless
//! `FEISHU_APP_ID` and `FEISHU_APP_SECRET` are set (then it lists the bot's
//! chats on `FEISHU_BASE_URL`, default https://open.feishu.cn). Each replica
//! is this program again, in a process of its own: it makes 16 concurrent
//! calls, then takes one webhook delivery, the same for all, and reports
//! the token requests its calls made, counted from their call summaries.
//! Tokens and secrets are never printed.

use std::env;
use std::error::Error as StdError;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use feishu_core::driver::CallSummary;
use feishu_core::event::{Delivery, Webhook};
use feishu_core::{FEISHU_BASE_URL, RawEndpoint};
use feishu_redis::{RedisSeenStore, RedisStore};
use feishu_ureq::{App, Client, Config};

const CHATS: &str = "/open-apis/im/v1/chats";
const CALLS: usize = 16;
/// The webhook's verification token, for the delivery every replica gets.
const VERIFICATION_TOKEN: &str = "fleet-example-verification-token";

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

fn main() -> Result<()> {
    if env::var("FEISHU_FLEET_REPLICA").is_ok() {
        return replica();
    }
    let replicas: usize = env::args().nth(1).map_or(Ok(4), |n| n.parse())?;

    let (app_id, app_secret, base_url, mock) =
        match (env::var("FEISHU_APP_ID"), env::var("FEISHU_APP_SECRET")) {
            (Ok(id), Ok(secret)) => {
                let base_url =
                    env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.into());
                (id, secret, base_url, None)
            }
            (Ok(_), Err(_)) => {
                return Err("FEISHU_APP_ID is set but FEISHU_APP_SECRET is not".into());
            }
            _ => {
                let mock = feishu_mock::MockServer::start();
                let url = mock.url().to_owned();
                let (id, secret) = (
                    feishu_mock::SELF_BUILT_APP_ID,
                    feishu_mock::SELF_BUILT_APP_SECRET,
                );
                (id.to_owned(), secret.to_owned(), url, Some(mock))
            }
        };
    let (redis_url, _redis) = match env::var("REDIS_URL") {
        Ok(url) => (url, None),
        Err(_) => {
            let redis = Redis::start()?;
            (redis.url.clone(), Some(redis))
        }
    };
    println!(
        "{replicas} replicas, Redis at {}, Feishu at {base_url}{}\n",
        redis_address(&redis_url),
        if mock.is_some() { " (feishu-mock)" } else { "" },
    );

    let started = Instant::now();
    let event_id = format!("fleet-example-{}", std::process::id());
    let children = (0..replicas)
        .map(|n| {
            Command::new(env::current_exe()?)
                .env("FEISHU_FLEET_REPLICA", n.to_string())
                .env("FEISHU_FLEET_BASE_URL", &base_url)
                .env("FEISHU_FLEET_REDIS", &redis_url)
                .env("FEISHU_FLEET_APP_ID", &app_id)
                .env("FEISHU_FLEET_APP_SECRET", &app_secret)
                .env("FEISHU_FLEET_EVENT_ID", &event_id)
                .stdout(Stdio::piped())
                .spawn()
        })
        .collect::<std::io::Result<Vec<Child>>>()?;
    let (mut token_requests, mut handled) = (0, 0);
    for child in children {
        let output = child.wait_with_output()?;
        let report = String::from_utf8_lossy(&output.stdout);
        print!("{report}");
        for line in report.lines() {
            if let Some(n) = line
                .split("token requests: ")
                .nth(1)
                .and_then(|n| n.split(',').next())
            {
                token_requests += n.trim().parse::<u32>()?;
            }
            handled += usize::from(line.ends_with("event handled"));
        }
    }
    println!(
        "\nfleet: {} calls, {token_requests} token request(s), the event handled {handled} time(s), {:.2} s",
        replicas * CALLS,
        started.elapsed().as_secs_f64()
    );
    if let Some(mock) = mock {
        println!(
            "feishu-mock issued {} tenant token(s)",
            mock.tokens_issued("tenant")
        );
    }
    Ok(())
}

/// One replica: a bot process with its own client and webhook.
fn replica() -> Result<()> {
    let var = |name| env::var(name).map_err(|_| format!("{name} is not set"));
    let (n, redis) = (var("FEISHU_FLEET_REPLICA")?, var("FEISHU_FLEET_REDIS")?);
    let app = App::self_built(var("FEISHU_FLEET_APP_ID")?, var("FEISHU_FLEET_APP_SECRET")?);
    let config = Config::new(&var("FEISHU_FLEET_BASE_URL")?)?.with_app(app);

    // Metrics without tracing: every call's summary.
    let token_requests = Arc::new(AtomicU32::new(0));
    let counted = token_requests.clone();
    let count = move |summary: &CallSummary| {
        counted.fetch_add(summary.token_requests, Ordering::Relaxed);
    };
    let client = Client::new(config)
        .with_shared_store(Arc::new(RedisStore::open(redis.as_str())?))
        .with_observer(Arc::new(count));

    let chats = RawEndpoint::get(CHATS);
    let ok = thread::scope(|scope| {
        let calls: Vec<_> = (0..CALLS)
            .map(|_| scope.spawn(|| client.send(&chats)))
            .collect();
        calls
            .into_iter()
            .map(|call| call.join())
            .filter(|call| matches!(call, Ok(Ok(_))))
            .count()
    });

    let webhook = Webhook::token_only(VERIFICATION_TOKEN)
        .seen_store(Arc::new(RedisSeenStore::open(redis.as_str())?));
    let delivery = serde_json::json!({
        "schema": "2.0",
        "header": {
            "event_id": var("FEISHU_FLEET_EVENT_ID")?,
            "event_type": "im.chat.updated_v1",
            "create_time": "1700000000000",
            "token": VERIFICATION_TOKEN,
        },
        "event": {},
    });
    let request = http::Request::post("/webhook").body(delivery.to_string().into_bytes())?;
    let event = match webhook.handle(&request, SystemTime::now()).delivery {
        Delivery::Event(_) => "event handled",
        Delivery::Duplicate { .. } => "duplicate dropped",
        _ => "delivery refused",
    };
    println!(
        "replica {n} (pid {}): {ok}/{CALLS} calls ok, token requests: {}, {event}",
        std::process::id(),
        token_requests.load(Ordering::Relaxed)
    );
    Ok(())
}

/// A `redis-server` of the example's own, without persistence, killed on drop.
struct Redis {
    child: Child,
    url: String,
}

impl Redis {
    fn start() -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("redis-server ({e}): install it or set REDIS_URL"))?;
        let url = format!("redis://127.0.0.1:{port}");
        let redis = Self { child, url };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("redis-server did not start".into());
            }
            thread::sleep(Duration::from_millis(20));
        }
        Ok(redis)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The URL without its password, if it has one.
fn redis_address(url: &str) -> &str {
    url.rsplit('@').next().unwrap_or(url)
}
