//! What every credential shares: silent first (memory, cache, refresh
//! token, then the flow's own sign-in), refresh ahead of expiry, and a
//! single token request however many callers ask at once.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use msgraph_core::{AccessToken, Result, Secret, TokenRequest};

use crate::authority::{Authority, delegated_scope_param};
use crate::cache::{CachedToken, TokenCache, TokenCacheKey};
use crate::certificate::ClientCertificate;
use crate::endpoint::{EndpointError, Form, IdentityClient};
use crate::token::TokenResponse;

/// Tokens are refreshed this long before they expire, or halfway through
/// their lifetime when that is shorter (see [`CachedToken::needs_refresh`]).
pub const REFRESH_MARGIN: chrono::Duration = chrono::Duration::minutes(5);

/// How the app proves who it is at the token endpoint.
#[derive(Clone)]
pub(crate) enum ClientAuth {
    /// A public client (device code, desktop apps).
    None,
    /// `client_secret`.
    Secret(Secret),
    /// `client_assertion`: a JWT signed with the certificate's key.
    Certificate(Arc<ClientCertificate>),
}

impl fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientAuth::None => f.write_str("None"),
            ClientAuth::Secret(_) => f.write_str("Secret(<redacted>)"),
            ClientAuth::Certificate(c) => f.debug_tuple("Certificate").field(c).finish(),
        }
    }
}

/// The configuration a flow needs to talk to the identity platform.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    pub(crate) authority: Authority,
    pub(crate) client_id: String,
    pub(crate) client_auth: ClientAuth,
    /// The Graph scopes (qualified, without the OpenID Connect ones).
    pub(crate) scopes: Vec<String>,
    pub(crate) http: IdentityClient,
}

impl Core {
    /// A token request form: `grant_type`, `client_id` and the client's
    /// authentication.
    pub(crate) fn token_form(&self, grant_type: &str) -> Result<Form> {
        let mut form = Form::new();
        form.set("grant_type", grant_type).set("client_id", self.client_id.clone());
        match &self.client_auth {
            ClientAuth::None => {}
            ClientAuth::Secret(s) => {
                form.set_secret("client_secret", s);
            }
            ClientAuth::Certificate(cert) => {
                let jwt = cert.assertion(self.authority.token_url.as_str(), &self.client_id)?;
                form.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                    .set_secret("client_assertion", &jwt);
            }
        }
        Ok(form)
    }

    /// POSTs a token request.
    pub(crate) async fn request_token(&self, form: &Form) -> std::result::Result<TokenResponse, EndpointError> {
        self.http.post(&self.authority.token_url, form).await
    }

    /// The `scope` parameter of a delegated request.
    pub(crate) fn delegated_scope(&self) -> String {
        delegated_scope_param(&self.scopes)
    }

    fn base_key(&self) -> TokenCacheKey {
        TokenCacheKey::new(
            self.authority.cloud,
            self.authority.tenant.clone(),
            self.client_id.clone(),
            None,
            &self.scopes,
        )
    }
}

/// A way to get a token without a refresh token.
#[async_trait]
pub(crate) trait Flow: Send + Sync + fmt::Debug + 'static {
    /// True for sign-ins on behalf of a user (refresh tokens, accounts).
    fn delegated(&self) -> bool;

    /// The interactive sign-in, or the client credentials grant.
    async fn acquire(&self, core: &Core, claims: Option<&str>) -> Result<TokenResponse>;
}

/// The token machinery behind each credential.
pub(crate) struct Engine {
    pub(crate) core: Core,
    flow: Box<dyn Flow>,
    cache: Arc<dyn TokenCache>,
    account_hint: Option<String>,
    /// The last token handed out (no refresh token): the lock-free fast path.
    current: Mutex<Option<CachedToken>>,
    /// Bumped whenever `current` changes.
    generation: AtomicU64,
    /// Bumped when a token acquisition finishes (under the flight lock).
    attempts: AtomicU64,
    /// Held by whoever is getting a new token; the others queue on it.
    flight: tokio::sync::Mutex<FlightState>,
}

#[derive(Default)]
struct FlightState {
    /// The account the last sign-in was for.
    account: Option<String>,
    /// The last entry stored, in case the cache failed to keep it.
    last: Option<(TokenCacheKey, CachedToken)>,
    /// How the last acquisition failed, if it did: callers that queued
    /// behind it get the same answer instead of each starting a sign-in.
    last_failure: Option<msgraph_core::AuthError>,
    /// The claims challenge the published token was acquired for (`None`:
    /// no challenge), so callers that queued behind it with the same
    /// challenge take it instead of each asking again.
    published_claims: Option<String>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("client_id", &self.core.client_id)
            .field("tenant", &self.core.authority.tenant)
            .field("cloud", &self.core.authority.cloud)
            .field("token_url", &self.core.authority.token_url.as_str())
            .field("scopes", &self.core.scopes)
            .field("client_auth", &self.core.client_auth)
            .field("flow", &self.flow)
            .field("cache", &self.cache)
            .finish()
    }
}

impl Engine {
    pub(crate) fn new(core: Core, flow: impl Flow, cache: Arc<dyn TokenCache>, account_hint: Option<String>) -> Self {
        Engine {
            core,
            flow: Box::new(flow),
            cache,
            account_hint,
            current: Mutex::new(None),
            generation: AtomicU64::new(0),
            attempts: AtomicU64::new(0),
            flight: tokio::sync::Mutex::new(FlightState::default()),
        }
    }

