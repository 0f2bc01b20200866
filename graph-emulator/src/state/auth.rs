//! Sign-in state: access tokens, refresh tokens and device codes.
//!
//! Tokens are shaped like the identity platform's JWTs (three base64url
//! parts with the usual claims) so that clients which peek at them work,
//! but the emulator never verifies a signature: a token is valid when it is
//! in this table and not expired.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::state::store::Store;

/// Who a token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Principal {
    /// A signed-in user (delegated token), by user id.
    User(String),
    /// An application (client credentials), by client id.
    App(String),
}

/// An issued access token.
#[derive(Debug, Clone)]
pub(crate) struct TokenRec {
    pub principal: Principal,
    pub expires_at: DateTime<Utc>,
}

/// An issued refresh token.
#[derive(Debug, Clone)]
pub(crate) struct RefreshRec {
    pub user_id: String,
    pub client_id: String,
    pub scope: String,
}

/// What happens when a device code is polled after its first
/// `authorization_pending` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DeviceCodeOutcome {
    /// The user signs in (the default).
    #[default]
    Approve,
    /// The user declines: `authorization_declined`.
    Decline,
    /// The code runs out: `expired_token`.
    Expire,
}

/// A device code waiting to be redeemed.
#[derive(Debug, Clone)]
pub(crate) struct DeviceCodeRec {
    pub client_id: String,
    pub scope: String,
    pub user_id: String,
    pub expires_at: DateTime<Utc>,
    pub polls: u32,
    pub redeemed: bool,
}

/// All sign-in state.
#[derive(Debug, Clone)]
pub(crate) struct AuthState {
    pub tokens: HashMap<String, TokenRec>,
    pub refresh: HashMap<String, RefreshRec>,
    pub device_codes: HashMap<String, DeviceCodeRec>,
    /// Lifetime of access tokens, seconds.
    pub token_lifetime: i64,
    /// The user who "signs in" through the device code flow; `None` means the first user.
    pub sign_in_user: Option<String>,
    pub device_outcome: DeviceCodeOutcome,
    /// `interval` of device code answers, seconds.
    pub device_interval: u64,
}

impl Default for AuthState {
    fn default() -> Self {
        AuthState {
            tokens: HashMap::new(),
            refresh: HashMap::new(),
            device_codes: HashMap::new(),
            token_lifetime: 3599,
            sign_in_user: None,
            device_outcome: DeviceCodeOutcome::Approve,
            device_interval: 1,
        }
    }
}

