//! Rich notifications: the changed resource, encrypted the way Graph does
//! it for a subscription's certificate
//! (<https://learn.microsoft.com/graph/change-notifications-with-resource-data#decrypting-resource-data-from-change-notifications>):
//! a random 32-byte key; the resource's JSON encrypted with AES-256-CBC
//! (PKCS#7 padding, the key's first 16 bytes as IV); an HMAC-SHA256 of the
//! ciphertext with the key; the key encrypted with the certificate's RSA
//! public key (RSA-OAEP with SHA-1).

use aes::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::DecodeRsaPublicKey;
use serde_json::{Value, json};

use crate::state::certs;

/// The certificate a subscription with `includeResourceData` gave.
#[derive(Debug, Clone)]
pub(crate) struct Encryption {
    /// `encryptionCertificate` as the client sent it (base64 DER).
    pub certificate: String,
    /// `encryptionCertificateId`, echoed in each `encryptedContent`.
    pub certificate_id: String,
    /// The certificate's SHA-1 thumbprint, upper-case hex.
    pub thumbprint: String,
    /// Its RSA public key, PKCS#1 DER.
    pub public_key: Vec<u8>,
}

impl Encryption {
    /// Reads `encryptionCertificate` (base64 of the DER certificate).
    pub fn new(certificate: &str, certificate_id: &str) -> Result<Encryption, String> {
        let b64: String = certificate.chars().filter(|c| !c.is_whitespace()).collect();
        let der = STANDARD.decode(b64).map_err(|_| "encryptionCertificate is not base64".to_owned())?;
        let public_key = certs::certificate_rsa_public_key(&der)?;
        rsa::PublicKey::from_pkcs1_der(&public_key)
            .map_err(|_| "the certificate's RSA key cannot be read".to_owned())?;
        let sha1 = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &der);
        let thumbprint = sha1.as_ref().iter().map(|b| format!("{b:02X}")).collect();
        Ok(Encryption {
            certificate: certificate.to_owned(),
            certificate_id: certificate_id.to_owned(),
            thumbprint,
            public_key,
        })
    }

    /// `encryptedContent` for `resource`.
    pub fn encrypt(&self, resource: &Value) -> Result<Value, String> {
        let mut key = [0u8; 32];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut key)
            .map_err(|_| "no randomness for the data key".to_owned())?;
        let data = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &key[..16])
            .map_err(|_| "bad AES key length".to_owned())?
            .encrypt_padded_vec::<Pkcs7>(resource.to_string().as_bytes());
        let signature = ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key), &data);
        let public = rsa::PublicKey::from_pkcs1_der(&self.public_key)
            .map_err(|_| "the certificate's RSA key cannot be read".to_owned())?;
        let data_key = public
            .oaep_encrypt_with_rng::<sha1::Sha1, _>(&mut OsRandom, &key)
            .map_err(|e| format!("RSA-OAEP encryption failed: {e}"))?;
        Ok(json!({
            "data": STANDARD.encode(&data),
            "dataSignature": STANDARD.encode(signature.as_ref()),
            "dataKey": STANDARD.encode(&data_key),
            "encryptionCertificateId": self.certificate_id,
            "encryptionCertificateThumbprint": self.thumbprint,
        }))
    }
}

/// The OS's randomness (through ring) for the rsa crate's padding.
struct OsRandom;

/// The OS gave no random bytes.
#[derive(Debug)]
struct NoRandomness;

impl std::fmt::Display for NoRandomness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the OS gave no random bytes")
    }
}

impl std::error::Error for NoRandomness {}

impl rsa::rand_core::TryRng for OsRandom {
    type Error = NoRandomness;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), dst).map_err(|_| NoRandomness)
    }
}

impl rsa::rand_core::TryCryptoRng for OsRandom {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_certificates_are_refused() {
        assert!(Encryption::new("not base64!", "c").is_err());
        assert!(Encryption::new(&STANDARD.encode(b"\x30\x03\x02\x01\x01"), "c").is_err());
    }
}
