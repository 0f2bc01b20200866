//! Rich notifications: the changed resource, encrypted the way Graph does
//! it for a subscription's certificate
//! (<https://learn.microsoft.com/graph/change-notifications-with-resource-data#decrypting-resource-data-from-change-notifications>):
//! a random 32-byte key; the resource's JSON encrypted with AES-256-CBC
//! (PKCS#7 padding, the key's first 16 bytes as IV); an HMAC-SHA256 of the
//! ciphertext with the key; the key encrypted with the certificate's RSA
//! public key (RSA-OAEP with SHA-1).
//!
//! Each batch with resource data also carries `validationTokens`: one RS256
//! JWT per app, shaped as the identity platform issues them to Graph's
//! notification publisher (`aud` the app, `appid` the publisher
//! `0bf30f3b-4a52-48df-9a82-234910c4a086`, `iss`
//! `https://sts.windows.net/{tenant}/`, `tid`, `nbf`/`exp`), signed with the
//! emulator's own throw-away key (`notification_publisher_key.pem`: it
//! protects nothing), published at `GET /{tenant}/discovery/v2.0/keys`.

use std::sync::OnceLock;

use aes::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
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

/// Graph's change-notification publisher: the `appid` of its validation tokens.
pub(crate) const NOTIFICATION_PUBLISHER_APP_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

/// The emulator's token-signing key (PKCS#8), generated once for it.
const PUBLISHER_KEY_PEM: &str = include_str!("notification_publisher_key.pem");

/// The signing key and its `kid` (the base64url SHA-256 of its modulus).
fn publisher() -> Option<&'static (ring::rsa::KeyPair, String)> {
    static KEY: OnceLock<Option<(ring::rsa::KeyPair, String)>> = OnceLock::new();
    KEY.get_or_init(|| {
        let b64: String = PUBLISHER_KEY_PEM.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect();
        let der = STANDARD.decode(b64).ok()?;
        let key = ring::rsa::KeyPair::from_pkcs8(&der).ok()?;
        let parts = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(key.public());
        let kid = URL_SAFE_NO_PAD.encode(&ring::digest::digest(&ring::digest::SHA256, &parts.n).as_ref()[..16]);
        Some((key, kid))
    })
    .as_ref()
}

/// The JWKS document of the publisher's key (`GET /{tenant}/discovery/v2.0/keys`).
pub(crate) fn signing_keys() -> Value {
    let keys: Vec<Value> = publisher()
        .map(|(key, kid)| {
            let parts = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(key.public());
            json!({
                "kty": "RSA",
                "use": "sig",
                "kid": kid,
                "n": URL_SAFE_NO_PAD.encode(&parts.n),
                "e": URL_SAFE_NO_PAD.encode(&parts.e),
            })
        })
        .into_iter()
        .collect();
    json!({ "keys": keys })
}

/// A validation token for the notifications of `app_id` in `tenant`, valid
/// for an hour. `None` only if the built-in key cannot be used.
pub(crate) fn validation_token(app_id: &str, tenant: &str, now: i64) -> Option<String> {
    let (key, kid) = publisher()?;
    let header = json!({"typ": "JWT", "alg": "RS256", "kid": kid});
    let claims = json!({
        "aud": app_id,
        "iss": format!("https://sts.windows.net/{tenant}/"),
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "appid": NOTIFICATION_PUBLISHER_APP_ID,
        "appidacr": "2",
        "idp": format!("https://sts.windows.net/{tenant}/"),
        "tid": tenant,
        "ver": "1.0",
    });
    let signed =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(&ring::signature::RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), signed.as_bytes(), &mut signature)
        .ok()?;
    Some(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(&signature)))
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
    fn validation_tokens_verify_with_the_published_key() {
        let token = validation_token("app-1", "tenant-1", 1_700_000_000).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let jwks = signing_keys();
        let key = &jwks["keys"][0];
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!((header["alg"].as_str(), &header["kid"]), (Some("RS256"), &key["kid"]));
        let n = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
        let e = URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap();
        let public = ring::rsa::PublicKeyComponents { n, e };
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        let signed = format!("{}.{}", parts[0], parts[1]);
        public.verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature).unwrap();
        let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["aud"], "app-1");
        assert_eq!(claims["appid"], NOTIFICATION_PUBLISHER_APP_ID);
        assert_eq!(claims["iss"], "https://sts.windows.net/tenant-1/");
    }

    #[test]
    fn bad_certificates_are_refused() {
        assert!(Encryption::new("not base64!", "c").is_err());
        assert!(Encryption::new(&STANDARD.encode(b"\x30\x03\x02\x01\x01"), "c").is_err());
    }
}
