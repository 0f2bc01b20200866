//! The token cache: the [`TokenCache`] trait, its key and entry, and the
//! two caches that ship ([`MemoryTokenCache`], [`FileTokenCache`]).

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msgraph_core::{Cloud, Result, Secret};
use serde::{Deserialize, Serialize};

#[cfg(feature = "encryption")]
mod encryption;
mod entries;
mod file;
mod lock;
mod memory;

#[cfg(feature = "encryption")]
pub use encryption::EncryptionKey;
pub use file::FileTokenCache;
pub use memory::MemoryTokenCache;

pub(crate) use entries::StoredEntry;

/// Where tokens are kept between calls and between runs.
///
/// One entry per [`TokenCacheKey`]: cloud, tenant, client id, account and
/// scope set. The credentials read it before asking the identity platform
/// and write every token they get. Implement it to keep tokens in your own
/// store (a keychain, a database); [`MemoryTokenCache`] and
/// [`FileTokenCache`] ship with the crate.
///
/// A cache that cannot read its store should answer `Ok(None)` (the user
/// signs in again) rather than an error; errors from [`set`](Self::set) and
/// [`remove`](Self::remove) are logged by the credentials as warnings and do
/// not fail the sign-in.
///
/// ```
/// use std::sync::Arc;
/// use msgraph_auth::{MemoryTokenCache, TokenCache};
///
/// // Share one cache between credentials: `Arc<T>` is a cache too.
/// let cache = Arc::new(MemoryTokenCache::new());
/// let _for_a_credential: Arc<dyn TokenCache> = cache.clone();
/// ```
#[async_trait]
pub trait TokenCache: Send + Sync + fmt::Debug {
    /// The entry stored under exactly `key`, if any.
    async fn get(&self, key: &TokenCacheKey) -> Result<Option<CachedToken>>;

    /// Stores `token` under `key`, replacing any entry there.
    async fn set(&self, key: &TokenCacheKey, token: &CachedToken) -> Result<()>;

    /// Drops the entry under `key` (a revoked refresh token, a sign-out).
    async fn remove(&self, key: &TokenCacheKey) -> Result<()>;

    /// The accounts that have an entry matching `key` in everything but the
    /// account, most recently stored first. A delegated credential that was
    /// not told which account to use picks the first.
    async fn accounts(&self, key: &TokenCacheKey) -> Result<Vec<String>>;
}

#[async_trait]
impl<T: TokenCache + ?Sized> TokenCache for Arc<T> {
    async fn get(&self, key: &TokenCacheKey) -> Result<Option<CachedToken>> {
        (**self).get(key).await
    }
    async fn set(&self, key: &TokenCacheKey, token: &CachedToken) -> Result<()> {
        (**self).set(key, token).await
    }
    async fn remove(&self, key: &TokenCacheKey) -> Result<()> {
        (**self).remove(key).await
    }
    async fn accounts(&self, key: &TokenCacheKey) -> Result<Vec<String>> {
        (**self).accounts(key).await
    }
}

/// What a cache entry is for: cloud, tenant, client id, account and the set
/// of scopes the token was asked with.
///
/// Scopes are kept lower-cased, sorted and without the OpenID Connect scopes
/// (`openid`, `profile`, `offline_access`, `email`), so the same permissions
/// asked in another order hit the same entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenCacheKey {
    /// The cloud the token is for.
    #[serde(with = "cloud_name")]
    pub cloud: Cloud,
    /// The tenant as configured (`common`, a GUID, a domain), lower-cased.
    pub tenant: String,
    /// The app's client id.
    pub client_id: String,
    /// The signed-in account (`preferred_username` of the id token);
    /// `None` for app-only tokens.
    pub account: Option<String>,
    /// The normalized scope set.
    pub scopes: Vec<String>,
}

