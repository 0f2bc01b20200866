//! The environment variables the `from_env()` constructors read. Secrets
//! belong in the environment (or a secret store), not in code.

use msgraph_core::{Error, Result, Secret};

/// The app's Application (client) ID.
pub const ENV_CLIENT_ID: &str = "MSGRAPH_CLIENT_ID";
/// The tenant: `common`, `organizations`, `consumers`, a GUID or a domain.
pub const ENV_TENANT_ID: &str = "MSGRAPH_TENANT_ID";
/// The client secret (confidential clients).
pub const ENV_CLIENT_SECRET: &str = "MSGRAPH_CLIENT_SECRET";
/// A PEM file with the client certificate and its private key.
pub const ENV_CLIENT_CERTIFICATE_PATH: &str = "MSGRAPH_CLIENT_CERTIFICATE_PATH";

/// What the environment says; empty variables count as unset.
#[derive(Debug)]
pub(crate) struct EnvVars {
    pub(crate) client_id: String,
    pub(crate) tenant: Option<String>,
    pub(crate) client_secret: Option<Secret>,
    pub(crate) certificate_path: Option<String>,
}

impl EnvVars {
    /// Reads the process environment.
    pub(crate) fn read() -> Result<Self> {
        Self::read_with(|name| std::env::var(name).ok())
    }

    /// Reads through `get` (tests pass a map).
    pub(crate) fn read_with(get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |name: &str| get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let client_id = get(ENV_CLIENT_ID).ok_or_else(|| {
            Error::invalid_input(format!(
                "{ENV_CLIENT_ID} is not set: put the Application (client) ID of your app registration there (Azure \
                 portal > App registrations > your app > Overview)"
            ))
        })?;
        Ok(EnvVars {
            client_id,
            tenant: get(ENV_TENANT_ID),
            client_secret: get(ENV_CLIENT_SECRET).map(Secret::new),
            certificate_path: get(ENV_CLIENT_CERTIFICATE_PATH),
        })
    }

    /// The tenant, required (app-only flows).
    pub(crate) fn require_tenant(&self) -> Result<String> {
        self.tenant.clone().ok_or_else(|| {
            Error::invalid_input(format!(
                "{ENV_TENANT_ID} is not set: app-only sign-in needs your Directory (tenant) ID or domain (Azure \
                 portal > App registrations > your app > Overview)"
            ))
        })
    }

    /// The client secret, required.
    pub(crate) fn require_secret(&self) -> Result<Secret> {
        self.client_secret.clone().ok_or_else(|| {
            Error::invalid_input(format!(
                "{ENV_CLIENT_SECRET} is not set: create one under App registrations > your app > Certificates & \
                 secrets and put its Value there"
            ))
        })
    }

    /// The certificate file, required.
    pub(crate) fn require_certificate_path(&self) -> Result<String> {
        self.certificate_path.clone().ok_or_else(|| {
            Error::invalid_input(format!(
                "{ENV_CLIENT_CERTIFICATE_PATH} is not set: point it at a PEM file with the certificate and its \
                 private key"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn reads_and_explains_missing_values() {
        let vars =
            EnvVars::read_with(env(&[(ENV_CLIENT_ID, " app-id "), (ENV_TENANT_ID, ""), (ENV_CLIENT_SECRET, "s")]))
                .unwrap();
        assert_eq!(vars.client_id, "app-id");
        assert!(vars.tenant.is_none(), "empty counts as unset");
        assert_eq!(vars.require_secret().unwrap().expose(), "s");
        let err = vars.require_tenant().unwrap_err();
        assert!(err.to_string().contains(ENV_TENANT_ID));
        assert!(!format!("{vars:?}").contains("\"s\""));
        let err = EnvVars::read_with(env(&[])).unwrap_err();
        assert!(matches!(err, Error::InvalidInput(ref m) if m.contains(ENV_CLIENT_ID)), "{err}");
    }
}
