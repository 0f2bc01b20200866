//! Decrypting `encryptedContent`: RSA-OAEP for the data key, an HMAC-SHA256
//! check of `data`, then AES-CBC.

use std::collections::HashMap;

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::notification::Notification;

/// The size of the symmetric key Graph sends (AES-256; its first 16 bytes are the IV).
const DATA_KEY_BYTES: usize = 32;
/// Graph takes encryption certificates of 2,048 to 4,096 bits.
const MIN_KEY_BITS: usize = 2048;
const MAX_KEY_BITS: usize = 4096;

/// A notification's `encryptedContent`
/// ([encryptedContent](https://learn.microsoft.com/graph/api/resources/changenotificationencryptedcontent)).
/// `Debug` shows the certificate, not the payload.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EncryptedContent {
    /// The resource, AES-CBC encrypted, base64.
    pub data: String,
    /// HMAC-SHA256 of the decoded `data` with the data key, base64.
    pub data_signature: String,
    /// The data key, RSA-OAEP encrypted with the subscription's certificate, base64.
    pub data_key: String,
    /// The app's own id for the certificate (given when subscribing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_certificate_id: Option<String>,
    /// The certificate's thumbprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_certificate_thumbprint: Option<String>,
}

impl std::fmt::Debug for EncryptedContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncryptedContent")
            .field("data_len", &self.data.len())
            .field("encryption_certificate_id", &self.encryption_certificate_id)
            .field("encryption_certificate_thumbprint", &self.encryption_certificate_thumbprint)
            .finish_non_exhaustive()
    }
}

impl EncryptedContent {
    /// The `encryptedContent` of a notification: `Ok(None)` when it has none,
    /// an error when it is not in Graph's shape.
    pub fn from_notification(notification: &Notification) -> Result<Option<EncryptedContent>, DecryptError> {
        match &notification.encrypted_content {
            None => Ok(None),
            Some(map) => serde_json::from_value(serde_json::Value::Object(map.clone()))
                .map(Some)
                .map_err(|e| DecryptError::Malformed(e.to_string())),
        }
    }
}

/// Why a private key was not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Neither a PKCS#8 (`BEGIN PRIVATE KEY`) nor a PKCS#1 (`BEGIN RSA PRIVATE KEY`) RSA key.
    #[error("not an RSA private key in PKCS#8 or PKCS#1 PEM/DER")]
    Unreadable,
    /// Graph takes certificates of 2,048 to 4,096 bits.
    #[error("an RSA key of {0} bits; Graph takes 2048 to 4096")]
    Size(usize),
}

/// The private key of an encryption certificate given to Graph when
/// subscribing with `includeResourceData`. `Debug` shows only its size.
#[derive(Clone)]
pub struct DecryptionKey {
    key: rsa::PrivateKey,
}

impl std::fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecryptionKey").field("bits", &self.bits()).finish_non_exhaustive()
    }
}

impl DecryptionKey {
    /// From PEM: PKCS#8 (`-----BEGIN PRIVATE KEY-----`) or PKCS#1
    /// (`-----BEGIN RSA PRIVATE KEY-----`); unencrypted.
    pub fn from_pem(pem: &str) -> Result<DecryptionKey, KeyError> {
        let key = rsa::PrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| rsa::PrivateKey::from_pkcs1_pem(pem))
            .map_err(|_| KeyError::Unreadable)?;
        Self::checked(key)
    }

    /// From DER: PKCS#8 or PKCS#1; unencrypted.
    pub fn from_der(der: &[u8]) -> Result<DecryptionKey, KeyError> {
        let key = rsa::PrivateKey::from_pkcs8_der(der)
            .or_else(|_| rsa::PrivateKey::from_pkcs1_der(der))
            .map_err(|_| KeyError::Unreadable)?;
        Self::checked(key)
    }

    fn checked(key: rsa::PrivateKey) -> Result<DecryptionKey, KeyError> {
        let bits = key.size() * 8;
        if !(MIN_KEY_BITS..=MAX_KEY_BITS).contains(&bits) {
            return Err(KeyError::Size(bits));
        }
        Ok(DecryptionKey { key })
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.key.size() * 8
    }
}

/// Why `encryptedContent` was not decrypted. A tampered payload is one of
/// [`DataKey`](Self::DataKey), [`Signature`](Self::Signature) (checked
/// before `data` is touched) or [`Base64`](Self::Base64); no data is
/// returned with any of them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// The notification carries no `encryptedContent`.
    #[error("the notification has no encryptedContent")]
    NotEncrypted,
    /// `encryptedContent` is not in Graph's shape.
    #[error("encryptedContent is not in Graph's shape: {0}")]
    Malformed(String),
    /// A part is not valid base64.
    #[error("encryptedContent.{field} is not valid base64")]
    Base64 {
        /// `data`, `dataSignature` or `dataKey`.
        field: &'static str,
    },
    /// No private key for the notification's `encryptionCertificateId`.
    #[error("no private key for encryption certificate {0:?}")]
    UnknownCertificate(Option<String>),
    /// `dataKey` does not decrypt with the private key (RSA-OAEP): a
    /// tampered key, or the wrong certificate.
    #[error("dataKey does not decrypt with the private key (tampered, or another certificate)")]
    DataKey,
    /// The decrypted data key is not 32 bytes.
    #[error("the decrypted data key has {0} bytes, not 32")]
    KeyLength(usize),
    /// `dataSignature` is not the HMAC-SHA256 of `data`: the payload was
    /// tampered with, and `data` was not decrypted.
    #[error("dataSignature does not match data: tampered payload, not decrypted")]
    Signature,
    /// `data` has a bad length or padding (after its signature matched).
    #[error("data does not decrypt (length or padding)")]
    Cipher,
    /// The decrypted resource is not the JSON of the expected type.
    #[error("the decrypted resource is not the expected JSON: {0}")]
    Json(#[source] serde_json::Error),
}

