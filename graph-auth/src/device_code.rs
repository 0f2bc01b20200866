//! The device code flow: the user signs in on another device (a browser on
//! their phone or laptop) with a short code the app shows.
//!
//! See <https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code>.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use msgraph_core::{AccessToken, AuthError, AuthErrorKind, Cloud, Result, Secret, TokenCredential, TokenRequest};
use serde::{Deserialize, Deserializer};

use crate::cache::TokenCache;
use crate::endpoint::Form;
use crate::engine::{ClientAuth, Core, Engine, Flow};
use crate::env::EnvVars;
use crate::options::Options;
use crate::token::TokenResponse;

const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// Polling interval when the platform names none (RFC 8628).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// What `slow_down` adds to the interval (RFC 8628 section 3.5).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// Bounds on what the platform may ask for (values from the network never
/// overflow or stall the sign-in).
const MAX_INTERVAL_SECS: u64 = 60;
const MAX_LIFETIME_SECS: u64 = 24 * 3600;

/// What the user needs to sign in: handed to the app's prompt callback.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DeviceCodePrompt {
    /// The code to type at [`verification_uri`](Self::verification_uri).
    pub user_code: String,
    /// Where to sign in, e.g. `https://microsoft.com/devicelogin`.
    pub verification_uri: String,
    /// The URI with the code filled in, when the platform sends one.
    pub verification_uri_complete: Option<String>,
    /// The platform's ready-made instruction, e.g. "To sign in, use a web
    /// browser to open the page `https://microsoft.com/devicelogin` and enter
    /// the code ABCD1234 to authenticate."
    pub message: String,
    /// When the code stops working.
    pub expires_on: DateTime<Utc>,
    /// How often the credential asks whether the user is done.
    pub interval: Duration,
}

type PromptFn = Arc<dyn Fn(&DeviceCodePrompt) + Send + Sync>;
type SleepFn = Arc<dyn Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync>;

/// Signs a user in with the device code flow; then refreshes silently.
///
/// Every call tries the memory, then the [`TokenCache`], then the refresh
/// token; only when all fail does it start a new device code sign-in: it
/// asks for a code, hands the [`DeviceCodePrompt`] to your callback
/// (default: print the message to stderr), and polls until the user is done
/// (`authorization_pending`), slowing down by 5 s on `slow_down`, and stops
/// with a typed error on `expired_token` ([`AuthErrorKind::Expired`]),
/// `access_denied` / `authorization_declined` ([`AuthErrorKind::Declined`]).
/// Dropping the future cancels the sign-in. `offline_access` (and `openid
/// profile`, which name the account) are added to the scopes.
///
/// The app registration must allow public client flows, or pass the client
/// secret of a confidential client.
///
/// ```no_run
/// use msgraph_auth::{DeviceCodeCredential, FileTokenCache};
/// use msgraph_core::GraphClient;
///
/// # async fn run() -> msgraph_core::Result<()> {
/// let credential = DeviceCodeCredential::builder("00000000-0000-0000-0000-000000000000")
///     .tenant("common")
///     .scopes(["User.Read", "Mail.Read"])
///     .token_cache(FileTokenCache::new("data/token_cache.json"))
///     .on_prompt(|p| println!("{}", p.message))
///     .build()?;
/// let client = GraphClient::builder().credential(credential).build()?;
/// let me = client.me().get().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct DeviceCodeCredential {
    engine: Arc<Engine>,
    /// The background sign-in's state ([`DeviceCodeCredentialBuilder::sign_in_in_background`]).
    background: Option<Arc<std::sync::Mutex<Background>>>,
}

impl DeviceCodeCredential {
    /// A builder for the app with this Application (client) ID.
    pub fn builder(client_id: impl Into<String>) -> DeviceCodeCredentialBuilder {
        DeviceCodeCredentialBuilder {
            options: Options::new(client_id),
            on_prompt: None,
            poll_interval: None,
            sleep: None,
            background: false,
        }
    }

