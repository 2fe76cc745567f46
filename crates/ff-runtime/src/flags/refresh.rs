//! When the state is stale: who fetches, and who waits ([`Refresh`]).
//!
//! * No fetch has ended yet: the callers wait for the first one (one fetches, the others
//!   wait for its lock), so that nobody is served the defaults by accident at start-up.
//! * [`Refresh::Background`]: the caller that finds the state expired takes the fetch lock
//!   without waiting, hands it to a background fetch ([`spawn`]) and is served the state in
//!   force; so is everyone while that fetch is in flight. This check is synchronous
//!   ([`serve_now`]), so it allocates nothing but the background task.
//! * [`Refresh::Blocking`]: that caller fetches in place and is served the new state; the
//!   others are served the state in force meanwhile.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use async_lock::MutexGuardArc;

use super::builder::Refresh;
use super::state::{Inner, State};

/// The state to serve at once without awaiting anything, when there is one: fresh, or
/// expired with [`Refresh::Background`] (a background fetch is then started unless one is
/// in flight). `None` when the caller must go through [`current`].
#[inline]
pub(super) fn serve_now(inner: &Arc<Inner>) -> Option<Arc<State>> {
    let state = inner.state.load_full();
    if state.is_fresh() {
        return Some(state);
    }
    if inner.refresh != Refresh::Background || state.checked_at.is_none() {
        return None;
    }
    if let Some(guard) = inner.lock.try_lock_arc() {
        spawn(inner.clone(), guard);
    }
    Some(state)
}

/// The state to serve, fetched first (by this caller, or by the one it waits for) when no
/// fetch has ended yet, or when it expired and the policy is [`Refresh::Blocking`].
pub(super) async fn current(inner: &Arc<Inner>) -> Arc<State> {
    let state = inner.state.load_full();
    if state.is_fresh() {
        return state;
    }
    let guard = match inner.lock.try_lock_arc() {
        Some(guard) => guard,
        // Someone is fetching: serve the current document meanwhile, or wait for a first one.
        None if state.checked_at.is_some() => return state,
        None => inner.lock.lock_arc().await,
    };
    let state = inner.state.load_full();
    if state.is_fresh() {
        return state;
    }
    if inner.refresh == Refresh::Background && state.checked_at.is_some() {
        spawn(inner.clone(), guard);
        return state;
    }
    let state = inner.fetch().await;
    drop(guard);
    state
}

/// Fetches now, whatever the state's age, waiting for a fetch in flight to end first.
pub(super) async fn now(inner: &Arc<Inner>) -> Arc<State> {
    let _guard = inner.lock.lock_arc().await;
    inner.fetch().await
}

/// Runs a fetch in the background, holding `guard` (single flight) until it ends: on the
/// current tokio runtime when there is one, else on a thread of its own. When neither can be
/// had, the guard is dropped (the next caller tries again) and the failure is logged.
fn spawn(inner: Arc<Inner>, guard: MutexGuardArc<()>) {
    let task = async move {
        inner.fetch().await;
        drop(guard);
    };
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        // A runtime shutting down drops the task unpolled, and with it the guard.
        drop(handle.spawn(task));
        return;
    }
    if let Err(err) = std::thread::Builder::new().name("ff-refresh".to_owned()).spawn(move || block_on(task)) {
        tracing::warn!(error = %err, "feature flags: no thread for a background refresh; the document in force stays");
    }
}

/// Wakes a thread parked in [`block_on`].
struct Unpark(std::thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `future` on this thread until it is ready, parking between polls.
fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}
