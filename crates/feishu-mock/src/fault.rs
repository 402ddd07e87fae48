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
/// [`json`](Fault::json)) or *delays* the normal answer ([`delay`](Fault::delay)).
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
/// # let _ = (outage, gateway, limited);
/// ```
#[derive(Clone, Debug)]
pub struct Fault {
    /// Waited before answering.
    delay: Duration,
    /// `None`: let the mock answer normally (after `delay`).
    answer: Option<Answer>,
    /// Added to the answer, whether scripted or normal.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Requests this fault still applies to.
    times: usize,
}

#[derive(Clone, Debug)]
struct Answer {
    status: StatusCode,
    content_type: Option<HeaderValue>,
    body: Bytes,
}

impl Fault {
    /// Answers with `status`, an empty body and no `Content-Type`, once.
    ///
    /// # Panics
    ///
    /// If `status` is not in `100..=999`.
    pub fn status(status: u16) -> Fault {
        Fault {
            delay: Duration::ZERO,
            answer: Some(Answer {
                status: status_code(status),
                content_type: None,
                body: Bytes::new(),
            }),
            headers: Vec::new(),
            times: 1,
        }
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
        Fault {
            delay: d,
            answer: None,
            headers: Vec::new(),
            times: 1,
        }
    }

    /// Replaces the body and its `Content-Type`.
    ///
    /// On a [`delay`](Fault::delay) fault this makes the answer a scripted
    /// `200` with this body.
    ///
    /// # Panics
    ///
    /// If `content_type` is not a valid header value.
    pub fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Fault {
        let content_type = header_value(content_type);
        let answer = self.answer.get_or_insert_with(|| Answer {
            status: StatusCode::OK,
            content_type: None,
            body: Bytes::new(),
        });
        answer.content_type = Some(content_type);
        answer.body = Bytes::from(body.into());
        self
    }

    /// Adds a response header, replacing a header of that name the answer would
    /// otherwise carry (calling it twice with one name sends both values).
    ///
    /// On a [`delay`](Fault::delay) fault the header is added to the normal
    /// answer. Setting `X-Tt-Logid` overrides the generated log id header.
    ///
    /// # Panics
    ///
    /// If `name` or `value` is not a valid header name or value.
    pub fn header(mut self, name: &str, value: &str) -> Fault {
        let parsed = HeaderName::try_from(name)
            .unwrap_or_else(|e| panic!("Fault::header: invalid header name {name:?}: {e}"));
        self.headers.push((parsed, header_value(value)));
        self
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

    /// The scripted response, or `None` to answer normally.
    pub(crate) fn scripted_response(&self) -> Option<Response> {
        let answer = self.answer.as_ref()?;
        let mut response = Response::new(Body::from(answer.body.clone()));
        *response.status_mut() = answer.status;
        if let Some(content_type) = &answer.content_type {
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, content_type.clone());
        }
        Some(response)
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
    StatusCode::from_u16(status)
        .unwrap_or_else(|e| panic!("Fault: invalid HTTP status {status}: {e}"))
}

fn header_value(value: &str) -> HeaderValue {
    HeaderValue::try_from(value)
        .unwrap_or_else(|e| panic!("Fault: invalid header value {value:?}: {e}"))
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

    #[test]
    fn queue_spends_each_fault_times_then_moves_on() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::status(503).times(2));
        queue.push(Fault::status(500).times(0));
        queue.push(Fault::delay(Duration::from_millis(1)));
        let statuses: Vec<_> = std::iter::from_fn(|| queue.next())
            .map(|f| f.scripted_response().map(|r| r.status().as_u16()))
            .collect();
        assert_eq!(statuses, [Some(503), Some(503), None]);
    }

    #[test]
    fn body_on_a_delay_fault_scripts_a_200() {
        let fault = Fault::delay(Duration::from_millis(5)).body("text/plain", "hi");
        let response = fault.scripted_response();
        assert_eq!(response.map(|r| r.status()), Some(StatusCode::OK));
        assert_eq!(fault.delay_before_answer(), Duration::from_millis(5));
    }

    #[test]
    #[should_panic(expected = "invalid HTTP status")]
    fn rejects_impossible_status() {
        let _ = Fault::status(1000);
    }
}