/// Decrypts the `encryptedContent` of rich notifications with the app's
/// private keys, chosen by `encryptionCertificateId` (keep the old key
/// next to the new one while certificates rotate).
///
/// Order of work, as Graph prescribes: RSA-OAEP (SHA-1, as Graph's
/// samples) on `dataKey`; HMAC-SHA256 of the decoded `data` with that key,
/// compared with `dataSignature` in constant time **before** `data` is
/// decrypted; AES-256-CBC with the key's first 16 bytes as IV and PKCS#7
/// padding; the JSON of the resource.
///
/// `Decryptor::default()` has no key; add them with
/// [`with_certificate`](Self::with_certificate).
///
/// ```
/// use msgraph_notifications::resource_data::{DecryptError, DecryptionKey, Decryptor};
/// # fn run(pem: &str, notification: &msgraph_notifications::Notification) -> Result<(), Box<dyn std::error::Error>> {
/// let decryptor = Decryptor::new(DecryptionKey::from_pem(pem)?);
/// #[derive(serde::Deserialize)]
/// struct Message { subject: Option<String> }
/// match decryptor.decrypt_notification::<Message>(notification) {
///     Ok(message) => println!("{:?}", message.subject),
///     Err(DecryptError::NotEncrypted) => { /* a notification without resource data */ }
///     Err(e) => eprintln!("dropped: {e}"), // tampered or not for us: never processed
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Decryptor {
    default: Option<DecryptionKey>,
    by_certificate: HashMap<String, DecryptionKey>,
}

impl Decryptor {
    /// Decrypts with `key` whatever the notification's certificate id
    /// (unless [`with_certificate`](Self::with_certificate) names another key for it).
    pub fn new(key: DecryptionKey) -> Decryptor {
        Decryptor { default: Some(key), by_certificate: HashMap::new() }
    }

    /// Uses `key` for notifications whose `encryptionCertificateId` is `certificate_id`.
    pub fn with_certificate(mut self, certificate_id: impl Into<String>, key: DecryptionKey) -> Decryptor {
        self.by_certificate.insert(certificate_id.into(), key);
        self
    }

    fn key_for(&self, content: &EncryptedContent) -> Result<&DecryptionKey, DecryptError> {
        content
            .encryption_certificate_id
            .as_deref()
            .and_then(|id| self.by_certificate.get(id))
            .or(self.default.as_ref())
            .ok_or_else(|| DecryptError::UnknownCertificate(content.encryption_certificate_id.clone()))
    }

    /// The decrypted resource, as bytes (JSON).
    pub fn decrypt_bytes(&self, content: &EncryptedContent) -> Result<Vec<u8>, DecryptError> {
        let key = self.key_for(content)?;
        let data_key = decode("dataKey", &content.data_key)?;
        let signature = decode("dataSignature", &content.data_signature)?;
        let data = decode("data", &content.data)?;

        // blinded with the OS's randomness (crypto-bigint is constant-time besides)
        let symmetric = Zeroizing::new(
            key.key
                .oaep_decrypt_with_rng::<sha1::Sha1, _>(&mut SystemRng, &data_key)
                .map_err(|_| DecryptError::DataKey)?,
        );
        if symmetric.len() != DATA_KEY_BYTES {
            return Err(DecryptError::KeyLength(symmetric.len()));
        }
        // The signature first: nothing is done with `data` before it matches
        // (ring compares in constant time).
        let mac_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &symmetric);
        ring::hmac::verify(&mac_key, &data, &signature).map_err(|_| DecryptError::Signature)?;

        let (aes_key, iv) = (&symmetric[..], &symmetric[..16]);
        let cipher = cbc::Decryptor::<aes::Aes256>::new_from_slices(aes_key, iv)
            .map_err(|_| DecryptError::KeyLength(symmetric.len()))?;
        cipher.decrypt_padded_vec::<Pkcs7>(&data).map_err(|_| DecryptError::Cipher)
    }

    /// The decrypted resource, parsed as `T` (a message, an event, or
    /// `serde_json::Value`).
    pub fn decrypt<T: DeserializeOwned>(&self, content: &EncryptedContent) -> Result<T, DecryptError> {
        let bytes = Zeroizing::new(self.decrypt_bytes(content)?);
        serde_json::from_slice(&bytes).map_err(DecryptError::Json)
    }

    /// The decrypted resource of a notification, parsed as `T`;
    /// [`DecryptError::NotEncrypted`] when it carries none.
    pub fn decrypt_notification<T: DeserializeOwned>(&self, notification: &Notification) -> Result<T, DecryptError> {
        let content = EncryptedContent::from_notification(notification)?.ok_or(DecryptError::NotEncrypted)?;
        self.decrypt(&content)
    }
}

/// The OS's randomness through ring (already in the tree), for RSA blinding.
struct SystemRng;

#[derive(Debug)]
struct RngError;

impl std::fmt::Display for RngError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the system's random number generator failed")
    }
}

impl std::error::Error for RngError {}

impl rsa::rand_core::TryRng for SystemRng {
    type Error = RngError;

    fn try_next_u32(&mut self) -> Result<u32, RngError> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, RngError> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), RngError> {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), dst).map_err(|_| RngError)
    }
}

impl rsa::rand_core::TryCryptoRng for SystemRng {}

fn decode(field: &'static str, value: &str) -> Result<Vec<u8>, DecryptError> {
    STANDARD.decode(value.trim()).map_err(|_| DecryptError::Base64 { field })
}
