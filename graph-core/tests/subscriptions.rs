//! Subscriptions, request by request.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use msgraph_core::Error;
use msgraph_core::subscription::{ChangeTypes, NewSubscription, SubscriptionResource};
use msgraph_core::test_util::MockGraph;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

const UPDATED: &str = include_str!("../../testdata/graph-samples/core/subscription-update.json");
const UPDATE_REQ: &str = include_str!("../../testdata/graph-samples/core/subscription-update.request.json");
const CREATED: &str = include_str!("../../testdata/graph-samples/core/subscription-post-subscriptions.json");
const CREATE_REQ: &str = include_str!("../../testdata/graph-samples/core/subscription-post-subscriptions.request.json");
const GOT: &str = include_str!("../../testdata/graph-samples/core/subscription-get.json");
const LISTED: &str = include_str!("../../testdata/graph-samples/core/subscription-list.json");

fn inbox() -> NewSubscription {
    NewSubscription::new(
        SubscriptionResource::mail_folder_messages("me", "inbox"),
        ChangeTypes::CREATED | ChangeTypes::UPDATED,
        "https://webhook.azurewebsites.net/api/send/myNotifyClient",
    )
}

#[tokio::test]
async fn create_sends_the_documented_body_and_reads_the_documented_answer() {
    let g = MockGraph::start().await;
    // The documented request, with an expiry in the future (the example's is
    // in 2016) and a lifecycle URL.
    let expires = Utc::now() + chrono::TimeDelta::days(2);
    let wire = expires.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut expected: Value = serde_json::from_str(CREATE_REQ).unwrap();
    expected["expirationDateTime"] = json!(wire);
    expected["lifecycleNotificationUrl"] = json!("https://webhook.azurewebsites.net/api/send/lifecycle");
    Mock::given(method("POST"))
        .and(path("/v1.0/subscriptions"))
        .and(header("content-type", "application/json"))
        .and(body_json(expected))
        .respond_with(ResponseTemplate::new(201).set_body_string(CREATED))
        .expect(1)
        .mount(&g.server)
        .await;
    let sub = g
        .client()
        .subscriptions()
        .create(
            NewSubscription::new(
                SubscriptionResource::mail_folder_messages("me", "Inbox"),
                ChangeTypes::CREATED,
                "https://webhook.azurewebsites.net/api/send/myNotifyClient",
            )
            .lifecycle_url("https://webhook.azurewebsites.net/api/send/lifecycle")
            .client_state("secretClientValue")
            .expires_at(expires)
            .latest_supported_tls_version("v1_2"),
        )
        .await
        .unwrap();
    assert_eq!(sub.id.as_deref(), Some("7f105c7d-2dc5-4530-97cd-4e7ae6534c07"));
    assert_eq!(sub.resource.as_deref(), Some("me/mailFolders('Inbox')/messages"));
    assert_eq!(sub.application_id.as_deref(), Some("24d3b144-21ae-4080-943f-7067b395b913"));
    assert_eq!(sub.change_type, Some(ChangeTypes::CREATED));
    assert_eq!(sub.client_state.as_deref(), Some("secretClientValue"));
    assert_eq!(sub.notification_url.as_deref(), Some("https://webhook.azurewebsites.net/api/send/myNotifyClient"));
    let at = sub.expiration_date_time.unwrap();
    assert_eq!((at.timestamp(), at.timestamp_subsec_nanos()), (1_479_666_225, 935_691_300));
    assert_eq!(sub.creator_id.as_deref(), Some("8ee44408-0679-472c-bc2a-692812af3437"));
    assert_eq!(sub.latest_supported_tls_version.as_deref(), Some("v1_2"));
    assert_eq!(sub.additional["notificationContentType"], "application/json");
    assert!(!format!("{sub:?}").contains("secretClientValue"), "Debug shows no clientState");
}

#[tokio::test]
async fn a_generated_client_state_and_the_resource_maximum_by_default() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/subscriptions"))
        .respond_with(ResponseTemplate::new(201).set_body_string(UPDATED))
        .expect(2)
        .mount(&g.server)
        .await;
    let subs = g.client().subscriptions();
    subs.create(inbox()).await.unwrap();
    subs.create(inbox()).await.unwrap();
    let bodies: Vec<Value> = g.requests().await.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    let states: Vec<&str> = bodies.iter().map(|b| b["clientState"].as_str().unwrap()).collect();
    assert_ne!(states[0], states[1]);
    assert_eq!(states[0].len(), 44);
    let expires = chrono::DateTime::parse_from_rfc3339(bodies[0]["expirationDateTime"].as_str().unwrap()).unwrap();
    let minutes = (expires.with_timezone(&Utc) - Utc::now()).num_minutes();
    assert!((10_070..10_080).contains(&minutes), "{minutes}");
}

