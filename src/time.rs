//! Time as the core sees it: always an input, never read from a clock.
//!
//! Every input carries a [`Now`]: a monotonic instant (for deadlines within one page) and a
//! wall-clock timestamp (for what is shown, stored and survives a reload).

/// The current time, given to the core by its driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    /// Milliseconds on a monotonic clock with an arbitrary origin (`performance.now()`).
    pub mono_ms: u64,
    /// Milliseconds since the Unix epoch (`Date.now()`).
    pub wall_ms: i64,
}

impl Now {
    pub const fn new(mono_ms: u64, wall_ms: i64) -> Self {
        Now { mono_ms, wall_ms }
    }

    /// The monotonic instant at which a wall-clock moment falls (now if it is past).
    pub fn mono_at(self, wall_ms: i64) -> u64 {
        let ahead = wall_ms.saturating_sub(self.wall_ms).max(0) as u64;
        self.mono_ms.saturating_add(ahead)
    }

    /// The wall-clock moment at which a monotonic instant falls.
    pub fn wall_at(self, mono_ms: u64) -> i64 {
        let ahead = mono_ms.saturating_sub(self.mono_ms).min(i64::MAX as u64) as i64;
        self.wall_ms.saturating_add(ahead)
    }
}

pub const SECOND_MS: u64 = 1_000;
pub const MINUTE_MS: u64 = 60 * SECOND_MS;
pub const DAY_MS: u64 = 24 * 60 * MINUTE_MS;

/// How long the bot may take to answer a turn before the customer is offered a resend.
pub const BOT_TURN_TIMEOUT_MS: u64 = 20 * SECOND_MS;
