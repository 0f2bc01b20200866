//! The file cache: private, atomic, safe with concurrent writers, never a
//! crash on a bad file, and (feature `encryption`) sealed at rest.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::*;
use msgraph_auth::{CachedToken, ClientSecretCredential, FileTokenCache, TokenCache, TokenCacheKey};
use msgraph_core::{Cloud, Secret, TokenCredential, TokenRequest};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const TOKEN_PATH: &str = "/contoso.com/oauth2/v2.0/token";

fn key(account: &str) -> TokenCacheKey {
    TokenCacheKey::new(Cloud::Global, "common", CLIENT_ID, Some(account.into()), ["Mail.Read"])
}

fn token(access: &str) -> CachedToken {
    CachedToken::new(access, Utc::now() + chrono::Duration::hours(1), Some(Secret::new(format!("rt-of-{access}"))))
}

async fn daemon_signs_in(cache: FileTokenCache) -> (msgraph_core::test_util::MockGraph, String) {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("fresh-token", None, None)))
        .expect(1)
        .mount(&server.server)
        .await;
    let credential = ClientSecretCredential::builder("contoso.com", CLIENT_ID, "s")
        .authority_url(server.server.uri())
        .token_cache(cache)
        .build()
        .unwrap();
    let token = credential.get_token(&TokenRequest::new()).await.unwrap();
    (server, token.token.expose().to_owned())
}

#[tokio::test]
async fn creates_the_data_directory_and_a_private_json_file() {
    let dir = temp_dir("create");
    let file = dir.join("data").join("token_cache.json");
    let cache = FileTokenCache::new(&file);
    assert!(cache.get(&key("ada")).await.unwrap().is_none(), "a missing file is an empty cache");
    cache.set(&key("ada"), &token("at-ada")).await.unwrap();

    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["entries"][0]["key"]["account"], "ada");
    assert_eq!(json["entries"][0]["token"]["access_token"], "at-ada");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(dir.join("data")).unwrap().permissions().mode() & 0o777, 0o700);
    }
    // No temp file is left behind; the lock file stays, empty and private
    // (deleting it is what let two writers in at once).
    let mut names: Vec<_> = std::fs::read_dir(dir.join("data")).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names, ["token_cache.json", "token_cache.json.lock"]);
    let lock = std::fs::metadata(dir.join("data").join("token_cache.json.lock")).unwrap();
    assert_eq!(lock.len(), 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(lock.permissions().mode() & 0o777, 0o600);
    }

    // Another instance (a restart) reads it back.
    let again = FileTokenCache::new(&file);
    let read = token_read(&again, "ada").await;
    assert_eq!(read.access_token.expose(), "at-ada");
    assert_eq!(read.refresh_token.as_ref().map(Secret::expose), Some("rt-of-at-ada"));
    assert_eq!(again.accounts(&key("x")).await.unwrap(), ["ada"]);
    again.remove(&key("ada")).await.unwrap();
    assert!(FileTokenCache::new(&file).get(&key("ada")).await.unwrap().is_none());
    let _ = std::fs::remove_dir_all(dir);
}

async fn token_read(cache: &FileTokenCache, account: &str) -> CachedToken {
    cache.get(&key(account)).await.unwrap().unwrap()
}

