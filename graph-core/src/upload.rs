//! Large uploads through an upload session: OneDrive files, Outlook
//! attachments of 3 MB and more, To Do attachments.
//!
//! A service crate creates the session (`createUploadSession`, which needs
//! the token) and hands it to a [`LargeUpload`] with the source. The upload
//! then sends the source in slices, one after the other, each a `PUT` of
//! `Content-Range: bytes a-b/total` to the session's pre-authenticated
//! `uploadUrl` **without** the `Authorization` header (the URL carries its
//! own credential and may be on another host), through the client's pipeline
//! (retry of 429/503, and of 504 since a slice PUT is idempotent; timeout,
//! tracing). Memory holds one slice, whatever the size of the file.
//!
//! One kind differs: To Do's upload URL is a Graph resource (an
//! [attachmentSession](https://learn.microsoft.com/graph/api/resources/attachmentsession)),
//! not a pre-authenticated link. With [`SliceRules::TODO`] the slices go to
//! `{uploadUrl}/content` and the session is read at `uploadUrl`, both **with**
//! the token ([attach files to a To Do task](https://learn.microsoft.com/graph/todo-attachments)),
//! which the pipeline sends only to Graph's host or the configured base URL.
//!
//! - A slice that fails (5xx, a dropped connection) is not simply sent again:
//!   the session is asked where to continue (`GET` on the upload URL,
//!   `nextExpectedRanges`) and the source is read from *that* offset, so the
//!   server's file never gets bytes at the wrong place.
//! - `416` (the server has those bytes already): ask the session, continue there.
//! - `404` on the upload URL: [`Error::UploadSessionGone`].
//! - `409 nameAlreadyExists` at the end: the API error, [`Error::is_conflict`].
//! - The session is serializable: a process that restarts resumes it with
//!   [`LargeUpload::resume`].
//!
//! ```no_run
//! use msgraph_core::upload::{LargeUpload, SliceRules, UploadSession};
//! # async fn run(client: msgraph_core::GraphClient, session: UploadSession) -> msgraph_core::Result<()> {
//! // `session` came from a service crate's createUploadSession
//! let done = LargeUpload::<serde_json::Value>::new(client, session, "report.pdf")
//!     .rules(SliceRules::DRIVE)
//!     .on_progress(|sent, total| println!("{sent}/{total}"))
//!     .send()
//!     .await?;
//! println!("uploaded: {:?}", done.item);
//! # Ok(()) }
//! ```

use std::fmt;
use std::io::SeekFrom;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use chrono::{DateTime, Utc};
use http::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncSeek, AsyncSeekExt as _};
use url::Url;

use crate::models::Additional;
use crate::request::AuthMode;
use crate::{Error, GraphClient, Request, Response, Result};

/// An upload session
/// ([uploadSession](https://learn.microsoft.com/graph/api/resources/uploadsession)):
/// where to `PUT` the bytes, until when, and which ranges the server still
/// expects. Serializable, so it can be stored and resumed after a restart.
///
/// The upload URL is a credential (pre-authenticated): `Debug` shows only its
/// host, and the SDK never logs it.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UploadSession {
    /// The pre-authenticated URL the slices go to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_url: Option<String>,
    /// When the session (and the credential in its URL) expires.
    #[serde(default, alias = "ExpirationDateTime", skip_serializing_if = "Option::is_none")]
    pub expiration_date_time: Option<DateTime<Utc>>,
    /// Byte ranges the server has not received yet (`"26-"`, `"0-99"`,
    /// Outlook also writes a bare start `"2097152"`).
    #[serde(default, alias = "NextExpectedRanges", skip_serializing_if = "Vec::is_empty")]
    pub next_expected_ranges: Vec<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl fmt::Debug for UploadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host =
            self.upload_url.as_deref().and_then(|u| Url::parse(u).ok()).and_then(|u| u.host_str().map(str::to_owned));
        f.debug_struct("UploadSession")
            .field("upload_host", &host)
            .field("expiration_date_time", &self.expiration_date_time)
            .field("next_expected_ranges", &self.next_expected_ranges)
            .finish_non_exhaustive()
    }
}

impl UploadSession {
    /// A session for `upload_url` (e.g. one stored earlier).
    pub fn new(upload_url: impl Into<String>) -> Self {
        UploadSession { upload_url: Some(upload_url.into()), ..Default::default() }
    }

