//! A webhook receiver on 127.0.0.1: axum in front of the pipeline, recording
//! what it delivered.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::post;
use feishu_core::event::{Delivery, Webhook};

/// What the receiver saw, in order.
#[derive(Clone, Default)]
pub struct Seen(Arc<Mutex<Vec<Delivery>>>);

impl Seen {
    /// Takes the deliveries so far.
    pub fn take(&self) -> Vec<Delivery> {
        std::mem::take(&mut *self.0.lock().expect("not poisoned"))
    }
}

#[derive(Clone)]
struct Receiver {
    webhook: Webhook,
    seen: Seen,
    /// Answer the first request this late, to make Feishu (the mock) redeliver.
    first_answer_delay: Arc<Mutex<Option<Duration>>>,
}

/// A running receiver; dropped with its runtime.
pub struct Server {
    pub url: String,
    pub seen: Seen,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    /// Serves `webhook` at `http://127.0.0.1:<port>/webhook`.
    pub fn start(webhook: Webhook) -> Self {
        Self::start_slow_once(webhook, None)
    }

    /// As `start`, but the first answer comes after `delay`.
    pub fn start_slow_once(webhook: Webhook, delay: Option<Duration>) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let seen = Seen::default();
        let receiver = Receiver {
            webhook,
            seen: seen.clone(),
            first_answer_delay: Arc::new(Mutex::new(delay)),
        };
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("a port");
        let addr: SocketAddr = listener.local_addr().expect("an address");
        let app = Router::new()
            .route("/webhook", post(receive))
            .with_state(receiver);
        runtime.spawn(async move { axum::serve(listener, app).await });
        Self {
            url: format!("http://{addr}/webhook"),
            seen,
            _runtime: runtime,
        }
    }
}

/// The whole integration: raw bytes in, the pipeline, its answer out.
async fn receive(State(receiver): State<Receiver>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, 1 << 20).await else {
        return Response::builder()
            .status(413)
            .body(Body::empty())
            .expect("a valid response");
    };
    let request = http::Request::from_parts(parts, bytes);
    let handled = receiver.webhook.handle(&request, SystemTime::now());
    receiver
        .seen
        .0
        .lock()
        .expect("not poisoned")
        .push(handled.delivery);
    let delay = receiver
        .first_answer_delay
        .lock()
        .expect("not poisoned")
        .take();
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    handled.response.map(Body::from)
}
