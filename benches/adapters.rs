//! What the adapters cost over the HTTP clients they drive.
//!
//! ```sh
//! cargo bench --bench adapters
//! ```
//!
//! Against an in-process feishu-mock, each pair runs the same workload through
//! the SDK and by hand with the same client library:
//!
//! - `ureq seq`: 2,000 sequential `GET /open-apis/im/v1/chats` through
//!   `feishu_ureq::Client::send(&RawEndpoint::get(..))` (token cache warm),
//!   against a plain `ureq::Agent` (defaults) sending the same URI with the same
//!   `Authorization: Bearer <token>` and parsing the body the same way
//!   (`serde_json::from_slice::<Value>`, `code == 0`);
//! - `reqwest seq`: the same with `feishu_reqwest` against a plain
//!   `reqwest::Client::new()`;
//! - `reqwest c64`: the same 2,000 calls split among 64 tokio tasks.
//!
//! A third side, `raw+t`, is the raw client configured the way the adapter
//! configures its own (no redirects, a client timeout, and a timeout on every
//! request): not a target, it tells how much of a gap that setup explains.
//!
//! Each side keeps one client (one connection pool) for all its runs. Every
//! side runs the workload `ADAPTERS_RUNS` times (default 10), the order of the
//! sides rotating from run to run, so drift (CPU frequency, the mock's state,
//! other load) falls on all alike. Latencies are pooled over the runs;
//! throughput is all calls over all time. The targets (median latency ≤ 1.05×
//! raw, throughput ≥ 0.95× raw) are reported, never asserted: timing is not a
//! test.
//!
//! Environment: `ADAPTERS_CALLS` (default 2000), `ADAPTERS_RUNS` (default 10),
//! `ADAPTERS_CONCURRENCY` (default 64). Without `--bench` (as `cargo test
//! --benches` runs it) it makes a few calls per side, as a smoke test.

use std::env;
use std::error::Error as StdError;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use feishu_core::RawEndpoint;
use feishu_mock::{MockServer, SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET};
use feishu_ureq::{App, Config};

type BoxError = Box<dyn StdError + Send + Sync>;

const CHATS: &str = "/open-apis/im/v1/chats";
const TOKEN: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// Median latency at most this many times raw's.
const LATENCY_TARGET: f64 = 1.05;
/// Throughput at least this many times raw's.
const THROUGHPUT_TARGET: f64 = 0.95;
/// The timeout the adapters put on every request by default
/// (`feishu_core::DEFAULT_TIMEOUT`), for the `raw+t` sides.
const TIMEOUT: Duration = Duration::from_secs(120);

struct Settings {
    calls: usize,
    runs: usize,
    concurrency: usize,
    warmup: usize,
    report: bool,
}

impl Settings {
    fn from_env() -> Result<Settings, BoxError> {
        let bench = env::args().any(|arg| arg == "--bench");
        let number = |name: &str, default: usize| -> Result<usize, BoxError> {
            match env::var(name) {
                Ok(value) => Ok(value
                    .parse::<usize>()
                    .map_err(|_| format!("{name} wants a positive number, not {value:?}"))?
                    .max(1)),
                Err(_) => Ok(default),
            }
        };
        if bench {
            Ok(Settings {
                calls: number("ADAPTERS_CALLS", 2_000)?,
                runs: number("ADAPTERS_RUNS", 10)?,
                concurrency: number("ADAPTERS_CONCURRENCY", 64)?,
                warmup: 200,
                report: true,
            })
        } else {
            Ok(Settings {
                calls: 20,
                runs: 2,
                concurrency: 4,
                warmup: 4,
                report: false,
            })
        }
    }
}

/// One run of the workload on one side.
struct Run {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

/// One side's results over all its runs.
#[derive(Default)]
struct Side {
    /// Every call's latency, sorted once all runs are in.
    latencies: Vec<Duration>,
    /// All runs' wall time.
    elapsed: Duration,
}

impl Side {
    fn add(&mut self, run: Run) {
        self.latencies.extend(run.latencies);
        self.elapsed += run.elapsed;
    }

