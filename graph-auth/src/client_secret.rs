//! App-only sign-in with a client secret.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use msgraph_core::{AccessToken, Cloud, Result, Secret, TokenCredential, TokenRequest};

use crate::cache::TokenCache;
use crate::client_credentials::ClientCredentialsFlow;
use crate::engine::{ClientAuth, Engine};
use crate::env::EnvVars;
use crate::options::Options;

/// App-only access for daemons and services, authenticated by a client
/// secret (client credentials grant, scope `https://<graph host>/.default`).
///
/// The app needs *application* permissions (e.g. `Mail.Read` of type
/// Application) with admin consent, and calls Graph through
/// `client.user("ada@contoso.com")` (there is no `/me` without a user).
/// Tokens are cached and renewed 5 minutes before they expire; concurrent
/// callers share one token request. Prefer a certificate
/// ([`ClientCertificateCredential`](crate::ClientCertificateCredential)) in production.
///
/// ```no_run
/// use msgraph_auth::ClientSecretCredential;
/// use msgraph_core::GraphClient;
///
/// # async fn run() -> msgraph_core::Result<()> {
/// // MSGRAPH_TENANT_ID, MSGRAPH_CLIENT_ID, MSGRAPH_CLIENT_SECRET
/// let credential = ClientSecretCredential::from_env()?.build()?;
/// let client = GraphClient::builder().credential(credential).build()?;
/// let ada = client.user("ada@contoso.com").get().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ClientSecretCredential {
    engine: Arc<Engine>,
}

impl ClientSecretCredential {
    /// A builder for the app `client_id` in `tenant` (a GUID or domain; not
    /// `common`), with its client `secret` (the secret's Value).
    pub fn builder(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        secret: impl Into<Secret>,
    ) -> ClientSecretCredentialBuilder {
        let mut options = Options::new(client_id);
        options.tenant = Some(tenant.into());
        options.client_secret = Some(secret.into());
        ClientSecretCredentialBuilder { options }
    }

    /// A builder from `MSGRAPH_TENANT_ID`, `MSGRAPH_CLIENT_ID` and
    /// `MSGRAPH_CLIENT_SECRET` (all required).
    pub fn from_env() -> Result<ClientSecretCredentialBuilder> {
        Self::from_env_vars(EnvVars::read()?)
    }

    fn from_env_vars(vars: EnvVars) -> Result<ClientSecretCredentialBuilder> {
        Ok(Self::builder(vars.require_tenant()?, vars.client_id.clone(), vars.require_secret()?))
    }
}

impl fmt::Debug for ClientSecretCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientSecretCredential").field(&self.engine).finish()
    }
}

#[async_trait]
impl TokenCredential for ClientSecretCredential {
    async fn get_token(&self, request: &TokenRequest) -> Result<AccessToken> {
        self.engine.get_token(request).await
    }
}

/// Builds a [`ClientSecretCredential`].
#[derive(Debug)]
#[must_use]
pub struct ClientSecretCredentialBuilder {
    options: Options,
}

impl ClientSecretCredentialBuilder {
    /// The cloud (default global); the scope becomes `https://<its graph host>/.default`.
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

    /// Where tokens are kept (default: a [`MemoryTokenCache`](crate::MemoryTokenCache)).
    pub fn token_cache(mut self, cache: impl TokenCache + 'static) -> Self {
        self.options.cache = Some(Arc::new(cache));
        self
    }

    /// The HTTP client for the identity platform (default: the SDK's).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.options.http = Some(client);
        self
    }

    /// Checks the settings (a single tenant, a non-empty client id and
    /// secret) and builds the credential.
    pub fn build(self) -> Result<ClientSecretCredential> {
        let secret = self.options.client_secret.clone().unwrap_or_else(|| Secret::new(""));
        let engine = self.options.into_engine("", ClientAuth::Secret(secret), ClientCredentialsFlow, true)?;
        Ok(ClientSecretCredential { engine: Arc::new(engine) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::{ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_TENANT_ID};
    use msgraph_core::Error;

    #[test]
    fn needs_a_single_tenant_and_a_secret() {
        for tenant in ["common", "organizations", "consumers"] {
            let err = ClientSecretCredential::builder(tenant, "app", "s").build().unwrap_err();
            assert!(matches!(err, Error::InvalidInput(ref m) if m.contains("tenant")), "{err}");
        }
        assert!(ClientSecretCredential::builder("contoso.com", "app", "").build().is_err());
        let cred = ClientSecretCredential::builder("contoso.com", "app", "hunter2").build().unwrap();
        let shown = format!("{cred:?}");
        assert!(!shown.contains("hunter2") && shown.contains("https://graph.microsoft.com/.default"), "{shown}");
    }

    #[test]
    fn from_env_requires_all_three() {
        let only_id = EnvVars::read_with(|n| (n == ENV_CLIENT_ID).then(|| "app".into())).unwrap();
        assert!(matches!(ClientSecretCredential::from_env_vars(only_id), Err(Error::InvalidInput(_))));
        let all = EnvVars::read_with(|n| match n {
            ENV_CLIENT_ID => Some("app".into()),
            ENV_TENANT_ID => Some("contoso.com".into()),
            ENV_CLIENT_SECRET => Some("s".into()),
            _ => None,
        })
        .unwrap();
        assert!(ClientSecretCredential::from_env_vars(all).unwrap().build().is_ok());
    }
}
