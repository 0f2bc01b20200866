//! The one error type of the SDK, and the parsed Microsoft Graph error body.
//!
//! Every fallible operation returns [`Result<T>`](crate::Result). Match on the
//! [`Error`] variants, or use the helpers ([`Error::status`], [`Error::code`],
//! [`Error::is_throttled`], [`Error::is_retryable`], [`Error::is_not_found`]),
//! which keep working when new variants are added.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

/// How many bytes of an unparseable response body an error keeps.
pub(crate) const BODY_PREFIX_LEN: usize = 1024;

/// Result alias used across the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to Microsoft Graph.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Graph answered with a non-success status (4xx/5xx). The error body is
    /// parsed when it is Graph's JSON shape; otherwise its first bytes are kept.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The request did not complete: DNS, connect, TLS, reset, or a body that
    /// could not be read.
    #[error("transport error: {message}")]
    Transport {
        /// What happened, in words.
        message: String,
        /// The underlying HTTP client error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// The request (one attempt) took longer than the configured timeout.
    #[error("request timed out: {message}")]
    Timeout {
        /// Which request timed out.
        message: String,
    },

    /// Getting an access token failed (sign-in, refresh, consent, ...).
    #[error(transparent)]
    Auth(Box<AuthError>),

    /// A response body did not match the expected shape.
    #[error("could not decode the response{}: {message}", path.as_ref().map(|p| format!(" at `{p}`")).unwrap_or_default())]
    Decode {
        /// The serde message (line, column, expected type).
        message: String,
        /// The JSON path of the offending field, e.g. `value[3].receivedDateTime`.
        path: Option<String>,
        /// HTTP status of the response.
        status: u16,
        /// The first bytes of the body, for diagnosis.
        body_prefix: String,
    },

    /// The caller passed something Graph would reject (an empty id, a bad
    /// address, too many batch items, ...). Nothing was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),

    /// A URL pointed at a host that may not receive the access token, or used
    /// plain http outside loopback. Nothing was sent.
    #[error("refused to send a request to {url}: {reason}")]
    UntrustedHost {
        /// The refused URL, without its query string.
        url: String,
        /// Why it was refused.
        reason: String,
    },

    /// A redirect could not be followed (too many, https to http, no Location).
    #[error("redirect not followed (status {status}): {message}")]
    Redirect {
        /// The 3xx status that was received.
        status: u16,
        /// Why it was not followed.
        message: String,
    },

    /// Paging went wrong, e.g. a nextLink that repeats an earlier one.
    #[error("paging stopped: {0}")]
    Paging(String),

    /// A delta token was rejected by Graph (410 Gone, `syncStateNotFound`,
    /// `resyncRequired`); the sync must start over.
    #[error("delta token expired or invalid; a full resync is required: {0}")]
    ResyncRequired(String),

    /// An upload session is gone: its URL answered 404 because it expired
    /// (see its `expirationDateTime`) or was cancelled. Create a new session
    /// and upload again.
    #[error("the upload session expired or was cancelled: {0}")]
    UploadSessionGone(String),

    /// A long-running operation Graph ran for the request ended in
    /// `failed` (a drive copy, a OneNote page copy, ...).
    #[error("the long-running operation failed: {}", .0.error_message())]
    OperationFailed(Box<crate::operation::OperationStatus>),

    /// Local I/O failed (token cache, delta store, file upload source).
    #[error("I/O error: {message}")]
    Io {
        /// What was being done.
        message: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Builds an [`Error::InvalidInput`].
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
    }

    /// Builds an [`Error::Transport`] from any error.
    pub fn transport(message: impl Into<String>, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Transport { message: message.into(), source: Some(source.into()) }
    }

    /// Builds an [`Error::Io`].
    pub fn io(message: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { message: message.into(), source }
    }

    /// True for a 409 Conflict, e.g. `nameAlreadyExists` when an upload or a
    /// create would replace an item whose conflict behaviour is `fail`.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Error::Api(e) if e.status == 409)
    }

    /// True for a 412 Precondition Failed: an `If-Match` eTag that no longer
    /// matches (OneDrive's `resourceModified`): the item changed since it was read.
    pub fn is_precondition_failed(&self) -> bool {
        matches!(self, Error::Api(e) if e.status == 412)
    }

    /// The HTTP status, for API errors (and decode errors of a response).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Redirect { status, .. } => Some(*status),
            Error::Auth(e) => e.status,
            _ => None,
        }
    }

    /// Graph's error code (`ErrorItemNotFound`, `TooManyRequests`, ...), or the
    /// identity platform's (`invalid_grant`, ...).
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.code.as_deref(),
            Error::Auth(e) => e.code.as_deref(),
            _ => None,
        }
    }

    /// The `request-id` Graph assigned to the failed request; quote it to Microsoft support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The parsed API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The auth error, if this is one.
    pub fn as_auth(&self) -> Option<&AuthError> {
        match self {
            Error::Auth(e) => Some(e),
            _ => None,
        }
    }

    /// True for 429 Too Many Requests (and 503 with a Retry-After): Graph
    /// throttled the request.
    pub fn is_throttled(&self) -> bool {
        match self {
            Error::Api(e) => e.status == 429 || (e.status == 503 && e.retry_after.is_some()),
            _ => false,
        }
    }

    /// True when trying the same request again later may succeed: 429, 503,
    /// 504, timeouts and transport failures.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => matches!(e.status, 429 | 503 | 504),
            Error::Transport { .. } | Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// True for 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// How long Graph asked to wait, when it sent `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            _ => None,
        }
    }
}

