//! The clock: the system's time, and tokio sleeps that a token refresh's end
//! cuts short.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use feishu_core::Waker;
use feishu_core::driver::AsyncClock;
use tokio::sync::Notify;

/// The [`AsyncClock`]: `SystemTime::now`, `tokio::time::sleep`, and a
/// `Notify` its [waker](AsyncClock::waker) rings, so a call waiting for
/// another call's token refresh goes on as soon as it ends. Cloning shares it.
#[derive(Clone, Debug, Default)]
pub struct TokioClock {
    bell: Arc<Notify>,
}

impl AsyncClock for TokioClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }

    fn waker(&self) -> Option<Waker> {
        let bell = self.bell.clone();
        Some(Arc::new(move || bell.notify_waiters()))
    }

    async fn sleep_unless(&self, duration: Duration, woken: &(dyn Fn() -> bool + Sync)) {
        // Enabled before the check: a ring after it is kept for the wait.
        let mut notified = pin!(self.bell.notified());
        notified.as_mut().enable();
        if !woken() {
            // Woken or timed out, the call looks again either way.
            _ = tokio::time::timeout(duration, notified).await;
        }
    }
}