    /// The first byte the server expects next, from `nextExpectedRanges`
    /// (`None` when it lists none).
    pub fn next_offset(&self) -> Option<u64> {
        self.next_expected_ranges.iter().filter_map(|r| range_start(r)).min()
    }

    /// The upload URL, checked: https, or http on loopback.
    pub fn url(&self) -> Result<Url> {
        let raw = self.upload_url.as_deref().filter(|u| !u.trim().is_empty());
        let raw = raw.ok_or_else(|| Error::invalid_input("the upload session has no uploadUrl"))?;
        let url = Url::parse(raw).map_err(|_| Error::invalid_input("the upload session's uploadUrl is not a URL"))?;
        crate::client::check_scheme(&url)?;
        Ok(url)
    }

    /// Asks the server where the upload stands (`GET` on the upload URL,
    /// without the token): the answer's `nextExpectedRanges` say where to
    /// continue. A 404 is [`Error::UploadSessionGone`].
    pub async fn status(&self, client: &GraphClient) -> Result<UploadSession> {
        self.status_as(client, AuthMode::None).await
    }

    async fn status_as(&self, client: &GraphClient, auth: AuthMode) -> Result<UploadSession> {
        let request = Request::new(Method::GET, crate::Target::Url(self.url()?)).auth(auth);
        let answer: UploadSession = client.execute(request).await.map_err(gone)?.json()?;
        Ok(UploadSession { upload_url: self.upload_url.clone(), ..answer })
    }

    /// Cancels the upload: `DELETE` on the upload URL (without the token);
    /// the server drops what it received.
    pub async fn cancel(&self, client: &GraphClient) -> Result<()> {
        let request = Request::new(Method::DELETE, crate::Target::Url(self.url()?)).auth(AuthMode::None);
        client.execute(request).await.map_err(gone).map(|_| ())
    }
}

/// `"26-"`, `"0-99"`, `"2097152"` → the start.
fn range_start(range: &str) -> Option<u64> {
    range.split('-').next()?.trim().parse().ok()
}

/// 404 on an upload URL means the session is gone.
fn gone(e: Error) -> Error {
    match e {
        Error::Api(api) if api.status == 404 => Error::UploadSessionGone(
            api.message.clone().unwrap_or_else(|| "the upload URL answered 404 Not Found".to_owned()),
        ),
        other => other,
    }
}

/// What a kind of session accepts: its slice sizes, and whether its upload
/// URL is a Graph resource reached with the token ([`SliceRules::TODO`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SliceRules {
    /// Every slice but the last must be a multiple of this many bytes.
    pub multiple_of: u64,
    /// The largest slice.
    pub max: u64,
    /// The slice size used when the caller does not choose one.
    pub default: u64,
    /// The upload URL is a Graph resource: slices go to `{uploadUrl}/content`
    /// and every request carries the token.
    graph_resource: bool,
}

impl SliceRules {
    /// OneDrive and SharePoint files: multiples of 320 KiB (327,680 bytes),
    /// under 60 MiB; 10 MiB by default
    /// ([createUploadSession](https://learn.microsoft.com/graph/api/driveitem-createuploadsession)).
    pub const DRIVE: SliceRules =
        SliceRules { multiple_of: 327_680, max: 60 * 1024 * 1024 - 1, default: 32 * 327_680, graph_resource: false };

    /// Outlook message and event attachments: any size up to 4 MiB, to a
    /// pre-authenticated URL
    /// ([large attachments](https://learn.microsoft.com/graph/outlook-large-attachments)).
    pub const OUTLOOK: SliceRules =
        SliceRules { multiple_of: 1, max: 4 * 1024 * 1024, default: 4 * 1024 * 1024, graph_resource: false };

    /// To Do task attachments: any size up to 4 MiB, `PUT` to
    /// `{uploadUrl}/content` with the token, the session read at `uploadUrl`
    /// with the token (the upload URL is a Graph resource, an
    /// [attachmentSession](https://learn.microsoft.com/graph/api/resources/attachmentsession);
    /// [attach files to a To Do task](https://learn.microsoft.com/graph/todo-attachments)).
    pub const TODO: SliceRules =
        SliceRules { multiple_of: 1, max: 4 * 1024 * 1024, default: 4 * 1024 * 1024, graph_resource: true };

    /// How requests to the upload URL are authenticated.
    fn auth(&self) -> AuthMode {
        if self.graph_resource { AuthMode::Required } else { AuthMode::None }
    }

