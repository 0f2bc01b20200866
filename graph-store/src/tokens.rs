//! How both stores write token cache entries: the key as canonical JSON, the
//! token as JSON, sealed with the [`EncryptionKey`](msgraph_auth::EncryptionKey)
//! when one is configured.

use msgraph_auth::{CachedToken, TokenCacheKey};
use msgraph_core::{Error, Result};

/// One row of a token cache table.
pub(crate) struct TokenRow {
    /// The key, as JSON.
    pub(crate) cache_key: String,
    /// The key without its account, as JSON (for `accounts`).
    pub(crate) app_key: String,
    /// The account, if any.
    pub(crate) account: Option<String>,
    /// The token, as JSON, sealed when `encrypted`.
    pub(crate) token: Vec<u8>,
    /// Whether `token` is sealed.
    pub(crate) encrypted: bool,
}

/// Encodes and decodes entries, with or without encryption.
#[derive(Clone, Default)]
pub(crate) struct Sealer {
    #[cfg(feature = "encryption")]
    pub(crate) key: Option<msgraph_auth::EncryptionKey>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer").field("encrypted", &self.encrypts()).finish()
    }
}

/// The JSON of a key (canonical: the key's fields in declaration order,
/// scopes normalized by [`TokenCacheKey::new`]).
pub(crate) fn key_text(key: &TokenCacheKey) -> Result<String> {
    serde_json::to_string(key).map_err(|e| Error::invalid_input(format!("token cache key: {e}")))
}

/// The JSON of the key without its account.
pub(crate) fn app_key_text(key: &TokenCacheKey) -> Result<String> {
    key_text(&key.with_account(None))
}

impl Sealer {
    /// True when tokens are encrypted.
    pub(crate) fn encrypts(&self) -> bool {
        #[cfg(feature = "encryption")]
        {
            self.key.is_some()
        }
        #[cfg(not(feature = "encryption"))]
        {
            false
        }
    }

    /// The row for `token` under `key`.
    pub(crate) fn row(&self, key: &TokenCacheKey, token: &CachedToken) -> Result<TokenRow> {
        let plain = serde_json::to_vec(token).map_err(|e| Error::invalid_input(format!("token cache entry: {e}")))?;
        #[cfg(feature = "encryption")]
        let (token, encrypted) = match &self.key {
            Some(k) => (k.seal(&plain)?, true),
            None => (plain, false),
        };
        #[cfg(not(feature = "encryption"))]
        let (token, encrypted) = (plain, false);
        Ok(TokenRow {
            cache_key: key_text(key)?,
            app_key: app_key_text(key)?,
            account: key.account.clone(),
            token,
            encrypted,
        })
    }

    /// The token in a row; `None` (with a warning) when it cannot be read:
    /// encrypted without the key or with another key, or the other way
    /// round, or damaged. The credential then signs in again.
    pub(crate) fn token(&self, bytes: Vec<u8>, encrypted: bool) -> Option<CachedToken> {
        let plain = match (self.encrypts(), encrypted) {
            (false, false) => bytes,
            (true, true) => {
                #[cfg(feature = "encryption")]
                let opened = self.key.as_ref().and_then(|k| k.open(&bytes));
                #[cfg(not(feature = "encryption"))]
                let opened: Option<Vec<u8>> = None;
                match opened {
                    Some(p) => p,
                    None => {
                        tracing::warn!("a token cache entry does not decrypt with this key; ignoring it");
                        return None;
                    }
                }
            }
            (true, false) => {
                tracing::warn!("a token cache entry is not encrypted but an encryption key is configured; ignoring it");
                return None;
            }
            (false, true) => {
                tracing::warn!("a token cache entry is encrypted but no encryption key is configured; ignoring it");
                return None;
            }
        };
        match serde_json::from_slice(&plain) {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::warn!(error = %e, "a token cache entry is not valid; ignoring it");
                None
            }
        }
    }
}
