//! A deadline on a fetch without an async runtime: [`with_timeout`].

use std::future::Future;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

/// Runs `future` for at most `timeout`: `None` when the time ran out first (the future is
/// dropped, which cancels it). No runtime needed: when the future is still pending after its
/// first poll, a timer thread wakes the task at the deadline (and exits early when the
/// future finishes first). A future that is ready at once costs no thread.
pub(super) async fn with_timeout<F: Future>(future: F, timeout: Duration) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut timer: Option<Timer> = None;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        match &timer {
            None => timer = Timer::start(timeout, cx.waker()),
            Some(timer) if timer.fired(cx.waker()) => return Poll::Ready(None),
            Some(_) => {}
        }
        Poll::Pending
    })
    .await
}

struct TimerState {
    fired: bool,
    cancelled: bool,
    waker: Waker,
}

/// A deadline watched by a thread of its own; dropping it stops the thread.
struct Timer(Arc<(Mutex<TimerState>, Condvar)>);

impl Timer {
    /// `None` when there is no deadline (`Duration::MAX`) or no thread could be started.
    fn start(timeout: Duration, waker: &Waker) -> Option<Timer> {
        let deadline = Instant::now().checked_add(timeout)?;
        let shared = Arc::new((Mutex::new(TimerState { fired: false, cancelled: false, waker: waker.clone() }), Condvar::new()));
        let watched = shared.clone();
        std::thread::Builder::new()
            .name("ff-fetch-timeout".to_owned())
            .spawn(move || {
                let (lock, cancel) = &*watched;
                let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if state.cancelled {
                        return;
                    }
                    let now = Instant::now();
                    if now >= deadline {
                        state.fired = true;
                        state.waker.wake_by_ref();
                        return;
                    }
                    state = cancel.wait_timeout(state, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
                }
            })
            .ok()?;
        Some(Timer(shared))
    }

    /// Whether the deadline passed; if not, `waker` is the one to wake when it does.
    fn fired(&self, waker: &Waker) -> bool {
        let mut state = self.0 .0.lock().unwrap_or_else(|e| e.into_inner());
        if !state.fired && !state.waker.will_wake(waker) {
            state.waker = waker.clone();
        }
        state.fired
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let (lock, cancel) = &*self.0;
        lock.lock().unwrap_or_else(|e| e.into_inner()).cancelled = true;
        cancel.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_executor::block_on;

    #[test]
    fn with_timeout_returns_what_finishes_in_time() {
        // Pending at first, finished by another thread well before the deadline.
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let slow = async move {
            let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let mut started = false;
            std::future::poll_fn(|cx| {
                if done.load(std::sync::atomic::Ordering::SeqCst) {
                    return Poll::Ready(7);
                }
                if !started {
                    started = true;
                    let (done, waker, tx) = (done.clone(), cx.waker().clone(), tx.clone());
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_millis(5));
                        done.store(true, std::sync::atomic::Ordering::SeqCst);
                        waker.wake();
                        let _ = tx.send(());
                    });
                }
                Poll::Pending
            })
            .await
        };
        assert_eq!(block_on(with_timeout(slow, Duration::from_secs(600))), Some(7));
        rx.recv().unwrap();
        assert_eq!(block_on(with_timeout(std::future::pending::<()>(), Duration::from_millis(1))), None);
        assert_eq!(block_on(with_timeout(std::future::ready(1), Duration::ZERO)), Some(1));
    }
}
