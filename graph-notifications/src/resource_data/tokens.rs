//! Validating a batch's `validationTokens`: RS256 JWTs from the Microsoft
//! identity platform, issued to Graph's notification publisher for the app.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::notification::Notification;

/// The app id of Microsoft Graph's change-notification publisher: the
/// `azp`/`appid` of every genuine validation token.
pub const NOTIFICATION_PUBLISHER_APP_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

/// Where the identity platform publishes its token-signing keys (JWKS).
pub const MICROSOFT_SIGNING_KEYS_URL: &str = "https://login.microsoftonline.com/common/discovery/v2.0/keys";

/// How far clocks may disagree when `exp` and `nbf` are checked (by default).
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(120);

/// Keys older than this are fetched again before use (Microsoft rotates them often).
const MAX_KEY_AGE: Duration = Duration::from_secs(12 * 3600);
/// An unknown `kid` refetches the keys at most this often, so forged tokens
/// cannot make the receiver hammer the key endpoint.
const DEFAULT_MIN_REFRESH: Duration = Duration::from_secs(60);
/// The largest JWKS document read, and the time a fetch may take.
const MAX_JWKS_BYTES: usize = 1024 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// base64url, with or without padding.
const B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One key of a JWKS document (RSA keys are the ones used).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Jwk {
    /// Key type; only `RSA` keys are used.
    #[serde(default)]
    pub kty: String,
    /// The key id tokens name in their header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// `sig` for signing keys.
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub key_use: Option<String>,
    /// The modulus, base64url (big-endian).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// The public exponent, base64url (big-endian).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
}

impl Jwk {
    /// An RSA signing key from its id and its modulus and exponent (big-endian bytes).
    pub fn rsa(kid: impl Into<String>, n: &[u8], e: &[u8]) -> Jwk {
        let b64 = general_purpose::URL_SAFE_NO_PAD;
        Jwk {
            kty: "RSA".into(),
            kid: Some(kid.into()),
            key_use: Some("sig".into()),
            n: Some(b64.encode(n)),
            e: Some(b64.encode(e)),
        }
    }
}

/// A JWKS document: `{"keys": [...]}`. It is itself a [`KeySource`] (fixed
/// keys: tests, or keys pinned by the app).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Jwks {
    /// The keys.
    #[serde(default)]
    pub keys: Vec<Jwk>,
}

impl Jwks {
    /// A document with these keys.
    pub fn new(keys: Vec<Jwk>) -> Jwks {
        Jwks { keys }
    }
}

/// Where the validator gets the identity platform's signing keys. The
/// default is [`HttpKeySource`] on [`MICROSOFT_SIGNING_KEYS_URL`]; tests
/// inject [`Jwks`] or their own source.
#[async_trait]
pub trait KeySource: Send + Sync + std::fmt::Debug + 'static {
    /// The currently published keys.
    async fn fetch(&self) -> Result<Jwks, TokenError>;
}

#[async_trait]
impl KeySource for Jwks {
    async fn fetch(&self) -> Result<Jwks, TokenError> {
        Ok(self.clone())
    }
}

/// Fetches a JWKS document over HTTP (GET, 10 s timeout, 1 MiB at most).
#[derive(Debug, Clone)]
pub struct HttpKeySource {
    http: reqwest::Client,
    url: String,
}

impl HttpKeySource {
    /// The identity platform's keys through the SDK's HTTP client
    /// ([`msgraph_core::default_http_client`]: TLS as msgraph-core's features choose).
    pub fn microsoft() -> Result<HttpKeySource, msgraph_core::Error> {
        let http = msgraph_core::default_http_client(FETCH_TIMEOUT)?;
        Ok(HttpKeySource::new(http, MICROSOFT_SIGNING_KEYS_URL))
    }

    /// The keys at `url`, through `http` (e.g. a client with the app's proxy).
    pub fn new(http: reqwest::Client, url: impl Into<String>) -> HttpKeySource {
        HttpKeySource { http, url: url.into() }
    }
}

#[async_trait]
impl KeySource for HttpKeySource {
    async fn fetch(&self) -> Result<Jwks, TokenError> {
        let fail = |what: String| TokenError::KeyFetch(format!("{}: {what}", self.url));
        let response = self.http.get(&self.url).timeout(FETCH_TIMEOUT).send().await.map_err(|e| fail(e.to_string()))?;
        if !response.status().is_success() {
            return Err(fail(format!("HTTP {}", response.status())));
        }
        if response.content_length().is_some_and(|n| n > MAX_JWKS_BYTES as u64) {
            return Err(fail("document too large".into()));
        }
        let body = response.bytes().await.map_err(|e| fail(e.to_string()))?;
        if body.len() > MAX_JWKS_BYTES {
            return Err(fail("document too large".into()));
        }
        serde_json::from_slice(&body).map_err(|e| fail(format!("not a JWKS document: {e}")))
    }
}

