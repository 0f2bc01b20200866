//! How the client gets access tokens: the [`TokenCredential`] trait, which
//! `msgraph-auth` implements for every sign-in flow, and
//! [`StaticTokenCredential`] for tests and apps that manage tokens themselves.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// A string that never shows in `Debug`, `Display` or logs: tokens, client
/// secrets, cache keys. Read it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// The secret itself. Call only where it is sent or stored.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}

/// An access token and when it expires.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AccessToken {
    /// The bearer token (redacted in `Debug`).
    pub token: Secret,
    /// Expiry instant; `None` when unknown (treated as never expiring).
    pub expires_on: Option<DateTime<Utc>>,
}

impl AccessToken {
    /// A token with an optional expiry.
    pub fn new(token: impl Into<Secret>, expires_on: Option<DateTime<Utc>>) -> Self {
        AccessToken { token: token.into(), expires_on }
    }

    /// True when the token expires within `margin` of now.
    pub fn expires_within(&self, margin: chrono::Duration) -> bool {
        match self.expires_on {
            // `signed_duration_since` cannot overflow, unlike `exp - margin`
            // with an extreme date from a corrupt cache.
            Some(exp) => exp.signed_duration_since(Utc::now()) <= margin,
            None => false,
        }
    }
}

/// What the pipeline asks of a credential.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct TokenRequest {
    /// Skip any cached token: Graph just rejected the last one (401).
    pub force_refresh: bool,
    /// A claims challenge from `WWW-Authenticate: Bearer ... claims="..."`
    /// (base64-decoded JSON), to be passed to the token endpoint.
    pub claims: Option<String>,
}

impl TokenRequest {
    /// A plain request: a cached token is fine.
    pub fn new() -> Self {
        TokenRequest::default()
    }

    /// A request that must not return the cached token.
    pub fn force_refresh() -> Self {
        TokenRequest { force_refresh: true, claims: None }
    }

    /// A request for a token satisfying a claims challenge (implies a refresh).
    pub fn with_claims(claims: impl Into<String>) -> Self {
        TokenRequest { force_refresh: true, claims: Some(claims.into()) }
    }
}

/// A source of access tokens for Microsoft Graph.
///
/// Implementations cache and refresh on their own; the pipeline calls
/// [`get_token`](TokenCredential::get_token) before every request (so make the
/// cached path cheap), and again with `force_refresh` once after a 401.
///
/// ```
/// use msgraph_core::{AccessToken, Result, TokenCredential, TokenRequest};
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// #[async_trait::async_trait]
/// impl TokenCredential for FromVault {
///     async fn get_token(&self, _req: &TokenRequest) -> Result<AccessToken> {
///         Ok(AccessToken::new("token-from-my-vault", None))
///     }
/// }
/// ```
#[async_trait]
pub trait TokenCredential: Send + Sync + fmt::Debug {
    /// Returns a valid access token for Graph.
    async fn get_token(&self, request: &TokenRequest) -> Result<AccessToken>;
}

#[async_trait]
impl<T: TokenCredential + ?Sized> TokenCredential for Arc<T> {
    async fn get_token(&self, request: &TokenRequest) -> Result<AccessToken> {
        (**self).get_token(request).await
    }
}

/// A fixed token: for tests, the emulator, and apps that obtain tokens on
/// their own. It cannot refresh; a 401 is returned to the caller.
///
/// ```
/// use msgraph_core::{GraphClient, StaticTokenCredential};
/// let client = GraphClient::builder()
///     .credential(StaticTokenCredential::new("eyJ0eXAi..."))
///     .build()?;
/// # Ok::<(), msgraph_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct StaticTokenCredential {
    token: AccessToken,
}

impl StaticTokenCredential {
    /// A credential that always returns `token`.
    pub fn new(token: impl Into<Secret>) -> Self {
        StaticTokenCredential { token: AccessToken::new(token, None) }
    }
}

#[async_trait]
impl TokenCredential for StaticTokenCredential {
    async fn get_token(&self, _request: &TokenRequest) -> Result<AccessToken> {
        Ok(self.token.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("super-secret");
        assert!(!format!("{s:?}").contains("super"));
        assert!(!format!("{s}").contains("super"));
        let t = AccessToken::new("tok-123", None);
        assert!(!format!("{t:?}").contains("tok-123"));
        let c = StaticTokenCredential::new("tok-456");
        assert!(!format!("{c:?}").contains("tok-456"));
    }

    #[test]
    fn expiry_margin() {
        let soon = AccessToken::new("t", Some(Utc::now() + chrono::Duration::minutes(2)));
        assert!(soon.expires_within(chrono::Duration::minutes(5)));
        assert!(!soon.expires_within(chrono::Duration::seconds(10)));
        assert!(!AccessToken::new("t", None).expires_within(chrono::Duration::days(1)));
        // extreme dates (a corrupt cache) do not panic
        assert!(AccessToken::new("t", Some(DateTime::<Utc>::MIN_UTC)).expires_within(chrono::Duration::minutes(5)));
        assert!(!AccessToken::new("t", Some(DateTime::<Utc>::MAX_UTC)).expires_within(chrono::Duration::minutes(5)));
    }
}
