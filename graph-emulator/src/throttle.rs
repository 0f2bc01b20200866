//! Per-mailbox throttling with a token bucket, answered the way Outlook
//! answers (429 Too Many Requests with `Retry-After` in seconds,
//! <https://learn.microsoft.com/graph/throttling>).

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A throttling limit: `rate` requests per second per mailbox, with bursts
/// of up to `burst` requests.
///
/// ```
/// use msgraph_emulator::Throttling;
/// let t = Throttling::new(5.0, 10); // 5 requests/s, bursts of 10
/// assert_eq!(t.burst(), 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttling {
    rate: f64,
    burst: u32,
}

impl Throttling {
    /// `rate` requests per second (at least 0.001) and bursts of `burst` (at least 1).
    pub fn new(rate: f64, burst: u32) -> Self {
        let rate = if rate.is_finite() && rate > 0.001 { rate } else { 0.001 };
        Throttling { rate, burst: burst.max(1) }
    }

    /// Requests per second.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Largest burst.
    pub fn burst(&self) -> u32 {
        self.burst
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The buckets of every mailbox.
#[derive(Debug, Default)]
pub(crate) struct Throttler {
    limit: Option<Throttling>,
    buckets: HashMap<String, Bucket>,
    throttled: u64,
}

impl Throttler {
    pub fn new(limit: Option<Throttling>) -> Self {
        Throttler { limit, buckets: HashMap::new(), throttled: 0 }
    }

    /// Sets or clears the limit; buckets start full again.
    pub fn set(&mut self, limit: Option<Throttling>) {
        self.limit = limit;
        self.buckets.clear();
    }

    /// How many requests were answered 429 so far.
    pub fn throttled_count(&self) -> u64 {
        self.throttled
    }

    /// Takes a token for `key`, or says how long until one is there.
    pub fn check(&mut self, key: &str, now: Instant) -> Result<(), Duration> {
        let Some(limit) = self.limit else { return Ok(()) };
        let bucket = self.buckets.entry(key.to_owned()).or_insert(Bucket { tokens: limit.burst as f64, last: now });
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limit.rate).min(limit.burst as f64);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            self.throttled += 1;
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / limit.rate))
        }
    }
}

/// `Retry-After` seconds for a wait: whole seconds, rounded up, at least 1.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs_f64().ceil() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_the_burst_then_refills_at_the_rate() {
        let mut t = Throttler::new(Some(Throttling::new(2.0, 3)));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(t.check("adele", t0).is_ok());
        }
        let wait = t.check("adele", t0).unwrap_err();
        assert_eq!(retry_after_secs(wait), 1);
        // Another mailbox has its own bucket.
        assert!(t.check("alex", t0).is_ok());
        // Half a second later one token is back.
        assert!(t.check("adele", t0 + Duration::from_millis(500)).is_ok());
        assert!(t.check("adele", t0 + Duration::from_millis(500)).is_err());
        assert_eq!(t.throttled_count(), 2);
    }

    #[test]
    fn no_limit_never_throttles() {
        let mut t = Throttler::new(None);
        for _ in 0..1000 {
            assert!(t.check("x", Instant::now()).is_ok());
        }
    }
}