/// Why a validation token (or a batch's tokens) was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a JWT (three base64url parts of JSON), or a required claim is missing.
    #[error("malformed validation token: {0}")]
    Malformed(&'static str),
    /// Signed with something else than RS256.
    #[error("validation token signed with {0:?}, not RS256")]
    Algorithm(String),
    /// No published key has the token's `kid` (even after fetching the keys again).
    #[error("no signing key with kid {0:?}")]
    UnknownKey(String),
    /// The signature does not verify with the published key.
    #[error("the validation token's signature does not verify")]
    Signature,
    /// `exp` has passed (beyond the leeway).
    #[error("the validation token has expired")]
    Expired,
    /// `nbf` is still to come (beyond the leeway).
    #[error("the validation token is not valid yet")]
    NotYetValid,
    /// `aud` is none of the app's ids.
    #[error("the validation token is for another app ({0:?})")]
    Audience(String),
    /// `azp`/`appid` is not Graph's notification publisher.
    #[error("the validation token was not issued to Graph's notification publisher ({0:?})")]
    Publisher(String),
    /// `iss` is not `https://sts.windows.net/{tid}/`.
    #[error("the validation token has an unexpected issuer ({0:?})")]
    Issuer(String),
    /// A batch with resource data and no `validationTokens`.
    #[error("a batch with resource data carries no validationTokens")]
    Missing,
    /// A notification's tenant has no valid token in its batch.
    #[error("no validation token for tenant {0:?}")]
    TenantNotCovered(String),
    /// The signing keys could not be fetched.
    #[error("could not fetch the signing keys: {0}")]
    KeyFetch(String),
}

/// What a valid token says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidatedToken {
    /// The tenant it was issued for (`tid`).
    pub tenant_id: String,
    /// The app it was issued for (`aud`).
    pub app_id: String,
    /// When it expires (`exp`).
    pub expires_at: DateTime<Utc>,
}

#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, ring::signature::RsaPublicKeyComponents<Vec<u8>>>,
    fetched_at: Option<Instant>,
}

/// Validates the `validationTokens` of rich notifications, as Graph
/// prescribes: RS256 signature with the identity platform's published key
/// (by `kid`), `exp`/`nbf` (with a small leeway), `aud` = the app's id,
/// `azp`/`appid` = [`NOTIFICATION_PUBLISHER_APP_ID`], and
/// `iss` = `https://sts.windows.net/{tid}/`.
///
/// Keys are fetched from the [`KeySource`] on first use, kept for 12
/// hours, and fetched again when a token names an unknown `kid` (at most
/// once a minute). Cheap to clone (clones share the key cache).
///
/// ```no_run
/// # async fn run(batch_tokens: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
/// use msgraph_notifications::resource_data::TokenValidator;
/// let validator = TokenValidator::microsoft("8e460676-ae3f-4b1e-8790-ee0fb5d6148f")?;
/// validator.refresh().await?; // optional: the keys, before the first notification
/// for token in &batch_tokens {
///     let valid = validator.validate(token).await?;
///     println!("for tenant {}", valid.tenant_id);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TokenValidator {
    app_ids: Arc<Vec<String>>,
    leeway: Duration,
    min_refresh: Duration,
    source: Arc<dyn KeySource>,
    cache: Arc<RwLock<KeyCache>>,
    refreshing: Arc<tokio::sync::Mutex<Option<Instant>>>,
}

impl std::fmt::Debug for TokenValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = self.cache.read().map(|c| c.keys.len()).unwrap_or(0);
        f.debug_struct("TokenValidator")
            .field("app_ids", &self.app_ids)
            .field("leeway", &self.leeway)
            .field("source", &self.source)
            .field("cached_keys", &keys)
            .finish_non_exhaustive()
    }
}

impl TokenValidator {
    /// Tokens for `app_id` (the app's client id), with keys from `keys`.
    pub fn new(app_id: impl Into<String>, keys: impl KeySource) -> TokenValidator {
        TokenValidator {
            app_ids: Arc::new(vec![app_id.into()]),
            leeway: DEFAULT_LEEWAY,
            min_refresh: DEFAULT_MIN_REFRESH,
            source: Arc::new(keys),
            cache: Arc::default(),
            refreshing: Arc::default(),
        }
    }

    /// Tokens for `app_id`, with the identity platform's published keys
    /// ([`HttpKeySource::microsoft`]).
    pub fn microsoft(app_id: impl Into<String>) -> Result<TokenValidator, msgraph_core::Error> {
        Ok(TokenValidator::new(app_id, HttpKeySource::microsoft()?))
    }

    /// Also accepts tokens for `app_id` (several apps sharing one notification URL).
    pub fn also_for_app(mut self, app_id: impl Into<String>) -> TokenValidator {
        Arc::make_mut(&mut self.app_ids).push(app_id.into());
        self
    }

