//! Partitioned scans: boundaries found, one chain per range, merged.

use std::collections::BTreeSet;

use futures::TryStreamExt as _;
use msgraph_mail::MessageListExt as _;
use msgraph_mail::{MailExt, WellKnownFolder};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_invalid_input, graph};

const INBOX: &str = "/v1.0/me/mailFolders/inbox/messages";

fn msg(id: &str, at: &str) -> serde_json::Value {
    json!({"id": id, "subject": id, "receivedDateTime": at})
}

#[tokio::test]
async fn four_chains_over_disjoint_ranges_merge_every_message_once() {
    let (graph, client) = graph().await;
    let user = "isRead eq false";
    let edge_filter = format!("receivedDateTime ge 1601-01-01T00:00:00Z and ({user})");
    for (dir, at) in [("asc", "2026-01-01T00:00:00Z"), ("desc", "2026-01-05T00:00:00Z")] {
        Mock::given(method("GET"))
            .and(path(INBOX))
            .and(query_param("$top", "1"))
            .and(query_param("$select", "receivedDateTime"))
            .and(query_param("$orderby", format!("receivedDateTime {dir}")))
            .and(query_param("$filter", edge_filter.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"receivedDateTime": at}]})))
            .expect(1)
            .mount(&graph.server)
            .await;
    }
    let r = |range: &str| format!("{range} and ({user})");
    let chains = [
        (r("receivedDateTime lt 2026-01-02T00:00:00Z"), vec![msg("a", "2026-01-01T00:00:00Z")]),
        (
            r("receivedDateTime ge 2026-01-02T00:00:00Z and receivedDateTime lt 2026-01-03T00:00:00Z"),
            // on the boundary: this range only
            vec![msg("b", "2026-01-02T00:00:00Z"), msg("c", "2026-01-02T10:00:00Z")],
        ),
        (r("receivedDateTime ge 2026-01-03T00:00:00Z and receivedDateTime lt 2026-01-04T00:00:00Z"), vec![]),
        (
            r("receivedDateTime ge 2026-01-04T00:00:00Z"),
            vec![msg("d", "2026-01-04T00:00:00Z"), msg("e", "2026-01-05T00:00:00Z")],
        ),
    ];
    for (i, (filter, items)) in chains.into_iter().enumerate() {
        // the last chain has a second page
        let (first, second) =
            if i == 3 { (vec![items[0].clone()], Some(vec![items[1].clone()])) } else { (items, None) };
        let mut body = json!({"value": first});
        if second.is_some() {
            body["@odata.nextLink"] =
                json!(format!("{}/me/mailFolders/inbox/messages?$skiptoken=p2", graph.base_url()));
        }
        Mock::given(method("GET"))
            .and(path(INBOX))
            .and(query_param("$top", "50"))
            .and(query_param("$select", "id,subject,receivedDateTime"))
            .and(query_param("$orderby", "receivedDateTime asc"))
            .and(query_param("$filter", filter.as_str()))
            .and(query_param_is_missing("$skiptoken"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&graph.server)
            .await;
        if let Some(items) = second {
            Mock::given(method("GET"))
                .and(path(INBOX))
                .and(query_param("$skiptoken", "p2"))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": items})))
                .expect(1)
                .mount(&graph.server)
                .await;
        }
    }
    let scan = client
        .me()
        .messages()
        .list()
        .folder(WellKnownFolder::Inbox)
        .filter(user)
        .select(["id", "subject", "receivedDateTime"])
        .top(50)
        .partitioned(4)
        // the requests above, exactly: no range split again
        .work_stealing(false);
    let got: Vec<_> = scan.stream().try_collect().await.unwrap();
    let ids: Vec<String> = got.iter().filter_map(|m| m.id.clone()).collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert_eq!(unique.into_iter().cloned().collect::<Vec<_>>(), ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn an_empty_folder_is_one_chain_and_a_failing_chain_fails_the_stream() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path(INBOX))
        .and(query_param("$top", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .expect(2)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path(INBOX))
        .and(query_param("$filter", "receivedDateTime ge 1601-01-01T00:00:00Z"))
        .and(query_param("$orderby", "receivedDateTime asc"))
        .and(query_param_is_missing("$top"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": {"code": "InefficientFilter", "message": "The restriction or sort order is too complex for this operation."}}),
        ))
        .expect(1)
        .mount(&graph.server)
        .await;
    let scan = client.me().messages().list().folder(WellKnownFolder::Inbox).partitioned(4);
    let err = scan.stream().try_collect::<Vec<_>>().await.unwrap_err();
    assert!(err.to_string().contains("InefficientFilter"), "{err}");
}

#[tokio::test]
async fn what_cannot_be_partitioned_is_refused_before_sending() {
    let (graph, client) = graph().await;
    let list = || client.me().messages().list();
    let first = |s: msgraph_core::partition::PartitionedScan<msgraph_mail::Message>| async move {
        s.stream().try_collect::<Vec<_>>().await
    };
    assert_invalid_input(&graph, first(list().partitioned(0)).await, "1 to 16").await;
    assert_invalid_input(&graph, first(list().partitioned(17)).await, "1 to 16").await;
    assert_invalid_input(&graph, first(client.me().messages().search("invoice").partitioned(4)).await, "$search").await;
    assert_invalid_input(&graph, first(list().order_by("subject").partitioned(4)).await, "$orderby").await;
    assert_invalid_input(&graph, first(list().skip(10).partitioned(4)).await, "$skip").await;
    assert_invalid_input(&graph, first(list().partitioned_by("from/emailAddress", 4)).await, "plain property").await;
}

#[tokio::test]
async fn max_pages_holds_for_each_chain() {
    let (graph, client) = graph().await;
    let next = format!("{}/me/mailFolders/inbox/messages?$skiptoken=p2", graph.base_url());
    Mock::given(method("GET"))
        .and(path(INBOX))
        .and(query_param("$filter", "receivedDateTime ge 1601-01-01T00:00:00Z"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [msg("a", "2026-01-01T00:00:00Z")], "@odata.nextLink": next})),
        )
        .expect(1)
        .mount(&graph.server)
        .await;
    let mut items = client.me().messages().list().folder(WellKnownFolder::Inbox).max_pages(1).partitioned(1).stream();
    let first = items.try_next().await.unwrap().unwrap();
    assert_eq!(first.id.as_deref(), Some("a"));
    let err = items.try_next().await.unwrap_err();
    assert!(err.to_string().contains("max_pages"), "{err}");
}
