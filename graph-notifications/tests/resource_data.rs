//! Rich notifications: `encryptedContent` built the way Graph builds it,
//! decrypted (and refused when tampered with); validation tokens signed by
//! a test key and checked against a test JWKS; a receiver that requires
//! them.
#![cfg(feature = "resource-data")]

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use aes::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use msgraph_core::reexports::http::HeaderMap;
use msgraph_notifications::resource_data::{
    DecryptError, DecryptionKey, Decryptor, EncryptedContent, HttpKeySource, Jwk, Jwks, KeyError, KeySource,
    NOTIFICATION_PUBLISHER_APP_ID, TokenError, TokenValidator,
};
use msgraph_notifications::{ClientStates, Notification, Receiver};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

const APP_ID: &str = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
const TENANT: &str = "84bd8158-6d4d-4958-8b9f-9d6445542f95";

/// The OS's randomness (through ring) for the rsa crate.
struct Os;

impl rsa::rand_core::TryRng for Os {
    type Error = std::convert::Infallible;
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
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), dst).expect("OS randomness");
        Ok(())
    }
}

impl rsa::rand_core::TryCryptoRng for Os {}

/// One 2048-bit key per test binary (generation is the slow part).
fn key() -> &'static rsa::PrivateKey {
    static KEY: OnceLock<rsa::PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa::PrivateKey::new(&mut Os, 2048).expect("test key"))
}

fn other_key() -> &'static rsa::PrivateKey {
    static KEY: OnceLock<rsa::PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa::PrivateKey::new(&mut Os, 2048).expect("test key"))
}

fn pkcs8_pem(key: &rsa::PrivateKey) -> String {
    key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string()
}

// ---- encryptedContent, as Graph makes it ----

/// Encrypts `resource` as Graph does: a random 32-byte key; AES-256-CBC
/// with the key's first 16 bytes as IV and PKCS#7; HMAC-SHA256 of the
/// ciphertext with the key; the key RSA-OAEP(SHA-1) encrypted.
fn encrypt_like_graph(resource: &Value, certificate: &rsa::PrivateKey, symmetric_len: usize) -> Value {
    let mut symmetric = vec![0u8; symmetric_len];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut symmetric).unwrap();
    let aes_key =
        if symmetric_len == 32 { symmetric.clone() } else { [symmetric.clone(), vec![7; 32]].concat()[..32].to_vec() };
    let data = cbc::Encryptor::<aes::Aes256>::new_from_slices(&aes_key, &aes_key[..16])
        .unwrap()
        .encrypt_padded_vec::<Pkcs7>(resource.to_string().as_bytes());
    let signature = ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &symmetric), &data);
    let data_key = certificate.to_public_key().oaep_encrypt_with_rng::<sha1::Sha1, _>(&mut Os, &symmetric).unwrap();
    json!({
        "data": STANDARD.encode(&data),
        "dataSignature": STANDARD.encode(signature.as_ref()),
        "dataKey": STANDARD.encode(&data_key),
        "encryptionCertificateId": "MySelfSignedCert/DDC9651A-D7BC-4D74-86BC-A8923584B0AB",
        "encryptionCertificateThumbprint": "07293748CC064953A3052FB978C735FB89E61C3D"
    })
}

fn message() -> Value {
    json!({
        "@odata.type": "#Microsoft.Graph.Message",
        "id": "AAMkAGUwNjQ4ZjIxAAA=",
        "subject": "Quarterly numbers ✓",
        "bodyPreview": "See attached",
        "isRead": false
    })
}

fn notification_with(encrypted: Value) -> Notification {
    serde_json::from_value(json!({
        "subscriptionId": "sub-1",
        "clientState": "secretClientValue",
        "changeType": "created",
        "tenantId": TENANT,
        "resource": "Users/u1/Messages/AAMkAGUwNjQ4ZjIxAAA=",
        "resourceData": {"id": "AAMkAGUwNjQ4ZjIxAAA=", "@odata.type": "#Microsoft.Graph.Message"},
        "encryptedContent": encrypted
    }))
    .unwrap()
}

