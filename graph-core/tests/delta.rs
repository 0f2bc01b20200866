//! Delta sync, request by request (CONFORMANCE 37-41), on Graph's own sample pages.

use std::sync::Arc;

use msgraph_core::delta::{Change, DeltaStore, DeltaSync, MemoryDeltaStore, RemovedReason, ResyncPolicy};
use msgraph_core::test_util::MockGraph;
use msgraph_core::{Error, GraphClient, GraphPath};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Msg {
    id: String,
    subject: Option<String>,
    /// A string in one of Graph's own samples (a doc quirk), so kept loose here.
    is_read: Option<Value>,
}

const FOLDER_PATH: &str = "/v1.0/me/mailFolders/inbox/messages/delta";

/// A sample page with its links moved from graph.microsoft.com to the mock.
fn sample(g: &MockGraph, text: &str) -> Value {
    let text = text.replace(
        "https://graph.microsoft.com/v1.0/me/mailfolders('AQMkADNkNAAAgEMAAAA')/messages/delta",
        &format!("{}/me/mailFolders/inbox/messages/delta", g.base_url()),
    );
    serde_json::from_str(&text).unwrap()
}

fn sync(client: GraphClient, store: Arc<dyn DeltaStore>) -> DeltaSync<Msg> {
    DeltaSync::new(client, GraphPath::new().push("me").push("mailFolders").id("inbox").push("messages").push("delta"))
        .select(["subject", "sender", "isRead"])
        .max_page_size(2)
        .store(store, "mailbox:inbox")
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Round 1 of Graph's sample (three pages), with message `AQMkADNkNAAAVRMKAAAAA==` seen again
/// on page 3 (updated) and one removal on page 3.
async fn mount_round_one(g: &MockGraph) -> String {
    let p1 = sample(g, include_str!("../../testdata/graph-samples/mail/delta-query-messages-1.json"));
    let p2 = sample(g, include_str!("../../testdata/graph-samples/mail/delta-query-messages-2.json"));
    let mut p3 = sample(g, include_str!("../../testdata/graph-samples/mail/delta-query-messages-3.json"));
    let items = p3["value"].as_array_mut().unwrap();
    items.push(json!({"id": "AQMkADNkNAAAVRMKAAAAA==", "subject": "updated while paging", "isRead": true}));
    items.push(json!({"@odata.type": "#microsoft.graph.message", "id": "gone-1", "@removed": {"reason": "changed"}}));
    let first_delta_link = p3["@odata.deltaLink"].as_str().unwrap().to_owned();
    Mock::given(method("GET"))
        .and(path(FOLDER_PATH))
        .and(query_param("$select", "subject,sender,isRead"))
        .and(header("prefer", "odata.maxpagesize=2"))
        .respond_with(ok(p1))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$skiptoken", "GwcBoTmPuoTQWfcsAbkYM"))
        .and(header("prefer", "odata.maxpagesize=2"))
        .respond_with(ok(p2))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$skiptoken", "GwcBoTmPKILK4jLH7mAd1lLU"))
        .respond_with(ok(p3))
        .expect(1)
        .mount(&g.server)
        .await;
    first_delta_link
}

/// The confirming round-trip on the first deltaLink: one more change, a new deltaLink.
async fn mount_confirm(g: &MockGraph) -> String {
    let confirmed = format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=confirmed", g.base_url());
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$deltatoken", "GwcBoTmPuoGNlgXgF1nyUNMXY"))
        .and(header("prefer", "odata.maxpagesize=2"))
        .respond_with(ok(json!({
            "value": [{"id": "arrived-while-paging", "subject": "new", "isRead": false}],
            "@odata.deltaLink": confirmed,
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    confirmed
}

#[tokio::test]
async fn a_round_dedupes_reports_removals_confirms_the_link_and_stores_on_commit() {
    let g = MockGraph::start().await;
    mount_round_one(&g).await;
    let confirmed = mount_confirm(&g).await;
    let store = Arc::new(MemoryDeltaStore::new());

    let round = sync(g.client(), store.clone()).run().await.unwrap();
    assert!(round.full_sync() && !round.resynced());
    assert_eq!(round.pages(), 4);
    let ids: Vec<&str> = round
        .changes()
        .iter()
        .map(|c| match c {
            Change::Upserted(m) => m.id.as_str(),
            Change::Removed(r) => r.id.as_str(),
        })
        .collect();
    assert_eq!(
        ids,
        [
            "AAMkADNkNAAASq35xAAA=",
            "AQMkADNkNAAAgWkAAAA",
            "AQMkADNkNAAAgWJAAAA",
            "AAMkADk0MGFkODE3LWEAAA=",
            "AQMkADNkNAAAVRMKAAAAA==",
            "gone-1",
            "arrived-while-paging"
        ]
    );
    let dup: Vec<&Msg> = round.upserted().filter(|m| m.id == "AQMkADNkNAAAVRMKAAAAA==").collect();
    assert_eq!(dup.len(), 1, "reported once");
    assert_eq!(dup[0].subject.as_deref(), Some("updated while paging"), "last version wins");
    let removed: Vec<_> = round.removed().collect();
    assert_eq!((removed[0].id.as_str(), &removed[0].reason), ("gone-1", &RemovedReason::Changed));

    assert_eq!(store.load("mailbox:inbox").await.unwrap(), None, "nothing stored before commit");
    assert_eq!(round.delta_link(), confirmed);
    round.commit().await.unwrap();
    assert_eq!(store.load("mailbox:inbox").await.unwrap(), Some(confirmed));
}

#[tokio::test]
async fn the_next_round_starts_from_the_stored_link_with_graphs_round_two_sample() {
    let g = MockGraph::start().await;
    let store = Arc::new(MemoryDeltaStore::new());
    let link = format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=GwcBoTmPuoGNlgXgF1nyUNMXY", g.base_url());
    store.save("mailbox:inbox", &link).await.unwrap();
    let round2 = sample(&g, include_str!("../../testdata/graph-samples/mail/delta-query-messages-4.json"));
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$deltatoken", "GwcBoTmPuoGNlgXgF1nyUNMXY"))
        .respond_with(ok(round2))
        .expect(1)
        .mount(&g.server)
        .await;
    let round = sync(g.client(), store.clone()).confirm_delta_link(false).run().await.unwrap();
    assert!(!round.full_sync());
    assert_eq!(round.removed().count(), 1);
    assert_eq!(round.removed().next().unwrap().reason, RemovedReason::Deleted);
    let updated: Vec<_> = round.upserted().collect();
    assert_eq!(updated[0].id, "AAMkADNkNAAASq35xAAA=");
    assert_eq!(updated[0].is_read, Some(json!("true")), "the doc sample's string quirk is tolerated here");
}

#[tokio::test]
async fn a_failure_on_page_two_leaves_the_token_and_the_next_run_sees_the_changes() {
    let g = MockGraph::start().await;
    let store = Arc::new(MemoryDeltaStore::new());
    let old = format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=old", g.base_url());
    store.save("mailbox:inbox", &old).await.unwrap();
    let page2 = format!("{}/me/mailFolders/inbox/messages/delta?$skiptoken=p2", g.base_url());
    let new_link = format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=new", g.base_url());
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$deltatoken", "old"))
        .respond_with(ok(json!({"value": [{"id": "m1", "subject": "one"}], "@odata.nextLink": page2})))
        .expect(2)
        .mount(&g.server)
        .await;
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ok(json!({"value": [{"id": "m2", "subject": "two"}], "@odata.deltaLink": new_link})))
        .expect(1)
        .mount(&g.server)
        .await;

    let s = sync(g.client(), store.clone()).confirm_delta_link(false);
    let err = s.run().await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(store.load("mailbox:inbox").await.unwrap(), Some(old.clone()), "token unchanged");

    let round = s.run().await.unwrap();
    assert_eq!(round.upserted().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["m1", "m2"]);
    drop(round); // not committed: still the old token
    assert_eq!(store.load("mailbox:inbox").await.unwrap(), Some(old));
}

#[tokio::test]
async fn gone_410_drops_the_token_and_runs_a_full_resync() {
    let g = MockGraph::start().await;
    let store = Arc::new(MemoryDeltaStore::new());
    let expired = format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=expired", g.base_url());
    store.save("mailbox:inbox", &expired).await.unwrap();
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$deltatoken", "expired"))
        .respond_with(
            ResponseTemplate::new(410)
                .insert_header("Location", format!("{}/me/mailFolders/inbox/messages/delta", g.base_url()).as_str()),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let fresh = format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=fresh", g.base_url());
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$select", "subject,sender,isRead"))
        .respond_with(ok(json!({"value": [{"id": "m1"}, {"id": "m2"}], "@odata.deltaLink": fresh})))
        .expect(1)
        .mount(&g.server)
        .await;
    let round = sync(g.client(), store.clone()).confirm_delta_link(false).run().await.unwrap();
    assert!(round.resynced() && round.full_sync());
    assert_eq!(round.upserted().count(), 2);
    assert_eq!(store.load("mailbox:inbox").await.unwrap(), None, "the dead token was dropped");
    round.commit().await.unwrap();
    assert_eq!(store.load("mailbox:inbox").await.unwrap(), Some(fresh));
}

#[tokio::test]
async fn sync_state_not_found_with_fail_policy_returns_resync_required() {
    let g = MockGraph::start().await;
    let store = Arc::new(MemoryDeltaStore::new());
    let stale = format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=stale", g.base_url());
    store.save("mailbox:inbox", &stale).await.unwrap();
    Mock::given(path(FOLDER_PATH))
        .and(query_param("$deltatoken", "stale"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {"code": "syncStateNotFound", "message": "The sync state generation is not found."}
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let err = sync(g.client(), store.clone()).on_resync(ResyncPolicy::Fail).run().await.unwrap_err();
    assert!(matches!(err, Error::ResyncRequired(_)), "{err:?}");
    assert_eq!(store.load("mailbox:inbox").await.unwrap(), None);
}

#[tokio::test]
async fn a_round_without_a_delta_link_is_an_error() {
    let g = MockGraph::start().await;
    Mock::given(path(FOLDER_PATH)).respond_with(ok(json!({"value": []}))).expect(1).mount(&g.server).await;
    let err = sync(g.client(), Arc::new(MemoryDeltaStore::new())).run().await.unwrap_err();
    assert!(matches!(err, Error::Paging(_)), "{err:?}");
}

#[tokio::test]
async fn pacing_waits_between_pages_and_prefer_goes_on_every_page() {
    let g = MockGraph::start().await;
    mount_round_one(&g).await;
    mount_confirm(&g).await;
    let started = std::time::Instant::now();
    let round = sync(g.client(), Arc::new(MemoryDeltaStore::new()))
        .pace(std::time::Duration::from_millis(150))
        .run()
        .await
        .unwrap();
    assert_eq!(round.pages(), 4);
    // two waits: after page 1 and page 2 (page 3 carries the deltaLink)
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    for r in g.requests().await {
        assert_eq!(r.headers.get("prefer").unwrap(), "odata.maxpagesize=2");
    }
}

#[tokio::test]
async fn pages_hand_over_each_page_in_server_order_and_commit_only_after_the_last() {
    let g = MockGraph::start().await;
    mount_round_one(&g).await;
    let confirmed = mount_confirm(&g).await;
    let store = Arc::new(MemoryDeltaStore::new());
    let sync = sync(g.client(), store.clone());

    let mut round = sync.pages().await.unwrap();
    let mut per_page = Vec::new();
    let mut ids = Vec::new();
    while let Some(changes) = round.next_page().await.unwrap() {
        per_page.push(changes.len());
        for c in changes {
            ids.push(match c {
                Change::Upserted(m) => format!("+{}", m.id),
                Change::Removed(r) => format!("-{}:{}", r.id, r.reason),
            });
            // nothing is stored while the round is read
            assert_eq!(store.load("mailbox:inbox").await.unwrap(), None);
        }
    }
    assert!(round.full_sync() && !round.resynced());
    assert_eq!(round.pages(), 4);
    assert_eq!(per_page.len(), 4, "one hand-over per page: {per_page:?}");
    // server order, the repeated id twice (apply in order: last version wins), the removal as sent
    assert_eq!(ids.iter().filter(|i| *i == "+AQMkADNkNAAAVRMKAAAAA==").count(), 2, "{ids:?}");
    assert_eq!(ids.last().map(String::as_str), Some("+arrived-while-paging"));
    assert!(ids.contains(&"-gone-1:changed".to_owned()), "{ids:?}");
    assert_eq!(round.delta_link(), Some(confirmed.as_str()));
    round.commit().await.unwrap();
    assert_eq!(store.load("mailbox:inbox").await.unwrap().as_deref(), Some(confirmed.as_str()));
}

#[tokio::test]
async fn a_round_given_up_before_its_last_page_stores_nothing() {
    let g = MockGraph::start().await;
    mount_round_one(&g).await;
    let store = Arc::new(MemoryDeltaStore::new());
    let sync = sync(g.client(), store.clone());
    let mut round = sync.pages().await.unwrap();
    for _ in 0..3 {
        assert!(round.next_page().await.unwrap().is_some());
    }
    // the first deltaLink was reached but not yet followed once more: the
    // round is not over and its token cannot be stored yet
    match round.commit().await {
        Err(Error::InvalidInput(m)) => assert!(m.contains("not read to its end"), "{m}"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert_eq!(store.load("mailbox:inbox").await.unwrap(), None);
}

/// Delta pages that never reach a deltaLink: page n links to page n + 1.
struct EndlessDelta {
    base: String,
}

impl wiremock::Respond for EndlessDelta {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let n: u32 =
            request.url.query_pairs().find(|(k, _)| k == "$skiptoken").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
        ok(json!({
            "value": [{"id": format!("m{n}"), "subject": "s"}],
            "@odata.nextLink": format!("{}/me/mailFolders/inbox/messages/delta?$skiptoken={}", self.base, n + 1),
        }))
    }
}

#[tokio::test]
async fn a_delta_round_that_never_ends_stops_at_max_pages_and_keeps_the_token() {
    let g = MockGraph::start().await;
    Mock::given(path(FOLDER_PATH)).respond_with(EndlessDelta { base: g.base_url() }).mount(&g.server).await;
    let store = Arc::new(MemoryDeltaStore::new());
    let err = sync(g.client(), store.clone()).max_pages(5).run().await.unwrap_err();
    assert!(matches!(err, Error::Paging(_)), "{err:?}");
    assert!(err.to_string().contains("5 pages"), "{err}");
    assert_eq!(g.requests().await.len(), 5, "no page fetched beyond the limit");
    assert_eq!(store.load("mailbox:inbox").await.unwrap(), None, "the token did not move");

    let mut round = sync(g.client(), store.clone()).max_pages(2).pages().await.unwrap();
    assert!(round.next_page().await.unwrap().is_some());
    assert!(round.next_page().await.unwrap().is_some());
    assert!(matches!(round.next_page().await, Err(Error::Paging(_))));
    assert_eq!(msgraph_core::delta::DEFAULT_MAX_PAGES, 100_000);
}