impl TokenCacheKey {
    /// A key; `scopes` are normalized (see the type docs).
    pub fn new(
        cloud: Cloud,
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        account: Option<String>,
        scopes: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Self {
        let mut scopes: Vec<String> = scopes
            .into_iter()
            .map(|s| s.as_ref().trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty() && !matches!(s.as_str(), "openid" | "profile" | "offline_access" | "email"))
            .collect();
        scopes.sort();
        scopes.dedup();
        TokenCacheKey {
            cloud,
            tenant: tenant.into().to_ascii_lowercase(),
            client_id: client_id.into(),
            account: account.filter(|a| !a.is_empty()),
            scopes,
        }
    }

    /// The same key for another account.
    pub fn with_account(&self, account: Option<String>) -> Self {
        TokenCacheKey { account: account.filter(|a| !a.is_empty()), ..self.clone() }
    }

    /// True when both keys match in everything but the account.
    pub fn same_app_and_scopes(&self, other: &TokenCacheKey) -> bool {
        self.cloud == other.cloud
            && self.tenant == other.tenant
            && self.client_id == other.client_id
            && self.scopes == other.scopes
    }
}

/// A cached token: the access token, its expiry, and the refresh token of a
/// delegated sign-in. Secrets are redacted in `Debug`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CachedToken {
    /// The bearer token.
    #[serde(with = "secret_string")]
    pub access_token: Secret,
    /// When the access token expires.
    pub expires_on: DateTime<Utc>,
    /// The refresh token (delegated sign-in only).
    #[serde(default, with = "opt_secret_string", skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// When the access token was issued, if known: with `expires_on` it gives
    /// the token's lifetime, and a short-lived token is renewed halfway
    /// through it rather than [`REFRESH_MARGIN`](crate::REFRESH_MARGIN)
    /// before it expires (see [`needs_refresh`](Self::needs_refresh)). The
    /// credentials set it on every token they get; entries written before it
    /// existed read as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<DateTime<Utc>>,
}

impl CachedToken {
    /// A cache entry (issue time unknown; set [`issued_on`](Self::issued_on)
    /// when you know it).
    pub fn new(access_token: impl Into<Secret>, expires_on: DateTime<Utc>, refresh_token: Option<Secret>) -> Self {
        CachedToken { access_token: access_token.into(), expires_on, refresh_token, issued_on: None }
    }
}

mod cloud_name {
    use msgraph_core::Cloud;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(super) fn serialize<S: Serializer>(cloud: &Cloud, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&cloud.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Cloud, D::Error> {
        let name = String::deserialize(d)?;
        [Cloud::Global, Cloud::UsGov, Cloud::UsGovDod, Cloud::China]
            .into_iter()
            .find(|c| c.to_string() == name)
            .ok_or_else(|| D::Error::custom(format!("unknown cloud {name:?}")))
    }
}

mod secret_string {
    use msgraph_core::Secret;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(secret.expose())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

mod opt_secret_string {
    use msgraph_core::Secret;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(secret: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match secret {
            Some(v) => s.serialize_some(v.expose()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        // an empty refresh token is no refresh token (sending it would fail forever)
        Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()).map(Secret::new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalize_scopes() {
        let a = TokenCacheKey::new(Cloud::Global, "Common", "app", None, ["Mail.Read", "offline_access", "User.Read"]);
        let b = TokenCacheKey::new(Cloud::Global, "common", "app", None, ["user.read", "MAIL.READ", "Mail.Read"]);
        assert_eq!(a, b);
        assert_eq!(a.scopes, ["mail.read", "user.read"]);
        let c = a.with_account(Some("ada@contoso.com".into()));
        assert!(c.same_app_and_scopes(&a));
        assert_ne!(c, a);
    }

    #[test]
    fn entries_round_trip_and_debug_redacts() {
        let t = CachedToken::new("at-secret", Utc::now(), Some(Secret::new("rt-secret")));
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains("at-secret") && json.contains("rt-secret"));
        assert_eq!(serde_json::from_str::<CachedToken>(&json).unwrap(), t);
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("at-secret") && !dbg.contains("rt-secret"), "{dbg}");
        let key = TokenCacheKey::new(Cloud::UsGovDod, "t", "c", None, ["x"]);
        let json = serde_json::to_string(&key).unwrap();
        assert!(json.contains(r#""cloud":"usgovdod""#), "{json}");
        assert_eq!(serde_json::from_str::<TokenCacheKey>(&json).unwrap(), key);
    }

    #[test]
    fn a_corrupt_entry_neither_panics_nor_keeps_an_empty_refresh_token() {
        // an extreme date, as a hand-edited or corrupt cache file may hold
        let json = r#"{"access_token":"at","expires_on":"-262143-01-01T00:00:00Z","refresh_token":""}"#;
        let t: CachedToken = serde_json::from_str(json).unwrap();
        assert!(t.refresh_token.is_none(), "an empty refresh token is no refresh token");
        assert!(t.expires_within(chrono::Duration::minutes(5)), "expired, and no panic");
        let far = CachedToken::new("at", DateTime::<Utc>::MAX_UTC, None);
        assert!(!far.expires_within(chrono::Duration::minutes(5)));
    }
}
