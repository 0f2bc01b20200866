//! Identity-platform error bodies turned into typed [`AuthError`]s whose
//! hint says what to do.
//!
//! The token and device-code endpoints answer errors as
//! `{"error": "...", "error_description": "AADSTS70000: ...", "error_codes": [70000], ...}`;
//! see <https://learn.microsoft.com/entra/identity-platform/reference-error-codes>.

use msgraph_core::{AuthError, AuthErrorKind};
use serde::Deserialize;

/// The OAuth error body of the Microsoft identity platform.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct OAuthErrorBody {
    pub(crate) error: String,
    #[serde(default)]
    pub(crate) error_description: Option<String>,
    #[serde(default)]
    pub(crate) error_codes: Vec<u32>,
    #[serde(default)]
    pub(crate) correlation_id: Option<String>,
}

impl OAuthErrorBody {
    /// The AADSTS number: the first of `error_codes`, else the one the
    /// description starts with.
    pub(crate) fn aadsts(&self) -> Option<u32> {
        self.error_codes.first().copied().or_else(|| {
            let d = self.error_description.as_deref()?;
            let rest = &d[d.find("AADSTS")? + 6..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
    }

    /// The first line of the description (Microsoft appends trace ids and a
    /// timestamp on further lines).
    fn summary(&self) -> String {
        match self.error_description.as_deref().and_then(|d| d.lines().next()).map(str::trim) {
            Some(line) if !line.is_empty() => line.to_owned(),
            _ => format!("the identity platform answered {}", self.error),
        }
    }

    /// True when a refresh token can no longer be used and the user must
    /// sign in again.
    pub(crate) fn needs_new_sign_in(&self) -> bool {
        matches!(self.error.as_str(), "invalid_grant" | "interaction_required" | "consent_required" | "login_required")
    }
}

/// Maps an identity-platform error body to a typed error with a hint.
pub(crate) fn to_auth_error(body: &OAuthErrorBody, status: Option<u16>) -> AuthError {
    let aadsts = body.aadsts();
    let (kind, hint) = classify(&body.error, aadsts);
    let mut message = body.summary();
    if let Some(id) = &body.correlation_id {
        message.push_str(&format!(" (correlation id {id})"));
    }
    let mut err = AuthError::new(kind, message).with_code(body.error.clone()).with_hint(hint);
    if let Some(n) = aadsts {
        err = err.with_aadsts(n);
    }
    if let Some(s) = status {
        err = err.with_status(s);
    }
    err
}

fn classify(error: &str, aadsts: Option<u32>) -> (AuthErrorKind, String) {
    use AuthErrorKind as K;
    let by_number = match aadsts {
        Some(7000218) => Some((
            K::ConfidentialClientNeedsSecret,
            "the app registration is a confidential client: pass its client secret (MSGRAPH_CLIENT_SECRET or \
             .client_secret(..)), or in the Azure portal open App registrations > your app > Authentication and set \
             \"Allow public client flows\" to Yes",
        )),
        Some(65001) => Some((
            K::ConsentRequired,
            "the permissions were not consented to: sign in interactively once and accept the prompt, or have an \
             admin open App registrations > your app > API permissions and click \"Grant admin consent\"",
        )),
        Some(50020) => Some((
            K::AccountTypeNotAllowed,
            "this kind of account is not accepted by the app registration: sign in with an account of the app's \
             tenant, or change \"Supported account types\" (Authentication page) and use tenant \"common\" (work \
             and personal accounts) or \"consumers\" (personal accounts)",
        )),
        Some(700016) => Some((
            K::InvalidClient,
            "no app with this client id exists in the tenant: check MSGRAPH_CLIENT_ID (the Application (client) \
             ID on the app registration's Overview page) and MSGRAPH_TENANT_ID",
        )),
        Some(7000215) | Some(7000222) => Some((
            K::InvalidClient,
            "the client secret is wrong or expired: use the secret's Value (not its Secret ID) from Certificates & \
             secrets, or create a new one",
        )),
        Some(700027) | Some(700023) => Some((
            K::InvalidClient,
            "the client assertion was not accepted: upload the certificate's public part under Certificates & \
             secrets of the app registration, and sign with its private key",
        )),
        Some(700024) => {
            Some((K::InvalidClient, "the client assertion is outside its valid time range: check this machine's clock"))
        }
        Some(90002) => Some((
            K::Other,
            "the tenant was not found: check MSGRAPH_TENANT_ID (a GUID or a domain such as contoso.onmicrosoft.com) \
             and the cloud",
        )),
        Some(50076) | Some(50079) | Some(50158) => Some((
            K::InteractionRequired,
            "the tenant requires multi-factor authentication or another check: sign in interactively (device code or \
             browser) again",
        )),
        Some(70011) => Some((
            K::InvalidScope,
            "a requested scope is not valid: use Graph permission names such as Mail.Read; app-only credentials \
             must ask for https://graph.microsoft.com/.default",
        )),
        _ => None,
    };
    if let Some((kind, hint)) = by_number {
        return (kind, hint.to_owned());
    }
    let (kind, hint) = match error {
        "invalid_client" | "unauthorized_client" => (
            K::InvalidClient,
            "check the client id (MSGRAPH_CLIENT_ID), the tenant and the client secret or certificate",
        ),
        "invalid_grant" => (
            K::InvalidGrant,
            "the refresh token or code expired or was revoked: sign in again (the cached token was dropped)",
        ),
        "invalid_scope" => (
            K::InvalidScope,
            "a requested scope is not valid: use Graph permission names such as Mail.Read; app-only credentials \
             must ask for https://graph.microsoft.com/.default",
        ),
        "consent_required" => (
            K::ConsentRequired,
            "the permissions were not consented to: sign in interactively and accept, or ask an admin to grant \
             consent",
        ),
        "interaction_required" | "login_required" => {
            (K::InteractionRequired, "sign in interactively (device code or browser) again")
        }
        "access_denied" | "authorization_declined" => {
            (K::Declined, "the sign-in was declined: start again and accept the permissions the app asks for")
        }
        "expired_token" | "code_expired" => {
            (K::Expired, "the user did not finish signing in before the code expired: start the sign-in again")
        }
        "bad_verification_code" => (K::Other, "the device code was not recognised: start the sign-in again"),
        _ => (K::Other, "see the identity platform's message and error code reference"),
    };
    (kind, hint.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> OAuthErrorBody {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn maps_the_documented_codes() {
        let cases = [
            (
                r#"{"error":"invalid_client","error_description":"AADSTS7000218: The request body must contain ... 'client_assertion' or 'client_secret'.\r\nTrace ID: x","error_codes":[7000218]}"#,
                AuthErrorKind::ConfidentialClientNeedsSecret,
                7000218,
            ),
            (
                r#"{"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented","error_codes":[65001],"suberror":"consent_required"}"#,
                AuthErrorKind::ConsentRequired,
                65001,
            ),
            (
                r#"{"error":"invalid_request","error_description":"AADSTS50020: User account from identity provider does not exist in tenant"}"#,
                AuthErrorKind::AccountTypeNotAllowed,
                50020,
            ),
            (
                r#"{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier 'x' was not found","error_codes":[700016]}"#,
                AuthErrorKind::InvalidClient,
                700016,
            ),
            (
                r#"{"error":"invalid_grant","error_description":"AADSTS70008: The provided authorization code or refresh token has expired","error_codes":[70008]}"#,
                AuthErrorKind::InvalidGrant,
                70008,
            ),
            (
                r#"{"error":"invalid_scope","error_description":"AADSTS70011: The provided value for scope is not valid","error_codes":[70011]}"#,
                AuthErrorKind::InvalidScope,
                70011,
            ),
        ];
        for (json, kind, n) in cases {
            let e = to_auth_error(&body(json), Some(400));
            assert_eq!(e.kind, kind, "{json}");
            assert_eq!(e.aadsts, Some(n));
            assert_eq!(e.status, Some(400));
            assert!(e.hint.is_some());
            assert!(!e.message.contains("Trace ID"), "{}", e.message);
        }
    }

    #[test]
    fn hints_say_what_to_do() {
        let e = to_auth_error(&body(r#"{"error":"invalid_client","error_codes":[7000218]}"#), None);
        let shown = msgraph_core::Error::from(e).to_string();
        assert!(shown.contains("Allow public client flows"), "{shown}");
        let e = to_auth_error(&body(r#"{"error":"invalid_client","error_description":"bad secret"}"#), None);
        assert_eq!(e.kind, AuthErrorKind::InvalidClient);
        assert!(e.hint.unwrap().contains("MSGRAPH_CLIENT_ID"));
        let e = to_auth_error(&body(r#"{"error":"authorization_declined"}"#), None);
        assert_eq!(e.kind, AuthErrorKind::Declined);
        assert_eq!(e.code.as_deref(), Some("authorization_declined"));
        let e = to_auth_error(&body(r#"{"error":"something_new"}"#), None);
        assert_eq!(e.kind, AuthErrorKind::Other);
    }
}
