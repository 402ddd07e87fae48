//! The layer in front of every route: counts hits, applies queued faults and
//! stamps each response with a fresh `X-Tt-Logid`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::reply::LogId;
use crate::state::Shared;

/// The header Feishu puts its log id in.
const LOG_ID_HEADER: &str = "x-tt-logid";

/// Middleware run for every request, including unknown paths and wrong methods.
pub(crate) async fn intercept(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    // Counted before faults apply, so a test can tell "retried" from "gave up".
    shared.count_hit(&path);
    let fault = shared.take_fault(&path);

    let log_id = shared.ids.log_id();
    request.extensions_mut().insert(LogId(log_id.clone()));

    let mut response = match &fault {
        None => next.run(request).await,
        Some(fault) => {
            let delay = fault.delay_before_answer();
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            match fault.scripted_response() {
                Some(response) => response,
                None => next.run(request).await,
            }
        }
    };
    if let Some(fault) = &fault {
        fault.apply_headers(response.headers_mut());
    }
    if !response.headers().contains_key(LOG_ID_HEADER) {
        if let Ok(value) = HeaderValue::try_from(log_id) {
            response.headers_mut().insert(LOG_ID_HEADER, value);
        }
    }
    response
}
