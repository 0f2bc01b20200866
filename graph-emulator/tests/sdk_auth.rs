//! Sign-in through msgraph-auth against the emulator's identity endpoints,
//! and the SDK's 401 handling against its Graph side.

mod sdk_common;

use msgraph_mail::MessageListExt as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_auth::{ClientSecretCredential, DeviceCodeCredential, DeviceCodePrompt};
use msgraph_core::{AuthErrorKind, Error, StaticTokenCredential, TokenCredential, TokenRequest};
use msgraph_emulator::{DeviceCodeOutcome, Emulator, demo};
use msgraph_mail::{MailExt, WellKnownFolder};
use sdk_common::{anchor, client_with};

async fn emulator() -> Emulator {
    Emulator::builder().anchor(anchor()).start().await.expect("emulator starts")
}

/// A device code credential on the emulator that records its prompts.
fn device_code(emu: &Emulator, prompts: &Arc<Mutex<Vec<DeviceCodePrompt>>>) -> DeviceCodeCredential {
    let seen = prompts.clone();
    DeviceCodeCredential::builder(demo::CLIENT_ID)
        .tenant(demo::TENANT_ID)
        .authority_url(emu.authority_url())
        .scopes(["User.Read", "Mail.ReadWrite", "Calendars.ReadWrite"])
        .poll_interval(Duration::from_millis(20))
        .on_prompt(move |p| seen.lock().unwrap().push(p.clone()))
        .build()
        .expect("credential builds")
}

/// Statuses of the requests the emulator served on paths ending with `suffix`.
fn statuses(emu: &Emulator, method: &str, suffix: &str) -> Vec<u16> {
    emu.requests().iter().filter(|r| r.method == method && r.path.ends_with(suffix)).map(|r| r.status).collect()
}

#[tokio::test]
async fn device_code_sign_in_then_me() {
    let emu = emulator().await;
    let prompts = Arc::new(Mutex::new(Vec::new()));
    let client = client_with(&emu, device_code(&emu, &prompts));

    let me = client.me().get().await.expect("/me after a device code sign-in");
    assert_eq!(me.id.as_deref(), Some(demo::USER_ID));
    assert_eq!(me.user_principal_name.as_deref(), Some(demo::USER_UPN));
    assert_eq!(me.display_name.as_deref(), Some("Adele Vance"));

    let prompts = prompts.lock().unwrap().clone();
    assert_eq!(prompts.len(), 1, "one sign-in prompt");
    assert!(prompts[0].user_code.len() >= 6);
    assert!(prompts[0].verification_uri.starts_with(&emu.authority_url()), "{}", prompts[0].verification_uri);
    assert!(prompts[0].message.contains(&prompts[0].user_code));

    let tenant = demo::TENANT_ID;
    assert_eq!(statuses(&emu, "POST", &format!("/{tenant}/oauth2/v2.0/devicecode")), [200]);
    assert_eq!(
        statuses(&emu, "POST", &format!("/{tenant}/oauth2/v2.0/token")),
        [400, 200],
        "authorization_pending once, then signed in"
    );

    // The token is reused: a second call makes no token request.
    let inbox = client.me().messages().list().folder(WellKnownFolder::Inbox).top(1).send().await.unwrap();
    assert_eq!(inbox.value.len(), 1);
    assert_eq!(statuses(&emu, "POST", "/oauth2/v2.0/token").len(), 2);
}

