//! App-only sign-in (client secret, client certificate) against a fake
//! identity platform, and a credential driving a real GraphClient.

mod common;

use std::sync::Arc;

use common::*;
use msgraph_auth::{AssertionAlgorithm, ClientCertificate, ClientCertificateCredential, ClientSecretCredential};
use msgraph_core::{AuthErrorKind, Cloud, GraphClient, RetryPolicy, TokenCredential, TokenRequest};
use ring::signature::{KeyPair, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256, RsaKeyPair, UnparsedPublicKey};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

const TENANT: &str = "contoso.onmicrosoft.com";
const TOKEN_PATH: &str = "/contoso.onmicrosoft.com/oauth2/v2.0/token";
const KEY_PEM: &str = include_str!("fixtures/test_key.pem");
const KEY_PKCS1_PEM: &str = include_str!("fixtures/test_key_pkcs1.pem");
const CERT_PEM: &str = include_str!("fixtures/test_cert.pem");
const CERT_DER: &[u8] = include_bytes!("fixtures/test_cert.der");
const X5T_S256: &str = include_str!("fixtures/test_cert.x5t_s256.txt");

async fn mount_token(server: &msgraph_core::test_util::MockGraph, token: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(token, None, None)))
        .expect(times)
        .mount(&server.server)
        .await;
}

#[tokio::test]
async fn client_secret_sends_the_right_form_and_caches_the_token() {
    let server = identity().await;
    mount_token(&server, "app-token-1", 1).await;
    let credential = ClientSecretCredential::builder(TENANT, CLIENT_ID, "the-secret-value")
        .authority_url(server.server.uri())
        .build()
        .unwrap();
    let token = credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(token.token.expose(), "app-token-1");
    assert_eq!(credential.get_token(&TokenRequest::new()).await.unwrap().token.expose(), "app-token-1");

    let sent = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(sent.len(), 1, "the second call came from the cache");
    let f = form(&sent[0]);
    assert_eq!(f["grant_type"], "client_credentials");
    assert_eq!(f["client_id"], CLIENT_ID);
    assert_eq!(f["client_secret"], "the-secret-value");
    assert_eq!(f["scope"], "https://graph.microsoft.com/.default");
    assert_eq!(f.len(), 4);
    assert!(!format!("{credential:?}").contains("the-secret-value"));
}

#[tokio::test]
async fn force_refresh_asks_again_and_national_clouds_use_their_scope() {
    let server = identity().await;
    mount_token(&server, "gov-token", 2).await;
    let credential = ClientSecretCredential::builder(TENANT, CLIENT_ID, "s")
        .cloud(Cloud::UsGovDod)
        .authority_url(server.server.uri())
        .build()
        .unwrap();
    credential.get_token(&TokenRequest::new()).await.unwrap();
    credential.get_token(&TokenRequest::force_refresh()).await.unwrap();
    let sent = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(form(&sent[1])["scope"], "https://dod-graph.microsoft.us/.default");
}

#[tokio::test]
async fn a_wrong_secret_is_a_typed_error_with_a_hint() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(error_body(
            "invalid_client",
            7000215,
            "Invalid client secret provided.",
        )))
        .expect(1)
        .mount(&server.server)
        .await;
    let credential =
        ClientSecretCredential::builder(TENANT, CLIENT_ID, "wrong").authority_url(server.server.uri()).build().unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    let auth = err.as_auth().unwrap();
    assert_eq!(auth.kind, AuthErrorKind::InvalidClient);
    assert_eq!(auth.aadsts, Some(7000215));
    assert!(auth.hint.as_deref().unwrap().contains("Value"));
    assert!(auth.message.contains("correlation id c"), "{}", auth.message);
}

#[tokio::test]
async fn an_unknown_app_is_a_typed_error() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(error_body(
            "unauthorized_client",
            700016,
            "Application with identifier 'x' was not found in the directory 'Contoso'.",
        )))
        .expect(1)
        .mount(&server.server)
        .await;
    let credential =
        ClientSecretCredential::builder(TENANT, CLIENT_ID, "s").authority_url(server.server.uri()).build().unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    assert_eq!(err.as_auth().unwrap().kind, AuthErrorKind::InvalidClient);
    assert!(err.to_string().contains("MSGRAPH_CLIENT_ID"), "{err}");
}

#[tokio::test]
async fn a_non_json_error_page_is_reported_without_panicking() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .expect(1)
        .mount(&server.server)
        .await;
    let credential =
        ClientSecretCredential::builder(TENANT, CLIENT_ID, "s").authority_url(server.server.uri()).build().unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    let auth = err.as_auth().unwrap();
    assert_eq!((auth.kind.clone(), auth.status), (AuthErrorKind::Other, Some(502)));
    assert!(auth.message.contains("Bad Gateway"));
}

fn verify_assertion(jwt: &str, alg: &'static dyn ring::signature::VerificationAlgorithm, key_pem: &str) {
    let key_der = pem_body(key_pem);
    let key = if key_pem.contains("BEGIN RSA PRIVATE KEY") {
        RsaKeyPair::from_der(&key_der).unwrap()
    } else {
        RsaKeyPair::from_pkcs8(&key_der).unwrap()
    };
    let (signing_input, signature) = jwt.rsplit_once('.').unwrap();
    let signature = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, signature).unwrap();
    UnparsedPublicKey::new(alg, key.public_key().as_ref())
        .verify(signing_input.as_bytes(), &signature)
        .expect("the assertion is signed with the certificate's key");
}

