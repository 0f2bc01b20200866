//! The webhook receiver on Graph's documented payloads.

use msgraph_core::reexports::http::HeaderMap;
use msgraph_notifications::{ClientStates, LifecycleEvent, Receiver};
use serde_json::{Value, json};

const PAYLOAD: &str = include_str!("../../testdata/graph-samples/core/changenotification-webhook-payload.json");
/// The documented lifecycle notifications: `reauthorizationRequired`, `subscriptionRemoved`, `missed`.
const REAUTHORIZE: &str = include_str!("../../testdata/graph-samples/core/webhooks-lifecycle.json");
const REMOVED: &str = include_str!("../../testdata/graph-samples/core/webhooks-outlook-authz-1.json");
const MISSED: &str = include_str!("../../testdata/graph-samples/core/webhooks-outlook-authz-2.json");

fn receiver(capacity: usize) -> (Receiver, tokio::sync::mpsc::Receiver<msgraph_notifications::Notification>) {
    let states = ClientStates::new();
    states.insert("{subscription_guid}", "secretClientValue");
    Receiver::new(states, capacity)
}

#[test]
fn the_validation_handshake_echoes_the_decoded_token_as_text() {
    let (r, _rx) = receiver(10);
    let a = r.handle(
        "POST",
        Some("validationToken=Validation%3a%20Testing%20client%20application"),
        &HeaderMap::new(),
        b"",
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, Some("text/plain"));
    assert_eq!(a.body, "Validation: Testing client application");
    // some frameworks see it as a GET
    assert_eq!(r.handle("GET", Some("x=1&validationToken=a+b"), &HeaderMap::new(), b"").body, "a b");
}

#[test]
fn the_documented_notification_is_handed_over_and_acknowledged_with_202() {
    let (r, mut rx) = receiver(10);
    let a = r.handle("POST", None, &HeaderMap::new(), PAYLOAD.as_bytes());
    assert_eq!(a.status, 202);
    let n = rx.try_recv().unwrap();
    assert_eq!(n.change_type.as_deref(), Some("created"));
    assert_eq!(n.resource_id(), Some("{long_id_string}"));
    assert!(!format!("{n:?}").contains("secretClientValue"), "Debug shows no clientState");
    assert!(rx.try_recv().is_err());
}

#[test]
fn a_wrong_client_state_or_unknown_subscription_is_dropped_never_handed_over() {
    let (r, mut rx) = receiver(10);
    let mut forged: Value = serde_json::from_str(PAYLOAD).unwrap();
    forged["value"][0]["clientState"] = json!("secretClientValuX");
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), forged.to_string().as_bytes()).status, 202);
    let mut other: Value = serde_json::from_str(PAYLOAD).unwrap();
    other["value"][0]["subscriptionId"] = json!("someone-else");
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), other.to_string().as_bytes()).status, 202);
    let mut missing: Value = serde_json::from_str(PAYLOAD).unwrap();
    missing["value"][0].as_object_mut().unwrap().remove("clientState");
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), missing.to_string().as_bytes()).status, 202);
    assert!(rx.try_recv().is_err(), "nothing forged reaches the app");
}

#[test]
fn bad_bodies_and_methods_are_refused() {
    let (r, _rx) = receiver(10);
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), b"<html>nope</html>").status, 400);
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), br#"{"value":[{"subscriptionId":"#).status, 400);
    assert_eq!(r.handle("PUT", None, &HeaderMap::new(), PAYLOAD.as_bytes()).status, 405);
    assert_eq!(
        r.handle("POST", None, &HeaderMap::new(), &vec![b' '; msgraph_notifications::MAX_BODY_BYTES + 1]).status,
        413
    );
}

/// Graph posts batches as `application/json; charset=utf-8`: that, a bare
/// `application/json`, a `+json` type or no `Content-Type` are read; any
/// other type is `415` and nothing is handed over. The validation handshake
/// is answered whatever the headers say.
#[test]
fn a_batch_must_be_json_when_it_says_what_it_is() {
    let (r, mut rx) = receiver(10);
    let with = |ct: &str| {
        let mut h = HeaderMap::new();
        h.insert("content-type", ct.parse().unwrap());
        h
    };
    for ok in ["application/json; charset=utf-8", "Application/JSON", "application/vnd.graph+json"] {
        assert_eq!(r.handle("POST", None, &with(ok), PAYLOAD.as_bytes()).status, 202, "{ok}");
        assert!(rx.try_recv().is_ok(), "{ok}: handed over");
    }
    for refused in ["text/html", "application/x-www-form-urlencoded", "text/plain", "application/jsonx"] {
        assert_eq!(r.handle("POST", None, &with(refused), PAYLOAD.as_bytes()).status, 415, "{refused}");
        assert!(rx.try_recv().is_err(), "{refused}: nothing handed over");
    }
    let v = r.handle("POST", Some("validationToken=abc"), &with("text/plain; charset=utf-8"), b"");
    assert_eq!((v.status, v.body.as_str()), (200, "abc"));
}

