//! Where delta tokens live between runs.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;

use crate::{Error, Result};

/// Keeps delta links between runs, under keys the caller chooses.
///
/// Implement it for your own storage (a database row, a key vault, ...).
#[async_trait]
pub trait DeltaStore: Send + Sync + std::fmt::Debug {
    /// The stored deltaLink for `key`, if any.
    async fn load(&self, key: &str) -> Result<Option<String>>;
    /// Stores `delta_link` for `key`.
    async fn save(&self, key: &str, delta_link: &str) -> Result<()>;
    /// Forgets `key` (the next run is a full sync).
    async fn remove(&self, key: &str) -> Result<()>;
}

/// Tokens in memory: lost when the process ends.
#[derive(Debug, Default)]
pub struct MemoryDeltaStore {
    map: Mutex<BTreeMap<String, String>>,
}

impl MemoryDeltaStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<R>(&self, f: impl FnOnce(&mut BTreeMap<String, String>) -> R) -> R {
        let mut guard = match self.map.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }
}

#[async_trait]
impl DeltaStore for MemoryDeltaStore {
    async fn load(&self, key: &str) -> Result<Option<String>> {
        Ok(self.with(|m| m.get(key).cloned()))
    }
    async fn save(&self, key: &str, delta_link: &str) -> Result<()> {
        self.with(|m| m.insert(key.to_owned(), delta_link.to_owned()));
        Ok(())
    }
    async fn remove(&self, key: &str) -> Result<()> {
        self.with(|m| m.remove(key));
        Ok(())
    }
}

/// Tokens in a JSON file (`{"key": "deltaLink", ...}`), written atomically
/// (temporary file in the same directory, then rename), so a crash never
/// leaves a half-written file. The parent directory is created when missing.
/// A file that cannot be parsed is reported with a warning and treated as
/// empty: the next run is a full sync, which loses nothing.
///
/// ```no_run
/// use msgraph_core::delta::JsonFileDeltaStore;
/// let store = JsonFileDeltaStore::new("data/delta_tokens.json");
/// ```
#[derive(Debug)]
pub struct JsonFileDeltaStore {
    path: PathBuf,
    lock: tokio::sync::Mutex<()>,
}

impl JsonFileDeltaStore {
    /// A store backed by the file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        JsonFileDeltaStore { path: path.into(), lock: tokio::sync::Mutex::new(()) }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn read_map(&self) -> Result<BTreeMap<String, String>> {
        let path = self.path.clone();
        blocking(move || read_map(&path)).await
    }

    async fn update(&self, f: impl FnOnce(&mut BTreeMap<String, String>) + Send + 'static) -> Result<()> {
        let _guard = self.lock.lock().await;
        let path = self.path.clone();
        blocking(move || {
            let mut map = read_map(&path)?;
            f(&mut map);
            write_atomic(&path, &map)
        })
        .await
    }
}

async fn blocking<R: Send + 'static>(f: impl FnOnce() -> Result<R> + Send + 'static) -> Result<R> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => Err(Error::io("delta store task failed", std::io::Error::other(e.to_string()))),
    }
}

fn read_map(path: &Path) -> Result<BTreeMap<String, String>> {
    match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(map) => Ok(map),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "delta token file is corrupt; starting over with a full sync");
                Ok(BTreeMap::new())
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
    }
}

fn write_atomic(path: &Path, map: &BTreeMap<String, String>) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("delta");
    let tmp = dir.join(format!(".{file_name}.{}.{}.tmp", std::process::id(), fastrand::u64(..)));
    let data =
        serde_json::to_vec_pretty(map).map_err(|e| Error::io("serializing delta tokens", std::io::Error::other(e)))?;
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("writing {}", path.display()), e)
    })
}

#[async_trait]
impl DeltaStore for JsonFileDeltaStore {
    async fn load(&self, key: &str) -> Result<Option<String>> {
        Ok(self.read_map().await?.get(key).cloned())
    }
    async fn save(&self, key: &str, delta_link: &str) -> Result<()> {
        let (k, v) = (key.to_owned(), delta_link.to_owned());
        self.update(move |m| {
            m.insert(k, v);
        })
        .await
    }
    async fn remove(&self, key: &str) -> Result<()> {
        let k = key.to_owned();
        self.update(move |m| {
            m.remove(&k);
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("msgraph-delta-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[tokio::test]
    async fn file_store_survives_a_restart_and_creates_its_directory() {
        let dir = temp_dir();
        let path = dir.join("data").join("delta.json");
        {
            let s = JsonFileDeltaStore::new(&path);
            s.save("mailbox:inbox", "https://graph.microsoft.com/v1.0/x?$deltatoken=1").await.unwrap();
            s.save("calendar", "https://graph.microsoft.com/v1.0/y?$deltatoken=2").await.unwrap();
            s.remove("calendar").await.unwrap();
        }
        let again = JsonFileDeltaStore::new(&path);
        assert_eq!(
            again.load("mailbox:inbox").await.unwrap().as_deref(),
            Some("https://graph.microsoft.com/v1.0/x?$deltatoken=1")
        );
        assert_eq!(again.load("calendar").await.unwrap(), None);
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left behind");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn corrupt_file_means_full_sync_not_a_crash() {
        let dir = temp_dir();
        let path = dir.join("delta.json");
        std::fs::write(&path, b"{not json").unwrap();
        let s = JsonFileDeltaStore::new(&path);
        assert_eq!(s.load("k").await.unwrap(), None);
        s.save("k", "v").await.unwrap();
        assert_eq!(s.load("k").await.unwrap().as_deref(), Some("v"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn concurrent_saves_leave_valid_json_with_every_key() {
        let dir = temp_dir();
        let s = std::sync::Arc::new(JsonFileDeltaStore::new(dir.join("d.json")));
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let s = s.clone();
                tokio::spawn(async move { s.save(&format!("k{i}"), &format!("v{i}")).await })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let map: BTreeMap<String, String> =
            serde_json::from_slice(&std::fs::read(dir.join("d.json")).unwrap()).unwrap();
        assert_eq!(map.len(), 20);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