    /// Where the slices go: the upload URL, or its `content` stream.
    fn slice_url(&self, upload_url: &Url) -> Result<Url> {
        if !self.graph_resource {
            return Ok(upload_url.clone());
        }
        let mut url = upload_url.clone();
        url.path_segments_mut()
            .map_err(|()| Error::invalid_input("the upload session's uploadUrl cannot take a path"))?
            .pop_if_empty()
            .push("content");
        Ok(url)
    }

    /// Checks a slice size against these rules.
    pub fn check(&self, size: u64) -> Result<()> {
        if size == 0 {
            return Err(Error::invalid_input("the slice size must not be zero"));
        }
        if size > self.max {
            return Err(Error::invalid_input(format!(
                "a slice of {size} bytes is over the limit of {} bytes",
                self.max
            )));
        }
        if self.multiple_of > 1 && !size.is_multiple_of(self.multiple_of) {
            return Err(Error::invalid_input(format!(
                "a slice of {size} bytes is not a multiple of {} bytes (320 KiB)",
                self.multiple_of
            )));
        }
        Ok(())
    }
}

/// A source the upload can read at any offset.
pub trait UploadRead: AsyncRead + AsyncSeek + Send + Unpin {}
impl<T: AsyncRead + AsyncSeek + Send + Unpin> UploadRead for T {}

/// What to upload: a file, bytes, or any seekable async reader.
pub enum UploadSource {
    /// A file, opened when the upload starts; its size is checked again at
    /// the end (a file that changed size is an error).
    File(PathBuf),
    /// Bytes in memory.
    Bytes(Bytes),
    /// A reader that can seek (read again from the offset the server asks for).
    Reader(Box<dyn UploadRead>),
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadSource::File(p) => f.debug_tuple("File").field(p).finish(),
            UploadSource::Bytes(b) => f.debug_tuple("Bytes").field(&b.len()).finish(),
            UploadSource::Reader(_) => f.write_str("Reader"),
        }
    }
}

impl UploadSource {
    /// The number of bytes to upload (a file's size, the bytes' length, a
    /// reader's length from its start): what a `createUploadSession` request
    /// announces.
    pub async fn len(&mut self) -> Result<u64> {
        match self {
            UploadSource::Bytes(b) => Ok(b.len() as u64),
            UploadSource::File(path) => tokio::fs::metadata(&*path)
                .await
                .map(|m| m.len())
                .map_err(|e| Error::io(format!("reading the size of {}", path.display()), e)),
            UploadSource::Reader(r) => {
                let len = r
                    .seek(SeekFrom::End(0))
                    .await
                    .map_err(|e| Error::io("finding the size of the upload source", e))?;
                r.seek(SeekFrom::Start(0)).await.map_err(|e| Error::io("rewinding the upload source", e))?;
                Ok(len)
            }
        }
    }

    /// The file name, for a file source.
    pub fn file_name(&self) -> Option<String> {
        match self {
            UploadSource::File(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
            _ => None,
        }
    }
}

impl From<PathBuf> for UploadSource {
    fn from(p: PathBuf) -> Self {
        UploadSource::File(p)
    }
}

impl From<&std::path::Path> for UploadSource {
    fn from(p: &std::path::Path) -> Self {
        UploadSource::File(p.to_owned())
    }
}

impl From<&str> for UploadSource {
    /// A file path.
    fn from(p: &str) -> Self {
        UploadSource::File(p.into())
    }
}

impl From<Bytes> for UploadSource {
    fn from(b: Bytes) -> Self {
        UploadSource::Bytes(b)
    }
}

impl From<Vec<u8>> for UploadSource {
    fn from(b: Vec<u8>) -> Self {
        UploadSource::Bytes(b.into())
    }
}

/// The end of an upload: the created item when the server answered with
/// one (OneDrive: 201/200 with the driveItem), and the `Location` header
/// when it gave one (Outlook attachments: 201 with the attachment's URL).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Uploaded<T> {
    /// The created resource, when the final answer had a body.
    pub item: Option<T>,
    /// The final answer's `Location` header.
    pub location: Option<String>,
}

