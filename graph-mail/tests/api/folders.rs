//! Mail folders: list, children, tree, get, id of a well-known folder, create, rename, delete.

use msgraph_mail::{MailExt, WellKnownFolder};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_invalid_input, graph};

const CHILDREN: &str = include_str!("../../../testdata/graph-samples/mail/mailfolder-list-childfolders-2.json");

#[tokio::test]
async fn list_expands_child_folders() {
    let (graph, client) = graph().await;
    let body = json!({"value": [{
        "id": "AAMkAGVmMDEzM", "displayName": "Inbox", "parentFolderId": "root",
        "childFolderCount": 2, "unreadItemCount": 7, "totalItemCount": 9, "isHidden": false,
        "childFolders": serde_json::from_str::<serde_json::Value>(CHILDREN).unwrap()["value"].clone()
    }]});
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders"))
        .and(query_param("$expand", "childFolders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&graph.server)
        .await;
    let page = client.me().mail_folders().list().send().await.unwrap();
    let inbox = &page.value[0];
    let children = inbox.child_folders.as_ref().unwrap();
    assert_eq!(children.len(), 2);
    assert_eq!(children[1].display_name.as_deref(), Some("Clutters"));
    assert_eq!(children[1].is_hidden, Some(true));
}

#[tokio::test]
async fn children_with_hidden_folders() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/AAMkAGVmMDEzM/childFolders"))
        .and(query_param("includeHiddenFolders", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_string(CHILDREN))
        .expect(1)
        .mount(&graph.server)
        .await;
    let page = client
        .me()
        .mail_folders()
        .children("AAMkAGVmMDEzM")
        .param("includeHiddenFolders", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(page.value[0].unread_item_count, Some(2));
    assert_eq!(page.value[1].total_item_count, Some(5));
}

#[tokio::test]
async fn tree_walks_every_level_and_skips_folders_without_children() {
    let (graph, client) = graph().await;
    let next = format!("{}/me/mailFolders?$skiptoken=2", graph.base_url());
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders"))
        .and(query_param_is_missing("$skiptoken"))
        .and(query_param("includeHiddenFolders", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.nextLink": next,
            "value": [{"id": "inbox-id", "displayName": "Inbox", "childFolderCount": 1}]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders"))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "drafts-id", "displayName": "Drafts", "childFolderCount": 0}]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/inbox-id/childFolders"))
        .and(query_param("includeHiddenFolders", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "receipts-id", "displayName": "Receipts", "childFolderCount": 1}]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/receipts-id/childFolders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "y2024-id", "displayName": "2024", "childFolderCount": 0}]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;

    let roots = client.me().mail_folders().tree().include_hidden(true).await.unwrap();
    let names: Vec<&str> = roots.iter().flat_map(|r| r.walk()).filter_map(|f| f.display_name.as_deref()).collect();
    assert_eq!(names, ["Inbox", "Receipts", "2024", "Drafts"]);
    assert_eq!(roots[1].child_folders, Some(vec![]));
}

#[tokio::test]
async fn tree_stops_at_max_depth() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "inbox-id", "displayName": "Inbox", "childFolderCount": 3}]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    let roots = client.me().mail_folders().tree().max_depth(0).await.unwrap();
    assert_eq!(roots.len(), 1);
    assert_eq!(roots[0].child_folders, None);
}

#[tokio::test]
async fn a_folder_listed_as_its_own_child_does_not_recurse_forever() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "loop", "displayName": "Loop", "childFolderCount": 2}]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    // a hostile server: the folder's children are itself and one real child
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/loop/childFolders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "loop", "displayName": "Loop", "childFolderCount": 2}, {"id": "kid", "displayName": "Kid", "childFolderCount": 0}]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    let roots = client.me().mail_folders().tree().await.unwrap();
    let kids = roots[0].child_folders.as_ref().unwrap();
    assert_eq!(kids.len(), 1);
    assert_eq!(kids[0].display_name.as_deref(), Some("Kid"));
}

