//! Throttling, injected faults, latency, request ids, the request log and
//! `$batch`, over plain HTTP.

mod common;

use std::time::Duration;

use common::{T, assert_graph_error};
use msgraph_emulator::{Emulator, Fault, Throttling, demo};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn throttling_answers_429_with_retry_after_beyond_the_burst() {
    let t = T::with(Emulator::builder().throttling(Throttling::new(1.0, 3))).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..6 {
        let r = t.get("/me/messages?$top=1").await;
        if r.status == 429 {
            assert_graph_error(&r, 429, "ApplicationThrottled");
            retry_after = r.header("retry-after").map(str::to_owned);
        }
        statuses.push(r.status);
    }
    assert_eq!(&statuses[..3], &[200, 200, 200], "the burst goes through");
    assert!(statuses[3..].contains(&429), "{statuses:?}");
    let secs: u64 = retry_after.expect("Retry-After").parse().expect("whole seconds");
    assert!(secs >= 1);
    assert!(t.emu.throttled_count() >= 1);

    // Each mailbox has its own bucket: an app token on Alex's mailbox is not throttled.
    let app = t.emu.issue_app_token();
    let alex = t.call_as(&app, Method::GET, &format!("/users/{}/messages", demo::SECOND_USER_UPN), None, &[]).await;
    assert_eq!(alex.status, 200);

    // Waiting the Retry-After lets the next request through.
    tokio::time::sleep(Duration::from_secs(secs)).await;
    assert_eq!(t.get("/me/messages?$top=1").await.status, 200);

    // Turning throttling off works.
    t.emu.set_throttling(None);
    for _ in 0..10 {
        assert_eq!(t.get("/me").await.status, 200);
    }
}

#[tokio::test]
async fn injected_faults_hit_the_next_n_requests_to_a_path() {
    let t = T::start().await;
    t.emu.inject_fault(Fault::new("/me/messages", 503).times(2).retry_after(1));
    assert_eq!(t.emu.pending_faults(), 2);
    let other = t.get("/me/mailFolders").await;
    assert_eq!(other.status, 200, "another path is not affected");
    for _ in 0..2 {
        let r = t.get("/me/messages").await;
        assert_graph_error(&r, 503, "serviceNotAvailable");
        assert_eq!(r.header("retry-after"), Some("1"));
    }
    assert_eq!(t.get("/me/messages").await.status, 200);
    assert_eq!(t.emu.pending_faults(), 0);

    // Method filter, custom code, raw bodies, identity endpoints.
    t.emu.inject_fault(Fault::new("/v1.0/me/sendMail", 500).method("POST").code("ErrorInternalServerTransientError"));
    assert_eq!(t.get("/me/sendMail").await.status, 405, "a GET is not the faulted method");
    let r = t.post("/me/sendMail", json!({})).await;
    assert_graph_error(&r, 500, "ErrorInternalServerTransientError");
    t.emu.inject_fault(Fault::new("/me", 502).raw_body("text/html", "<html><body>Bad gateway</body></html>"));
    let r = t.get("/me").await;
    assert_eq!(r.status, 502);
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert!(String::from_utf8_lossy(&r.bytes).contains("Bad gateway"));
    t.emu.inject_fault(Fault::new("/common/oauth2/v2.0/token", 503));
    let r = common::client().post(format!("{}/common/oauth2/v2.0/token", t.emu.authority_url())).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 503);
    t.emu.inject_fault(Fault::new("/me", 429).times(5));
    t.emu.clear_faults();
    assert_eq!(t.get("/me").await.status, 200);
}

#[tokio::test]
async fn latency_request_ids_and_the_request_log() {
    let t = T::with(Emulator::builder().latency(Duration::from_millis(5))).await;
    t.emu.clear_requests();
    let r = t
        .get_with("/me", &[("client-request-id", "8f1b7d4e-0000-4000-8000-000000000001"), ("Retry-Attempt", "1")])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("client-request-id"), Some("8f1b7d4e-0000-4000-8000-000000000001"));
    let rid = r.header("request-id").unwrap().to_owned();
    assert_eq!(rid.len(), 36);
    t.emu.set_latency(Duration::ZERO);
    let r2 = t.get("/me").await;
    assert_ne!(r2.header("request-id").unwrap(), rid, "each request has its own id");
    assert_eq!(
        r2.header("client-request-id"),
        r2.header("request-id"),
        "without a client id, the request id is echoed"
    );

    let log = t.emu.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/v1.0/me");
    assert_eq!(log[0].status, 200);
    assert_eq!(log[0].request_id, rid);
    assert_eq!(log[0].header("retry-attempt"), Some("1"));
    assert_eq!(log[0].header("authorization"), Some("<redacted>"));
}

