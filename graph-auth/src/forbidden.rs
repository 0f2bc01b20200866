//! Turning Graph's 403 "access denied" into a typed, actionable error.

use msgraph_core::{AuthError, AuthErrorKind, Error};

/// Explains a Graph `403 Forbidden` as an [`AuthError`] of kind
/// [`AuthErrorKind::MissingPermission`], naming the permissions Graph asked
/// for when its message says (`"... API requires one of 'Mail.Read,
/// Mail.ReadWrite'. Scopes on the request 'User.Read'"`).
///
/// Returns `None` for anything that is not a 403 from Graph. The pipeline
/// returns the 403 as [`Error::Api`]; call this where you report errors:
///
/// ```
/// use msgraph_core::Error;
///
/// fn report(err: &Error) {
///     match msgraph_auth::explain_forbidden(err) {
///         Some(auth) => eprintln!("{auth}"),
///         None => eprintln!("{err}"),
///     }
/// }
/// ```
pub fn explain_forbidden(err: &Error) -> Option<AuthError> {
    let api = err.as_api()?;
    if api.status != 403 {
        return None;
    }
    let message = api.message.clone().unwrap_or_else(|| "access denied".to_owned());
    let required = quoted_after(&message, "requires one of");
    let granted = quoted_after(&message, "on the request");
    let hint = match &required {
        Some(list) => format!(
            "the token lacks a permission this call needs (one of: {list}): add it under App registrations > your \
             app > API permissions (delegated for a signed-in user, application for app-only), grant consent, then \
             get a new token (force a refresh or remove the cached entry){}",
            granted.map(|g| format!("; the token had: {}", if g.is_empty() { "none" } else { g })).unwrap_or_default()
        ),
        None => "the token may lack a permission this call needs (see the operation's docs for the permissions), or \
                 the signed-in account may not have access to this resource"
            .to_owned(),
    };
    let mut auth = AuthError::new(AuthErrorKind::MissingPermission, message).with_hint(hint).with_status(403);
    if let Some(code) = &api.code {
        auth = auth.with_code(code.clone());
    }
    Some(auth)
}

/// The text between the single quotes that directly follow `marker`.
fn quoted_after<'a>(message: &'a str, marker: &str) -> Option<&'a str> {
    message.match_indices(marker).find_map(|(at, _)| {
        let rest = message[at + marker.len()..].trim_start().strip_prefix('\'')?;
        Some(rest[..rest.find('\'')?].trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use msgraph_core::ApiError;

    fn api(status: u16, body: &str) -> Error {
        Error::from(ApiError::from_response(status, body.as_bytes(), None, None, None))
    }

    #[test]
    fn names_the_missing_permission() {
        let err = api(
            403,
            r#"{"error":{"code":"ErrorAccessDenied","message":"Missing scope permissions on the request. API requires one of 'Mail.ReadBasic, Mail.Read, Mail.ReadWrite'. Scopes on the request 'openid, profile, User.Read'"}}"#,
        );
        let auth = explain_forbidden(&err).unwrap();
        assert_eq!(auth.kind, AuthErrorKind::MissingPermission);
        assert_eq!(auth.code.as_deref(), Some("ErrorAccessDenied"));
        let hint = auth.hint.unwrap();
        assert!(hint.contains("one of: Mail.ReadBasic, Mail.Read, Mail.ReadWrite"), "{hint}");
        assert!(hint.contains("the token had: openid, profile, User.Read"), "{hint}");
    }

    #[test]
    fn generic_403_and_other_errors() {
        let err = api(
            403,
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#,
        );
        let auth = explain_forbidden(&err).unwrap();
        assert!(auth.hint.unwrap().contains("may lack a permission"));
        assert!(explain_forbidden(&api(404, r#"{"error":{"code":"ErrorItemNotFound","message":"x"}}"#)).is_none());
        assert!(explain_forbidden(&Error::invalid_input("x")).is_none());
    }
}
