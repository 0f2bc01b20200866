//! A successful response, read once, and decoding straight into a type.

use bytes::Bytes;
use futures::Stream;
use http::StatusCode;
use http::header::HeaderMap;
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{WITHHELD_BODY, body_prefix, echoes_query};
use crate::{Error, Result};

/// A 2xx response with its body read. `Debug` shows the status, the host
/// and the body's size (the URL may be pre-authenticated).
#[derive(Clone)]
pub struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) url: Url,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("host", &self.url.host_str())
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl Response {
    /// Builds a response (for tests and custom pipelines).
    pub fn new(status: u16, headers: HeaderMap, body: impl Into<Bytes>, url: Url) -> Self {
        Response { status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK), headers, body: body.into(), url }
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header as text, when present and valid.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Consumes the response, returning the body.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The final URL (after redirects).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Parses the body straight into `T` (one parse, no intermediate value).
    /// A body that does not parse and repeats the request URL's query (an
    /// upload or download host echoing its credential) is left out of the error.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode(self.status.as_u16(), &self.body).map_err(|e| match e {
            Error::Decode { path, status, .. } if echoes_query(&self.body, &self.url) => Error::Decode {
                message: "the body does not have the expected shape (details withheld: it repeats the request's query)"
                    .to_owned(),
                path,
                status,
                body_prefix: WITHHELD_BODY.to_owned(),
            },
            other => other,
        })
    }
}

/// A 2xx response whose body has not been read yet: for downloads, read it
/// chunk by chunk with [`bytes_stream`](Self::bytes_stream) (memory holds one
/// chunk), or whole with [`bytes`](Self::bytes). Made by
/// [`GraphClient::execute_streaming`](crate::GraphClient::execute_streaming).
pub struct StreamingResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) url: Url,
    pub(crate) inner: reqwest::Response,
    /// The longest wait for the next chunk (the client's timeout).
    pub(crate) idle: Option<std::time::Duration>,
}

impl std::fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // the URL may be pre-authenticated: only its host is shown
        f.debug_struct("StreamingResponse")
            .field("status", &self.status)
            .field("host", &self.url.host_str())
            .finish_non_exhaustive()
    }
}

impl StreamingResponse {
    pub(crate) fn new(inner: reqwest::Response, idle: Option<std::time::Duration>) -> Self {
        StreamingResponse {
            status: inner.status(),
            headers: inner.headers().clone(),
            url: inner.url().clone(),
            inner,
            idle,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header as text, when present and valid.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `Content-Length`, when the server sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length").and_then(|v| v.trim().parse().ok())
    }

    /// The final URL (after redirects). It may carry a pre-authenticated
    /// token: do not log it.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The body, chunk by chunk as it arrives.
    pub fn bytes_stream(self) -> impl Stream<Item = Result<Bytes>> + Send + Unpin + 'static {
        let idle = self.idle;
        Box::pin(futures::stream::try_unfold(self.inner, move |mut inner| async move {
            match next_chunk(&mut inner, idle).await? {
                Some(chunk) => Ok(Some((chunk, inner))),
                None => Ok(None),
            }
        }))
    }

    /// The whole body (each wait for a chunk bounded as in
    /// [`bytes_stream`](Self::bytes_stream)).
    pub async fn bytes(mut self) -> Result<Bytes> {
        let Some(first) = next_chunk(&mut self.inner, self.idle).await? else {
            return Ok(Bytes::new());
        };
        let Some(second) = next_chunk(&mut self.inner, self.idle).await? else {
            return Ok(first);
        };
        let mut body = bytes::BytesMut::with_capacity(first.len() + second.len());
        body.extend_from_slice(&first);
        body.extend_from_slice(&second);
        while let Some(chunk) = next_chunk(&mut self.inner, self.idle).await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

/// The next chunk of a streamed body, waiting at most `idle` for it.
async fn next_chunk(inner: &mut reqwest::Response, idle: Option<std::time::Duration>) -> Result<Option<Bytes>> {
    let next = match idle {
        None => inner.chunk().await,
        Some(t) => match tokio::time::timeout(t, inner.chunk()).await {
            Ok(next) => next,
            Err(_) => {
                return Err(Error::Timeout { message: format!("reading the response body: no data for {t:?}") });
            }
        },
    };
    next.map_err(|e| crate::pipeline::map_transport(e, "reading the response body"))
}

/// Decodes JSON into `T`. On failure the body is parsed a second time, only
/// to find the path of the offending field for the error message.
pub fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T> {
    match serde_json::from_slice::<T>(body) {
        Ok(v) => Ok(v),
        Err(first) => {
            let mut de = serde_json::Deserializer::from_slice(body);
            let path = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => {
                    let p = e.path().to_string();
                    if p == "." || p.is_empty() { None } else { Some(p) }
                }
                Ok(_) => None,
            };
            // serde reports a missing field at its struct; name the field itself
            let msg = first.to_string();
            let path = match msg.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
                Some(field) => Some(match path {
                    Some(p) => format!("{p}.{field}"),
                    None => field.to_owned(),
                }),
                None => path,
            };
            let message = if body.iter().all(u8::is_ascii_whitespace) { "the body is empty".to_owned() } else { msg };
            Err(Error::Decode { message, path, status, body_prefix: body_prefix(body) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Msg {
        id: String,
        size: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Wrap {
        value: Vec<Msg>,
    }

    #[test]
    fn decode_error_names_the_field() {
        let e = decode::<Wrap>(200, br#"{"value":[{"id":"a","size":1},{"id":"b","size":"big"}]}"#).unwrap_err();
        match &e {
            Error::Decode { path, .. } => assert_eq!(path.as_deref(), Some("value[1].size")),
            other => panic!("unexpected {other:?}"),
        }
        assert!(e.to_string().contains("value[1].size"), "{e}");
    }

    #[test]
    fn a_missing_field_is_named() {
        let e = decode::<Wrap>(200, br#"{"value":[{"id":"a","size":1},{"size":2}]}"#).unwrap_err();
        match &e {
            Error::Decode { path, .. } => assert_eq!(path.as_deref(), Some("value[1].id")),
            other => panic!("unexpected {other:?}"),
        }
        let e = decode::<Msg>(200, br#"{"size":2}"#).unwrap_err();
        assert!(matches!(e, Error::Decode { ref path, .. } if path.as_deref() == Some("id")), "{e}");
    }

    #[test]
    fn a_body_that_repeats_the_query_is_left_out_of_a_decode_error() {
        let url = Url::parse("https://up.example.com/x?token=SECRET").unwrap();
        let r = Response::new(200, HeaderMap::new(), &b"<html>token=SECRET</html>"[..], url.clone());
        let e = r.json::<Msg>().unwrap_err();
        assert!(!format!("{e:?}").contains("SECRET"), "{e:?}");
        let r = Response::new(200, HeaderMap::new(), &b"<html>oops</html>"[..], url);
        assert!(format!("{:?}", r.json::<Msg>().unwrap_err()).contains("oops"));
        assert!(!format!("{r:?}").contains("SECRET"));
    }

    #[test]
    fn truncated_and_empty_bodies_are_errors_not_panics() {
        assert!(matches!(decode::<Wrap>(200, br#"{"value":[{"id":"a","si"#), Err(Error::Decode { .. })));
        let e = decode::<Wrap>(200, b"").unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
        assert!(matches!(decode::<Wrap>(200, b"<html>oops</html>"), Err(Error::Decode { .. })));
    }
}
