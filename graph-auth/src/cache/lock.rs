//! The lock that keeps two writers (two processes, or two
//! [`FileTokenCache`](super::FileTokenCache)s on the same file) from
//! rewriting the cache at once.
//!
//! A writer holds an OS advisory lock on `<cache file>.lock` (`flock` on
//! Unix, `LockFileEx` on Windows, through `fs4`) for as long as it reads,
//! changes and replaces the cache file. The operating system releases the
//! lock when its holder closes the file or dies, so a crashed process never
//! blocks the next writer, and no lock is ever judged stale by its age (a
//! slow writer keeps its lock).
//!
//! The lock file itself is never deleted, by its holder or anyone else: a
//! deleted lock file is how two writers end up holding "the" lock at once
//! (one locked the old file just before it was unlinked, the other a new
//! one created in its place). It stays empty and private (mode 0600).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fs4::{FileExt, TryLockError};

/// How long to wait between attempts.
const RETRY_EVERY: Duration = Duration::from_millis(15);

/// Holds the lock; dropping it releases the lock (the file stays).
#[derive(Debug)]
pub(crate) struct LockFile {
    file: File,
    path: PathBuf,
}

/// `<target>.lock`.
pub(crate) fn lock_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl LockFile {
    /// Takes the lock next to `target`, waiting up to `timeout` for another
    /// holder to let go. Blocking: call from a blocking task.
    pub(crate) fn acquire(target: &Path, timeout: Duration) -> io::Result<LockFile> {
        let path = lock_path(target);
        let mut options = OpenOptions::new();
        // Never truncated or written: whatever a crashed process (or an older
        // version of this crate, which wrote its pid) left in it is harmless.
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path)?;
        let deadline = Instant::now() + timeout;
        loop {
            // Fully qualified: on Rust >= 1.89 `file.try_lock()` would be std's
            // inherent method, which the crate's MSRV (1.88) does not have.
            match FileExt::try_lock(&file) {
                Ok(()) => return Ok(LockFile { file, path }),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(e),
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "another process has held the token cache lock {} for more than {} s",
                        path.display(),
                        timeout.as_secs_f32()
                    ),
                ));
            }
            std::thread::sleep(RETRY_EVERY);
        }
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first releases it
        // at once (Windows may otherwise take a moment).
        if let Err(e) = FileExt::unlock(&self.file) {
            tracing::warn!(lock = %self.path.display(), error = %e, "could not release the token cache lock");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("msgraph-auth-lock-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn second_holder_waits_and_times_out() {
        let dir = dir("wait");
        let target = dir.join("cache.json");
        let first = LockFile::acquire(&target, Duration::from_secs(1)).unwrap();
        let err = LockFile::acquire(&target, Duration::from_millis(40)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        drop(first);
        let again = LockFile::acquire(&target, Duration::from_millis(40)).unwrap();
        drop(again);
        let _ = fs::remove_dir_all(&dir);
    }

    /// The old lock judged a lock file older than 30 s stale and deleted it:
    /// a slow (not crashed) holder lost its lock to the next writer, and its
    /// `Drop` then deleted that writer's lock. Age means nothing now.
    #[test]
    fn a_slow_holder_keeps_its_lock_and_never_removes_another_holders() {
        let dir = dir("slow");
        let target = dir.join("cache.json");
        let slow = LockFile::acquire(&target, Duration::from_secs(1)).unwrap();
        // The lock file looks an hour old, as a long write would leave it.
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        fs::File::options().write(true).open(lock_path(&target)).unwrap().set_modified(old).unwrap();
        let err = LockFile::acquire(&target, Duration::from_millis(100)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut, "a second holder while the first still writes");

        drop(slow);
        let next = LockFile::acquire(&target, Duration::from_secs(1)).unwrap();
        let err = LockFile::acquire(&target, Duration::from_millis(50)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut, "the next holder's lock survived the first one's drop");
        drop(next);
        assert!(lock_path(&target).exists(), "the lock file is never deleted");
        let _ = fs::remove_dir_all(&dir);
    }
}
