//! The adapters under test: each builds its dispatcher from the suite's
//! [`Handlers`] and runs its `LongConnection` on a thread.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use feishu_core::Config;
use feishu_core::event::Dispatcher;
use feishu_core::event::types::MESSAGE_RECEIVED;
use feishu_core::long_connection::Options;

use crate::{Adapter, Handlers, Running};

/// How long a slow handler waits for its gate at most.
const GATE_BOUND: Duration = Duration::from_secs(20);

/// feishu-ureq: handlers on its thread pool.
pub struct Ureq;

/// feishu-reqwest: handlers spawned on a multi-thread runtime.
pub struct Reqwest;

impl Adapter for Ureq {
    fn start(
        config: Config,
        handlers: Arc<Handlers>,
        options: Options,
        max_in_flight: usize,
    ) -> Running {
        let (on_message, on_card, fallback) = (handlers.clone(), handlers.clone(), handlers);
        let dispatcher = Dispatcher::new()
            .on(MESSAGE_RECEIVED, move |header, received| {
                if on_message.message(header, received)? {
                    let deadline = Instant::now() + GATE_BOUND;
                    while !on_message.open() && Instant::now() < deadline {
                        thread::sleep(Duration::from_millis(5));
                    }
                    on_message.slow_done.fetch_add(1, Ordering::SeqCst);
                }
                Ok(())
            })
            .on_card_action(move |action| {
                let (delay, answer) = on_card.card(&action);
                thread::sleep(delay);
                Ok(answer)
            })
            .fallback(move |event| {
                fallback.other(&event.event_type);
                Ok(())
            });
        let client = feishu_ureq::Client::new(config);
        let connection = Arc::new(
            client
                .long_connection(dispatcher)
                .with_options(options)
                .with_max_in_flight(max_in_flight),
        );
        let (stop, stats) = (connection.clone(), connection.clone());
        Running {
            shutdown: Box::new(move || stop.shutdown()),
            stats: Box::new(move || stats.stats()),
            debug: format!("{connection:?}"),
            thread: thread::spawn(move || connection.run()),
        }
    }
}

impl Adapter for Reqwest {
    fn start(
        config: Config,
        handlers: Arc<Handlers>,
        options: Options,
        max_in_flight: usize,
    ) -> Running {
        let (on_message, on_card, fallback) = (handlers.clone(), handlers.clone(), handlers);
        let dispatcher = Dispatcher::new_async()
            .on(MESSAGE_RECEIVED, move |header, received| {
                let handlers = on_message.clone();
                async move {
                    if handlers.message(header, received)? {
                        let deadline = Instant::now() + GATE_BOUND;
                        while !handlers.open() && Instant::now() < deadline {
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                        handlers.slow_done.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(())
                }
            })
            .on_card_action(move |action| {
                let (delay, answer) = on_card.card(&action);
                async move {
                    tokio::time::sleep(delay).await;
                    Ok(answer)
                }
            })
            .fallback(move |event| {
                fallback.other(&event.event_type);
                async { Ok(()) }
            });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let client = runtime.block_on(async { feishu_reqwest::Client::new(config) });
        let client = client.expect("a client");
        let connection = Arc::new(
            client
                .long_connection(dispatcher)
                .with_options(options)
                .with_max_in_flight(max_in_flight),
        );
        let (stop, stats) = (connection.clone(), connection.clone());
        Running {
            shutdown: Box::new(move || stop.shutdown()),
            stats: Box::new(move || stats.stats()),
            debug: format!("{connection:?}"),
            thread: thread::spawn(move || runtime.block_on(connection.run())),
        }
    }
}