    /// A builder from `MSGRAPH_CLIENT_ID` (required), `MSGRAPH_TENANT_ID`
    /// (default `common`) and `MSGRAPH_CLIENT_SECRET` (optional, for apps
    /// registered as confidential clients).
    ///
    /// ```no_run
    /// let credential = msgraph_auth::DeviceCodeCredential::from_env()?.scopes(["User.Read"]).build()?;
    /// # Ok::<(), msgraph_core::Error>(())
    /// ```
    pub fn from_env() -> Result<DeviceCodeCredentialBuilder> {
        Self::from_env_vars(EnvVars::read()?)
    }

    /// In chat mode ([`DeviceCodeCredentialBuilder::sign_in_in_background`]):
    /// the prompt of the sign-in waiting for the user, if one is.
    pub fn pending_prompt(&self) -> Option<DeviceCodePrompt> {
        let state = self.background.as_ref()?.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match &*state {
            Background::Pending { prompt, .. } => Some(prompt.clone()),
            _ => None,
        }
    }

    fn from_env_vars(vars: EnvVars) -> Result<DeviceCodeCredentialBuilder> {
        let mut builder = Self::builder(vars.client_id);
        builder.options.tenant = vars.tenant;
        builder.options.client_secret = vars.client_secret;
        Ok(builder)
    }
}

impl fmt::Debug for DeviceCodeCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DeviceCodeCredential").field(&self.engine).finish()
    }
}

#[async_trait]
impl TokenCredential for DeviceCodeCredential {
    async fn get_token(&self, request: &TokenRequest) -> Result<AccessToken> {
        self.engine.get_token(request).await
    }
}

/// Builds a [`DeviceCodeCredential`].
#[must_use]
pub struct DeviceCodeCredentialBuilder {
    options: Options,
    on_prompt: Option<PromptFn>,
    poll_interval: Option<Duration>,
    sleep: Option<SleepFn>,
    background: bool,
}

impl fmt::Debug for DeviceCodeCredentialBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodeCredentialBuilder")
            .field("options", &self.options)
            .field("poll_interval", &self.poll_interval)
            .field("background", &self.background)
            .finish_non_exhaustive()
    }
}

impl DeviceCodeCredentialBuilder {
    /// Chat mode: when a new sign-in is needed, the token request does not
    /// wait for the user. It asks for a code, hands the prompt to the
    /// callback, keeps polling in the background, and fails at once with an
    /// [`AuthErrorKind::InteractionRequired`] error whose code is
    /// `sign_in_pending` and whose message says where to enter the code. Calls
    /// made while the user has not finished get the same answer (the same
    /// code, not a new one); the first call after the user finished gets the
    /// token, and the token cache keeps it. For assistants and tool servers
    /// that relay the prompt through a chat instead of blocking the turn.
    ///
    /// ```
    /// let credential = msgraph_auth::DeviceCodeCredential::builder("00000000-0000-0000-0000-000000000000")
    ///     .scopes(["Tasks.ReadWrite"])
    ///     .sign_in_in_background(true)
    ///     .build()?;
    /// assert!(credential.pending_prompt().is_none());
    /// # Ok::<(), msgraph_core::Error>(())
    /// ```
    pub fn sign_in_in_background(mut self, on: bool) -> Self {
        self.background = on;
        self
    }