    /// How far clocks may disagree for `exp` and `nbf` ([`DEFAULT_LEEWAY`] by default).
    pub fn with_leeway(mut self, leeway: Duration) -> TokenValidator {
        self.leeway = leeway;
        self
    }

    /// How often an unknown `kid` may fetch the keys again (a minute by default).
    pub fn with_min_refresh_interval(mut self, interval: Duration) -> TokenValidator {
        self.min_refresh = interval;
        self
    }

    /// Fetches the keys now (e.g. at start, so the first notification needs no fetch).
    pub async fn refresh(&self) -> Result<(), TokenError> {
        let mut last = self.refreshing.lock().await;
        self.fetch_locked(&mut last).await
    }

    async fn fetch_locked(&self, last_attempt: &mut Option<Instant>) -> Result<(), TokenError> {
        *last_attempt = Some(Instant::now());
        let jwks = self.source.fetch().await?;
        let mut keys = HashMap::new();
        for jwk in jwks.keys {
            let usable = jwk.kty == "RSA" && jwk.key_use.as_deref().is_none_or(|u| u == "sig");
            let (Some(kid), Some(n), Some(e), true) = (jwk.kid, jwk.n, jwk.e, usable) else { continue };
            let (Ok(n), Ok(e)) = (B64URL.decode(n), B64URL.decode(e)) else { continue };
            let strip = |v: Vec<u8>| v.iter().position(|b| *b != 0).map(|i| v[i..].to_vec()).unwrap_or_default();
            keys.insert(kid, ring::signature::RsaPublicKeyComponents { n: strip(n), e: strip(e) });
        }
        tracing::debug!(keys = keys.len(), "validation-token signing keys fetched");
        if let Ok(mut cache) = self.cache.write() {
            *cache = KeyCache { keys, fetched_at: Some(Instant::now()) };
        }
        Ok(())
    }

