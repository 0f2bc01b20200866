//! Triage helpers: thread context, reply state, delta with move detection.

use msgraph_core::WithOptions as _;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use msgraph_core::delta::{MemoryDeltaStore, RemovedReason};
use msgraph_mail::triage::{MailChange, MoveTracker};
use msgraph_mail::{MailExt, TRIAGE_SELECT, WellKnownFolder};
use serde_json::{Value, json};
use wiremock::matchers::{header, headers, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_invalid_input, graph};

#[tokio::test]
async fn thread_context_latest_n_excluding_current() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages"))
        .and(query_param("$filter", "receivedDateTime ge 1900-01-01T00:00:00Z and conversationId eq 'AAQkAD''x='"))
        .and(query_param("$orderby", "receivedDateTime desc"))
        .and(query_param("$top", "4"))
        .and(query_param("$select", TRIAGE_SELECT.join(",")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": "current", "receivedDateTime": "2024-05-04T10:00:00Z"},
            {"id": "m3", "receivedDateTime": "2024-05-03T10:00:00Z"},
            {"id": "m2", "receivedDateTime": "2024-05-02T10:00:00Z"},
            {"id": "m1", "receivedDateTime": "2024-05-01T10:00:00Z"}
        ]})))
        .expect(1)
        .mount(&graph.server)
        .await;
    let thread = client.me().triage().thread("AAQkAD'x=").latest(3).excluding("current").await.unwrap();
    let ids: Vec<_> = thread.iter().filter_map(|m| m.id.as_deref()).collect();
    assert_eq!(ids, ["m3", "m2", "m1"]);
}

#[tokio::test]
async fn thread_context_without_exclusion_in_a_folder_with_text_bodies() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/inbox/messages"))
        .and(query_param("$top", "2"))
        .and(query_param("$select", "id,body"))
        .and(header("prefer", "outlook.body-content-type=\"text\""))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": "b", "body": {"contentType": "text", "content": "newer"}},
            {"id": "a", "body": {"contentType": "text", "content": "older"}},
            {"id": "extra"}
        ]})))
        .expect(1)
        .mount(&graph.server)
        .await;
    let thread = client
        .me()
        .triage()
        .thread("conv")
        .latest(2)
        .folder(WellKnownFolder::Inbox)
        .select(["id", "body"])
        .text_body()
        .await
        .unwrap();
    assert_eq!(thread.len(), 2, "truncated to the latest N");
    assert_eq!(thread[0].body.as_ref().unwrap().content, "newer");
}

#[tokio::test]
async fn thread_context_bad_input_sends_nothing() {
    let (graph, client) = graph().await;
    let t = client.me().triage();
    assert_invalid_input(&graph, t.thread("").await, "conversation id").await;
    assert_invalid_input(&graph, t.thread("c").latest(0).await, "latest").await;
    assert_invalid_input(&graph, t.thread("c").latest(1000).await, "latest").await;
}