#[tokio::test]
async fn bad_subscriptions_fail_before_sending() {
    let g = MockGraph::start().await;
    let subs = g.client().subscriptions();
    let invalid = |r: msgraph_core::Result<msgraph_core::Subscription>, says: &str| match r {
        Err(Error::InvalidInput(m)) => assert!(m.contains(says), "{m:?} should say {says:?}"),
        other => panic!("expected InvalidInput({says:?}), got {other:?}"),
    };
    let plain =
        NewSubscription::new(SubscriptionResource::messages("me"), ChangeTypes::CREATED, "http://example.com/hook");
    invalid(subs.create(plain).await, "https");
    invalid(subs.create(inbox().lifecycle_url("ftp://x/y")).await, "lifecycleNotificationUrl");
    invalid(subs.create(inbox().client_state("x".repeat(129))).await, "128");
    invalid(subs.create(inbox().expires_in(Duration::from_secs(10_081 * 60))).await, "at most 10080 minutes");
    invalid(
        subs.create(inbox().include_resource_data("MIIC", "cert-1").expires_in(Duration::from_secs(1_441 * 60))).await,
        "1440",
    );
    invalid(
        subs.create(NewSubscription::new(SubscriptionResource::messages("me"), ChangeTypes::default(), "https://x/y"))
            .await,
        "change type",
    );
    invalid(subs.create(inbox().expires_at(Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap())).await, "future");
    // a loopback receiver may be plain http
    let local =
        NewSubscription::new(SubscriptionResource::messages("me"), ChangeTypes::CREATED, "http://127.0.0.1:8080/hook");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_string(UPDATED))
        .expect(1)
        .mount(&g.server)
        .await;
    subs.create(local).await.unwrap();
    assert_eq!(g.requests().await.len(), 1);
}

#[tokio::test]
async fn renew_reauthorize_get_list_delete() {
    let g = MockGraph::start().await;
    let id = "7f105c7d-2dc5-4530-97cd-4e7ae6534c07";
    let documented_renewal: Value = serde_json::from_str(UPDATE_REQ).unwrap();
    Mock::given(method("PATCH"))
        .and(path(format!("/v1.0/subscriptions/{id}")))
        .and(header("content-type", "application/json"))
        // the documented body; Graph's seven decimals are written as milliseconds
        .and(body_json(json!({"expirationDateTime": "2016-11-22T18:23:45.935Z"})))
        .respond_with(ResponseTemplate::new(200).set_body_string(UPDATED))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1.0/subscriptions/{id}/reauthorize")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v1.0/subscriptions/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_string(GOT))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/subscriptions"))
        .respond_with(ResponseTemplate::new(200).set_body_string(LISTED))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v1.0/subscriptions/{id}")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let subs = g.client().subscriptions();

    let at: chrono::DateTime<Utc> = documented_renewal["expirationDateTime"].as_str().unwrap().parse().unwrap();
    let renewed = subs.renew(id, at).await.unwrap();
    assert_eq!(renewed.id.as_deref(), Some(id));
    assert_eq!(renewed.expiration_date_time.unwrap().timestamp(), at.timestamp());
    assert_eq!(renewed.change_type, Some(ChangeTypes::CREATED | ChangeTypes::UPDATED));

    subs.reauthorize(id).await.unwrap();

    let got = subs.get(id).await.unwrap();
    assert_eq!(got.resource.as_deref(), Some("me/messages"));
    assert_eq!(
        got.lifecycle_notification_url.as_deref(),
        Some("https://webhook.azurewebsites.net/api/send/lifecycleNotifications")
    );
    assert_eq!(got.include_resource_data, Some(false));
    assert_eq!(got.encryption_certificate.as_deref(), Some(""));
    assert_eq!(got.client_state.as_deref(), Some("secretClientValue"));

    let page = subs.list().send().await.unwrap();
    assert_eq!(page.value.len(), 1);
    let listed = &page.value[0];
    assert_eq!(listed.id.as_deref(), Some("0fc0d6db-0073-42e5-a186-853da75fb308"));
    assert_eq!(listed.resource.as_deref(), Some("Users"));
    assert_eq!(listed.change_type, Some(ChangeTypes::UPDATED | ChangeTypes::DELETED));
    assert_eq!(listed.client_state, None, "Graph does not return clientState in lists");
    assert_eq!(listed.expiration_date_time.unwrap().to_rfc3339(), "2018-03-12T05:00:00+00:00");

    subs.delete(id).await.unwrap();

    // no body on reauthorize, get, list, delete
    for r in g.requests().await.iter().filter(|r| r.method.as_str() != "PATCH") {
        assert!(r.body.is_empty(), "{} {} has a body", r.method, r.url);
    }
}
