//! Drive delta: the docs' pages, the `deleted` facet as a removal,
//! `token=latest`, and the resync codes.

use std::sync::Arc;

use msgraph_core::delta::{Change, DeltaStore, MemoryDeltaStore};
use msgraph_drive::{DriveExt, DriveItem, ItemRef};
use serde_json::Value;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::graph;

const DELTA_1: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-delta-1.json");
const DELTA_2: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-delta-2.json");
const DELTA_LATEST: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-delta-3.json");

/// A sample page with its links pointed at the mock.
fn page(g: &msgraph_core::test_util::MockGraph, text: &str) -> Value {
    serde_json::from_str(&text.replace("https://graph.microsoft.com/v1.0", &g.base_url())).unwrap()
}

#[tokio::test]
async fn the_docs_round_with_deleted_facets_as_removals_and_the_function_style_links() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root/delta"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&g, DELTA_1)))
        .expect(1)
        .mount(&g.server)
        .await;
    // the nextLink is `delta(token=...)`
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/delta(token=1230919asd190410jlka)"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&g, DELTA_2)))
        .expect(1)
        .mount(&g.server)
        .await;
    // the deltaLink (`delta?(token='...')`) is followed once more before it is kept
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root/delta"))
        .and(query_param("(token", "'MzslMjM0OyUyMzE7MzsyM2YwNDVhMS1lNmRmLTQ1N2MtOGQ5NS1hNmViZDVmZWRhNWQ7NjM3OTQzNzQwODQ3NTcwMDAwOzU4NTk2OTY0NDslMjM7JTIzOyUyMzA')"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&g, DELTA_LATEST)))
        .expect(1)
        .with_priority(1)
        .mount(&g.server)
        .await;
    let store = Arc::new(MemoryDeltaStore::new());
    let sync = g.client().me().drive().delta(ItemRef::Root).store(store.clone(), "drive");
    let round = sync.run().await.unwrap();
    let changes: Vec<String> = round
        .changes()
        .iter()
        .map(|c| match c {
            Change::Upserted(i) => format!("+{}", i.name.clone().unwrap_or_default()),
            Change::Removed(r) => format!("-{}", r.id),
        })
        .collect();
    // folder2 came first as an item, then deleted (last wins); file5.txt deleted; file.txt twice, once
    assert_eq!(changes, ["-2353010204ddgg", "-0123456789abc", "+file.txt"]);
    round.commit().await.unwrap();
    assert!(store.load("drive").await.unwrap().unwrap().ends_with("token=1230919asd190410jlka"));
}

#[tokio::test]
async fn token_latest_starts_from_now() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root/delta"))
        .and(query_param("token", "latest"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&g, DELTA_LATEST)))
        .expect(1)
        .mount(&g.server)
        .await;
    // the deltaLink of "latest", followed once more before it is kept
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root/delta"))
        .and(query_param("token", "1230919asd190410jlka"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&g, DELTA_LATEST)))
        .expect(1)
        .mount(&g.server)
        .await;
    let round = g.client().me().drive().delta(ItemRef::Root).param("token", "latest").run().await.unwrap();
    assert!(round.changes().is_empty());
}

#[tokio::test]
async fn an_expired_drive_token_is_a_reported_resync() {
    let g = graph().await;
    let store = Arc::new(MemoryDeltaStore::new());
    let stale = format!("{}/me/drive/root/delta?token=stale", g.base_url());
    store.save("drive", &stale).await.unwrap();
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root/delta"))
        .and(query_param("token", "stale"))
        .respond_with(ResponseTemplate::new(410).set_body_json(
            serde_json::json!({"error": {"code": "resyncChangesApplyDifferences", "message": "Resync required"}}),
        ))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root/delta"))
        .and(wiremock::matchers::query_param_is_missing("token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": "1", "name": "a.txt", "file": {}}],
            "@odata.deltaLink": format!("{}/me/drive/root/delta?token=fresh", g.base_url()),
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root/delta"))
        .and(query_param("token", "fresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [],
            "@odata.deltaLink": format!("{}/me/drive/root/delta?token=fresh2", g.base_url()),
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let round = g.client().me().drive().delta(ItemRef::Root).store(store.clone(), "drive").run().await.unwrap();
    assert!(round.resynced());
    let items: Vec<&DriveItem> = round.upserted().collect();
    assert_eq!(items.len(), 1);
}

#[tokio::test]
async fn a_folders_delta_by_path_and_the_upload_differences_code_is_a_resync_too() {
    let g = graph().await;
    let store = Arc::new(MemoryDeltaStore::new());
    let base = format!("{}/me/drive/root:/Pictures:/delta", g.base_url());
    store.save("pics", &format!("{base}?token=stale")).await.unwrap();
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/Pictures:/delta"))
        .and(query_param("token", "stale"))
        .respond_with(ResponseTemplate::new(410).set_body_json(serde_json::json!(
            {"error": {"code": "resyncChangesUploadDifferences", "message": "Resync required"}}
        )))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/Pictures:/delta"))
        .and(wiremock::matchers::query_param_is_missing("token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [
                {"id": "P", "name": "Pictures", "folder": {"childCount": 1}},
                {"id": "1", "name": "cat.png", "file": {"mimeType": "image/png"}},
                {"id": "2", "name": "old.png", "file": {}, "deleted": {}}
            ],
            "@odata.deltaLink": format!("{base}?token=fresh"),
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/Pictures:/delta"))
        .and(query_param("token", "fresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [], "@odata.deltaLink": format!("{base}?token=fresh2"),
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let round = g.client().me().drive().delta("/Pictures").store(store.clone(), "pics").run().await.unwrap();
    assert!(round.resynced());
    let changes: Vec<String> = round
        .changes()
        .iter()
        .map(|c| match c {
            Change::Upserted(i) => format!("+{}", i.name.clone().unwrap_or_default()),
            Change::Removed(r) => format!("-{}", r.id),
        })
        .collect();
    assert_eq!(changes, ["+Pictures", "+cat.png", "-2"]);
    round.commit().await.unwrap();
    assert!(store.load("pics").await.unwrap().unwrap().ends_with("token=fresh2"));
}
