//! The request pipeline. Every request of every service goes through
//! [`GraphClient::execute_streaming`]:
//!
//! host check → throttle gate → token → `client-request-id` / User-Agent →
//! send → redirects (ours, not reqwest's) → 401 refresh → retry on 429/503
//! and failures to connect (every request), 504 and resets after sending
//! (idempotent requests only) → typed error or the response.

use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue, LOCATION, USER_AGENT};
use http::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;
use url::Url;

use crate::client::{check_scheme, redact_url, same_origin};
use crate::credential::{Secret, TokenRequest};
use crate::error::{ApiError, WITHHELD_BODY, echoes_query, names_secret_parameters};
use crate::request::{AuthMode, Body, BodyStream, method_is_idempotent};
use crate::response::{Response, StreamingResponse};
use crate::retry::parse_retry_after;
use crate::throttle::{mailbox_key, outlook_mailbox_key};
use crate::{Error, GraphClient, Request, Result};

const CLIENT_REQUEST_ID: &str = "client-request-id";
const RETRY_ATTEMPT: &str = "retry-attempt";

impl GraphClient {
    /// Sends a request through the pipeline and reads the whole 2xx body.
    /// Non-2xx responses become [`Error::Api`].
    pub async fn execute(&self, request: Request) -> Result<Response> {
        let resp = self.send_raw(request, false).await?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let url = resp.url().clone();
        let body = resp.bytes().await.map_err(|e| map_transport(e, "reading the response body"))?;
        Ok(Response { status, headers, body, url })
    }

