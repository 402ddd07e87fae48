//! [`EventHub`]: the delivery settings, target and log of one server, and the
//! delivery loop with its redelivery schedule.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::crypto::{self, Random};
use super::http::{self, Endpoint};
use super::payloads;
use super::{DeliveryAttempt, DeliveryReport, EventSecurity, Tamper, WebhookTarget};

/// Feishu's redelivery delays: 15 s, 5 min, 1 h, 6 h.
const FEISHU_REDELIVERY: [Duration; 4] = [
    Duration::from_secs(15),
    Duration::from_secs(5 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(6 * 60 * 60),
];

/// Feishu wants HTTP 200 within 3 s.
const FEISHU_TIMEOUT: Duration = Duration::from_secs(3);

/// How long after a resend answers the ticket is pushed.
const RESEND_PUSH_DELAY: Duration = Duration::from_millis(50);

const TIMESTAMP_HEADER: &str = "x-lark-request-timestamp";
const NONCE_HEADER: &str = "x-lark-request-nonce";
const SIGNATURE_HEADER: &str = "x-lark-signature";

/// The delivery settings a [`MockServerBuilder`](crate::MockServerBuilder) chose.
#[derive(Clone, Debug)]
pub(crate) struct EventConfig {
    pub(crate) redelivery_delays: Vec<Duration>,
    pub(crate) timeout: Duration,
}

impl Default for EventConfig {
    fn default() -> Self {
        Self {
            redelivery_delays: FEISHU_REDELIVERY.to_vec(),
            timeout: FEISHU_TIMEOUT,
        }
    }
}

/// One event to deliver.
pub(crate) struct Job {
    pub(crate) target: WebhookTarget,
    pub(crate) endpoint: Endpoint,
    pub(crate) payload: Value,
    pub(crate) tamper: Tamper,
}

impl Job {
    /// A job for `target`; `Err` says why its URL cannot be delivered to.
    pub(crate) fn new(
        target: &WebhookTarget,
        payload: Value,
        tamper: Tamper,
    ) -> Result<Job, String> {
        Ok(Job {
            endpoint: Endpoint::parse(&target.url)?,
            target: target.clone(),
            payload,
            tamper,
        })
    }
}

/// The events side of one server.
pub(crate) struct EventHub {
    config: EventConfig,
    pub(crate) random: Random,
    target: Mutex<Option<WebhookTarget>>,
    deliveries: Mutex<Vec<DeliveryReport>>,
}

impl EventHub {
    pub(crate) fn new(config: EventConfig) -> Self {
        Self {
            config,
            random: Random::new(),
            target: Mutex::new(None),
            deliveries: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn set_target(&self, target: Option<WebhookTarget>) {
        *lock(&self.target) = target;
    }

    /// The event target, if one is set.
    pub(crate) fn target(&self) -> Option<WebhookTarget> {
        lock(&self.target).clone()
    }

    /// Every finished delivery, in the order they finished.
    pub(crate) fn deliveries(&self) -> Vec<DeliveryReport> {
        lock(&self.deliveries).clone()
    }

    /// Delivers `job`, retrying on the schedule, and logs the report.
    pub(crate) async fn deliver(self: Arc<Self>, job: Job) -> DeliveryReport {
        // `Value`'s `Display` is its compact JSON form and cannot fail.
        let plaintext = job.payload.to_string().into_bytes();
        let mut attempts = Vec::new();
        let mut delays = self.config.redelivery_delays.iter();
        let delivered = loop {
            let attempt = self.attempt(&job, &plaintext).await;
            let ok = attempt.status == Some(200);
            attempts.push(attempt);
            if ok {
                break true;
            }
            match delays.next() {
                Some(&delay) => tokio::time::sleep(delay).await,
                None => break false,
            }
        };
        let report = DeliveryReport {
            attempts,
            delivered,
            url: job.target.url,
            payload: job.payload,
        };
        lock(&self.deliveries).push(report.clone());
        report
    }

    /// One `POST`, prepared afresh.
    async fn attempt(&self, job: &Job, plaintext: &[u8]) -> DeliveryAttempt {
        let (headers, body) = prepare(
            &job.target.security,
            plaintext,
            &job.tamper,
            &self.random,
            unix_now(),
        );
        let started = Instant::now();
        let post = http::post(&job.endpoint, &headers, body.clone());
        let result = tokio::time::timeout(self.config.timeout, post).await;
        let elapsed = started.elapsed();
        let (status, answer, error) = match result {
            Ok(Ok((status, answer))) => (Some(status), answer, None),
            Ok(Err(e)) => (None, Vec::new(), Some(e)),
            Err(_) => {
                let e = format!("no answer within {:?}", self.config.timeout);
                (None, Vec::new(), Some(e))
            }
        };
        DeliveryAttempt {
            status,
            body: answer,
            elapsed,
            sent_body: body,
            error,
        }
    }

    /// After a successful `app_ticket/resend`: pushes the ticket to the
    /// event target, if there is one, in the background. Must be called on
    /// the server's runtime.
    pub(crate) fn push_app_ticket(self: &Arc<Self>, app_id: &str, ticket: &str) {
        let Some(target) = lock(&self.target).clone() else {
            return;
        };
        let token = target.security.verification_token();
        let payload = payloads::app_ticket(&self.random, app_id, ticket, token);
        // `set_event_target` checked the URL.
        let Ok(job) = Job::new(&target, payload, Tamper::None) else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let hub = Arc::clone(self);
        runtime.spawn(async move {
            tokio::time::sleep(RESEND_PUSH_DELAY).await;
            hub.deliver(job).await;
        });
    }
}

/// The headers and body of one attempt to deliver `plaintext`, sent at
/// `now` (Unix seconds).
fn prepare(
    security: &EventSecurity,
    plaintext: &[u8],
    tamper: &Tamper,
    random: &Random,
    now: i64,
) -> (Vec<(&'static str, String)>, Vec<u8>) {
    let encrypt_key = match security {
        EventSecurity::Encrypted { encrypt_key, .. } => encrypt_key,
        EventSecurity::TokenOnly { verification_token } => {
            let mut body = plaintext.to_vec();
            if matches!(tamper, Tamper::Body) {
                flip_token(&mut body, verification_token);
            }
            return (Vec::new(), body);
        }
    };
    let key = match tamper {
        Tamper::WrongKey(key) => key,
        _ => encrypt_key,
    };
    let encrypted = crypto::encrypt(key, random.iv(), plaintext);
    let mut body = json!({ "encrypt": encrypted }).to_string().into_bytes();
    let offset = match tamper {
        Tamper::Timestamp(offset) => *offset,
        _ => 0,
    };
    let timestamp = now.saturating_add(offset).to_string();
    let nonce = random.nonce();
    let signature = crypto::signature(&timestamp, &nonce, key, &body);
    if matches!(tamper, Tamper::Body) {
        flip_encrypted(&mut body);
    }
    if matches!(tamper, Tamper::Unsigned) {
        return (Vec::new(), body);
    }
    let headers = vec![
        (TIMESTAMP_HEADER, timestamp),
        (NONCE_HEADER, nonce),
        (SIGNATURE_HEADER, signature),
    ];
    (headers, body)
}

/// Changes the base64 character in the middle of `{"encrypt":"…"}`.
fn flip_encrypted(body: &mut [u8]) {
    const PREFIX: usize = r#"{"encrypt":""#.len();
    let value_len = body.len().saturating_sub(PREFIX + 2);
    if let Some(byte) = body.get_mut(PREFIX + value_len / 2) {
        *byte = if *byte == b'A' { b'B' } else { b'A' };
    }
}

/// Changes the last character of the first `"<token>"` string in `body`, or,
/// without one, the byte in the middle of the body.
fn flip_token(body: &mut [u8], token: &str) {
    let quoted = format!("\"{token}\"");
    let at = body
        .windows(quoted.len())
        .position(|window| window == quoted.as_bytes())
        .filter(|_| !token.is_empty())
        .map_or(body.len() / 2, |start| start + quoted.len() - 2);
    if let Some(byte) = body.get_mut(at) {
        *byte = if *byte == b'x' { b'y' } else { b'x' };
    }
}

/// Now, in Unix seconds.
fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encrypted() -> EventSecurity {
        EventSecurity::Encrypted {
            encrypt_key: "k".to_owned(),
            verification_token: "vt".to_owned(),
        }
    }

    #[test]
    fn signed_attempts_are_fresh_and_verifiable() {
        let random = Random::new();
        let (headers, body) = prepare(&encrypted(), b"{}", &Tamper::None, &random, 1000);
        let value = |name| &headers.iter().find(|(n, _)| *n == name).expect(name).1;
        assert_eq!(value(TIMESTAMP_HEADER), "1000");
        let expected = crypto::signature("1000", value(NONCE_HEADER), "k", &body);
        assert_eq!(value(SIGNATURE_HEADER), &expected);
        let (again, other_body) = prepare(&encrypted(), b"{}", &Tamper::None, &random, 1000);
        assert_ne!(body, other_body, "a fresh IV");
        assert_ne!(headers[1], again[1], "a fresh nonce");
    }

    #[test]
    fn tampering_with_the_body_keeps_json() {
        let random = Random::new();
        let (_, body) = prepare(&encrypted(), b"{}", &Tamper::Body, &random, 0);
        let value: Value = serde_json::from_slice(&body).expect("JSON");
        assert!(value["encrypt"].is_string());
        let plain = br#"{"token":"vt","x":"vt"}"#;
        let token_only = EventSecurity::TokenOnly {
            verification_token: "vt".to_owned(),
        };
        let (headers, body) = prepare(&token_only, plain, &Tamper::Body, &random, 0);
        assert!(headers.is_empty());
        assert_eq!(body, br#"{"token":"vx","x":"vt"}"#);
        let (_, body) = prepare(&token_only, plain, &Tamper::Unsigned, &random, 0);
        assert_eq!(body, plain);
    }
}
