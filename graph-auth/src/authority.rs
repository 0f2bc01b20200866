//! Where tokens come from: the cloud's sign-in host (or an override for the
//! emulator and tests), the tenant, and the v2.0 endpoint URLs built from them.

use msgraph_core::{Cloud, Error, Result};
use url::Url;

/// The tenants that stand for "any account of a kind" rather than one directory.
const MULTI_TENANT: [&str; 3] = ["common", "organizations", "consumers"];

/// A sign-in authority: cloud + tenant, and the endpoint URLs derived from them.
#[derive(Clone, Debug)]
pub(crate) struct Authority {
    pub(crate) cloud: Cloud,
    pub(crate) tenant: String,
    pub(crate) token_url: Url,
    pub(crate) device_code_url: Url,
    pub(crate) authorize_url: Url,
}

impl Authority {
    /// Builds the authority. `base` overrides `https://<login host>` (https
    /// anywhere, plain http only on loopback).
    pub(crate) fn new(cloud: Cloud, tenant: &str, base: Option<&str>) -> Result<Self> {
        validate_tenant(tenant)?;
        let base = match base {
            Some(raw) => parse_base(raw)?,
            None => Url::parse(&cloud.login_origin())
                .map_err(|e| Error::invalid_input(format!("bad login host for {cloud}: {e}")))?,
        };
        let endpoint = |last: &str| -> Result<Url> {
            let mut url = base.clone();
            url.set_query(None);
            url.set_fragment(None);
            url.path_segments_mut()
                .map_err(|_| Error::invalid_input("the authority URL cannot carry a path"))?
                .pop_if_empty()
                .extend([tenant, "oauth2", "v2.0", last]);
            Ok(url)
        };
        Ok(Authority {
            cloud,
            tenant: tenant.to_owned(),
            token_url: endpoint("token")?,
            device_code_url: endpoint("devicecode")?,
            authorize_url: endpoint("authorize")?,
        })
    }

    /// True for `common`, `organizations` and `consumers`.
    pub(crate) fn is_multi_tenant(&self) -> bool {
        MULTI_TENANT.iter().any(|t| t.eq_ignore_ascii_case(&self.tenant))
    }

    /// Refuses the multi-tenant aliases, which app-only (client credentials)
    /// sign-in cannot use.
    pub(crate) fn require_single_tenant(&self) -> Result<()> {
        if self.is_multi_tenant() {
            return Err(Error::invalid_input(format!(
                "tenant {:?} cannot be used for app-only sign-in: pass your directory's tenant id (a GUID, from \
                 the app registration's Overview page) or its domain (contoso.onmicrosoft.com)",
                self.tenant
            )));
        }
        Ok(())
    }
}

/// A tenant is `common`, `organizations`, `consumers`, a GUID or a domain.
fn validate_tenant(tenant: &str) -> Result<()> {
    let ok = !tenant.is_empty()
        && tenant.len() <= 256
        && tenant.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !tenant.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "invalid tenant {tenant:?}: use \"common\", \"organizations\", \"consumers\", a tenant id (GUID) or a \
             domain such as contoso.onmicrosoft.com"
        )))
    }
}

fn parse_base(raw: &str) -> Result<Url> {
    let url = Url::parse(raw).map_err(|e| Error::invalid_input(format!("invalid authority URL {raw:?}: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(Error::invalid_input(format!(
            "authority URL {raw:?}: plain http is allowed only on loopback (127.0.0.1, ::1, localhost)"
        ))),
        _ => Err(Error::invalid_input(format!("authority URL {raw:?} must be https (or http on loopback)"))),
    }
}

/// OpenID Connect scopes the sign-in adds itself; they are not part of what
/// a token grants for Graph.
const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];

/// Checks scopes and qualifies short names (`Mail.Read`) with the cloud's
/// Graph resource outside the global cloud, where the short form means the
/// global Graph.
pub(crate) fn prepare_scopes(cloud: Cloud, scopes: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(scopes.len());
    for s in scopes {
        let s = s.trim();
        if s.is_empty() || s.chars().any(char::is_whitespace) {
            return Err(Error::invalid_input(format!("invalid scope {s:?}: one permission name per entry, no spaces")));
        }
        let reserved = OIDC_SCOPES.iter().any(|r| r.eq_ignore_ascii_case(s));
        if reserved {
            continue;
        }
        if cloud != Cloud::Global && !s.contains("://") {
            out.push(format!("{}/{s}", cloud.graph_origin()));
        } else {
            out.push(s.to_owned());
        }
    }
    if out.is_empty() {
        out.push(cloud.default_scope());
    }
    Ok(out)
}

/// The `scope` parameter of a delegated request: the Graph scopes plus
/// `openid profile offline_access` (an id token names the account; a
/// refresh token keeps the sign-in alive).
pub(crate) fn delegated_scope_param(scopes: &[String]) -> String {
    let mut all: Vec<&str> = scopes.iter().map(String::as_str).collect();
    all.extend(["openid", "profile", "offline_access"]);
    all.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_per_cloud_and_override() {
        let a = Authority::new(Cloud::Global, "common", None).unwrap();
        assert_eq!(a.token_url.as_str(), "https://login.microsoftonline.com/common/oauth2/v2.0/token");
        assert_eq!(a.device_code_url.as_str(), "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode");
        let a = Authority::new(Cloud::China, "contoso.partner.onmschina.cn", None).unwrap();
        assert_eq!(
            a.authorize_url.as_str(),
            "https://login.chinacloudapi.cn/contoso.partner.onmschina.cn/oauth2/v2.0/authorize"
        );
        let a = Authority::new(Cloud::UsGov, "organizations", Some("http://127.0.0.1:8080/login/")).unwrap();
        assert_eq!(a.token_url.as_str(), "http://127.0.0.1:8080/login/organizations/oauth2/v2.0/token");
        assert!(a.is_multi_tenant());
    }

    #[test]
    fn bad_tenants_and_authorities_are_refused() {
        for t in ["", "a/b", "x?y", "../etc", ".hidden", "has space"] {
            assert!(matches!(Authority::new(Cloud::Global, t, None), Err(Error::InvalidInput(_))), "{t}");
        }
        assert!(Authority::new(Cloud::Global, "72f988bf-86f1-41af-91ab-2d7cd011db47", None).is_ok());
        assert!(Authority::new(Cloud::Global, "common", Some("http://login.example.com")).is_err());
        assert!(Authority::new(Cloud::Global, "common", Some("ftp://127.0.0.1")).is_err());
        assert!(Authority::new(Cloud::Global, "common", Some("https://login.example.com")).is_ok());
        let app_only = Authority::new(Cloud::Global, "Consumers", None).unwrap();
        assert!(matches!(app_only.require_single_tenant(), Err(Error::InvalidInput(_))));
    }

    #[test]
    fn scopes_are_checked_and_qualified() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(prepare_scopes(Cloud::Global, &s(&["Mail.Read", "offline_access"])).unwrap(), s(&["Mail.Read"]));
        assert_eq!(
            prepare_scopes(Cloud::UsGov, &s(&["Mail.Read"])).unwrap(),
            s(&["https://graph.microsoft.us/Mail.Read"])
        );
        assert_eq!(prepare_scopes(Cloud::Global, &[]).unwrap(), s(&["https://graph.microsoft.com/.default"]));
        assert!(prepare_scopes(Cloud::Global, &s(&["Mail.Read Mail.Send"])).is_err());
        assert_eq!(delegated_scope_param(&s(&["Mail.Read"])), "Mail.Read openid profile offline_access");
    }
}
