//! Errors: the ones the emulator's Rust API returns ([`Error`]) and the ones
//! it serves over HTTP in Microsoft Graph's shape ([`GraphError`]).
//!
//! Graph's error body is
//! `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`
//! (<https://learn.microsoft.com/graph/errors>); the identity platform's is
//! `{"error","error_description","error_codes","timestamp","trace_id","correlation_id"}`
//! (<https://learn.microsoft.com/entra/identity-platform/reference-error-codes>).

use std::fmt;

use axum::http::{HeaderName, HeaderValue, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// An error from the emulator's Rust API (starting it, seeding, inspecting).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The listener could not be bound or served.
    Io(std::io::Error),
    /// A user, folder, message or event named in a call does not exist.
    NotFound(String),
    /// A value passed to the API is not acceptable (bad JSON shape, bad option).
    InvalidInput(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "emulator I/O error: {e}"),
            Error::NotFound(what) => write!(f, "not found in the emulator: {what}"),
            Error::InvalidInput(what) => write!(f, "invalid input: {what}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

/// The result type of the emulator's Rust API.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error answered over HTTP in Graph's shape.
#[derive(Debug, Clone)]
pub(crate) struct GraphError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// `innerError.code` and `innerError.message`, for services that nest
    /// the precise error there (To Do: `invalidRequest` outside, `ErrorInvalidRequest` inside).
    /// Boxed: it is rarely set, and every `ApiResult` carries a `GraphError`.
    pub inner: Option<Box<(String, String)>>,
}

/// What the server returns from route handlers.
pub(crate) type ApiResult<T> = std::result::Result<T, GraphError>;

impl GraphError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        GraphError { status, code: code.to_owned(), message: message.into(), headers: Vec::new(), inner: None }
    }

    /// Adds `innerError.code` and `innerError.message`.
    pub fn with_inner(mut self, code: &str, message: impl Into<String>) -> Self {
        self.inner = Some(Box::new((code.to_owned(), message.into())));
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }

    /// 404 `ErrorItemNotFound`: a well-formed id that names nothing.
    pub fn item_not_found() -> Self {
        GraphError::new(StatusCode::NOT_FOUND, "ErrorItemNotFound", "The specified object was not found in the store.")
    }

    /// 400 `ErrorInvalidIdMalformed`: an id that cannot be one of ours.
    pub fn id_malformed() -> Self {
        GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidIdMalformed", "Id is malformed.")
    }

    /// 400 `ErrorInvalidRequest`.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidRequest", message)
    }

    /// 400 `BadRequest` (OData layer errors).
    pub fn bad_request(message: impl Into<String>) -> Self {
        GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// 400 `RequestBodyRead`: a body that does not fit the entity type.
    pub fn body_read(message: impl Into<String>) -> Self {
        GraphError::new(StatusCode::BAD_REQUEST, "RequestBodyRead", message)
    }

    /// 400: the body is not JSON at all.
    pub fn unreadable_json() -> Self {
        GraphError::bad_request(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        )
    }

    /// 400 for a property named in `$select`, `$filter` or `$orderby` that the type lacks.
    pub fn unknown_property(name: &str, type_name: &str) -> Self {
        GraphError::new(
            StatusCode::BAD_REQUEST,
            "RequestBroker--ParseUri",
            format!("Could not find a property named '{name}' on type 'microsoft.graph.{type_name}'."),
        )
    }

    /// 400 for a path segment the emulator (and Graph) does not know.
    pub fn segment_not_found(segment: &str) -> Self {
        GraphError::bad_request(format!("Resource not found for the segment '{segment}'."))
    }

    /// 405 for a known path used with the wrong method.
    pub fn method_not_allowed() -> Self {
        GraphError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            "The requested HTTP method is not supported for this resource.",
        )
    }

    /// 401 `InvalidAuthenticationToken`, with the `WWW-Authenticate` challenge Graph sends.
    pub fn unauthorized(message: &str, authority: &str) -> Self {
        GraphError::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", message).with_header(
            axum::http::header::WWW_AUTHENTICATE,
            &format!(
                "Bearer realm=\"\", authorization_uri=\"{authority}/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\""
            ),
        )
    }

    /// 403 `ErrorAccessDenied`.
    pub fn access_denied() -> Self {
        GraphError::new(
            StatusCode::FORBIDDEN,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
        )
    }

    /// 410 Gone `syncStateNotFound`: a delta or skip token we never issued, or one that expired.
    pub fn sync_state_not_found() -> Self {
        GraphError::new(
            StatusCode::GONE,
            "syncStateNotFound",
            "The sync state is not found or has expired. Start a new round of synchronization without a token.",
        )
    }

    /// 429 with `Retry-After`.
    pub fn throttled(retry_after_secs: u64) -> Self {
        GraphError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "ApplicationThrottled",
            "Application is over its MailboxConcurrency limit.",
        )
        .with_header(axum::http::header::RETRY_AFTER, &retry_after_secs.to_string())
    }

    /// Graph's error body for this error.
    pub fn body(&self, request_id: &str, client_request_id: &str, now: DateTime<Utc>) -> Value {
        if let Some((code, message)) = self.inner.as_deref() {
            return json!({
                "error": {
                    "code": self.code,
                    "message": self.message,
                    "innerError": {
                        "code": code,
                        "message": message,
                        "date": now.format("%Y-%m-%dT%H:%M:%S").to_string(),
                        "request-id": request_id,
                        "client-request-id": client_request_id,
                    }
                }
            });
        }
        json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "innerError": {
                    "date": now.format("%Y-%m-%dT%H:%M:%S").to_string(),
                    "request-id": request_id,
                    "client-request-id": client_request_id,
                }
            }
        })
    }
}

/// The default Graph error code for a status, used by injected faults.
pub(crate) fn default_code_for_status(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "InvalidAuthenticationToken",
        403 => "ErrorAccessDenied",
        404 => "ErrorItemNotFound",
        409 => "ErrorIrresolvableConflict",
        429 => "TooManyRequests",
        500 => "generalException",
        502 => "BadGateway",
        503 => "serviceNotAvailable",
        504 => "gatewayTimeout",
        _ => "UnknownError",
    }
}

/// An identity-platform (login.microsoftonline.com) error.
#[derive(Debug, Clone)]
pub(crate) struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub aadsts: u32,
    pub description: String,
}

impl OAuthError {
    pub fn new(status: StatusCode, error: &'static str, aadsts: u32, description: impl Into<String>) -> Self {
        OAuthError { status, error, aadsts, description: description.into() }
    }

    /// The identity platform's JSON error body.
    pub fn body(&self, trace_id: &str, now: DateTime<Utc>) -> Value {
        let timestamp = now.format("%Y-%m-%d %H:%M:%SZ").to_string();
        json!({
            "error": self.error,
            "error_description": format!(
                "AADSTS{}: {}\r\nTrace ID: {trace_id}\r\nCorrelation ID: {trace_id}\r\nTimestamp: {timestamp}",
                self.aadsts, self.description
            ),
            "error_codes": [self.aadsts],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": trace_id,
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.aadsts),
        })
    }
}