#[tokio::test]
async fn a_server_that_nests_without_end_stops_at_the_default_depth() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "d0", "childFolderCount": 1}]})))
        .expect(1)
        .mount(&graph.server)
        .await;
    // every folder has one new child, forever
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(r"^/v1.0/me/mailFolders/d\d+/childFolders$"))
        .respond_with(|req: &wiremock::Request| {
            let n: usize = req.url.path().split('/').nth(4).unwrap()[1..].parse().unwrap();
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [{"id": format!("d{}", n + 1), "childFolderCount": 1}]}))
        })
        .expect(msgraph_mail::MAX_FOLDER_DEPTH as u64)
        .mount(&graph.server)
        .await;
    let roots = client.me().mail_folders().tree().await.unwrap();
    let depth = std::iter::successors(roots.first(), |f| f.child_folders.as_ref().and_then(|c| c.first())).count();
    assert_eq!(depth, msgraph_mail::MAX_FOLDER_DEPTH + 1);
}

#[tokio::test]
async fn get_folder_and_id_of_well_known_name() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/sentitems"))
        .and(query_param("$select", "id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "AAMkSent"})))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/inbox"))
        .and(query_param_is_missing("$select"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "AAMkInbox", "displayName": "Inbox", "unreadItemCount": 3, "totalItemCount": 10, "childFolderCount": 0
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    let folders = client.me().mail_folders();
    assert_eq!(folders.id_of(WellKnownFolder::SentItems).await.unwrap(), "AAMkSent");
    let inbox = folders.get(WellKnownFolder::Inbox).await.unwrap();
    assert_eq!(inbox.unread_item_count, Some(3));
}

#[tokio::test]
async fn id_of_without_an_id_in_the_answer_is_a_decode_error() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/archive"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"displayName": "Archive"})))
        .expect(1)
        .mount(&graph.server)
        .await;
    let e = client.me().mail_folders().id_of(WellKnownFolder::Archive).await.unwrap_err();
    assert!(matches!(e, msgraph_core::Error::Decode { ref path, .. } if path.as_deref() == Some("id")), "{e}");
}

#[tokio::test]
async fn create_top_level_hidden_and_child_folders() {
    let (graph, client) = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/mailFolders"))
        .and(body_json(json!({"displayName": "Clutters", "isHidden": true})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "AAMkAGVmMDEzB", "displayName": "Clutters", "isHidden": true})),
        )
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/mailFolders/inbox/childFolders"))
        .and(body_json(json!({"displayName": "Newsletters"})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "AAMkNews", "displayName": "Newsletters", "parentFolderId": "AAMkInbox"})),
        )
        .expect(1)
        .mount(&graph.server)
        .await;
    let hidden = client.me().mail_folders().create("Clutters").hidden(true).await.unwrap();
    assert_eq!(hidden.is_hidden, Some(true));
    let child = client.me().mail_folders().create_child(WellKnownFolder::Inbox, "Newsletters").await.unwrap();
    assert_eq!(child.parent_folder_id.as_deref(), Some("AAMkInbox"));
}

#[tokio::test]
async fn rename_and_delete_folder() {
    let (graph, client) = graph().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/mailFolders/AAMkAGVmMDEzA"))
        .and(body_json(json!({"displayName": "Screens"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "AAMkAGVmMDEzA", "displayName": "Screens"})),
        )
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/mailFolders/AAMkAGVmMDEzA"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&graph.server)
        .await;
    let f = client.me().mail_folders().rename("AAMkAGVmMDEzA", "Screens").await.unwrap();
    assert_eq!(f.display_name.as_deref(), Some("Screens"));
    client.me().mail_folders().delete("AAMkAGVmMDEzA").await.unwrap();
}

#[tokio::test]
async fn bad_folder_input_sends_nothing() {
    let (graph, client) = graph().await;
    let folders = client.me().mail_folders();
    assert_invalid_input(&graph, folders.create("  ").await, "name is empty").await;
    assert_invalid_input(&graph, folders.create_child("", "x").await, "empty id").await;
    assert_invalid_input(&graph, folders.rename("f1", "").await, "name is empty").await;
    assert_invalid_input(&graph, folders.delete("").await, "empty id").await;
    assert_invalid_input(&graph, folders.get("").await, "empty id").await;
}
