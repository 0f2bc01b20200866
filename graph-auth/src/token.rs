//! What the token endpoint answers, and what the cache keeps of it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use msgraph_core::{AccessToken, Secret};
use serde::{Deserialize, Deserializer};

use crate::cache::CachedToken;
use crate::engine::REFRESH_MARGIN;

/// When no `expires_in` comes back, assume the platform's usual hour.
const DEFAULT_LIFETIME_SECS: i64 = 3600;
/// A longer `expires_in` is clamped (and never overflows a timestamp).
const MAX_LIFETIME_SECS: i64 = 366 * 24 * 3600;

/// A successful token endpoint answer. Secrets stay wrapped, so `Debug` is safe.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenResponse {
    #[serde(deserialize_with = "secret")]
    pub(crate) access_token: Secret,
    #[serde(default, deserialize_with = "opt_secret")]
    pub(crate) refresh_token: Option<Secret>,
    #[serde(default, deserialize_with = "opt_secret")]
    pub(crate) id_token: Option<Secret>,
    #[serde(default, deserialize_with = "number_or_string")]
    pub(crate) expires_in: Option<i64>,
}

impl TokenResponse {
    /// The cache entry for this answer. A refresh that returns no new
    /// refresh token keeps the previous one.
    pub(crate) fn into_cached(self, previous_refresh: Option<Secret>) -> (CachedToken, Option<String>) {
        let lifetime = self.expires_in.filter(|s| *s > 0).unwrap_or(DEFAULT_LIFETIME_SECS).min(MAX_LIFETIME_SECS);
        let issued_on = Utc::now();
        let expires_on = issued_on + Duration::seconds(lifetime);
        let account = self.id_token.as_ref().and_then(account_from_id_token);
        let refresh = self.refresh_token.or(previous_refresh);
        let mut token = CachedToken::new(self.access_token, expires_on, refresh);
        token.issued_on = Some(issued_on);
        (token, account)
    }
}

/// The account name an id token carries: `preferred_username`, else `upn`,
/// `email` or `oid`. The id token came straight from the token endpoint over
/// TLS and only labels the cache entry, so its signature is not checked.
pub(crate) fn account_from_id_token(id_token: &Secret) -> Option<String> {
    #[derive(Deserialize)]
    struct Claims {
        preferred_username: Option<String>,
        upn: Option<String>,
        email: Option<String>,
        oid: Option<String>,
    }
    let payload = id_token.expose().split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let c: Claims = serde_json::from_slice(&bytes).ok()?;
    c.preferred_username.or(c.upn).or(c.email).or(c.oid).filter(|s| !s.is_empty())
}

impl CachedToken {
    /// The access token in the form the pipeline takes.
    pub fn to_access_token(&self) -> AccessToken {
        AccessToken::new(self.access_token.clone(), Some(self.expires_on))
    }

    /// True when the token expires within `margin` from now.
    pub fn expires_within(&self, margin: Duration) -> bool {
        // cannot overflow, unlike `expires_on - margin` with an extreme cached date
        self.expires_on.signed_duration_since(Utc::now()) <= margin
    }

    /// How long before it expires the token is renewed: [`REFRESH_MARGIN`],
    /// or half the token's lifetime when that is shorter, so a token issued
    /// for 4 minutes is used for 2 instead of being asked for again on every
    /// call. Without [`issued_on`](Self::issued_on) the lifetime is unknown
    /// and the margin is `REFRESH_MARGIN`.
    pub fn refresh_margin(&self) -> Duration {
        match self.issued_on {
            // cannot overflow: any two `DateTime<Utc>` are less than a `TimeDelta` apart
            Some(issued) => (self.expires_on.signed_duration_since(issued) / 2).clamp(Duration::zero(), REFRESH_MARGIN),
            None => REFRESH_MARGIN,
        }
    }

    /// True when the token is due for renewal: it expires within its
    /// [`refresh_margin`](Self::refresh_margin).
    pub fn needs_refresh(&self) -> bool {
        self.expires_within(self.refresh_margin())
    }
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    String::deserialize(d).map(Secret::new)
}