    /// Sends a request and parses the 2xx body straight into `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.execute(request).await?.json()
    }

    /// Sends a request whose answer has no body we need (202, 204).
    pub async fn send_empty(&self, request: Request) -> Result<()> {
        self.execute(request).await.map(|_| ())
    }

    /// Sends a request through the pipeline and returns the 2xx response
    /// with its body unread, for streaming downloads.
    ///
    /// The client's [timeout](crate::GraphClientBuilder::timeout) bounds
    /// each attempt up to the response's headers, and then each wait for
    /// the next chunk of the body, not the whole body: a download of any
    /// size runs as long as data keeps coming, and a stalled one ends with
    /// [`Error::Timeout`].
    pub async fn execute_streaming(&self, request: Request) -> Result<StreamingResponse> {
        let idle = self.inner.timeout;
        self.send_raw(request, true).await.map(|r| StreamingResponse::new(r, idle))
    }

    /// `streaming`: the caller reads the body itself, so the timeout covers
    /// each attempt up to its headers (and the error bodies read here),
    /// not the whole body.
    async fn send_raw(&self, request: Request, streaming: bool) -> Result<reqwest::Response> {
        let inner = &self.inner;
        let url = request.url(&inner.base_url)?;
        check_scheme(&url)?;
        let trusted = self.is_trusted(&url);
        if request.auth == AuthMode::Required && !trusted {
            return Err(Error::UntrustedHost {
                url: redact_url(&url),
                reason: format!(
                    "the access token is sent only to {} and the configured base URL {}",
                    inner.cloud.graph_host(),
                    inner.base_url
                ),
            });
        }

        let Request { method, headers: mut base_headers, body, auth, idempotent: marked_idempotent, .. } = request;

        if !base_headers.contains_key(CLIENT_REQUEST_ID) {
            let id = new_request_id();
            if let Ok(v) = HeaderValue::from_str(&id) {
                base_headers.insert(CLIENT_REQUEST_ID, v);
            }
        }
        let client_request_id = base_headers.get(CLIENT_REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let ua = match base_headers.get(USER_AGENT).and_then(|v| v.to_str().ok()) {
            Some(existing) if existing.contains("msgraph-rs/") => None,
            Some(existing) => {
                HeaderValue::from_str(&format!("{existing} {}", inner.user_agent.to_str().unwrap_or(""))).ok()
            }
            None => Some(inner.user_agent.clone()),
        };
        if let Some(ua) = ua {
            base_headers.insert(USER_AGENT, ua);
        }
        let caller_sets_auth = base_headers.contains_key(AUTHORIZATION);

        let (mut body_bytes, mut stream_body, content_type): (Option<Bytes>, Option<BodyStream>, Option<String>) =
            match body {
                Body::Empty => (None, None, None),
                Body::Bytes { data, content_type } => (Some(data), None, Some(content_type)),
                Body::Stream { body, content_type } => (None, Some(body), Some(content_type)),
            };
        if let Some(ct) = content_type.as_deref().and_then(|c| HeaderValue::from_str(c).ok())
            && !base_headers.contains_key(CONTENT_TYPE)
        {
            base_headers.insert(CONTENT_TYPE, ct);
        }

        let policy = &inner.retry;
        let mut state = Hop {
            url,
            method,
            attach_token: auth != AuthMode::None && trusted && !caller_sets_auth && inner.credential.is_some(),
        };
        let mut retries: u32 = 0;
        let mut waited = Duration::ZERO;
        let mut redirects: u32 = 0;
        let mut refreshed = false;
        let mut token_request = TokenRequest::new();

        loop {
            // The gate of this hop's mailbox; hosts other than Graph's (a
            // redirect target, an upload or download host) have none.
            let throttle_key = self.throttle_key(&state.url);
            if let Some(key) = &throttle_key {
                inner.throttle.wait(key).await;
            }
            let graph_hop = self.is_trusted(&state.url);

            let mut headers = base_headers.clone();
            // The token this attempt carries: an error body must not repeat it.
            let mut sent_token: Option<Secret> = None;
            if state.attach_token
                && let Some(cred) = &inner.credential
            {
                let token = cred.get_token(&token_request).await?;
                // A forced refresh (after a 401) is asked for once; later
                // attempts of this request use the credential's cached token.
                token_request = TokenRequest::new();
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.token.expose()))
                    .map_err(|_| Error::invalid_input("the access token has characters not allowed in a header"))?;
                value.set_sensitive(true);
                headers.insert(AUTHORIZATION, value);
                sent_token = Some(token.token);
            }
            if retries > 0 {
                headers.insert(RETRY_ATTEMPT, HeaderValue::from(retries));
            }
            // Graph answers 411 Length Required to a bodiless POST/PUT/PATCH
            // that does not say `Content-Length: 0`; the HTTP stack omits it.
            if body_bytes.is_none()
                && stream_body.is_none()
                && matches!(state.method, Method::POST | Method::PUT | Method::PATCH)
                && !headers.contains_key(CONTENT_LENGTH)
            {
                headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
            }
            let body_sent_is_stream = stream_body.is_some();
            let mut rb = inner.http.request(state.method.clone(), state.url.clone()).headers(headers);
            if let Some(b) = &body_bytes {
                rb = rb.body(b.clone());
            } else if let Some(s) = stream_body.take() {
                rb = rb.body(reqwest::Body::wrap_stream(s.inner));
            }
            // A streamed answer's body may take longer than any timeout: the
            // attempt is bounded up to its headers instead (`budget`, which
            // also bounds reading an error body), and `StreamingResponse`
            // bounds each wait for a chunk. Otherwise reqwest's timeout covers all.
            let budget = if streaming { inner.timeout } else { None };
            if let Some(t) = inner.timeout
                && !streaming
            {
                rb = rb.timeout(t);
            }
            // After a stream was sent once, nothing can be sent again.
            let replayable = !body_sent_is_stream;

            // Logs carry no query, and no path on hosts other than Graph's
            // (pre-authenticated URLs carry credentials in both).
            let span = tracing::debug_span!(
                "graph.request",
                method = %state.method,
                host = state.url.host_str().unwrap_or_default(),
                path = if graph_hop { state.url.path() } else { "(withheld)" },
                attempt = retries,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            // at most N requests in flight to one mailbox (Graph's limit is 4),
            // held until the answer's headers arrive
            let slot = match self.concurrency_key(&state.url) {
                Some(key) => inner.mailbox_limit.acquire(&key).await,
                None => None,
            };
            let sent = match budget {
                None => rb.send().instrument(span.clone()).await,
                Some(t) => match tokio::time::timeout(t, rb.send().instrument(span.clone())).await {
                    Ok(sent) => sent,
                    Err(_) => {
                        drop(slot);
                        let shown = self.shown_url(&state.url);
                        return Err(Error::Timeout {
                            message: format!("{} {shown} (no answer within {t:?})", state.method),
                        });
                    }
                },
            };
            drop(slot);
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);

            // Whether this hop may be sent twice (a redirect may turn a POST into a GET).
            let idempotent = marked_idempotent.unwrap_or_else(|| method_is_idempotent(&state.method));

            let resp = match sent {
                Ok(r) => r,
                Err(e) => {
                    // reqwest's Display includes the URL, query and all
                    let e = e.without_url();
                    let shown = self.shown_url(&state.url);
                    if e.is_timeout() {
                        return Err(Error::Timeout { message: format!("{} {shown}", state.method) });
                    }
                    // Nothing reached the server when no connection was made;
                    // after a reset, the request may have been written and run.
                    let unsent = e.is_connect();
                    let ambiguous = !unsent && is_reset(&e);
                    if (unsent || (ambiguous && idempotent))
                        && policy.retries_connection_errors()
                        && retries < policy.get_max_retries()
                        && replayable
                    {
                        let wait = policy.backoff(retries + 1);
                        if waited.saturating_add(wait) <= policy.get_max_total_wait() {
                            tracing::debug!(parent: &span, error = %e, wait_ms = wait.as_millis() as u64, "connection failed; retrying");
                            tokio::time::sleep(wait).await;
                            waited = waited.saturating_add(wait);
                            retries += 1;
                            continue;
                        }
                    }
                    let note = if ambiguous && !idempotent && policy.get_max_retries() > 0 {
                        format!(" ({})", not_repeated(&state.method))
                    } else {
                        String::new()
                    };
                    return Err(map_transport(e, &format!("{} {shown}{note}", state.method)));
                }
            };

            let status = resp.status();
            let request_id = header_str(resp.headers(), "request-id");
            let secrets = Sent { url: &state.url, token: sent_token.as_ref().map(Secret::expose), foreign: !graph_hop };
            span.record("status", status.as_u16());
            if let Some(id) = &request_id {
                span.record("request_id", id.as_str());
            }
            tracing::debug!(parent: &span, status = status.as_u16(), "graph response");

            // Redirects: followed here so the token never leaves the origin.
            if matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
                redirects += 1;
                let next = follow_redirect(&state, status, resp.headers(), redirects, inner.max_redirects)?;
                let keeps_body = matches!(status.as_u16(), 307 | 308);
                // Only a redirect that turns the request into a GET drops the
                // body; any other (307/308, or 301/302 on a PUT or PATCH)
                // would send a consumed stream again: empty, overwriting data
                // with nothing.
                if !replayable && next.method != Method::GET {
                    return Err(Error::Redirect {
                        status: status.as_u16(),
                        message: format!(
                            "the request body was a stream and cannot be sent again to the new location \
                             (a {} keeps the {} and its body)",
                            status.as_u16(),
                            next.method
                        ),
                    });
                }
                if !keeps_body && next.method == Method::GET {
                    body_bytes = None;
                    base_headers.remove(CONTENT_TYPE);
                }
                if !same_origin(&state.url, &next.url) {
                    base_headers.remove(AUTHORIZATION);
                    base_headers.remove(COOKIE);
                }
                state = next;
                continue;
            }

            // 401: one retry with a fresh token (for a claims challenge, with the claims).
            if status == StatusCode::UNAUTHORIZED && state.attach_token && !refreshed && replayable {
                refreshed = true;
                token_request = match claims_challenge(resp.headers()) {
                    Some(claims) => TokenRequest::with_claims(claims),
                    None => TokenRequest::force_refresh(),
                };
                drain(resp, budget).await;
                continue;
            }

            if matches!(status.as_u16(), 429 | 503 | 504) {
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
                if let Some(ra) = retry_after
                    && status.as_u16() != 504
                    && let Some(key) = &throttle_key
                {
                    inner.throttle.block(key, policy.gate_wait(ra));
                }
                if retries < policy.get_max_retries() {
                    let note = if !replayable {
                        Some("not retried: the request body was a stream and cannot be replayed".to_owned())
                    } else if status == StatusCode::GATEWAY_TIMEOUT && !idempotent {
                        Some(not_repeated(&state.method))
                    } else {
                        let wait = retry_after.unwrap_or_else(|| policy.backoff(retries + 1));
                        if waited.saturating_add(wait) > policy.get_max_total_wait() {
                            Some(format!(
                                "not retried: waiting {:.1} s would exceed the retry budget of {:.1} s",
                                wait.as_secs_f64(),
                                policy.get_max_total_wait().as_secs_f64()
                            ))
                        } else {
                            drain(resp, budget).await;
                            tracing::debug!(parent: &span, wait_ms = wait.as_millis() as u64, "throttled or unavailable; retrying");
                            tokio::time::sleep(wait).await;
                            waited = waited.saturating_add(wait);
                            retries += 1;
                            continue;
                        }
                    };
                    return Err(api_error(resp, &secrets, client_request_id, retry_after, note, budget).await);
                }
                let note = (policy.get_max_retries() > 0).then(|| format!("gave up after {retries} retries"));
                return Err(api_error(resp, &secrets, client_request_id, retry_after, note, budget).await);
            }

            if status.is_success() {
                return Ok(resp);
            }
            return Err(api_error(resp, &secrets, client_request_id, None, None, budget).await);
        }
    }

    /// The mailbox whose concurrency slots a request to `url` takes: on
    /// Graph's own origins, for Outlook resources only (`""` otherwise).
    fn concurrency_key(&self, url: &Url) -> Option<String> {
        if !self.is_trusted(url) {
            return None;
        }
        let base_segments =
            self.inner.base_url.path_segments().map(|s| s.filter(|x| !x.is_empty()).count()).unwrap_or(0);
        url.path_segments().map(|segs| outlook_mailbox_key(segs.filter(|s| !s.is_empty()).skip(base_segments)))
    }

    /// The throttling key (mailbox) of a URL on Graph's own origins (the
    /// cloud's Graph host or the configured base URL); `None` elsewhere:
    /// a 429 from a download or upload host says nothing about a mailbox.
    fn throttle_key(&self, url: &Url) -> Option<String> {
        if !self.is_trusted(url) {
            return None;
        }
        let base = &self.inner.base_url;
        let base_segments = base.path_segments().map(|s| s.filter(|x| !x.is_empty()).count()).unwrap_or(0);
        Some(match url.path_segments() {
            Some(segs) => mailbox_key(segs.filter(|s| !s.is_empty()).skip(base_segments)),
            None => String::new(),
        })
    }
}

