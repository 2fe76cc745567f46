//! The cache's clock: how long ago the document in force was fetched, read cheaply.
//!
//! [`FeatureFlags`](crate::FeatureFlags) compares that age with `max_age` on every
//! evaluation, so the clock read sits on the hot path. On Linux it reads
//! `CLOCK_MONOTONIC_COARSE` (through the vDSO: ~10 ns on the benchmark VM, where
//! `Instant::now()`, `CLOCK_MONOTONIC`, takes ~54 ns). That clock advances once per scheduler
//! tick (1 to 4 ms), so a document may be used up to one tick past its `max_age`; a `max_age`
//! of zero still fetches on every evaluation. Elsewhere it reads [`std::time::Instant`].
//!
//! The schedule actions never read this clock: they read the [`Clock`](crate::Clock).

use std::time::Duration;

/// A reading of the monotonic clock (time since an arbitrary origin).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Tick(Duration);

impl Tick {
    /// The current reading.
    #[inline]
    pub(crate) fn now() -> Tick {
        Tick(since_origin())
    }

    /// Time since this reading (zero if the clock reads earlier, which it never should).
    #[inline]
    pub(crate) fn elapsed(self) -> Duration {
        since_origin().saturating_sub(self.0)
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
#[inline]
fn since_origin() -> Duration {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::MonotonicCoarse);
    // The kernel keeps both fields non-negative and `tv_nsec` below 10^9.
    Duration::new(u64::try_from(now.tv_sec).unwrap_or(0), u32::try_from(now.tv_nsec).unwrap_or(0))
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
#[inline]
fn since_origin() -> Duration {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(std::time::Instant::now).elapsed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_monotonic_and_follow_real_time() {
        let start = Tick::now();
        let real = std::time::Instant::now();
        std::thread::sleep(Duration::from_millis(30));
        let later = Tick::now();
        assert!(later >= start);
        let age = start.elapsed();
        // At most one coarse tick (≤ 10 ms even at HZ=100) short of the real time slept.
        assert!(age + Duration::from_millis(10) >= Duration::from_millis(30), "{age:?}");
        assert!(age <= real.elapsed() + Duration::from_millis(10), "{age:?}");
    }
}
