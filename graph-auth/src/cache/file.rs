//! The file cache: a sign-in survives restarts.

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use msgraph_core::{Error, Result};
use serde::{Deserialize, Serialize};

#[cfg(feature = "encryption")]
use super::EncryptionKey;
use super::lock::LockFile;
use super::{CachedToken, StoredEntry, TokenCache, TokenCacheKey, entries};

/// The version written in the file's `version` field.
const FORMAT_VERSION: u32 = 1;
/// How long a write waits for another process's lock.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// A token cache in a JSON file, so a sign-in survives restarts.
///
/// - The file and its temp files are created with mode `0600` (owner only)
///   on Unix; a missing parent directory is created (mode `0700`), so the
///   common layout `data/token_cache.json` works as is.
/// - Every write goes to a temp file in the same directory that is then
///   renamed over the cache file, so a reader never sees half a file.
/// - Writes from several processes (or several `FileTokenCache`s on the same
///   file) are serialized by an OS advisory lock on `<file>.lock` (`flock` on
///   Unix, `LockFileEx` on Windows): the writer re-reads the file under the
///   lock and applies its change to what it finds, so no entry written by
///   another process is lost. The operating system releases the lock of a
///   process that dies, so a crash never leaves the cache locked. The empty
///   lock file stays next to the cache file (deleting a lock file others may
///   be waiting on is what lets two writers in at once); a writer waits up to
///   10 s for another process's write. Within a process, writes on one
///   instance queue on a mutex.
/// - A missing file is an empty cache. An unreadable, corrupt (or, with
///   encryption, undecryptable) file is logged with `tracing::warn!` and
///   treated as empty: the user signs in again, and the next write replaces it.
/// - With the `encryption` feature, [`encryption_key`](Self::encryption_key)
///   seals the whole file with AES-256-GCM.
///
/// The file holds refresh tokens, which are as good as a signed-in session:
/// keep it out of version control and backups you do not control.
///
/// ```no_run
/// use msgraph_auth::{DeviceCodeCredential, FileTokenCache};
///
/// let credential = DeviceCodeCredential::builder("00000000-0000-0000-0000-000000000000")
///     .scopes(["Mail.Read"])
///     .token_cache(FileTokenCache::new("data/token_cache.json"))
///     .build()?;
/// # Ok::<(), msgraph_core::Error>(())
/// ```
#[derive(Clone)]
pub struct FileTokenCache {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: tokio::sync::Mutex<()>,
    #[cfg(feature = "encryption")]
    key: Option<EncryptionKey>,
}

impl FileTokenCache {
    /// A cache kept in the file at `path` (created on first write).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileTokenCache {
            inner: Arc::new(Inner {
                path: path.into(),
                writer: tokio::sync::Mutex::new(()),
                #[cfg(feature = "encryption")]
                key: None,
            }),
        }
    }

    /// Encrypts the file at rest with `key` (AES-256-GCM, a fresh random
    /// nonce per write). A file that does not decrypt with the key, or that
    /// is not encrypted, is ignored with a warning (sign in again).
    ///
    /// ```no_run
    /// use msgraph_auth::{EncryptionKey, FileTokenCache};
    ///
    /// // MSGRAPH_CACHE_KEY holds 32 random bytes, e.g. from `openssl rand -base64 32`.
    /// let cache = FileTokenCache::new("data/token_cache.json").encryption_key(EncryptionKey::from_env()?);
    /// # Ok::<(), msgraph_core::Error>(())
    /// ```
    #[cfg(feature = "encryption")]
    #[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
    pub fn encryption_key(self, key: EncryptionKey) -> Self {
        FileTokenCache {
            inner: Arc::new(Inner {
                path: self.inner.path.clone(),
                writer: tokio::sync::Mutex::new(()),
                key: Some(key),
            }),
        }
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    fn codec(&self) -> Codec {
        Codec {
            #[cfg(feature = "encryption")]
            key: self.inner.key.clone(),
        }
    }

    async fn read(&self) -> Result<Vec<StoredEntry>> {
        let path = self.inner.path.clone();
        let codec = self.codec();
        blocking(move || Ok(load(&path, &codec))).await
    }

    async fn modify(&self, change: impl FnOnce(&mut Vec<StoredEntry>) -> bool + Send + 'static) -> Result<()> {
        let _in_process = self.inner.writer.lock().await;
        let path = self.inner.path.clone();
        let codec = self.codec();
        blocking(move || {
            create_parent(&path).map_err(|e| Error::io(format!("creating the directory of {}", path.display()), e))?;
            let _lock = LockFile::acquire(&path, LOCK_TIMEOUT)
                .map_err(|e| Error::io(format!("locking the token cache {}", path.display()), e))?;
            let mut entries = load(&path, &codec);
            if change(&mut entries) {
                let bytes = codec.encode(&entries)?;
                write_atomic(&path, &bytes)
                    .map_err(|e| Error::io(format!("writing the token cache {}", path.display()), e))?;
            }
            Ok(())
        })
        .await
    }
}

impl fmt::Debug for FileTokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("FileTokenCache");
        d.field("path", &self.inner.path);
        #[cfg(feature = "encryption")]
        d.field("encrypted", &self.inner.key.is_some());
        d.finish()
    }
}

#[async_trait]
impl TokenCache for FileTokenCache {
    async fn get(&self, key: &TokenCacheKey) -> Result<Option<CachedToken>> {
        Ok(entries::get(&self.read().await?, key))
    }

