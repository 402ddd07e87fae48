//! Scripted answers that override, or delay, the mock's normal behaviour.

use std::collections::VecDeque;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::reply::JSON_CONTENT_TYPE;

/// A scripted answer for the next `times` requests to a path.
///
/// Queue one with [`MockServer::inject`](crate::MockServer::inject). A fault
/// either *answers* the request itself ([`status`](Fault::status),
/// [`json`](Fault::json)), *delays* the normal answer ([`delay`](Fault::delay)),
/// *replaces* the normal answer after the request was handled
/// ([`after_handling`](Fault::after_handling)), or breaks the connection
/// ([`close_connection`](Fault::close_connection),
/// [`truncate_body`](Fault::truncate_body)).
///
/// ```
/// use std::time::Duration;
/// use feishu_mock::Fault;
///
/// // Two empty 503s, each after half a second.
/// let outage = Fault::status(503).then_delay(Duration::from_millis(500)).times(2);
/// // A gateway page instead of JSON.
/// let gateway = Fault::status(502).body("text/html", "<html>502</html>");
/// // Feishu's rate-limit answer.
/// let limited = Fault::json(429, serde_json::json!({"code": 99991400, "msg": "request trigger frequency limit"}))
///     .header("x-ogw-ratelimit-reset", "1");
/// // The message is stored, but the client is told 500.
/// let lost_answer = Fault::after_handling(500);
/// // The connection dies without an answer, three times.
/// let reset = Fault::close_connection().times(3);
/// # let _ = (outage, gateway, limited, lost_answer, reset);
/// ```
#[derive(Clone, Debug)]
pub struct Fault {
    /// Waited before answering.
    delay: Duration,
    action: Action,
    /// Added to the answer, whether scripted or normal.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Requests this fault still applies to.
    times: usize,
}

/// What a fault does with the request.
#[derive(Clone, Debug)]
pub(crate) enum Action {
    /// Let the mock answer normally (after the delay).
    Pass,
    /// Answer this instead of the mock (after the delay).
    Replace(Answer),
    /// Let the mock handle the request, then answer this instead (after the
    /// delay).
    AfterHandling(Answer),
    /// Read the request, wait the delay, close the connection unanswered.
    CloseConnection,
    /// Wait the delay, send a head and part of the body, close.
    TruncateBody,
}

/// A scripted response.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    status: StatusCode,
    content_type: Option<HeaderValue>,
    body: Bytes,
}

impl Answer {
    fn empty(status: StatusCode) -> Answer {
        Answer {
            status,
            content_type: None,
            body: Bytes::new(),
        }
    }

    /// This answer as a response.
    pub(crate) fn response(&self) -> Response {
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.status_mut() = self.status;
        if let Some(content_type) = &self.content_type {
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, content_type.clone());
        }
        response
    }
}

impl Fault {
    fn new(action: Action) -> Fault {
        Fault {
            delay: Duration::ZERO,
            action,
            headers: Vec::new(),
            times: 1,
        }
    }

    /// Answers with `status`, an empty body and no `Content-Type`, once.
    ///
    /// # Panics
    ///
    /// If `status` is not in `100..=999`.
    pub fn status(status: u16) -> Fault {
        Fault::new(Action::Replace(Answer::empty(status_code(status))))
    }

    /// [`status`](Fault::status), or why `status` is impossible.
    pub(crate) fn try_status(status: u16) -> Result<Fault, String> {
        Ok(Fault::new(Action::Replace(Answer::empty(try_status_code(
            status,
        )?))))
    }

    /// Answers with `status` and `body` as `application/json; charset=utf-8`, once.
    ///
    /// The body is sent as given: add `"error": {"log_id": …}` yourself if the
    /// client under test needs it.
    ///
    /// # Panics
    ///
    /// If `status` is not in `100..=999`.
    pub fn json(status: u16, body: serde_json::Value) -> Fault {
        Fault::status(status).body(JSON_CONTENT_TYPE, body.to_string())
    }