    /// The tenant: `common` (default: work, school and personal accounts),
    /// `organizations`, `consumers`, a tenant id (GUID) or a domain.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.options.tenant = Some(tenant.into());
        self
    }

    /// The cloud (default global); sets the sign-in host and qualifies scopes
    /// with the cloud's Graph host.
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.options.cloud = cloud;
        self
    }

    /// Replaces `https://<login host>` (the emulator, tests, a proxy):
    /// https anywhere, plain http only on loopback.
    pub fn authority_url(mut self, url: impl Into<String>) -> Self {
        self.options.authority_url = Some(url.into());
        self
    }

    /// The Graph permissions to ask for, e.g. `["Mail.Read", "Calendars.ReadWrite"]`.
    /// Default: `https://graph.microsoft.com/.default` (what the app
    /// registration lists).
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The client secret, for an app registered as a confidential client
    /// (otherwise the platform answers AADSTS7000218).
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.options.client_secret = Some(secret.into());
        self
    }

    /// Where tokens are kept (default: a [`MemoryTokenCache`](crate::MemoryTokenCache)).
    pub fn token_cache(mut self, cache: impl TokenCache + 'static) -> Self {
        self.options.cache = Some(Arc::new(cache));
        self
    }

    /// Signs in this account from the cache when several are there
    /// (`ada@contoso.com`); default: the one used most recently.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.options.account = Some(account.into());
        self
    }

    /// The HTTP client for the identity platform (default: the SDK's,
    /// rustls, redirects off).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.options.http = Some(client);
        self
    }

    /// Called with the code and where to enter it. Default: print
    /// [`DeviceCodePrompt::message`] to stderr.
    pub fn on_prompt(mut self, prompt: impl Fn(&DeviceCodePrompt) + Send + Sync + 'static) -> Self {
        self.on_prompt = Some(Arc::new(prompt));
        self
    }

    /// Polls at this interval instead of the one the platform names (which
    /// is at least 1 s). `slow_down` still adds 5 s.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = Some(interval);
        self
    }

    /// Replaces the timer between polls (default `tokio::time::sleep`);
    /// tests use it to record the intervals without waiting them out.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = msgraph_auth::DeviceCodeCredential::builder("app")
    ///     .sleep_with(|d: Duration| Box::pin(tokio::time::sleep(d / 100)));
    /// ```
    pub fn sleep_with(mut self, sleep: impl Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Checks the settings (client id, tenant, scopes, authority URL) and
    /// builds the credential. Nothing is sent until the first token is asked for.
    pub fn build(self) -> Result<DeviceCodeCredential> {
        let client_auth = match &self.options.client_secret {
            Some(s) => ClientAuth::Secret(s.clone()),
            None => ClientAuth::None,
        };
        let background = self.background.then(|| Arc::new(std::sync::Mutex::new(Background::Idle)));
        let flow = DeviceCodeFlow {
            on_prompt: self.on_prompt.unwrap_or_else(|| Arc::new(|p: &DeviceCodePrompt| eprintln!("{}", p.message))),
            poll_interval: self.poll_interval,
            sleep: self.sleep.unwrap_or_else(|| Arc::new(|d| Box::pin(tokio::time::sleep(d)))),
            background: background.clone(),
        };
        let engine = self.options.into_engine("common", client_auth, flow, false)?;
        Ok(DeviceCodeCredential { engine: Arc::new(engine), background })
    }
}

/// The device authorization answer.
#[derive(Deserialize)]
struct DeviceCodeResponse {
    #[serde(deserialize_with = "secret")]
    device_code: Secret,
    user_code: String,
    #[serde(alias = "verification_url")]
    verification_uri: String,
    #[serde(default)]
    verification_uri_complete: Option<String>,
    #[serde(deserialize_with = "seconds")]
    expires_in: u64,
    #[serde(default, deserialize_with = "opt_seconds")]
    interval: Option<u64>,
    #[serde(default)]
    message: Option<String>,
}

struct DeviceCodeFlow {
    on_prompt: PromptFn,
    poll_interval: Option<Duration>,
    sleep: SleepFn,
    /// `Some` in chat mode.
    background: Option<Arc<std::sync::Mutex<Background>>>,
}

