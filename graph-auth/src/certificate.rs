//! Client certificates: PEM parsing and the signed client assertion (JWT)
//! the token endpoint accepts instead of a secret.
//!
//! Signing uses `ring`, which the TLS stack already brings in: no OpenSSL,
//! no extra RSA or JWT crate. The key must be an unencrypted RSA key
//! (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`) of 2048
//! bits or more.

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use msgraph_core::{Error, Result, Secret};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RSA_PSS_SHA256, RsaEncoding, RsaKeyPair};
use serde_json::json;

use crate::random::{b64url, uuid_v4};

/// How long a client assertion is valid.
const ASSERTION_LIFETIME_SECS: i64 = 600;

/// The signature algorithm of the client assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AssertionAlgorithm {
    /// RSASSA-PSS with SHA-256, header `x5t#S256`: what the Microsoft
    /// identity platform documents today.
    #[default]
    Ps256,
    /// RSASSA-PKCS1-v1_5 with SHA-256, headers `x5t#S256` and `x5t` (SHA-1
    /// thumbprint): for authorities that still expect the older format
    /// (AD FS, Azure Stack).
    Rs256,
}

/// A certificate and its private key, for [`ClientCertificateCredential`](crate::ClientCertificateCredential).
///
/// `Debug` shows only the certificate's SHA-256 thumbprint.
///
/// ```no_run
/// use msgraph_auth::ClientCertificate;
///
/// // One PEM file holding the certificate and its (unencrypted) key:
/// let cert = ClientCertificate::from_pem_file("secrets/app.pem")?;
/// // Or the two parts:
/// let cert = ClientCertificate::from_pem(
///     &std::fs::read("secrets/app.crt")?,
///     &std::fs::read("secrets/app.key")?,
/// )?;
/// println!("upload the certificate with thumbprint {}", cert.thumbprint_sha256());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ClientCertificate {
    key: RsaKeyPair,
    x5t_s256: String,
    x5t_sha1: String,
    algorithm: AssertionAlgorithm,
}

impl ClientCertificate {
    /// From the certificate (PEM `CERTIFICATE`) and the private key (PEM
    /// `PRIVATE KEY` or `RSA PRIVATE KEY`); both may also be given in one
    /// PEM passed twice.
    pub fn from_pem(certificate_pem: &[u8], private_key_pem: &[u8]) -> Result<Self> {
        let cert_text = as_text(certificate_pem, "certificate")?;
        let key_text = as_text(private_key_pem, "private key")?;
        let cert = pem_block(cert_text, "CERTIFICATE")?
            .ok_or_else(|| Error::invalid_input("no `-----BEGIN CERTIFICATE-----` block in the certificate PEM"))?;
        if pem_block(key_text, "ENCRYPTED PRIVATE KEY")?.is_some() {
            return Err(Error::invalid_input(
                "the private key is encrypted; decrypt it first (`openssl pkcs8 -in key.pem -out plain.pem`) and keep \
                 the result private",
            ));
        }
        if let Some(pkcs8) = pem_block(key_text, "PRIVATE KEY")? {
            return Self::from_der(&cert, &pkcs8);
        }
        if let Some(pkcs1) = pem_block(key_text, "RSA PRIVATE KEY")? {
            let key = RsaKeyPair::from_der(&pkcs1)
                .map_err(|e| Error::invalid_input(format!("the RSA private key is not usable: {e}")))?;
            return Ok(Self::with_key(&cert, key));
        }
        Err(Error::invalid_input(
            "no `-----BEGIN PRIVATE KEY-----` or `-----BEGIN RSA PRIVATE KEY-----` block in the private key PEM (only \
             RSA keys are supported)",
        ))
    }