    /// Nearest-rank percentile, in µs.
    fn percentile(&self, p: f64) -> f64 {
        let n = self.latencies.len();
        if n == 0 {
            return f64::NAN;
        }
        let rank = (p / 100.0 * n as f64).ceil() as usize;
        self.latencies[rank.clamp(1, n) - 1].as_secs_f64() * 1e6
    }

    fn throughput(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }
}

/// A side's workload: one run per call.
type Workload<'a> = Box<dyn FnMut() -> Result<Run, BoxError> + 'a>;

/// Runs every side `runs` times, the first side of each run rotating.
fn compare(runs: usize, mut sides: Vec<Workload<'_>>) -> Result<Vec<Side>, BoxError> {
    let mut results: Vec<Side> = sides.iter().map(|_| Side::default()).collect();
    for run in 0..runs {
        for step in 0..sides.len() {
            let index = (run + step) % sides.len();
            results[index].add(sides[index]()?);
        }
    }
    for side in &mut results {
        side.latencies.sort_unstable();
    }
    Ok(results)
}

/// Times `calls` sequential calls of `call`.
fn sequential(
    calls: usize,
    mut call: impl FnMut() -> Result<(), BoxError>,
) -> Result<Run, BoxError> {
    let mut latencies = Vec::with_capacity(calls);
    let start = Instant::now();
    for _ in 0..calls {
        let before = Instant::now();
        call()?;
        latencies.push(before.elapsed());
    }
    Ok(Run {
        latencies,
        elapsed: start.elapsed(),
    })
}

/// Checks a `{code, msg, data}` body the way a hand-written client would.
fn check_envelope(body: &[u8]) -> Result<(), BoxError> {
    let value = serde_json::from_slice::<serde_json::Value>(body)?;
    if value["code"] != 0 {
        return Err(format!("code {} in the answer", value["code"]).into());
    }
    black_box(value);
    Ok(())
}

/// The tenant token the mock hands the self-built app, fetched by hand.
fn raw_token(base: &str) -> Result<String, BoxError> {
    let body = serde_json::json!({
        "app_id": SELF_BUILT_APP_ID,
        "app_secret": SELF_BUILT_APP_SECRET,
    });
    let mut response = ureq::post(format!("{base}{TOKEN}"))
        .header("Content-Type", "application/json; charset=utf-8")
        .send(serde_json::to_vec(&body)?)?;
    let value = serde_json::from_slice::<serde_json::Value>(&response.body_mut().read_to_vec()?)?;
    match value["tenant_access_token"].as_str() {
        Some(token) if value["code"] == 0 => Ok(token.to_owned()),
        _ => Err(format!("no tenant token: code {}", value["code"]).into()),
    }
}

/// One line of the report: the SDK, raw, and raw set up like the adapter.
struct Row {
    name: &'static str,
    sdk: Side,
    raw: Side,
    raw_t: Side,
}

impl Row {
    fn new(name: &'static str, sides: Vec<Side>) -> Result<Row, BoxError> {
        let [sdk, raw, raw_t]: [Side; 3] = sides.try_into().map_err(|_| "three sides expected")?;
        Ok(Row {
            name,
            sdk,
            raw,
            raw_t,
        })
    }
}

fn main() -> Result<(), BoxError> {
    let settings = Settings::from_env()?;
    let mock = MockServer::start();
    let base = mock.url().to_owned();
    let config = || -> Result<Config, BoxError> {
        Ok(Config::new(&base)?.with_app(App::self_built(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET)))
    };
    let uri = format!("{base}{CHATS}");
    let endpoint = RawEndpoint::get(CHATS);

    // Both SDK clients warm their token caches with one call; the raw clients
    // get the token by hand (the mock re-issues a live token: the same one).
    let sdk_ureq = feishu_ureq::Client::new(config()?);
    sdk_ureq.send(&endpoint)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let sdk_reqwest = feishu_reqwest::Client::new(config()?)?;
    runtime.block_on(sdk_reqwest.send(&endpoint))?;
    let token = raw_token(&base)?;
    let sdk_token = sdk_ureq.tenant_access_token(SELF_BUILT_APP_ID, SELF_BUILT_APP_SECRET)?;
    if sdk_token.tenant_access_token.expose() != token {
        eprintln!("note: the raw clients' token is not the SDK's");
    }
    let authorization = format!("Bearer {token}");
    let fetched = mock.tokens_issued("tenant");

    if settings.report {
        println!(
            "adapters: feishu-mock in-process at {base}; {} calls per run, {} runs per side \
             (order rotating), {} tasks for c64, {} warm-up calls per side",
            settings.calls, settings.runs, settings.concurrency, settings.warmup
        );
    }
    let mut rows = Vec::new();

    // ureq, sequential.
    let raw_agent = ureq::Agent::new_with_defaults();
    let raw_t_agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(TIMEOUT))
        .build()
        .new_agent();
    let sdk_call = || -> Result<(), BoxError> {
        black_box(sdk_ureq.send(&endpoint)?);
        Ok(())
    };
    let raw_call = || -> Result<(), BoxError> {
        let mut response = raw_agent
            .get(&uri)
            .header("Authorization", &authorization)
            .call()?;
        check_envelope(&response.body_mut().read_to_vec()?)
    };
    let raw_t_call = || -> Result<(), BoxError> {
        let mut response = raw_t_agent
            .get(&uri)
            .header("Authorization", &authorization)
            .config()
            .timeout_global(Some(TIMEOUT))
            .build()
            .call()?;
        check_envelope(&response.body_mut().read_to_vec()?)
    };
    sequential(settings.warmup, sdk_call)?;
    sequential(settings.warmup, raw_call)?;
    sequential(settings.warmup, raw_t_call)?;
    let calls = settings.calls;
    let sides = compare(
        settings.runs,
        vec![
            Box::new(|| sequential(calls, sdk_call)),
            Box::new(|| sequential(calls, raw_call)),
            Box::new(|| sequential(calls, raw_t_call)),
        ],
    )?;
    rows.push(Row::new("ureq seq", sides)?);