/// Where a background sign-in stands.
enum Background {
    /// None started, or the last one's outcome was handed out.
    Idle,
    /// Waiting for the user; `abort` stops the polling task.
    Pending { prompt: DeviceCodePrompt, abort: Option<tokio::task::AbortHandle> },
    /// Finished; handed to the next token request.
    Done(Result<TokenResponse>),
}

impl Drop for DeviceCodeFlow {
    fn drop(&mut self) {
        if let Some(state) = &self.background {
            let state = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Background::Pending { abort: Some(abort), .. } = &*state {
                abort.abort();
            }
        }
    }
}

fn pending_error(prompt: &DeviceCodePrompt) -> msgraph_core::Error {
    AuthError::new(AuthErrorKind::InteractionRequired, prompt.message.clone())
        .with_code("sign_in_pending")
        .with_hint("show the user the code and where to enter it; ask again once they have signed in")
        .into()
}

/// A device code, its prompt, and how to poll for it.
struct Started {
    device_code: Secret,
    prompt: DeviceCodePrompt,
    interval: Duration,
    lifetime: Duration,
}

impl fmt::Debug for DeviceCodeFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodeFlow").field("poll_interval", &self.poll_interval).finish_non_exhaustive()
    }
}

#[async_trait]
impl Flow for DeviceCodeFlow {
    fn delegated(&self) -> bool {
        true
    }

    async fn acquire(&self, core: &Core, claims: Option<&str>) -> Result<TokenResponse> {
        let Some(state) = &self.background else {
            let started = self.start(core, claims).await?;
            (self.on_prompt)(&started.prompt);
            return poll(core, started, self.sleep.clone()).await;
        };
        {
            let mut st = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match std::mem::replace(&mut *st, Background::Idle) {
                Background::Done(outcome) => return outcome,
                Background::Pending { prompt, abort } => {
                    let e = pending_error(&prompt);
                    *st = Background::Pending { prompt, abort };
                    return Err(e);
                }
                Background::Idle => {}
            }
        }
        let started = self.start(core, claims).await?;
        (self.on_prompt)(&started.prompt);
        let prompt = started.prompt.clone();
        *state.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            Background::Pending { prompt: prompt.clone(), abort: None };
        let (core, sleep, shared) = (core.clone(), self.sleep.clone(), state.clone());
        let task = tokio::spawn(async move {
            let outcome = poll(&core, started, sleep).await;
            *shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Background::Done(outcome);
        });
        let mut st = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Background::Pending { abort, .. } = &mut *st {
            *abort = Some(task.abort_handle());
        }
        Err(pending_error(&prompt))
    }
}

impl DeviceCodeFlow {
    /// Asks the identity platform for a device code.
    async fn start(&self, core: &Core, claims: Option<&str>) -> Result<Started> {
        let mut form = Form::new();
        form.set("client_id", core.client_id.clone()).set("scope", core.delegated_scope()).set_opt("claims", claims);
        let code: DeviceCodeResponse =
            core.http.post(&core.authority.device_code_url, &form).await.map_err(|e| e.into_error())?;

        let lifetime = Duration::from_secs(code.expires_in.min(MAX_LIFETIME_SECS));
        let interval = self.poll_interval.unwrap_or_else(|| {
            code.interval.map_or(DEFAULT_INTERVAL, |s| Duration::from_secs(s.clamp(1, MAX_INTERVAL_SECS)))
        });
        let prompt = DeviceCodePrompt {
            message: code.message.clone().unwrap_or_else(|| {
                format!(
                    "To sign in, use a web browser to open the page {} and enter the code {} to authenticate.",
                    code.verification_uri, code.user_code
                )
            }),
            user_code: code.user_code,
            verification_uri: code.verification_uri,
            verification_uri_complete: code.verification_uri_complete,
            expires_on: Utc::now() + chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::zero()),
            interval,
        };
        Ok(Started { device_code: code.device_code, prompt, interval, lifetime })
    }
}

