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

use crate::state::certs::{ClientCert, MAX_CERTIFICATES};
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
    /// Issue order (the oldest are dropped first beyond [`MAX_REFRESH_TOKENS`]).
    pub seq: u64,
}

/// Access tokens kept at most: expired ones are dropped first, then the
/// oldest (a dropped token answers 401 as an unknown one does).
pub(crate) const MAX_ACCESS_TOKENS: usize = 20_000;
/// Refresh tokens kept at most (a dropped one answers `invalid_grant`).
pub(crate) const MAX_REFRESH_TOKENS: usize = 10_000;
/// Device codes kept at most: expired ones are dropped first, then the
/// oldest (an unauthenticated loop on `/devicecode` cannot grow memory).
pub(crate) const MAX_DEVICE_CODES: usize = 1_000;
/// Longest `client_id` the identity endpoints take.
pub(crate) const MAX_CLIENT_ID_LEN: usize = 256;
/// Longest `scope` the identity endpoints take.
pub(crate) const MAX_SCOPE_LEN: usize = 4096;

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
    /// Issue counter for refresh tokens.
    pub seq: u64,
    /// Certificates registered for clients (client assertions are checked against them).
    pub client_certs: Vec<ClientCert>,
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
            seq: 0,
            client_certs: Vec::new(),
        }
    }
}

impl AuthState {
    /// Registers a client certificate (again: replaces it); the oldest go beyond [`MAX_CERTIFICATES`].
    pub fn add_client_cert(&mut self, cert: ClientCert) {
        self.client_certs.retain(|c| !(c.client_id == cert.client_id && c.x5t_s256 == cert.x5t_s256));
        if self.client_certs.len() >= MAX_CERTIFICATES {
            self.client_certs.remove(0);
        }
        self.client_certs.push(cert);
    }

    /// Room for one more access token: drops expired ones, then the oldest
    /// quarter when still full.
    fn make_room_for_token(&mut self, now: DateTime<Utc>) {
        if self.tokens.len() < MAX_ACCESS_TOKENS {
            return;
        }
        self.tokens.retain(|_, t| t.expires_at > now);
        if self.tokens.len() >= MAX_ACCESS_TOKENS {
            let mut by_age: Vec<(DateTime<Utc>, String)> =
                self.tokens.iter().map(|(k, t)| (t.expires_at, k.clone())).collect();
            by_age.sort();
            for (_, k) in by_age.into_iter().take(MAX_ACCESS_TOKENS / 4) {
                self.tokens.remove(&k);
            }
        }
    }

    /// Keeps a refresh token, dropping the oldest quarter when full.
    pub fn keep_refresh(&mut self, token: String, mut rec: RefreshRec) {
        if self.refresh.len() >= MAX_REFRESH_TOKENS {
            let mut by_age: Vec<(u64, String)> = self.refresh.iter().map(|(k, r)| (r.seq, k.clone())).collect();
            by_age.sort();
            for (_, k) in by_age.into_iter().take(MAX_REFRESH_TOKENS / 4) {
                self.refresh.remove(&k);
            }
        }
        self.seq += 1;
        rec.seq = self.seq;
        self.refresh.insert(token, rec);
    }

    /// Keeps a device code: expired codes are dropped, then the oldest
    /// quarter when still full.
    pub fn keep_device_code(&mut self, code: String, rec: DeviceCodeRec, now: DateTime<Utc>) {
        if self.device_codes.len() >= MAX_DEVICE_CODES {
            self.device_codes.retain(|_, d| d.expires_at > now);
        }
        if self.device_codes.len() >= MAX_DEVICE_CODES {
            let mut by_age: Vec<(DateTime<Utc>, String)> =
                self.device_codes.iter().map(|(k, d)| (d.expires_at, k.clone())).collect();
            by_age.sort();
            for (_, k) in by_age.into_iter().take(MAX_DEVICE_CODES / 4) {
                self.device_codes.remove(&k);
            }
        }
        self.device_codes.insert(code, rec);
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
        self.auth.make_room_for_token(now);
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
            self.auth.keep_refresh(
                refresh.clone(),
                RefreshRec {
                    user_id: user_id.to_owned(),
                    client_id: client_id.to_owned(),
                    scope: scope.to_owned(),
                    seq: 0,
                },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        Store::new(crate::demo::TENANT_ID, Utc::now())
    }

    #[test]
    fn a_device_code_loop_keeps_at_most_the_cap() {
        let mut s = store();
        let now = Utc::now();
        for i in 0..100_000 {
            let rec = DeviceCodeRec {
                client_id: "loop".into(),
                scope: "x".into(),
                user_id: "u".into(),
                expires_at: now + Duration::seconds(900),
                polls: 0,
                redeemed: false,
            };
            s.auth.keep_device_code(format!("dc{i}"), rec, now);
        }
        assert!(s.auth.device_codes.len() <= MAX_DEVICE_CODES, "{}", s.auth.device_codes.len());
        assert!(s.auth.device_codes.contains_key("dc99999"), "the newest code is kept");
    }

    #[test]
    fn expired_device_codes_go_first() {
        let mut s = store();
        let now = Utc::now();
        let rec = |exp: i64| DeviceCodeRec {
            client_id: "c".into(),
            scope: "x".into(),
            user_id: "u".into(),
            expires_at: now + Duration::seconds(exp),
            polls: 0,
            redeemed: false,
        };
        s.auth.keep_device_code("live".into(), rec(900), now);
        for i in 0..MAX_DEVICE_CODES {
            s.auth.keep_device_code(format!("old{i}"), rec(-1), now);
        }
        assert!(s.auth.device_codes.contains_key("live"));
        assert!(s.auth.device_codes.len() <= 2, "{}", s.auth.device_codes.len());
    }

    #[test]
    fn issued_access_and_refresh_tokens_are_capped() {
        let mut s = store();
        let now = Utc::now();
        let mut last = String::new();
        for _ in 0..(MAX_ACCESS_TOKENS + 5_000) {
            last =
                s.issue_access_token(Principal::App("app".into()), "app", "https://graph.microsoft.com/.default", now);
        }
        assert!(s.auth.tokens.len() <= MAX_ACCESS_TOKENS, "{}", s.auth.tokens.len());
        assert!(s.authenticate(&last, now).is_ok(), "the newest token still works");
        for i in 0..(MAX_REFRESH_TOKENS * 3) {
            let rec = RefreshRec { user_id: "u".into(), client_id: "c".into(), scope: "s".into(), seq: 0 };
            s.auth.keep_refresh(format!("rt{i}"), rec);
        }
        assert!(s.auth.refresh.len() <= MAX_REFRESH_TOKENS, "{}", s.auth.refresh.len());
        assert!(s.auth.refresh.contains_key(&format!("rt{}", MAX_REFRESH_TOKENS * 3 - 1)));
    }

    #[test]
    fn expired_access_tokens_go_before_live_ones() {
        let mut s = store();
        let now = Utc::now();
        let live = s.issue_access_token(Principal::App("app".into()), "app", "x/.default", now);
        for _ in 1..MAX_ACCESS_TOKENS {
            s.issue_access_token(Principal::App("app".into()), "app", "x/.default", now - Duration::days(1));
        }
        // full: the next issue drops the expired ones, not the live one
        s.issue_access_token(Principal::App("app".into()), "app", "x/.default", now);
        assert!(s.authenticate(&live, now).is_ok());
        assert_eq!(s.auth.tokens.len(), 2);
    }
}
