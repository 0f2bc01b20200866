//! Streaming downloads: file content (`GET .../content`), attachment bytes,
//! anything large. Graph answers `302 Found` with a pre-authenticated URL
//! on another host; the pipeline follows it **without** the access token.
//! The body is streamed to a file or an `AsyncWrite` (memory holds one
//! chunk), and a body cut off half-way is resumed with a `Range` request on
//! the download URL.
//!
//! A download to a file path is written to a temporary file next to it and
//! renamed only when complete: a failed download never leaves a truncated
//! file under the final name.
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
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download").field("method", self.request.method()).finish_non_exhaustive()
    }
}

impl Download {
    /// A download of what `request` answers (usually a `GET .../content`).
    pub fn new(client: GraphClient, request: Request) -> Self {
        Download { client, request, progress: None, max_resumes: 3 }
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
        self.run(&mut sink).await
    }

    /// Streams the body into a file at `path`, through a temporary file next
    /// to it that is renamed to `path` only when the download completed.
    pub async fn to_file(self, path: impl AsRef<Path>) -> Result<u64> {
        let path = path.as_ref();
        let temp = temp_path(path);
        let file =
            tokio::fs::File::create(&temp).await.map_err(|e| Error::io(format!("creating {}", temp.display()), e))?;
        let mut sink = Sink::File { file, path: temp.clone() };
        let result = self.run(&mut sink).await;
        let result = match result {
            Ok(n) => sink.finish().await.map(|()| n),
            Err(e) => Err(e),
        };
        match result {
            Ok(n) => {
                tokio::fs::rename(&temp, path)
                    .await
                    .map_err(|e| Error::io(format!("renaming the finished download to {}", path.display()), e))?;
                Ok(n)
            }
            Err(e) => {
                drop(sink);
                let _ = tokio::fs::remove_file(&temp).await;
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
                    sink.write(&chunk).await?;
                    written += chunk.len() as u64;
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
    File { file: tokio::fs::File, path: PathBuf },
}

impl<'a> Sink<'a> {
    async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        match self {
            Sink::Writer(w) => w.write_all(chunk).await.map_err(|e| Error::io("writing the download", e)),
            Sink::File { file, path } => {
                file.write_all(chunk).await.map_err(|e| Error::io(format!("writing {}", path.display()), e))
            }
        }
    }

    async fn finish(&mut self) -> Result<()> {
        match self {
            Sink::Writer(w) => w.flush().await.map_err(|e| Error::io("flushing the download", e)),
            Sink::File { file, path } => {
                file.flush().await.map_err(|e| Error::io(format!("writing {}", path.display()), e))
            }
        }
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
