//! Form posts to the identity platform's endpoints (token, device code),
//! written by hand on the workspace's reqwest: see the crate docs for why
//! not the `oauth2` crate.

use std::fmt;
use std::time::Duration;

use msgraph_core::{AuthError, AuthErrorKind, Error, Secret};
use serde::de::DeserializeOwned;
use url::Url;

use crate::aad_error::{OAuthErrorBody, to_auth_error};

/// Per-request timeout for identity endpoints.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How many bytes of a non-OAuth error body an error keeps.
const BODY_PREFIX: usize = 512;

/// An `application/x-www-form-urlencoded` body. `Debug` lists only the
/// parameter names: values include secrets.
#[derive(Clone, Default)]
pub(crate) struct Form {
    pairs: Vec<(&'static str, String)>,
}

impl Form {
    pub(crate) fn new() -> Self {
        Form::default()
    }

    pub(crate) fn set(&mut self, name: &'static str, value: impl Into<String>) -> &mut Self {
        self.pairs.push((name, value.into()));
        self
    }

    pub(crate) fn set_secret(&mut self, name: &'static str, value: &Secret) -> &mut Self {
        self.set(name, value.expose())
    }

    pub(crate) fn set_opt(&mut self, name: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.set(name, v);
        }
        self
    }

    fn encode(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            s.append_pair(k, v);
        }
        s.finish()
    }

    fn grant_type(&self) -> &str {
        self.pairs.iter().find(|(k, _)| *k == "grant_type").map_or("device_authorization", |(_, v)| v.as_str())
    }
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.pairs.iter().map(|(k, _)| k)).finish()
    }
}

/// A failed identity request: the platform's OAuth error (which flows
/// inspect: `authorization_pending`, `invalid_grant`, ...) or anything else.
#[derive(Debug)]
pub(crate) enum EndpointError {
    OAuth { status: u16, body: OAuthErrorBody },
    Other(Error),
}

impl EndpointError {
    /// The OAuth `error` code, if the platform sent one.
    pub(crate) fn oauth_code(&self) -> Option<&str> {
        match self {
            EndpointError::OAuth { body, .. } => Some(&body.error),
            EndpointError::Other(_) => None,
        }
    }

    /// True when the refresh token is no good any more (sign in again).
    pub(crate) fn needs_new_sign_in(&self) -> bool {
        matches!(self, EndpointError::OAuth { body, .. } if body.needs_new_sign_in())
    }

    /// The SDK error, typed and with a hint.
    pub(crate) fn into_error(self) -> Error {
        match self {
            EndpointError::OAuth { status, body } => Error::from(to_auth_error(&body, Some(status))),
            EndpointError::Other(e) => e,
        }
    }
}

impl From<Error> for EndpointError {
    fn from(e: Error) -> Self {
        EndpointError::Other(e)
    }
}

/// Talks to the identity platform. Not the Graph pipeline: another host, no
/// bearer token, no Graph retry semantics.
#[derive(Clone, Debug)]
pub(crate) struct IdentityClient {
    http: reqwest::Client,
}

impl IdentityClient {
    /// Uses `http` or builds the SDK's default client (redirects off,
    /// rustls with ring by default).
    pub(crate) fn new(http: Option<reqwest::Client>) -> Result<Self, Error> {
        let http = match http {
            Some(c) => c,
            None => msgraph_core::default_http_client(Duration::from_secs(10))?,
        };
        Ok(IdentityClient { http })
    }

    /// POSTs `form` to `url` and parses a 200 answer as `T`.
    pub(crate) async fn post<T: DeserializeOwned>(&self, url: &Url, form: &Form) -> Result<T, EndpointError> {
        tracing::debug!(endpoint = %url, grant_type = form.grant_type(), "identity platform request");
        let response = self
            .http
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(REQUEST_TIMEOUT)
            .body(form.encode())
            .send()
            .await
            .map_err(|e| transport(url, e))?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(|e| transport(url, e))?;
        if (200..300).contains(&status) {
            // The body holds tokens: a parse error reports only where it failed.
            return serde_json::from_slice(&bytes).map_err(|e| {
                EndpointError::Other(Error::Decode {
                    message: format!(
                        "the identity platform's answer had an unexpected shape ({:?} at line {} column {})",
                        e.classify(),
                        e.line(),
                        e.column()
                    ),
                    path: None,
                    status,
                    body_prefix: String::new(),
                })
            });
        }
        match serde_json::from_slice::<OAuthErrorBody>(&bytes) {
            Ok(body) => {
                tracing::debug!(status, error = %body.error, "identity platform refused the request");
                Err(EndpointError::OAuth { status, body })
            }
            Err(_) => {
                let end = bytes.len().min(BODY_PREFIX);
                let prefix = String::from_utf8_lossy(&bytes[..end]);
                let message = if echoes_secrets(&prefix) {
                    format!("the identity platform answered {status} (body withheld: it echoes request parameters)")
                } else if prefix.trim().is_empty() {
                    format!("the identity platform answered {status} with an empty body")
                } else {
                    format!("the identity platform answered {status}: {prefix}")
                };
                Err(EndpointError::Other(Error::from(
                    AuthError::new(AuthErrorKind::Other, message)
                        .with_status(status)
                        .with_hint("check the authority URL, the tenant and any proxy between this machine and it"),
                )))
            }
        }
    }
}

fn transport(url: &Url, e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout { message: format!("identity platform request to {url}") }
    } else {
        Error::transport(format!("identity platform request to {url} failed"), e)
    }
}

/// True when an error body repeats form parameters that carry secrets (a
/// proxy echoing the request); such a body must not reach errors or logs.
fn echoes_secrets(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    ["client_secret", "client_assertion", "refresh_token", "code_verifier", "device_code", "password"]
        .iter()
        .any(|p| lower.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_debug_hides_values() {
        let mut f = Form::new();
        f.set("grant_type", "client_credentials").set_secret("client_secret", &Secret::new("s3cr3t"));
        assert_eq!(format!("{f:?}"), r#"["grant_type", "client_secret"]"#);
        assert_eq!(f.encode(), "grant_type=client_credentials&client_secret=s3cr3t");
        assert_eq!(f.grant_type(), "client_credentials");
    }

    #[test]
    fn bodies_that_echo_secrets_are_withheld() {
        assert!(super::echoes_secrets("grant_type=refresh_token&Refresh_Token=abc"));
        assert!(super::echoes_secrets("...client_secret=s3cret..."));
        assert!(!super::echoes_secrets("<html>Bad Gateway</html>"));
    }
}
