//! Streaming downloads: file content (`GET .../content`), attachment bytes,
//! anything large. Graph answers `302 Found` with a pre-authenticated URL
//! on another host; the pipeline follows it **without** the access token.
//! The body is streamed to a file or an `AsyncWrite` (memory holds one
//! chunk), and a body cut off half-way is resumed with a `Range` request on
//! the download URL.
//!
//! A download to a file path is written to a temporary file next to it,
//! synced to disk (`sync_all`) and renamed only when complete: neither a
//! failed download nor a crash after the rename leaves a truncated file
//! under the final name, and a failed or dropped download removes its
//! temporary file. The file is written by a blocking thread that takes the
//! chunks as they arrive (no copy) and, past 8 MiB, flushes what it wrote in
//! the background, so that the final sync waits only for the tail.
//!
//! ```no_run
//! use msgraph_core::download::Download;
//! use msgraph_core::{GraphPath, Request};
//! # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
//! let content = Request::get(GraphPath::new().push("me").push("drive").push("items").id("01BYE5RZ").push("content"));
//! let bytes = Download::new(client, content)
//!     .on_progress(|done, total| println!("{done} of {total:?}"))
//!     .to_file("report.pdf")
//!     .await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures::{Stream, StreamExt as _};
use http::Method;
use tokio::io::{AsyncWrite, AsyncWriteExt as _};
use url::Url;

use crate::request::AuthMode;
use crate::{Error, GraphClient, Request, Result, StreamingResponse, Target};

type Progress = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

/// A download; see the [module](self) docs.
#[must_use = "downloads do nothing until run"]
pub struct Download {
    client: GraphClient,
    request: Request,
    progress: Option<Progress>,
    max_resumes: u32,
    sync_to_disk: bool,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download").field("method", self.request.method()).finish_non_exhaustive()
    }
}

impl Download {
    /// A download of what `request` answers (usually a `GET .../content`).
    pub fn new(client: GraphClient, request: Request) -> Self {
        Download { client, request, progress: None, max_resumes: 3, sync_to_disk: true }
    }

