//! Observers see the same steps and the same summary from both drivers:
//! each request (token requests apart), each wait and why, each store
//! operation, and the call's outcome, code and log id.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use http::{Request, Response};

use super::{answer, core, run, start};
use crate::driver::{
    AsyncClient, BlockingClient, CallEvent, CallInfo, CallObserver, CallSummary, Observer, Outcome,
    WaitReason, Watching,
};
use crate::{
    CachedToken, RawEndpoint, Secret, StoreAnswer, StoreOp, TransportError, TransportErrorKind,
};

/// Writes down every step and summary, in order.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct CallLog(Arc<Mutex<Vec<String>>>);

impl Recorder {
    fn lines(&self) -> Vec<String> {
        self.0.lock().expect("unpoisoned").clone()
    }
}

impl Observer for Recorder {
    fn start(&self, call: &CallInfo) -> Watching {
        let line = format!("start {} {} {}", call.endpoint, call.method, call.path);
        self.0.lock().expect("unpoisoned").push(line);
        Watching::Steps(Box::new(CallLog(self.0.clone())))
    }
}

impl CallObserver for CallLog {
    fn on_event(&mut self, event: &CallEvent<'_>) {
        let line = match event {
            CallEvent::Attempt(a) => format!(
                "{:?} {} {} {:?} {:?} {:?} {:?}",
                a.purpose,
                a.number,
                a.path,
                a.status.map(|s| s.as_u16()),
                a.code,
                a.log_id,
                a.transport_error
            ),
            CallEvent::Waited { reason, duration } => {
                format!("waited {} {}s", reason.as_str(), duration.as_secs())
            }
            CallEvent::Stored { operation, outcome } => format!("store {operation} {outcome:?}"),
        };
        self.0.lock().expect("unpoisoned").push(line);
    }

    fn on_end(self: Box<Self>, summary: &CallSummary) {
        let line = format!(
            "end {} attempts={} tokens={} waited={}s store={} {:?} {:?} {:?}",
            summary.outcome.as_str(),
            summary.attempts,
            summary.token_requests,
            summary.waited.as_secs(),
            summary.store_operations,
            summary.status.map(|s| s.as_u16()),
            summary.code,
            summary.log_id,
        );
        self.0.lock().expect("unpoisoned").push(line);
    }
}

/// Runs one call on each driver, on a simulated clock, with the same
/// scripted answers, and returns what each recorder saw.
fn both(
    respond: impl Fn(&Request<Vec<u8>>, usize) -> Result<Response<Vec<u8>>, TransportError> + Sync,
    store: Option<fn(&StoreOp, usize) -> StoreAnswer>,
) -> [Vec<String>; 2] {
    let endpoint = RawEndpoint::get("/open-apis/im/v1/chats");
    let blocking = {
        let recorder = Recorder::default();
        let now = Mutex::new(start());
        let asked = AtomicUsize::new(0);
        let transport =
            |request: Request<Vec<u8>>| respond(&request, asked.fetch_add(1, Ordering::Relaxed));
        let clock = (
            || *now.lock().expect("unpoisoned"),
            |wait| *now.lock().expect("unpoisoned") += wait,
        );
        let mut client =
            BlockingClient::new(core(), transport, clock).with_observer(Arc::new(recorder.clone()));
        if let Some(store) = store {
            let ops = AtomicUsize::new(0);
            let store =
                move |op: &StoreOp, _: SystemTime| store(op, ops.fetch_add(1, Ordering::Relaxed));
            client = client.with_shared_store(Arc::new(store));
        }
        let _ = client.send(&endpoint);
        recorder.lines()
    };
    let nonblocking = {
        let recorder = Recorder::default();
        let now = Mutex::new(start());
        let asked = AtomicUsize::new(0);
        let transport = |request: Request<Vec<u8>>| {
            std::future::ready(respond(&request, asked.fetch_add(1, Ordering::Relaxed)))
        };
        let time = || *now.lock().expect("unpoisoned");
        let sleep = |wait| {
            *now.lock().expect("unpoisoned") += wait;
            std::future::ready(())
        };
        let mut client = AsyncClient::new(core(), transport, (time, sleep))
            .with_observer(Arc::new(recorder.clone()));
        if let Some(store) = store {
            let ops = Arc::new(AtomicUsize::new(0));
            let store = move |op: &StoreOp, _: SystemTime| {
                std::future::ready(store(op, ops.fetch_add(1, Ordering::Relaxed)))
            };
            client = client.with_shared_store(Arc::new(store));
        }
        let _ = run(client.send(&endpoint));
        recorder.lines()
    };
    [blocking, nonblocking]
}

#[test]
fn a_rate_limited_call_is_seen_request_by_request_and_summed_up() {
    // The token, a 429 asking for 3 s, the chats.
    let [blocking, nonblocking] = both(|request, n| Ok(answer(request, n.saturating_sub(1))), None);
    assert_eq!(
        blocking,
        [
            "start raw GET ",
            "Token 1 /open-apis/auth/v3/tenant_access_token/internal Some(200) Some(0) None None",
            "Endpoint 1 /open-apis/im/v1/chats Some(429) Some(99991400) None None",
            "waited rate_limit 3s",
            "Endpoint 2 /open-apis/im/v1/chats Some(200) Some(0) None None",
            "end ok attempts=2 tokens=1 waited=3s store=0 Some(200) None None",
        ]
    );
    assert_eq!(blocking, nonblocking, "one form for both drivers");
}

