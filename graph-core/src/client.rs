//! [`GraphClient`] and its builder.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use url::Url;

use crate::cloud::{ApiVersion, Cloud};
use crate::credential::TokenCredential;
use crate::models::BodyType;
use crate::odata::Preferences;
use crate::retry::RetryPolicy;
use crate::throttle::ThrottleGate;
use crate::user::UserScope;
use crate::{Error, GraphPath, Result};

/// The product token every request carries in its User-Agent.
pub const USER_AGENT: &str = concat!("msgraph-rs/", env!("CARGO_PKG_VERSION"));

/// A Microsoft Graph client: cheap to clone (an `Arc` inside), `Send + Sync`,
/// one per app. Every request goes through its pipeline: host check, token,
/// `client-request-id`, User-Agent, retry and throttling, redirects.
///
/// ```no_run
/// use msgraph_core::{GraphClient, StaticTokenCredential};
/// # async fn run() -> msgraph_core::Result<()> {
/// let client = GraphClient::builder()
///     .credential(StaticTokenCredential::new(std::env::var("GRAPH_TOKEN").unwrap_or_default()))
///     .build()?;
/// let me = client.me().get().await?;
/// println!("signed in as {:?}", me.display_name);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct GraphClient {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    pub(crate) credential: Option<Arc<dyn TokenCredential>>,
    pub(crate) cloud: Cloud,
    pub(crate) base_url: Url,
    pub(crate) user_agent: HeaderValue,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_redirects: u32,
    pub(crate) timeout: Option<Duration>,
    pub(crate) throttle: ThrottleGate,
    pub(crate) mailbox_limit: crate::throttle::MailboxLimiter,
    pub(crate) prefetch: bool,
    pub(crate) preferences: Preferences,
}

impl fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClient")
            .field("base_url", &self.inner.base_url.as_str())
            .field("cloud", &self.inner.cloud)
            .field("has_credential", &self.inner.credential.is_some())
            .field("retry", &self.inner.retry)
            .finish()
    }
}

impl GraphClient {
    /// The client-wide default preferences (see
    /// [`GraphClientBuilder::immutable_ids`]); a request's own win.
    pub fn default_preferences(&self) -> &Preferences {
        &self.inner.preferences
    }

    /// Starts building a client.
    pub fn builder() -> GraphClientBuilder {
        GraphClientBuilder::default()
    }

    /// The signed-in user: `/me`. Needs a delegated (user) credential.
    pub fn me(&self) -> UserScope {
        UserScope::new(self.clone(), GraphPath::new().push("me"))
    }

    /// A user by id or user principal name: `/users/{id}`. App-only
    /// (daemon) credentials must use this instead of [`me`](Self::me).
    pub fn user(&self, id_or_upn: impl Into<String>) -> UserScope {
        UserScope::new(self.clone(), GraphPath::new().push("users").id(id_or_upn))
    }

    /// The service root, e.g. `https://graph.microsoft.com/v1.0`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The national cloud.
    pub fn cloud(&self) -> Cloud {
        self.inner.cloud
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Whether pagers read one page ahead by default.
    pub fn prefetch(&self) -> bool {
        self.inner.prefetch
    }

    /// True when `url` may receive the access token: https on the cloud's
    /// Graph host, or the same origin as the configured base URL.
    pub fn is_trusted(&self, url: &Url) -> bool {
        let graph_host = url.scheme() == "https"
            && url.port().is_none()
            && url.host_str().is_some_and(|h| h.eq_ignore_ascii_case(self.inner.cloud.graph_host()));
        graph_host || same_origin(url, &self.inner.base_url)
    }
}

impl GraphClient {
    /// A URL as errors and logs show it: never its query (`$filter` values
    /// are user data, pre-authenticated URLs carry credentials there); on
    /// hosts other than Graph's own origins not its path either (OneDrive's
    /// upload and download URLs carry their credential in the path).
    pub(crate) fn shown_url(&self, url: &Url) -> String {
        if self.is_trusted(url) {
            return redact_url(url);
        }
        let mut shown = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
        if let Some(port) = url.port() {
            shown.push_str(&format!(":{port}"));
        }
        shown.push_str("/(path withheld)");
        shown
    }
}

/// Same scheme, host (case-insensitive) and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme().eq_ignore_ascii_case(b.scheme())
        && match (a.host_str(), b.host_str()) {
            (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
            _ => false,
        }
        && a.port_or_known_default() == b.port_or_known_default()
}

/// True for 127.0.0.0/8, ::1 and `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// https anywhere, http only on loopback.
pub(crate) fn check_scheme(url: &Url) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(Error::UntrustedHost {
            url: redact_url(url),
            reason: "plain http is allowed only on loopback (127.0.0.1, ::1, localhost)".into(),
        }),
        other => Err(Error::UntrustedHost { url: redact_url(url), reason: format!("unsupported scheme {other:?}") }),
    }
}

/// A URL without its query and fragment, for errors and logs.
pub(crate) fn redact_url(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    let _ = u.set_password(None);
    u.to_string()
}