    /// From one PEM file holding both the certificate and its key.
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let pem = std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        Self::from_pem(&pem, &pem)
    }

    /// From the DER certificate and the PKCS#8 DER private key.
    pub fn from_der(certificate_der: &[u8], pkcs8_private_key_der: &[u8]) -> Result<Self> {
        let key = RsaKeyPair::from_pkcs8(pkcs8_private_key_der)
            .map_err(|e| Error::invalid_input(format!("the private key is not a usable RSA PKCS#8 key: {e}")))?;
        Ok(Self::with_key(certificate_der, key))
    }

    fn with_key(certificate_der: &[u8], key: RsaKeyPair) -> Self {
        let sha256 = ring::digest::digest(&ring::digest::SHA256, certificate_der);
        let sha1 = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, certificate_der);
        ClientCertificate {
            key,
            x5t_s256: b64url(sha256.as_ref()),
            x5t_sha1: b64url(sha1.as_ref()),
            algorithm: AssertionAlgorithm::default(),
        }
    }

    /// Chooses the assertion's signature algorithm (default PS256).
    pub fn algorithm(mut self, algorithm: AssertionAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The base64url SHA-256 thumbprint of the certificate (the `x5t#S256` header).
    pub fn thumbprint_sha256(&self) -> &str {
        &self.x5t_s256
    }

    /// A client assertion for `audience` (the token endpoint URL), issued
    /// by and about `client_id`, valid for 10 minutes.
    pub(crate) fn assertion(&self, audience: &str, client_id: &str) -> Result<Secret> {
        let (alg, encoding): (&str, &'static dyn RsaEncoding) = match self.algorithm {
            AssertionAlgorithm::Ps256 => ("PS256", &RSA_PSS_SHA256),
            AssertionAlgorithm::Rs256 => ("RS256", &RSA_PKCS1_SHA256),
        };
        let mut header = json!({ "alg": alg, "typ": "JWT", "x5t#S256": self.x5t_s256 });
        if self.algorithm == AssertionAlgorithm::Rs256 {
            header["x5t"] = json!(self.x5t_sha1);
        }
        let now = Utc::now().timestamp();
        let claims = json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": uuid_v4()?,
            "nbf": now,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_SECS,
        });
        let signing_input = format!("{}.{}", b64url(header.to_string()), b64url(claims.to_string()));
        let mut signature = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(encoding, &SystemRandom::new(), signing_input.as_bytes(), &mut signature)
            .map_err(|_| Error::io("signing the client assertion", std::io::Error::other("RSA signing failed")))?;
        Ok(Secret::new(format!("{signing_input}.{}", b64url(signature))))
    }
}

impl fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("x5t#S256", &self.x5t_s256)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

fn as_text<'a>(pem: &'a [u8], what: &str) -> Result<&'a str> {
    std::str::from_utf8(pem).map_err(|_| Error::invalid_input(format!("the {what} is not PEM text")))
}

/// The DER bytes of the first `-----BEGIN <label>-----` block, if any.
fn pem_block(text: &str, label: &str) -> Result<Option<Vec<u8>>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let Some(start) = text.find(&begin) else { return Ok(None) };
    let body = &text[start + begin.len()..];
    let stop = body.find(&end).ok_or_else(|| Error::invalid_input(format!("PEM block {label} has no END line")))?;
    let b64: String = body[..stop].chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(b64).map(Some).map_err(|_| Error::invalid_input(format!("PEM block {label} is not valid base64")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks() {
        let text = "junk\n-----BEGIN CERTIFICATE-----\nAAEC\nAw==\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_block(text, "CERTIFICATE").unwrap(), Some(vec![0, 1, 2, 3]));
        assert_eq!(pem_block(text, "PRIVATE KEY").unwrap(), None);
        assert!(pem_block("-----BEGIN X-----\nAAEC", "X").is_err());
        assert!(pem_block("-----BEGIN X-----\n!!\n-----END X-----", "X").is_err());
    }

    #[test]
    fn refuses_encrypted_and_missing_keys() {
        let cert = "-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n";
        let enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAEC\n-----END ENCRYPTED PRIVATE KEY-----\n";
        let err = ClientCertificate::from_pem(cert.as_bytes(), enc.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("encrypted"), "{err}");
        assert!(ClientCertificate::from_pem(cert.as_bytes(), b"nothing").is_err());
        assert!(ClientCertificate::from_pem(b"nothing", cert.as_bytes()).is_err());
    }
}
