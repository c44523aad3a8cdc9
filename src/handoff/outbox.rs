//! Delivery of the handoff package exactly once: the package and its idempotency key are
//! stored before the first attempt; retries use capped exponential backoff with full jitter,
//! honour `Retry-After`, and stop on a permanent error, keeping the package for a manual retry.
//! The backend deduplicates on the key, so a retry or a reload never makes a second case.

use crate::protocol::Failure;
use crate::rng::Rng;
use crate::time::{MINUTE_MS, SECOND_MS};

/// First retry waits up to this long; each attempt doubles it, up to the cap.
pub const RETRY_BASE_MS: u64 = SECOND_MS;
pub const RETRY_CAP_MS: u64 = MINUTE_MS;
/// A `Retry-After` longer than this is shortened to it: the customer is waiting.
pub const RETRY_AFTER_CAP_MS: u64 = 10 * MINUTE_MS;
/// After this many failed attempts the customer is asked whether to keep trying.
pub const MAX_AUTOMATIC_ATTEMPTS: u32 = 8;
/// How long one escalation request may take.
pub const ESCALATION_TIMEOUT_MS: u64 = 15 * SECOND_MS;

/// The package waiting to be delivered.
#[derive(Clone, Debug, PartialEq)]
pub struct Outbox {
    /// UUID v4, sent as `Idempotency-Key`; the same on every retry and after reloads.
    pub key: String,
    /// The package as JSON.
    pub body: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// Monotonic instant of the next attempt; `None` while one is in flight or when stopped.
    pub next_at: Option<u64>,
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    RetryIn(u64),
    /// Permanent (a 4xx other than 408 and 429), or too many attempts.
    Stop,
}

/// Decides the next step after attempt number `attempts` (1-based) failed.
pub fn after_failure(failure: &Failure, attempts: u32, rng: &mut Rng) -> Verdict {
    let retry_after = match failure {
        Failure::Status { status, retry_after_ms } => {
            if (400..500).contains(status) && *status != 408 && *status != 429 {
                return Verdict::Stop;
            }
            *retry_after_ms
        }
        // A reply we cannot read will not improve by asking again.
        Failure::Malformed(_) => return Verdict::Stop,
        Failure::Network | Failure::Timeout => None,
    };
    if attempts >= MAX_AUTOMATIC_ATTEMPTS {
        return Verdict::Stop;
    }
    match retry_after {
        Some(ms) => Verdict::RetryIn(ms.min(RETRY_AFTER_CAP_MS)),
        None => Verdict::RetryIn(rng.below_or_eq(backoff_ceiling(attempts))),
    }
}

/// The upper bound of the jittered delay after `attempts` failures: base × 2^(attempts-1), capped.
pub fn backoff_ceiling(attempts: u32) -> u64 {
    let doublings = attempts.saturating_sub(1).min(20);
    (RETRY_BASE_MS << doublings).min(RETRY_CAP_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permanent_client_errors_stop_and_transient_ones_retry() {
        let mut rng = Rng::new(1);
        for status in [400, 401, 403, 404, 409, 413, 422] {
            let f = Failure::Status { status, retry_after_ms: None };
            assert_eq!(after_failure(&f, 1, &mut rng), Verdict::Stop, "{status}");
        }
        for status in [408, 429, 500, 502, 503, 504] {
            let f = Failure::Status { status, retry_after_ms: None };
            assert!(matches!(after_failure(&f, 1, &mut rng), Verdict::RetryIn(_)), "{status}");
        }
        assert!(matches!(after_failure(&Failure::Network, 1, &mut rng), Verdict::RetryIn(_)));
        assert_eq!(after_failure(&Failure::Malformed("x".into()), 1, &mut rng), Verdict::Stop);
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let mut rng = Rng::new(1);
        let f = Failure::Status { status: 429, retry_after_ms: Some(7_000) };
        assert_eq!(after_failure(&f, 1, &mut rng), Verdict::RetryIn(7_000));
        let f = Failure::Status { status: 503, retry_after_ms: Some(3_600_000) };
        assert_eq!(after_failure(&f, 1, &mut rng), Verdict::RetryIn(RETRY_AFTER_CAP_MS));
    }

    #[test]
    fn full_jitter_stays_under_a_doubling_capped_ceiling() {
        assert_eq!((backoff_ceiling(1), backoff_ceiling(2), backoff_ceiling(3)), (1_000, 2_000, 4_000));
        assert_eq!(backoff_ceiling(7), RETRY_CAP_MS);
        assert_eq!(backoff_ceiling(u32::MAX), RETRY_CAP_MS);
        let mut rng = Rng::new(9);
        let delays: Vec<u64> = (0..200)
            .map(|_| match after_failure(&Failure::Timeout, 3, &mut rng) {
                Verdict::RetryIn(ms) => ms,
                Verdict::Stop => panic!("a timeout is retried"),
            })
            .collect();
        assert!(delays.iter().all(|&d| d <= 4_000));
        assert!(delays.iter().any(|&d| d < 1_000) && delays.iter().any(|&d| d > 3_000), "jitter spreads the delays");
    }

    #[test]
    fn attempts_stop_after_the_limit() {
        let mut rng = Rng::new(1);
        assert!(matches!(after_failure(&Failure::Network, MAX_AUTOMATIC_ATTEMPTS - 1, &mut rng), Verdict::RetryIn(_)));
        assert_eq!(after_failure(&Failure::Network, MAX_AUTOMATIC_ATTEMPTS, &mut rng), Verdict::Stop);
    }
}