#[tokio::test]
async fn reply_state_is_the_latest_sent_item_of_the_conversation() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/sentitems/messages"))
        .and(query_param("$filter", "sentDateTime ge 1900-01-01T00:00:00Z and conversationId eq 'conv-1'"))
        .and(query_param("$orderby", "sentDateTime desc"))
        .and(query_param("$top", "1"))
        .and(query_param("$select", "id,conversationId,sentDateTime,subject,toRecipients"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": "s1", "conversationId": "conv-1", "sentDateTime": "2024-05-02T08:00:00Z", "subject": "RE: plan"}
        ]})))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/sentitems/messages"))
        .and(query_param("$filter", "sentDateTime ge 1900-01-01T00:00:00Z and conversationId eq 'conv-2'"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .expect(1)
        .mount(&graph.server)
        .await;

    let replied = client.me().triage().reply_state("conv-1").await.unwrap();
    assert!(replied.has_replied());
    assert_eq!(replied.last_reply_time(), Some(Utc.with_ymd_and_hms(2024, 5, 2, 8, 0, 0).unwrap()));
    assert!(replied.replied_after(Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap()));
    assert!(!replied.replied_after(Utc.with_ymd_and_hms(2024, 5, 3, 0, 0, 0).unwrap()));

    let silent = client.me().triage().reply_state("conv-2").await.unwrap();
    assert!(!silent.has_replied());
}

#[tokio::test]
async fn reply_state_of_an_empty_conversation_id_sends_nothing() {
    let (graph, client) = graph().await;
    assert_invalid_input(&graph, client.me().triage().reply_state(" ").await, "conversation id").await;
}

#[tokio::test]
async fn replies_since_folds_every_page_into_latest_reply_per_conversation() {
    let (graph, client) = graph().await;
    let next = format!("{}/me/mailFolders/sentitems/messages?$skiptoken=p2", graph.base_url());
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/sentitems/messages"))
        .and(query_param_is_missing("$skiptoken"))
        .and(query_param("$filter", "sentDateTime ge 2024-05-01T00:00:00Z"))
        .and(query_param("$orderby", "sentDateTime desc"))
        .and(query_param("$select", "conversationId,sentDateTime"))
        .and(query_param("$top", "1000"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.nextLink": next,
            "value": [
                {"@odata.etag": "W/\"1\"", "id": "s3", "conversationId": "a", "sentDateTime": "2024-05-03T00:00:00Z"},
                {"id": "s2", "conversationId": "b", "sentDateTime": "2024-05-02T00:00:00Z"}
            ]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/sentitems/messages"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": "s1", "conversationId": "a", "sentDateTime": "2024-05-01T00:00:00Z"},
            {"id": "s0", "sentDateTime": "2024-05-01T00:00:00Z"}
        ]})))
        .expect(1)
        .mount(&graph.server)
        .await;

    let since = Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap();
    let index = client.me().triage().replies_since(since).await.unwrap();
    assert_eq!(index.len(), 2);
    assert_eq!(index.since(), Some(since));
    assert_eq!(index.last_reply("a"), Some(Utc.with_ymd_and_hms(2024, 5, 3, 0, 0, 0).unwrap()));
    assert!(index.has_replied("b"));
    assert!(!index.has_replied("c"));
    assert!(index.replied_after("a", Utc.with_ymd_and_hms(2024, 5, 2, 12, 0, 0).unwrap()));
    let saved = serde_json::to_string(&index).unwrap();
    assert_eq!(serde_json::from_str::<msgraph_mail::ReplyIndex>(&saved).unwrap(), index);
}

#[tokio::test]
async fn replies_since_page_size_is_checked() {
    let (graph, client) = graph().await;
    let t = client.me().triage();
    assert_invalid_input(&graph, t.replies_since(Utc::now()).page_size(0).await, "page size").await;
    assert_invalid_input(&graph, t.replies_since(Utc::now()).page_size(1001).await, "page size").await;
}

/// A delta sample with its links pointed at the fake server and every item
/// given the folder it was listed from (the doc example selects no folder).
fn delta_page(text: &str, base: &str, folder: &str) -> Value {
    let mut v: Value = serde_json::from_str(&text.replace("https://graph.microsoft.com/v1.0", base)).unwrap();
    for item in v["value"].as_array_mut().unwrap() {
        item["parentFolderId"] = json!(folder);
    }
    v
}

