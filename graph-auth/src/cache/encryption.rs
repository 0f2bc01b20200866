//! Encryption at rest for the file cache: AES-256-GCM from `ring` (already
//! the TLS provider's crypto, so no new crypto crate).

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use msgraph_core::{Error, Result, Secret};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

/// The algorithm name written in the file.
pub(crate) const ALGORITHM: &str = "AES-256-GCM";
/// Binds the ciphertext to its purpose and format version.
const AAD: &[u8] = b"msgraph-rs token cache v1";

/// A 256-bit key that encrypts a [`FileTokenCache`](crate::FileTokenCache).
/// Never printed by `Debug`.
///
/// Keep it outside the cache's directory (an environment variable, a secret
/// store). Losing it only means signing in again.
///
/// ```
/// use msgraph_auth::EncryptionKey;
///
/// let key = EncryptionKey::generate()?;
/// let text = key.to_base64(); // store this (e.g. in MSGRAPH_CACHE_KEY)
/// let again = EncryptionKey::parse(text.expose())?;
/// # Ok::<(), msgraph_core::Error>(())
/// ```
#[derive(Clone)]
pub struct EncryptionKey(Arc<[u8; 32]>);

impl EncryptionKey {
    /// The environment variable [`from_env`](Self::from_env) reads.
    pub const ENV_VAR: &'static str = "MSGRAPH_CACHE_KEY";

    /// A key from 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        EncryptionKey(Arc::new(bytes))
    }

    /// A new random key.
    pub fn generate() -> Result<Self> {
        crate::random::bytes::<32>().map(Self::from_bytes)
    }

    /// Parses 32 bytes written as base64 (standard or URL-safe, padded or
    /// not; `openssl rand -base64 32`) or as 64 hex digits.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
            (0..32).map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()).collect::<Option<Vec<u8>>>()
        } else {
            [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().find_map(|e| e.decode(text).ok())
        };
        bytes.and_then(|b| <[u8; 32]>::try_from(b).ok()).map(Self::from_bytes).ok_or_else(|| {
            Error::invalid_input(
                "the token cache key must be 32 random bytes as base64 (e.g. `openssl rand -base64 32`) or as 64 \
                     hex digits",
            )
        })
    }

    /// Reads the key from [`MSGRAPH_CACHE_KEY`](Self::ENV_VAR).
    pub fn from_env() -> Result<Self> {
        match std::env::var(Self::ENV_VAR) {
            Ok(v) if !v.trim().is_empty() => Self::parse(&v),
            _ => Err(Error::invalid_input(format!(
                "{} is not set: put 32 random bytes there as base64 (e.g. `openssl rand -base64 32`)",
                Self::ENV_VAR
            ))),
        }
    }

    /// The key as base64, to store it.
    pub fn to_base64(&self) -> Secret {
        Secret::new(STANDARD.encode(*self.0))
    }

    /// Encrypts `plain` with AES-256-GCM under a fresh random nonce, as the
    /// file cache does, for stores that keep tokens elsewhere (a database).
    /// The answer is the nonce followed by the ciphertext and its tag; give
    /// it back to [`open`](Self::open).
    ///
    /// ```
    /// use msgraph_auth::EncryptionKey;
    ///
    /// let key = EncryptionKey::generate()?;
    /// let sealed = key.seal(b"refresh token")?;
    /// assert_eq!(key.open(&sealed).as_deref(), Some(&b"refresh token"[..]));
    /// # Ok::<(), msgraph_core::Error>(())
    /// ```
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>> {
        let (nonce, ciphertext) = seal(self, plain)?;
        let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        Ok(out)
    }

    /// Decrypts and authenticates what [`seal`](Self::seal) returned; `None`
    /// when the key is wrong, the data was altered or it is too short.
    pub fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        open(self, nonce, ciphertext.to_vec())
    }

    fn aead(&self) -> Option<LessSafeKey> {
        UnboundKey::new(&AES_256_GCM, &self.0[..]).ok().map(LessSafeKey::new)
    }
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncryptionKey(<redacted>)")
    }
}

/// Encrypts `plain` with a fresh random nonce; returns (nonce, ciphertext + tag).
pub(crate) fn seal(key: &EncryptionKey, plain: &[u8]) -> Result<([u8; NONCE_LEN], Vec<u8>)> {
    let nonce = crate::random::bytes::<NONCE_LEN>()?;
    let aead = key.aead().ok_or_else(|| Error::invalid_input("unusable token cache key"))?;
    let mut buf = plain.to_vec();
    aead.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(AAD), &mut buf)
        .map_err(|_| Error::io("encrypting the token cache", std::io::Error::other("AES-GCM seal failed")))?;
    Ok((nonce, buf))
}

/// Decrypts and authenticates; `None` when the key is wrong or the data was altered.
pub(crate) fn open(key: &EncryptionKey, nonce: &[u8], mut sealed: Vec<u8>) -> Option<Vec<u8>> {
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let plain_len = key.aead()?.open_in_place(nonce, Aad::from(AAD), &mut sealed).ok()?.len();
    sealed.truncate(plain_len);
    Some(sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper_detection() {
        let key = EncryptionKey::generate().unwrap();
        let (nonce, sealed) = seal(&key, b"refresh-token-123").unwrap();
        assert!(!sealed.windows(7).any(|w| w == b"refresh"));
        assert_eq!(open(&key, &nonce, sealed.clone()).unwrap(), b"refresh-token-123");
        let mut altered = sealed.clone();
        altered[0] ^= 1;
        assert!(open(&key, &nonce, altered).is_none());
        assert!(open(&EncryptionKey::generate().unwrap(), &nonce, sealed).is_none());
    }

    #[test]
    fn public_seal_and_open_round_trip() {
        let key = EncryptionKey::generate().unwrap();
        let sealed = key.seal(b"at-secret").unwrap();
        assert!(!sealed.windows(9).any(|w| w == b"at-secret"));
        assert_eq!(key.open(&sealed).unwrap(), b"at-secret");
        assert_ne!(key.seal(b"at-secret").unwrap(), sealed, "a fresh nonce each time");
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(key.open(&altered).is_none());
        assert!(EncryptionKey::generate().unwrap().open(&sealed).is_none());
        assert!(key.open(&sealed[..5]).is_none(), "too short is None, not a panic");
        assert!(key.open(&[]).is_none());
    }

    #[test]
    fn parses_base64_and_hex_and_refuses_the_rest() {
        let key = EncryptionKey::generate().unwrap();
        let b64 = key.to_base64();
        assert_eq!(EncryptionKey::parse(b64.expose()).unwrap().0, key.0);
        let hex: String = key.0.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(EncryptionKey::parse(&hex).unwrap().0, key.0);
        assert!(EncryptionKey::parse("too-short").is_err());
        assert!(!format!("{key:?}").contains(b64.expose()));
    }
}