#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    id: String,
    subject: String,
    is_read: bool,
}

#[test]
fn a_graph_style_payload_decrypts_to_the_resource() {
    let decryptor = Decryptor::new(DecryptionKey::from_pem(&pkcs8_pem(key())).unwrap());
    let n = notification_with(encrypt_like_graph(&message(), key(), 32));
    let m: Message = decryptor.decrypt_notification(&n).unwrap();
    assert_eq!(m, Message { id: "AAMkAGUwNjQ4ZjIxAAA=".into(), subject: "Quarterly numbers ✓".into(), is_read: false });

    // as bytes and as a Value, through the parsed encryptedContent
    let content = EncryptedContent::from_notification(&n).unwrap().unwrap();
    assert_eq!(
        content.encryption_certificate_id.as_deref(),
        Some("MySelfSignedCert/DDC9651A-D7BC-4D74-86BC-A8923584B0AB")
    );
    assert_eq!(decryptor.decrypt::<Value>(&content).unwrap(), message());
    assert!(!format!("{content:?}").contains(&content.data), "Debug shows no payload");

    // a PKCS#1 key and a DER key decrypt the same
    let pkcs1 = key().to_pkcs1_pem(LineEnding::LF).unwrap();
    assert_eq!(Decryptor::new(DecryptionKey::from_pem(&pkcs1).unwrap()).decrypt::<Value>(&content).unwrap(), message());
    let der = key().to_pkcs8_der().unwrap();
    assert_eq!(
        Decryptor::new(DecryptionKey::from_der(der.as_bytes()).unwrap()).decrypt::<Value>(&content).unwrap(),
        message()
    );
}

/// Flips one byte of the decoded `field` and encodes it again.
fn flip(encrypted: &Value, field: &str, at: usize) -> Value {
    let mut bytes = STANDARD.decode(encrypted[field].as_str().unwrap()).unwrap();
    let i = at.min(bytes.len() - 1);
    bytes[i] ^= 0x01;
    let mut tampered = encrypted.clone();
    tampered[field] = json!(STANDARD.encode(bytes));
    tampered
}

#[test]
fn a_tampered_payload_is_a_typed_error_and_returns_nothing() {
    let decryptor = Decryptor::new(DecryptionKey::from_pem(&pkcs8_pem(key())).unwrap());
    let good = encrypt_like_graph(&message(), key(), 32);
    let decrypt = |v: Value| decryptor.decrypt_notification::<Value>(&notification_with(v));
    assert!(decrypt(good.clone()).is_ok());

    for at in [0, 17, usize::MAX] {
        assert!(matches!(decrypt(flip(&good, "data", at)), Err(DecryptError::Signature)), "data byte {at}");
        assert!(
            matches!(decrypt(flip(&good, "dataSignature", at)), Err(DecryptError::Signature)),
            "signature byte {at}"
        );
        assert!(matches!(decrypt(flip(&good, "dataKey", at)), Err(DecryptError::DataKey)), "dataKey byte {at}");
    }
    // a shortened or lengthened part
    let mut short = good.clone();
    short["data"] = json!(STANDARD.encode(&STANDARD.decode(good["data"].as_str().unwrap()).unwrap()[16..]));
    assert!(matches!(decrypt(short), Err(DecryptError::Signature)));
    // a character that is not base64
    for field in ["data", "dataSignature", "dataKey"] {
        let mut bad = good.clone();
        bad[field] = json!(format!("*{}", &good[field].as_str().unwrap()[1..]));
        assert!(matches!(decrypt(bad), Err(DecryptError::Base64 { field: f }) if f == field), "{field}");
    }
    // parts swapped between two notifications: the signature binds data to its key
    let other = encrypt_like_graph(&json!({"subject": "forged"}), key(), 32);
    let mut mixed = good.clone();
    mixed["data"] = other["data"].clone();
    mixed["dataSignature"] = other["dataSignature"].clone();
    assert!(matches!(decrypt(mixed), Err(DecryptError::Signature)));
    // Graph's shape, but a part missing
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("dataKey");
    assert!(matches!(decrypt(missing), Err(DecryptError::Malformed(_))));
}