    // reqwest, sequential and concurrent, on a multi-threaded runtime.
    let clients = Arc::new(ReqwestSides {
        sdk: sdk_reqwest,
        raw: reqwest::Client::new(),
        raw_t: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .build()?,
        endpoint: endpoint.clone(),
        uri: uri.clone(),
        authorization: authorization.clone(),
    });
    let which = [Which::Sdk, Which::Raw, Which::RawT];
    runtime.block_on(async {
        for side in which {
            clients.sequential(side, settings.warmup).await?;
        }
        Ok::<_, BoxError>(())
    })?;
    let sides = compare(
        settings.runs,
        which
            .iter()
            .map(|&side| -> Workload<'_> {
                let clients = &clients;
                let runtime = &runtime;
                Box::new(move || runtime.block_on(clients.sequential(side, calls)))
            })
            .collect(),
    )?;
    rows.push(Row::new("reqwest seq", sides)?);

    let tasks = settings.concurrency;
    runtime.block_on(async {
        for side in which {
            ReqwestSides::concurrent(&clients, side, tasks, settings.warmup).await?;
        }
        Ok::<_, BoxError>(())
    })?;
    let sides = compare(
        settings.runs,
        which
            .iter()
            .map(|&side| -> Workload<'_> {
                let clients = &clients;
                let runtime = &runtime;
                Box::new(move || {
                    runtime.block_on(ReqwestSides::concurrent(clients, side, tasks, calls))
                })
            })
            .collect(),
    )?;
    rows.push(Row::new("reqwest c64", sides)?);

    // Every SDK call ran on the cached token.
    if mock.tokens_issued("tenant") != fetched {
        return Err("the SDK fetched tokens while measured: the cache was not warm".into());
    }
    if settings.report {
        report(&rows);
    } else {
        println!("adapters: smoke run done (run with `cargo bench --bench adapters` to measure)");
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Which {
    Sdk,
    Raw,
    RawT,
}

/// The three async sides' clients.
struct ReqwestSides {
    sdk: feishu_reqwest::Client,
    raw: reqwest::Client,
    raw_t: reqwest::Client,
    endpoint: RawEndpoint,
    uri: String,
    authorization: String,
}

impl ReqwestSides {
    async fn call(&self, which: Which) -> Result<(), BoxError> {
        let raw = match which {
            Which::Sdk => {
                black_box(self.sdk.send(&self.endpoint).await?);
                return Ok(());
            }
            Which::Raw => self.raw.get(&self.uri),
            Which::RawT => self.raw_t.get(&self.uri).timeout(TIMEOUT),
        };
        let response = raw
            .header("Authorization", &self.authorization)
            .send()
            .await?;
        check_envelope(&response.bytes().await?)
    }

    async fn sequential(&self, which: Which, calls: usize) -> Result<Run, BoxError> {
        let mut latencies = Vec::with_capacity(calls);
        let start = Instant::now();
        for _ in 0..calls {
            let before = Instant::now();
            self.call(which).await?;
            latencies.push(before.elapsed());
        }
        Ok(Run {
            latencies,
            elapsed: start.elapsed(),
        })
    }

    /// `calls` calls split among `tasks` tokio tasks.
    async fn concurrent(
        clients: &Arc<ReqwestSides>,
        which: Which,
        tasks: usize,
        calls: usize,
    ) -> Result<Run, BoxError> {
        let start = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for task in 0..tasks {
            let share = calls / tasks + usize::from(task < calls % tasks);
            let clients = Arc::clone(clients);
            set.spawn(async move {
                let mut latencies = Vec::with_capacity(share);
                for _ in 0..share {
                    let before = Instant::now();
                    clients.call(which).await?;
                    latencies.push(before.elapsed());
                }
                Ok::<_, BoxError>(latencies)
            });
        }
        let mut latencies = Vec::with_capacity(calls);
        while let Some(task) = set.join_next().await {
            latencies.extend(task??);
        }
        Ok(Run {
            latencies,
            elapsed: start.elapsed(),
        })
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

fn report(rows: &[Row]) {
    println!();
    println!(
        "{:<12} {:<6} {:>10} {:>10} {:>10} {:>7}",
        "pair", "side", "median µs", "p99 µs", "calls/s", "calls"
    );
    for row in rows {
        for (side, label) in [(&row.sdk, "sdk"), (&row.raw, "raw"), (&row.raw_t, "raw+t")] {
            println!(
                "{:<12} {:<6} {:>10.1} {:>10.1} {:>10.0} {:>7}",
                row.name,
                label,
                side.percentile(50.0),
                side.percentile(99.0),
                side.throughput(),
                side.latencies.len()
            );
        }
    }
    println!();
    println!(
        "{:<12} {:<12} {:>9} {:>9} {:>11}   targets: median ≤ {LATENCY_TARGET}×, throughput ≥ {THROUGHPUT_TARGET}×",
        "pair", "ratio", "median", "p99", "throughput"
    );
    for row in rows {
        for (side, label) in [(&row.sdk, "sdk/raw"), (&row.raw_t, "raw+t/raw")] {
            let median = side.percentile(50.0) / row.raw.percentile(50.0);
            let p99 = side.percentile(99.0) / row.raw.percentile(99.0);
            let throughput = side.throughput() / row.raw.throughput();
            let verdicts = if label == "sdk/raw" {
                format!(
                    "latency {}, throughput {}",
                    verdict(median <= LATENCY_TARGET),
                    verdict(throughput >= THROUGHPUT_TARGET)
                )
            } else {
                "(attribution: raw set up like the adapter)".to_owned()
            };
            println!(
                "{:<12} {:<12} {:>8.3}× {:>8.3}× {:>10.3}×   {verdicts}",
                row.name, label, median, p99, throughput
            );
        }
    }
}
