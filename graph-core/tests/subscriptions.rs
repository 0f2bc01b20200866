//! Subscriptions, request by request.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use msgraph_core::Error;
use msgraph_core::subscription::{ChangeTypes, NewSubscription, SubscriptionResource};
use msgraph_core::test_util::MockGraph;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const UPDATED: &str = include_str!("../../testdata/graph-samples/core/subscription-update.json");
const UPDATE_REQ: &str = include_str!("../../testdata/graph-samples/core/subscription-update.request.json");

fn inbox() -> NewSubscription {
    NewSubscription::new(
        SubscriptionResource::mail_folder_messages("me", "inbox"),
        ChangeTypes::CREATED | ChangeTypes::UPDATED,
        "https://webhook.azurewebsites.net/api/send/myNotifyClient",
    )
}

#[tokio::test]
async fn create_sends_the_documented_body() {
    let g = MockGraph::start().await;
    let expires = Utc::now() + chrono::TimeDelta::days(2);
    let wire = expires.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    Mock::given(method("POST"))
        .and(path("/v1.0/subscriptions"))
        .and(body_json(json!({
            "changeType": "created,updated",
            "notificationUrl": "https://webhook.azurewebsites.net/api/send/myNotifyClient",
            "lifecycleNotificationUrl": "https://webhook.azurewebsites.net/api/send/lifecycle",
            "resource": "me/mailFolders('inbox')/messages",
            "expirationDateTime": wire,
            "clientState": "secretClientValue",
            "latestSupportedTlsVersion": "v1_2"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_string(UPDATED))
        .expect(1)
        .mount(&g.server)
        .await;
    let sub = g
        .client()
        .subscriptions()
        .create(
            inbox()
                .lifecycle_url("https://webhook.azurewebsites.net/api/send/lifecycle")
                .client_state("secretClientValue")
                .expires_at(expires)
                .latest_supported_tls_version("v1_2"),
        )
        .await
        .unwrap();
    assert_eq!(sub.id.as_deref(), Some("7f105c7d-2dc5-4530-97cd-4e7ae6534c07"));
    assert_eq!(sub.change_type, Some(ChangeTypes::CREATED | ChangeTypes::UPDATED));
    assert!(!format!("{sub:?}").contains("subscription-identifier"), "Debug shows no clientState");
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
    Mock::given(method("PATCH"))
        .and(path(format!("/v1.0/subscriptions/{id}")))
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
        .respond_with(ResponseTemplate::new(200).set_body_string(UPDATED))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/subscriptions"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(r#"{{"value":[{UPDATED}]}}"#)))
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
    let at: chrono::DateTime<Utc> =
        serde_json::from_str::<Value>(UPDATE_REQ).unwrap()["expirationDateTime"].as_str().unwrap().parse().unwrap();
    let renewed = subs.renew(id, at).await.unwrap();
    assert_eq!(renewed.expiration_date_time.unwrap().timestamp(), at.timestamp());
    subs.reauthorize(id).await.unwrap();
    assert_eq!(subs.get(id).await.unwrap().resource.as_deref(), Some("me/messages"));
    assert_eq!(subs.list().send().await.unwrap().value.len(), 1);
    subs.delete(id).await.unwrap();
}
