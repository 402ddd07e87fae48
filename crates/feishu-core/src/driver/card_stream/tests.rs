//! Both drive loops on a simulated clock, over a canned Feishu: the
//! producer's failure ends the stream closed, with its error.

use std::future::{Future, poll_fn, ready};
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::driver::{AsyncClient, BlockingClient, StreamReplyError, chunks_from_fn};
use crate::{App, Client, Config, TransportError};

/// Feishu, canned, recording each path; its clock moves 30 ms a request.
#[derive(Clone, Default)]
struct Feishu {
    paths: Arc<Mutex<Vec<String>>>,
    now: Arc<Mutex<Duration>>,
}

impl Feishu {
    fn answer(&self, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        let path = request.uri().path().to_owned();
        self.advance(Duration::from_millis(30));
        let body = if path.ends_with("/tenant_access_token/internal") {
            r#"{"code":0,"msg":"ok","tenant_access_token":"t-7f1bcd13fc57d46bac21793a18e560","expire":7200}"#
        } else if path == "/open-apis/cardkit/v1/cards" {
            r#"{"code":0,"msg":"success","data":{"card_id":"7355372766134157313"}}"#
        } else if path.ends_with("/reply") || path == "/open-apis/im/v1/messages" {
            r#"{"code":0,"msg":"success","data":{"message_id":"om_b2c6b7a8f1"}}"#
        } else {
            r#"{"code":0,"msg":"success","data":{}}"#
        };
        self.paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(path);
        http::Response::new(body.into())
    }

    fn now(&self) -> SystemTime {
        UNIX_EPOCH + *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }

    fn paths(&self) -> Vec<String> {
        self.paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn config() -> Config {
    Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "secret"))
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

#[test]
fn a_failing_iterator_ends_the_stream_closed_with_its_error() {
    let feishu = Feishu::default();
    let (transport, now, sleep) = (feishu.clone(), feishu.clone(), feishu.clone());
    let client = BlockingClient::new(
        Client::new(config(), 1),
        move |request: http::Request<Vec<u8>>| -> Result<_, TransportError> {
            Ok(transport.answer(&request))
        },
        (move || now.now(), move |d| sleep.advance(d)),
    );
    let chunks = [Ok("Hel"), Ok("lo"), Err("the model stopped"), Ok("never")];
    let error = client
        .stream_reply("om_dc13264520392913993dd051dba21dcf", chunks)
        .expect_err("the producer failed");
    let StreamReplyError::Producer { error, streamed } = error else {
        panic!("{error:?}");
    };
    assert_eq!(error, "the model stopped");
    assert!(streamed.producer_failed);
    assert_eq!(streamed.chars_written, "Hello".len());
    let paths = feishu.paths();
    assert!(
        paths.last().is_some_and(|p| p.ends_with("/settings")),
        "{paths:?}"
    );
}

#[test]
fn the_async_loop_pulls_a_producer_of_its_own_and_closes_on_its_failure() {
    let feishu = Feishu::default();
    let (transport, now, sleep) = (feishu.clone(), feishu.clone(), feishu.clone());
    let client = AsyncClient::new(
        Client::new(config(), 2),
        move |request: http::Request<Vec<u8>>| {
            ready(Ok::<_, TransportError>(transport.answer(&request)))
        },
        (
            move || now.now(),
            move |d| {
                sleep.advance(d);
                ready(())
            },
        ),
    );
    // A producer slower than the card: each chunk is pending at first,
    // and comes 400 ms after the last.
    let clock = feishu.clone();
    let mut chunks = vec![Err("boom"), Ok("world"), Ok("Hello, ")];
    let producer = chunks_from_fn(move || {
        let (mut chunk, mut polled, clock) = (Some(chunks.pop()), false, clock.clone());
        poll_fn(move |cx| {
            if !polled {
                polled = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            clock.advance(Duration::from_millis(400));
            Poll::Ready(chunk.take().flatten())
        })
    });
    let error = block_on(client.stream_to("oc_5ad11d72b830411d72b836c20", producer));
    let Err(StreamReplyError::Producer { error, streamed }) = error else {
        panic!("{error:?}");
    };
    assert_eq!(error, "boom");
    assert_eq!(streamed.chars_written, "Hello, world".len());
    let paths = feishu.paths();
    let writes = paths.iter().filter(|p| p.ends_with("/content")).count();
    assert_eq!(writes, 2, "one write a chunk: {paths:?}");
    assert!(paths.last().is_some_and(|p| p.ends_with("/settings")));
}