/// Polls the token endpoint until the user finished, declined, or the code expired.
async fn poll(core: &Core, started: Started, sleep: SleepFn) -> Result<TokenResponse> {
    let Started { device_code, lifetime, mut interval, .. } = started;
    let begun = Instant::now();
    let mut waited = Duration::ZERO;
    loop {
        if waited >= lifetime || begun.elapsed() >= lifetime {
            return Err(AuthError::new(
                AuthErrorKind::Expired,
                format!("the device code expired after {} s before the sign-in was finished", lifetime.as_secs()),
            )
            .with_code("expired_token")
            .with_hint("start the sign-in again and enter the code before it expires")
            .into());
        }
        (sleep)(interval).await;
        waited = waited.saturating_add(interval);
        let mut form = core.token_form(DEVICE_CODE_GRANT)?;
        form.set_secret("device_code", &device_code);
        match core.request_token(&form).await {
            Ok(token) => return Ok(token),
            Err(e) => match e.oauth_code() {
                Some("authorization_pending") => tracing::debug!("device code: waiting for the user"),
                Some("slow_down") => {
                    interval = interval.saturating_add(SLOW_DOWN_STEP);
                    tracing::debug!(interval_secs = interval.as_secs_f64(), "device code: asked to slow down");
                }
                _ => return Err(e.into_error()),
            },
        }
    }
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Secret, D::Error> {
    String::deserialize(d).map(Secret::new)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NumOrStr {
    Num(u64),
    Str(String),
}

fn seconds<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u64, D::Error> {
    match NumOrStr::deserialize(d)? {
        NumOrStr::Num(n) => Ok(n),
        NumOrStr::Str(s) => s.trim().parse().map_err(serde::de::Error::custom),
    }
}

fn opt_seconds<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<u64>, D::Error> {
    Ok(match Option::<NumOrStr>::deserialize(d)? {
        Some(NumOrStr::Num(n)) => Some(n),
        Some(NumOrStr::Str(s)) => s.trim().parse().ok(),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::{ENV_CLIENT_ID, ENV_CLIENT_SECRET};

    #[test]
    fn from_env_takes_id_tenant_default_and_optional_secret() {
        let vars = EnvVars::read_with(|n| (n == ENV_CLIENT_ID).then(|| "app".to_owned())).unwrap();
        let cred = DeviceCodeCredential::from_env_vars(vars).unwrap().build().unwrap();
        let shown = format!("{cred:?}");
        assert!(shown.contains("common") && shown.contains("client_auth: None"), "{shown}");
        let vars = EnvVars::read_with(|n| match n {
            ENV_CLIENT_ID => Some("app".into()),
            ENV_CLIENT_SECRET => Some("very-secret".into()),
            _ => None,
        })
        .unwrap();
        let cred = DeviceCodeCredential::from_env_vars(vars).unwrap().tenant("contoso.com").build().unwrap();
        let shown = format!("{cred:?}");
        assert!(shown.contains("Secret(<redacted>)") && !shown.contains("very-secret"), "{shown}");
    }

    #[test]
    fn bad_settings_fail_at_build() {
        assert!(DeviceCodeCredential::builder("").build().is_err());
        assert!(DeviceCodeCredential::builder("app").tenant("a/b").build().is_err());
        assert!(DeviceCodeCredential::builder("app").scopes(["Mail.Read Mail.Send"]).build().is_err());
        assert!(DeviceCodeCredential::builder("app").authority_url("http://example.com").build().is_err());
        assert!(DeviceCodeCredential::builder("app").client_secret("").build().is_err());
    }

    #[test]
    fn parses_the_device_code_answer() {
        let r: DeviceCodeResponse = serde_json::from_str(
            r#"{"user_code":"ABCD","device_code":"dc","verification_uri":"https://microsoft.com/devicelogin","expires_in":"900","interval":"5","message":"m"}"#,
        )
        .unwrap();
        assert_eq!((r.expires_in, r.interval), (900, Some(5)));
    }
}
