//! Binary parts of multipart page requests (images, files), OneNote's
//! limits on them, and the `multipart/form-data` encoding.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use msgraph_core::{Error, Result};

/// The most parts a page creation may have, the `Presentation` part included.
pub const MAX_PARTS: usize = 6;
/// The largest part, its headers included (Graph: 25 MB).
pub const MAX_PART_BYTES: u64 = 25_000_000;
/// The largest multipart body (Graph: about 70 MB).
pub const MAX_TOTAL_BYTES: u64 = 70_000_000;

#[derive(Debug, Clone)]
enum Source {
    Bytes(Bytes),
    File(PathBuf),
}

/// A binary part of a multipart request: an image (`<img src="name:{name}" />`)
/// or a file (`<object data="name:{name}" data-attachment="a.pdf" type="application/pdf" />`).
///
/// ```
/// use msgraph_onenote::Part;
/// let logo = Part::bytes("logo", "image/png", vec![0x89, b'P', b'N', b'G']);
/// let report = Part::file("report", "application/pdf", "out/report.pdf");
/// let photo = Part::image_file("photo", "photos/team.jpg"); // image/jpeg from the extension
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Part {
    /// The part's name (what `name:` refers to).
    pub name: String,
    /// Its media type.
    pub content_type: String,
    source: Source,
}

impl Part {
    /// A part from bytes in memory.
    pub fn bytes(name: impl Into<String>, content_type: impl Into<String>, data: impl Into<Bytes>) -> Self {
        Part { name: name.into(), content_type: content_type.into(), source: Source::Bytes(data.into()) }
    }

    /// A part read from a file when the request is sent (its size is
    /// checked first, so an oversized file is never read).
    pub fn file(name: impl Into<String>, content_type: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Part { name: name.into(), content_type: content_type.into(), source: Source::File(path.into()) }
    }

    /// An image file, its media type from the extension (png, jpg/jpeg,
    /// gif, bmp, tif/tiff, webp, svg; anything else `application/octet-stream`).
    pub fn image_file(name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let content_type = image_type(&path);
        Part::file(name, content_type, path)
    }

    /// The part's headers.
    fn headers(&self) -> String {
        format!("Content-Disposition: form-data; name=\"{}\"\r\nContent-Type: {}\r\n\r\n", self.name, self.content_type)
    }

    async fn size(&self) -> Result<u64> {
        match &self.source {
            Source::Bytes(b) => Ok(b.len() as u64),
            Source::File(p) => tokio::fs::metadata(p)
                .await
                .map(|m| m.len())
                .map_err(|e| Error::io(format!("reading {}", p.display()), e)),
        }
    }

    async fn load(&self) -> Result<Bytes> {
        match &self.source {
            Source::Bytes(b) => Ok(b.clone()),
            Source::File(p) => {
                tokio::fs::read(p).await.map(Bytes::from).map_err(|e| Error::io(format!("reading {}", p.display()), e))
            }
        }
    }

    pub(crate) fn resolve(mut self, base: Option<&Path>) -> Self {
        if let (Source::File(p), Some(base)) = (&self.source, base)
            && p.is_relative()
        {
            self.source = Source::File(base.join(p));
        }
        self
    }
}

/// The media type of an image file, from its extension.
pub(crate) fn image_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("bmp") => "image/bmp",
        Some("tif" | "tiff") => "image/tiff",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Checks part names: unique, not the reserved one, and made of
/// characters a `name:` reference and a header can carry.
pub(crate) fn check_names(parts: &[Part], reserved: &str) -> Result<()> {
    for (i, p) in parts.iter().enumerate() {
        if p.name.is_empty() || !p.name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
            return Err(Error::invalid_input(format!("part name {:?}: use letters, digits, '-', '_' and '.'", p.name)));
        }
        if p.name.eq_ignore_ascii_case(reserved) {
            return Err(Error::invalid_input(format!(
                "the part name {reserved:?} is reserved for the page's own part"
            )));
        }
        if parts[..i].iter().any(|q| q.name.eq_ignore_ascii_case(&p.name)) {
            return Err(Error::invalid_input(format!("two parts are called {:?}", p.name)));
        }
        if p.content_type.is_empty() || p.content_type.chars().any(|c| c.is_control() || !c.is_ascii()) {
            return Err(Error::invalid_input(format!("part {:?}: invalid content type {:?}", p.name, p.content_type)));
        }
    }
    Ok(())
}

/// Builds a `multipart/form-data` body: the first part (`Presentation` or
/// `Commands`) and the binary parts. Graph's limits are checked on the
/// sizes before any file is read. Returns the body and its content type.
pub(crate) async fn encode(first: Part, parts: Vec<Part>) -> Result<(Bytes, String)> {
    let count = parts.len() + 1;
    if count > MAX_PARTS {
        return Err(Error::invalid_input(format!(
            "{count} parts: OneNote takes at most {MAX_PARTS} parts in a request, the {:?} part included",
            first.name
        )));
    }
    let mut total = 0u64;
    for p in std::iter::once(&first).chain(&parts) {
        let size = p.size().await? + p.headers().len() as u64;
        if size > MAX_PART_BYTES {
            return Err(Error::invalid_input(format!(
                "part {:?} is {size} bytes with its headers: OneNote takes at most {MAX_PART_BYTES} bytes a part",
                p.name
            )));
        }
        total += size;
    }
    if total > MAX_TOTAL_BYTES {
        return Err(Error::invalid_input(format!(
            "the parts are {total} bytes: OneNote takes at most {MAX_TOTAL_BYTES} bytes in all"
        )));
    }
    let mut loaded = Vec::with_capacity(count);
    for p in std::iter::once(first).chain(parts) {
        let data = p.load().await?;
        loaded.push((p, data));
    }
    let boundary = loop {
        let b = format!("msgraph-onenote-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
        if !loaded.iter().any(|(_, d)| contains(d, b.as_bytes())) {
            break b;
        }
    };
    let mut body = Vec::with_capacity(usize::try_from(total).unwrap_or(0) + 64 * count);
    for (p, data) in &loaded {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(p.headers().as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((Bytes::from(body), format!("multipart/form-data; boundary={boundary}")))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
