//! The identity platform's endpoints a client needs to sign in
//! (<https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code>,
//! <https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow>,
//! <https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token>):
//!
//! - `POST /{tenant}/oauth2/v2.0/devicecode`
//! - `POST /{tenant}/oauth2/v2.0/token` with `grant_type` `device_code`
//!   (the first poll answers `authorization_pending`, the next one signs the
//!   user in), `client_credentials` and `refresh_token`
//! - `GET /{tenant}/v2.0/.well-known/openid-configuration`
//! - `GET /{tenant}/discovery/v2.0/keys` (the key that signs rich
//!   notifications' `validationTokens`)
//! - `GET /devicelogin` (a page that says the code is approved automatically)

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::Duration;
use serde_json::{Value, json};

use crate::context::{Ctx, Shared, lock};
use crate::demo;
use crate::errors::OAuthError;
use crate::routes::response::origin;
use crate::state::auth::{DeviceCodeOutcome, DeviceCodeRec, MAX_CLIENT_ID_LEN, MAX_SCOPE_LEN, Principal};
use crate::state::certs::{JWT_BEARER, verify_assertion};

fn json(status: StatusCode, v: &Value) -> Response {
    let mut r = Response::new(Body::from(v.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store, no-cache"));
    r
}

fn oauth_error(e: OAuthError, ctx: &Ctx) -> Response {
    json(e.status, &e.body(&ctx.request_id, ctx.now))
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    if body.len() > MAX_FORM_BYTES {
        // refused by check_sizes
        return Vec::new();
    }
    url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

fn missing(name: &str) -> OAuthError {
    OAuthError::new(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        900144,
        format!("The request body must contain the following parameter: '{name}'."),
    )
}

/// Largest form the identity endpoints read (a client assertion with a
/// certificate chain fits many times over).
const MAX_FORM_BYTES: usize = 256 << 10;

/// Refuses oversized forms and fields before anything is kept from them.
fn check_sizes(body: &[u8], form: &[(String, String)]) -> Result<(), OAuthError> {
    let too_long = |what: &str, max: usize| {
        OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            9002313,
            format!("Invalid request. Request is malformed or invalid: '{what}' is longer than {max} bytes."),
        )
    };
    if body.len() > MAX_FORM_BYTES {
        return Err(too_long("request body", MAX_FORM_BYTES));
    }
    if field(form, "client_id").is_some_and(|c| c.len() > MAX_CLIENT_ID_LEN) {
        return Err(too_long("client_id", MAX_CLIENT_ID_LEN));
    }
    if field(form, "scope").is_some_and(|c| c.len() > MAX_SCOPE_LEN) {
        return Err(too_long("scope", MAX_SCOPE_LEN));
    }
    Ok(())
}

fn check_tenant(tenant: &str, tenant_id: &str) -> Result<(), OAuthError> {
    let known = ["common", "organizations", "consumers", tenant_id, demo::TENANT_DOMAIN, "contoso.onmicrosoft.com"];
    if known.iter().any(|k| k.eq_ignore_ascii_case(tenant)) {
        Ok(())
    } else {
        Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        ))
    }
}

/// `POST /{tenant}/oauth2/v2.0/devicecode`.
pub(crate) async fn device_code(
    State(shared): State<Arc<Shared>>,
    Extension(ctx): Extension<Ctx>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = form(&body);
    if let Err(e) = check_sizes(&body, &form) {
        return oauth_error(e, &ctx);
    }
    let authority = origin(&headers, shared.addr);
    let mut store = lock(&shared.store);
    if let Err(e) = check_tenant(&tenant, &store.tenant_id.clone()) {
        return oauth_error(e, &ctx);
    }
    let Some(client_id) = field(&form, "client_id") else { return oauth_error(missing("client_id"), &ctx) };
    let scope = field(&form, "scope").unwrap_or("https://graph.microsoft.com/.default").to_owned();
    let Some(user_id) = store.sign_in_user_id() else {
        return oauth_error(
            OAuthError::new(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                50034,
                "The user account does not exist in the tenant.",
            ),
            &ctx,
        );
    };
    let device_code = format!("DAQABAAEAAAD{}", store.ids.token(96));
    let user_code: String = store
        .ids
        .token(12)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .filter(|c| !matches!(c, 'O' | '0' | 'I' | '1'))
        .take(9)
        .collect();
    let expires_in = 900;
    store.auth.keep_device_code(
        device_code.clone(),
        DeviceCodeRec {
            client_id: client_id.to_owned(),
            scope,
            user_id,
            expires_at: ctx.now + Duration::seconds(expires_in),
            polls: 0,
            redeemed: false,
        },
        ctx.now,
    );
    let uri = format!("{authority}/devicelogin");
    json(
        StatusCode::OK,
        &json!({
            "user_code": user_code,
            "device_code": device_code,
            "verification_uri": uri,
            "expires_in": expires_in,
            "interval": store.auth.device_interval,
            "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate. (msgraph-emulator approves it by itself.)"),
        }),
    )
}

