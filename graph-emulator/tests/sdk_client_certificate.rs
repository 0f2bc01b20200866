//! Client assertions (certificate credentials) against the emulator's token
//! endpoint: msgraph-auth's `ClientCertificateCredential` signs in with a
//! registered certificate (PS256 and RS256); unregistered clients, foreign
//! certificates, broken signatures, wrong claims, expired or malformed
//! assertions are refused as the identity platform refuses them.

mod sdk_common;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use msgraph_auth::{AssertionAlgorithm, ClientCertificate, ClientCertificateCredential};
use msgraph_core::AuthErrorKind;
use msgraph_emulator::{Emulator, demo};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RSA_PSS_SHA256, RsaEncoding, RsaKeyPair};
use sdk_common::{anchor, client_with};
use serde_json::{Value, json};

const CERT_PEM: &str = include_str!("fixtures/test_cert.pem");
const KEY_PEM: &str = include_str!("fixtures/test_key.pem");
const APP: &str = "5f0c3c6e-2b1a-4d7e-9f3a-1c2b3d4e5f60";

async fn emulator() -> Emulator {
    Emulator::builder().anchor(anchor()).start().await.expect("emulator starts")
}

fn certificate(alg: AssertionAlgorithm) -> ClientCertificate {
    ClientCertificate::from_pem(CERT_PEM.as_bytes(), KEY_PEM.as_bytes()).unwrap().algorithm(alg)
}

