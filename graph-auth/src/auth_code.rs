//! The authorization code flow with PKCE and a loopback redirect, for
//! desktop apps: the user signs in in their browser on this machine.
//!
//! See <https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow>.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use msgraph_core::{AccessToken, Cloud, Error, Result, Secret, TokenCredential, TokenRequest};
use url::Url;

use crate::cache::TokenCache;
use crate::engine::{ClientAuth, Core, Engine, Flow};
use crate::env::EnvVars;
use crate::loopback::{Loopback, timed_out};
use crate::options::Options;
use crate::random::{self, b64url};
use crate::token::TokenResponse;

/// How long to wait for the browser by default.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// The sign-in URL, handed to the app to open in the user's browser.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthorizationPrompt {
    /// The authorization URL (with `state` and the PKCE challenge).
    pub url: Url,
    /// Where the browser comes back: `http://localhost:<port>/` (or
    /// `http://127.0.0.1:<port>/` with [`redirect_host`](AuthorizationCodeCredentialBuilder::redirect_host)).
    pub redirect_uri: String,
}

type UrlFn = Arc<dyn Fn(&AuthorizationPrompt) + Send + Sync>;

/// Signs a user in through their browser (authorization code + PKCE S256,
/// loopback redirect); then refreshes silently.
///
/// Silent first like every delegated credential (memory, cache, refresh
/// token). To sign in, it listens on the loopback interface (a random free
/// port by default; for the default redirect host `localhost` on both
/// 127.0.0.1 and ::1, so whichever address the browser tries reaches this
/// app and nothing else), hands the authorization URL to your callback (open
/// it with your platform's browser launcher; default: print it to stderr),
/// waits for the browser to come back with the code (a wrong `state` is
/// refused, the user sees a friendly page), and redeems the code with the
/// PKCE verifier. It gives up after 5 minutes
/// ([`AuthErrorKind::Cancelled`](msgraph_core::AuthErrorKind::Cancelled)).
///
/// Register the redirect URI `http://localhost` under "Mobile and desktop
/// applications": Microsoft Entra ignores the port of a `localhost` redirect
/// URI, and only of those. See [`redirect_host`](AuthorizationCodeCredentialBuilder::redirect_host)
/// for `127.0.0.1`.
///
/// ```no_run
/// use msgraph_auth::{AuthorizationCodeCredential, FileTokenCache};
///
/// let credential = AuthorizationCodeCredential::builder("00000000-0000-0000-0000-000000000000")
///     .scopes(["User.Read", "Calendars.ReadWrite"])
///     .token_cache(FileTokenCache::new("data/token_cache.json"))
///     .on_authorize_url(|p| println!("Open {} to sign in", p.url))
///     .build()?;
/// # Ok::<(), msgraph_core::Error>(())
/// ```
#[derive(Clone)]
pub struct AuthorizationCodeCredential {
    engine: Arc<Engine>,
}

impl AuthorizationCodeCredential {
    /// A builder for the app with this Application (client) ID.
    pub fn builder(client_id: impl Into<String>) -> AuthorizationCodeCredentialBuilder {
        AuthorizationCodeCredentialBuilder {
            options: Options::new(client_id),
            on_url: None,
            redirect_host: "localhost".to_owned(),
            redirect_port: 0,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// A builder from `MSGRAPH_CLIENT_ID` (required), `MSGRAPH_TENANT_ID`
    /// (default `common`) and `MSGRAPH_CLIENT_SECRET` (optional).
    pub fn from_env() -> Result<AuthorizationCodeCredentialBuilder> {
        let vars = EnvVars::read()?;
        let mut builder = Self::builder(vars.client_id);
        builder.options.tenant = vars.tenant;
        builder.options.client_secret = vars.client_secret;
        Ok(builder)
    }
}

impl fmt::Debug for AuthorizationCodeCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AuthorizationCodeCredential").field(&self.engine).finish()
    }
}

#[async_trait]
impl TokenCredential for AuthorizationCodeCredential {
    async fn get_token(&self, request: &TokenRequest) -> Result<AccessToken> {
        self.engine.get_token(request).await
    }
}

/// Builds an [`AuthorizationCodeCredential`].
#[must_use]
pub struct AuthorizationCodeCredentialBuilder {
    options: Options,
    on_url: Option<UrlFn>,
    redirect_host: String,
    redirect_port: u16,
    timeout: Duration,
}

