//! The handlers' threads: a fixed number, fed through a bounded queue. A
//! full queue is refused, not waited on, so the connection's thread keeps
//! pinging and ACKing while it holds the delivery back (and stops reading).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use feishu_core::event::{Dispatcher, Outcome};
use feishu_core::long_connection::{DeliveryId, Received};

type Done = (DeliveryId, Outcome);

/// Threads running a dispatcher's handlers.
pub(super) struct Pool {
    /// `None` when no thread could be spawned: handlers then run on the
    /// caller's thread.
    jobs: Option<SyncSender<Received>>,
    done_tx: Sender<Done>,
    done: Receiver<Done>,
    dispatcher: Arc<Dispatcher>,
}

impl Pool {
    /// `threads` threads (at least one) behind a queue of `queue` deliveries.
    /// The threads end when the pool is dropped and their handler returns.
    pub(super) fn start(dispatcher: Arc<Dispatcher>, threads: usize, queue: usize) -> Self {
        let (jobs, inbox) = mpsc::sync_channel::<Received>(queue);
        let inbox = Arc::new(Mutex::new(inbox));
        let (done_tx, done) = mpsc::channel();
        let mut spawned = 0;
        for n in 0..threads.max(1) {
            let (inbox, done_tx, dispatcher) = (inbox.clone(), done_tx.clone(), dispatcher.clone());
            let worker = thread::Builder::new()
                .name(format!("feishu-handler-{n}"))
                .spawn(move || work(&inbox, &done_tx, &dispatcher));
            spawned += usize::from(worker.is_ok());
        }
        Self {
            jobs: (spawned > 0).then_some(jobs),
            done_tx,
            done,
            dispatcher,
        }
    }

    /// Hands `received` to a thread; gives it back if the queue is full.
    pub(super) fn submit(&self, received: Received) -> Result<(), Received> {
        let Some(jobs) = &self.jobs else {
            let outcome = run(&self.dispatcher, received.incoming);
            let _ = self.done_tx.send((received.id, outcome));
            return Ok(());
        };
        match jobs.try_send(received) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(received) | TrySendError::Disconnected(received)) => {
                Err(received)
            }
        }
    }

    /// A handler's outcome, if one is ready.
    pub(super) fn try_done(&self) -> Option<Done> {
        self.done.try_recv().ok()
    }

    /// A handler's outcome, waiting up to `timeout` for one.
    pub(super) fn done_within(&self, timeout: Duration) -> Option<Done> {
        self.done.recv_timeout(timeout).ok()
    }
}

fn work(inbox: &Mutex<Receiver<Received>>, done: &Sender<Done>, dispatcher: &Dispatcher) {
    loop {
        // The lock is held only to take a job, not while it runs.
        let job = inbox.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(received) = job else {
            return;
        };
        let outcome = run(dispatcher, received.incoming);
        if done.send((received.id, outcome)).is_err() {
            return;
        }
    }
}

/// Runs the handler; a panic is a failure (ACKed 500, so Feishu
/// redelivers), not a lost thread.
fn run(dispatcher: &Dispatcher, incoming: feishu_core::event::Incoming) -> Outcome {
    catch_unwind(AssertUnwindSafe(|| dispatcher.dispatch(incoming)))
        .unwrap_or_else(|_| Outcome::Failed("the handler panicked".into()))
}
