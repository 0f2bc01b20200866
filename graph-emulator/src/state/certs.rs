//! Client certificates a test registers, and the check of the signed client
//! assertion (`client_assertion`, a JWT) the client-credentials grant sends
//! instead of a secret
//! (<https://learn.microsoft.com/entra/identity-platform/certificate-credentials>):
//! three base64url parts, `alg` RS256 or PS256, `x5t#S256` (or `x5t`) naming
//! a certificate registered for the client, a signature made with that
//! certificate's key, `aud` the token endpoint, `iss` = `sub` = the client
//! id, and a valid `nbf`/`exp` lifetime.
//!
//! The certificate is read with a minimal DER walk (only down to its RSA
//! public key); signatures are checked with `ring`.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256, UnparsedPublicKey};
use serde_json::Value;

use axum::http::StatusCode;

use crate::errors::OAuthError;

/// `client_assertion_type` of a JWT client assertion.
pub(crate) const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Clock skew allowed on `nbf` and `exp`, seconds (the identity platform allows 5 minutes).
const SKEW_SECS: i64 = 300;

/// Client certificates kept at most.
pub(crate) const MAX_CERTIFICATES: usize = 1_000;

/// A certificate registered for a client.
#[derive(Debug, Clone)]
pub(crate) struct ClientCert {
    pub client_id: String,
    /// base64url SHA-256 of the certificate's DER (`x5t#S256`).
    pub x5t_s256: String,
    /// base64url SHA-1 of the certificate's DER (`x5t`).
    pub x5t_sha1: String,
    /// The RSA public key, DER `RSAPublicKey` (PKCS#1).
    pub rsa_public_key: Vec<u8>,
}

impl ClientCert {
    /// From a certificate in PEM (`-----BEGIN CERTIFICATE-----`) or DER.
    pub fn parse(client_id: &str, certificate: &[u8]) -> Result<ClientCert, String> {
        let der = if certificate.first() == Some(&0x30) {
            certificate.to_vec()
        } else {
            let text = std::str::from_utf8(certificate).map_err(|_| "the certificate is neither DER nor PEM")?;
            pem_certificate(text)?
        };
        let rsa_public_key = rsa_public_key(&der)?;
        let sha256 = ring::digest::digest(&ring::digest::SHA256, &der);
        let sha1 = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &der);
        Ok(ClientCert {
            client_id: client_id.to_owned(),
            x5t_s256: URL_SAFE_NO_PAD.encode(sha256.as_ref()),
            x5t_sha1: URL_SAFE_NO_PAD.encode(sha1.as_ref()),
            rsa_public_key,
        })
    }
}

fn pem_certificate(text: &str) -> Result<Vec<u8>, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let start = text.find(BEGIN).ok_or("no `-----BEGIN CERTIFICATE-----` block")?;
    let body = &text[start + BEGIN.len()..];
    let stop = body.find(END).ok_or("the CERTIFICATE block has no END line")?;
    let b64: String = body[..stop].chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(b64).map_err(|_| "the CERTIFICATE block is not base64".to_owned())
}

/// One DER element: (tag, content, rest).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The DER `rsaEncryption` algorithm identifier's OID.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// The `RSAPublicKey` (PKCS#1 DER) of a DER X.509 certificate.
pub(crate) fn certificate_rsa_public_key(der: &[u8]) -> Result<Vec<u8>, String> {
    rsa_public_key(der)
}

/// The `RSAPublicKey` of an X.509 certificate:
/// Certificate → tbsCertificate → subjectPublicKeyInfo → subjectPublicKey.
fn rsa_public_key(der: &[u8]) -> Result<Vec<u8>, String> {
    let bad = || "the certificate is not a DER X.509 certificate".to_owned();
    let (tag, cert, _) = tlv(der).ok_or_else(bad)?;
    if tag != 0x30 {
        return Err(bad());
    }
    let (tag, mut tbs, _) = tlv(cert).ok_or_else(bad)?;
    if tag != 0x30 {
        return Err(bad());
    }
    // [0] version (optional), serial, signature, issuer, validity, subject
    let mut skipped = 0;
    loop {
        let (tag, _, rest) = tlv(tbs).ok_or_else(bad)?;
        if tag == 0xa0 && skipped == 0 {
            tbs = rest;
            continue;
        }
        tbs = rest;
        skipped += 1;
        if skipped == 5 {
            break;
        }
    }
    let (tag, spki, _) = tlv(tbs).ok_or_else(bad)?;
    if tag != 0x30 {
        return Err(bad());
    }
    let (tag, alg, rest) = tlv(spki).ok_or_else(bad)?;
    let (oid_tag, oid, _) = tlv(alg).ok_or_else(bad)?;
    if tag != 0x30 || oid_tag != 0x06 || oid != RSA_ENCRYPTION {
        return Err("only RSA certificates are supported".to_owned());
    }
    let (tag, bits, _) = tlv(rest).ok_or_else(bad)?;
    match bits.split_first() {
        Some((0, key)) if tag == 0x03 && !key.is_empty() => Ok(key.to_vec()),
        _ => Err(bad()),
    }
}

fn malformed(why: &str) -> OAuthError {
    OAuthError::new(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        50027,
        format!("JWT token is invalid or malformed. {why}"),
    )
}

fn invalid_client(code: u32, description: String) -> OAuthError {
    OAuthError::new(StatusCode::UNAUTHORIZED, "invalid_client", code, description)
}

fn part(p: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<Value>(&bytes).ok().filter(Value::is_object)
}