    /// Waits `d`, then lets the mock answer normally, once.
    pub fn delay(d: Duration) -> Fault {
        Fault::new(Action::Pass).then_delay(d)
    }

    /// Lets the mock handle the request (so a sent message *is* stored), then
    /// throws its answer away and answers `status` with an empty body instead,
    /// once: "accepted, then 500".
    ///
    /// With [`then_delay`](Fault::then_delay) the wait comes after the
    /// handling, before the answer: a slow failure of a request that succeeded.
    ///
    /// # Panics
    ///
    /// If `status` is not in `100..=999`.
    pub fn after_handling(status: u16) -> Fault {
        Fault::new(Action::AfterHandling(Answer::empty(status_code(status))))
    }

    /// [`after_handling`](Fault::after_handling), or why `status` is impossible.
    pub(crate) fn try_after_handling(status: u16) -> Result<Fault, String> {
        Ok(Fault::new(Action::AfterHandling(Answer::empty(
            try_status_code(status)?,
        ))))
    }

    /// Reads the request, then closes the connection without writing a byte,
    /// once; the mock does not handle the request.
    ///
    /// With [`then_delay`](Fault::then_delay) the connection hangs that long
    /// before it closes.
    pub fn close_connection() -> Fault {
        Fault::new(Action::CloseConnection)
    }

    /// Sends `200` with `Content-Type: application/json; charset=utf-8`,
    /// `Content-Length: 1000` and the first few bytes of a JSON body, then
    /// closes the connection: a response cut mid-body, once. The mock does not
    /// handle the request.
    ///
    /// With [`then_delay`](Fault::then_delay) the head is sent after that wait.
    pub fn truncate_body() -> Fault {
        Fault::new(Action::TruncateBody)
    }

    /// Replaces the body and its `Content-Type`.
    ///
    /// On a [`delay`](Fault::delay) fault this makes the answer a scripted
    /// `200` with this body.
    ///
    /// # Panics
    ///
    /// If `content_type` is not a valid header value, or on a
    /// [`close_connection`](Fault::close_connection) or
    /// [`truncate_body`](Fault::truncate_body) fault, which send no body of
    /// their choosing.
    pub fn body(self, content_type: &str, body: impl Into<Vec<u8>>) -> Fault {
        self.try_body(content_type, body.into())
            .unwrap_or_else(|e| panic!("Fault::body: {e}"))
    }

    /// [`body`](Fault::body), with the reason it cannot be set instead of a panic.
    pub(crate) fn try_body(mut self, content_type: &str, body: Vec<u8>) -> Result<Fault, String> {
        let content_type = try_header_value(content_type)?;
        if matches!(self.action, Action::Pass) {
            self.action = Action::Replace(Answer::empty(StatusCode::OK));
        }
        let answer = match &mut self.action {
            Action::Replace(answer) | Action::AfterHandling(answer) => answer,
            Action::Pass | Action::CloseConnection | Action::TruncateBody => {
                return Err("a broken connection sends no body of the fault's choosing".to_owned());
            }
        };
        answer.content_type = Some(content_type);
        answer.body = Bytes::from(body);
        Ok(self)
    }

    /// Adds a response header, replacing a header of that name the answer would
    /// otherwise carry (calling it twice with one name sends both values).
    ///
    /// On a [`delay`](Fault::delay) fault the header is added to the normal
    /// answer. Setting `X-Tt-Logid` overrides the generated log id header.
    /// A [`close_connection`](Fault::close_connection) fault sends no headers.
    ///
    /// # Panics
    ///
    /// If `name` or `value` is not a valid header name or value.
    pub fn header(self, name: &str, value: &str) -> Fault {
        self.try_header(name, value)
            .unwrap_or_else(|e| panic!("Fault::header: {e}"))
    }

