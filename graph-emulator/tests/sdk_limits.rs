//! Throttling, injected faults and latency, met by the SDK's pipeline.

mod sdk_common;

use std::collections::HashMap;
use std::time::Duration;

use futures::future::join_all;
use msgraph_core::{Error, GraphClient, RetryPolicy, StaticTokenCredential};
use msgraph_emulator::{Emulator, Fault, Throttling, demo};
use msgraph_mail::MailExt;
use sdk_common::{Sdk, quick_retries};
use serde_json::json;

/// An emulator without the demo mail, with `n` messages in Adele's inbox.
async fn with_messages(n: usize) -> (Sdk, Vec<String>) {
    let s = Sdk::with(Emulator::builder().seed(false)).await;
    let ids = (0..n)
        .map(|i| {
            s.emu
                .add_message(
                    demo::USER_UPN,
                    "inbox",
                    json!({"subject": format!("Message {i}"), "from": {"emailAddress": {"address": "a@example.com"}}}),
                )
                .unwrap()
        })
        .collect();
    (s, ids)
}

fn client(s: &Sdk, policy: RetryPolicy) -> GraphClient {
    let token = s.emu.issue_token(demo::USER_UPN).unwrap();
    GraphClient::builder()
        .base_url(s.emu.base_url())
        .credential(StaticTokenCredential::new(token))
        .retry_policy(policy)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_throttled_burst_waits_retry_after_and_loses_nothing() {
    let (s, ids) = with_messages(60).await;
    // 20 requests at once, then 20 per second: 60 at once get 429s for the
    // last 40, wait the 1 s Retry-After, and go through in about two seconds.
    s.emu.set_throttling(Some(Throttling::new(20.0, 20)));
    s.emu.clear_requests();
    let client = client(&s, quick_retries().max_retries(6));

    let gets = ids.iter().map(|id| {
        let client = client.clone();
        let id = id.clone();
        async move { client.me().messages().get(&id).select(["subject"]).await.map(|m| (id, m)) }
    });
    let results = join_all(gets).await;

    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in results {
        let (asked, m) = r.unwrap_or_else(|e| panic!("every request completes: {e:?}"));
        assert_eq!(m.id.as_deref(), Some(asked.as_str()), "each answer is the message asked for");
        *seen.entry(asked).or_default() += 1;
    }
    assert_eq!(seen.len(), 60);
    assert!(seen.values().all(|&n| n == 1));

    let throttled = s.emu.throttled_count();
    assert!(throttled > 0, "the burst was throttled");
    let log = s.emu.requests();
    let too_many = log.iter().filter(|r| r.status == 429).count() as u64;
    assert_eq!(too_many, throttled);
    assert_eq!(log.iter().filter(|r| r.status == 200).count(), 60, "one success per id");
    assert_eq!(log.len() as u64, 60 + throttled, "nothing sent beyond the retries");
    let retries = log.iter().filter(|r| r.header("retry-attempt").is_some()).count() as u64;
    assert_eq!(retries, throttled, "each 429 was retried once, saying which attempt it is");
}

#[tokio::test]
async fn throttled_without_retries_is_a_typed_429() {
    let (s, ids) = with_messages(3).await;
    s.emu.set_throttling(Some(Throttling::new(0.01, 1)));
    let client = client(&s, RetryPolicy::none());
    client.me().messages().get(&ids[0]).await.unwrap();
    let err = client.me().messages().get(&ids[1]).await.unwrap_err();
    assert!(err.is_throttled(), "{err:?}");
    assert_eq!((err.status(), err.code()), (Some(429), Some("ApplicationThrottled")));
    assert!(err.retry_after().is_some_and(|d| d >= Duration::from_secs(1)), "{err:?}");

    // Another mailbox has its own bucket.
    let app = GraphClient::builder()
        .base_url(s.emu.base_url())
        .credential(StaticTokenCredential::new(s.emu.issue_app_token()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    app.user(demo::SECOND_USER_UPN).messages().list().send().await.unwrap();
}

#[tokio::test]
async fn two_503s_are_retried_and_the_call_succeeds() {
    let (s, ids) = with_messages(1).await;
    s.emu.inject_fault(Fault::new("/me/messages", 503).times(2));
    s.emu.clear_requests();
    let m = s.client.me().messages().get(&ids[0]).await.expect("retried past two 503s");
    assert_eq!(m.id.as_deref(), Some(ids[0].as_str()));
    assert_eq!(s.emu.pending_faults(), 0);
    let log = s.emu.requests();
    assert_eq!(log.iter().map(|r| r.status).collect::<Vec<_>>(), [503, 503, 200]);
    assert_eq!(log.iter().map(|r| r.header("retry-attempt")).collect::<Vec<_>>(), [None, Some("1"), Some("2")]);
    // The same client-request-id on every attempt of one call.
    let crid: Vec<_> = log.iter().map(|r| r.header("client-request-id").unwrap().to_owned()).collect();
    assert!(crid.windows(2).all(|w| w[0] == w[1]), "{crid:?}");
}

#[tokio::test]
async fn a_500_is_a_typed_error_with_graphs_code() {
    let (s, ids) = with_messages(1).await;
    s.emu.inject_fault(Fault::new("/me/messages", 500).code("ErrorInternalServerError").message("Something broke."));
    s.emu.clear_requests();
    let err = s.client.me().messages().get(&ids[0]).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("an API error: {err:?}") };
    assert_eq!(api.status, 500);
    assert_eq!(api.code.as_deref(), Some("ErrorInternalServerError"));
    assert_eq!(api.message.as_deref(), Some("Something broke."));
    assert!(api.request_id.is_some());
    assert_eq!(s.emu.requests().len(), 1, "a 500 is not retried");
    assert!(!err.is_retryable());

    // A gateway's HTML page: still a typed error with the status.
    s.emu.inject_fault(Fault::new("/me", 502).raw_body("text/html", "<html><body>Bad gateway</body></html>"));
    let err = s.client.me().get().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.code(), None);

    // Faults on a POST only: sendMail fails, a GET of the same prefix does not.
    s.emu.inject_fault(Fault::new("/me/sendMail", 500).method("POST").code("ErrorInternalServerTransientError"));
    let err =
        s.client.me().send_mail(msgraph_mail::NewMessage::new().to(["x@example.com"]).subject("s")).await.unwrap_err();
    assert_eq!(err.code(), Some("ErrorInternalServerTransientError"));
}

#[tokio::test]
async fn added_latency_meets_the_client_timeout() {
    let (s, ids) = with_messages(1).await;
    s.emu.set_latency(Duration::from_millis(400));
    let impatient = GraphClient::builder()
        .base_url(s.emu.base_url())
        .credential(StaticTokenCredential::new(s.emu.issue_token(demo::USER_UPN).unwrap()))
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = impatient.me().messages().get(&ids[0]).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    s.emu.set_latency(Duration::ZERO);
    assert!(impatient.me().messages().get(&ids[0]).await.is_ok());
}
