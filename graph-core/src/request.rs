//! A request before it enters the pipeline: method, target, query, headers, body.
//!
//! Service crates build these from typed parameters; the pipeline
//! ([`GraphClient::execute`](crate::GraphClient::execute)) adds the token,
//! `client-request-id`, User-Agent, retry and redirects.

use std::pin::Pin;

use bytes::Bytes;
use futures::Stream;
use http::Method;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use url::Url;

use crate::odata::{Preferences, QueryOptions, encode_query};
use crate::{Error, GraphPath, Result};

/// Where a request goes.
#[derive(Clone)]
pub enum Target {
    /// A path below the client's service root.
    Path(GraphPath),
    /// An absolute URL Graph handed out (nextLink, deltaLink,
    /// Operation-Location, upload URL). Its own query string is kept.
    Url(Url),
}

impl std::fmt::Debug for Target {
    /// A URL without its query: pre-authenticated URLs carry credentials there.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Path(p) => f.debug_tuple("Path").field(p).finish(),
            Target::Url(u) => f.debug_tuple("Url").field(&crate::client::redact_url(u)).finish(),
        }
    }
}

/// Whether the access token is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AuthMode {
    /// Attach the token; the target must be a trusted Graph host (or the
    /// configured base URL), else the request is refused with
    /// [`Error::UntrustedHost`] before anything is sent.
    #[default]
    Required,
    /// Attach the token to trusted hosts only; send without it elsewhere
    /// (monitor URLs, pre-authenticated download links).
    IfTrusted,
    /// Never attach the token (upload-session URLs are pre-authenticated).
    None,
}

/// A request body. `Debug` shows its kind and size, not its bytes.
#[derive(Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Bytes with a content type; replayable, so retried (see [`Request::idempotent`]).
    Bytes {
        /// The bytes.
        data: Bytes,
        /// Content-Type header value.
        content_type: String,
    },
    /// A stream of unknown length; not replayable, so never retried.
    Stream {
        /// The body.
        body: BodyStream,
        /// Content-Type header value.
        content_type: String,
    },
}

/// A request body read as it is sent: from a [`Stream`] of [`Bytes`]
/// chunks, or from any `tokio::io::AsyncRead`. It can be sent once: a request with a streamed
/// body is never retried, and a redirect that would send it again (307/308,
/// or 301/302 on a PUT or PATCH) fails with
/// [`Error::Redirect`](crate::Error::Redirect); only a redirect that turns
/// the request into a GET (303, or 301/302 after a POST) is followed.
///
/// ```
/// use bytes::Bytes;
/// use msgraph_core::BodyStream;
/// let chunks = futures::stream::iter([Ok(Bytes::from_static(b"hello ")), Ok(Bytes::from_static(b"world"))]);
/// let body = BodyStream::from_stream(chunks);
/// # let _ = body;
/// ```
pub struct BodyStream {
    pub(crate) inner: Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send + 'static>>,
}

impl std::fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BodyStream")
    }
}

impl BodyStream {
    /// A body made of the chunks of `stream`; an `Err` chunk stops the
    /// request with an [`Error::Io`](crate::Error::Io)-like transport error.
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    {
        BodyStream { inner: Box::pin(stream) }
    }

    /// A body read from `reader` (a `tokio::fs::File`, a socket) in chunks
    /// of up to 64 KiB.
    pub fn from_reader<R>(reader: R) -> Self
    where
        R: tokio::io::AsyncRead + Send + 'static,
    {
        use tokio::io::AsyncReadExt as _;
        let reader = Box::pin(reader);
        let stream = futures::stream::try_unfold(reader, |mut reader| async move {
            let mut buf = bytes::BytesMut::with_capacity(64 * 1024);
            let n = reader.read_buf(&mut buf).await?;
            Ok(if n == 0 { None } else { Some((buf.freeze(), reader)) })
        });
        BodyStream::from_stream(stream)
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes { data, content_type } => {
                f.debug_struct("Bytes").field("len", &data.len()).field("content_type", content_type).finish()
            }
            Body::Stream { content_type, .. } => {
                f.debug_struct("Stream").field("content_type", content_type).finish_non_exhaustive()
            }
        }
    }
}

impl Body {
    /// True when the body can be sent again byte for byte.
    pub fn is_replayable(&self) -> bool {
        !matches!(self, Body::Stream { .. })
    }
}

/// A request for the pipeline.
///
/// ```
/// use msgraph_core::{GraphPath, Request};
/// let req = Request::get(GraphPath::new().push("me").push("messages"))
///     .query("$top", "5")
///     .header("ConsistencyLevel", "eventual").unwrap();
/// assert_eq!(req.method().as_str(), "GET");
/// ```
///
/// `Debug` shows the target without its query, the names of the query
/// parameters and headers (not their values: `$filter` values are user data,
/// headers may carry credentials) and the body's kind and size.
pub struct Request {
    pub(crate) method: Method,
    pub(crate) target: Target,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
    pub(crate) auth: AuthMode,
    /// Set by the caller; `None`: decided by the method.
    pub(crate) idempotent: Option<bool>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("query", &self.query.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>())
            .field("headers", &self.headers.keys().map(|name| name.as_str()).collect::<Vec<_>>())
            .field("body", &self.body)
            .field("auth", &self.auth)
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

impl Request {
    /// A request with `method` to `target`.
    pub fn new(method: Method, target: Target) -> Self {
        Request {
            method,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            auth: AuthMode::Required,
            idempotent: None,
        }
    }

