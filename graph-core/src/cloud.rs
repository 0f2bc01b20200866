//! National clouds: each has its own Graph host and sign-in host.

use std::fmt;

/// A Microsoft cloud. The Graph host receives API calls, the login host
/// issues tokens. See
/// <https://learn.microsoft.com/graph/deployments>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Cloud {
    /// The global service: `graph.microsoft.com`, `login.microsoftonline.com`.
    #[default]
    Global,
    /// US Government L4 (GCC High): `graph.microsoft.us`, `login.microsoftonline.us`.
    UsGov,
    /// US Government L5 (DoD): `dod-graph.microsoft.us`, `login.microsoftonline.us`.
    UsGovDod,
    /// Microsoft Graph operated by 21Vianet in China:
    /// `microsoftgraph.chinacloudapi.cn`, `login.chinacloudapi.cn`.
    China,
}

impl Cloud {
    /// Host name of the Graph API.
    pub fn graph_host(self) -> &'static str {
        match self {
            Cloud::Global => "graph.microsoft.com",
            Cloud::UsGov => "graph.microsoft.us",
            Cloud::UsGovDod => "dod-graph.microsoft.us",
            Cloud::China => "microsoftgraph.chinacloudapi.cn",
        }
    }

    /// Host name of the Microsoft identity platform.
    pub fn login_host(self) -> &'static str {
        match self {
            Cloud::Global => "login.microsoftonline.com",
            Cloud::UsGov | Cloud::UsGovDod => "login.microsoftonline.us",
            Cloud::China => "login.chinacloudapi.cn",
        }
    }

    /// `https://<graph host>`, without a trailing slash.
    pub fn graph_origin(self) -> String {
        format!("https://{}", self.graph_host())
    }

    /// `https://<login host>`, without a trailing slash.
    pub fn login_origin(self) -> String {
        format!("https://{}", self.login_host())
    }

    /// The client-credentials scope for this cloud: `https://<graph host>/.default`.
    pub fn default_scope(self) -> String {
        format!("https://{}/.default", self.graph_host())
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cloud::Global => "global",
            Cloud::UsGov => "usgov",
            Cloud::UsGovDod => "usgovdod",
            Cloud::China => "china",
        })
    }
}

/// The Graph API version, the first path segment after the host.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ApiVersion {
    /// `v1.0`, the generally available API.
    #[default]
    V1,
    /// `beta`, preview APIs that may change.
    Beta,
}

impl ApiVersion {
    /// The path segment: `v1.0` or `beta`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_per_cloud() {
        assert_eq!(Cloud::Global.graph_host(), "graph.microsoft.com");
        assert_eq!(Cloud::UsGovDod.graph_host(), "dod-graph.microsoft.us");
        assert_eq!(Cloud::UsGovDod.login_host(), "login.microsoftonline.us");
        assert_eq!(Cloud::China.login_origin(), "https://login.chinacloudapi.cn");
        assert_eq!(Cloud::UsGov.default_scope(), "https://graph.microsoft.us/.default");
    }
}