fn pem_body(pem: &str) -> Vec<u8> {
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64).unwrap()
}

#[tokio::test]
async fn certificate_sends_a_signed_assertion_with_the_documented_claims() {
    let server = identity().await;
    mount_token(&server, "cert-token", 1).await;
    let cert = ClientCertificate::from_pem(CERT_PEM.as_bytes(), KEY_PEM.as_bytes()).unwrap();
    assert_eq!(cert.thumbprint_sha256(), X5T_S256.trim());
    assert!(!format!("{cert:?}").contains("PRIVATE"));
    let credential = ClientCertificateCredential::builder(TENANT, CLIENT_ID, cert)
        .authority_url(server.server.uri())
        .build()
        .unwrap();
    let before = chrono::Utc::now().timestamp();
    assert_eq!(credential.get_token(&TokenRequest::new()).await.unwrap().token.expose(), "cert-token");

    let sent = requests_to(&server, TOKEN_PATH).await;
    let f = form(&sent[0]);
    assert_eq!(f["grant_type"], "client_credentials");
    assert_eq!(f["client_id"], CLIENT_ID);
    assert_eq!(f["scope"], "https://graph.microsoft.com/.default");
    assert_eq!(f["client_assertion_type"], "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    assert!(!f.contains_key("client_secret"));
    let jwt = &f["client_assertion"];

    let header = jwt_part(jwt, 0);
    assert_eq!(header["alg"], "PS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["x5t#S256"], X5T_S256.trim());
    let claims = jwt_part(jwt, 1);
    assert_eq!(claims["aud"], format!("{}{TOKEN_PATH}", server.server.uri()));
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["sub"], CLIENT_ID);
    let (nbf, exp) = (claims["nbf"].as_i64().unwrap(), claims["exp"].as_i64().unwrap());
    assert!(nbf >= before - 1 && nbf <= chrono::Utc::now().timestamp() + 1, "nbf {nbf} is now");
    assert_eq!(exp - nbf, 600);
    assert_eq!(claims["iat"], claims["nbf"]);
    let jti = claims["jti"].as_str().unwrap();
    assert_eq!(jti.len(), 36, "a UUID: {jti}");
    verify_assertion(jwt, &RSA_PSS_2048_8192_SHA256, KEY_PEM);
}

#[tokio::test]
async fn rs256_assertions_from_a_pkcs1_key_in_one_pem_file() {
    let dir = temp_dir("cert");
    let file = dir.join("app.pem");
    std::fs::write(&file, format!("{CERT_PEM}{KEY_PKCS1_PEM}")).unwrap();
    let cert = ClientCertificate::from_pem_file(&file).unwrap().algorithm(AssertionAlgorithm::Rs256);
    let server = identity().await;
    mount_token(&server, "cert-token", 2).await;
    let credential = ClientCertificateCredential::builder(TENANT, CLIENT_ID, cert)
        .authority_url(server.server.uri())
        .build()
        .unwrap();
    credential.get_token(&TokenRequest::new()).await.unwrap();
    credential.get_token(&TokenRequest::force_refresh()).await.unwrap();
    let sent = requests_to(&server, TOKEN_PATH).await;
    let (a, b) = (form(&sent[0])["client_assertion"].clone(), form(&sent[1])["client_assertion"].clone());
    let header = jwt_part(&a, 0);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["x5t#S256"], X5T_S256.trim());
    assert!(header["x5t"].as_str().is_some_and(|t| t.len() == 27), "SHA-1 thumbprint: {header}");
    verify_assertion(&a, &RSA_PKCS1_2048_8192_SHA256, KEY_PKCS1_PEM);
    assert_ne!(jwt_part(&a, 1)["jti"], jwt_part(&b, 1)["jti"], "every assertion has its own jti");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn der_certificates_work_too() {
    let cert = ClientCertificate::from_der(CERT_DER, &pem_body(KEY_PEM)).unwrap();
    assert_eq!(cert.thumbprint_sha256(), X5T_S256.trim());
    assert!(ClientCertificate::from_der(CERT_DER, b"not a key").is_err());
}

#[tokio::test]
async fn graph_client_gets_its_token_and_force_refreshes_once_on_401() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("first", None, None)))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server.server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("second", None, None)))
        .expect(1)
        .with_priority(2)
        .mount(&server.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/AdeleV@contoso.com"))
        .and(header("authorization", "Bearer first"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired or is not yet valid."}
        })))
        .expect(1)
        .mount(&server.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/AdeleV@contoso.com"))
        .and(header("authorization", "Bearer second"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(include_str!("../../testdata/graph-samples/core/user-get-me.json")),
        )
        .expect(1)
        .mount(&server.server)
        .await;
    let credential = Arc::new(
        ClientSecretCredential::builder(TENANT, CLIENT_ID, "s").authority_url(server.server.uri()).build().unwrap(),
    );
    let client = GraphClient::builder()
        .base_url(server.base_url())
        .shared_credential(credential)
        .retry_policy(RetryPolicy::default().max_retries(0))
        .build()
        .unwrap();
    let user = client.user("AdeleV@contoso.com").get().await.unwrap();
    assert_eq!(user.display_name.as_deref(), Some("Adele Vance"));
    assert_eq!(user.mail.as_deref(), Some("AdeleV@contoso.com"));
}
