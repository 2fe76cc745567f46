//! The cache's clock: how long ago the document in force was fetched, read cheaply.
//!
//! [`FeatureFlags`](crate::FeatureFlags) compares that age with `max_age` on every
//! evaluation, so the clock read sits on the hot path. On Linux it reads
//! `CLOCK_MONOTONIC_COARSE` (through libc and the vDSO: ~10 ns on the benchmark VM, where
//! `Instant::now()`, `CLOCK_MONOTONIC`, takes ~54 ns). That clock advances once per scheduler
//! tick (1 to 4 ms), so a document may be used up to one tick past its `max_age`; a `max_age`
//! of zero still fetches on every evaluation. Elsewhere it reads [`std::time::Instant`].
//!
//! The schedule actions never read this clock: they read the [`Clock`](crate::Clock).

use std::time::Duration;

/// A reading of the monotonic clock, in nanoseconds since an arbitrary origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Tick(u64);

impl Tick {
    /// The current reading.
    #[inline]
    pub(crate) fn now() -> Tick {
        Tick(since_origin())
    }

    /// Time since this reading (zero if the clock reads earlier, which it never should).
    pub(crate) fn elapsed(self) -> Duration {
        Duration::from_nanos(since_origin().saturating_sub(self.0))
    }

    /// This reading plus `duration`; the end of time (never reached) on overflow, so that
    /// `Duration::MAX` means "for ever".
    pub(crate) fn saturating_add(self, duration: Duration) -> Tick {
        Tick(u64::try_from(duration.as_nanos()).map_or(u64::MAX, |nanos| self.0.saturating_add(nanos)))
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
#[inline]
fn since_origin() -> u64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable `timespec`; `clock_gettime` writes only to it.
    // With a valid pointer it fails only for a clock the kernel (or a sandbox) does not
    // offer (CLOCK_MONOTONIC_COARSE exists since Linux 2.6.32): then it fails on every call,
    // so a process reads one clock or the other, never both.
    if unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut now) } != 0 {
        return fallback();
    }
    // The kernel keeps both fields non-negative and `tv_nsec` below 10^9; 2^64 ns is 584 years.
    (now.tv_sec as u64).wrapping_mul(1_000_000_000).wrapping_add(now.tv_nsec as u64)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
#[inline]
fn since_origin() -> u64 {
    fallback()
}

/// Time since the first call, on [`std::time::Instant`].
#[cold]
#[cfg_attr(any(target_os = "linux", target_os = "android"), allow(dead_code))]
fn fallback() -> u64 {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    u64::try_from(ORIGIN.get_or_init(std::time::Instant::now).elapsed().as_nanos()).unwrap_or(u64::MAX)
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

    #[test]
    fn deadlines_saturate() {
        let start = Tick::now();
        assert_eq!(start.saturating_add(Duration::ZERO), start);
        assert!(start.saturating_add(Duration::from_nanos(1)) > start);
        assert_eq!(start.saturating_add(Duration::MAX), Tick(u64::MAX));
        assert_eq!(Tick(u64::MAX - 1).saturating_add(Duration::from_secs(1)), Tick(u64::MAX));
    }
}
