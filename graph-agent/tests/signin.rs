//! Sign-in from a chat: the first tool call that needs a token answers with
//! the device code to enter; calls while the user has not finished get the
//! same code; once they have, tools work (against the emulator's identity
//! endpoints).

use std::time::{Duration, Instant};

use msgraph_agent::Agent;
use msgraph_auth::DeviceCodeCredential;
use msgraph_core::GraphClient;
use msgraph_emulator::{DeviceCodeOutcome, Emulator, demo};
use serde_json::json;

fn agent(emu: &Emulator, interval: Duration) -> (Agent, DeviceCodeCredential) {
    let credential = DeviceCodeCredential::builder(demo::CLIENT_ID)
        .tenant(demo::TENANT_ID)
        .authority_url(emu.authority_url())
        .scopes(["User.Read", "Tasks.ReadWrite"])
        .poll_interval(interval)
        .on_prompt(|_| {})
        .sign_in_in_background(true)
        .build()
        .expect("credential builds");
    let client =
        GraphClient::builder().base_url(emu.base_url()).credential(credential.clone()).build().expect("client");
    (Agent::new(client), credential)
}

fn device_code_requests(emu: &Emulator) -> usize {
    emu.requests().iter().filter(|r| r.method == "POST" && r.path.ends_with("/oauth2/v2.0/devicecode")).count()
}

#[tokio::test]
async fn a_tool_call_answers_with_the_code_then_works_after_sign_in() {
    let emu = Emulator::builder().start().await.expect("emulator");
    let (agent, credential) = agent(&emu, Duration::from_millis(700));

    let first = agent.call("whoami", json!({})).await;
    assert!(first.is_error, "{first:?}");
    let prompt = credential.pending_prompt().expect("a sign-in is pending");
    let said = first.error_message().unwrap_or_default().to_owned();
    assert!(said.starts_with("Sign-in needed."), "{said}");
    assert!(said.contains(&prompt.user_code) && said.contains(&prompt.verification_uri), "{said}");

    // Asked again before the user finished: the same code, no new sign-in.
    let again = agent.call("todo_list_task_lists", json!({})).await;
    assert!(again.is_error && again.text().contains(&prompt.user_code), "{again:?}");
    assert_eq!(device_code_requests(&emu), 1);

    // The emulator's user signs in on the second poll; the next call succeeds.
    let started = Instant::now();
    let me = loop {
        let out = agent.call("whoami", json!({})).await;
        if !out.is_error {
            break out;
        }
        assert!(out.text().contains("Sign-in needed"), "{out:?}");
        assert!(started.elapsed() < Duration::from_secs(20), "sign-in never finished: {out:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(me.content["user_principal_name"], demo::USER_UPN);
    assert!(credential.pending_prompt().is_none());
    assert_eq!(device_code_requests(&emu), 1, "one sign-in in all");
    let lists = agent.call("todo_list_task_lists", json!({})).await;
    assert!(!lists.is_error, "{lists:?}");
}

#[tokio::test]
async fn a_declined_sign_in_is_reported_once_then_a_new_code_is_offered() {
    let emu = Emulator::builder().start().await.expect("emulator");
    emu.set_device_code_outcome(DeviceCodeOutcome::Decline);
    let (agent, credential) = agent(&emu, Duration::from_millis(20));

    let first = agent.call("whoami", json!({})).await;
    assert!(first.text().contains("Sign-in needed"), "{first:?}");
    let started = Instant::now();
    while credential.pending_prompt().is_some() {
        assert!(started.elapsed() < Duration::from_secs(20), "polling never ended");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let declined = agent.call("whoami", json!({})).await;
    assert!(declined.is_error && declined.text().contains("Sign-in failed"), "{declined:?}");
    // The next call starts over with a new code.
    let retry = agent.call("whoami", json!({})).await;
    assert!(retry.text().contains("Sign-in needed"), "{retry:?}");
    assert_eq!(device_code_requests(&emu), 2);
}
