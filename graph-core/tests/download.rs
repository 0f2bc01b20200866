//! Streaming downloads: the 302 to a pre-authenticated host gets no token, a
//! body cut off half-way is resumed with `Range`, a failed download never
//! leaves a file under its final name, and a dropped one leaves no temporary
//! file.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use msgraph_core::download::Download;
use msgraph_core::test_util::MockGraph;
use msgraph_core::{GraphPath, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 253) as u8).collect()
}

/// What the raw file host does with a request.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Sends half the body, then closes; answers a Range request with 206.
    CutThenResume,
    /// Sends half the body, then closes; ignores Range (answers 200 and cuts again).
    CutAlways,
    /// The whole body.
    Whole,
    /// Sends half the body, then neither sends nor closes until the client goes.
    Stall,
    /// The whole body in ten pieces, 150 ms apart (1.35 s in all).
    Trickle,
}

/// A plain HTTP/1.1 file host on 127.0.0.2 (another host than the Graph
/// mock on 127.0.0.1), which can cut a body off half-way.
struct FileHost {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

async fn file_host(body: Vec<u8>, behaviour: Behaviour) -> FileHost {
    let listener = TcpListener::bind("127.0.0.2:0").await.unwrap();
    let url = format!("http://127.0.0.2:{}/files/report.bin?token=secret", listener.local_addr().unwrap().port());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let body = body.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).to_lowercase();
                seen.lock().unwrap().push(head.clone());
                let range_from = head
                    .lines()
                    .find_map(|l| l.strip_prefix("range: bytes="))
                    .and_then(|r| r.trim().trim_end_matches('-').parse::<usize>().ok());
                let total = body.len();
                let half = total / 2;
                let response = match (behaviour, range_from) {
                    (Behaviour::CutThenResume, Some(from)) => {
                        let mut r = format!(
                            "HTTP/1.1 206 Partial Content\r\ncontent-length: {}\r\ncontent-range: bytes {from}-{}/{total}\r\nconnection: close\r\n\r\n",
                            total - from,
                            total - 1
                        )
                        .into_bytes();
                        r.extend_from_slice(&body[from..]);
                        r
                    }
                    (Behaviour::Whole, _) => {
                        let mut r = format!("HTTP/1.1 200 OK\r\ncontent-length: {total}\r\nconnection: close\r\n\r\n")
                            .into_bytes();
                        r.extend_from_slice(&body);
                        r
                    }
                    _ => {
                        let mut r = format!("HTTP/1.1 200 OK\r\ncontent-length: {total}\r\nconnection: close\r\n\r\n")
                            .into_bytes();
                        r.extend_from_slice(&body[..half]);
                        r
                    }
                };
                if matches!(behaviour, Behaviour::Trickle) {
                    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {total}\r\nconnection: close\r\n\r\n");
                    let _ = sock.write_all(head.as_bytes()).await;
                    for (i, piece) in body.chunks(total.div_ceil(10)).enumerate() {
                        if i > 0 {
                            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
                        }
                        if sock.write_all(piece).await.is_err() {
                            return;
                        }
                    }
                    let _ = sock.shutdown().await;
                    return;
                }
                let _ = sock.write_all(&response).await;
                if matches!(behaviour, Behaviour::Stall) {
                    while let Ok(n) = sock.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                    }
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    FileHost { url, heads }
}

/// Graph's `GET .../content` answers 302 to the file host.
async fn graph_redirecting_to(url: &str) -> MockGraph {
    let g = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/01BYE5RZ/content"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", url))
        .expect(1)
        .mount(&g.server)
        .await;
    g
}