#[tokio::test]
async fn delta_of_a_folder_then_move_detection_across_folders() {
    let (graph, client) = graph().await;
    let base = graph.base_url();
    let inbox_id = "AQMkADNkNAAAgEMAAAA";
    let link_path = format!("/v1.0/me/mailfolders('{inbox_id}')/messages/delta");
    let page = |text: &str| ResponseTemplate::new(200).set_body_json(delta_page(text, &base, inbox_id));

    // Round 1 of the Inbox: three pages from the Graph docs, then the deltaLink once more.
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/inbox/messages/delta"))
        .and(query_param("$select", TRIAGE_SELECT.join(",")))
        .and(headers("prefer", vec!["odata.maxpagesize=2", "IdType=\"ImmutableId\""]))
        .respond_with(page(include_str!("../../../testdata/graph-samples/mail/delta-query-messages-1.json")))
        .expect(1)
        .mount(&graph.server)
        .await;
    for (token, text) in [
        ("GwcBoTmPuoTQWfcsAbkYM", include_str!("../../../testdata/graph-samples/mail/delta-query-messages-2.json")),
        ("GwcBoTmPKILK4jLH7mAd1lLU", include_str!("../../../testdata/graph-samples/mail/delta-query-messages-3.json")),
    ] {
        Mock::given(method("GET"))
            .and(path(link_path.as_str()))
            .and(query_param("$skiptoken", token))
            .and(headers("prefer", vec!["odata.maxpagesize=2", "IdType=\"ImmutableId\""]))
            .respond_with(page(text))
            .expect(1)
            .mount(&graph.server)
            .await;
    }
    let round1_link = format!("{base}/me/mailfolders('{inbox_id}')/messages/delta?$deltatoken=round1");
    Mock::given(method("GET"))
        .and(path(link_path.as_str()))
        .and(query_param("$deltatoken", "GwcBoTmPuoGNlgXgF1nyUNMXY"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [], "@odata.deltaLink": round1_link})))
        .expect(1)
        .mount(&graph.server)
        .await;

    let store = Arc::new(MemoryDeltaStore::default());
    let inbox = client
        .me()
        .messages()
        .delta(WellKnownFolder::Inbox)
        .max_page_size(2)
        .immutable_ids(true)
        .store(store.clone(), "me:inbox");
    let mut tracker = MoveTracker::new();

    let mut round = inbox.run().await.unwrap();
    assert!(round.full_sync());
    let changes = tracker.classify(round.take_changes());
    assert_eq!(changes.len(), 5);
    assert!(changes.iter().all(|c| matches!(c, MailChange::New(_))));
    assert_eq!(changes[0].message().unwrap().subject.as_deref(), Some("Holiday hours update"));
    round.commit().await.unwrap();

    // Round 2 of the Inbox: one message deleted, one moved out, one read.
    let round2_link = format!("{base}/me/mailfolders('{inbox_id}')/messages/delta?$deltatoken=round2");
    Mock::given(method("GET"))
        .and(path(link_path.as_str()))
        .and(query_param("$deltatoken", "round1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.deltaLink": round2_link,
            "value": [
                {"@odata.type": "#microsoft.graph.message", "id": "AQMkADNkNAAAgWkAAAA", "@removed": {"reason": "deleted"}},
                {"@odata.type": "#microsoft.graph.message", "id": "AAMkADNkNAAASq35xAAA=", "@removed": {"reason": "deleted"}},
                {"id": "AQMkADNkNAAAgWJAAAA", "isRead": false, "parentFolderId": inbox_id}
            ]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path(link_path.as_str()))
        .and(query_param("$deltatoken", "round2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [], "@odata.deltaLink": round2_link})))
        .expect(1)
        .mount(&graph.server)
        .await;

    let round = inbox.run().await.unwrap();
    assert!(!round.full_sync());
    let removed: Vec<_> = round.removed().map(|r| (r.id.clone(), r.reason.clone())).collect();
    assert_eq!(removed[0], ("AQMkADNkNAAAgWkAAAA".to_owned(), RemovedReason::Deleted));
    let changes = tracker.classify(round.changes().iter().cloned());
    assert!(matches!(&changes[2], MailChange::Updated(m) if m.is_read == Some(false)));
    round.commit().await.unwrap();

    // The Archive's first round holds the message that left the Inbox: a move.
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/archive/messages/delta"))
        .and(query_param_is_missing("$deltatoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.deltaLink": format!("{base}/me/mailFolders/archive/messages/delta?$deltatoken=a1"),
            "value": [{"id": "AAMkADNkNAAASq35xAAA=", "subject": "Holiday hours update", "parentFolderId": "archive-id"}]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/archive/messages/delta"))
        .and(query_param("$deltatoken", "a1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.deltaLink": format!("{base}/me/mailFolders/archive/messages/delta?$deltatoken=a1"),
            "value": []
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    let archive = client.me().messages().delta(WellKnownFolder::Archive).immutable_ids(true);
    let round = archive.run().await.unwrap();
    let changes = tracker.classify(round.changes().iter().cloned());
    match &changes[0] {
        MailChange::Moved { message, from_folder } => {
            assert_eq!(from_folder, inbox_id);
            assert_eq!(message.parent_folder_id.as_deref(), Some("archive-id"));
        }
        other => panic!("expected a move, got {other:?}"),
    }
    assert_eq!(tracker.folder_of("AAMkADNkNAAASq35xAAA="), Some("archive-id"));
    // The deleted message is forgotten once every folder was synced.
    assert_eq!(tracker.len(), 5);
    tracker.forget_removed();
    assert_eq!(tracker.len(), 4);
    let saved = serde_json::to_string(&tracker).unwrap();
    assert_eq!(serde_json::from_str::<MoveTracker>(&saved).unwrap(), tracker);

    // The stored token is the confirmed deltaLink of the Inbox's last round.
    use msgraph_core::delta::DeltaStore as _;
    assert_eq!(store.load("me:inbox").await.unwrap().as_deref(), Some(round2_link.as_str()));
}

#[tokio::test]
async fn delta_with_an_empty_folder_id_sends_nothing() {
    let (graph, client) = graph().await;
    assert_invalid_input(&graph, client.me().messages().delta("").run().await, "empty id").await;
}