impl Error {
    /// A copy of this error, for when one failure is the result of several
    /// things (every item of a failed `$batch` call). Sources that cannot be
    /// cloned (an HTTP client error, an I/O error) are kept as their text
    /// (and, for I/O, their kind).
    pub(crate) fn duplicate(&self) -> Error {
        match self {
            Error::Api(e) => Error::Api(e.clone()),
            Error::Transport { message, source } => Error::Transport {
                message: message.clone(),
                source: source.as_ref().map(|s| Box::new(SourceText(error_chain(s.as_ref()))) as _),
            },
            Error::Timeout { message } => Error::Timeout { message: message.clone() },
            Error::Auth(e) => Error::Auth(e.clone()),
            Error::Decode { message, path, status, body_prefix } => Error::Decode {
                message: message.clone(),
                path: path.clone(),
                status: *status,
                body_prefix: body_prefix.clone(),
            },
            Error::InvalidInput(m) => Error::InvalidInput(m.clone()),
            Error::UntrustedHost { url, reason } => Error::UntrustedHost { url: url.clone(), reason: reason.clone() },
            Error::Redirect { status, message } => Error::Redirect { status: *status, message: message.clone() },
            Error::Paging(m) => Error::Paging(m.clone()),
            Error::ResyncRequired(m) => Error::ResyncRequired(m.clone()),
            Error::UploadSessionGone(m) => Error::UploadSessionGone(m.clone()),
            Error::OperationFailed(s) => Error::OperationFailed(s.clone()),
            Error::Io { message, source } => {
                Error::Io { message: message.clone(), source: std::io::Error::new(source.kind(), error_chain(source)) }
            }
        }
    }
}

/// An error's message followed by its sources' (`a: b: c`).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The text of an error that could not be cloned.
#[derive(Debug)]
struct SourceText(String);

impl fmt::Display for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SourceText {}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Self {
        Error::Auth(Box::new(e))
    }
}

/// A non-success response from Microsoft Graph.
///
/// Graph's error body is
/// `{"error":{"code","message","innerError":{"request-id","date","client-request-id"}}}`;
/// each part is exposed when present. When the body is not that shape (an
/// HTML page from a proxy, an empty body), [`ApiError::raw_body`] keeps its
/// first bytes.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Graph error code, e.g. `ErrorItemNotFound`.
    pub code: Option<String>,
    /// Graph's human-readable message.
    pub message: Option<String>,
    /// `request-id` from the error body or the response headers.
    pub request_id: Option<String>,
    /// `client-request-id` the request was sent with.
    pub client_request_id: Option<String>,
    /// `date` from the inner error.
    pub date: Option<String>,
    /// `error.details[]`, when Graph sends them.
    pub details: Vec<ErrorDetail>,
    /// The inner error's nested code chain (`innerError.code`), when present.
    pub inner_code: Option<String>,
    /// `Retry-After`, when the response carried one.
    pub retry_after: Option<Duration>,
    /// The first bytes of a body that was not Graph's error JSON.
    pub raw_body: Option<String>,
    /// Why the SDK gave up (e.g. "not retried: the request body is a stream").
    pub note: Option<String>,
}

/// One entry of `error.details`.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// Detail code.
    #[serde(default)]
    pub code: Option<String>,
    /// Detail message.
    #[serde(default)]
    pub message: Option<String>,
    /// Target of the detail, e.g. a property name.
    #[serde(default)]
    pub target: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Graph returned {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        } else if let Some(raw) = &self.raw_body {
            if raw.trim().is_empty() {
                write!(f, " (empty body)")?;
            } else {
                write!(f, " (body: {})", raw.chars().take(200).collect::<String>())?;
            }
        }
        if let Some(wait) = self.retry_after {
            write!(f, " [throttled: retry after {} s]", wait.as_secs_f64())?;
        }
        if let Some(note) = &self.note {
            write!(f, " [{note}]")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request-id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default, alias = "innererror", alias = "innerError")]
    inner_error: Option<InnerError>,
    #[serde(default)]
    details: Vec<ErrorDetail>,
}

