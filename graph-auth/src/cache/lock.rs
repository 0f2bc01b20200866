//! A lock file that keeps two processes from rewriting the cache file at once.
//!
//! `<cache file>.lock` is created with `create_new` (atomic on every
//! platform); whoever creates it owns the lock and deletes it when done. A
//! lock file older than [`STALE_AFTER`] is left over from a crashed process
//! and is removed.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How long a writer may hold the lock before others treat it as stale.
const STALE_AFTER: Duration = Duration::from_secs(30);
/// How long to wait between attempts.
const RETRY_EVERY: Duration = Duration::from_millis(15);

/// Holds the lock; dropping it releases the lock.
#[derive(Debug)]
pub(crate) struct LockFile {
    path: PathBuf,
}

impl LockFile {
    /// Takes the lock next to `target`, waiting up to `timeout`. Blocking: call
    /// from a blocking task.
    pub(crate) fn acquire(target: &Path, timeout: Duration) -> io::Result<LockFile> {
        let mut name = target.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let deadline = Instant::now() + timeout;
        loop {
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(&path) {
                Ok(mut file) => {
                    // The pid only helps a person who finds a stale lock.
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(LockFile { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if is_stale(&path) {
                        tracing::warn!(lock = %path.display(), "removing a stale token cache lock file");
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    if Instant::now() >= deadline {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            format!(
                                "the token cache is locked by another process; delete {} if no other process uses it",
                                path.display()
                            ),
                        ));
                    }
                    std::thread::sleep(RETRY_EVERY);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

fn is_stale(path: &Path) -> bool {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > STALE_AFTER)
}

impl Drop for LockFile {
    fn drop(&mut self) {
        if let Err(e) = fs::remove_file(&self.path) {
            tracing::warn!(lock = %self.path.display(), error = %e, "could not remove the token cache lock file");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_waits_and_times_out() {
        let dir = std::env::temp_dir().join(format!("msgraph-auth-lock-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("cache.json");
        let first = LockFile::acquire(&target, Duration::from_secs(1)).unwrap();
        let err = LockFile::acquire(&target, Duration::from_millis(40)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        drop(first);
        let again = LockFile::acquire(&target, Duration::from_millis(40)).unwrap();
        drop(again);
        assert!(!dir.join("cache.json.lock").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
