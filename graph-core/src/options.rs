//! Per-request options every operation shares, and the client-wide defaults
//! they override.
//!
//! Every builder the SDK hands out ([`Action`](crate::Action),
//! [`ListBuilder`](crate::ListBuilder), [`GetBuilder`](crate::GetBuilder),
//! [`DeltaSync`](crate::delta::DeltaSync) and the service crates' builders with
//! their own parameters) holds one [`RequestOptions`] and implements
//! [`WithOptions`], so the setters below exist once and read the same on
//! every operation:
//!
//! ```no_run
//! use msgraph_core::{GraphClient, WithOptions};
//! # async fn run(client: GraphClient) -> msgraph_core::Result<()> {
//! let me = client.me().get()
//!     .timezone("Europe/Paris")
//!     .client_request_id("3f1c0a52-5d7e-4a5e-9a43-0d5c3b8f2b11")
//!     .header("x-my-trace", "42")
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Client-wide defaults are set on the builder
//! ([`GraphClientBuilder::immutable_ids`](crate::GraphClientBuilder::immutable_ids),
//! [`timezone`](crate::GraphClientBuilder::timezone),
//! [`body_content_type`](crate::GraphClientBuilder::body_content_type)); a
//! request that sets the same preference wins (`.immutable_ids(false)` turns
//! a client-wide `true` off for one request).

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::models::BodyType;
use crate::odata::Preferences;
use crate::{Error, GraphClient, Request, Result};

/// The options of one request: extra headers and `Prefer` preferences.
/// Invalid input (a header name or value that HTTP does not allow) is kept
/// and reported as [`Error::InvalidInput`] when the request is built, before
/// anything is sent.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    headers: HeaderMap,
    prefs: Preferences,
    idempotent: Option<bool>,
    error: Option<String>,
}

impl RequestOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    /// The `Prefer` preferences set on this request (client defaults not merged).
    pub fn preferences(&self) -> &Preferences {
        &self.prefs
    }

    /// Mutable access to the preferences, for builders that add their own
    /// (e.g. `odata.maxpagesize`).
    pub fn preferences_mut(&mut self) -> &mut Preferences {
        &mut self.prefs
    }

    /// Sets a header, or remembers why it cannot be sent.
    pub fn set_header(&mut self, name: &str, value: &str) {
        let name_ok = HeaderName::from_bytes(name.as_bytes());
        let value_ok = HeaderValue::from_str(value);
        match (name_ok, value_ok) {
            (Ok(n), Ok(v)) => {
                self.headers.insert(n, v);
            }
            (Err(_), _) => self.fail(format!("invalid header name {name:?}")),
            (Ok(_), Err(_)) => self.fail(format!("invalid value for header {name} (control characters or non-ASCII)")),
        }
    }

    /// Marks the request as invalid: it fails with [`Error::InvalidInput`]
    /// and this message, before anything is sent. The first message wins.
    pub fn fail(&mut self, message: impl Into<String>) {
        self.error.get_or_insert(message.into());
    }

    /// The input error remembered so far, if any.
    pub fn check(&self) -> Result<()> {
        match &self.error {
            Some(e) => Err(Error::InvalidInput(e.clone())),
            None => Ok(()),
        }
    }

    /// The headers to send: the caller's headers and the `Prefer` header
    /// made of this request's preferences over `client`'s defaults.
    pub fn headers_for(&self, client: &GraphClient) -> Result<HeaderMap> {
        self.check()?;
        let mut h = self.headers.clone();
        self.prefs.merged_over(client.default_preferences()).apply_to(&mut h);
        Ok(h)
    }

    /// `request` with these options: the headers of
    /// [`headers_for`](Self::headers_for) and the idempotency, if set. The
    /// one place options meet a request; builders that send requests of
    /// their own use it rather than `headers_for` alone.
    pub fn apply(&self, client: &GraphClient, request: Request) -> Result<Request> {
        let request = request.headers(&self.headers_for(client)?);
        Ok(match self.idempotent {
            Some(yes) => request.idempotent(yes),
            None => request,
        })
    }
}

/// The per-request options, as setters on every builder. The facade's
/// prelude imports this trait.
///
/// Implementors only say where their [`RequestOptions`] are; every setter is
/// provided here, so a new option reaches every operation at once.
pub trait WithOptions: Sized {
    /// The options of this builder.
    fn request_options(&mut self) -> &mut RequestOptions;

    /// Adds a request header. An invalid name or value fails the request
    /// with [`Error::InvalidInput`] before anything is sent.
    fn header(mut self, name: &str, value: &str) -> Self {
        self.request_options().set_header(name, value);
        self
    }

    /// `Prefer: outlook.timezone="..."`: date-times in the answer in this
    /// zone (IANA, e.g. `America/New_York`, or Windows, e.g. `Pacific Standard Time`).
    fn timezone(mut self, zone: impl Into<String>) -> Self {
        self.request_options().prefs.timezone = Some(zone.into());
        self
    }

    /// `Prefer: IdType="ImmutableId"` on (`true`) or off (`false`, overriding a
    /// client-wide default): Outlook ids that stay the same when an item
    /// moves between folders.
    fn immutable_ids(mut self, on: bool) -> Self {
        self.request_options().prefs.immutable_ids = Some(on);
        self
    }

    /// `Prefer: outlook.body-content-type="text|html"`: message and event
    /// bodies in this form.
    fn body_content_type(mut self, body_type: BodyType) -> Self {
        self.request_options().prefs.body_content_type = Some(body_type);
        self
    }

    /// The `client-request-id` header (a GUID Microsoft support can trace);
    /// the SDK sends a fresh one when this is not set.
    fn client_request_id(self, id: impl AsRef<str>) -> Self {
        self.header("client-request-id", id.as_ref())
    }

    /// Whether the request may be sent again after an ambiguous failure (a
    /// 504, a connection reset after it was written): see
    /// [`Request::idempotent`]. POST operations (send, reply, forward,
    /// create) are not retried then unless marked `idempotent(true)`; GET,
    /// PUT, PATCH and DELETE are, unless marked `idempotent(false)`.
    fn idempotent(mut self, yes: bool) -> Self {
        self.request_options().idempotent = Some(yes);
        self
    }

    /// Any other `Prefer` preference, written as given.
    fn prefer(mut self, preference: impl Into<String>) -> Self {
        let p = preference.into();
        if HeaderValue::from_str(&p).is_err() {
            self.request_options().fail(format!("invalid Prefer preference {p:?}"));
        } else {
            self.request_options().prefs.extra.push(p);
        }
        self
    }
}

impl WithOptions for RequestOptions {
    fn request_options(&mut self) -> &mut RequestOptions {
        self
    }
}
