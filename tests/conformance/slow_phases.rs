//! A hostile server that keeps every phase of an answer just under the
//! timeout: the timeout must bound the whole request, not each phase, and the
//! call's deadline must bound every attempt together.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use feishu_core::{Config, Error, RawEndpoint, RetryPolicy, Secret, TransportErrorKind};

use crate::Adapter;

/// The body the slow server trickles out, one byte per phase.
const BODY: &[u8] = br#"{"code":0,"msg":"success","data":{"items":[]}}"#;

/// Starts a server on 127.0.0.1 that answers every request's head after
/// `head`, then its body one byte every `trickle`: the head alone stays under
/// the timeout, and so does each byte, but the whole answer takes many times
/// it. Returns its base URL.
fn slow_server(head: Duration, trickle: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || serve_slowly(stream, head, trickle));
        }
    });
    url
}

fn serve_slowly(stream: TcpStream, head: Duration, trickle: Duration) {
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let mut stream = reader.into_inner();
    let head_bytes = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        BODY.len()
    );
    // A write fails once the client gave up: then stop quietly.
    thread::sleep(head);
    if stream.write_all(head_bytes.as_bytes()).is_err() {
        return;
    }
    for byte in BODY {
        thread::sleep(trickle);
        if stream
            .write_all(&[*byte])
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

fn transport_kind(error: &Error) -> Option<TransportErrorKind> {
    match error {
        Error::Transport(error) => Some(error.kind()),
        Error::Exhausted(exhausted) => transport_kind(&exhausted.last),
        _ => None,
    }
}

/// Calls the chats through `config` and asserts the call failed with a
/// timeout within 1.2 × `bound`; `what` names the bound in the message.
fn times_out_within<A: Adapter>(config: Config, bound: Duration, what: &str) {
    let client = A::new(config);
    let started = Instant::now();
    let error = client
        .send_with_token(
            &RawEndpoint::get("/open-apis/im/v1/chats"),
            &Secret::new("t-any"),
        )
        .expect_err("the answer takes far longer than the bound");
    let took = started.elapsed();

    assert_eq!(
        transport_kind(&error),
        Some(TransportErrorKind::Timeout),
        "{error:?}"
    );
    assert!(
        took <= bound * 6 / 5,
        "the call took {took:?} against a {bound:?} {what}"
    );
}

/// The request's timeout bounds the whole exchange: a server that sends its
/// head at 0.9 × the timeout and then trickles the body gets a timeout error
/// by 1.2 × the timeout.
pub fn the_timeout_bounds_the_whole_request<A: Adapter>() {
    let timeout = Duration::from_secs(1);
    let url = slow_server(timeout * 9 / 10, timeout / 5);
    let config = Config::new(&url)
        .expect("a loopback URL")
        .with_timeout(timeout)
        .with_retry_policy(RetryPolicy::never());
    times_out_within::<A>(config, timeout, "timeout");
}

/// The call's deadline bounds the whole call: each request's timeout is cut
/// to what remains of it, and that cut bounds the whole request too.
pub fn the_deadline_bounds_the_whole_call<A: Adapter>() {
    let deadline = Duration::from_secs(2);
    let url = slow_server(deadline * 9 / 10, deadline / 10);
    let mut policy = RetryPolicy::default();
    policy.deadline = deadline;
    let config = Config::new(&url)
        .expect("a loopback URL")
        .with_timeout(Duration::from_secs(60))
        .with_retry_policy(policy);
    times_out_within::<A>(config, deadline, "deadline");
}