    /// Called after each chunk: `(bytes so far, total when known)`.
    pub fn on_progress(mut self, f: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// How often a body cut off half-way is resumed with a `Range` request
    /// (default 3).
    pub fn max_resumes(mut self, n: u32) -> Self {
        self.max_resumes = n;
        self
    }

    /// Whether [`to_file`](Self::to_file) syncs the file to disk
    /// (`sync_all`, with earlier parts flushed in the background as it
    /// downloads) before renaming it into place (default `true`). Without
    /// it the rename is still atomic for other processes, and a failed
    /// download still leaves nothing under the final name, but a machine
    /// crash soon after the download may leave an empty or truncated file
    /// there. Turn it off for scratch files that are cheap to fetch again.
    pub fn sync_to_disk(mut self, yes: bool) -> Self {
        self.sync_to_disk = yes;
        self
    }

    /// The answer with its body unread: status, headers and
    /// [`bytes_stream`](StreamingResponse::bytes_stream) for callers who
    /// want the chunks (no resume).
    pub async fn send(self) -> Result<StreamingResponse> {
        self.client.execute_streaming(self.request).await
    }

    /// Streams the body into `writer`; returns the number of bytes written.
    /// A body cut off half-way is resumed where it stopped (`Range`); if the
    /// server cannot resume, the error is returned (what was written stays
    /// written: prefer [`to_file`](Self::to_file), which never leaves a
    /// partial file).
    pub async fn to_writer<W: AsyncWrite + Unpin + Send>(self, writer: &mut W) -> Result<u64> {
        let mut sink = Sink::Writer(writer as &mut (dyn AsyncWrite + Unpin + Send));
        let n = self.run(&mut sink).await?;
        writer.flush().await.map_err(|e| Error::io("flushing the download", e))?;
        Ok(n)
    }

    /// Streams the body into a file at `path`, through a temporary file next
    /// to it that is flushed to disk (`sync_all`; see
    /// [`sync_to_disk`](Self::sync_to_disk)) and then renamed to `path`
    /// only when the download completed: neither a failed download nor a
    /// crash after it leaves a truncated file under the final name.
    pub async fn to_file(self, path: impl AsRef<Path>) -> Result<u64> {
        let path = path.as_ref();
        let temp = temp_path(path);
        let file =
            tokio::fs::File::create(&temp).await.map_err(|e| Error::io(format!("creating {}", temp.display()), e))?;
        let sync = self.sync_to_disk;
        let mut writer = FileWriter::start(file.into_std().await, temp.clone(), path.to_path_buf(), sync);
        let mut sink = Sink::File(&mut writer);
        match self.run(&mut sink).await {
            Ok(n) => writer.finish().await.map(|()| n),
            Err(e) => {
                writer.abandon().await;
                Err(e)
            }
        }
    }

    async fn run(self, sink: &mut Sink<'_>) -> Result<u64> {
        let response = self.client.execute_streaming(self.request).await?;
        let total = response.content_length();
        let url = response.url().clone();
        let mut written = 0u64;
        let mut stream = response.bytes_stream().boxed();
        let mut resumes = 0u32;
        loop {
            match next(&mut stream).await {
                Ok(Some(chunk)) => {
                    let len = chunk.len() as u64;
                    sink.write(chunk).await?;
                    written += len;
                    if let Some(p) = &self.progress {
                        p(written, total);
                    }
                }
                Ok(None) => {
                    if let Some(t) = total
                        && written < t
                    {
                        // the server closed early without an error: resume too
                        resumes += 1;
                        if resumes > self.max_resumes {
                            return Err(cut_off(written, total));
                        }
                        stream = resume(&self.client, &url, written, total).await?;
                        continue;
                    }
                    return Ok(written);
                }
                Err(e) => {
                    resumes += 1;
                    if resumes > self.max_resumes || total.is_none() {
                        return Err(e);
                    }
                    tracing::warn!(written, error = %e, "download cut off; resuming with a Range request");
                    stream = resume(&self.client, &url, written, total).await?;
                }
            }
        }
    }
}

type Chunks = std::pin::Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

async fn next(stream: &mut Chunks) -> Result<Option<Bytes>> {
    stream.next().await.transpose()
}

fn cut_off(written: u64, total: Option<u64>) -> Error {
    Error::Transport {
        message: format!("the download stopped after {written} of {} bytes", total.unwrap_or_default()),
        source: None,
    }
}

/// `GET url` with `Range: bytes={from}-`; the answer must be a 206 that
/// starts there.
async fn resume(client: &GraphClient, url: &Url, from: u64, total: Option<u64>) -> Result<Chunks> {
    let request = Request::new(Method::GET, Target::Url(url.clone()))
        .auth(AuthMode::IfTrusted)
        .header("Range", &format!("bytes={from}-"))?;
    let response = client.execute_streaming(request).await?;
    let starts_at = response
        .header("content-range")
        .and_then(|v| v.trim().strip_prefix("bytes "))
        .and_then(|v| v.split('-').next())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if response.status().as_u16() != 206 || starts_at != Some(from) {
        return Err(Error::Transport {
            message: format!(
                "the download stopped after {from} of {} bytes and the server cannot resume it (answered {} to a Range request)",
                total.unwrap_or_default(),
                response.status().as_u16()
            ),
            source: None,
        });
    }
    Ok(response.bytes_stream().boxed())
}

enum Sink<'a> {
    Writer(&'a mut (dyn AsyncWrite + Unpin + Send)),
    File(&'a mut FileWriter),
}

impl Sink<'_> {
    async fn write(&mut self, chunk: Bytes) -> Result<()> {
        match self {
            Sink::Writer(w) => w.write_all(&chunk).await.map_err(|e| Error::io("writing the download", e)),
            Sink::File(f) => f.write(chunk).await,
        }
    }
}

/// Chunks in flight between the download and the thread writing the file:
/// memory holds at most this many chunks besides the one being written
/// (hyper's are at most ~400 KiB), as a `tokio::fs::File` holds one copy.
const QUEUED_CHUNKS: usize = 2;

/// What the writing thread is told.
enum ToDisk {
    Chunk(Bytes),
    /// The download is complete: sync the file and rename it into place.
    Finish,
}

/// A download's file, written by one blocking thread fed through a bounded
/// channel: the chunks are written as they are (no copy into a buffer) with
/// plain blocking writes, and receiving the next chunk overlaps writing the
/// last. (A `tokio::fs::File` copies each chunk and hands each write to the
/// blocking pool separately.) The thread syncs the file and renames it on
/// [`finish`](Self::finish); if the download fails or is dropped, it
/// removes the temporary file instead.
struct FileWriter {
    tx: Option<tokio::sync::mpsc::Sender<ToDisk>>,
    task: Option<tokio::task::JoinHandle<Result<()>>>,
    temp: PathBuf,
}

impl FileWriter {
    fn start(file: std::fs::File, temp: PathBuf, path: PathBuf, sync: bool) -> Self {
        let (tx, rx) = tokio::sync::mpsc::channel(QUEUED_CHUNKS);
        let at = temp.clone();
        let task = tokio::task::spawn_blocking(move || write_file(file, rx, &at, &path, sync));
        FileWriter { tx: Some(tx), task: Some(task), temp }
    }

    /// Hands a chunk to the writing thread (waits while its queue is full).
    async fn write(&mut self, chunk: Bytes) -> Result<()> {
        let sent = match &self.tx {
            Some(tx) => tx.send(ToDisk::Chunk(chunk)).await.is_ok(),
            None => false,
        };
        if sent {
            return Ok(());
        }
        // the thread stopped: a write failed; its error says which
        self.tx = None;
        match self.join().await {
            Err(e) => Err(e),
            Ok(()) => Err(Error::io(
                format!("writing {}", self.temp.display()),
                std::io::Error::other("the writing thread stopped"),
            )),
        }
    }

