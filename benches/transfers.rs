//! Large transfers through `msgraph_drive` (core's upload sessions and
//! streaming downloads) against a loopback server, side by side with a plain
//! reqwest loop doing the same transfer:
//!
//! - upload: a file PUT in 10 MiB slices (`Content-Range`), the SDK through
//!   `drive.upload(..)` (createUploadSession + `LargeUpload`), the baseline
//!   reading the same slices from the same file;
//! - download: `GET .../content` → 302 → the body streamed to a file, the SDK
//!   through `drive.download(..).to_file(..)`, the baseline with
//!   `bytes_stream()` into a `tokio::fs::File`; and again with the baseline
//!   calling `sync_all` at the end, as the SDK does before its rename (the
//!   apples-to-apples row); and the SDK with `sync_to_disk(false)` against
//!   the plain baseline (the same work on both sides, no sync).
//!
//! Each download goes to a path that does not exist yet (the previous run's
//! file is deleted before the run, untimed); `MSGRAPH_BENCH_TRANSFER_REPLACE=1`
//! keeps it, so that each run replaces a 256 MiB file (the baseline truncates
//! it, the SDK renames over it: both pay for freeing the old file, and ext4
//! flushes the new one on the rename or the close).
//!
//! Each run is a child process (the bench re-executes itself) so that its
//! peak RSS (`VmHWM`) is its own; the server runs in the parent.
//!
//! ```text
//! cargo bench -p msgraph --bench transfers
//! MSGRAPH_BENCH_TRANSFER_MIB=32,256 MSGRAPH_BENCH_TRANSFER_REPS=3 cargo bench -p msgraph --bench transfers
//! ```

use std::io::Write as _;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use futures::StreamExt as _;

const CHILD: &str = "MSGRAPH_BENCH_TRANSFER_CHILD";
const SLICE: u64 = 32 * 327_680; // 10 MiB

fn list_var(name: &str, default: &[u64]) -> Vec<u64> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<u64>| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

#[derive(Clone, Default)]
struct Server {
    received: Arc<AtomicU64>,
    base: Arc<std::sync::OnceLock<String>>,
}

fn content_range(h: &HeaderMap) -> Option<(u64, u64, u64)> {
    let v = h.get("content-range")?.to_str().ok()?.strip_prefix("bytes ")?;
    let (range, total) = v.split_once('/')?;
    let (a, b) = range.split_once('-')?;
    Some((a.parse().ok()?, b.parse().ok()?, total.parse().ok()?))
}

async fn create_session(State(s): State<Server>, Path(name): Path<String>) -> Response {
    let base = s.base.get().cloned().unwrap_or_default();
    let name = name.trim_end_matches(':');
    let body =
        serde_json::json!({"uploadUrl": format!("{base}/up/{name}"), "expirationDateTime": "2030-01-01T00:00:00Z"});
    (StatusCode::OK, axum::Json(body)).into_response()
}

async fn put_slice(State(s): State<Server>, headers: HeaderMap, body: Body) -> Response {
    let Some((_, end, total)) = content_range(&headers) else { return StatusCode::BAD_REQUEST.into_response() };
    // read and drop the body as it arrives (constant memory on the server)
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(c) => {
                s.received.fetch_add(c.len() as u64, Ordering::Relaxed);
            }
            Err(_) => return StatusCode::BAD_REQUEST.into_response(),
        }
    }
    if end + 1 == total {
        let item = serde_json::json!({"id": "BENCH", "name": "bench.bin", "size": total, "file": {}});
        (StatusCode::CREATED, axum::Json(item)).into_response()
    } else {
        let next = serde_json::json!({"nextExpectedRanges": [format!("{}-", end + 1)]});
        (StatusCode::ACCEPTED, axum::Json(next)).into_response()
    }
}

async fn content(State(s): State<Server>, Path(size): Path<u64>) -> Response {
    let base = s.base.get().cloned().unwrap_or_default();
    (StatusCode::FOUND, [("location", format!("{base}/blob/{size}"))]).into_response()
}