#[tokio::test]
async fn expired_access_token_is_refreshed_once_and_the_call_succeeds() {
    let emu = emulator().await;
    let prompts = Arc::new(Mutex::new(Vec::new()));
    let client = client_with(&emu, device_code(&emu, &prompts));
    client.me().get().await.unwrap();
    emu.clear_requests();

    // Graph now rejects the cached token: 401, one refresh, the call succeeds.
    emu.expire_tokens();
    let me = client.me().get().await.expect("refreshed after a 401");
    assert_eq!(me.id.as_deref(), Some(demo::USER_ID));
    assert_eq!(statuses(&emu, "GET", "/v1.0/me"), [401, 200]);
    assert_eq!(statuses(&emu, "POST", "/oauth2/v2.0/token"), [200], "one refresh-token request");
    assert!(statuses(&emu, "POST", "/oauth2/v2.0/devicecode").is_empty(), "no new sign-in");
    assert_eq!(prompts.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn refresh_token_flow_and_a_revoked_refresh_token() {
    let emu = emulator().await;
    let prompts = Arc::new(Mutex::new(Vec::new()));
    let credential = device_code(&emu, &prompts);
    let first = credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(prompts.lock().unwrap().len(), 1);

    // A forced refresh uses the refresh token: a new access token, no prompt.
    emu.clear_requests();
    let second = credential.get_token(&TokenRequest::force_refresh()).await.unwrap();
    assert_ne!(second.token.expose(), first.token.expose());
    assert_eq!(statuses(&emu, "POST", "/oauth2/v2.0/token"), [200]);
    assert_eq!(prompts.lock().unwrap().len(), 1);
    let client = client_with(&emu, credential.clone());
    assert_eq!(client.me().get().await.unwrap().id.as_deref(), Some(demo::USER_ID));

    // With the refresh token revoked, the credential signs in again.
    emu.revoke_refresh_tokens();
    emu.expire_tokens();
    emu.clear_requests();
    let me = client.me().get().await.expect("signed in again");
    assert_eq!(me.id.as_deref(), Some(demo::USER_ID));
    assert_eq!(prompts.lock().unwrap().len(), 2, "a second device code prompt");
    assert_eq!(statuses(&emu, "POST", "/oauth2/v2.0/devicecode"), [200]);
    assert_eq!(
        statuses(&emu, "POST", "/oauth2/v2.0/token"),
        [400, 400, 200],
        "refresh refused (invalid_grant), then pending, then signed in"
    );
}

#[tokio::test]
async fn device_code_sign_in_as_another_user_and_declined() {
    let emu = emulator().await;
    emu.set_sign_in_user(demo::SECOND_USER_UPN).unwrap();
    let prompts = Arc::new(Mutex::new(Vec::new()));
    let client = client_with(&emu, device_code(&emu, &prompts));
    assert_eq!(client.me().get().await.unwrap().id.as_deref(), Some(demo::SECOND_USER_ID));

    emu.set_device_code_outcome(DeviceCodeOutcome::Decline);
    let declined = client_with(&emu, device_code(&emu, &prompts)).me().get().await.unwrap_err();
    let auth = declined.as_auth().unwrap_or_else(|| panic!("an auth error: {declined:?}"));
    assert_eq!(auth.kind, AuthErrorKind::Declined);
}

#[tokio::test]
async fn client_credentials_reach_users_by_upn() {
    let emu = emulator().await;
    let credential = ClientSecretCredential::builder(demo::TENANT_ID, demo::CLIENT_ID, demo::CLIENT_SECRET)
        .authority_url(emu.authority_url())
        .build()
        .unwrap();
    let client = client_with(&emu, credential);

    let adele = client.user(demo::USER_UPN).get().await.expect("app-only /users/{upn}");
    assert_eq!(adele.id.as_deref(), Some(demo::USER_ID));
    let alex = client.user(demo::SECOND_USER_UPN).get().await.unwrap();
    assert_eq!(alex.display_name.as_deref(), Some("Alex Wilber"));
    let alex_inbox =
        client.user(demo::SECOND_USER_UPN).messages().list().folder(WellKnownFolder::Inbox).top(50).send().await;
    assert_eq!(alex_inbox.unwrap().value.len(), emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap().len().min(50));

    // /me needs a delegated token, as on Graph.
    let err = client.me().get().await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("BadRequest"));

    // An expired app token: 401, a new client-credentials token, success.
    emu.clear_requests();
    emu.expire_tokens();
    assert_eq!(client.user(demo::USER_UPN).get().await.unwrap().id.as_deref(), Some(demo::USER_ID));
    assert_eq!(statuses(&emu, "POST", "/oauth2/v2.0/token"), [200]);
    assert_eq!(statuses(&emu, "GET", &format!("/users/{}", demo::USER_UPN)), [401, 200]);

    // A wrong secret is a typed auth error.
    let wrong = ClientSecretCredential::builder(demo::TENANT_ID, demo::CLIENT_ID, "not-the-secret")
        .authority_url(emu.authority_url())
        .build()
        .unwrap();
    let err = client_with(&emu, wrong).user(demo::USER_UPN).get().await.unwrap_err();
    assert_eq!(err.as_auth().map(|a| a.kind.clone()), Some(AuthErrorKind::InvalidClient), "{err:?}");
}

#[tokio::test]
async fn a_token_graph_rejects_is_a_typed_401() {
    let emu = emulator().await;
    let client = client_with(&emu, StaticTokenCredential::new("not-a-token"));
    let err = client.me().get().await.unwrap_err();
    let Error::Api(api) = &err else { panic!("an API error: {err:?}") };
    assert_eq!(api.status, 401);
    assert_eq!(api.code.as_deref(), Some("InvalidAuthenticationToken"));
    assert!(api.request_id.as_deref().is_some_and(|id| id.len() == 36), "{api:?}");
    // A static token cannot be refreshed: the 401 is retried once with the same token.
    assert_eq!(statuses(&emu, "GET", "/v1.0/me"), [401, 401]);

    // No credential at all: Graph's "Access token is empty."
    let anonymous = msgraph_core::GraphClient::builder().base_url(emu.base_url()).build().unwrap();
    let err = anonymous.me().get().await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(401), Some("InvalidAuthenticationToken")));
}