#[test]
fn keys_are_chosen_by_certificate_id_and_a_wrong_key_or_size_is_refused() {
    let ours = DecryptionKey::from_pem(&pkcs8_pem(key())).unwrap();
    let theirs = DecryptionKey::from_pem(&pkcs8_pem(other_key())).unwrap();
    let n = notification_with(encrypt_like_graph(&message(), key(), 32));

    // the key registered for the notification's certificate id wins over the default
    let by_id = Decryptor::new(theirs.clone())
        .with_certificate("MySelfSignedCert/DDC9651A-D7BC-4D74-86BC-A8923584B0AB", ours.clone());
    assert!(by_id.decrypt_notification::<Message>(&n).is_ok());
    // the wrong certificate's key cannot open dataKey
    assert!(matches!(Decryptor::new(theirs).decrypt_notification::<Message>(&n), Err(DecryptError::DataKey)));
    // no key for that certificate at all
    let only_other = Decryptor::default().with_certificate("rotated-away", ours.clone());
    assert!(matches!(
        only_other.decrypt_notification::<Message>(&n),
        Err(DecryptError::UnknownCertificate(Some(id))) if id.starts_with("MySelfSignedCert/")
    ));
    // not a rich notification; or the wrong type asked for
    let plain: Notification = serde_json::from_value(json!({"subscriptionId": "sub-1"})).unwrap();
    let decryptor = Decryptor::new(ours);
    assert!(matches!(decryptor.decrypt_notification::<Message>(&plain), Err(DecryptError::NotEncrypted)));
    assert!(matches!(decryptor.decrypt_notification::<Vec<u8>>(&n), Err(DecryptError::Json(_))));
    // a data key that is not AES-256's
    let short_key = notification_with(encrypt_like_graph(&message(), key(), 16));
    assert!(matches!(decryptor.decrypt_notification::<Message>(&short_key), Err(DecryptError::KeyLength(16))));

    assert!(matches!(
        DecryptionKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
        Err(KeyError::Unreadable)
    ));
    assert!(matches!(DecryptionKey::from_pem("not a key"), Err(KeyError::Unreadable)));
    let small = rsa::PrivateKey::new(&mut Os, 1024).unwrap();
    assert!(matches!(DecryptionKey::from_pem(&pkcs8_pem(&small)), Err(KeyError::Size(1024))));
    assert!(!format!("{decryptor:?}").contains("PRIVATE"), "Debug shows no key");
}

// ---- validation tokens ----

fn jwk(kid: &str, key: &rsa::PrivateKey) -> Jwk {
    let public = key.to_public_key();
    Jwk::rsa(kid, &public.n_bytes(), &public.e_bytes())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn claims() -> Value {
    json!({
        "aud": APP_ID,
        "iss": format!("https://sts.windows.net/{TENANT}/"),
        "iat": now() - 60,
        "nbf": now() - 60,
        "exp": now() + 3600,
        "azp": NOTIFICATION_PUBLISHER_APP_ID,
        "appidacr": "2",
        "tid": TENANT,
        "ver": "2.0"
    })
}

/// An RS256 JWT with `kid`, signed by `key`.
fn sign(header: Value, claims: &Value, key: &rsa::PrivateKey) -> String {
    let signed =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let pair = ring::signature::RsaKeyPair::from_pkcs8(key.to_pkcs8_der().unwrap().as_bytes()).unwrap();
    let mut signature = vec![0; pair.public().modulus_len()];
    pair.sign(&ring::signature::RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), signed.as_bytes(), &mut signature)
        .unwrap();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
}

fn token(claims: &Value) -> String {
    sign(json!({"typ": "JWT", "alg": "RS256", "kid": "key-1"}), claims, key())
}

fn validator() -> TokenValidator {
    TokenValidator::new(APP_ID, Jwks::new(vec![jwk("key-1", key())]))
}

