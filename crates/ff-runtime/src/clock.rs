//! The clock the schedule actions read.
//!
//! The reference reads "now" only through `_get_now_from_timezone`, which its tests patch;
//! ff injects a [`Clock`] instead. Evaluation reads it at most once, and only when a
//! schedule condition is reached.

use jiff::Timestamp;

/// A source of the current instant.
pub trait Clock: Send + Sync {
    /// The current instant (UTC; each condition converts it into its own zone).
    fn now(&self) -> Timestamp;
}

/// The system clock (the default).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock pinned to one instant, for tests and for `ff eval --now`.
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

/// "Now" for one evaluation: read from the clock on first use, then reused, so every
/// condition of one evaluation sees the same instant.
pub(crate) struct Now<'c> {
    clock: &'c dyn Clock,
    at: Option<Timestamp>,
}

impl<'c> Now<'c> {
    pub(crate) fn new(clock: &'c dyn Clock) -> Now<'c> {
        Now { clock, at: None }
    }

    pub(crate) fn get(&mut self) -> Timestamp {
        *self.at.get_or_insert_with(|| self.clock.now())
    }
}
