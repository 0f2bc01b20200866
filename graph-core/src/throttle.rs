//! Shared throttling state: when Graph tells one request to wait, every
//! request to the same mailbox waits too, instead of each running into 429.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::retry::MAX_RETRY_AFTER;

/// Per-mailbox "do not send before" instants, shared by all clones of a client.
#[derive(Debug, Default)]
pub(crate) struct ThrottleGate {
    until: Mutex<HashMap<String, Instant>>,
}

impl ThrottleGate {
    /// Waits until the key is no longer blocked. Returns at once when it is
    /// not; a dropped future stops waiting.
    pub(crate) async fn wait(&self, key: &str) {
        loop {
            let until = {
                let map = match self.until.lock() {
                    Ok(m) => m,
                    Err(poisoned) => poisoned.into_inner(),
                };
                map.get(key).copied()
            };
            match until {
                Some(t) if t > Instant::now() => tokio::time::sleep_until(t).await,
                _ => return,
            }
        }
    }

    /// Blocks `key` for `wait` from now (never shortens an existing block).
    /// The wait is capped at one day, whatever the caller passes.
    pub(crate) fn block(&self, key: &str, wait: Duration) {
        let now = Instant::now();
        let Some(t) = now.checked_add(wait.min(MAX_RETRY_AFTER)) else { return };
        let mut map = match self.until.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.retain(|_, v| *v > now);
        let e = map.entry(key.to_owned()).or_insert(t);
        if *e < t {
            *e = t;
        }
    }
}

/// How many requests may be in flight to one mailbox at once, shared by
/// every clone of a client (streams, read-ahead, batches' calls, parallel
/// tasks). Graph allows 4 concurrent requests per app per mailbox for
/// Outlook resources and answers 429 beyond that.
#[derive(Debug)]
pub(crate) struct MailboxLimiter {
    limit: usize,
    slots: Mutex<HashMap<String, std::sync::Arc<tokio::sync::Semaphore>>>,
}

impl MailboxLimiter {
    /// `limit` requests per mailbox; 0 means no limit.
    pub(crate) fn new(limit: usize) -> Self {
        MailboxLimiter { limit, slots: Mutex::new(HashMap::new()) }
    }

    /// Waits for a slot of `key`'s mailbox (none for `""`, requests that
    /// are not about one mailbox, or without a limit). The slot is free
    /// again when the permit is dropped; a dropped future stops waiting.
    pub(crate) async fn acquire(&self, key: &str) -> Option<tokio::sync::OwnedSemaphorePermit> {
        if self.limit == 0 || key.is_empty() {
            return None;
        }
        let semaphore = {
            let mut slots = match self.slots.lock() {
                Ok(m) => m,
                Err(poisoned) => poisoned.into_inner(),
            };
            // forget mailboxes nobody is using (bounded memory for many mailboxes)
            if slots.len() > 1024 {
                let limit = self.limit;
                slots.retain(|_, s| s.available_permits() < limit);
            }
            slots
                .entry(key.to_owned())
                .or_insert_with(|| std::sync::Arc::new(tokio::sync::Semaphore::new(self.limit)))
                .clone()
        };
        semaphore.acquire_owned().await.ok()
    }
}

/// The mailbox a URL path (relative to the service root) belongs to:
/// `me`, `users/<id>`, or `""` for everything else.
pub(crate) fn mailbox_key<'a>(mut segments: impl Iterator<Item = &'a str>) -> String {
    match segments.next() {
        Some(s) if s.eq_ignore_ascii_case("me") => "me".to_owned(),
        Some(s) if s.eq_ignore_ascii_case("users") => match segments.next() {
            Some(id) => format!("users/{}", id.to_ascii_lowercase()),
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// Outlook resources under a mailbox (lower case): Graph's limit of 4
/// concurrent requests per app and mailbox applies to these. OneDrive and
/// OneNote have limits of their own (OneNote's is msgraph-onenote's).
const OUTLOOK_RESOURCES: &[&str] = &[
    "messages",
    "mailfolders",
    "sendmail",
    "events",
    "calendar",
    "calendars",
    "calendarview",
    "calendargroups",
    "findmeetingtimes",
    "reminderview",
    "contacts",
    "contactfolders",
    "mailboxsettings",
    "outlook",
    "inferenceclassification",
    "getmailtips",
    "todo",
];

/// The mailbox whose concurrency limit a request counts against: the
/// [`mailbox_key`] when the path goes on to an Outlook resource (mail,
/// calendar, contacts, mailbox settings, To Do), else `""` (no limit).
pub(crate) fn outlook_mailbox_key<'a>(mut segments: impl Iterator<Item = &'a str> + Clone) -> String {
    let key = mailbox_key(segments.clone());
    if key.is_empty() {
        return key;
    }
    let skip = if key == "me" { 1 } else { 2 };
    match segments.nth(skip) {
        Some(r) if OUTLOOK_RESOURCES.iter().any(|o| r.eq_ignore_ascii_case(o)) => key,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_outlook_resources_count_against_the_mailbox_limit() {
        assert_eq!(outlook_mailbox_key(["me", "messages"].into_iter()), "me");
        assert_eq!(outlook_mailbox_key(["users", "Ada@X.com", "mailFolders", "inbox"].into_iter()), "users/ada@x.com");
        assert_eq!(outlook_mailbox_key(["me", "calendarView"].into_iter()), "me");
        assert_eq!(outlook_mailbox_key(["me", "onenote", "pages"].into_iter()), "");
        assert_eq!(outlook_mailbox_key(["me", "drive", "root"].into_iter()), "");
        assert_eq!(outlook_mailbox_key(["me"].into_iter()), "");
        assert_eq!(outlook_mailbox_key(["subscriptions"].into_iter()), "");
    }

    #[test]
    fn keys() {
        assert_eq!(mailbox_key(["me", "messages"].into_iter()), "me");
        assert_eq!(mailbox_key(["users", "Ada@X.com", "messages"].into_iter()), "users/ada@x.com");
        assert_eq!(mailbox_key(["$batch"].into_iter()), "");
    }

    #[tokio::test(start_paused = true)]
    async fn a_huge_block_is_capped_not_a_panic() {
        let g = ThrottleGate::default();
        g.block("me", Duration::MAX);
        let start = Instant::now();
        g.wait("me").await;
        assert_eq!(start.elapsed(), MAX_RETRY_AFTER);
    }

    #[tokio::test(start_paused = true)]
    async fn wait_honours_block_and_other_keys_pass() {
        let g = ThrottleGate::default();
        g.block("me", Duration::from_secs(2));
        let start = Instant::now();
        g.wait("users/x").await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        g.wait("me").await;
        assert!(start.elapsed() >= Duration::from_secs(2));
    }
}