#[tokio::test]
async fn a_token_signed_with_a_published_key_for_the_app_is_valid() {
    let v = validator();
    let valid = v.validate(&token(&claims())).await.unwrap();
    assert_eq!((valid.tenant_id.as_str(), valid.app_id.as_str()), (TENANT, APP_ID));
    assert!(valid.expires_at > chrono::Utc::now());

    // v1 tokens name the publisher `appid`; `aud` may be a list
    let mut v1 = claims();
    let c = v1.as_object_mut().unwrap();
    c.remove("azp");
    c.insert("appid".into(), json!(NOTIFICATION_PUBLISHER_APP_ID));
    c.insert("aud".into(), json!(["someone-else", APP_ID]));
    c.insert("ver".into(), json!("1.0"));
    assert!(v.validate(&token(&v1)).await.is_ok());
    // within the leeway
    let mut skewed = claims();
    skewed["exp"] = json!(now() - 30);
    skewed["nbf"] = json!(now() + 30);
    assert!(v.validate(&token(&skewed)).await.is_ok());
    // several apps behind one URL
    let mut other_app = claims();
    other_app["aud"] = json!("second-app");
    assert!(validator().also_for_app("second-app").validate(&token(&other_app)).await.is_ok());
}

#[tokio::test]
async fn wrong_claims_bad_signatures_and_unknown_keys_are_rejected() {
    let v = validator();
    let with = |key: &str, value: Value| {
        let mut c = claims();
        c[key] = value;
        token(&c)
    };
    assert!(matches!(v.validate(&with("aud", json!("another-app"))).await, Err(TokenError::Audience(_))));
    assert!(matches!(
        v.validate(&with("azp", json!("11111111-2222-3333-4444-555555555555"))).await,
        Err(TokenError::Publisher(_))
    ));
    assert!(matches!(
        v.validate(&with("appid", json!("11111111-2222-3333-4444-555555555555"))).await,
        Err(TokenError::Publisher(_))
    ));
    let mut no_publisher = claims();
    no_publisher.as_object_mut().unwrap().remove("azp");
    assert!(matches!(v.validate(&token(&no_publisher)).await, Err(TokenError::Publisher(_))));
    assert!(matches!(v.validate(&with("exp", json!(now() - 3600))).await, Err(TokenError::Expired)));
    assert!(matches!(v.validate(&with("nbf", json!(now() + 3600))).await, Err(TokenError::NotYetValid)));
    assert!(matches!(v.validate(&with("iss", json!("https://evil.example/"))).await, Err(TokenError::Issuer(_))));
    assert!(matches!(
        v.validate(&with("iss", json!("https://sts.windows.net/00000000-0000-0000-0000-000000000000/"))).await,
        Err(TokenError::Issuer(_))
    ));
    assert!(matches!(v.validate(&with("aud", Value::Null)).await, Err(TokenError::Malformed(_))));

    // a flipped signature byte; claims changed after signing; signed by another key under the right kid
    let good = token(&claims());
    let (signed, sig) = good.rsplit_once('.').unwrap();
    let mut sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    sig[10] ^= 1;
    assert!(matches!(
        v.validate(&format!("{signed}.{}", URL_SAFE_NO_PAD.encode(&sig))).await,
        Err(TokenError::Signature)
    ));
    let parts: Vec<&str> = good.split('.').collect();
    let mut forged_claims = claims();
    forged_claims["aud"] = json!("another-app");
    let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(forged_claims.to_string()), parts[2]);
    assert!(matches!(v.validate(&forged).await, Err(TokenError::Signature)));
    let impostor = sign(json!({"alg": "RS256", "kid": "key-1"}), &claims(), other_key());
    assert!(matches!(v.validate(&impostor).await, Err(TokenError::Signature)));

    // a kid the key source does not publish
    let unknown = sign(json!({"alg": "RS256", "kid": "key-2"}), &claims(), key());
    assert!(matches!(v.validate(&unknown).await, Err(TokenError::UnknownKey(k)) if k == "key-2"));
    // other algorithms, and not a JWT at all
    let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"key-1"}"#), parts[1]);
    assert!(matches!(v.validate(&none).await, Err(TokenError::Algorithm(a)) if a == "none"));
    let hs = sign(json!({"alg": "HS256", "kid": "key-1"}), &claims(), key());
    assert!(matches!(v.validate(&hs).await, Err(TokenError::Algorithm(_))));
    let no_kid = sign(json!({"alg": "RS256"}), &claims(), key());
    assert!(matches!(v.validate(&no_kid).await, Err(TokenError::Malformed(_))));
    for junk in ["", "a.b", "a.b.c.d", "!!!.???.***"] {
        assert!(matches!(v.validate(junk).await, Err(TokenError::Malformed(_))), "{junk:?}");
    }
}