fn content_request() -> Request {
    Request::get(GraphPath::new().push("me").push("drive").push("items").id("01BYE5RZ").push("content"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("msgraph-download-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_cut_off_body_is_resumed_with_range_and_the_file_is_identical() {
    let data = content(1_000_003);
    let host = file_host(data.clone(), Behaviour::CutThenResume).await;
    let g = graph_redirecting_to(&host.url).await;
    let dir = temp_dir("resume");
    let target = dir.join("report.bin");
    let progress = Arc::new(Mutex::new(Vec::new()));
    let p = progress.clone();
    let n = Download::new(g.client(), content_request())
        .on_progress(move |done, total| p.lock().unwrap().push((done, total)))
        .to_file(&target)
        .await
        .unwrap();
    assert_eq!(n, data.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), data);
    let heads = host.heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 2);
    assert!(heads.iter().all(|h| !h.contains("authorization")), "the file host never gets the token: {heads:?}");
    assert!(heads[1].contains(&format!("range: bytes={}-", data.len() / 2)), "{}", heads[1]);
    assert_eq!(progress.lock().unwrap().last().copied(), Some((data.len() as u64, Some(data.len() as u64))));
    // only the final file is left
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_failed_download_leaves_nothing_under_the_final_name() {
    let data = content(200_000);
    let host = file_host(data, Behaviour::CutAlways).await;
    let g = graph_redirecting_to(&host.url).await;
    let dir = temp_dir("failed");
    let target = dir.join("report.bin");
    let err = Download::new(g.client(), content_request()).to_file(&target).await.unwrap_err();
    assert!(err.to_string().contains("cannot resume"), "{err}");
    assert!(!target.exists(), "no truncated file under the final name");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "the temporary file is removed");
    // the pre-authenticated URL's token never shows in the error
    assert!(!err.to_string().contains("secret"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_download_larger_than_the_background_flush_step_is_identical() {
    // past 8 MiB, the file is flushed to disk in the background while it is written
    let data = content(20 * 1024 * 1024 + 17);
    let host = file_host(data.clone(), Behaviour::Whole).await;
    let g = graph_redirecting_to(&host.url).await;
    let dir = temp_dir("large");
    let target = dir.join("report.bin");
    std::fs::write(&target, b"the previous version").unwrap();
    let n = Download::new(g.client(), content_request()).to_file(&target).await.unwrap();
    assert_eq!(n, data.len() as u64);
    assert!(std::fs::read(&target).unwrap() == data, "the file is the body");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "only the final file is left");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_dropped_download_removes_its_temporary_file() {
    let host = file_host(content(2_000_000), Behaviour::Stall).await;
    let g = graph_redirecting_to(&host.url).await;
    let dir = temp_dir("dropped");
    let target = dir.join("report.bin");
    let (first_chunk, got_one) = tokio::sync::oneshot::channel();
    let first_chunk = Mutex::new(Some(first_chunk));
    let download = Download::new(g.client(), content_request())
        .on_progress(move |_, _| {
            if let Some(tx) = first_chunk.lock().unwrap().take() {
                let _ = tx.send(());
            }
        })
        .to_file(&target);
    tokio::select! {
        result = download => panic!("the host never sends the second half: {result:?}"),
        _ = got_one => {}
    }
    // the download is dropped half-way: the thread writing its file removes it
    let mut left = usize::MAX;
    for _ in 0..1000 {
        left = std::fs::read_dir(&dir).unwrap().count();
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, 0, "the temporary file is removed: {names:?}");
    assert!(!target.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn chunks_stream_to_a_writer_or_to_the_caller() {
    let data = content(300_000);
    let host = file_host(data.clone(), Behaviour::Whole).await;
    let g = graph_redirecting_to(&host.url).await;
    let mut out = Vec::new();
    Download::new(g.client(), content_request()).to_writer(&mut out).await.unwrap();
    assert_eq!(out, data);

    let g = graph_redirecting_to(&host.url).await;
    let response = Download::new(g.client(), content_request()).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.content_length(), Some(data.len() as u64));
    assert!(!format!("{response:?}").contains("secret"), "Debug shows no pre-authenticated URL");
    let chunks: Vec<bytes::Bytes> = response.bytes_stream().try_collect().await.unwrap();
    assert_eq!(chunks.concat(), data);
}

/// The client's timeout bounds a streamed download up to its headers and
/// then each wait for data, not the whole body: a body that takes longer
/// than the timeout but keeps coming is read whole, without a resume.
#[tokio::test]
async fn a_download_longer_than_the_timeout_completes_while_data_keeps_coming() {
    let data = content(200_000);
    let host = file_host(data.clone(), Behaviour::Trickle).await;
    let g = graph_redirecting_to(&host.url).await;
    let client = g.client_builder().timeout(std::time::Duration::from_millis(600)).build().unwrap();
    let mut out = Vec::new();
    let started = std::time::Instant::now();
    let n = Download::new(client, content_request()).max_resumes(0).to_writer(&mut out).await.unwrap();
    assert_eq!(n, data.len() as u64);
    assert_eq!(out, data);
    assert!(started.elapsed() > std::time::Duration::from_millis(600), "the body took longer than the timeout");
    assert_eq!(host.heads.lock().unwrap().len(), 1, "no Range request");
}

/// A body that stops coming ends with a typed timeout (after the resumes
/// it is allowed), not a hang.
#[tokio::test]
async fn a_stalled_download_is_a_timeout_not_a_hang() {
    let host = file_host(content(2_000_000), Behaviour::Stall).await;
    let g = graph_redirecting_to(&host.url).await;
    let client = g.client_builder().timeout(std::time::Duration::from_millis(300)).build().unwrap();
    let mut out = Vec::new();
    let err = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        Download::new(client, content_request()).max_resumes(0).to_writer(&mut out),
    )
    .await
    .expect("the download must end")
    .unwrap_err();
    assert!(matches!(&err, msgraph_core::Error::Timeout { message } if message.contains("no data")), "{err:?}");
    assert!(!err.to_string().contains("secret"), "no pre-authenticated URL in the error: {err}");
    assert!(!out.is_empty(), "the first half arrived");
}

/// `sync_to_disk(false)` skips the syncs, nothing else: the file is whole,
/// under its final name, with no temporary file left.
#[tokio::test]
async fn without_the_sync_the_file_is_still_whole_and_renamed() {
    let data = content(10 * 1024 * 1024);
    let host = file_host(data.clone(), Behaviour::Whole).await;
    let g = graph_redirecting_to(&host.url).await;
    let dir = temp_dir("nosync");
    let target = dir.join("report.bin");
    let n = Download::new(g.client(), content_request()).sync_to_disk(false).to_file(&target).await.unwrap();
    assert_eq!(n, data.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), data);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "only the final file is left");
    std::fs::remove_dir_all(&dir).unwrap();
}