fn opt_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()).map(Secret::new))
}

/// `expires_in` is a number on the v2.0 endpoint and a string on some others.
fn number_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrStr {
        Num(i64),
        Str(String),
    }
    Ok(match Option::<NumOrStr>::deserialize(d)? {
        Some(NumOrStr::Num(n)) => Some(n),
        Some(NumOrStr::Str(s)) => s.trim().parse().ok(),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_token(claims: &str) -> Secret {
        Secret::new(format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(claims)))
    }

    #[test]
    fn parses_numbers_and_strings_and_keeps_old_refresh_token() {
        let r: TokenResponse =
            serde_json::from_str(r#"{"access_token":"a","expires_in":"3599","token_type":"Bearer"}"#).unwrap();
        assert_eq!(r.expires_in, Some(3599));
        let (t, account) = r.into_cached(Some(Secret::new("old-rt")));
        assert_eq!(t.refresh_token.as_ref().map(Secret::expose), Some("old-rt"));
        assert!(account.is_none());
        assert!(!t.expires_within(Duration::minutes(5)));
        assert!(t.expires_within(Duration::minutes(61)));
        assert!(!format!("{t:?}").contains("old-rt"));
    }

    #[test]
    fn absurd_lifetimes_do_not_panic() {
        for body in
            [r#"{"access_token":"a","expires_in":9223372036854775807}"#, r#"{"access_token":"a","expires_in":-5}"#]
        {
            let r: TokenResponse = serde_json::from_str(body).unwrap();
            let (t, _) = r.into_cached(None);
            assert!(t.expires_on <= Utc::now() + Duration::days(367));
        }
    }

    #[test]
    fn short_lived_tokens_are_renewed_halfway_through_their_life() {
        let now = Utc::now();
        let token = |issued: Option<chrono::DateTime<Utc>>, expires| {
            let mut t = CachedToken::new("a", expires, None);
            t.issued_on = issued;
            t
        };
        // An hour-long token: 5 minutes before it expires.
        assert_eq!(token(Some(now), now + Duration::hours(1)).refresh_margin(), Duration::minutes(5));
        // A 4-minute token: halfway, so it is used for 2 minutes.
        let short = token(Some(now), now + Duration::minutes(4));
        assert_eq!(short.refresh_margin(), Duration::minutes(2));
        assert!(!short.needs_refresh());
        assert!(token(Some(now - Duration::minutes(3)), now + Duration::minutes(1)).needs_refresh());
        // Unknown issue time: the plain margin. Nonsense and extreme dates neither panic nor go negative.
        assert_eq!(token(None, now + Duration::minutes(4)).refresh_margin(), Duration::minutes(5));
        assert_eq!(token(Some(now), now - Duration::minutes(4)).refresh_margin(), Duration::zero());
        let extreme = token(Some(chrono::DateTime::<Utc>::MIN_UTC), chrono::DateTime::<Utc>::MAX_UTC);
        assert_eq!(extreme.refresh_margin(), Duration::minutes(5));
        assert!(!extreme.needs_refresh());
        // A fresh answer from the token endpoint records when it was issued.
        let r: TokenResponse = serde_json::from_str(r#"{"access_token":"a","expires_in":120}"#).unwrap();
        let (t, _) = r.into_cached(None);
        assert_eq!(t.refresh_margin(), Duration::minutes(1));
        assert!(!t.needs_refresh());
    }

    #[test]
    fn account_comes_from_the_id_token() {
        assert_eq!(
            account_from_id_token(&id_token(r#"{"preferred_username":"ada@contoso.com","oid":"1"}"#)).as_deref(),
            Some("ada@contoso.com")
        );
        assert_eq!(account_from_id_token(&id_token(r#"{"oid":"1234"}"#)).as_deref(), Some("1234"));
        assert_eq!(account_from_id_token(&Secret::new("not-a-jwt")), None);
    }
}