    /// Waits for every chunk to be written, syncs the file and renames it
    /// into place.
    async fn finish(&mut self) -> Result<()> {
        if let Some(tx) = self.tx.take() {
            // a closed channel means the thread stopped on an error: join says which
            let _ = tx.send(ToDisk::Finish).await;
        }
        let result = self.join().await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&self.temp).await;
        }
        result
    }

    /// Stops the thread (which removes the temporary file) and waits for it.
    async fn abandon(&mut self) {
        self.tx = None;
        let _ = self.join().await;
        let _ = tokio::fs::remove_file(&self.temp).await;
    }

    async fn join(&mut self) -> Result<()> {
        match self.task.take() {
            Some(task) => task.await.map_err(|e| {
                Error::io(format!("writing {}", self.temp.display()), std::io::Error::other(e.to_string()))
            })?,
            None => Ok(()),
        }
    }
}

/// The writing thread: chunks until `Finish` (then `sync_all` when `sync`, and rename),
/// or until the channel closes without it (then the temporary file is
/// removed: the download failed or was dropped).
fn write_file(
    mut file: std::fs::File,
    mut rx: tokio::sync::mpsc::Receiver<ToDisk>,
    temp: &Path,
    path: &Path,
    sync: bool,
) -> Result<()> {
    use std::io::Write as _;
    let failed = |e| Error::io(format!("writing {}", temp.display()), e);
    let mut flusher: Option<Flusher> = None;
    let written = (|| {
        let mut unflushed = 0usize;
        let mut flusher_tried = false;
        while let Some(message) = rx.blocking_recv() {
            match message {
                ToDisk::Chunk(chunk) => {
                    file.write_all(&chunk).map_err(failed)?;
                    unflushed += chunk.len();
                    if sync && unflushed >= FLUSH_EVERY {
                        unflushed = 0;
                        match &flusher {
                            Some(f) => f.request(),
                            // without a second handle or thread, the file is
                            // synced at the end only (slower, as safe)
                            None if !flusher_tried => {
                                flusher_tried = true;
                                flusher = Flusher::start(&file).ok();
                            }
                            None => {}
                        }
                    }
                }
                ToDisk::Finish => {
                    if let Some(f) = flusher.take() {
                        f.stop().map_err(failed)?;
                    }
                    // on disk before it has the final name: a crash after the
                    // rename does not leave an empty or truncated file there
                    if sync {
                        file.sync_all().map_err(failed)?;
                    }
                    return Ok(true);
                }
            }
        }
        Ok(false)
    })();
    if let Some(f) = flusher.take() {
        let _ = f.stop();
    }
    drop(file);
    let complete = matches!(written, Ok(true));
    let renamed = match written {
        Ok(true) => std::fs::rename(temp, path)
            .map_err(|e| Error::io(format!("renaming the finished download to {}", path.display()), e)),
        Ok(false) => Ok(()),
        Err(e) => Err(e),
    };
    if !complete || renamed.is_err() {
        let _ = std::fs::remove_file(temp);
    }
    renamed
}

/// Every this many bytes written, the file's data is flushed to disk in the
/// background, so that the `sync_all` before the rename waits only for the
/// tail instead of the whole file (writing to disk overlaps the download).
const FLUSH_EVERY: usize = 8 << 20;

/// A thread that flushes a download's file (`sync_data`, through a second
/// handle) when asked, while the writing thread goes on writing; started at
/// the first [`FLUSH_EVERY`] bytes, so small downloads have none.
struct Flusher {
    asks: std::sync::mpsc::SyncSender<()>,
    thread: std::thread::JoinHandle<std::io::Result<()>>,
}

impl Flusher {
    fn start(file: &std::fs::File) -> std::io::Result<Self> {
        let file = file.try_clone()?;
        // one pending ask is enough: the flush it starts covers everything written before
        let (asks, pending) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new().name("msgraph-download-flush".to_owned()).spawn(move || {
            while pending.recv().is_ok() {
                file.sync_data()?;
            }
            Ok(())
        })?;
        let flusher = Flusher { asks, thread };
        flusher.request();
        Ok(flusher)
    }

    fn request(&self) {
        // full: a flush is already asked for; disconnected: the thread
        // stopped on an error, which `stop` returns
        let _ = self.asks.try_send(());
    }

    /// Waits for the thread; an error of a background flush is returned
    /// here (the file's handles share it: `sync_all` would not see it again).
    fn stop(self) -> std::io::Result<()> {
        drop(self.asks);
        self.thread.join().map_err(|_| std::io::Error::other("the flushing thread panicked"))?
    }
}

/// `dir/.name.part-<random>`: next to the final file (same file system, so
/// the rename is atomic), hidden, and unique per download.
fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "download".to_owned());
    let temp = format!(".{name}.part-{:08x}", fastrand::u32(..));
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(temp),
        _ => PathBuf::from(temp),
    }
}
