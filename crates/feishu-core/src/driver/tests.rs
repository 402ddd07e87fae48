//! Both drivers on a simulated clock: waits go to the clock they are given,
//! and nothing reads the real one.

use std::cell::Cell;
use std::future::{Future, ready};
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use http::{Request, Response};

use super::{AsyncClient, BlockingClient};
use crate::{App, Client, Config, RawEndpoint, TransportError};

const TOKEN: &str = r#"{"code":0,"msg":"ok","tenant_access_token":"t-7f1bcd13fc57d46bac21793a18e560","expire":7200}"#;
const RATE_LIMITED: &str = r#"{"code":99991400,"msg":"request trigger frequency limit"}"#;
pub(super) const CHATS: &str = r#"{"code":0,"msg":"success","data":{"items":[],"has_more":false}}"#;

fn start() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn core() -> Client {
    let app = App::self_built("cli_a5d611352af9d00b", "app-secret");
    Client::new(Config::feishu().with_app(app), 0x5eed)
}

/// The token, then a 429 asking for 3 s, then the chats.
fn answer(request: &Request<Vec<u8>>, chats_asked: usize) -> Response<Vec<u8>> {
    let (status, body) = match request.uri().path() {
        "/open-apis/auth/v3/tenant_access_token/internal" => (200, TOKEN),
        _ if chats_asked == 0 => (429, RATE_LIMITED),
        _ => (200, CHATS),
    };
    let mut response = Response::new(body.as_bytes().to_vec());
    *response.status_mut() = http::StatusCode::from_u16(status).expect("a status");
    response
        .headers_mut()
        .insert("x-ogw-ratelimit-reset", 3.into());
    response
}

/// Polls a future whose every await is ready, as the tests' transports and
/// clocks are.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

#[test]
fn the_blocking_driver_sleeps_on_its_clock() {
    let now = Cell::new(start());
    let chats_asked = Cell::new(0);
    let transport = |request: Request<Vec<u8>>| -> Result<_, TransportError> {
        let response = answer(&request, chats_asked.get());
        if !request.uri().path().contains("/auth/") {
            chats_asked.set(chats_asked.get() + 1);
        }
        Ok(response)
    };
    let clock = (|| now.get(), |wait| now.set(now.get() + wait));
    let client = BlockingClient::new(core(), transport, clock);

    let chats = client
        .send(&RawEndpoint::get("/open-apis/im/v1/chats"))
        .expect("the chats, after the reset");
    assert_eq!(chats["has_more"], false);
    assert_eq!(chats_asked.get(), 2);
    assert_eq!(
        now.get(),
        start() + Duration::from_secs(3),
        "slept the reset"
    );
}

#[test]
fn the_async_driver_sleeps_on_its_clock() {
    let now = Mutex::new(start());
    let chats_asked = Mutex::new(0);
    let transport = |request: Request<Vec<u8>>| {
        let mut asked = chats_asked.lock().expect("unpoisoned");
        let response = answer(&request, *asked);
        if !request.uri().path().contains("/auth/") {
            *asked += 1;
        }
        ready(Ok(response))
    };
    let time = || *now.lock().expect("unpoisoned");
    let sleep = |wait| {
        *now.lock().expect("unpoisoned") += wait;
        ready(())
    };
    let client = AsyncClient::new(core(), transport, (time, sleep));

    let chats = run(client.send(&RawEndpoint::get("/open-apis/im/v1/chats")))
        .expect("the chats, after the reset");
    assert_eq!(chats["has_more"], false);
    assert_eq!(*chats_asked.lock().expect("unpoisoned"), 2);
    assert_eq!(time(), start() + Duration::from_secs(3), "slept the reset");
}

mod observe;
mod shared_store;