    /// [`header`](Fault::header), with the reason it cannot be added instead
    /// of a panic.
    pub(crate) fn try_header(mut self, name: &str, value: &str) -> Result<Fault, String> {
        let parsed =
            HeaderName::try_from(name).map_err(|e| format!("invalid header name {name:?}: {e}"))?;
        self.headers.push((parsed, try_header_value(value)?));
        Ok(self)
    }

    /// Applies this fault to the next `n` requests instead of one; `0` makes
    /// it a no-op.
    pub fn times(mut self, n: usize) -> Fault {
        self.times = n;
        self
    }

    /// Waits `d` before sending the scripted answer (for a `delay` fault this
    /// replaces its delay).
    pub fn then_delay(mut self, d: Duration) -> Fault {
        self.delay = d;
        self
    }

    /// How long to wait before answering.
    pub(crate) fn delay_before_answer(&self) -> Duration {
        self.delay
    }

    /// What to do with the request.
    pub(crate) fn action(&self) -> &Action {
        &self.action
    }

    /// Puts this fault's extra headers on `headers`.
    pub(crate) fn apply_headers(&self, headers: &mut HeaderMap) {
        for (name, _) in &self.headers {
            headers.remove(name);
        }
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
    }
}

fn status_code(status: u16) -> StatusCode {
    try_status_code(status).unwrap_or_else(|e| panic!("Fault: {e}"))
}

fn try_status_code(status: u16) -> Result<StatusCode, String> {
    StatusCode::from_u16(status).map_err(|e| format!("invalid HTTP status {status}: {e}"))
}

fn try_header_value(value: &str) -> Result<HeaderValue, String> {
    HeaderValue::try_from(value).map_err(|e| format!("invalid header value {value:?}: {e}"))
}

/// The faults queued for one path, consumed front first.
#[derive(Default)]
pub(crate) struct FaultQueue(VecDeque<Fault>);

impl FaultQueue {
    pub(crate) fn push(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.0.push_back(fault);
        }
    }

    /// The fault for the next request, spending one of its `times`.
    pub(crate) fn next(&mut self) -> Option<Fault> {
        let front = self.0.front_mut()?;
        if front.times > 1 {
            front.times -= 1;
            Some(front.clone())
        } else {
            self.0.pop_front()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripted_status(fault: &Fault) -> Option<u16> {
        match fault.action() {
            Action::Replace(answer) => Some(answer.response().status().as_u16()),
            _ => None,
        }
    }

    #[test]
    fn queue_spends_each_fault_times_then_moves_on() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::status(503).times(2));
        queue.push(Fault::status(500).times(0));
        queue.push(Fault::delay(Duration::from_millis(1)));
        let statuses: Vec<_> = std::iter::from_fn(|| queue.next())
            .map(|f| scripted_status(&f))
            .collect();
        assert_eq!(statuses, [Some(503), Some(503), None]);
    }

    #[test]
    fn body_on_a_delay_fault_scripts_a_200() {
        let fault = Fault::delay(Duration::from_millis(5)).body("text/plain", "hi");
        assert_eq!(scripted_status(&fault), Some(200));
        assert_eq!(fault.delay_before_answer(), Duration::from_millis(5));
    }

    #[test]
    fn after_handling_keeps_its_body_and_delay() {
        let fault = Fault::after_handling(500)
            .body("text/plain", "oops")
            .then_delay(Duration::from_millis(7));
        let Action::AfterHandling(answer) = fault.action() else {
            panic!("{fault:?}");
        };
        assert_eq!(
            answer.response().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(fault.delay_before_answer(), Duration::from_millis(7));
    }

    #[test]
    #[should_panic(expected = "sends no body")]
    fn broken_connections_take_no_body() {
        let _ = Fault::truncate_body().body("text/plain", "x");
    }

    #[test]
    #[should_panic(expected = "invalid HTTP status")]
    fn rejects_impossible_status() {
        let _ = Fault::status(1000);
    }
}