struct Hop {
    url: Url,
    method: Method,
    attach_token: bool,
}

fn follow_redirect(current: &Hop, status: StatusCode, headers: &HeaderMap, count: u32, max: u32) -> Result<Hop> {
    let code = status.as_u16();
    let location = headers
        .get(LOCATION)
        .ok_or_else(|| Error::Redirect { status: code, message: "no Location header".into() })?
        .to_str()
        .map_err(|_| Error::Redirect { status: code, message: "Location header is not valid text".into() })?;
    if count > max {
        return Err(Error::Redirect { status: code, message: format!("more than {max} redirects") });
    }
    let next = current
        .url
        .join(location)
        .map_err(|e| Error::Redirect { status: code, message: format!("invalid Location: {e}") })?;
    if current.url.scheme() == "https" && next.scheme() != "https" {
        return Err(Error::Redirect {
            status: code,
            message: "refused to follow a redirect from https to http".into(),
        });
    }
    check_scheme(&next).map_err(|e| Error::Redirect { status: code, message: e.to_string() })?;
    let method = match code {
        303 if current.method != Method::HEAD => Method::GET,
        301 | 302 if current.method == Method::POST => Method::GET,
        _ => current.method.clone(),
    };
    let attach_token = current.attach_token && same_origin(&current.url, &next);
    Ok(Hop { url: next, method, attach_token })
}