type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// An upload of one source through one session; see the [module](self) docs.
#[must_use = "uploads do nothing until sent"]
pub struct LargeUpload<T> {
    client: GraphClient,
    session: UploadSession,
    source: UploadSource,
    rules: SliceRules,
    slice: Option<u64>,
    expected_size: Option<u64>,
    progress: Option<Progress>,
    max_recoveries: u32,
    ask_first: bool,
    _item: std::marker::PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for LargeUpload<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LargeUpload")
            .field("session", &self.session)
            .field("source", &self.source)
            .field("rules", &self.rules)
            .field("slice", &self.slice)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> LargeUpload<T> {
    /// Uploads `source` through `session`, starting where the session says
    /// (byte 0 for a new one). Slice rules default to [`SliceRules::DRIVE`].
    pub fn new(client: GraphClient, session: UploadSession, source: impl Into<UploadSource>) -> Self {
        LargeUpload {
            client,
            session,
            source: source.into(),
            rules: SliceRules::DRIVE,
            slice: None,
            expected_size: None,
            progress: None,
            max_recoveries: 5,
            ask_first: false,
            _item: std::marker::PhantomData,
        }
    }

    /// Resumes a session stored earlier (e.g. by a process that stopped):
    /// the server is asked where to continue before anything is sent.
    pub fn resume(client: GraphClient, session: UploadSession, source: impl Into<UploadSource>) -> Self {
        let mut upload = Self::new(client, session, source);
        upload.ask_first = true;
        upload
    }

    /// The kind of session: its slice rules (default [`SliceRules::DRIVE`]).
    pub fn rules(mut self, rules: SliceRules) -> Self {
        self.rules = rules;
        self
    }

    /// The slice size (default: the rules' default); checked against the
    /// rules before anything is sent.
    pub fn slice_size(mut self, bytes: u64) -> Self {
        self.slice = Some(bytes);
        self
    }

    /// The size announced when the session was created: a source of another
    /// size is an [`Error::InvalidInput`] before anything is sent.
    pub fn expected_size(mut self, bytes: u64) -> Self {
        self.expected_size = Some(bytes);
        self
    }

    /// Called after each slice the server took: `(bytes the server has, total)`.
    pub fn on_progress(mut self, f: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// How many times a failed slice is recovered from (asking the session
    /// where to continue) before the upload gives up (default 5 in a row).
    pub fn max_recoveries(mut self, n: u32) -> Self {
        self.max_recoveries = n;
        self
    }

    /// Sends the source, slice after slice, and returns the final answer.
    pub async fn send(mut self) -> Result<Uploaded<T>> {
        let slice = self.slice.unwrap_or(self.rules.default);
        self.rules.check(slice)?;
        let url = self.rules.slice_url(&self.session.url()?)?;
        let auth = self.rules.auth();
        let source = std::mem::replace(&mut self.source, UploadSource::Bytes(Bytes::new()));
        let (mut source, total, path) = open(source).await?;
        if let Some(expected) = self.expected_size
            && expected != total
        {
            return Err(Error::invalid_input(format!(
                "the source has {total} bytes but the session was created for {expected}"
            )));
        }
        if total == 0 {
            return Err(Error::invalid_input("an upload session needs at least one byte (use a simple upload)"));
        }
        let mut offset = if self.ask_first {
            self.session.status_as(&self.client, auth).await?.next_offset().unwrap_or(0)
        } else {
            self.session.next_offset().unwrap_or(0)
        };
        let mut failures = 0u32;
        loop {
            if offset >= total {
                return Err(Error::Paging(format!(
                    "the server expects byte {offset} of a {total}-byte upload but has not completed it"
                )));
            }
            let len = slice.min(total - offset);
            let end = offset + len - 1;
            if end + 1 == total
                && let Some(path) = &path
            {
                check_size(path, total).await?;
            }
            let body = read_slice(&mut source, offset, len, total).await?;
            let request = Request::new(Method::PUT, crate::Target::Url(url.clone()))
                .auth(auth)
                .bytes(body, "application/octet-stream")
                .header("Content-Range", &format!("bytes {offset}-{end}/{total}"))?;
            match self.client.execute(request).await {
                Ok(response) => {
                    failures = 0;
                    match finished::<T>(response, end + 1 == total)? {
                        Step::Done(done) => {
                            self.report(total, total);
                            return Ok(done);
                        }
                        Step::Continue(next) => {
                            offset = next.unwrap_or(end + 1);
                            self.report(offset, total);
                        }
                    }
                }
                Err(e) => {
                    let e = gone(e);
                    let recoverable = matches!(e.status(), Some(416) | Some(500..=599))
                        || matches!(e, Error::Transport { .. } | Error::Timeout { .. });
                    if !recoverable {
                        return Err(e);
                    }
                    failures += 1;
                    if failures > self.max_recoveries {
                        return Err(e);
                    }
                    tracing::warn!(offset, failures, error = %e, "upload slice failed; asking the session where to continue");
                    if e.status() != Some(416) {
                        tokio::time::sleep(self.client.retry_policy().backoff(failures)).await;
                    }
                    offset = match self.session.status_as(&self.client, auth).await {
                        Ok(status) => status.next_offset().unwrap_or(offset),
                        Err(e @ Error::UploadSessionGone(_)) => return Err(e),
                        Err(other) => {
                            tracing::warn!(error = %other, "could not read the upload session's status");
                            offset
                        }
                    };
                }
            }
        }
    }

    fn report(&self, sent: u64, total: u64) {
        if let Some(p) = &self.progress {
            p(sent, total);
        }
    }
}

enum Step<T> {
    Done(Uploaded<T>),
    /// Keep going, at the server's offset when it gave one.
    Continue(Option<u64>),
}

/// Reads a slice answer: more ranges expected, or the end.
fn finished<T: DeserializeOwned>(response: Response, was_last: bool) -> Result<Step<T>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Ranges {
        // To Do's and Outlook's docs show the slice answer as `NextExpectedRanges`
        #[serde(default, alias = "NextExpectedRanges")]
        next_expected_ranges: Vec<String>,
    }
    let body = response.body();
    let has_body = !body.iter().all(u8::is_ascii_whitespace);
    if has_body
        && let Ok(r) = serde_json::from_slice::<Ranges>(body)
        && !r.next_expected_ranges.is_empty()
    {
        let next = r.next_expected_ranges.iter().filter_map(|r| range_start(r)).min();
        return Ok(Step::Continue(next));
    }
    if response.status() == 202 || !was_last {
        return Ok(Step::Continue(None));
    }
    let location = response.header("location").map(str::to_owned);
    let item = if has_body { Some(response.json::<T>()?) } else { None };
    Ok(Step::Done(Uploaded { item, location }))
}

type Source = Pin<Box<dyn UploadRead>>;

async fn open(source: UploadSource) -> Result<(Source, u64, Option<PathBuf>)> {
    match source {
        UploadSource::Bytes(b) => {
            let len = b.len() as u64;
            Ok((Box::pin(std::io::Cursor::new(b)), len, None))
        }
        UploadSource::File(path) => {
            let file = tokio::fs::File::open(&path)
                .await
                .map_err(|e| Error::io(format!("opening {} to upload it", path.display()), e))?;
            let len = file
                .metadata()
                .await
                .map_err(|e| Error::io(format!("reading the size of {}", path.display()), e))?
                .len();
            Ok((Box::pin(file), len, Some(path)))
        }
        UploadSource::Reader(mut r) => {
            let len =
                r.seek(SeekFrom::End(0)).await.map_err(|e| Error::io("finding the size of the upload source", e))?;
            Ok((Box::into_pin(r), len, None))
        }
    }
}

async fn check_size(path: &std::path::Path, total: u64) -> Result<()> {
    let now = tokio::fs::metadata(path)
        .await
        .map_err(|e| Error::io(format!("reading the size of {}", path.display()), e))?
        .len();
    if now != total {
        return Err(Error::io(
            format!("{} changed size during the upload", path.display()),
            std::io::Error::new(std::io::ErrorKind::InvalidData, format!("it had {total} bytes, now {now}")),
        ));
    }
    Ok(())
}

async fn read_slice(source: &mut Source, offset: u64, len: u64, total: u64) -> Result<Bytes> {
    source
        .seek(SeekFrom::Start(offset))
        .await
        .map_err(|e| Error::io(format!("seeking the source to byte {offset}"), e))?;
    let cap = usize::try_from(len).map_err(|_| Error::invalid_input("slice too large for this platform"))?;
    let mut buf = BytesMut::with_capacity(cap);
    let mut limited = source.take(len);
    while buf.len() < cap {
        let n = limited.read_buf(&mut buf).await.map_err(|e| Error::io("reading the upload source", e))?;
        if n == 0 {
            let at = offset + buf.len() as u64;
            return Err(Error::io(
                "the upload source ended early",
                std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("it ended at byte {at} of the {total} announced"),
                ),
            ));
        }
    }
    Ok(buf.freeze())
}