/// Publishes `keys`, which a test can rotate; counts fetches.
#[derive(Debug, Default)]
struct Rotating {
    keys: Mutex<Jwks>,
    fetches: Mutex<usize>,
}

#[derive(Debug, Clone)]
struct Shared(Arc<Rotating>);

#[async_trait]
impl KeySource for Shared {
    async fn fetch(&self) -> Result<Jwks, TokenError> {
        *self.0.fetches.lock().unwrap() += 1;
        Ok(self.0.keys.lock().unwrap().clone())
    }
}

#[tokio::test]
async fn keys_are_cached_and_fetched_again_for_an_unknown_kid() {
    let source = Arc::new(Rotating::default());
    *source.keys.lock().unwrap() = Jwks::new(vec![jwk("key-1", key())]);
    let v = TokenValidator::new(APP_ID, Shared(source.clone())).with_min_refresh_interval(Duration::ZERO);
    v.validate(&token(&claims())).await.unwrap();
    v.validate(&token(&claims())).await.unwrap();
    assert_eq!(*source.fetches.lock().unwrap(), 1, "cached");

    // Microsoft rotates: key-2 appears; a token with it fetches the keys once more
    *source.keys.lock().unwrap() = Jwks::new(vec![jwk("key-1", key()), jwk("key-2", other_key())]);
    let rotated = sign(json!({"alg": "RS256", "kid": "key-2"}), &claims(), other_key());
    v.validate(&rotated).await.unwrap();
    assert_eq!(*source.fetches.lock().unwrap(), 2);

    // with the default interval, forged kids cannot make it fetch on every token
    let throttled = TokenValidator::new(APP_ID, Shared(source.clone()));
    throttled.refresh().await.unwrap();
    let before = *source.fetches.lock().unwrap();
    for i in 0..5 {
        let forged = sign(json!({"alg": "RS256", "kid": format!("forged-{i}")}), &claims(), key());
        assert!(matches!(throttled.validate(&forged).await, Err(TokenError::UnknownKey(_))));
    }
    assert_eq!(*source.fetches.lock().unwrap(), before);
}

#[tokio::test]
async fn the_http_key_source_reads_a_jwks_document() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/common/discovery/v2.0/keys"))
        .respond_with(ResponseTemplate::new(200).set_body_json(Jwks::new(vec![jwk("key-1", key())])))
        .expect(1)
        .mount(&server)
        .await;
    let http = msgraph_core::default_http_client(Duration::from_secs(5)).unwrap();
    let source = HttpKeySource::new(http.clone(), format!("{}/common/discovery/v2.0/keys", server.uri()));
    let v = TokenValidator::new(APP_ID, source);
    assert!(v.validate(&token(&claims())).await.is_ok());
    assert!(v.validate(&token(&claims())).await.is_ok());

    let broken = TokenValidator::new(APP_ID, HttpKeySource::new(http, format!("{}/nothing-here", server.uri())));
    assert!(matches!(broken.validate(&token(&claims())).await, Err(TokenError::KeyFetch(_))));
}

// ---- the receiver ----

fn batch(tokens: &[String]) -> Vec<u8> {
    let mut n = serde_json::to_value(notification_with(encrypt_like_graph(&message(), key(), 32))).unwrap();
    n["clientState"] = json!("secretClientValue");
    json!({"value": [n], "validationTokens": tokens}).to_string().into_bytes()
}

