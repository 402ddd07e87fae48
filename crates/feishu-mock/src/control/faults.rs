//! `POST /_mock/faults`: a [`Fault`] as JSON, checked whole before it is
//! queued, so a bad one is a 400 and never a panic.
//!
//! ```json
//! {"path": "/open-apis/im/v1/messages", "kind": "status", "status": 503,
//!  "body": "<html>busy</html>", "content_type": "text/html",
//!  "headers": {"Retry-After": "1"}, "delay_ms": 200, "times": 2}
//! ```
//!
//! `kind` is `status`, `json` (with `json`, any JSON value), `delay`,
//! `after_handling`, `close_connection` or `truncate_body`, as the
//! constructors of [`Fault`] are named.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ControlError, body, is_control_path, respond};
use crate::fault::Fault;
use crate::state::Shared;

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Status,
    Json,
    Delay,
    AfterHandling,
    CloseConnection,
    TruncateBody,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultRequest {
    path: String,
    kind: Kind,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    json: Option<Value>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    delay_ms: u64,
    #[serde(default = "once")]
    times: usize,
}

fn once() -> usize {
    1
}

pub(super) async fn inject(State(shared): State<Arc<Shared>>, request: Body) -> Response {
    let result = async {
        let request: FaultRequest = body(request).await?;
        let path = request.path.clone();
        if !path.starts_with('/') || path.contains('?') {
            return Err(ControlError::bad_request(
                "path must start with / and have no query",
            ));
        }
        if is_control_path(&path) {
            return Err(ControlError::bad_request("the control API takes no faults"));
        }
        let fault = fault(request).map_err(ControlError::bad_request)?;
        shared.inject(&path, fault);
        Ok(json!({}))
    };
    respond(result.await)
}

/// The fault `request` describes, or what is wrong with it.
fn fault(request: FaultRequest) -> Result<Fault, String> {
    let status = || {
        request
            .status
            .ok_or_else(|| "this kind needs \"status\"".to_owned())
    };
    let mut fault = match request.kind {
        Kind::Status => Fault::try_status(status()?)?,
        Kind::AfterHandling => Fault::try_after_handling(status()?)?,
        Kind::Json => {
            let json = request
                .json
                .as_ref()
                .ok_or("kind \"json\" needs \"json\"")?;
            Fault::try_status(status()?)?.try_body(
                crate::reply::JSON_CONTENT_TYPE,
                json.to_string().into_bytes(),
            )?
        }
        Kind::Delay => Fault::delay(Duration::ZERO),
        Kind::CloseConnection => Fault::close_connection(),
        Kind::TruncateBody => Fault::truncate_body(),
    };
    if request.json.is_some() && !matches!(request.kind, Kind::Json) {
        return Err("only kind \"json\" takes \"json\"".to_owned());
    }
    if matches!(request.kind, Kind::Json) && request.body.is_some() {
        return Err("kind \"json\" takes \"json\", not \"body\"".to_owned());
    }
    if !matches!(
        request.kind,
        Kind::Status | Kind::Json | Kind::AfterHandling
    ) && request.status.is_some()
    {
        return Err("this kind takes no \"status\"".to_owned());
    }
    match (&request.body, &request.content_type) {
        (Some(body), content_type) => {
            let content_type = content_type
                .as_deref()
                .unwrap_or("text/plain; charset=utf-8");
            fault = fault.try_body(content_type, body.clone().into_bytes())?;
        }
        (None, Some(_)) => return Err("\"content_type\" goes with \"body\"".to_owned()),
        (None, None) => {}
    }
    for (name, value) in &request.headers {
        fault = fault.try_header(name, value)?;
    }
    Ok(fault
        .then_delay(Duration::from_millis(request.delay_ms))
        .times(request.times))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: Value) -> Result<Fault, String> {
        let request: FaultRequest = serde_json::from_value(value).map_err(|e| e.to_string())?;
        fault(request)
    }

    #[test]
    fn faults_are_checked_before_they_are_built() {
        let fine = [
            json!({"path": "/x", "kind": "status", "status": 503}),
            json!({"path": "/x", "kind": "json", "status": 429, "json": {"code": 99991400}}),
            json!({"path": "/x", "kind": "delay", "delay_ms": 10}),
            json!({"path": "/x", "kind": "delay", "body": "hi"}),
            json!({"path": "/x", "kind": "after_handling", "status": 500, "times": 3}),
            json!({"path": "/x", "kind": "close_connection", "delay_ms": 5}),
            json!({"path": "/x", "kind": "truncate_body", "headers": {"X-A": "b"}}),
        ];
        for request in fine {
            assert!(parse(request.clone()).is_ok(), "{request}");
        }
        let bad = [
            json!({"path": "/x", "kind": "status"}),
            json!({"path": "/x", "kind": "status", "status": 1000}),
            json!({"path": "/x", "kind": "json", "status": 200}),
            json!({"path": "/x", "kind": "json", "status": 200, "json": {}, "body": "x"}),
            json!({"path": "/x", "kind": "close_connection", "body": "x"}),
            json!({"path": "/x", "kind": "truncate_body", "status": 200}),
            json!({"path": "/x", "kind": "status", "status": 503, "headers": {"bad name": "x"}}),
            json!({"path": "/x", "kind": "status", "status": 503, "content_type": "text/html"}),
            json!({"path": "/x", "kind": "explode"}),
            json!({"path": "/x", "kind": "status", "status": 503, "colour": "red"}),
        ];
        for request in bad {
            assert!(parse(request.clone()).is_err(), "{request}");
        }
    }
}