    /// A token for the pipeline: from memory when fresh, else from the
    /// cache, a refresh, or the flow, with one request in flight at a time.
    pub(crate) async fn get_token(&self, request: &TokenRequest) -> Result<AccessToken> {
        let cached_ok = !request.force_refresh && request.claims.is_none();
        if cached_ok && let Some(token) = self.fresh_current() {
            return Ok(token);
        }
        let seen = self.generation.load(Ordering::SeqCst);
        let seen_attempts = self.attempts.load(Ordering::SeqCst);
        let mut state = self.flight.lock().await;
        // Whoever held the lock before may have just done our work: a new
        // token that arrived while we waited also answers a forced refresh
        // (50 requests that all got a 401 need one new token, not 50), and
        // one acquired for the same claims challenge answers that challenge
        // (50 requests challenged alike need one sign-in or refresh). A
        // challenge that arrives after its token was published is asked
        // again: the new token did not satisfy the resource either.
        let newer = self.generation.load(Ordering::SeqCst) != seen;
        let answered = match &request.claims {
            None => cached_ok || newer,
            Some(claims) => newer && state.published_claims.as_ref() == Some(claims),
        };
        if answered && let Some(token) = self.fresh_current() {
            return Ok(token);
        }
        // An acquisition that ran while we waited failed: share its answer
        // (one declined prompt, not one prompt per waiting request).
        if self.attempts.load(Ordering::SeqCst) != seen_attempts
            && let Some(failure) = &state.last_failure
        {
            return Err(msgraph_core::Error::from(failure.clone()));
        }
        let result = self.acquire(&mut state, request).await;
        state.last_failure = match &result {
            Err(msgraph_core::Error::Auth(failure)) => Some((**failure).clone()),
            _ => None,
        };
        if result.is_ok() {
            state.published_claims = request.claims.clone();
        }
        self.attempts.fetch_add(1, Ordering::SeqCst);
        result
    }

    fn fresh_current(&self) -> Option<AccessToken> {
        let current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        current.as_ref().filter(|t| !t.needs_refresh()).map(CachedToken::to_access_token)
    }

    fn publish(&self, token: &CachedToken) {
        let public = CachedToken { refresh_token: None, ..token.clone() };
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some(public);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn forget_current(&self) {
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    async fn acquire(&self, state: &mut FlightState, request: &TokenRequest) -> Result<AccessToken> {
        let cached_ok = !request.force_refresh && request.claims.is_none();
        let claims = request.claims.as_deref();
        let key = self.cache_key(state).await;
        let cached = match &key {
            Some(k) => self
                .cache_get(k)
                .await
                .or_else(|| state.last.as_ref().filter(|(last_key, _)| last_key == k).map(|(_, t)| t.clone())),
            None => None,
        };

        if let Some(token) = cached.as_ref().filter(|t| cached_ok && !t.needs_refresh()) {
            tracing::debug!("access token from the cache");
            self.publish(token);
            return Ok(token.to_access_token());
        }

        if let (Some(key), Some(refresh)) = (&key, cached.as_ref().and_then(|t| t.refresh_token.clone())) {
            match self.refresh(&refresh, claims).await {
                Ok(response) => {
                    tracing::debug!("access token refreshed");
                    return self.store(state, response, Some(refresh), key.account.clone()).await;
                }
                Err(e) if e.needs_new_sign_in() => {
                    tracing::warn!(
                        error = e.oauth_code().unwrap_or_default(),
                        "the refresh token was refused; dropping the cached sign-in and signing in again"
                    );
                    if let Err(err) = self.cache.remove(key).await {
                        tracing::warn!(error = %err, "could not drop the token cache entry");
                    }
                    state.last = None;
                    self.forget_current();
                }
                Err(e) => return Err(e.into_error()),
            }
        }

        let response = self.flow.acquire(&self.core, claims).await?;
        self.store(state, response, None, None).await
    }

    /// The cache key: the app-only key, or the user key of the account this
    /// credential signs in (the last one, the one asked for, or the newest
    /// in the cache). `None` when no account is known yet.
    async fn cache_key(&self, state: &FlightState) -> Option<TokenCacheKey> {
        let base = self.core.base_key();
        if !self.flow.delegated() {
            return Some(base);
        }
        let account = match state.account.clone().or_else(|| self.account_hint.clone()) {
            Some(a) => Some(a),
            None => match self.cache.accounts(&base).await {
                Ok(list) => list.into_iter().next(),
                Err(e) => {
                    tracing::warn!(error = %e, "could not read the token cache; signing in again");
                    None
                }
            },
        };
        account.map(|a| base.with_account(Some(a)))
    }

    async fn cache_get(&self, key: &TokenCacheKey) -> Option<CachedToken> {
        match self.cache.get(key).await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the token cache; signing in again");
                None
            }
        }
    }

    async fn refresh(
        &self,
        refresh_token: &Secret,
        claims: Option<&str>,
    ) -> std::result::Result<TokenResponse, EndpointError> {
        let mut form = self.core.token_form("refresh_token")?;
        form.set_secret("refresh_token", refresh_token)
            .set("scope", self.core.delegated_scope())
            .set_opt("claims", claims);
        self.core.request_token(&form).await
    }

    async fn store(
        &self,
        state: &mut FlightState,
        response: TokenResponse,
        previous_refresh: Option<Secret>,
        known_account: Option<String>,
    ) -> Result<AccessToken> {
        let (token, id_account) = response.into_cached(previous_refresh);
        let key = if self.flow.delegated() {
            let account = id_account
                .or(known_account)
                .or_else(|| self.account_hint.clone())
                .unwrap_or_else(|| "default".to_owned());
            state.account = Some(account.clone());
            self.core.base_key().with_account(Some(account))
        } else {
            self.core.base_key()
        };
        if let Err(e) = self.cache.set(&key, &token).await {
            tracing::warn!(error = %e, "could not store the token in the cache; it stays in memory");
        }
        state.last = Some((key, token.clone()));
        self.publish(&token);
        Ok(token.to_access_token())
    }
}