fn response(status: u16, body: &str, log_id: Option<&str>) -> Response<Vec<u8>> {
    let mut response = Response::new(body.as_bytes().to_vec());
    *response.status_mut() = http::StatusCode::from_u16(status).expect("a status");
    if let Some(log_id) = log_id {
        response
            .headers_mut()
            .insert("x-tt-logid", log_id.parse().expect("a header"));
    }
    response
}

const TOKEN: &str = r#"{"code":0,"msg":"ok","tenant_access_token":"t-7f1bcd13fc57d46bac21793a18e560","expire":7200}"#;

#[test]
fn a_failed_call_ends_with_its_code_and_log_id_and_a_lost_answer_is_a_retry() {
    let [blocking, nonblocking] = both(
        |_, n| match n {
            0 => Ok(response(200, TOKEN, None)),
            1 => Err(TransportError::new(
                TransportErrorKind::Connect,
                std::io::Error::other("refused"),
            )),
            _ => Ok(response(
                400,
                r#"{"code":230002,"msg":"Bot is not in the chat"}"#,
                Some("20240726ab"),
            )),
        },
        None,
    );
    assert_eq!(
        blocking[2],
        "Endpoint 1 /open-apis/im/v1/chats None None None Some(Connect)"
    );
    assert!(blocking[3].starts_with("waited retry "), "{blocking:?}");
    assert_eq!(
        blocking[4],
        "Endpoint 2 /open-apis/im/v1/chats Some(400) Some(230002) Some(\"20240726ab\") None"
    );
    assert_eq!(
        blocking.last().map(String::as_str),
        Some(
            "end api attempts=2 tokens=1 waited=0s store=0 Some(400) Some(230002) Some(\"20240726ab\")"
        )
    );
    assert_eq!(blocking, nonblocking);
}

#[test]
fn a_wait_for_another_processs_refresh_is_a_token_refresh_wait() {
    // Nothing stored, the lock held elsewhere, then the other's token.
    let store = |op: &StoreOp, n: usize| match (op, n) {
        (StoreOp::Load(_), 0) => StoreAnswer::Loaded(None),
        (StoreOp::Lock { .. }, _) => StoreAnswer::Locked(None),
        (StoreOp::Load(_), _) => StoreAnswer::Loaded(Some(CachedToken::new(
            Secret::new("t-from-another-process"),
            7200,
            start(),
            Duration::from_secs(300),
        ))),
        _ => StoreAnswer::Done,
    };
    let [blocking, nonblocking] = both(|_, _| Ok(response(200, super::CHATS, None)), Some(store));
    assert_eq!(blocking[1..3], ["store load Miss", "store lock Busy"]);
    assert!(
        blocking[3].starts_with("waited token_refresh"),
        "{blocking:?}"
    );
    assert_eq!(blocking[4], "store load Hit");
    assert_eq!(
        blocking.last().map(String::as_str),
        Some("end ok attempts=1 tokens=0 waited=0s store=3 Some(200) None None")
    );
    assert_eq!(blocking, nonblocking);
}

#[test]
fn an_observer_of_summaries_is_a_closure_and_wait_reasons_name_themselves() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kept = seen.clone();
    let observer =
        move |summary: &CallSummary| kept.lock().expect("unpoisoned").push(summary.clone());
    let transport = |request: Request<Vec<u8>>| Ok::<_, TransportError>(answer(&request, 1));
    let client =
        BlockingClient::new(core(), transport, (start, |_| {})).with_observer(Arc::new(observer));
    client
        .send(&RawEndpoint::get("/open-apis/im/v1/chats"))
        .expect("the chats");
    let seen = seen.lock().expect("unpoisoned");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].outcome, Outcome::Ok);
    assert_eq!(
        seen[0].call.path, "/open-apis/im/v1/chats",
        "a raw endpoint's path as sent"
    );
    assert_eq!(
        seen[0].waited_for[2],
        (WaitReason::TokenRefresh, Duration::ZERO)
    );
}

#[test]
fn the_code_of_an_attempt_is_read_from_any_json_body_and_nothing_else() {
    use crate::driver::observe::feishu_code;
    assert_eq!(
        feishu_code(br#"{"code":99991663,"msg":"x"}"#),
        Some(99991663)
    );
    assert_eq!(feishu_code(br#"{"msg":"x","code":"20001"}"#), Some(20001));
    for body in [
        &b""[..],
        b"<html>502</html>",
        b"{\"code\":",
        b"{\"msg\":1}",
        b"\x89PNG",
    ] {
        assert_eq!(feishu_code(body), None, "{body:?}");
    }
    let huge = format!("{{\"code\":1,\"pad\":\"{}\"}}", "x".repeat(70_000));
    assert_eq!(
        feishu_code(huge.as_bytes()),
        None,
        "a large body is not scanned"
    );
}
