//! The running server: its own OS thread and tokio runtime, started by a
//! builder, stopped on drop.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, mpsc};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use axum::Router;
use axum::middleware;
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::fault::Fault;
use crate::intercept::intercept;
use crate::state::{App, AppKind, Shared};
use crate::tokens::TokenPolicy;
use crate::{auth, im, reply};

/// How long a dropped server lets in-flight requests finish before it cuts
/// their connections; idle keep-alive connections close at once.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// A running mock server on `127.0.0.1`; dropping it stops the server.
///
/// ```
/// let server = feishu_mock::MockServer::start();
/// println!("Feishu is at {}", server.url());
/// ```
pub struct MockServer {
    url: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server with the default apps on an ephemeral port.
    ///
    /// # Panics
    ///
    /// If the server cannot start (no port on `127.0.0.1` can be bound, or no
    /// thread can be spawned). Use [`MockServer::builder`] to get the error instead.
    pub fn start() -> MockServer {
        MockServer::builder()
            .start()
            .unwrap_or_else(|e| panic!("feishu-mock: cannot start the server: {e}"))
    }

    /// A builder to add apps or change the port and token timing.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL, such as `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many requests arrived on `path` (without the query), faults included.
    pub fn hits(&self, path: &str) -> usize {
        self.shared.hits(path)
    }

    /// Queues `fault` for `path` (without the query); queued faults answer in
    /// FIFO order, each for its `times` requests.
    ///
    /// Any path works, including ones the mock does not implement, so a test
    /// can script an endpoint's answer.
    pub fn inject(&self, path: &str, fault: Fault) {
        self.shared.inject(path, fault);
    }

    /// Sets every hit count back to zero.
    pub fn reset_hits(&self) {
        self.shared.reset_hits();
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .finish()
    }
}

impl Drop for MockServer {
    /// Stops accepting, lets in-flight requests finish for up to a second, and
    /// joins the server thread, so it blocks the caller for at most about a second.
    fn drop(&mut self) {
        self.stop.send_replace(true);
        if let Some(thread) = self.thread.take() {
            // A panic on the server thread already failed whatever it served.
            let _ = thread.join();
        }
    }
}

/// Configures a [`MockServer`]; starts with the default apps (see the crate's
/// constants), a 7200 s token lifetime, a 30 min re-issue threshold and an
/// ephemeral port.
pub struct MockServerBuilder {
    apps: HashMap<String, App>,
    policy: TokenPolicy,
    port: u16,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        let builder = MockServerBuilder {
            apps: HashMap::new(),
            policy: TokenPolicy {
                lifetime: Duration::from_secs(7200),
                reissue_threshold: Duration::from_secs(30 * 60),
            },
            port: 0,
        };
        builder
            .self_built_app(crate::SELF_BUILT_APP_ID, crate::SELF_BUILT_APP_SECRET)
            .marketplace_app(
                crate::MARKETPLACE_APP_ID,
                crate::MARKETPLACE_APP_SECRET,
                crate::MARKETPLACE_APP_TICKET,
                &[crate::MARKETPLACE_TENANT_KEY],
            )
    }
}

impl MockServerBuilder {
    /// Adds a self-built app (replacing any app with this id). Its tenant key
    /// is `mock_self_built_tenant`.
    pub fn self_built_app(mut self, app_id: &str, app_secret: &str) -> Self {
        let app = App {
            secret: app_secret.to_owned(),
            kind: AppKind::SelfBuilt,
        };
        self.apps.insert(app_id.to_owned(), app);
        self
    }

    /// Adds a marketplace app (replacing any app with this id) that accepts
    /// `app_ticket` and is installed by the tenants in `tenant_keys`.
    pub fn marketplace_app(
        mut self,
        app_id: &str,
        app_secret: &str,
        app_ticket: &str,
        tenant_keys: &[&str],
    ) -> Self {
        let app = App {
            secret: app_secret.to_owned(),
            kind: AppKind::Marketplace {
                app_ticket: app_ticket.to_owned(),
                tenant_keys: tenant_keys.iter().map(|&key| key.to_owned()).collect(),
            },
        };
        self.apps.insert(app_id.to_owned(), app);
        self
    }