/// Hex of a base64url thumbprint, as the identity platform quotes it.
fn thumbprint_hex(b64: &str) -> String {
    match URL_SAFE_NO_PAD.decode(b64.trim_end_matches('=')) {
        Ok(bytes) => bytes.iter().map(|b| format!("{b:02X}")).collect(),
        Err(_) => b64.chars().take(64).collect(),
    }
}

/// Checks a client assertion for `client_id`; `audiences` are the token
/// endpoint URLs it may name.
pub(crate) fn verify_assertion(
    certs: &[ClientCert],
    assertion: &str,
    client_id: &str,
    audiences: &[String],
    now: DateTime<Utc>,
) -> Result<(), OAuthError> {
    let parts: Vec<&str> = assertion.split('.').collect();
    let [h, c, s] = parts.as_slice() else {
        return Err(malformed("A JWT has three base64url parts."));
    };
    let (Some(header), Some(claims)) = (part(h), part(c)) else {
        return Err(malformed("The header and the claims must be base64url JSON objects."));
    };
    let signature =
        URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).map_err(|_| malformed("The signature is not base64url."))?;
    let alg = header["alg"].as_str().unwrap_or_default();
    let algorithm: &'static dyn ring::signature::VerificationAlgorithm = match alg {
        "RS256" => &RSA_PKCS1_2048_8192_SHA256,
        "PS256" => &RSA_PSS_2048_8192_SHA256,
        other => {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                5002738,
                format!(
                    "Invalid JWT token. '{}' is not a supported signature algorithm. Supported signing algorithms are: 'RS256, PS256'",
                    other.chars().take(32).collect::<String>()
                ),
            ));
        }
    };
    let by_s256 = header["x5t#S256"].as_str();
    let by_sha1 = header["x5t"].as_str();
    let cert = certs.iter().find(|k| {
        k.client_id.eq_ignore_ascii_case(client_id)
            && (by_s256 == Some(k.x5t_s256.as_str()) || (by_s256.is_none() && by_sha1 == Some(k.x5t_sha1.as_str())))
    });
    let Some(cert) = cert else {
        let used = by_s256.or(by_sha1).map(thumbprint_hex).unwrap_or_default();
        return Err(invalid_client(
            700027,
            format!(
                "Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '{used}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{client_id}'. Register the certificate with EmulatorHandle::add_client_certificate.]"
            ),
        ));
    };
    let signing_input = &assertion[..h.len() + 1 + c.len()];
    if UnparsedPublicKey::new(algorithm, &cert.rsa_public_key).verify(signing_input.as_bytes(), &signature).is_err() {
        return Err(invalid_client(
            700027,
            format!(
                "Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '{}']",
                thumbprint_hex(&cert.x5t_s256)
            ),
        ));
    }
    let (iss, sub) = (claims["iss"].as_str(), claims["sub"].as_str());
    if iss != Some(client_id) || sub != Some(client_id) {
        return Err(invalid_client(
            700021,
            "Client assertion application identifier doesn't match 'client_id' parameter (the 'iss' and 'sub' claims must both be the client id).".to_owned(),
        ));
    }
    let aud_ok = |a: &str| audiences.iter().any(|x| x.eq_ignore_ascii_case(a.trim_end_matches('/')));
    let aud_matches = match &claims["aud"] {
        Value::String(a) => aud_ok(a),
        Value::Array(list) => list.iter().filter_map(Value::as_str).any(aud_ok),
        _ => false,
    };
    if !aud_matches {
        return Err(invalid_client(
            700023,
            format!(
                "Client assertion audience claim does not match Realm issuer. Expected the token endpoint: '{}'.",
                audiences.first().map(String::as_str).unwrap_or_default()
            ),
        ));
    }
    let t = now.timestamp();
    let (Some(exp), nbf) = (claims["exp"].as_i64(), claims["nbf"].as_i64()) else {
        return Err(malformed("The 'exp' claim is required."));
    };
    if exp + SKEW_SECS <= t || nbf.is_some_and(|n| n - SKEW_SECS > t) {
        return Err(invalid_client(
            700024,
            format!(
                "Client assertion is not within its valid time range. Current time: {t}, assertion valid from {}, expiry time of assertion {exp}.",
                nbf.map_or_else(|| "-".to_owned(), |n| n.to_string())
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_walk_refuses_truncated_and_odd_input() {
        assert!(rsa_public_key(&[]).is_err());
        assert!(rsa_public_key(&[0x30, 0x82, 0xff, 0xff]).is_err());
        assert!(rsa_public_key(&[0x30, 0x03, 0x30, 0x01, 0x00]).is_err());
        assert!(tlv(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
        assert!(ClientCert::parse("c", b"not a certificate").is_err());
        assert!(ClientCert::parse("c", b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----").is_err());
    }

    #[test]
    fn malformed_assertions_are_invalid_request() {
        let now = Utc::now();
        for a in ["", "a.b", "a.b.c.d", "e30.e30.!!", "bm90IGpzb24.e30.AA"] {
            let e = verify_assertion(&[], a, "c", &[], now).unwrap_err();
            assert_eq!((e.status, e.error), (StatusCode::BAD_REQUEST, "invalid_request"), "{a}");
        }
    }

    #[test]
    fn an_unregistered_client_is_invalid_client() {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"PS256","x5t#S256":"AAAA"}"#);
        let claims = URL_SAFE_NO_PAD.encode(r#"{"iss":"c","sub":"c"}"#);
        let e = verify_assertion(&[], &format!("{header}.{claims}.AAAA"), "c", &[], Utc::now()).unwrap_err();
        assert_eq!((e.status, e.error, e.aadsts), (StatusCode::UNAUTHORIZED, "invalid_client", 700027));
        assert!(e.description.contains("The key was not found"), "{}", e.description);
    }
}
