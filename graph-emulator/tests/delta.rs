//! Delta queries on mail folders over plain HTTP.

mod common;

use std::collections::{HashMap, HashSet};

use common::{T, assert_graph_error, seg};
use msgraph_emulator::demo;
use serde_json::{Value, json};

/// Runs one delta round from `start` (a path or a deltaLink). Returns the
/// items, the number of pages and the deltaLink.
async fn round(t: &T, start: &str, headers: &[(&str, &str)]) -> (Vec<Value>, usize, String) {
    let mut url = t.url(start);
    let mut items = Vec::new();
    let mut pages = 0;
    loop {
        let r = t.get_with(&url, headers).await;
        assert_eq!(r.status, 200, "{url}: {}", r.json);
        pages += 1;
        items.extend(r.values());
        if let Some(next) = r.json["@odata.nextLink"].as_str() {
            assert!(next.contains("$skiptoken="), "{next}");
            assert!(r.json.get("@odata.deltaLink").is_none());
            url = next.to_owned();
            continue;
        }
        let delta = r.json["@odata.deltaLink"].as_str().expect("last page has a deltaLink");
        assert!(delta.starts_with(&t.emu.base_url()) && delta.contains("$deltatoken="), "{delta}");
        return (items, pages, delta.to_owned());
    }
}

#[tokio::test]
async fn initial_round_then_only_the_changes() {
    let t = T::start().await;
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    let prefer = [("Prefer", "odata.maxpagesize=5")];
    let (items, pages, delta_link) =
        round(&t, "/me/mailFolders/inbox/messages/delta?$select=subject,isRead,from", &prefer).await;
    assert_eq!(items.len(), inbox.len());
    assert_eq!(pages, inbox.len().div_ceil(5));
    assert!(items.iter().all(|m| m["@odata.type"] == "#microsoft.graph.message" && m.get("body").is_none()));

    // Nothing changed: an empty round.
    let (again, _, delta_link) = round(&t, &delta_link, &prefer).await;
    assert!(again.is_empty(), "{again:?}");

    // Change things: a new mail (to self), a read flag, a delete, a move out.
    let r = t
        .post("/me/sendMail", json!({"message": {"subject": "Note to self", "toRecipients": [{"emailAddress": {"address": demo::USER_UPN}}]}}))
        .await;
    assert_eq!(r.status, 202);
    let (read_id, gone_id, moved_id) =
        (inbox[0]["id"].as_str().unwrap(), inbox[1]["id"].as_str().unwrap(), inbox[2]["id"].as_str().unwrap());
    assert_eq!(t.patch(&format!("/me/messages/{}", seg(read_id)), json!({"isRead": true})).await.status, 200);
    assert_eq!(t.delete(&format!("/me/messages/{}", seg(gone_id))).await.status, 204);
    assert_eq!(
        t.post(&format!("/me/messages/{}/move", seg(moved_id)), json!({"destinationId": "archive"})).await.status,
        201
    );
    // A change elsewhere does not show.
    let sent = t.emu.messages(demo::USER_UPN, "sentitems").unwrap();
    t.patch(&format!("/me/messages/{}", seg(sent[0]["id"].as_str().unwrap())), json!({"isRead": false})).await;

    let (changes, _, next_link) = round(&t, &delta_link, &prefer).await;
    let removed: HashSet<&str> =
        changes.iter().filter(|c| c.get("@removed").is_some()).map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(removed, HashSet::from([gone_id, moved_id]));
    assert!(changes.iter().filter(|c| c.get("@removed").is_some()).all(|c| c["@removed"]["reason"] == "deleted"));
    let changed: HashMap<&str, &Value> =
        changes.iter().filter(|c| c.get("@removed").is_none()).map(|c| (c["id"].as_str().unwrap(), c)).collect();
    assert_eq!(changed.len(), 2, "{changes:?}");
    assert_eq!(changed[read_id]["isRead"], true);
    assert!(
        changed.values().any(|m| m["subject"] == "Note to self"),
        "the new mail, with the $select of the first round"
    );
    assert!(changed.values().all(|m| m.get("body").is_none()));

    // The deltaLink of a round can be used again (the same changes after it).
    let (same, _, _) = round(&t, &next_link, &[]).await;
    assert!(same.is_empty());
}

#[tokio::test]
async fn change_type_and_received_filter() {
    let t = T::start().await;
    let (_, _, link) = round(&t, "/me/mailFolders/inbox/messages/delta?changeType=created", &[]).await;
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    t.patch(&format!("/me/messages/{}", seg(inbox[0]["id"].as_str().unwrap())), json!({"isRead": true})).await;
    t.emu
        .add_message(
            demo::USER_UPN,
            "inbox",
            json!({"subject": "Arrived", "from": {"emailAddress": {"address": "x@example.com"}}}),
        )
        .unwrap();
    let (changes, _, _) = round(&t, &link, &[]).await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["subject"], "Arrived");

    let (recent, _, _) =
        round(&t, "/me/mailFolders/inbox/messages/delta?$filter=receivedDateTime ge 2024-03-12T00:00:00Z", &[]).await;
    assert!(!recent.is_empty());
    assert!(recent.iter().all(|m| m["receivedDateTime"].as_str().unwrap() >= "2024-03-12T00:00:00Z"));

    let bad = t.get("/me/mailFolders/inbox/messages/delta?$filter=isRead eq false").await;
    assert_graph_error(&bad, 400, "ErrorInvalidUrlQueryFilter");
    let bad = t.get("/me/mailFolders/inbox/messages/delta?changeType=sideways").await;
    assert_graph_error(&bad, 400, "BadRequest");
}

#[tokio::test]
async fn unknown_or_expired_tokens_are_410_sync_state_not_found() {
    let t = T::start().await;
    let r = t.get("/me/mailFolders/inbox/messages/delta?$deltatoken=made-up").await;
    assert_graph_error(&r, 410, "syncStateNotFound");
    let r = t.get("/me/mailFolders/inbox/messages/delta?$skiptoken=made-up").await;
    assert_graph_error(&r, 410, "syncStateNotFound");

    let first = t.get_with("/me/mailFolders/inbox/messages/delta", &[("Prefer", "odata.maxpagesize=4")]).await;
    let next = first.json["@odata.nextLink"].as_str().unwrap().to_owned();
    assert!(t.emu.delta_token_count() > 0);
    t.emu.expire_delta_tokens();
    assert_graph_error(&t.get(&next).await, 410, "syncStateNotFound");

    // A token of one folder is not valid on another.
    let (_, _, link) = round(&t, "/me/mailFolders/archive/messages/delta", &[]).await;
    let token = link.split("$deltatoken=").nth(1).unwrap();
    let r = t.get(&format!("/me/mailFolders/inbox/messages/delta?$deltatoken={token}")).await;
    assert_graph_error(&r, 410, "syncStateNotFound");
}

#[tokio::test]
async fn a_failed_page_can_be_fetched_again() {
    let t = T::start().await;
    let first = t.get_with("/me/mailFolders/inbox/messages/delta", &[("Prefer", "odata.maxpagesize=4")]).await;
    let next = first.json["@odata.nextLink"].as_str().unwrap().to_owned();
    let a = t.get_with(&next, &[("Prefer", "odata.maxpagesize=4")]).await;
    let b = t.get_with(&next, &[("Prefer", "odata.maxpagesize=4")]).await;
    assert_eq!(a.status, 200);
    let ids = |r: &common::Resp| r.values().iter().map(|m| m["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b), "the same skiptoken gives the same page");
    assert_eq!(a.values().len(), 4);
}
