//! Where the watcher keeps each watched resource's subscription: a trait,
//! with memory and JSON-file stores (SQLite and Postgres stores implement
//! the same trait).

use std::collections::HashMap;
use std::path::PathBuf;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msgraph_core::{Error, Result};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

/// The subscription of one watched resource. `client_state` is a secret:
/// `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WatchState {
    /// The subscription's id.
    pub subscription_id: String,
    /// When it expires.
    pub expires: Option<DateTime<Utc>>,
    /// Its `clientState`.
    pub client_state: String,
    /// The watched resource, as Graph writes it.
    pub resource: String,
}

impl std::fmt::Debug for WatchState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchState")
            .field("subscription_id", &self.subscription_id)
            .field("expires", &self.expires)
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

impl WatchState {
    /// A state.
    pub fn new(
        subscription_id: impl Into<String>,
        expires: Option<DateTime<Utc>>,
        client_state: impl Into<String>,
        resource: impl Into<String>,
    ) -> Self {
        WatchState {
            subscription_id: subscription_id.into(),
            expires,
            client_state: client_state.into(),
            resource: resource.into(),
        }
    }
}

/// Keeps [`WatchState`]s by the watcher's key for each resource.
#[async_trait]
pub trait WatchStore: Send + Sync {
    /// The state stored under `key`.
    async fn load(&self, key: &str) -> Result<Option<WatchState>>;
    /// Stores `state` under `key`.
    async fn save(&self, key: &str, state: &WatchState) -> Result<()>;
    /// Forgets `key`.
    async fn remove(&self, key: &str) -> Result<()>;
}

/// Keeps states in memory (lost on restart).
#[derive(Debug, Default)]
pub struct MemoryWatchStore {
    map: Mutex<HashMap<String, WatchState>>,
}

impl MemoryWatchStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl WatchStore for MemoryWatchStore {
    async fn load(&self, key: &str) -> Result<Option<WatchState>> {
        Ok(self.map.lock().await.get(key).cloned())
    }

    async fn save(&self, key: &str, state: &WatchState) -> Result<()> {
        self.map.lock().await.insert(key.to_owned(), state.clone());
        Ok(())
    }

    async fn remove(&self, key: &str) -> Result<()> {
        self.map.lock().await.remove(key);
        Ok(())
    }
}

/// Keeps states in one JSON file, written atomically (temporary file +
/// rename) with mode 0600 on Unix (it holds client states). A missing file
/// is an empty store; a corrupt one is logged and treated as empty (the
/// watcher then creates new subscriptions).
#[derive(Debug)]
pub struct JsonFileWatchStore {
    path: PathBuf,
    lock: Mutex<()>,
}

impl JsonFileWatchStore {
    /// A store at `path` (its directory is created when needed).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        JsonFileWatchStore { path: path.into(), lock: Mutex::new(()) }
    }

    async fn read(&self) -> Result<HashMap<String, WatchState>> {
        match tokio::fs::read(&self.path).await {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(path = %self.path.display(), error = %e, "watch store is not valid JSON; starting empty");
                HashMap::new()
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashMap::new()),
            Err(e) => Err(Error::io(format!("reading {}", self.path.display()), e)),
        }
    }

    async fn write(&self, map: &HashMap<String, WatchState>) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(map).map_err(|e| Error::invalid_input(e.to_string()))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await.map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        }
        let tmp = self.path.with_extension(format!("tmp-{}", std::process::id()));
        tokio::fs::write(&tmp, &bytes).await.map_err(|e| Error::io(format!("writing {}", tmp.display()), e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = tokio::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).await;
        }
        tokio::fs::rename(&tmp, &self.path)
            .await
            .map_err(|e| Error::io(format!("replacing {}", self.path.display()), e))
    }
}

#[async_trait]
impl WatchStore for JsonFileWatchStore {
    async fn load(&self, key: &str) -> Result<Option<WatchState>> {
        let _g = self.lock.lock().await;
        Ok(self.read().await?.remove(key))
    }

    async fn save(&self, key: &str, state: &WatchState) -> Result<()> {
        let _g = self.lock.lock().await;
        let mut map = self.read().await?;
        map.insert(key.to_owned(), state.clone());
        self.write(&map).await
    }

    async fn remove(&self, key: &str) -> Result<()> {
        let _g = self.lock.lock().await;
        let mut map = self.read().await?;
        if map.remove(key).is_some() {
            self.write(&map).await?;
        }
        Ok(())
    }
}