/// Builds a [`GraphClient`].
///
/// ```
/// use std::time::Duration;
/// use msgraph_core::{Cloud, GraphClient, RetryPolicy, StaticTokenCredential};
/// let client = GraphClient::builder()
///     .credential(StaticTokenCredential::new("token"))
///     .cloud(Cloud::UsGov)
///     .timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::default().max_retries(5))
///     .user_agent_suffix("my-triage-bot/1.2")
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://graph.microsoft.us/v1.0");
/// # Ok::<(), msgraph_core::Error>(())
/// ```
#[derive(Default)]
#[must_use]
pub struct GraphClientBuilder {
    credential: Option<Arc<dyn TokenCredential>>,
    cloud: Cloud,
    version: ApiVersion,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent_suffix: Option<String>,
    retry: Option<RetryPolicy>,
    max_redirects: Option<u32>,
    http: Option<reqwest::Client>,
    prefetch: Option<bool>,
    preferences: Preferences,
    per_mailbox: Option<usize>,
}

impl fmt::Debug for GraphClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClientBuilder")
            .field("cloud", &self.cloud)
            .field("version", &self.version)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl GraphClientBuilder {
    /// The credential that supplies access tokens. Without one, requests are
    /// sent without `Authorization` (useful only against a test server).
    pub fn credential(mut self, credential: impl TokenCredential + 'static) -> Self {
        self.credential = Some(Arc::new(credential));
        self
    }

    /// A credential already shared behind an `Arc`.
    pub fn shared_credential(mut self, credential: Arc<dyn TokenCredential>) -> Self {
        self.credential = Some(credential);
        self
    }

    /// The national cloud (default [`Cloud::Global`]).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// The API version (default `v1.0`). Ignored when a base URL is set.
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// The full service root, version included, e.g. the emulator's
    /// `http://127.0.0.1:8080/v1.0`. Must be https, or http on loopback;
    /// anything else fails [`build`](Self::build).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Timeout of one attempt (default 100 s, like Microsoft's SDKs).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Connect timeout (default 10 s). Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Appended to the User-Agent after `msgraph-rs/<version>`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// How many redirects one request may follow (default 5).
    pub fn max_redirects(mut self, n: u32) -> Self {
        self.max_redirects = Some(n);
        self
    }

    /// How many requests may be in flight to one mailbox's Outlook
    /// resources (`/me/...` or `/users/{id}/...` mail, calendar, contacts,
    /// mailbox settings, To Do) at once, across every clone of the client:
    /// streams, read-ahead, partitioned scans, parallel tasks. Default 4,
    /// Graph's limit per app and mailbox for Outlook resources (more get
    /// 429); 0 turns the limit off. OneDrive and OneNote are not counted
    /// (OneNote's own limit is msgraph-onenote's).
    /// A slot is held until the answer's headers arrive. `$batch` calls are
    /// not counted (they are not addressed to one mailbox).
    pub fn max_concurrent_per_mailbox(mut self, n: usize) -> Self {
        self.per_mailbox = Some(n);
        self
    }

    /// Whether pagers read one page ahead while the caller works (default true).
    pub fn prefetch(mut self, on: bool) -> Self {
        self.prefetch = Some(on);
        self
    }

    /// `Prefer: IdType="ImmutableId"` on every operation by default: Outlook
    /// ids that survive moves between folders, so the id a move returns is
    /// the id a delta sync reports (a triage app wants this). A request can
    /// still say `.immutable_ids(false)`.
    pub fn immutable_ids(mut self, on: bool) -> Self {
        self.preferences.immutable_ids = Some(on);
        self
    }

    /// `Prefer: outlook.timezone="..."` on every operation by default (IANA
    /// or Windows name); a request's own `.timezone(..)` wins.
    pub fn timezone(mut self, zone: impl Into<String>) -> Self {
        self.preferences.timezone = Some(zone.into());
        self
    }

    /// `Prefer: outlook.body-content-type` on every operation by default; a
    /// request's own `.body_content_type(..)` wins.
    pub fn body_content_type(mut self, body_type: BodyType) -> Self {
        self.preferences.body_content_type = Some(body_type);
        self
    }

    /// Uses this `reqwest::Client`. Build it with
    /// `redirect(reqwest::redirect::Policy::none())`: the SDK follows
    /// redirects itself so that the token never leaves Graph.
    ///
    /// This and [`default_http_client`] are the only places where a reqwest
    /// type is part of this crate's API; they follow reqwest's version
    /// (0.13 today), so a reqwest major release changes them.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client. Fails on a base URL that is not https (or http on
    /// loopback), or when the HTTP client cannot be created.
    pub fn build(self) -> Result<GraphClient> {
        let base_url = match &self.base_url {
            Some(s) => {
                let url = Url::parse(s).map_err(|e| Error::invalid_input(format!("base URL {s:?}: {e}")))?;
                check_scheme(&url).map_err(|e| Error::invalid_input(format!("base URL: {e}")))?;
                if url.cannot_be_a_base() || url.query().is_some() {
                    return Err(Error::invalid_input(format!("base URL {s:?} must be a plain service root")));
                }
                url
            }
            None => Url::parse(&format!("{}/{}", self.cloud.graph_origin(), self.version.as_str()))
                .map_err(|e| Error::invalid_input(e.to_string()))?,
        };
        let ua = match &self.user_agent_suffix {
            Some(s) if !s.trim().is_empty() => format!("{USER_AGENT} {}", s.trim()),
            _ => USER_AGENT.to_owned(),
        };
        let user_agent =
            HeaderValue::from_str(&ua).map_err(|_| Error::invalid_input("user agent suffix has invalid characters"))?;
        let http = match self.http {
            Some(c) => c,
            None => default_http_client(self.connect_timeout.unwrap_or(Duration::from_secs(10)))?,
        };
        Ok(GraphClient {
            inner: Arc::new(ClientInner {
                http,
                credential: self.credential,
                cloud: self.cloud,
                base_url,
                user_agent,
                retry: self.retry.unwrap_or_default(),
                max_redirects: self.max_redirects.unwrap_or(5),
                timeout: Some(self.timeout.unwrap_or(Duration::from_secs(100))),
                throttle: ThrottleGate::default(),
                mailbox_limit: crate::throttle::MailboxLimiter::new(self.per_mailbox.unwrap_or(4)),
                prefetch: self.prefetch.unwrap_or(true),
                preferences: self.preferences,
            }),
        })
    }
}