    /// Fetches the keys when there are none or they are old; when `kid` is
    /// given and unknown, fetches them again unless that was done within
    /// the minimum refresh interval.
    async fn ensure_keys(&self, kid: Option<&str>) -> Result<(), TokenError> {
        if self.keys_fresh() && kid.is_none_or(|k| self.has_key(k)) {
            return Ok(());
        }
        let mut last = self.refreshing.lock().await;
        // someone else may have fetched while we waited
        if self.keys_fresh() && kid.is_none_or(|k| self.has_key(k)) {
            return Ok(());
        }
        if last.is_some_and(|t| t.elapsed() < self.min_refresh) {
            // fetched (or tried) a moment ago: an unknown kid stays unknown
            return if self.has_any_key() {
                Ok(())
            } else {
                Err(TokenError::KeyFetch("no signing keys; the last fetch failed a moment ago".into()))
            };
        }
        match self.fetch_locked(&mut last).await {
            Ok(()) => Ok(()),
            // old keys still verify what they signed
            Err(e) if self.has_any_key() => {
                tracing::warn!(error = %e, "could not refresh the validation-token signing keys; using the cached ones");
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    pub(crate) fn keys_fresh(&self) -> bool {
        self.cache.read().ok().and_then(|c| c.fetched_at).is_some_and(|t| t.elapsed() < MAX_KEY_AGE)
    }

    fn has_key(&self, kid: &str) -> bool {
        self.cache.read().is_ok_and(|c| c.keys.contains_key(kid))
    }

    fn has_any_key(&self) -> bool {
        self.cache.read().is_ok_and(|c| !c.keys.is_empty())
    }

    /// Validates one token, fetching the keys when needed.
    pub async fn validate(&self, token: &str) -> Result<ValidatedToken, TokenError> {
        let kid = parse(token)?.kid;
        self.ensure_keys(Some(&kid)).await?;
        self.validate_cached(token)
    }

    /// Validates one token with the keys already cached, without any I/O
    /// ([`TokenError::UnknownKey`] when its key is not cached).
    pub fn validate_cached(&self, token: &str) -> Result<ValidatedToken, TokenError> {
        let jwt = parse(token)?;
        {
            let cache = self.cache.read().map_err(|_| TokenError::UnknownKey(jwt.kid.clone()))?;
            let key = cache.keys.get(&jwt.kid).ok_or_else(|| TokenError::UnknownKey(jwt.kid.clone()))?;
            key.verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, jwt.signed.as_bytes(), &jwt.signature)
                .map_err(|_| TokenError::Signature)?;
        }
        // the claims are read only once the signature is known to be good
        let claims: Claims =
            serde_json::from_slice(&jwt.payload).map_err(|_| TokenError::Malformed("claims are not JSON"))?;
        self.check_claims(claims)
    }

    fn check_claims(&self, claims: Claims) -> Result<ValidatedToken, TokenError> {
        let now = Utc::now().timestamp();
        let leeway = i64::try_from(self.leeway.as_secs()).unwrap_or(i64::MAX);
        let exp = claims.exp.ok_or(TokenError::Malformed("no exp"))?;
        if now > exp.saturating_add(leeway) {
            return Err(TokenError::Expired);
        }
        if claims.nbf.is_some_and(|nbf| now.saturating_add(leeway) < nbf) {
            return Err(TokenError::NotYetValid);
        }
        let audiences = match claims.aud {
            Some(Audience::One(a)) => vec![a],
            Some(Audience::Many(a)) => a,
            None => return Err(TokenError::Malformed("no aud")),
        };
        let app_id = audiences
            .iter()
            .find(|a| self.app_ids.iter().any(|id| id.eq_ignore_ascii_case(a)))
            .cloned()
            .ok_or_else(|| TokenError::Audience(audiences.join(",")))?;
        // v2 tokens say azp, v1 tokens appid; whichever is there must be Graph's publisher
        let publishers = [claims.azp.as_deref(), claims.appid.as_deref()];
        if publishers.iter().all(Option::is_none) {
            return Err(TokenError::Publisher(String::new()));
        }
        if let Some(other) =
            publishers.into_iter().flatten().find(|p| !p.eq_ignore_ascii_case(NOTIFICATION_PUBLISHER_APP_ID))
        {
            return Err(TokenError::Publisher(other.to_owned()));
        }
        let tenant = claims.tid.filter(|t| !t.is_empty() && !t.contains('/')).ok_or(TokenError::Malformed("no tid"))?;
        let iss = claims.iss.unwrap_or_default();
        if iss != format!("https://sts.windows.net/{tenant}/") {
            return Err(TokenError::Issuer(iss));
        }
        let expires_at = DateTime::from_timestamp(exp, 0).ok_or(TokenError::Malformed("exp out of range"))?;
        Ok(ValidatedToken { tenant_id: tenant, app_id, expires_at })
    }

    /// Validates a batch's tokens against its notifications, fetching keys
    /// when needed: there must be tokens, every one of them valid (Graph:
    /// "if any tokens fail, consider the change notification suspicious"),
    /// and every notification's `tenantId` covered by one of them.
    pub async fn validate_batch(
        &self,
        tokens: &[String],
        notifications: &[Notification],
    ) -> Result<Vec<ValidatedToken>, TokenError> {
        let mut valid = Vec::with_capacity(tokens.len());
        for token in tokens {
            valid.push(self.validate(token).await?);
        }
        covers(tokens, valid, notifications)
    }

    /// [`validate_batch`](Self::validate_batch) with the cached keys only (no I/O).
    pub fn validate_batch_cached(
        &self,
        tokens: &[String],
        notifications: &[Notification],
    ) -> Result<Vec<ValidatedToken>, TokenError> {
        let valid = tokens.iter().map(|t| self.validate_cached(t)).collect::<Result<Vec<_>, _>>()?;
        covers(tokens, valid, notifications)
    }
}

fn covers(
    tokens: &[String],
    valid: Vec<ValidatedToken>,
    notifications: &[Notification],
) -> Result<Vec<ValidatedToken>, TokenError> {
    if tokens.is_empty() {
        return Err(TokenError::Missing);
    }
    for n in notifications {
        if let Some(tenant) = &n.tenant_id
            && !valid.iter().any(|v| v.tenant_id.eq_ignore_ascii_case(tenant))
        {
            return Err(TokenError::TenantNotCovered(tenant.clone()));
        }
    }
    Ok(valid)
}

struct Jwt {
    kid: String,
    signed: String,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

#[derive(Deserialize)]
struct Header {
    alg: Option<String>,
    kid: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct Claims {
    aud: Option<Audience>,
    iss: Option<String>,
    tid: Option<String>,
    azp: Option<String>,
    appid: Option<String>,
    exp: Option<i64>,
    nbf: Option<i64>,
}

fn parse(token: &str) -> Result<Jwt, TokenError> {
    let token = token.trim();
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Malformed("not three parts"));
    };
    let header = B64URL.decode(h).map_err(|_| TokenError::Malformed("header is not base64url"))?;
    let header: Header = serde_json::from_slice(&header).map_err(|_| TokenError::Malformed("header is not JSON"))?;
    let alg = header.alg.unwrap_or_default();
    if alg != "RS256" {
        return Err(TokenError::Algorithm(alg));
    }
    let kid = header.kid.ok_or(TokenError::Malformed("no kid"))?;
    let payload = B64URL.decode(p).map_err(|_| TokenError::Malformed("claims are not base64url"))?;
    let signature = B64URL.decode(s).map_err(|_| TokenError::Malformed("signature is not base64url"))?;
    Ok(Jwt { kid, signed: format!("{h}.{p}"), payload, signature })
}