fn receiver(validator: Option<TokenValidator>) -> (Receiver, tokio::sync::mpsc::Receiver<Notification>) {
    let states = ClientStates::new();
    states.insert("sub-1", "secretClientValue");
    let (r, rx) = Receiver::new(states, 10);
    (
        match validator {
            Some(v) => r.require_validation_tokens(v),
            None => r,
        },
        rx,
    )
}

#[tokio::test]
async fn a_receiver_requiring_tokens_hands_over_valid_batches_only() {
    let v = validator();
    v.refresh().await.unwrap();
    let (r, mut rx) = receiver(Some(v));

    let forged = {
        let good = token(&claims());
        let (signed, _) = good.rsplit_once('.').unwrap();
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode([7u8; 256]))
    };
    let mut wrong_aud = claims();
    wrong_aud["aud"] = json!("another-app");
    let mut other_tenant = claims();
    other_tenant["tid"] = json!("00000000-0000-0000-0000-000000000000");
    other_tenant["iss"] = json!("https://sts.windows.net/00000000-0000-0000-0000-000000000000/");
    for (what, tokens) in [
        ("forged signature", vec![forged.clone()]),
        ("no tokens", vec![]),
        ("another app's token", vec![token(&wrong_aud)]),
        ("a valid token next to a forged one", vec![token(&claims()), forged]),
        ("a token for another tenant", vec![token(&other_tenant)]),
    ] {
        assert_eq!(r.handle("POST", None, &HeaderMap::new(), &batch(&tokens)).status, 202, "{what}: still 202");
        tokio::task::yield_now().await;
        assert!(rx.try_recv().is_err(), "{what}: never handed over");
    }

    assert_eq!(r.handle("POST", None, &HeaderMap::new(), &batch(&[token(&claims())])).status, 202);
    let n = rx.try_recv().expect("a valid batch is handed over at once (keys cached)");
    let m: Message =
        Decryptor::new(DecryptionKey::from_pem(&pkcs8_pem(key())).unwrap()).decrypt_notification(&n).unwrap();
    assert_eq!(m.subject, "Quarterly numbers ✓");

    // a plain batch (no resource data, no tokens) is checked as before
    let plain =
        json!({"value": [{"subscriptionId": "sub-1", "clientState": "secretClientValue", "changeType": "updated"}]});
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), plain.to_string().as_bytes()).status, 202);
    assert!(rx.try_recv().is_ok());
}

#[tokio::test]
async fn keys_not_yet_fetched_are_fetched_after_the_202() {
    let source = Arc::new(Rotating::default());
    *source.keys.lock().unwrap() = Jwks::new(vec![jwk("key-1", key())]);
    let (r, mut rx) = receiver(Some(TokenValidator::new(APP_ID, Shared(source.clone()))));
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), &batch(&[token(&claims())])).status, 202);
    let n = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.unwrap().unwrap();
    assert!(n.encrypted_content.is_some());
    assert_eq!(*source.fetches.lock().unwrap(), 1);

    // and a forged token that needs a fetch is dropped there
    let forged = sign(json!({"alg": "RS256", "kid": "key-9"}), &claims(), other_key());
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), &batch(&[forged])).status, 202);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn a_full_channel_still_answers_503_with_tokens_required() {
    let v = validator();
    v.refresh().await.unwrap();
    let states = ClientStates::new();
    states.insert("sub-1", "secretClientValue");
    let (r, mut rx) = Receiver::new(states, 1);
    let r = r.require_validation_tokens(v);
    let one = batch(&[token(&claims())]);
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), &one).status, 202);
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), &one).status, 503, "no room");
    assert!(rx.try_recv().is_ok());
    assert!(rx.try_recv().is_err());
}

#[test]
fn without_require_the_receiver_is_unchanged() {
    let (r, mut rx) = receiver(None);
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), &batch(&[])).status, 202);
    assert!(rx.try_recv().is_ok(), "clientState alone, as before");
}
