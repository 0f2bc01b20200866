//! The in-memory cache: tokens live as long as the process.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use msgraph_core::Result;

use super::{CachedToken, StoredEntry, TokenCache, TokenCacheKey, entries};

/// A token cache in memory: the default of every credential. Tokens are
/// lost when the process ends; use [`FileTokenCache`](crate::FileTokenCache)
/// to keep a sign-in across restarts. Clones share the same entries.
///
/// ```
/// use msgraph_auth::{DeviceCodeCredential, MemoryTokenCache};
///
/// let credential = DeviceCodeCredential::builder("00000000-0000-0000-0000-000000000000")
///     .token_cache(MemoryTokenCache::new())
///     .build()?;
/// # Ok::<(), msgraph_core::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct MemoryTokenCache {
    entries: Arc<Mutex<Vec<StoredEntry>>>,
}

impl MemoryTokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        MemoryTokenCache::default()
    }

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when the cache holds no entry.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<StoredEntry>> {
        // A panic elsewhere while holding the lock leaves a valid Vec.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for MemoryTokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenCache").field("entries", &self.len()).finish()
    }
}

#[async_trait]
impl TokenCache for MemoryTokenCache {
    async fn get(&self, key: &TokenCacheKey) -> Result<Option<CachedToken>> {
        Ok(entries::get(&self.lock(), key))
    }

    async fn set(&self, key: &TokenCacheKey, token: &CachedToken) -> Result<()> {
        entries::set(&mut self.lock(), key, token);
        Ok(())
    }

    async fn remove(&self, key: &TokenCacheKey) -> Result<()> {
        entries::remove(&mut self.lock(), key);
        Ok(())
    }

    async fn accounts(&self, key: &TokenCacheKey) -> Result<Vec<String>> {
        Ok(entries::accounts(&self.lock(), key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use msgraph_core::Cloud;

    #[tokio::test]
    async fn stores_removes_and_lists_accounts_newest_first() {
        let cache = MemoryTokenCache::new();
        let base = TokenCacheKey::new(Cloud::Global, "common", "app", None, ["Mail.Read"]);
        let ada = base.with_account(Some("ada".into()));
        let bob = base.with_account(Some("bob".into()));
        let t = |s: &str| CachedToken::new(s, Utc::now(), None);
        cache.set(&ada, &t("a1")).await.unwrap();
        cache.set(&bob, &t("b1")).await.unwrap();
        assert_eq!(cache.accounts(&base).await.unwrap(), ["bob", "ada"]);
        cache.set(&ada, &t("a2")).await.unwrap();
        assert_eq!(cache.accounts(&base).await.unwrap(), ["ada", "bob"]);
        assert_eq!(cache.get(&ada).await.unwrap().unwrap().access_token.expose(), "a2");
        assert!(cache.get(&base).await.unwrap().is_none(), "an app-only key does not match user entries");
        cache.remove(&ada).await.unwrap();
        assert!(cache.get(&ada).await.unwrap().is_none());
        assert_eq!(cache.len(), 1);
        assert!(!format!("{cache:?}").contains("b1"));
    }
}