/// Why a request that may have run was not sent again.
fn not_repeated(method: &Method) -> String {
    format!(
        "not retried: Graph may have run this {method} already, and only idempotent requests are sent twice \
         (mark it with `idempotent(true)` if repeating it is harmless)"
    )
}

/// `claims="..."` from `WWW-Authenticate: Bearer ...`, base64-decoded when it is base64.
fn claims_challenge(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all("www-authenticate") {
        let Ok(v) = value.to_str() else { continue };
        let Some(pos) = v.find("claims=\"") else { continue };
        let rest = &v[pos + 8..];
        let Some(end) = rest.find('"') else { continue };
        let raw = &rest[..end];
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(raw)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(raw))
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        return Some(decoded.unwrap_or_else(|| raw.to_owned()));
    }
    None
}

/// A random (version 4) UUID for `client-request-id`. It needs to be unique,
/// not secret, so a fast non-cryptographic generator is enough.
pub(crate) fn new_request_id() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut b = fastrand::u128(..).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 0x0f)] as char);
    }
    out
}

fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The most of an error body the client reads: Graph's error JSON is a few
/// hundred bytes; what an error keeps is its first kilobyte.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The most of an unwanted body (a 429 before its retry) read so that the
/// connection can be reused; past it, the connection is dropped instead.
const DRAIN_LIMIT: usize = 64 * 1024;

