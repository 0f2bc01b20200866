//! [`Receiver`]: the webhook endpoint, as a plain function from a request
//! to a response, so it fits any web framework (an axum `Router` with the
//! `axum` feature).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tokio::sync::mpsc;

use crate::notification::{Batch, Notification};
use msgraph_core::reexports::http;

/// The largest body the receiver reads (Graph batches are far smaller).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What the receiver answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookResponse {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, when there is a body.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: String,
}

impl WebhookResponse {
    fn status(status: u16) -> Self {
        WebhookResponse { status, content_type: None, body: String::new() }
    }
}

/// The `clientState` of each subscription the app knows, by subscription
/// id; shared by the receiver and the watcher (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct ClientStates {
    inner: Arc<RwLock<HashMap<String, String>>>,
}

impl ClientStates {
    /// No subscriptions yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the `clientState` of a subscription.
    pub fn insert(&self, subscription_id: impl Into<String>, client_state: impl Into<String>) {
        if let Ok(mut map) = self.inner.write() {
            map.insert(subscription_id.into(), client_state.into());
        }
    }

    /// Forgets a subscription.
    pub fn remove(&self, subscription_id: &str) {
        if let Ok(mut map) = self.inner.write() {
            map.remove(subscription_id);
        }
    }

    /// True when `client_state` is the one recorded for `subscription_id`
    /// (compared in constant time).
    pub fn matches(&self, subscription_id: &str, client_state: &str) -> bool {
        let Ok(map) = self.inner.read() else { return false };
        match map.get(subscription_id) {
            Some(expected) => constant_time_eq(expected.as_bytes(), client_state.as_bytes()),
            None => false,
        }
    }
}

/// Compares without stopping at the first difference (the length is not secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The webhook endpoint for change and lifecycle notifications.
///
/// - `?validationToken=...` (Graph checking the URL when a subscription is
///   created): `200 text/plain` with the decoded token, at once.
/// - A batch of notifications: each one's `clientState` is checked against
///   the subscription's ([`ClientStates`]); a mismatch or an unknown
///   subscription is dropped and logged, never handed over. The valid ones
///   go to the app's channel and the answer is `202 Accepted` right away
///   (Graph wants an answer within 3 seconds). When the channel has no room
///   for the whole batch, the answer is `503` and nothing of the batch is
///   handed over: Graph sends it again later. Nothing is dropped silently.
/// - A body that is not a notification batch: `400`; a `Content-Type`
///   that is not JSON: `415`.
///
/// ```
/// use msgraph_core::reexports::http::HeaderMap;
/// use msgraph_notifications::{ClientStates, Receiver};
/// let states = ClientStates::new();
/// states.insert("sub-1", "secretClientValue");
/// let (receiver, mut notifications) = Receiver::new(states, 1000);
/// let r = receiver.handle("POST", Some("validationToken=Validation%3A%20Testing"), &HeaderMap::new(), b"");
/// assert_eq!((r.status, r.body.as_str()), (200, "Validation: Testing"));
/// let batch = br#"{"value":[{"subscriptionId":"sub-1","clientState":"secretClientValue","changeType":"created"}]}"#;
/// assert_eq!(receiver.handle("POST", None, &HeaderMap::new(), batch).status, 202);
/// assert!(notifications.try_recv().is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct Receiver {
    states: ClientStates,
    tx: mpsc::Sender<Notification>,
    #[cfg(feature = "resource-data")]
    tokens: Option<crate::resource_data::TokenValidator>,
}

