//! When and how long to retry: the [`RetryPolicy`] and `Retry-After` parsing.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The retry policy of a client. On by default, and the only retry in the stack.
///
/// Retried, up to [`max_retries`](Self::max_retries) times (default 3, at
/// most 10): 429 and 503 (Graph did not run the request) and failures to
/// connect, for every request; 504 and a connection reset after the request
/// was written (Graph may have run it) only for idempotent requests (GET,
/// HEAD, PUT, PATCH, DELETE, or any request marked
/// [`idempotent(true)`](crate::Request::idempotent)), so a sendMail, reply,
/// forward or create never runs twice. A
/// `Retry-After` (seconds or HTTP date) is waited out exactly; otherwise the
/// wait is exponential backoff with jitter, each wait capped by
/// [`max_delay`](Self::max_delay). When the next wait would push the sum of
/// waits past [`max_total_wait`](Self::max_total_wait), the error is returned
/// instead, saying for how long Graph throttled. Requests whose body is a
/// stream are never retried.
///
/// ```
/// use std::time::Duration;
/// use msgraph_core::RetryPolicy;
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .initial_delay(Duration::from_millis(500))
///     .max_total_wait(Duration::from_secs(60));
/// assert_eq!(policy.get_max_retries(), 5);
/// assert_eq!(RetryPolicy::default().max_retries(50).get_max_retries(), 10);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_total_wait: Duration,
    retry_connection_errors: bool,
}

/// The most retries a policy allows.
pub const MAX_RETRIES_LIMIT: u32 = 10;

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(180),
            retry_connection_errors: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..Self::default() }
    }

    /// How many times a request is retried (clamped to 10).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n.min(MAX_RETRIES_LIMIT);
        self
    }

    /// The first backoff wait; each later one doubles (before jitter).
    pub fn initial_delay(mut self, d: Duration) -> Self {
        self.initial_delay = d;
        self
    }

    /// The longest single backoff wait.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// The most time spent waiting across all retries of one request.
    pub fn max_total_wait(mut self, d: Duration) -> Self {
        self.max_total_wait = d;
        self
    }

    /// Whether connection failures (refused, reset) are retried. Default true.
    pub fn retry_connection_errors(mut self, yes: bool) -> Self {
        self.retry_connection_errors = yes;
        self
    }

    /// The configured retry count.
    pub fn get_max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The configured total wait budget.
    pub fn get_max_total_wait(&self) -> Duration {
        self.max_total_wait
    }

    pub(crate) fn retries_connection_errors(&self) -> bool {
        self.retry_connection_errors
    }

    /// How long a `Retry-After` may close a mailbox's throttle gate: never
    /// longer than the retry budget, so one answer cannot hold every later
    /// request to the mailbox back for days.
    pub(crate) fn gate_wait(&self, retry_after: Duration) -> Duration {
        retry_after.min(self.max_total_wait)
    }

    /// Backoff before retry number `retry` (1-based): "equal jitter", a wait
    /// between half and all of `min(max_delay, initial * 2^(retry-1))`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_delay.saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        let capped = exp.min(self.max_delay);
        let half = capped / 2;
        let jitter = half.mul_f64(fastrand::f64());
        half + jitter
    }
}

/// The longest `Retry-After` the SDK reads; a longer one (a broken or hostile
/// server: `u64::MAX` seconds, a date in the year 9999) reads as this.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Parses `Retry-After`: delay-seconds, or an HTTP date. A date in the past
/// (or unparseable value) gives `None`, and backoff applies instead. Values
/// above one day read as one day, so no caller computes with absurd
/// instants; the pipeline waits or holds a mailbox back no longer than the
/// [`RetryPolicy::max_total_wait`] budget anyway.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    let wait = if let Ok(secs) = v.parse::<u64>() {
        Duration::from_secs(secs.min(MAX_RETRY_AFTER.as_secs()))
    } else if let Ok(secs) = v.parse::<f64>() {
        if !(secs.is_finite() && secs >= 0.0) {
            return None;
        }
        Duration::from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64()))
    } else {
        let when = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
        let delta = when.signed_duration_since(now);
        if delta <= chrono::Duration::zero() {
            return None;
        }
        delta.to_std().ok()?
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Sun, 22 Nov 2026 10:00:02 GMT", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("Sun, 22 Nov 2026 09:59:00 GMT", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn retry_after_is_clamped_to_a_day() {
        let now = DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z").unwrap().with_timezone(&Utc);
        let day = Some(MAX_RETRY_AFTER);
        assert_eq!(parse_retry_after("18446744073709551615", now), day);
        assert_eq!(parse_retry_after("18446744073709551616", now), day, "beyond u64 reads as a float");
        assert_eq!(parse_retry_after("1e300", now), day);
        assert_eq!(parse_retry_after("1000000", now), day);
        assert_eq!(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now), day);
        assert_eq!(parse_retry_after("inf", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
        assert_eq!(RetryPolicy::default().gate_wait(MAX_RETRY_AFTER), Duration::from_secs(180));
    }

    #[test]
    fn backoff_grows_with_jitter_and_caps() {
        let p = RetryPolicy::default().initial_delay(Duration::from_millis(100)).max_delay(Duration::from_millis(350));
        for _ in 0..50 {
            let b1 = p.backoff(1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100), "{b1:?}");
            let b2 = p.backoff(2);
            assert!(b2 >= Duration::from_millis(100) && b2 <= Duration::from_millis(200), "{b2:?}");
            let b9 = p.backoff(9);
            assert!(b9 >= Duration::from_millis(175) && b9 <= Duration::from_millis(350), "{b9:?}");
        }
        // very high retry numbers neither overflow nor exceed the cap
        let big = p.backoff(400);
        assert!(big >= Duration::from_millis(175) && big <= Duration::from_millis(350), "{big:?}");
    }

    #[test]
    fn clamps_max_retries() {
        assert_eq!(RetryPolicy::default().max_retries(11).get_max_retries(), 10);
        assert_eq!(RetryPolicy::none().get_max_retries(), 0);
    }
}
