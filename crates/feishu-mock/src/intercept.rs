//! The layer in front of every route: counts hits, applies queued faults and
//! stamps each response with a fresh `X-Tt-Logid`; the control API
//! (`/_mock/…`) passes through untouched.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::fault::{Action, Fault};
use crate::reply::{LogId, MAX_BODY};
use crate::request_body;
use crate::state::Shared;
use crate::{connection, control};

/// The header Feishu puts its log id in.
const LOG_ID_HEADER: &str = "x-tt-logid";

/// Middleware run for every request, including unknown paths and wrong methods.
pub(crate) async fn intercept(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    // The control API is the test's own channel: counting its requests would
    // muddle the counts it reports, and a fault on it would lock the test out.
    if control::is_control_path(&path) {
        return next.run(request).await;
    }
    // Counted before faults apply, so a test can tell "retried" from "gave up".
    shared.count_hit(&path);
    let fault = shared.take_fault(&path);

    let log_id = shared.ids.log_id();
    request.extensions_mut().insert(LogId(log_id.clone()));

    let mut response = match &fault {
        None => next.run(request).await,
        Some(fault) => match apply(fault, request, next).await {
            Applied::Answer(response) => response,
            Applied::Close => return connection::close(),
        },
    };
    if let Some(fault) = &fault {
        fault.apply_headers(response.headers_mut());
    }
    if !response.headers().contains_key(LOG_ID_HEADER)
        && let Ok(value) = HeaderValue::try_from(log_id)
    {
        response.headers_mut().insert(LOG_ID_HEADER, value);
    }
    response
}

/// What a fault made of a request.
enum Applied {
    /// Send this (stamped with headers).
    Answer(Response),
    /// Send nothing; close the connection.
    Close,
}

async fn apply(fault: &Fault, request: Request, next: Next) -> Applied {
    let delay = fault.delay_before_answer();
    let answer = match fault.action() {
        Action::Pass => {
            sleep(delay).await;
            next.run(request).await
        }
        Action::Replace(answer) => {
            sleep(delay).await;
            answer.response()
        }
        Action::AfterHandling(answer) => {
            // The handler's side effects are what this fault is about; its
            // answer is not.
            drop(next.run(request).await);
            sleep(delay).await;
            answer.response()
        }
        Action::CloseConnection => {
            // Read the request whole: closing on unread bytes makes the kernel
            // send a reset, which could reach the client before it finishes
            // sending, and this fault is "no answer", not "refused mid-send".
            let _ = request_body::read(request.into_body(), MAX_BODY).await;
            sleep(delay).await;
            return Applied::Close;
        }
        Action::TruncateBody => {
            let _ = request_body::read(request.into_body(), MAX_BODY).await;
            sleep(delay).await;
            connection::truncated()
        }
    };
    Applied::Answer(answer)
}

async fn sleep(delay: Duration) {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}