/// Reads at most `limit` bytes of a body, chunk by chunk; the rest is left
/// unread (dropping the response then closes its connection). `budget`
/// bounds the whole read when the request itself carries no timeout (a
/// streamed request's error body): what was read by then is kept.
async fn read_capped(
    resp: &mut reqwest::Response,
    limit: usize,
    budget: Option<Duration>,
) -> std::result::Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    let deadline = budget.map(|b| tokio::time::Instant::now() + b);
    loop {
        let next = match deadline {
            None => resp.chunk().await?,
            Some(d) => match tokio::time::timeout_at(d, resp.chunk()).await {
                Ok(next) => next?,
                Err(_) => break,
            },
        };
        let Some(chunk) = next else { break };
        let room = limit - body.len();
        if chunk.len() >= room {
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads and discards a body so the connection can be reused, at most
/// [`DRAIN_LIMIT`] bytes of it (and within the client timeout).
async fn drain(mut resp: reqwest::Response, budget: Option<Duration>) {
    let _ = read_capped(&mut resp, DRAIN_LIMIT, budget).await;
}

/// What of a request its error must not repeat back.
struct Sent<'a> {
    url: &'a Url,
    /// The access token the request carried.
    token: Option<&'a str>,
    /// Sent to a host other than Graph's own origins (an upload or download URL).
    foreign: bool,
}

impl Sent<'_> {
    /// True when an error body repeats what the request sent in confidence:
    /// the token (always), the URL's query (in a body that is not Graph's
    /// error JSON, or in any body from a foreign host, whose query is its
    /// credential), or secret parameter names (in a body that is not
    /// Graph's error JSON, as the identity endpoint checks too). Graph's own
    /// JSON messages about a `$filter` are kept: they are how Graph explains it.
    fn echoed_in(&self, body: &[u8], graph_json: bool) -> bool {
        let token = self.token.is_some_and(|t| !t.is_empty() && String::from_utf8_lossy(body).contains(t));
        token
            || ((!graph_json || self.foreign) && echoes_query(body, self.url))
            || (!graph_json && names_secret_parameters(body))
    }
}

/// The error of a non-2xx answer, from at most [`ERROR_BODY_LIMIT`] bytes of
/// its body; a body that repeats the request's secrets is withheld.
async fn api_error(
    mut resp: reqwest::Response,
    sent: &Sent<'_>,
    client_request_id: Option<String>,
    retry_after: Option<Duration>,
    note: Option<String>,
    budget: Option<Duration>,
) -> Error {
    let status = resp.status().as_u16();
    let request_id = header_str(resp.headers(), "request-id");
    let body = match read_capped(&mut resp, ERROR_BODY_LIMIT, budget).await {
        Ok(b) => b,
        Err(e) => {
            let mut err = ApiError::from_response(status, b"", request_id, client_request_id, retry_after);
            err.raw_body = Some(format!("(body could not be read: {})", e.without_url()));
            err.note = note;
            return Error::from(err);
        }
    };
    let mut err = ApiError::from_response(status, &body, request_id.clone(), client_request_id.clone(), retry_after);
    if sent.echoed_in(&body, err.raw_body.is_none()) {
        err = ApiError::from_response(status, b"", request_id, client_request_id, retry_after);
        err.raw_body = Some(WITHHELD_BODY.to_owned());
    }
    err.note = note;
    Error::from(err)
}