/// The HTTP client the SDK uses when none is given: redirects off (the
/// pipeline follows them itself, without leaking the token), the given
/// connect timeout, and the TLS backend chosen by the crate features (with
/// `rustls`, the ring crypto provider is installed as the process default if
/// none is). `msgraph-auth` uses it for the identity platform's endpoints.
/// Its type follows reqwest's version (see
/// [`GraphClientBuilder::http_client`]).
///
/// ```
/// let http = msgraph_core::default_http_client(std::time::Duration::from_secs(10))?;
/// # Ok::<(), msgraph_core::Error>(())
/// ```
pub fn default_http_client(connect_timeout: Duration) -> Result<reqwest::Client> {
    #[cfg(feature = "rustls")]
    {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Another thread may win the race; either way a provider is installed.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    }
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true);
    #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
    let builder = builder.tls_backend_native();
    #[cfg(feature = "rustls")]
    let builder = builder.tls_backend_rustls();
    builder.build().map_err(|e| Error::transport("could not create the HTTP client", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert!(GraphClient::builder().base_url("http://127.0.0.1:8080/v1.0").build().is_ok());
        assert!(GraphClient::builder().base_url("http://localhost:1/v1.0").build().is_ok());
        assert!(GraphClient::builder().base_url("http://[::1]:1/v1.0").build().is_ok());
        assert!(GraphClient::builder().base_url("https://example.com/v1.0").build().is_ok());
        for bad in ["http://example.com/v1.0", "http://10.0.0.1/v1.0", "ftp://127.0.0.1/", "not a url"] {
            let e = GraphClient::builder().base_url(bad).build().unwrap_err();
            assert!(matches!(e, Error::InvalidInput(_)), "{bad}: {e}");
        }
    }

    #[test]
    fn default_base_per_cloud_and_version() {
        let c = GraphClient::builder().cloud(Cloud::China).api_version(ApiVersion::Beta).build().unwrap();
        assert_eq!(c.base_url().as_str(), "https://microsoftgraph.chinacloudapi.cn/beta");
    }

    #[test]
    fn trust_is_by_graph_host_or_base_origin() {
        let c = GraphClient::builder().base_url("http://127.0.0.1:9000/v1.0").build().unwrap();
        let t = |s: &str| c.is_trusted(&Url::parse(s).unwrap());
        assert!(t("https://graph.microsoft.com/v1.0/me"));
        assert!(t("https://GRAPH.Microsoft.COM/v1.0/me"));
        assert!(t("http://127.0.0.1:9000/v1.0/me?x=1"));
        assert!(!t("http://127.0.0.1:9001/v1.0/me"));
        assert!(!t("http://graph.microsoft.com/v1.0/me"));
        assert!(!t("https://graph.microsoft.com:444/v1.0/me"));
        assert!(!t("https://graph.microsoft.com.evil.example/v1.0/me"));
        assert!(!t("https://graph.microsoft.us/v1.0/me"));
    }

    #[test]
    fn urls_are_shown_without_query_and_foreign_paths() {
        let c = GraphClient::builder().base_url("http://127.0.0.1:9000/v1.0").build().unwrap();
        let shown = |s: &str| c.shown_url(&Url::parse(s).unwrap());
        assert_eq!(shown("http://127.0.0.1:9000/v1.0/me/messages?$filter=x"), "http://127.0.0.1:9000/v1.0/me/messages");
        assert_eq!(shown("https://graph.microsoft.com/v1.0/me?a=b#c"), "https://graph.microsoft.com/v1.0/me");
        assert_eq!(shown("https://up.1drv.com/up/fe6987415ace?x=y"), "https://up.1drv.com/(path withheld)");
        assert_eq!(shown("http://127.0.0.1:9001/up/x"), "http://127.0.0.1:9001/(path withheld)");
    }

    #[test]
    fn client_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<GraphClient>();
    }
}