    async fn set(&self, key: &TokenCacheKey, token: &CachedToken) -> Result<()> {
        let (key, token) = (key.clone(), token.clone());
        self.modify(move |list| {
            entries::set(list, &key, &token);
            true
        })
        .await
    }

    async fn remove(&self, key: &TokenCacheKey) -> Result<()> {
        let key = key.clone();
        self.modify(move |list| entries::remove(list, &key)).await
    }

    async fn accounts(&self, key: &TokenCacheKey) -> Result<Vec<String>> {
        Ok(entries::accounts(&self.read().await?, key))
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::io("the token cache task failed", io::Error::other(e.to_string())))?
}

/// The file as written: plain entries, or a sealed envelope.
#[derive(Serialize, Deserialize)]
struct PlainFile<E> {
    version: u32,
    entries: Vec<E>,
}

#[cfg(feature = "encryption")]
#[derive(Serialize, Deserialize)]
struct SealedFile {
    version: u32,
    encryption: String,
    nonce: String,
    ciphertext: String,
}

/// How entries become bytes and back (plain JSON, or sealed).
struct Codec {
    #[cfg(feature = "encryption")]
    key: Option<EncryptionKey>,
}

impl Codec {
    fn encode(&self, entries: &[StoredEntry]) -> Result<Vec<u8>> {
        let plain = serde_json::to_vec_pretty(&PlainFile { version: FORMAT_VERSION, entries: entries.to_vec() })
            .map_err(|e| Error::io("serializing the token cache", io::Error::other(e.to_string())))?;
        #[cfg(feature = "encryption")]
        if let Some(key) = &self.key {
            let (nonce, ciphertext) = super::encryption::seal(key, &plain)?;
            let sealed = SealedFile {
                version: FORMAT_VERSION,
                encryption: super::encryption::ALGORITHM.to_owned(),
                nonce: base64_std(&nonce),
                ciphertext: base64_std(&ciphertext),
            };
            return serde_json::to_vec_pretty(&sealed)
                .map_err(|e| Error::io("serializing the token cache", io::Error::other(e.to_string())));
        }
        Ok(plain)
    }

    /// The entries in `bytes`, or why they cannot be read.
    fn decode(&self, bytes: &[u8]) -> std::result::Result<Vec<StoredEntry>, String> {
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON ({e})"))?;
        let value = self.unseal(value)?;
        let file: PlainFile<serde_json::Value> =
            serde_json::from_value(value).map_err(|e| format!("unexpected shape ({e})"))?;
        let total = file.entries.len();
        let list: Vec<StoredEntry> =
            file.entries.into_iter().filter_map(|v| serde_json::from_value::<StoredEntry>(v).ok()).collect();
        if list.len() != total {
            tracing::warn!(skipped = total - list.len(), "token cache: skipped entries that could not be read");
        }
        Ok(list)
    }
}

impl Codec {
    /// The plain content of a sealed file (checked against the key).
    #[cfg(feature = "encryption")]
    fn unseal(&self, value: serde_json::Value) -> std::result::Result<serde_json::Value, String> {
        let sealed = value.get("encryption").is_some();
        match (&self.key, sealed) {
            (Some(key), true) => {
                let file: SealedFile =
                    serde_json::from_value(value).map_err(|e| format!("bad encrypted envelope ({e})"))?;
                let nonce = base64_std_decode(&file.nonce).ok_or("bad nonce")?;
                let ciphertext = base64_std_decode(&file.ciphertext).ok_or("bad ciphertext")?;
                let plain = super::encryption::open(key, &nonce, ciphertext)
                    .ok_or("it does not decrypt with this key (wrong key, or the file was altered)")?;
                serde_json::from_slice(&plain).map_err(|e| format!("decrypted content is not JSON ({e})"))
            }
            (Some(_), false) => Err("it is not encrypted but an encryption key is configured".into()),
            (None, true) => Err("it is encrypted but no encryption key is configured".into()),
            (None, false) => Ok(value),
        }
    }

    /// Without the `encryption` feature a sealed file cannot be read.
    #[cfg(not(feature = "encryption"))]
    fn unseal(&self, value: serde_json::Value) -> std::result::Result<serde_json::Value, String> {
        if value.get("encryption").is_some() {
            return Err("it is encrypted; enable the `encryption` feature and set the key".into());
        }
        Ok(value)
    }
}

#[cfg(feature = "encryption")]
fn base64_std(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

#[cfg(feature = "encryption")]
fn base64_std_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// Reads the cache; never fails: a missing file is empty, a bad one is
/// reported and treated as empty.
fn load(path: &Path, codec: &Codec) -> Vec<StoredEntry> {
    match fs::read(path) {
        Ok(bytes) => match codec.decode(&bytes) {
            Ok(list) => list,
            Err(why) => {
                tracing::warn!(path = %path.display(), "token cache file ignored: {why}; signing in again");
                Vec::new()
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "token cache file unreadable; signing in again");
            Vec::new()
        }
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn create_parent(path: &Path) -> io::Result<()> {
    let dir = parent_of(path);
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes `bytes` to a private temp file next to `path`, then renames it
/// over `path`.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = parent_of(path);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the token cache path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    #[cfg(unix)]
    if result.is_ok() {
        // Make the rename durable; best effort.
        let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    }
    result
}