fn is_reset(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof
            );
        }
        if let Some(h) = s.downcast_ref::<hyper::Error>()
            && (h.is_incomplete_message() || h.is_closed() || h.is_canceled())
        {
            return true;
        }
        source = s.source();
    }
    false
}

pub(crate) fn map_transport(e: reqwest::Error, what: &str) -> Error {
    if e.is_timeout() {
        return Error::Timeout { message: what.to_owned() };
    }
    // reqwest's Display may include the URL with its query; keep only the kind.
    let kind = if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the body could not be read"
    } else if e.is_request() {
        "the request could not be sent"
    } else {
        "HTTP error"
    };
    Error::Transport { message: format!("{kind}: {what}"), source: Some(Box::new(e.without_url())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(url: &str, method: Method) -> Hop {
        Hop { url: Url::parse(url).unwrap(), method, attach_token: true }
    }

    fn location(l: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(LOCATION, HeaderValue::from_str(l).unwrap());
        h
    }

    #[test]
    fn https_to_http_is_refused_even_on_loopback() {
        let cur = hop("https://graph.microsoft.com/v1.0/me", Method::GET);
        let err = follow_redirect(&cur, StatusCode::FOUND, &location("http://127.0.0.1/x"), 1, 5).err().unwrap();
        assert!(err.to_string().contains("https to http"), "{err}");
    }

    #[test]
    fn cross_origin_hop_drops_the_token_same_origin_keeps_it() {
        let cur = hop("https://graph.microsoft.com/v1.0/me", Method::GET);
        let same = follow_redirect(&cur, StatusCode::FOUND, &location("/v1.0/other"), 1, 5).unwrap();
        assert!(same.attach_token);
        let other =
            follow_redirect(&cur, StatusCode::FOUND, &location("https://contoso.sharepoint.com/f"), 1, 5).unwrap();
        assert!(!other.attach_token);
        let upper = follow_redirect(&cur, StatusCode::FOUND, &location("https://GRAPH.microsoft.com/x"), 1, 5).unwrap();
        assert!(upper.attach_token, "host comparison ignores case");
    }

    #[test]
    fn method_rules() {
        let post = hop("https://graph.microsoft.com/v1.0/a", Method::POST);
        let h = location("/v1.0/b");
        assert_eq!(follow_redirect(&post, StatusCode::SEE_OTHER, &h, 1, 5).unwrap().method, Method::GET);
        assert_eq!(follow_redirect(&post, StatusCode::FOUND, &h, 1, 5).unwrap().method, Method::GET);
        assert_eq!(follow_redirect(&post, StatusCode::TEMPORARY_REDIRECT, &h, 1, 5).unwrap().method, Method::POST);
        assert_eq!(follow_redirect(&post, StatusCode::PERMANENT_REDIRECT, &h, 1, 5).unwrap().method, Method::POST);
        let patch = hop("https://graph.microsoft.com/v1.0/a", Method::PATCH);
        assert_eq!(follow_redirect(&patch, StatusCode::MOVED_PERMANENTLY, &h, 1, 5).unwrap().method, Method::PATCH);
    }

    #[test]
    fn claims_are_decoded_from_www_authenticate() {
        let mut h = HeaderMap::new();
        h.insert(
            "www-authenticate",
            HeaderValue::from_static(r#"Bearer realm="", error="insufficient_claims", claims="eyJhIjoxfQ==""#),
        );
        assert_eq!(claims_challenge(&h).as_deref(), Some(r#"{"a":1}"#));
        assert_eq!(claims_challenge(&HeaderMap::new()), None);
    }

    #[test]
    fn request_ids_are_v4_uuids() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4'));
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"));
    }
}