fn credential(emu: &Emulator, client_id: &str, alg: AssertionAlgorithm) -> ClientCertificateCredential {
    ClientCertificateCredential::builder(demo::TENANT_ID, client_id, certificate(alg))
        .authority_url(emu.authority_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_registered_certificate_signs_in_with_ps256_and_rs256() {
    let emu = emulator().await;
    let thumbprint = emu.add_client_certificate(APP, CERT_PEM.as_bytes()).unwrap();
    assert_eq!(thumbprint, certificate(AssertionAlgorithm::Ps256).thumbprint_sha256());
    for alg in [AssertionAlgorithm::Ps256, AssertionAlgorithm::Rs256] {
        let client = client_with(&emu, credential(&emu, APP, alg));
        let adele = client.user(demo::USER_UPN).get().await.expect("app-only sign-in with a certificate");
        assert_eq!(adele.id.as_deref(), Some(demo::USER_ID));
    }
    // The builder registers certificates too (DER works as well as PEM).
    let der = STANDARD.decode(CERT_PEM.lines().filter(|l| !l.starts_with("-----")).collect::<String>()).unwrap();
    let emu2 = Emulator::builder().client_certificate(APP, der).start().await.unwrap();
    let client = client_with(&emu2, credential(&emu2, APP, AssertionAlgorithm::Ps256));
    assert!(client.user(demo::USER_UPN).get().await.is_ok());
    assert!(Emulator::builder().client_certificate(APP, b"not a certificate".to_vec()).start().await.is_err());
}

#[tokio::test]
async fn an_unregistered_client_or_a_foreign_certificate_is_invalid_client() {
    let emu = emulator().await;
    // Nothing registered: any assertion is refused.
    let client = client_with(&emu, credential(&emu, APP, AssertionAlgorithm::Ps256));
    let err = client.user(demo::USER_UPN).get().await.unwrap_err();
    assert_eq!(err.as_auth().map(|a| a.kind.clone()), Some(AuthErrorKind::InvalidClient), "{err:?}");
    // Registered for another client: still refused for this one.
    emu.add_client_certificate("another-app", CERT_PEM.as_bytes()).unwrap();
    let (status, body) =
        token_form(&emu, APP, &assertion(Alg::Ps256, &claims(&emu, APP), &header_for(Alg::Ps256))).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_codes"][0], 700027);
    assert!(body["error_description"].as_str().unwrap().contains("The key was not found"), "{body}");
}

#[derive(Clone, Copy)]
enum Alg {
    Ps256,
    Rs256,
}

fn key() -> RsaKeyPair {
    let b64: String = KEY_PEM.lines().filter(|l| !l.starts_with("-----")).collect();
    RsaKeyPair::from_pkcs8(&STANDARD.decode(b64).unwrap()).unwrap()
}

fn x5t_s256() -> String {
    certificate(AssertionAlgorithm::Ps256).thumbprint_sha256().to_owned()
}

fn header_for(alg: Alg) -> Value {
    let name = match alg {
        Alg::Ps256 => "PS256",
        Alg::Rs256 => "RS256",
    };
    json!({"alg": name, "typ": "JWT", "x5t#S256": x5t_s256()})
}

fn token_url(emu: &Emulator) -> String {
    format!("{}/{}/oauth2/v2.0/token", emu.authority_url(), demo::TENANT_ID)
}

fn claims(emu: &Emulator, client_id: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"aud": token_url(emu), "iss": client_id, "sub": client_id, "jti": "j", "nbf": now, "iat": now, "exp": now + 600})
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

fn assertion(alg: Alg, claims: &Value, header: &Value) -> String {
    let encoding: &'static dyn RsaEncoding = match alg {
        Alg::Ps256 => &RSA_PSS_SHA256,
        Alg::Rs256 => &RSA_PKCS1_SHA256,
    };
    let input = format!("{}.{}", b64(header), b64(claims));
    let key = key();
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(encoding, &SystemRandom::new(), input.as_bytes(), &mut sig).unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

async fn token_form(emu: &Emulator, client_id: &str, assertion: &str) -> (u16, Value) {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("scope", "https://graph.microsoft.com/.default"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion),
        ])
        .finish();
    let r = reqwest::Client::new()
        .post(token_url(emu))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn assertions_are_checked_claim_by_claim() {
    let emu = emulator().await;
    emu.add_client_certificate(APP, CERT_PEM.as_bytes()).unwrap();
    let good = claims(&emu, APP);
    // Hand-made good assertions pass, with both algorithms.
    for alg in [Alg::Ps256, Alg::Rs256] {
        let (s, b) = token_form(&emu, APP, &assertion(alg, &good, &header_for(alg))).await;
        assert_eq!(s, 200, "{b}");
        assert!(b["access_token"].is_string());
    }
    let now = chrono::Utc::now().timestamp();
    let with = |k: &str, v: Value| {
        let mut c = good.clone();
        c[k] = v;
        c
    };
    let cases: Vec<(&str, String, u16, u32)> = vec![
        (
            "wrong aud",
            assertion(
                Alg::Ps256,
                &with("aud", json!("https://login.microsoftonline.com/x/oauth2/v2.0/token")),
                &header_for(Alg::Ps256),
            ),
            401,
            700023,
        ),
        (
            "iss not the client",
            assertion(Alg::Ps256, &with("iss", json!("someone-else")), &header_for(Alg::Ps256)),
            401,
            700021,
        ),
        (
            "sub not the client",
            assertion(Alg::Ps256, &with("sub", json!("someone-else")), &header_for(Alg::Ps256)),
            401,
            700021,
        ),
        ("expired", assertion(Alg::Ps256, &with("exp", json!(now - 3600)), &header_for(Alg::Ps256)), 401, 700024),
        ("not yet valid", assertion(Alg::Ps256, &with("nbf", json!(now + 3600)), &header_for(Alg::Ps256)), 401, 700024),
        ("no exp", assertion(Alg::Ps256, &with("exp", Value::Null), &header_for(Alg::Ps256)), 400, 50027),
        ("alg none", format!("{}.{}.", b64(&json!({"alg": "none", "x5t#S256": x5t_s256()})), b64(&good)), 400, 5002738),
        (
            "alg HS256",
            format!("{}.{}.AAAA", b64(&json!({"alg": "HS256", "x5t#S256": x5t_s256()})), b64(&good)),
            400,
            5002738,
        ),
        ("two parts", format!("{}.{}", b64(&header_for(Alg::Ps256)), b64(&good)), 400, 50027),
        ("garbage", "not-a-jwt".to_owned(), 400, 50027),
        (
            "unknown thumbprint",
            assertion(
                Alg::Ps256,
                &good,
                &json!({"alg": "PS256", "x5t#S256": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}),
            ),
            401,
            700027,
        ),
    ];
    for (what, a, status, code) in cases {
        let (s, b) = token_form(&emu, APP, &a).await;
        assert_eq!((s, b["error_codes"][0].as_u64()), (status, Some(code as u64)), "{what}: {b}");
    }
    // A signature made over other claims (claims swapped after signing).
    let signed = assertion(Alg::Ps256, &good, &header_for(Alg::Ps256));
    let parts: Vec<&str> = signed.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], b64(&with("jti", json!("other"))), parts[2]);
    let (s, b) = token_form(&emu, APP, &forged).await;
    assert_eq!((s, b["error_codes"][0].as_u64()), (401, Some(700027)), "{b}");
    assert!(b["error_description"].as_str().unwrap().contains("did not match"), "{b}");
    // PS256 signature presented as RS256.
    let mut h = header_for(Alg::Rs256);
    h["alg"] = json!("RS256");
    let ps = assertion(Alg::Ps256, &good, &h);
    let input_rs = format!("{}.{}", b64(&h), b64(&good));
    assert!(ps.starts_with(&input_rs));
    let (s, _) = token_form(&emu, APP, &ps).await;
    assert_eq!(s, 401);
    // An oversized client id is refused before anything else.
    let (s, b) = token_form(&emu, "x".repeat(300).as_str(), &signed).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_request")), "{b}");
}