#[cfg(unix)]
#[tokio::test]
async fn rewriting_a_world_readable_file_makes_it_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("perm");
    let file = dir.join("token_cache.json");
    std::fs::write(&file, r#"{"version":1,"entries":[]}"#).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    FileTokenCache::new(&file).set(&key("ada"), &token("at")).await.unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_corrupt_file_means_signing_in_again_not_a_panic() {
    let dir = temp_dir("corrupt");
    let file = dir.join("token_cache.json");
    for garbage in
        [&b"{not json"[..], b"", b"[1,2,3]", b"{\"version\":1,\"entries\":[{\"key\":42}]}", &[0xff, 0xfe, 0x00]]
    {
        std::fs::write(&file, garbage).unwrap();
        let cache = FileTokenCache::new(&file);
        assert!(cache.get(&key("ada")).await.unwrap().is_none());
        let (_server, token) = daemon_signs_in(cache.clone()).await;
        assert_eq!(token, "fresh-token");
        // The sign-in replaced the bad file with a valid one.
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(json["entries"].as_array().unwrap().len(), 1);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_unreadable_or_unwritable_path_still_signs_in() {
    let dir = temp_dir("dir");
    // The "file" is a directory: it can be neither read nor replaced.
    let cache = FileTokenCache::new(&dir);
    assert!(cache.get(&key("ada")).await.unwrap().is_none());
    assert!(cache.set(&key("ada"), &token("at")).await.is_err());
    let (_server, token) = daemon_signs_in(cache).await;
    assert_eq!(token, "fresh-token");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn two_concurrent_writers_leave_valid_json_with_every_entry() {
    let dir = temp_dir("concurrent");
    let file = dir.join("data").join("token_cache.json");
    // Two separate instances, as two processes would have: only the lock
    // file keeps them apart.
    let writers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|name| {
            let cache = FileTokenCache::new(&file);
            tokio::spawn(async move {
                for i in 0..25 {
                    cache.set(&key(&format!("{name}{i}")), &token(&format!("at-{name}{i}"))).await.unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(json["entries"].as_array().unwrap().len(), 50, "no writer lost the other's entries");
    let cache = FileTokenCache::new(&file);
    assert_eq!(token_read(&cache, "a24").await.access_token.expose(), "at-a24");
    assert_eq!(token_read(&cache, "b0").await.access_token.expose(), "at-b0");
    let _ = std::fs::remove_dir_all(dir);
}

/// Set for the child process that plays "another process holding the lock".
const HOLD_LOCK_ENV: &str = "MSGRAPH_AUTH_TEST_HOLD_CACHE_LOCK";
const HOLDING: &str = "HOLDING-THE-CACHE-LOCK";

/// Not a test of its own: the lock tests run this test binary again with
/// only this test and `HOLD_LOCK_ENV` set, as another process using the same
/// cache file. It takes the cache lock the way the cache does (an exclusive
/// OS lock on `<file>.lock`), says so, and holds it until it is killed.
#[test]
fn another_process_holding_the_cache_lock() {
    let Some(lock) = std::env::var_os(HOLD_LOCK_ENV) else { return };
    let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(lock).unwrap();
    fs4::FileExt::lock(&file).unwrap();
    println!("{HOLDING}");
    loop {
        std::thread::sleep(Duration::from_secs(60));
    }
}

/// The child process holding the lock; killed (as a crash) when dropped.
struct Holder(Child);

impl Holder {
    fn start(cache_file: &Path) -> Holder {
        let lock = lock_file(cache_file);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["another_process_holding_the_cache_lock", "--exact", "--nocapture", "--test-threads=1"])
            .env(HOLD_LOCK_ENV, &lock)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if line.map(|l| l.contains(HOLDING)).unwrap_or(true) {
                    let _ = tx.send(());
                    return;
                }
            }
        });
        let mut holder = Holder(child);
        if rx.recv_timeout(Duration::from_secs(30)).is_err() {
            holder.crash();
            panic!("the child process never took the lock");
        }
        holder
    }

    /// Dies without releasing anything (SIGKILL / TerminateProcess).
    fn crash(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        self.crash();
    }
}

fn lock_file(cache_file: &Path) -> PathBuf {
    let mut name = cache_file.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

#[tokio::test]
async fn a_writer_waits_for_another_process_holding_the_lock_however_old_its_lock_file() {
    let dir = temp_dir("held");
    let file = dir.join("token_cache.json");
    FileTokenCache::new(&file).set(&key("before"), &token("at-before")).await.unwrap();
    let mut holder = Holder::start(&file);
    // The holder is slow, not dead: its lock file looks an hour old. (The
    // old lock file judged that stale, deleted it and went ahead.)
    let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options().write(true).open(lock_file(&file)).unwrap().set_modified(an_hour_ago).unwrap();

    let writer = tokio::spawn({
        let cache = FileTokenCache::new(&file);
        async move { cache.set(&key("ada"), &token("at-ada")).await }
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!writer.is_finished(), "wrote while another process held the lock");
    assert!(lock_file(&file).exists(), "a waiter removed the lock file of the process holding it");

    // The holder crashes: the OS releases its lock, and the waiting write goes ahead at once.
    let crashed_at = Instant::now();
    holder.crash();
    writer.await.unwrap().unwrap();
    assert!(crashed_at.elapsed() < Duration::from_secs(3), "waited {:?} after the crash", crashed_at.elapsed());
    let cache = FileTokenCache::new(&file);
    assert_eq!(token_read(&cache, "ada").await.access_token.expose(), "at-ada");
    assert_eq!(token_read(&cache, "before").await.access_token.expose(), "at-before");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_lock_file_left_by_a_crashed_process_does_not_block() {
    let dir = temp_dir("crashed");
    let file = dir.join("token_cache.json");
    // What a process that died mid-write leaves behind (an older version of
    // this crate wrote its pid in it): a file whose lock nobody holds.
    std::fs::write(lock_file(&file), "4242\n").unwrap();
    let started = Instant::now();
    let cache = FileTokenCache::new(&file);
    tokio::time::timeout(Duration::from_secs(5), cache.set(&key("ada"), &token("at-ada")))
        .await
        .expect("blocked by a lock nobody holds")
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert_eq!(token_read(&cache, "ada").await.access_token.expose(), "at-ada");

    // Same with a real process that died while holding the lock.
    let mut holder = Holder::start(&file);
    holder.crash();
    let started = Instant::now();
    cache.set(&key("bob"), &token("at-bob")).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert_eq!(cache.accounts(&key("x")).await.unwrap().len(), 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_sign_in_survives_a_restart() {
    let dir = temp_dir("restart");
    let file = dir.join("token_cache.json");
    let (_server, first) = daemon_signs_in(FileTokenCache::new(&file)).await;
    // A new process: a new credential on the same file sends nothing.
    let server = identity().await;
    let credential = ClientSecretCredential::builder("contoso.com", CLIENT_ID, "s")
        .authority_url(server.server.uri())
        .token_cache(FileTokenCache::new(&file))
        .build()
        .unwrap();
    assert_eq!(credential.get_token(&TokenRequest::new()).await.unwrap().token.expose(), first);
    assert!(server.requests().await.is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn debug_never_shows_tokens() {
    let cache = Arc::new(msgraph_auth::MemoryTokenCache::new());
    cache.set(&key("ada"), &token("at-visible?")).await.unwrap();
    let shown = format!("{:?} {:?}", cache, token("at-visible?"));
    assert!(!shown.contains("at-visible?") && !shown.contains("rt-of"), "{shown}");
}

#[cfg(feature = "encryption")]
mod encrypted {
    use super::*;
    use msgraph_auth::EncryptionKey;

    #[tokio::test]
    async fn the_file_does_not_contain_the_token_in_clear() {
        let dir = temp_dir("sealed");
        let file = dir.join("data").join("token_cache.json");
        let key_bytes = EncryptionKey::generate().unwrap();
        let cache = FileTokenCache::new(&file).encryption_key(key_bytes.clone());
        assert!(format!("{cache:?}").contains("encrypted: true"));
        cache.set(&key("ada@contoso.com"), &token("at-SECRET-123")).await.unwrap();

        let raw = std::fs::read_to_string(&file).unwrap();
        for clear in ["at-SECRET-123", "rt-of-at-SECRET-123", "ada@contoso.com", "mail.read"] {
            assert!(!raw.contains(clear), "{clear} in clear: {raw}");
        }
        let json: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(json["encryption"], "AES-256-GCM");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }

        // The same key reads it back; another key or no key means "sign in again".
        let same =
            FileTokenCache::new(&file).encryption_key(EncryptionKey::parse(key_bytes.to_base64().expose()).unwrap());
        assert_eq!(token_read(&same, "ada@contoso.com").await.access_token.expose(), "at-SECRET-123");
        let other = FileTokenCache::new(&file).encryption_key(EncryptionKey::generate().unwrap());
        assert!(other.get(&key("ada@contoso.com")).await.unwrap().is_none());
        assert!(FileTokenCache::new(&file).get(&key("ada@contoso.com")).await.unwrap().is_none());

        // A tampered file is refused, not trusted.
        let mut tampered: serde_json::Value = json.clone();
        let ct = tampered["ciphertext"].as_str().unwrap().to_owned();
        let first = if ct.starts_with('A') { 'B' } else { 'A' };
        let flipped = format!("{first}{}", &ct[1..]);
        tampered["ciphertext"] = serde_json::Value::String(flipped);
        std::fs::write(&file, tampered.to_string()).unwrap();
        assert!(same.get(&key("ada@contoso.com")).await.unwrap().is_none());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_plain_file_is_ignored_when_a_key_is_set() {
        let dir = temp_dir("plain-vs-key");
        let file = dir.join("token_cache.json");
        FileTokenCache::new(&file).set(&key("ada"), &token("at-plain")).await.unwrap();
        let sealed = FileTokenCache::new(&file).encryption_key(EncryptionKey::generate().unwrap());
        assert!(sealed.get(&key("ada")).await.unwrap().is_none());
        let _ = std::fs::remove_dir_all(dir);
    }
}
