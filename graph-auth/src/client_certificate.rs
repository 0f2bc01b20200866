//! App-only sign-in with a certificate.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use msgraph_core::{AccessToken, Cloud, Result, TokenCredential, TokenRequest};

use crate::cache::TokenCache;
use crate::certificate::ClientCertificate;
use crate::client_credentials::ClientCredentialsFlow;
use crate::engine::{ClientAuth, Engine};
use crate::env::EnvVars;
use crate::options::Options;

/// App-only access for daemons and services, authenticated by a certificate:
/// each token request carries a client assertion (a JWT signed with the
/// private key, `x5t#S256` header; see
/// <https://learn.microsoft.com/entra/identity-platform/certificate-credentials>).
///
/// Upload the certificate (public part) under App registrations > your app >
/// Certificates & secrets. Like [`ClientSecretCredential`](crate::ClientSecretCredential)
/// it needs application permissions with admin consent, caches its token
/// and sends one token request however many callers wait.
///
/// ```no_run
/// use msgraph_auth::{ClientCertificate, ClientCertificateCredential};
///
/// let cert = ClientCertificate::from_pem_file("secrets/app.pem")?;
/// let credential = ClientCertificateCredential::builder("contoso.onmicrosoft.com", "00000000-0000-0000-0000-000000000000", cert)
///     .build()?;
/// # Ok::<(), msgraph_core::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientCertificateCredential {
    engine: Arc<Engine>,
}

impl ClientCertificateCredential {
    /// A builder for the app `client_id` in `tenant` (a GUID or domain; not
    /// `common`) with its `certificate`.
    pub fn builder(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        certificate: ClientCertificate,
    ) -> ClientCertificateCredentialBuilder {
        let mut options = Options::new(client_id);
        options.tenant = Some(tenant.into());
        ClientCertificateCredentialBuilder { options, certificate: Arc::new(certificate) }
    }

    /// A builder from `MSGRAPH_TENANT_ID`, `MSGRAPH_CLIENT_ID` and
    /// `MSGRAPH_CLIENT_CERTIFICATE_PATH` (a PEM file with the certificate and
    /// its unencrypted private key), all required.
    pub fn from_env() -> Result<ClientCertificateCredentialBuilder> {
        let vars = EnvVars::read()?;
        let certificate = ClientCertificate::from_pem_file(vars.require_certificate_path()?)?;
        Ok(Self::builder(vars.require_tenant()?, vars.client_id.clone(), certificate))
    }
}

impl fmt::Debug for ClientCertificateCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientCertificateCredential").field(&self.engine).finish()
    }
}

#[async_trait]
impl TokenCredential for ClientCertificateCredential {
    async fn get_token(&self, request: &TokenRequest) -> Result<AccessToken> {
        self.engine.get_token(request).await
    }
}

/// Builds a [`ClientCertificateCredential`].
#[must_use]
pub struct ClientCertificateCredentialBuilder {
    options: Options,
    certificate: Arc<ClientCertificate>,
}

impl fmt::Debug for ClientCertificateCredentialBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificateCredentialBuilder")
            .field("options", &self.options)
            .field("certificate", &self.certificate)
            .finish()
    }
}

impl ClientCertificateCredentialBuilder {
    /// The cloud (default global); the scope becomes `https://<its graph host>/.default`.
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.options.cloud = cloud;
        self
    }

    /// Replaces `https://<login host>` (the emulator, tests, a proxy):
    /// https anywhere, plain http only on loopback. The assertion's `aud` is
    /// the token endpoint under this URL.
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

    /// Checks the settings and builds the credential.
    pub fn build(self) -> Result<ClientCertificateCredential> {
        let auth = ClientAuth::Certificate(self.certificate);
        let engine = self.options.into_engine("", auth, ClientCredentialsFlow, true)?;
        Ok(ClientCertificateCredential { engine: Arc::new(engine) })
    }
}