#[derive(Deserialize)]
struct InnerError {
    #[serde(default, rename = "request-id")]
    request_id: Option<String>,
    #[serde(default, rename = "client-request-id")]
    client_request_id: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

impl ApiError {
    /// Parses an error response. Never fails: a body that is not Graph's
    /// error JSON is kept (its first bytes) in [`ApiError::raw_body`].
    pub fn from_response(
        status: u16,
        body: &[u8],
        header_request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        let mut err =
            ApiError { status, request_id: header_request_id, client_request_id, retry_after, ..ApiError::default() };
        match serde_json::from_slice::<ErrorEnvelope>(body) {
            Ok(env) => {
                err.code = env.error.code;
                err.message = env.error.message;
                err.details = env.error.details;
                if let Some(inner) = env.error.inner_error {
                    if inner.request_id.is_some() {
                        err.request_id = inner.request_id;
                    }
                    if inner.client_request_id.is_some() {
                        err.client_request_id = inner.client_request_id;
                    }
                    err.date = inner.date;
                    err.inner_code = inner.code;
                }
            }
            Err(_) => err.raw_body = Some(body_prefix(body)),
        }
        err
    }
}

/// What an error keeps instead of a body that repeats the request's secrets.
pub(crate) const WITHHELD_BODY: &str =
    "(body withheld: it repeats the request's credentials, query or secret parameters)";

/// Names of request parameters that carry secrets: a body that is not
/// Graph's error JSON and mentions one is a proxy or server echoing a
/// request (the identity endpoint's rule, in msgraph-auth, too).
const SECRET_PARAMETERS: [&str; 7] =
    ["client_secret", "client_assertion", "refresh_token", "code_verifier", "device_code", "password", "access_token"];

/// Query values shorter than this are not looked for in bodies (`$top=10`
/// would match any body with a "10" in it); credentials are longer.
const MIN_ECHOED_VALUE: usize = 6;

/// True when `body` names a secret parameter ([`SECRET_PARAMETERS`]).
pub(crate) fn names_secret_parameters(body: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(body).to_ascii_lowercase();
    SECRET_PARAMETERS.iter().any(|p| lower.contains(p))
}

/// True when `body` repeats the query of `url`: the whole query, a
/// `name=value` pair as sent, or a value (encoded or decoded) of at least
/// six characters. Pre-authenticated upload and download URLs carry their
/// credential in the query; `$filter` and `$search` values are user data.
pub(crate) fn echoes_query(body: &[u8], url: &url::Url) -> bool {
    let Some(query) = url.query().filter(|q| !q.is_empty()) else { return false };
    let text = String::from_utf8_lossy(body);
    if text.contains(query) {
        return true;
    }
    for pair in query.split('&') {
        if let Some((_, value)) = pair.split_once('=')
            && !value.is_empty()
            && (text.contains(pair) || (value.len() >= MIN_ECHOED_VALUE && text.contains(value)))
        {
            return true;
        }
    }
    url.query_pairs().any(|(_, v)| v.chars().count() >= MIN_ECHOED_VALUE && text.contains(v.as_ref()))
}

/// The first [`BODY_PREFIX_LEN`] bytes of a body, as lossy UTF-8.
pub(crate) fn body_prefix(body: &[u8]) -> String {
    let end = body.len().min(BODY_PREFIX_LEN);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

/// What kind of sign-in problem an [`AuthError`] is; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// AADSTS7000218: the app registration is a confidential client but no
    /// secret or certificate was given.
    ConfidentialClientNeedsSecret,
    /// AADSTS65001: the user or an admin has not consented to the permissions.
    ConsentRequired,
    /// AADSTS50020: the account type is not allowed by the app registration.
    AccountTypeNotAllowed,
    /// AADSTS700016 / `invalid_client`: wrong client id or secret.
    InvalidClient,
    /// `invalid_grant`: the refresh token or code expired or was revoked; sign in again.
    InvalidGrant,
    /// `invalid_scope`: a requested scope is malformed or unknown.
    InvalidScope,
    /// The user declined (`access_denied`, `authorization_declined`).
    Declined,
    /// The device code or authorization request expired before the user finished.
    Expired,
    /// Sign-in was cancelled or timed out locally.
    Cancelled,
    /// Graph refused the token for missing permissions (403).
    MissingPermission,
    /// Interactive sign-in is needed but the credential cannot prompt.
    InteractionRequired,
    /// Anything else the identity platform said.
    Other,
}

/// A failure to obtain an access token, with the identity platform's code and
/// a hint that says what to do.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthError {
    /// The kind of failure.
    pub kind: AuthErrorKind,
    /// OAuth error code (`invalid_grant`, `authorization_pending`, ...).
    pub code: Option<String>,
    /// The AADSTS number, when the description carries one.
    pub aadsts: Option<u32>,
    /// The identity platform's description.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// HTTP status of the token endpoint's answer, when there was one.
    pub status: Option<u16>,
}