impl Receiver {
    /// A receiver checking against `states`, with a channel of `capacity`
    /// notifications; the app reads them from the returned end.
    pub fn new(states: ClientStates, capacity: usize) -> (Receiver, mpsc::Receiver<Notification>) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let receiver = Receiver {
            states,
            tx,
            #[cfg(feature = "resource-data")]
            tokens: None,
        };
        (receiver, rx)
    }

    /// The subscriptions' client states this receiver checks against.
    pub fn client_states(&self) -> &ClientStates {
        &self.states
    }

    /// Answers one request: its method, its raw query string (without `?`),
    /// its headers and its body.
    ///
    /// The validation handshake (`?validationToken=`) is answered whatever
    /// the headers say. A notification batch must be a `POST` whose
    /// `Content-Type`, when there is one, is JSON (Graph sends
    /// `application/json; charset=utf-8`); anything else is answered `415`
    /// and not read.
    pub fn handle(&self, method: &str, query: Option<&str>, headers: &http::HeaderMap, body: &[u8]) -> WebhookResponse {
        if let Some(token) = query.and_then(validation_token) {
            return WebhookResponse { status: 200, content_type: Some("text/plain"), body: token };
        }
        if !method.eq_ignore_ascii_case("POST") {
            return WebhookResponse::status(405);
        }
        if !is_json_or_absent(headers) {
            tracing::warn!("a webhook request whose Content-Type is not JSON; answered 415");
            return WebhookResponse::status(415);
        }
        if body.len() > MAX_BODY_BYTES {
            tracing::warn!(bytes = body.len(), "notification body too large; refused");
            return WebhookResponse::status(413);
        }
        #[cfg_attr(not(feature = "resource-data"), allow(unused_mut))]
        let mut batch: Batch = match serde_json::from_slice(body) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "a webhook request that is not a notification batch; answered 400");
                return WebhookResponse::status(400);
            }
        };
        #[cfg(feature = "resource-data")]
        let tokens = std::mem::take(&mut batch.validation_tokens);
        let valid: Vec<Notification> = batch
            .value
            .into_iter()
            .filter(|n| {
                let ok = match (&n.subscription_id, &n.client_state) {
                    (Some(id), Some(state)) => self.states.matches(id, state),
                    _ => false,
                };
                if !ok {
                    tracing::warn!(subscription = ?n.subscription_id, "notification with a wrong clientState or unknown subscription dropped");
                }
                ok
            })
            .collect();
        if valid.is_empty() {
            return WebhookResponse::status(202);
        }
        #[cfg(feature = "resource-data")]
        if let Some(validator) = &self.tokens
            && (!tokens.is_empty() || valid.iter().any(|n| n.encrypted_content.is_some()))
        {
            return self.hand_over_validated(validator, tokens, valid);
        }
        match self.tx.try_reserve_many(valid.len()) {
            Ok(permits) => {
                for (permit, n) in permits.zip(valid) {
                    permit.send(n);
                }
                WebhookResponse::status(202)
            }
            Err(_) => {
                tracing::warn!("notification channel full; answered 503 so Graph sends the batch again");
                WebhookResponse::status(503)
            }
        }
    }

    /// Requires valid `validationTokens` for batches with resource data
    /// (rich notifications; feature `resource-data`). A batch that carries
    /// `encryptedContent` or tokens is handed over only when it has tokens,
    /// all of them valid ([`TokenValidator::validate_batch`](crate::resource_data::TokenValidator::validate_batch))
    /// and covering each notification's tenant; otherwise it is dropped and
    /// logged, and still answered `202` (Graph's advice: a forger learns
    /// nothing). Batches without resource data are checked as before
    /// (`clientState` only).
    ///
    /// Tokens are checked after the `202`: with the keys cached, at once;
    /// when the keys must be fetched (first use, an unknown `kid`), in a
    /// task on the current tokio runtime, which hands the batch over when
    /// the check passes. Room in the channel is reserved first either way
    /// (a full channel still answers `503`).
    ///
    /// ```
    /// use msgraph_notifications::resource_data::{Jwks, TokenValidator};
    /// use msgraph_notifications::{ClientStates, Receiver};
    /// # let published_keys = Jwks::default();
    /// let validator = TokenValidator::new("my-app-id", published_keys); // or TokenValidator::microsoft("my-app-id")?
    /// let (receiver, notifications) = Receiver::new(ClientStates::new(), 1000);
    /// let receiver = receiver.require_validation_tokens(validator);
    /// # Ok::<(), msgraph_core::Error>(())
    /// ```
    #[cfg(feature = "resource-data")]
    #[cfg_attr(docsrs, doc(cfg(feature = "resource-data")))]
    pub fn require_validation_tokens(mut self, validator: crate::resource_data::TokenValidator) -> Receiver {
        self.tokens = Some(validator);
        self
    }

    /// Checks a batch's tokens, then hands it over (or drops it); see
    /// [`require_validation_tokens`](Self::require_validation_tokens).
    #[cfg(feature = "resource-data")]
    fn hand_over_validated(
        &self,
        validator: &crate::resource_data::TokenValidator,
        tokens: Vec<String>,
        valid: Vec<Notification>,
    ) -> WebhookResponse {
        use crate::resource_data::TokenError;

        if tokens.is_empty() {
            tracing::warn!(error = %TokenError::Missing, "batch with resource data dropped");
            return WebhookResponse::status(202);
        }
        // room for the whole batch first, as for plain batches
        let mut permits = Vec::with_capacity(valid.len());
        for _ in 0..valid.len() {
            match self.tx.clone().try_reserve_owned() {
                Ok(p) => permits.push(p),
                Err(_) => {
                    tracing::warn!("notification channel full; answered 503 so Graph sends the batch again");
                    return WebhookResponse::status(503);
                }
            }
        }
        let send = |permits: Vec<mpsc::OwnedPermit<Notification>>, valid: Vec<Notification>| {
            for (permit, n) in permits.into_iter().zip(valid) {
                permit.send(n);
            }
        };
        let cached = if validator.keys_fresh() { Some(validator.validate_batch_cached(&tokens, &valid)) } else { None };
        match cached {
            Some(Ok(_)) => send(permits, valid),
            Some(Err(e)) if !matches!(e, TokenError::UnknownKey(_)) => {
                tracing::warn!(error = %e, notifications = valid.len(), "batch with an invalid validation token dropped");
            }
            // the keys must be fetched first: after the 202
            _ => match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    let validator = validator.clone();
                    runtime.spawn(async move {
                        match validator.validate_batch(&tokens, &valid).await {
                            Ok(_) => send(permits, valid),
                            Err(e) => tracing::warn!(error = %e, notifications = valid.len(), "batch with an invalid validation token dropped"),
                        }
                    });
                }
                Err(_) => tracing::error!(
                    notifications = valid.len(),
                    "batch with resource data dropped: its signing keys are not cached and there is no tokio runtime to fetch them (call TokenValidator::refresh first)"
                ),
            },
        }
        WebhookResponse::status(202)
    }

    /// The receiver as an axum `Router` at `path` (POST for notifications,
    /// POST or GET with `validationToken` for the handshake).
    #[cfg(feature = "axum")]
    #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
    pub fn router(self, path: &str) -> axum::Router {
        use axum::body::Bytes;
        use axum::extract::{RawQuery, State};
        use axum::http::{Method, StatusCode, header};
        use axum::response::IntoResponse;

        async fn handler(
            State(receiver): State<Receiver>,
            method: Method,
            RawQuery(query): RawQuery,
            headers: axum::http::HeaderMap,
            body: Bytes,
        ) -> axum::response::Response {
            let r = receiver.handle(method.as_str(), query.as_deref(), &headers, &body);
            let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            match r.content_type {
                Some(ct) => (status, [(header::CONTENT_TYPE, ct)], r.body).into_response(),
                None => status.into_response(),
            }
        }

        axum::Router::new()
            .route(path, axum::routing::post(handler).get(handler))
            .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
            .with_state(self)
    }
}

/// True when a request has no `Content-Type`, or a JSON one
/// (`application/json`, with parameters or a `+json` suffix).
fn is_json_or_absent(headers: &http::HeaderMap) -> bool {
    let Some(value) = headers.get(http::header::CONTENT_TYPE) else { return true };
    let Ok(value) = value.to_str() else { return false };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.get(essence.len().saturating_sub(5)..).is_some_and(|tail| tail.eq_ignore_ascii_case("+json"))
}

/// The decoded `validationToken` of a query string, if there is one.
fn validation_token(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "validationToken").map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
