//! Update (read, flag, categories), move, copy, delete.

use msgraph_core::WithOptions as _;
use msgraph_core::models::Importance;
use msgraph_mail::{FollowupFlag, FollowupFlagStatus, MailExt, MessagePatch, WellKnownFolder};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_invalid_input, graph};

const MESSAGE: &str = include_str!("../../../testdata/graph-samples/mail/user-post-messages-2.json");

async fn expect_patch(graph: &msgraph_core::test_util::MockGraph, id: &str, body: serde_json::Value) {
    Mock::given(method("PATCH"))
        .and(path(format!("/v1.0/me/messages/{id}")))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_string(MESSAGE))
        .expect(1)
        .mount(&graph.server)
        .await;
}

#[tokio::test]
async fn mark_read_and_unread_patch_only_is_read() {
    let (graph, client) = graph().await;
    expect_patch(&graph, "m1", json!({"isRead": true})).await;
    expect_patch(&graph, "m2", json!({"isRead": false})).await;
    let m = client.me().messages().mark_read("m1").await.unwrap();
    assert_eq!(m.id.as_deref(), Some("AAMkADhNmAAA="));
    client.me().messages().mark_unread("m2").await.unwrap();
}

#[tokio::test]
async fn flag_unflag_complete() {
    let (graph, client) = graph().await;
    expect_patch(&graph, "a", json!({"flag": {"flagStatus": "flagged"}})).await;
    expect_patch(&graph, "b", json!({"flag": {"flagStatus": "notFlagged"}})).await;
    expect_patch(&graph, "c", json!({"flag": {"flagStatus": "complete"}})).await;
    let m = client.me().messages();
    let flagged = m.flag("a").await.unwrap();
    assert_eq!(flagged.flag.and_then(|f| f.flag_status), Some(FollowupFlagStatus::NotFlagged));
    m.unflag("b").await.unwrap();
    m.complete("c").await.unwrap();
}

#[tokio::test]
async fn set_categories_patches_only_categories() {
    let (graph, client) = graph().await;
    expect_patch(&graph, "m1", json!({"categories": ["Receipts", "2024"]})).await;
    expect_patch(&graph, "m2", json!({"categories": []})).await;
    client.me().messages().set_categories("m1", ["Receipts", "2024"]).await.unwrap();
    client.me().messages().set_categories("m2", Vec::<String>::new()).await.unwrap();
}

#[tokio::test]
async fn update_sends_exactly_the_fields_given() {
    let (graph, client) = graph().await;
    let start = msgraph_core::models::DateTimeTimeZone::from_naive(
        "2024-05-01T09:00:00".parse().unwrap(),
        "Pacific Standard Time",
    );
    let due = msgraph_core::models::DateTimeTimeZone::from_naive(
        "2024-05-03T17:00:00".parse().unwrap(),
        "Pacific Standard Time",
    );
    expect_patch(
        &graph,
        "m1",
        json!({
            "isRead": true,
            "importance": "high",
            "flag": {
                "flagStatus": "flagged",
                "startDateTime": {"dateTime": "2024-05-01T09:00:00.0000000", "timeZone": "Pacific Standard Time"},
                "dueDateTime": {"dateTime": "2024-05-03T17:00:00.0000000", "timeZone": "Pacific Standard Time"}
            }
        }),
    )
    .await;
    client
        .me()
        .messages()
        .update(
            "m1",
            MessagePatch::new().read(true).importance(Importance::High).flag(FollowupFlag::flagged().due(start, due)),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn bad_updates_send_nothing() {
    let (graph, client) = graph().await;
    let m = client.me().messages();
    assert_invalid_input(&graph, m.set_categories("m1", ["c".repeat(256)]).await, "255").await;
    assert_invalid_input(&graph, m.set_categories("m1", [""]).await, "empty").await;
    assert_invalid_input(&graph, m.update("m1", MessagePatch::new()).await, "changes nothing").await;
    assert_invalid_input(&graph, m.update("m1", MessagePatch::new().to(["bob"])).await, "bob").await;
    assert_invalid_input(&graph, m.mark_read("").await, "empty id").await;
}

#[tokio::test]
async fn move_and_copy_post_the_destination() {
    let (graph, client) = graph().await;
    for (action, dest) in [("move", "archive"), ("copy", "AAMkAGVmMDEz")] {
        Mock::given(method("POST"))
            .and(path(format!("/v1.0/me/messages/m1/{action}")))
            .and(body_json(json!({"destinationId": dest})))
            .respond_with(ResponseTemplate::new(201).set_body_string(MESSAGE))
            .expect(1)
            .mount(&graph.server)
            .await;
    }
    let moved = client.me().messages().move_to("m1", WellKnownFolder::Archive).await.unwrap();
    assert_eq!(moved.parent_folder_id.as_deref(), Some("AAMkADhAAAAAAEPAAA="));
    let copy = client.me().messages().copy_to("m1", "AAMkAGVmMDEz").await.unwrap();
    assert_eq!(copy.id.as_deref(), Some("AAMkADhNmAAA="));
}

#[tokio::test]
async fn move_asks_for_immutable_ids_per_request_or_from_the_client_default() {
    let (graph, _) = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages/m1/move"))
        .and(body_json(json!({"destinationId": "archive"})))
        .respond_with(ResponseTemplate::new(201).set_body_string(MESSAGE))
        .expect(3)
        .mount(&graph.server)
        .await;
    let plain = graph.client();
    plain.me().messages().move_to("m1", WellKnownFolder::Archive).immutable_ids(true).await.unwrap();
    let triage_app = graph.client_builder().immutable_ids(true).build().unwrap();
    triage_app.me().messages().move_to("m1", WellKnownFolder::Archive).await.unwrap();
    triage_app.me().messages().move_to("m1", WellKnownFolder::Archive).immutable_ids(false).await.unwrap();
    let prefer: Vec<Option<String>> = graph
        .requests()
        .await
        .iter()
        .map(|r| r.headers.get("prefer").map(|v| v.to_str().unwrap().to_owned()))
        .collect();
    let immutable = Some(r#"IdType="ImmutableId""#.to_owned());
    assert_eq!(prefer, [immutable.clone(), immutable, None]);
}

#[tokio::test]
async fn move_to_an_empty_folder_id_sends_nothing() {
    let (graph, client) = graph().await;
    assert_invalid_input(&graph, client.me().messages().move_to("m1", "").await, "destination").await;
    assert_invalid_input(&graph, client.me().messages().copy_to("", "inbox").await, "empty id").await;
}

#[tokio::test]
async fn delete_message() {
    let (graph, client) = graph().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/messages/m1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&graph.server)
        .await;
    client.me().messages().delete("m1").await.unwrap();
}