/// `POST /{tenant}/oauth2/v2.0/token`.
pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    Extension(ctx): Extension<Ctx>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = form(&body);
    if let Err(e) = check_sizes(&body, &form) {
        return oauth_error(e, &ctx);
    }
    let authority = origin(&headers, shared.addr);
    let mut store = lock(&shared.store);
    if let Err(e) = check_tenant(&tenant, &store.tenant_id.clone()) {
        return oauth_error(e, &ctx);
    }
    let Some(grant) = field(&form, "grant_type") else { return oauth_error(missing("grant_type"), &ctx) };
    let Some(client_id) = field(&form, "client_id") else { return oauth_error(missing("client_id"), &ctx) };
    let client_info = field(&form, "client_info") == Some("1");
    match grant {
        "urn:ietf:params:oauth:grant-type:device_code" | "device_code" => {
            let Some(code) = field(&form, "device_code") else { return oauth_error(missing("device_code"), &ctx) };
            let outcome = store.auth.device_outcome;
            let Some(rec) = store.auth.device_codes.get_mut(code) else {
                return oauth_error(
                    OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        70000,
                        "The provided value for the 'device_code' is not valid.",
                    ),
                    &ctx,
                );
            };
            if rec.client_id != client_id {
                return oauth_error(
                    OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        70000,
                        "The device code was issued to another client.",
                    ),
                    &ctx,
                );
            }
            if rec.redeemed {
                return oauth_error(
                    OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        70000,
                        "The provided value for the 'device_code' has already been redeemed.",
                    ),
                    &ctx,
                );
            }
            if rec.expires_at <= ctx.now {
                return oauth_error(
                    OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "expired_token",
                        70020,
                        "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
                    ),
                    &ctx,
                );
            }
            rec.polls += 1;
            if rec.polls == 1 {
                return oauth_error(
                    OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "authorization_pending",
                        70016,
                        "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                    ),
                    &ctx,
                );
            }
            match outcome {
                DeviceCodeOutcome::Decline => {
                    return oauth_error(
                        OAuthError::new(
                            StatusCode::BAD_REQUEST,
                            "authorization_declined",
                            70000,
                            "The end user denied the authorization request.",
                        ),
                        &ctx,
                    );
                }
                DeviceCodeOutcome::Expire => {
                    return oauth_error(
                        OAuthError::new(
                            StatusCode::BAD_REQUEST,
                            "expired_token",
                            70020,
                            "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
                        ),
                        &ctx,
                    );
                }
                DeviceCodeOutcome::Approve => {}
            }
            rec.redeemed = true;
            let (user_id, scope) = (rec.user_id.clone(), rec.scope.clone());
            let body = store.token_response_for_user(&user_id, client_id, &scope, client_info, &authority, ctx.now);
            json(StatusCode::OK, &body)
        }
        "client_credentials" => {
            let secret = field(&form, "client_secret");
            let assertion = field(&form, "client_assertion");
            if secret.is_none() && assertion.is_none() {
                return oauth_error(
                    OAuthError::new(
                        StatusCode::UNAUTHORIZED,
                        "invalid_client",
                        7000218,
                        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
                    ),
                    &ctx,
                );
            }
            if let Some(a) = assertion {
                match field(&form, "client_assertion_type") {
                    Some(JWT_BEARER) => {}
                    Some(other) => {
                        return oauth_error(
                            OAuthError::new(
                                StatusCode::BAD_REQUEST,
                                "invalid_request",
                                9002313,
                                format!(
                                    "Invalid request. Request is malformed or invalid: client_assertion_type '{}' is not supported (use '{JWT_BEARER}').",
                                    other.chars().take(100).collect::<String>()
                                ),
                            ),
                            &ctx,
                        );
                    }
                    None => return oauth_error(missing("client_assertion_type"), &ctx),
                }
                let tenant_id = store.tenant_id.clone();
                let audiences: Vec<String> = [tenant.as_str(), tenant_id.as_str(), demo::TENANT_DOMAIN]
                    .iter()
                    .flat_map(|t| {
                        [format!("{authority}/{t}/oauth2/v2.0/token"), format!("{authority}/{t}/oauth2/token")]
                    })
                    .collect();
                if let Err(e) = verify_assertion(&store.auth.client_certs, a, client_id, &audiences, ctx.now) {
                    return oauth_error(e, &ctx);
                }
            }
            if let Some(s) = secret
                && s != demo::CLIENT_SECRET
            {
                return oauth_error(
                    OAuthError::new(
                        StatusCode::UNAUTHORIZED,
                        "invalid_client",
                        7000215,
                        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
                    ),
                    &ctx,
                );
            }
            let scope = field(&form, "scope").unwrap_or_default();
            if !scope.split_whitespace().all(|s| s.ends_with("/.default")) || scope.is_empty() {
                return oauth_error(
                    OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_scope",
                        1002012,
                        format!(
                            "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
                        ),
                    ),
                    &ctx,
                );
            }
            let token = store.issue_access_token(Principal::App(client_id.to_owned()), client_id, scope, ctx.now);
            let lifetime = store.auth.token_lifetime;
            json(
                StatusCode::OK,
                &json!({"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token}),
            )
        }
        "refresh_token" => {
            let Some(rt) = field(&form, "refresh_token") else { return oauth_error(missing("refresh_token"), &ctx) };
            let Some(rec) = store.auth.refresh.remove(rt) else {
                return oauth_error(
                    OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        70008,
                        "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
                    ),
                    &ctx,
                );
            };
            if rec.client_id != client_id {
                store.auth.keep_refresh(rt.to_owned(), rec);
                return oauth_error(
                    OAuthError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        70000,
                        "The refresh token was issued to a different client.",
                    ),
                    &ctx,
                );
            }
            let scope = match field(&form, "scope") {
                Some(s) if s.split_whitespace().any(|w| w.eq_ignore_ascii_case("offline_access")) => s.to_owned(),
                Some(s) => format!("{s} offline_access"),
                None => rec.scope.clone(),
            };
            let body = store.token_response_for_user(&rec.user_id, client_id, &scope, client_info, &authority, ctx.now);
            json(StatusCode::OK, &body)
        }
        other => oauth_error(
            OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                70003,
                format!("The app requested an unsupported grant type '{other}'."),
            ),
            &ctx,
        ),
    }
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub(crate) async fn openid_configuration(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    let o = origin(&headers, shared.addr);
    let tid = lock(&shared.store).tenant_id.clone();
    json(
        StatusCode::OK,
        &json!({
            "token_endpoint": format!("{o}/{tenant}/oauth2/v2.0/token"),
            "device_authorization_endpoint": format!("{o}/{tenant}/oauth2/v2.0/devicecode"),
            "authorization_endpoint": format!("{o}/{tenant}/oauth2/v2.0/authorize"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": format!("{o}/{tid}/v2.0"),
            "tenant_region_scope": "NA",
            "cloud_instance_name": "msgraph-emulator",
            "msgraph_host": o.trim_start_matches("http://"),
        }),
    )
}

/// `GET /{tenant}/discovery/v2.0/keys`: the key that signs the
/// `validationTokens` of rich notifications (JWKS).
pub(crate) async fn signing_keys() -> Response {
    json(StatusCode::OK, &crate::state::resource_data::signing_keys())
}

/// `GET /devicelogin`: nothing to do, the emulator approves device codes itself.
pub(crate) async fn device_login() -> Response {
    let mut r = Response::new(Body::from(
        "msgraph-emulator: device codes are approved automatically after the first poll. Nothing to do here.\n",
    ));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}