    /// `GET path`.
    pub fn get(path: GraphPath) -> Self {
        Self::new(Method::GET, Target::Path(path))
    }

    /// `POST path`.
    pub fn post(path: GraphPath) -> Self {
        Self::new(Method::POST, Target::Path(path))
    }

    /// `PATCH path`.
    pub fn patch(path: GraphPath) -> Self {
        Self::new(Method::PATCH, Target::Path(path))
    }

    /// `PUT path`.
    pub fn put(path: GraphPath) -> Self {
        Self::new(Method::PUT, Target::Path(path))
    }

    /// `DELETE path`.
    pub fn delete(path: GraphPath) -> Self {
        Self::new(Method::DELETE, Target::Path(path))
    }

    /// A request to an absolute URL (a link Graph returned). The URL is
    /// parsed here; the host check happens in the pipeline.
    pub fn to_url(method: Method, url: &str) -> Result<Self> {
        let url = Url::parse(url).map_err(|e| Error::invalid_input(format!("invalid URL: {e}")))?;
        Ok(Self::new(method, Target::Url(url)))
    }

    /// Adds a query parameter (unencoded; encoded when sent).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds OData query options.
    pub fn odata(mut self, options: &QueryOptions) -> Self {
        self.query.extend(options.to_pairs());
        self
    }

    /// Sets the `Prefer` header from preferences (nothing when none set).
    pub fn prefer(mut self, prefs: &Preferences) -> Self {
        prefs.apply_to(&mut self.headers);
        self
    }

    /// Sets a header. Invalid names or values are [`Error::InvalidInput`].
    pub fn header(mut self, name: &str, value: &str) -> Result<Self> {
        let n = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::invalid_input(format!("invalid header name {name:?}")))?;
        let v = HeaderValue::from_str(value)
            .map_err(|_| Error::invalid_input(format!("invalid value for header {name}")))?;
        self.headers.insert(n, v);
        Ok(self)
    }

    /// Adds all of `headers`, replacing same-named ones.
    pub fn headers(mut self, headers: &HeaderMap) -> Self {
        for (k, v) in headers {
            self.headers.insert(k.clone(), v.clone());
        }
        self
    }

    /// A JSON body, serialized once here.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let data =
            serde_json::to_vec(body).map_err(|e| Error::invalid_input(format!("body cannot be serialized: {e}")))?;
        self.body = Body::Bytes { data: Bytes::from(data), content_type: "application/json".into() };
        Ok(self)
    }

    /// A raw body with its content type (replayable).
    pub fn bytes(mut self, data: impl Into<Bytes>, content_type: impl Into<String>) -> Self {
        self.body = Body::Bytes { data: data.into(), content_type: content_type.into() };
        self
    }

    /// A streamed body (never retried: it cannot be replayed).
    pub fn stream_body(mut self, body: BodyStream, content_type: impl Into<String>) -> Self {
        self.body = Body::Stream { body, content_type: content_type.into() };
        self
    }

    /// Sets how the token is attached.
    pub fn auth(mut self, mode: AuthMode) -> Self {
        self.auth = mode;
        self
    }

    /// Whether sending this request twice does no harm. It decides what
    /// happens after an ambiguous failure (a 504, a connection reset after
    /// the request was written), when Graph may or may not have run it: an
    /// idempotent request is retried, any other is not. By default GET,
    /// HEAD, OPTIONS, PUT, DELETE and PATCH are idempotent (a PATCH sets
    /// the same fields again) and POST is not (sendMail, reply, forward,
    /// creating an item could run twice). 429, 503 and failures to connect
    /// are retried either way: Graph did not run the request.
    ///
    /// ```
    /// use msgraph_core::{GraphPath, Request};
    /// let path = || GraphPath::new().push("me").push("messages").id("AAMk").push("move");
    /// assert!(!Request::post(path()).is_idempotent());
    /// // a move to the same folder is harmless to repeat: retry it after a 504
    /// assert!(Request::post(path()).idempotent(true).is_idempotent());
    /// ```
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = Some(yes);
        self
    }

    /// Whether the request may be sent again after an ambiguous failure:
    /// the caller's [`idempotent`](Self::idempotent), or the method's default.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent.unwrap_or_else(|| method_is_idempotent(&self.method))
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The target.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The headers set so far.
    pub fn header_map(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// The query parameters added so far.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// Resolves the full URL against the service root, with the query.
    pub fn url(&self, base: &Url) -> Result<Url> {
        let mut url = match &self.target {
            Target::Path(p) => p.to_url(base)?,
            Target::Url(u) => u.clone(),
        };
        if !self.query.is_empty() {
            let extra = encode_query(&self.query);
            let q = match url.query() {
                Some(existing) if !existing.is_empty() => format!("{existing}&{extra}"),
                _ => extra,
            };
            url.set_query(Some(&q));
        }
        Ok(url)
    }
}

/// GET, HEAD, OPTIONS, TRACE, PUT, DELETE and PATCH (Graph's PATCH sets
/// fields; sending it twice leaves the same state).
pub(crate) fn method_is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE | Method::PATCH
    )
}