    /// How long a new token lives (default 7200 s, Feishu's maximum).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.policy.lifetime = lifetime;
        self
    }

    /// A token request returns the current token while it has at least this
    /// long left, else a new one (default 30 min, Feishu's rule). With a
    /// lifetime at or below the threshold, every request gets a new token.
    pub fn reissue_threshold(mut self, t: Duration) -> Self {
        self.policy.reissue_threshold = t;
        self
    }

    /// The port to listen on (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds `127.0.0.1:<port>` and starts serving on a new thread; the URL is
    /// live when this returns.
    ///
    /// # Errors
    ///
    /// If the port cannot be bound, or the thread or its runtime cannot start.
    pub fn start(self) -> io::Result<MockServer> {
        let shared = Arc::new(Shared::new(self.apps, self.policy));
        let app = router(Arc::clone(&shared));
        let (stop, stop_rx) = watch::channel(false);
        let (ready_tx, ready_rx) = mpsc::channel();
        let port = self.port;
        // A thread and runtime of its own, so starting works from sync code and
        // from inside any runtime, even a current-thread one whose test blocks.
        let thread = thread::Builder::new()
            .name("feishu-mock".to_owned())
            .spawn(move || run(port, app, stop_rx, &ready_tx))?;
        let bound = ready_rx.recv();
        let addr = match bound {
            Ok(Ok(addr)) => addr,
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(io::Error::other(
                    "feishu-mock: server thread exited before binding",
                ));
            }
        };
        Ok(MockServer {
            url: format!("http://{addr}"),
            shared,
            stop,
            thread: Some(thread),
        })
    }
}

impl fmt::Debug for MockServerBuilder {
    /// Lists app ids and settings; secrets stay out of logs even for mock apps.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let apps: BTreeMap<_, _> = self
            .apps
            .iter()
            .map(|(id, app)| {
                let kind = match app.kind {
                    AppKind::SelfBuilt => "self-built",
                    AppKind::Marketplace { .. } => "marketplace",
                };
                (id.as_str(), kind)
            })
            .collect();
        f.debug_struct("MockServerBuilder")
            .field("apps", &apps)
            .field("token_lifetime", &self.policy.lifetime)
            .field("reissue_threshold", &self.policy.reissue_threshold)
            .field("port", &self.port)
            .finish()
    }
}

/// Every route, behind the hit/fault/log-id layer; unknown paths get the 404.
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(auth::routes())
        .merge(im::routes())
        .fallback(reply::not_found)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            intercept,
        ))
        .with_state(shared)
}

/// The server thread: a current-thread runtime serving until told to stop.
fn run(
    port: u16,
    app: Router,
    stop: watch::Receiver<bool>,
    ready: &mpsc::Sender<io::Result<SocketAddr>>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(serve(port, app, stop, ready)),
        Err(e) => {
            let _ = ready.send(Err(e));
        }
    }
    // Dropping the runtime cancels any connection the grace period did not end.
}

async fn serve(
    port: u16,
    app: Router,
    stop: watch::Receiver<bool>,
    ready: &mpsc::Sender<io::Result<SocketAddr>>,
) {
    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
        Ok(listener) => listener,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    match listener.local_addr() {
        Ok(addr) => {
            let _ = ready.send(Ok(addr));
        }
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    }
    // Without TCP_NODELAY a response split over two writes waits for the
    // client's delayed ACK (~40 ms), which would be charged to the client.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(stopped(stop.clone()))
        .into_future();
    tokio::pin!(server);
    tokio::select! {
        _ = &mut server => return,
        () = stopped(stop) => {}
    }
    // Graceful shutdown closes idle connections at once but waits for requests
    // in flight (a long `Fault::delay`, say); bound that wait.
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, server).await;
}

/// Resolves once the server is told to stop (or its handle is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|&stop| stop).await;
}
