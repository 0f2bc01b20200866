//! What the server and the handle share: the store and the controls behind
//! their mutexes, the request log, [`lock`], and the per-request ids
//! and clock ([`Ctx`]). Below the HTTP layer
//! (`crate::server`, `crate::routes`), which use it; it uses no HTTP types.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::faults::Faults;
use crate::state::ids::guid;
use crate::state::store::Store;
use crate::throttle::Throttler;

/// A request the emulator served, as [`crate::EmulatorHandle::requests`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path as sent (percent-encoded).
    pub path: String,
    /// Query string as sent, if any.
    pub query: Option<String>,
    /// Status answered.
    pub status: u16,
    /// Request headers, lowercase names; the `Authorization` value is replaced by `<redacted>`.
    /// Names, values, the path and the query are cut at 4 KiB (ending with `…`).
    pub headers: Vec<(String, String)>,
    /// The `request-id` the emulator gave the request.
    pub request_id: String,
}

impl RecordedRequest {
    /// The first value of a request header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Knobs that are not tenant data.
#[derive(Debug)]
pub(crate) struct Controls {
    pub faults: Faults,
    pub latency: Duration,
    pub throttler: Throttler,
    pub log: RequestLog,
}

/// Keeps the last this-many requests.
const LOG_CAPACITY: usize = 10_000;
/// ... and at most this many bytes of them.
const LOG_BYTES: usize = 16 << 20;
/// Header names and values, paths and queries are cut at this many bytes.
const LOG_FIELD_MAX: usize = 4096;

/// The last requests served, bounded by count and bytes.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: VecDeque<(RecordedRequest, usize)>,
    bytes: usize,
}

impl RequestLog {
    pub(crate) fn push(&mut self, r: RecordedRequest) {
        let size = std::mem::size_of::<RecordedRequest>()
            + r.method.len()
            + r.path.len()
            + r.query.as_ref().map_or(0, String::len)
            + r.request_id.len()
            + r.headers.iter().map(|(k, v)| k.len() + v.len() + 48).sum::<usize>();
        self.entries.push_back((r, size));
        self.bytes += size;
        while self.entries.len() > LOG_CAPACITY || (self.bytes > LOG_BYTES && self.entries.len() > 1) {
            match self.entries.pop_front() {
                Some((_, b)) => self.bytes -= b,
                None => break,
            }
        }
    }

    /// The requests kept, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &RecordedRequest> {
        self.entries.iter().map(|(r, _)| r)
    }

    /// Forgets every request.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    /// Bytes the kept requests account for.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.bytes
    }
}

/// `s` cut at [`LOG_FIELD_MAX`] bytes (on a character boundary), marked with `…`.
pub(crate) fn cut(s: &str) -> String {
    if s.len() <= LOG_FIELD_MAX {
        return s.to_owned();
    }
    let mut end = LOG_FIELD_MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// State shared by the server and the handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub store: Mutex<Store>,
    pub controls: Mutex<Controls>,
    pub addr: SocketAddr,
    pub counter: AtomicU64,
}

/// Per-request ids and clock.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub request_id: String,
    pub client_request_id: String,
    pub now: DateTime<Utc>,
}

/// Locks a mutex, surviving a poisoned one (a panicking test thread must not take the emulator down).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn next_request_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        guid(n ^ 0x0072_6571_7565_7374)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big_request(i: usize) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: cut(&format!("/v1.0/me/messages/{}", "p".repeat(100_000))),
            query: Some(cut(&"q".repeat(100_000))),
            status: 200,
            headers: (0..50).map(|h| (format!("x-h{h}"), cut(&"v".repeat(100_000)))).collect(),
            request_id: format!("r{i}"),
        }
    }

    #[test]
    fn request_log_is_bounded_by_bytes_and_fields_are_cut() {
        let mut log = RequestLog::default();
        for i in 0..2000 {
            log.push(big_request(i));
        }
        assert!(log.bytes() <= LOG_BYTES, "{}", log.bytes());
        let kept: Vec<&RecordedRequest> = log.iter().collect();
        assert!(kept.len() < 2000 && !kept.is_empty(), "{}", kept.len());
        assert_eq!(kept.last().map(|r| r.request_id.as_str()), Some("r1999"));
        let r = kept[0];
        assert!(r.path.len() <= LOG_FIELD_MAX + 3 && r.path.ends_with('…'));
        assert!(r.header("x-h1").is_some_and(|v| v.len() <= LOG_FIELD_MAX + 3));
        log.clear();
        assert_eq!((log.iter().count(), log.bytes()), (0, 0));
    }

    #[test]
    fn request_log_is_bounded_by_count() {
        let mut log = RequestLog::default();
        for i in 0..(LOG_CAPACITY + 50) {
            log.push(RecordedRequest {
                method: "GET".into(),
                path: "/v1.0/me".into(),
                query: None,
                status: 200,
                headers: Vec::new(),
                request_id: format!("r{i}"),
            });
        }
        assert_eq!(log.iter().count(), LOG_CAPACITY);
    }

    #[test]
    fn cut_keeps_char_boundaries() {
        let s = "é".repeat(LOG_FIELD_MAX);
        let c = cut(&s);
        assert!(c.len() <= LOG_FIELD_MAX + 3 && c.ends_with('…'));
        assert_eq!(cut("short"), "short");
    }
}
