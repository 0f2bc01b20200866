//! Identity endpoints, bearer tokens, 401s and users, over plain HTTP.

mod common;

use common::{T, assert_graph_error, client};
use msgraph_emulator::{DeviceCodeOutcome, demo};
use reqwest::Method;
use serde_json::Value;

async fn form(t: &T, path: &str, pairs: &[(&str, &str)]) -> (u16, Value) {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let r = client()
        .post(format!("{}{}", t.emu.authority_url(), path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

#[tokio::test]
async fn device_code_flow_is_pending_once_then_signs_adele_in() {
    let t = T::start().await;
    let scope = "https://graph.microsoft.com/Mail.Read offline_access openid profile";
    let (s, code) = form(&t, "/common/oauth2/v2.0/devicecode", &[("client_id", "my-app"), ("scope", scope)]).await;
    assert_eq!(s, 200, "{code}");
    assert!(code["user_code"].as_str().is_some_and(|c| c.len() >= 6));
    assert!(code["verification_uri"].as_str().unwrap().starts_with(&t.emu.authority_url()));
    assert_eq!(code["expires_in"], 900);
    assert_eq!(code["interval"], 1);
    assert!(code["message"].as_str().unwrap().contains(code["user_code"].as_str().unwrap()));
    let dc = code["device_code"].as_str().unwrap();

    let poll = [("grant_type", DEVICE_GRANT), ("client_id", "my-app"), ("device_code", dc)];
    let (s, pending) = form(&t, "/common/oauth2/v2.0/token", &poll).await;
    assert_eq!(s, 400);
    assert_eq!(pending["error"], "authorization_pending");
    assert_eq!(pending["error_codes"][0], 70016);
    assert!(pending["error_description"].as_str().unwrap().starts_with("AADSTS70016"));

    let (s, tok) = form(&t, "/common/oauth2/v2.0/token", &poll).await;
    assert_eq!(s, 200, "{tok}");
    assert_eq!(tok["token_type"], "Bearer");
    assert_eq!(tok["expires_in"], 3599);
    assert!(tok["refresh_token"].is_string(), "offline_access gives a refresh token");
    let id_token = tok["id_token"].as_str().expect("openid gives an id token");
    let claims = id_token.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    assert_eq!(claims["preferred_username"], demo::USER_UPN);
    assert_eq!(claims["tid"], demo::TENANT_ID);

    // The token works on Graph as Adele.
    let me = t.call_as(tok["access_token"].as_str().unwrap(), Method::GET, "/me", None, &[]).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json["userPrincipalName"], demo::USER_UPN);

    // A device code is redeemed once.
    let (s, again) = form(&t, "/common/oauth2/v2.0/token", &poll).await;
    assert_eq!(s, 400);
    assert_eq!(again["error"], "invalid_grant");
}

#[tokio::test]
async fn device_code_outcomes_and_sign_in_user_are_configurable() {
    let t = T::start().await;
    t.emu.set_sign_in_user(demo::SECOND_USER_UPN).unwrap();
    let (_, code) =
        form(&t, "/organizations/oauth2/v2.0/devicecode", &[("client_id", "c"), ("scope", "User.Read")]).await;
    let poll =
        [("grant_type", DEVICE_GRANT), ("client_id", "c"), ("device_code", code["device_code"].as_str().unwrap())];
    form(&t, "/organizations/oauth2/v2.0/token", &poll).await;
    let (_, tok) = form(&t, "/organizations/oauth2/v2.0/token", &poll).await;
    let me = t.call_as(tok["access_token"].as_str().unwrap(), Method::GET, "/me", None, &[]).await;
    assert_eq!(me.json["mail"], demo::SECOND_USER_UPN);
    assert!(tok.get("refresh_token").is_none(), "no offline_access, no refresh token");

    t.emu.set_device_code_outcome(DeviceCodeOutcome::Decline);
    let (_, code) = form(&t, "/common/oauth2/v2.0/devicecode", &[("client_id", "c")]).await;
    let poll =
        [("grant_type", DEVICE_GRANT), ("client_id", "c"), ("device_code", code["device_code"].as_str().unwrap())];
    form(&t, "/common/oauth2/v2.0/token", &poll).await;
    let (s, declined) = form(&t, "/common/oauth2/v2.0/token", &poll).await;
    assert_eq!((s, declined["error"].as_str()), (400, Some("authorization_declined")));

    t.emu.set_device_code_outcome(DeviceCodeOutcome::Expire);
    let (_, code) = form(&t, "/common/oauth2/v2.0/devicecode", &[("client_id", "c")]).await;
    let poll =
        [("grant_type", DEVICE_GRANT), ("client_id", "c"), ("device_code", code["device_code"].as_str().unwrap())];
    form(&t, "/common/oauth2/v2.0/token", &poll).await;
    let (_, expired) = form(&t, "/common/oauth2/v2.0/token", &poll).await;
    assert_eq!(expired["error"], "expired_token");
}

#[tokio::test]
async fn client_credentials_give_app_tokens_that_need_users_paths() {
    let t = T::start().await;
    let tenant_path = format!("/{}/oauth2/v2.0/token", demo::TENANT_ID);
    let good = [
        ("grant_type", "client_credentials"),
        ("client_id", demo::CLIENT_ID),
        ("client_secret", demo::CLIENT_SECRET),
        ("scope", "https://graph.microsoft.com/.default"),
    ];
    let (s, tok) = form(&t, &tenant_path, &good).await;
    assert_eq!(s, 200, "{tok}");
    assert!(tok.get("refresh_token").is_none());
    let app = tok["access_token"].as_str().unwrap();

    let me = t.call_as(app, Method::GET, "/me", None, &[]).await;
    assert_graph_error(&me, 400, "BadRequest");
    assert!(
        me.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/me request is only valid with delegated authentication flow")
    );
    let alex = t
        .call_as(app, Method::GET, &format!("/users/{}/mailFolders/inbox/messages", demo::SECOND_USER_UPN), None, &[])
        .await;
    assert_eq!(alex.status, 200, "{}", alex.json);

    let mut bad_secret = good;
    bad_secret[2] = ("client_secret", "nope");
    let (s, e) = form(&t, &tenant_path, &bad_secret).await;
    assert_eq!((s, e["error"].as_str()), (401, Some("invalid_client")));
    assert_eq!(e["error_codes"][0], 7000215);

    let mut bad_scope = good;
    bad_scope[3] = ("scope", "Mail.Read");
    let (s, e) = form(&t, &tenant_path, &bad_scope).await;
    assert_eq!((s, e["error"].as_str()), (400, Some("invalid_scope")));

    let (s, e) = form(&t, &tenant_path, &good[..3]).await;
    assert_eq!((s, e["error"].as_str()), (400, Some("invalid_scope")));
    let (s, e) = form(&t, &tenant_path, &[("grant_type", "password"), ("client_id", "x")]).await;
    assert_eq!((s, e["error"].as_str()), (400, Some("unsupported_grant_type")));
    let (s, e) = form(&t, "/not-a-tenant.example/oauth2/v2.0/token", &good).await;
    assert_eq!((s, e["error"].as_str()), (400, Some("invalid_request")));
}

#[tokio::test]
async fn refresh_tokens_rotate_and_can_be_revoked() {
    let t = T::start().await;
    let (_, code) =
        form(&t, "/common/oauth2/v2.0/devicecode", &[("client_id", "c"), ("scope", "Mail.Read offline_access")]).await;
    let poll =
        [("grant_type", DEVICE_GRANT), ("client_id", "c"), ("device_code", code["device_code"].as_str().unwrap())];
    form(&t, "/common/oauth2/v2.0/token", &poll).await;
    let (_, tok) = form(&t, "/common/oauth2/v2.0/token", &poll).await;
    let rt = tok["refresh_token"].as_str().unwrap().to_owned();

    // Access token expired: Graph says so.
    t.emu.expire_tokens();
    let r = t.call_as(tok["access_token"].as_str().unwrap(), Method::GET, "/me", None, &[]).await;
    assert_graph_error(&r, 401, "InvalidAuthenticationToken");
    assert!(r.json["error"]["message"].as_str().unwrap().contains("expired"));

    let (s, fresh) = form(
        &t,
        "/common/oauth2/v2.0/token",
        &[("grant_type", "refresh_token"), ("client_id", "c"), ("refresh_token", &rt)],
    )
    .await;
    assert_eq!(s, 200, "{fresh}");
    assert_ne!(fresh["refresh_token"], rt, "refresh tokens rotate");
    let me = t.call_as(fresh["access_token"].as_str().unwrap(), Method::GET, "/me", None, &[]).await;
    assert_eq!(me.status, 200);

    let (s, e) = form(
        &t,
        "/common/oauth2/v2.0/token",
        &[("grant_type", "refresh_token"), ("client_id", "c"), ("refresh_token", &rt)],
    )
    .await;
    assert_eq!((s, e["error"].as_str()), (400, Some("invalid_grant")), "an old refresh token is spent");

    t.emu.revoke_refresh_tokens();
    let newest = fresh["refresh_token"].as_str().unwrap();
    let (_, e) = form(
        &t,
        "/common/oauth2/v2.0/token",
        &[("grant_type", "refresh_token"), ("client_id", "c"), ("refresh_token", newest)],
    )
    .await;
    assert_eq!(e["error"], "invalid_grant");
}

#[tokio::test]
async fn graph_without_a_valid_token_is_401_in_graphs_shape() {
    let t = T::start().await;
    let none = t.call_as("", Method::GET, "/me/messages", None, &[("client-request-id", "c1a2b3")]).await;
    assert_graph_error(&none, 401, "InvalidAuthenticationToken");
    assert_eq!(none.json["error"]["message"], "Access token is empty.");
    assert_eq!(none.json["error"]["innerError"]["client-request-id"], "c1a2b3");
    assert_eq!(none.header("client-request-id"), Some("c1a2b3"));
    assert!(none.header("www-authenticate").unwrap().starts_with("Bearer"));

    let bogus = t.call_as("not-a-token", Method::GET, "/me", None, &[]).await;
    assert_graph_error(&bogus, 401, "InvalidAuthenticationToken");

    // Basic auth is not a bearer token either.
    let basic = t.call_as("", Method::GET, "/me", None, &[("authorization", "Basic dXNlcjpwYXNz")]).await;
    assert_graph_error(&basic, 401, "InvalidAuthenticationToken");
}

#[tokio::test]
async fn users_me_and_select() {
    let t = T::start().await;
    let me = t.get("/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json["id"], demo::USER_ID);
    assert_eq!(me.json["displayName"], "Adele Vance");
    assert!(me.header("content-type").unwrap().starts_with("application/json"));
    assert!(me.header("request-id").is_some());

    let sel = t.get("/me?$select=displayName,mail").await;
    let keys: Vec<&String> = sel.json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["@odata.context", "displayName", "id", "mail"]);

    let settings = t.get("/me?$select=mailboxSettings").await;
    assert_eq!(settings.json["mailboxSettings"]["timeZone"], "Pacific Standard Time");

    let by_upn = t.get(&format!("/users/{}", demo::SECOND_USER_UPN.to_lowercase())).await;
    assert_eq!(by_upn.json["displayName"], "Alex Wilber");
    let missing = t.get("/users/nobody@contoso.com").await;
    assert_graph_error(&missing, 404, "Request_ResourceNotFound");

    let list = t.get("/users?$filter=startswith(displayName,'A')&$count=true").await;
    assert_eq!(list.json["@odata.count"], 2);

    // A delegated token cannot read another user's mailbox.
    let other = t.get(&format!("/users/{}/messages", demo::SECOND_USER_ID)).await;
    assert_graph_error(&other, 403, "ErrorAccessDenied");

    let bad = t.get("/me?$select=nonsense").await;
    assert_graph_error(&bad, 400, "RequestBroker--ParseUri");
    let seg = t.get("/me/notAThing").await;
    assert_graph_error(&seg, 400, "BadRequest");
}

#[tokio::test]
async fn openid_configuration_points_at_the_emulator() {
    let t = T::start().await;
    let r = client()
        .get(format!("{}/common/v2.0/.well-known/openid-configuration", t.emu.authority_url()))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_endpoint"], format!("{}/common/oauth2/v2.0/token", t.emu.authority_url()));
    assert_eq!(v["device_authorization_endpoint"], format!("{}/common/oauth2/v2.0/devicecode", t.emu.authority_url()));
}