async fn blob(Path(size): Path<u64>) -> Response {
    const CHUNK: usize = 64 * 1024;
    let block = bytes::Bytes::from(vec![0x5au8; CHUNK]);
    let chunks = size.div_ceil(CHUNK as u64);
    let stream = futures::stream::iter((0..chunks).map(move |i| {
        let len = if i + 1 == chunks { (size - i * CHUNK as u64) as usize } else { CHUNK };
        Ok::<_, std::io::Error>(block.slice(..len))
    }));
    ([("content-length", size.to_string())], Body::from_stream(stream)).into_response()
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn child(mode: &str) {
    let base = std::env::var("MSGRAPH_BENCH_BASE").unwrap_or_default();
    let file = std::env::var("MSGRAPH_BENCH_FILE").unwrap_or_default();
    let size: u64 = std::env::var("MSGRAPH_BENCH_SIZE").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let elapsed = rt.block_on(async move {
        let client = msgraph::core::GraphClient::builder()
            .base_url(format!("{base}/v1.0"))
            .credential(msgraph::core::StaticTokenCredential::new("bench"))
            .build()
            .expect("a client");
        // MSGRAPH_BENCH_RAW_TIMEOUT=1 gives the baseline the SDK's per-request timeout (100 s)
        let raw = if std::env::var("MSGRAPH_BENCH_RAW_TIMEOUT").is_ok() {
            reqwest::Client::builder().timeout(std::time::Duration::from_secs(100)).build().expect("a client")
        } else {
            reqwest::Client::new()
        };
        let started = Instant::now();
        match mode {
            "sdk-upload" => {
                use msgraph::drive::DriveExt as _;
                let item = client
                    .me()
                    .drive()
                    .upload("/", "bench.bin", std::path::Path::new(&file))
                    .slice_size(SLICE)
                    .await
                    .expect("the SDK upload");
                assert_eq!(item.size, Some(size as i64));
            }
            "raw-upload" => {
                use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
                let mut f = tokio::fs::File::open(&file).await.expect("the file");
                let mut offset = 0;
                while offset < size {
                    let len = SLICE.min(size - offset);
                    f.seek(std::io::SeekFrom::Start(offset)).await.expect("seek");
                    let mut buf = vec![0u8; len as usize];
                    f.read_exact(&mut buf).await.expect("read");
                    let r = raw
                        .put(format!("{base}/up/raw"))
                        .header("content-range", format!("bytes {offset}-{}/{size}", offset + len - 1))
                        .body(buf)
                        .send()
                        .await
                        .expect("a PUT");
                    assert!(r.status().is_success());
                    let _ = r.bytes().await;
                    offset += len;
                }
            }
            "sdk-download" | "sdk-download-nosync" => {
                use msgraph::drive::DriveExt as _;
                let n = client
                    .me()
                    .drive()
                    .download(msgraph::drive::ItemRef::id(size.to_string()))
                    .sync_to_disk(mode == "sdk-download")
                    .to_file(&file)
                    .await
                    .expect("the SDK download");
                assert_eq!(n, size);
            }
            "raw-download" | "raw-download-sync" => {
                let r = raw.get(format!("{base}/v1.0/me/drive/items/{size}/content")).send().await.expect("a GET");
                let mut out = tokio::fs::File::create(&file).await.expect("the file");
                let mut stream = r.bytes_stream();
                let mut n = 0;
                while let Some(chunk) = stream.next().await {
                    let c = chunk.expect("a chunk");
                    n += c.len() as u64;
                    tokio::io::AsyncWriteExt::write_all(&mut out, &c).await.expect("write");
                }
                tokio::io::AsyncWriteExt::flush(&mut out).await.expect("flush");
                if mode == "raw-download-sync" {
                    out.sync_all().await.expect("sync");
                }
                assert_eq!(n, size);
            }
            other => panic!("unknown mode {other}"),
        }
        started.elapsed()
    });
    println!("{} {}", elapsed.as_micros(), vm_hwm_kib());
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD) {
        child(&mode);
        return;
    }
    let sizes = list_var("MSGRAPH_BENCH_TRANSFER_MIB", &[32, 256]);
    let reps = list_var("MSGRAPH_BENCH_TRANSFER_REPS", &[3])[0].max(1) as usize;
    let replace = std::env::var("MSGRAPH_BENCH_TRANSFER_REPLACE").is_ok_and(|v| v == "1");
    let exe = std::env::current_exe().expect("the bench's own path");
    let dir = std::env::temp_dir().join(format!("msgraph-bench-transfers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");

    // the server, in this process, on its own thread
    let server = Server::default();
    let (tx, rx) = std::sync::mpsc::channel();
    let srv = server.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
            let base = format!("http://{}", listener.local_addr().expect("addr"));
            let _ = srv.base.set(base.clone());
            let app = Router::new()
                .route("/v1.0/me/drive/root:/{name}/createUploadSession", post(create_session))
                .route("/up/{name}", put(put_slice))
                .route("/v1.0/me/drive/items/{size}/content", get(content))
                .route("/blob/{size}", get(blob))
                .layer(axum::extract::DefaultBodyLimit::disable())
                .with_state(srv);
            let _ = tx.send(base);
            let _ = axum::serve(listener, app).await;
        });
    });
    let base = rx.recv().expect("the server's address");

    println!(
        "# transfers: msgraph_drive vs plain reqwest, {reps} runs each, medians; downloads {}",
        if replace { "replace the previous run's file" } else { "into a new file" }
    );
    println!();
    println!("| transfer | MiB | SDK wall | raw wall | SDK / raw (paired median) | SDK peak RSS | raw peak RSS |");
    println!("|---|---|---|---|---|---|---|");
    let mut rss_by_size: Vec<(String, u64, f64)> = Vec::new();
    for &mib in &sizes {
        let size = mib * 1024 * 1024;
        let src = dir.join(format!("src-{mib}.bin"));
        {
            let mut f = std::fs::File::create(&src).expect("the source file");
            let block: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
            for _ in 0..mib {
                f.write_all(&block).expect("write");
            }
        }
        for (what, sdk_mode, raw_mode) in [
            ("upload", "sdk-upload", "raw-upload"),
            ("download", "sdk-download", "raw-download"),
            ("download vs raw + sync_all", "sdk-download", "raw-download-sync"),
            ("download, sync_to_disk(false), vs raw", "sdk-download-nosync", "raw-download"),
        ] {
            let mut ratios = Vec::new();
            let (mut sdk_t, mut raw_t, mut sdk_rss, mut raw_rss) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for rep in 0..reps {
                // rotate the order from one round to the next
                let order = if rep % 2 == 0 { [sdk_mode, raw_mode] } else { [raw_mode, sdk_mode] };
                let mut round = std::collections::HashMap::new();
                for mode in order {
                    let file = if mode.ends_with("upload") { src.clone() } else { dir.join(format!("out-{mode}.bin")) };
                    if !mode.ends_with("upload") && !replace {
                        // a download into a new file (deleting the old one is not part of it)
                        let _ = std::fs::remove_file(&file);
                    }
                    let out = Command::new(&exe)
                        .env(CHILD, mode)
                        .env("MSGRAPH_BENCH_BASE", &base)
                        .env("MSGRAPH_BENCH_FILE", &file)
                        .env("MSGRAPH_BENCH_SIZE", size.to_string())
                        .output()
                        .expect("a child run");
                    assert!(out.status.success(), "{mode}: {}", String::from_utf8_lossy(&out.stderr));
                    let text = String::from_utf8_lossy(&out.stdout);
                    let mut parts = text.split_whitespace();
                    let micros: f64 = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
                    let kib: f64 = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
                    round.insert(mode, (micros, kib));
                }
                let (s, r) = (round[sdk_mode], round[raw_mode]);
                ratios.push(s.0 / r.0.max(1.0));
                sdk_t.push(s.0);
                raw_t.push(r.0);
                sdk_rss.push(s.1);
                raw_rss.push(r.1);
            }
            let sdk_rss_m = median(sdk_rss);
            println!(
                "| {what} | {mib} | {:.0} ms | {:.0} ms | {:.3} | {:.1} MiB | {:.1} MiB |",
                median(sdk_t) / 1e3,
                median(raw_t) / 1e3,
                median(ratios),
                sdk_rss_m / 1024.0,
                median(raw_rss) / 1024.0
            );
            rss_by_size.push((what.to_owned(), mib, sdk_rss_m));
        }
    }
    println!();
    for what in ["upload", "download"] {
        let runs: Vec<&(String, u64, f64)> = rss_by_size.iter().filter(|(w, _, _)| w == what).collect();
        if let (Some(small), Some(big)) = (runs.first(), runs.last())
            && small.1 != big.1
        {
            println!("SDK {what}: peak RSS {} MiB / {} MiB = {:.3}", big.1, small.1, big.2 / small.2.max(1.0));
        }
    }
    println!("(server received {} bytes in all)", server.received.load(Ordering::Relaxed));
    let _ = std::fs::remove_dir_all(&dir);
}
