//! The list of entries both shipped caches keep, and its operations.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{CachedToken, TokenCacheKey};

/// One cache entry as stored (in memory or in the cache file).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredEntry {
    pub(crate) key: TokenCacheKey,
    pub(crate) token: CachedToken,
    pub(crate) updated_at: DateTime<Utc>,
}

/// The entry under exactly `key`.
pub(crate) fn get(entries: &[StoredEntry], key: &TokenCacheKey) -> Option<CachedToken> {
    entries.iter().find(|e| &e.key == key).map(|e| e.token.clone())
}

/// Replaces or adds the entry under `key`; the newest entry goes last.
pub(crate) fn set(entries: &mut Vec<StoredEntry>, key: &TokenCacheKey, token: &CachedToken) {
    entries.retain(|e| &e.key != key);
    entries.push(StoredEntry { key: key.clone(), token: token.clone(), updated_at: Utc::now() });
}

/// Drops the entry under `key`; true when there was one.
pub(crate) fn remove(entries: &mut Vec<StoredEntry>, key: &TokenCacheKey) -> bool {
    let before = entries.len();
    entries.retain(|e| &e.key != key);
    entries.len() != before
}

/// Accounts with an entry for the same app and scopes, newest first.
pub(crate) fn accounts(entries: &[StoredEntry], key: &TokenCacheKey) -> Vec<String> {
    let mut matching: Vec<&StoredEntry> =
        entries.iter().filter(|e| e.key.same_app_and_scopes(key) && e.key.account.is_some()).collect();
    // Stable sort: among equal timestamps the later (newer) entry stays later.
    matching.sort_by_key(|e| e.updated_at);
    let mut out: Vec<String> = Vec::new();
    for e in matching.into_iter().rev() {
        if let Some(a) = &e.key.account
            && !out.contains(a)
        {
            out.push(a.clone());
        }
    }
    out
}