impl fmt::Debug for AuthorizationCodeCredentialBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCodeCredentialBuilder")
            .field("options", &self.options)
            .field("redirect_host", &self.redirect_host)
            .field("redirect_port", &self.redirect_port)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl AuthorizationCodeCredentialBuilder {
    /// The tenant: `common` (default), `organizations`, `consumers`, a
    /// tenant id (GUID) or a domain.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.options.tenant = Some(tenant.into());
        self
    }

    /// The cloud (default global).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.options.cloud = cloud;
        self
    }

    /// Replaces `https://<login host>` (the emulator, tests): https
    /// anywhere, plain http only on loopback.
    pub fn authority_url(mut self, url: impl Into<String>) -> Self {
        self.options.authority_url = Some(url.into());
        self
    }

    /// The Graph permissions to ask for, e.g. `["Mail.Read"]`. Default:
    /// `https://graph.microsoft.com/.default`.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The client secret, for an app registered as a confidential client.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.options.client_secret = Some(secret.into());
        self
    }

    /// Where tokens are kept (default: a [`MemoryTokenCache`](crate::MemoryTokenCache)).
    pub fn token_cache(mut self, cache: impl TokenCache + 'static) -> Self {
        self.options.cache = Some(Arc::new(cache));
        self
    }

    /// The account to use from the cache, also sent as `login_hint`.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.options.account = Some(account.into());
        self
    }

    /// The HTTP client for the identity platform (default: the SDK's).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.options.http = Some(client);
        self
    }

    /// Called with the URL to open in the browser. Default: print it to stderr.
    pub fn on_authorize_url(mut self, f: impl Fn(&AuthorizationPrompt) + Send + Sync + 'static) -> Self {
        self.on_url = Some(Arc::new(f));
        self
    }

    /// The host the redirect URI names: `localhost` (default; the listener
    /// takes the port on both 127.0.0.1 and ::1) or `127.0.0.1` (the
    /// listener is on 127.0.0.1 only).
    ///
    /// Microsoft Entra matches the port of every redirect URI except a
    /// `localhost` one, and its portal only accepts `http` loopback URIs for
    /// `localhost`: for `127.0.0.1`, add `http://127.0.0.1:<port>` to the
    /// app's manifest (`replyUrlsWithType`) and set the same
    /// [`redirect_port`](Self::redirect_port).
    pub fn redirect_host(mut self, host: impl Into<String>) -> Self {
        self.redirect_host = host.into();
        self
    }

    /// A fixed port for the listener (default 0: any free port). With the
    /// host `localhost`, a port that another program holds on ::1 is an
    /// error, since a browser may go there.
    pub fn redirect_port(mut self, port: u16) -> Self {
        self.redirect_port = port;
        self
    }

    /// How long to wait for the browser to come back (default 5 minutes).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Checks the settings and builds the credential.
    pub fn build(self) -> Result<AuthorizationCodeCredential> {
        if !matches!(self.redirect_host.as_str(), "localhost" | "127.0.0.1") {
            return Err(Error::invalid_input(format!(
                "redirect host {:?}: only \"localhost\" and \"127.0.0.1\" are allowed",
                self.redirect_host
            )));
        }
        let client_auth = match &self.options.client_secret {
            Some(s) => ClientAuth::Secret(s.clone()),
            None => ClientAuth::None,
        };
        let default_url: UrlFn = Arc::new(|p: &AuthorizationPrompt| {
            eprintln!("To sign in, open this address in a browser on this machine:\n{}", p.url)
        });
        let flow = AuthCodeFlow {
            on_url: self.on_url.unwrap_or(default_url),
            host: self.redirect_host,
            port: self.redirect_port,
            timeout: self.timeout,
            login_hint: self.options.account.clone(),
        };
        let engine = self.options.into_engine("common", client_auth, flow, false)?;
        Ok(AuthorizationCodeCredential { engine: Arc::new(engine) })
    }
}

struct AuthCodeFlow {
    on_url: UrlFn,
    host: String,
    port: u16,
    timeout: Duration,
    login_hint: Option<String>,
}

impl fmt::Debug for AuthCodeFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthCodeFlow")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Flow for AuthCodeFlow {
    fn delegated(&self) -> bool {
        true
    }

    async fn acquire(&self, core: &Core, claims: Option<&str>) -> Result<TokenResponse> {
        let listener = Loopback::bind(&self.host, self.port).await?;
        let verifier = Secret::new(b64url(random::bytes::<32>()?));
        let challenge = b64url(ring::digest::digest(&ring::digest::SHA256, verifier.expose().as_bytes()));
        let state = b64url(random::bytes::<16>()?);

        let mut url = core.authority.authorize_url.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", &core.client_id)
                .append_pair("response_type", "code")
                .append_pair("redirect_uri", listener.redirect_uri())
                .append_pair("response_mode", "query")
                .append_pair("scope", &core.delegated_scope())
                .append_pair("state", &state)
                .append_pair("code_challenge", &challenge)
                .append_pair("code_challenge_method", "S256");
            if let Some(hint) = &self.login_hint {
                q.append_pair("login_hint", hint);
            }
            if let Some(c) = claims {
                q.append_pair("claims", c);
            }
        }
        let redirect_uri = listener.redirect_uri().to_owned();
        (self.on_url)(&AuthorizationPrompt { url, redirect_uri: redirect_uri.clone() });

        let code =
            tokio::time::timeout(self.timeout, listener.wait(state)).await.map_err(|_| timed_out(self.timeout))??;

        let mut form = core.token_form("authorization_code")?;
        form.set_secret("code", &code)
            .set("redirect_uri", redirect_uri)
            .set_secret("code_verifier", &verifier)
            .set("scope", core.delegated_scope());
        core.request_token(&form).await.map_err(|e| e.into_error())
    }
}
