//! The driver loops an adapter runs, over the blocking and the async
//! client, with a transport and a clock of the test's: tokens, building,
//! parsing and the call's retries included.

use std::time::{Duration, UNIX_EPOCH};

use feishu_core::Config;
use feishu_core::cardkit::stream::{CardStream, DEFAULT_ELEMENT_ID, Next, Target};

use crate::MS;
use crate::fake::{CARD_ID, Fake, MESSAGE_ID};

/// The loop an adapter runs, over the blocking client with a transport
/// and a clock of the test's: tokens, building and parsing included.
#[test]
fn the_blocking_driver_loop() {
    use std::cell::{Cell, RefCell};

    use feishu_core::driver::{BlockingClient, Clock};
    use feishu_core::{App, Client, TransportError, TransportErrorKind};

    let clock = Cell::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let fake = RefCell::new(Fake::new(DEFAULT_ELEMENT_ID));
    let requests = Cell::new(0);
    let transport =
        |request: http::Request<Vec<u8>>| -> Result<http::Response<Vec<u8>>, TransportError> {
            let response = fake.borrow_mut().handle(&request, clock.get());
            clock.set(clock.get() + 30 * MS);
            requests.set(requests.get() + 1);
            // The 8th request is carried out, but its answer is lost.
            if requests.get() == 8 {
                return Err(TransportError::new(
                    TransportErrorKind::Reset,
                    "connection reset",
                ));
            }
            Ok(response)
        };
    let config = Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "secret"));
    let client = BlockingClient::new(
        Client::new(config, 0x5eed),
        transport,
        (|| clock.get(), |d: Duration| clock.set(clock.get() + d)),
    );
    // The producer: an LLM answering a token every 20 ms.
    let tokens: Vec<String> = (0..300).map(|i| format!("t{i} ")).collect();
    let mut chunks = tokens.iter().map(|token| {
        clock.set(clock.get() + 20 * MS);
        token.clone()
    });

    let mut stream = CardStream::new(Target::reply("om_dc13264520392913993dd051dba21dcf"), 21);
    let streamed = loop {
        match stream.poll(client.clock().now()) {
            Next::Send(request) => {
                let answer = client.send(&request);
                stream.on_answer(answer, client.clock().now());
            }
            Next::WaitForChunk { .. } => match chunks.next() {
                Some(chunk) => stream.push(&chunk),
                None => stream.finish(),
            },
            Next::Wait(until) => {
                let now = client.clock().now();
                client
                    .clock()
                    .sleep(until.duration_since(now).unwrap_or_default());
            }
            Next::Done(result) => break result,
        }
    }
    .unwrap_or_else(|e| panic!("{e}"));

    let fake = fake.into_inner();
    assert_eq!(fake.shown(), tokens.concat());
    assert!(!fake.streaming);
    assert_eq!(fake.rate_violations, 0);
    assert_eq!(streamed.message_id, MESSAGE_ID);
    // The send carried a uuid of its own, so a retry would post once.
    assert_eq!(fake.sent[0]["uuid"].as_str().map(str::len), Some(36));
    // The write whose answer was lost was sent again with its uuid and
    // sequence, and Feishu carried it out once.
    let replays: Vec<_> = fake.ops.iter().filter(|op| op.replay).collect();
    assert_eq!(replays.len(), 1);
    assert_eq!(
        fake.ops
            .iter()
            .filter(|op| op.applied() && op.uuid == replays[0].uuid)
            .count(),
        1
    );
}

/// The async loop, over the async client (run here on a no-op waker: the
/// transport and clock are ready at once).
#[test]
fn the_async_driver_loop() {
    use std::future::{Future, ready};
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Waker};

    use feishu_core::driver::AsyncClient;
    use feishu_core::{App, Client, TransportError};

    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
        }
    }

    let clock = Arc::new(Mutex::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    let now = {
        let clock = clock.clone();
        move || *clock.lock().unwrap_or_else(|e| e.into_inner())
    };
    let advance = {
        let clock = clock.clone();
        move |d: Duration| {
            *clock.lock().unwrap_or_else(|e| e.into_inner()) += d;
        }
    };
    let fake = Arc::new(Mutex::new(Fake::new(DEFAULT_ELEMENT_ID)));
    let transport = {
        let (fake, now, advance) = (fake.clone(), now.clone(), advance.clone());
        move |request: http::Request<Vec<u8>>| {
            let response = fake
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .handle(&request, now());
            advance(30 * MS);
            ready(Ok::<_, TransportError>(response))
        }
    };
    let sleep = {
        let advance = advance.clone();
        move |d: Duration| {
            advance(d);
            ready(())
        }
    };
    let config = Config::feishu().with_app(App::self_built("cli_a5d611352af9d00b", "secret"));
    let client = AsyncClient::new(Client::new(config, 0x5eed), transport, (now.clone(), sleep));
    let tokens: Vec<String> = (0..200).map(|i| format!("t{i} ")).collect();

    let streamed = block_on(async {
        let mut chunks = tokens.iter();
        let mut stream = CardStream::new(Target::reply("om_dc13264520392913993dd051dba21dcf"), 22);
        loop {
            match stream.poll(now()) {
                Next::Send(request) => {
                    let answer = client.send(&request).await;
                    stream.on_answer(answer, now());
                }
                // A real driver races the producer against `until` here.
                Next::WaitForChunk { .. } => {
                    advance(15 * MS);
                    match chunks.next() {
                        Some(chunk) => stream.push(chunk),
                        None => stream.finish(),
                    }
                }
                Next::Wait(until) => {
                    let wait = until.duration_since(now()).unwrap_or_default();
                    feishu_core::driver::AsyncClock::sleep(client.clock(), wait).await;
                }
                Next::Done(result) => break result,
            }
        }
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let fake = fake.lock().unwrap_or_else(|e| e.into_inner());
    assert_eq!(fake.shown(), tokens.concat());
    assert!(!fake.streaming);
    assert_eq!(streamed.card_id.as_str(), CARD_ID);
}
