//! The accept loop: one task per HTTP/1.1 connection, so a fault can drop one.
//!
//! `axum::serve` hides the connection, and an axum handler can only answer.
//! Closing a connection without writing a byte takes a failing hyper service,
//! so the router is wrapped in one: a response marked [`CloseConnection`]
//! becomes a service error, on which hyper drops the connection unanswered.
//! A body cut short needs no such help: [`truncated`] returns a body that
//! fails after its first bytes, and hyper then drops the connection too.

use std::convert::Infallible;
use std::error::Error;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::Response;
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::{Service as _, service_fn};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::reply::JSON_CONTENT_TYPE;

/// How long a stopping server lets in-flight requests finish before it cuts
/// their connections; idle keep-alive connections close at once.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// How long to wait after a failed `accept` (out of file descriptors, say)
/// before accepting again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// The `Content-Length` a truncated response promises.
const TRUNCATED_LENGTH: &str = "1000";

/// The bytes of the body a truncated response sends before the cut.
const TRUNCATED_PREFIX: &str = r#"{"code":0,"msg":"success","data":{"#;

/// Marks a response that must not be sent: its connection is closed instead.
#[derive(Clone, Copy, Debug)]
struct CloseConnection;

/// Why hyper dropped a connection: a fault asked for it.
#[derive(Debug)]
pub(crate) struct ConnectionDropped;

impl fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("feishu-mock: connection dropped by a fault")
    }
}

impl Error for ConnectionDropped {}

/// A response that closes its connection without writing anything.
pub(crate) fn close() -> Response {
    let mut response = Response::new(Body::empty());
    response.extensions_mut().insert(CloseConnection);
    response
}

/// A `200` that promises 1000 bytes of JSON, sends a few, then closes.
pub(crate) fn truncated() -> Response {
    let body = TruncatedBody {
        prefix: Some(Bytes::from_static(TRUNCATED_PREFIX.as_bytes())),
        flushed: false,
    };
    let mut response = Response::new(Body::new(body));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from_static(TRUNCATED_LENGTH),
    );
    response
}

/// Yields its prefix, then one `Pending` so hyper flushes the head and the
/// prefix to the socket, then an error, on which hyper drops the connection.
struct TruncatedBody {
    prefix: Option<Bytes>,
    flushed: bool,
}

impl hyper::body::Body for TruncatedBody {
    type Data = Bytes;
    type Error = ConnectionDropped;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ConnectionDropped>>> {
        let this = self.get_mut();
        if let Some(prefix) = this.prefix.take() {
            return Poll::Ready(Some(Ok(Frame::data(prefix))));
        }
        // hyper buffers what it has been given and flushes when the body is
        // pending; failing straight away would drop the buffer unsent.
        if !this.flushed {
            this.flushed = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(Some(Err(ConnectionDropped)))
    }
}

/// Serves `app` on `listener` until `stop` turns true, then gives requests in
/// flight [`SHUTDOWN_GRACE`] to finish.
pub(crate) async fn serve(listener: TcpListener, app: Router, stop: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = stopped(stop.clone()) => break,
        };
        match accepted {
            Ok((tcp, _)) => {
                connections.spawn(serve_connection(tcp, app.clone(), stop.clone()));
            }
            Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
        }
        while connections.try_join_next().is_some() {}
    }
    // Refuse new connections while the old ones wind down.
    drop(listener);
    let drained = async { while connections.join_next().await.is_some() {} };
    // Whatever is still running when this returns is cancelled with the runtime.
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, drained).await;
}

/// Serves one connection; on `stop`, finishes the request in flight (if any)
/// and closes.
async fn serve_connection(tcp: TcpStream, app: Router, stop: watch::Receiver<bool>) {
    // Without TCP_NODELAY a response split over two writes waits for the
    // client's delayed ACK (~40 ms), which would be charged to the client.
    let _ = tcp.set_nodelay(true);
    let router = TowerToHyperService::new(app);
    let service = service_fn(move |request: Request<Incoming>| {
        let answer = router.call(request);
        async move {
            let response: Response = answer.await.unwrap_or_else(|e: Infallible| match e {});
            if response.extensions().get::<CloseConnection>().is_some() {
                Err(ConnectionDropped)
            } else {
                Ok(response)
            }
        }
    });
    // Header names go out in canonical case (`X-Tt-Logid`, `Content-Type`),
    // as Feishu's gateway sends them: HTTP says case does not matter, but
    // official SDKs look some headers up by their exact spelling.
    let connection = http1::Builder::new()
        .title_case_headers(true)
        .serve_connection(TokioIo::new(tcp), service)
        // The long connection's WebSocket upgrade.
        .with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        () = stopped(stop) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}

/// Resolves once the server is told to stop (or its handle is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|&stop| stop).await;
}