impl AuthError {
    /// A new auth error of `kind` with `message`.
    pub fn new(kind: AuthErrorKind, message: impl Into<String>) -> Self {
        AuthError { kind, code: None, aadsts: None, message: message.into(), hint: None, status: None }
    }

    /// Sets the OAuth error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the AADSTS number.
    pub fn with_aadsts(mut self, n: u32) -> Self {
        self.aadsts = Some(n);
        self
    }

    /// Sets the hint that tells the user what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sign-in failed")?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " — {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_graph_error_body() {
        let body = br#"{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store.","innerError":{"request-id":"r-1","date":"2024-01-01T00:00:00","client-request-id":"c-1"}}}"#;
        let e = ApiError::from_response(404, body, None, None, None);
        assert_eq!(e.code.as_deref(), Some("ErrorItemNotFound"));
        assert_eq!(e.request_id.as_deref(), Some("r-1"));
        assert_eq!(e.client_request_id.as_deref(), Some("c-1"));
        assert_eq!(e.date.as_deref(), Some("2024-01-01T00:00:00"));
        assert!(e.raw_body.is_none());
        let shown = Error::from(e).to_string();
        assert!(shown.contains("404") && shown.contains("ErrorItemNotFound") && shown.contains("r-1"), "{shown}");
    }

    #[test]
    fn keeps_prefix_of_html_body() {
        let body = b"<html><body>Bad Gateway</body></html>";
        let e = ApiError::from_response(502, body, Some("hdr".into()), None, None);
        assert_eq!(e.raw_body.as_deref(), Some("<html><body>Bad Gateway</body></html>"));
        assert_eq!(e.request_id.as_deref(), Some("hdr"));
        assert!(Error::from(e).to_string().contains("Bad Gateway"));
    }

    #[test]
    fn a_duplicate_keeps_the_kind_status_and_source_text() {
        let api = Error::from(ApiError::from_response(503, br#"{"error":{"code":"x"}}"#, Some("r".into()), None, None));
        let d = api.duplicate();
        assert_eq!((d.status(), d.code(), d.request_id()), (Some(503), Some("x"), Some("r")));
        let io = Error::io("reading", std::io::Error::new(std::io::ErrorKind::NotFound, "gone"));
        assert!(matches!(io.duplicate(), Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound));
        let t = Error::transport("could not connect", std::io::Error::other("refused"));
        let d = t.duplicate();
        assert_eq!(d.to_string(), t.to_string());
        assert_eq!(std::error::Error::source(&d).map(|s| s.to_string()).as_deref(), Some("refused"));
        assert!(d.is_retryable());
    }

    #[test]
    fn echoes_of_the_query_are_found_short_values_are_not() {
        let url = url::Url::parse("https://up.example.com/x?token=S3cr%2Bt9&top=10").unwrap();
        assert!(echoes_query(b"<p>token=S3cr%2Bt9</p>", &url));
        assert!(echoes_query(b"bad token S3cr+t9", &url), "the decoded value");
        assert!(echoes_query(b"bad token S3cr%2Bt9", &url), "the value as sent");
        assert!(echoes_query(b"GET /x?top=10", &url), "a pair as sent");
        assert!(!echoes_query(b"<p>10 errors</p>", &url));
        assert!(!echoes_query(b"anything", &url::Url::parse("https://up.example.com/x").unwrap()));
        assert!(names_secret_parameters(b"grant_type=refresh_token&Refresh_Token=abc"));
        assert!(!names_secret_parameters(b"<html>Bad Gateway</html>"));
    }

    #[test]
    fn body_prefix_is_bounded_and_lossy() {
        let mut body = vec![0xffu8; 10];
        body.extend(std::iter::repeat_n(b'a', 5000));
        let p = body_prefix(&body);
        assert!(p.len() <= BODY_PREFIX_LEN * 3);
        assert!(p.starts_with('\u{fffd}'));
    }
}
