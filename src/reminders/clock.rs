//! The clock the scheduler reads: the system clock in production, a fake one
//! that tests set and advance (never sleeping).

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;

/// Where "now" comes from.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Timestamp;

    /// Signalled when the time jumps (fake clocks), so a sleeping loop looks again.
    fn changed(&self) -> Option<Arc<Notify>> {
        None
    }
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct FakeClock {
    now: Mutex<Timestamp>,
    changed: Arc<Notify>,
}

impl FakeClock {
    /// A fake clock showing `start`.
    pub fn new(start: Timestamp) -> FakeClock {
        FakeClock {
            now: Mutex::new(start),
            changed: Arc::new(Notify::new()),
        }
    }

    /// Sets the time.
    pub fn set(&self, t: Timestamp) {
        match self.now.lock() {
            Ok(mut g) => *g = t,
            Err(p) => *p.into_inner() = t,
        }
        self.changed.notify_waiters();
        self.changed.notify_one();
    }

    /// Moves the time forward.
    pub fn advance(&self, by: SignedDuration) {
        let t = self.now();
        self.set(t.checked_add(by).unwrap_or(t));
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Timestamp {
        match self.now.lock() {
            Ok(g) => *g,
            Err(p) => *p.into_inner(),
        }
    }

    fn changed(&self) -> Option<Arc<Notify>> {
        Some(Arc::clone(&self.changed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_clock_moves_only_when_told() {
        let start: Timestamp = "2026-01-10T08:00:00Z".parse().unwrap();
        let c = FakeClock::new(start);
        assert_eq!(c.now(), start);
        c.advance(SignedDuration::from_hours(1));
        assert_eq!(c.now(), "2026-01-10T09:00:00Z".parse().unwrap());
        assert!(SystemClock.now() > start);
    }
}