fn b64json(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

impl Store {
    /// The user the device code flow signs in.
    pub fn sign_in_user_id(&self) -> Option<String> {
        match &self.auth.sign_in_user {
            Some(key) => self.user(key).map(|u| u.id.clone()),
            None => self.users.first().map(|u| u.id.clone()),
        }
    }

    /// Issues an access token.
    pub fn issue_access_token(
        &mut self,
        principal: Principal,
        client_id: &str,
        scope: &str,
        now: DateTime<Utc>,
    ) -> String {
        let exp = now + Duration::seconds(self.auth.token_lifetime);
        let header = json!({"typ": "JWT", "alg": "none", "kid": "msgraph-emulator"});
        let mut claims = json!({
            "aud": "00000003-0000-0000-c000-000000000000",
            "iss": format!("https://sts.windows.net/{}/", self.tenant_id),
            "iat": now.timestamp(),
            "nbf": now.timestamp(),
            "exp": exp.timestamp(),
            "appid": client_id,
            "app_displayname": "msgraph-emulator",
            "tid": self.tenant_id,
            "uti": self.ids.token(16),
            "ver": "1.0",
        });
        match &principal {
            Principal::User(user_id) => {
                if let Some(u) = self.users.iter().find(|u| &u.id == user_id) {
                    claims["idtyp"] = json!("user");
                    claims["oid"] = json!(u.id);
                    claims["sub"] = json!(u.id);
                    claims["name"] = json!(u.display_name);
                    claims["upn"] = json!(u.upn);
                    claims["unique_name"] = json!(u.upn);
                    claims["scp"] = json!(scope_names(scope));
                }
            }
            Principal::App(_) => {
                claims["idtyp"] = json!("app");
                claims["oid"] = json!(crate::state::ids::guid(client_id.len() as u64 ^ 0xA99));
                claims["roles"] = json!(["Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite", "User.Read.All"]);
            }
        }
        let token = format!("{}.{}.{}", b64json(&header), b64json(&claims), self.ids.token(32));
        self.auth.tokens.insert(token.clone(), TokenRec { principal, expires_at: exp });
        token
    }

    /// The token endpoint's success body for a user: access token, refresh
    /// token when `offline_access` was asked for, id token when `openid` was.
    pub fn token_response_for_user(
        &mut self,
        user_id: &str,
        client_id: &str,
        scope: &str,
        client_info: bool,
        issuer_base: &str,
        now: DateTime<Utc>,
    ) -> Value {
        let access = self.issue_access_token(Principal::User(user_id.to_owned()), client_id, scope, now);
        let granted = granted_scope(scope);
        let mut body = json!({
            "token_type": "Bearer",
            "scope": granted,
            "expires_in": self.auth.token_lifetime,
            "ext_expires_in": self.auth.token_lifetime,
            "access_token": access,
        });
        let words: Vec<String> = scope.split_whitespace().map(str::to_ascii_lowercase).collect();
        if words.iter().any(|w| w == "offline_access") {
            let refresh = format!("1.{}", self.ids.token(48));
            self.auth.refresh.insert(
                refresh.clone(),
                RefreshRec { user_id: user_id.to_owned(), client_id: client_id.to_owned(), scope: scope.to_owned() },
            );
            body["refresh_token"] = json!(refresh);
        }
        let user = self.users.iter().find(|u| u.id == user_id).cloned();
        if let Some(u) = user {
            if words.iter().any(|w| w == "openid") {
                let claims = json!({
                    "aud": client_id,
                    "iss": format!("{issuer_base}/{}/v2.0", self.tenant_id),
                    "iat": now.timestamp(),
                    "nbf": now.timestamp(),
                    "exp": (now + Duration::seconds(3600)).timestamp(),
                    "name": u.display_name,
                    "oid": u.id,
                    "preferred_username": u.upn,
                    "sub": u.id,
                    "tid": self.tenant_id,
                    "ver": "2.0",
                });
                body["id_token"] =
                    json!(format!("{}.{}.", b64json(&json!({"typ": "JWT", "alg": "none"})), b64json(&claims)));
            }
            if client_info {
                body["client_info"] = json!(b64json(&json!({"uid": u.id, "utid": self.tenant_id})));
            }
        }
        body
    }

    /// Who a bearer token speaks for; `Err` says why it is refused.
    pub fn authenticate(&self, token: &str, now: DateTime<Utc>) -> Result<Principal, &'static str> {
        match self.auth.tokens.get(token) {
            None => Err("Access token validation failure. Invalid audience."),
            Some(t) if t.expires_at <= now => Err("Lifetime validation failed, the token is expired."),
            Some(t) => Ok(t.principal.clone()),
        }
    }
}

/// The scope string the token endpoint answers with: Graph scopes without
/// the resource prefix, plus the OpenID ones that were asked for.
fn granted_scope(scope: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for s in scope.split_whitespace() {
        let short = s.rsplit('/').next().unwrap_or(s);
        let short = if short == ".default" { "User.Read" } else { short };
        let short = short.to_owned();
        if !out.contains(&short) {
            out.push(short);
        }
    }
    if out.is_empty() {
        out.push("User.Read".into());
    }
    out.join(" ")
}

fn scope_names(scope: &str) -> String {
    granted_scope(scope)
        .split(' ')
        .filter(|s| !matches!(s.to_ascii_lowercase().as_str(), "openid" | "profile" | "offline_access" | "email"))
        .collect::<Vec<_>>()
        .join(" ")
}