#[test]
fn a_full_channel_answers_503_and_hands_over_nothing_of_the_batch() {
    let (r, mut rx) = receiver(1);
    let mut two: Value = serde_json::from_str(PAYLOAD).unwrap();
    let first = two["value"][0].clone();
    two["value"].as_array_mut().unwrap().push(first);
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), two.to_string().as_bytes()).status, 503);
    assert!(rx.try_recv().is_err(), "no half batch");
    // Graph retries; with room, the batch goes through
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), PAYLOAD.as_bytes()).status, 202);
    assert!(rx.try_recv().is_ok());
}

#[test]
fn the_documented_lifecycle_notifications_are_handed_over_typed() {
    let states = ClientStates::new();
    states.insert("e3898f08-5cd0-4a6a-80fc-6addbfb73b7b", "{secret client state}");
    states.insert("<subscription_guid>", "<secretClientState>");
    let (r, mut rx) = Receiver::new(states, 10);
    for (body, event) in [
        (REAUTHORIZE, LifecycleEvent::ReauthorizationRequired),
        (REMOVED, LifecycleEvent::SubscriptionRemoved),
        (MISSED, LifecycleEvent::Missed),
    ] {
        assert_eq!(r.handle("POST", None, &HeaderMap::new(), body.as_bytes()).status, 202, "{event:?}");
        let n = rx.try_recv().unwrap();
        assert_eq!(n.lifecycle_event, Some(event));
        assert!(n.change_type.is_none() && n.resource.is_none(), "a lifecycle notification names no resource");
        assert!(n.subscription_expiration_date_time.is_some());
        assert!(rx.try_recv().is_err());
    }
    let n = {
        r.handle("POST", None, &HeaderMap::new(), REAUTHORIZE.as_bytes());
        rx.try_recv().unwrap()
    };
    assert_eq!(n.subscription_id.as_deref(), Some("e3898f08-5cd0-4a6a-80fc-6addbfb73b7b"));
    assert_eq!(n.tenant_id.as_deref(), Some("84bd8158-6d4d-4958-8b9f-9d6445542f95"));
    assert_eq!(n.subscription_expiration_date_time.unwrap().to_rfc3339(), "2019-09-18T00:52:45.969665800+00:00");
    // a forged lifecycle notification (wrong clientState) is dropped like a forged change
    let forged = REMOVED.replace("<secretClientState>", "<guessed>");
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), forged.as_bytes()).status, 202);
    assert!(rx.try_recv().is_err(), "a forged subscriptionRemoved never reaches the watcher");
}

#[test]
fn lifecycle_notifications_are_typed() {
    let (r, mut rx) = receiver(10);
    let body = json!({"value": [{
        "lifecycleEvent": "reauthorizationRequired",
        "subscriptionId": "{subscription_guid}",
        "subscriptionExpirationDateTime": "2036-11-20T18:23:45.9356913+00:00",
        "clientState": "secretClientValue",
        "tenantId": "84bd8158-6d4d-4958-8b9f-9d6445542f95"
    }, {
        "lifecycleEvent": "somethingNew",
        "subscriptionId": "{subscription_guid}",
        "clientState": "secretClientValue"
    }]});
    assert_eq!(r.handle("POST", None, &HeaderMap::new(), body.to_string().as_bytes()).status, 202);
    assert_eq!(rx.try_recv().unwrap().lifecycle_event, Some(LifecycleEvent::ReauthorizationRequired));
    assert_eq!(rx.try_recv().unwrap().lifecycle_event, Some(LifecycleEvent::Unknown("somethingNew".into())));
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn the_axum_router_answers_like_the_function() {
    let (r, mut rx) = receiver(10);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, r.router("/notify")).await;
    });
    let http = reqwest::Client::new();
    let v = http.post(format!("http://{addr}/notify?validationToken=hello%20there")).send().await.unwrap();
    assert_eq!(v.status(), 200);
    assert_eq!(v.headers()["content-type"], "text/plain");
    assert_eq!(v.text().await.unwrap(), "hello there");
    let n = http
        .post(format!("http://{addr}/notify"))
        .header("content-type", "application/json; charset=utf-8")
        .body(PAYLOAD)
        .send()
        .await
        .unwrap();
    assert_eq!(n.status(), 202);
    assert!(rx.recv().await.is_some());
    // the router passes the headers on
    let html = http
        .post(format!("http://{addr}/notify"))
        .header("content-type", "text/html")
        .body(PAYLOAD)
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 415);
}
