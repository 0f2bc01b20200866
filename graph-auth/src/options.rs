//! Settings every credential builder shares, and turning them into an [`Engine`].

use std::sync::Arc;

use msgraph_core::{Cloud, Error, Result, Secret};

use crate::authority::{Authority, prepare_scopes};
use crate::cache::{MemoryTokenCache, TokenCache};
use crate::endpoint::IdentityClient;
use crate::engine::{ClientAuth, Core, Engine, Flow};

/// The common part of every builder.
#[derive(Default)]
pub(crate) struct Options {
    pub(crate) client_id: String,
    pub(crate) tenant: Option<String>,
    pub(crate) cloud: Cloud,
    pub(crate) authority_url: Option<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) cache: Option<Arc<dyn TokenCache>>,
    pub(crate) account: Option<String>,
    pub(crate) client_secret: Option<Secret>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("client_id", &self.client_id)
            .field("tenant", &self.tenant)
            .field("cloud", &self.cloud)
            .field("authority_url", &self.authority_url)
            .field("scopes", &self.scopes)
            .field("cache", &self.cache)
            .field("account", &self.account)
            .field("client_secret", &self.client_secret)
            .finish_non_exhaustive()
    }
}

impl Options {
    pub(crate) fn new(client_id: impl Into<String>) -> Self {
        Options { client_id: client_id.into(), ..Options::default() }
    }

    /// Checks everything and builds the engine. `app_only` flows need a
    /// single tenant and always ask for `https://<graph host>/.default`.
    pub(crate) fn into_engine(
        self,
        default_tenant: &str,
        client_auth: ClientAuth,
        flow: impl Flow,
        app_only: bool,
    ) -> Result<Engine> {
        let client_id = self.client_id.trim().to_owned();
        if client_id.is_empty() || client_id.chars().any(char::is_whitespace) {
            return Err(Error::invalid_input(
                "the client id is empty or has spaces: use the Application (client) ID from the app registration's \
                 Overview page (MSGRAPH_CLIENT_ID)",
            ));
        }
        if let ClientAuth::Secret(s) = &client_auth
            && s.expose().is_empty()
        {
            return Err(Error::invalid_input("the client secret is empty"));
        }
        let tenant = self.tenant.as_deref().map(str::trim).unwrap_or(default_tenant);
        let authority = Authority::new(self.cloud, tenant, self.authority_url.as_deref())?;
        let scopes = if app_only {
            authority.require_single_tenant()?;
            vec![self.cloud.default_scope()]
        } else {
            prepare_scopes(self.cloud, &self.scopes)?
        };
        let http = IdentityClient::new(self.http)?;
        let cache = self.cache.unwrap_or_else(|| Arc::new(MemoryTokenCache::new()));
        let core = Core { authority, client_id, client_auth, scopes, http };
        let account = self.account.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty());
        Ok(Engine::new(core, flow, cache, account))
    }
}