#[tokio::test]
async fn json_batching_with_depends_on() {
    let t = T::start().await;
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    let id = inbox[0]["id"].as_str().unwrap();
    let batch = json!({
        "requests": [
            {"id": "1", "method": "GET", "url": "/me?$select=displayName"},
            {"id": "2", "method": "PATCH", "url": format!("/me/messages/{id}"), "headers": {"Content-Type": "application/json"}, "body": {"isRead": true}},
            {"id": "3", "method": "GET", "url": format!("me/messages/{id}?$select=isRead"), "dependsOn": ["2"]},
            {"id": "4", "method": "GET", "url": "/me/messages/123"},
            {"id": "5", "method": "GET", "url": "/me", "dependsOn": ["4"]}
        ]
    });
    let r = t.post("/$batch", batch).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let responses = r.json["responses"].as_array().unwrap();
    let by_id = |i: &str| responses.iter().find(|x| x["id"] == i).unwrap().clone();
    assert_eq!(by_id("1")["status"], 200);
    assert_eq!(by_id("1")["body"]["displayName"], "Adele Vance");
    assert_eq!(by_id("2")["status"], 200);
    assert_eq!(by_id("3")["body"]["isRead"], true);
    assert_eq!(by_id("4")["status"], 400);
    assert_eq!(by_id("4")["body"]["error"]["code"], "ErrorInvalidIdMalformed");
    assert_eq!(by_id("5")["status"], 424);

    let too_many = json!({"requests": (0..21).map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me"})).collect::<Vec<_>>()});
    assert_graph_error(&t.post("/$batch", too_many).await, 400, "BadRequest");
    let unknown_dep = json!({"requests": [{"id": "1", "method": "GET", "url": "/me", "dependsOn": ["9"]}]});
    assert_graph_error(&t.post("/$batch", unknown_dep).await, 400, "BadRequest");

    // Throttling applies per request inside a batch.
    t.emu.set_throttling(Some(Throttling::new(0.01, 2)));
    let three = json!({"requests": (1..=3).map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me/messages?$top=1"})).collect::<Vec<_>>()});
    let r = t.post("/$batch", three).await;
    let statuses: Vec<u64> =
        r.json["responses"].as_array().unwrap().iter().map(|x| x["status"].as_u64().unwrap()).collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    let throttled = r.json["responses"].as_array().unwrap().iter().find(|x| x["status"] == 429).unwrap();
    assert!(throttled["headers"]["Retry-After"].is_string(), "{throttled}");
}

#[tokio::test]
async fn unknown_versions_and_paths() {
    let t = T::start().await;
    let r = t.call(Method::GET, &format!("{}/beta/me", t.emu.authority_url()), None, &[]).await;
    assert_graph_error(&r, 400, "BadRequest");
    let r = t.get("/notAResource").await;
    assert_graph_error(&r, 400, "BadRequest");
    let r = t.call(Method::PUT, "/me/messages", Some(json!({})), &[]).await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn seed_off_gives_empty_mailboxes_and_the_handle_can_seed() {
    let t = T::with(Emulator::builder().seed(false)).await;
    assert!(t.emu.messages(demo::USER_UPN, "inbox").unwrap().is_empty());
    assert!(t.emu.events(demo::USER_UPN).unwrap().is_empty());
    let folders = t.emu.folders(demo::USER_UPN).unwrap();
    assert!(folders.iter().any(|f| f["wellKnownName"] == "inbox"));

    let id = t
        .emu
        .add_message(
            demo::USER_UPN,
            "inbox",
            json!({"subject": "Seeded", "from": {"emailAddress": {"address": "a@b.c", "name": "A"}}, "receivedDateTime": "2024-01-01T10:00:00Z"}),
        )
        .unwrap();
    let r = t.get("/me/mailFolders/inbox/messages").await;
    assert_eq!(r.values().len(), 1);
    assert_eq!(r.values()[0]["id"], id);
    assert_eq!(r.values()[0]["isRead"], false);
    assert!(t.emu.add_message(demo::USER_UPN, "inbox", json!({"subjekt": "typo"})).is_err());

    let uid = t.emu.add_user("PattiF@contoso.com", "Patti Fernandez", "Central Standard Time").unwrap();
    let token = t.emu.issue_token("pattif@contoso.com").unwrap();
    let me = t.call_as(&token, Method::GET, "/me", None, &[]).await;
    assert_eq!(me.json["id"], uid);
    let ev = t
        .emu
        .add_event(
            "PattiF@contoso.com",
            json!({"subject": "Kickoff", "start": {"dateTime": "2024-03-20T09:00:00", "timeZone": "Central Standard Time"}, "end": {"dateTime": "2024-03-20T10:00:00", "timeZone": "Central Standard Time"}}),
        )
        .unwrap();
    let got = t.call_as(&token, Method::GET, &format!("/me/events/{}", common::seg(&ev)), None, &[]).await;
    assert_eq!(got.json["start"]["dateTime"], "2024-03-20T14:00:00.0000000");
    assert_eq!(t.emu.mailbox_settings("PattiF@contoso.com").unwrap()["timeZone"], "Central Standard Time");
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let emu = Emulator::start().await.unwrap();
    let base = emu.base_url();
    let http = common::client();
    assert!(http.get(format!("{base}/me")).send().await.is_ok());
    emu.shutdown().await;
    assert!(http.get(format!("{base}/me")).send().await.is_err());
}
