//! Delta sync through core's `DeltaSync` (mail folders and calendar views)
//! and `$batch` through core's `Batch`, against the emulator.

mod sdk_common;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use msgraph_calendar::CalendarExt;
use msgraph_core::batch::Batch;
use msgraph_core::delta::{Change, DeltaStore, MemoryDeltaStore, RemovedReason};
use msgraph_emulator::{Emulator, demo};
use msgraph_mail::{MailExt, Message, NewMessage, WellKnownFolder};
use sdk_common::Sdk;
use serde_json::json;

fn upserted_ids(changes: &[Change<Message>]) -> Vec<String> {
    changes.iter().filter_map(Change::upserted).map(|m| m.id.clone().unwrap_or_default()).collect()
}

#[tokio::test]
async fn mail_delta_full_then_only_the_changes() {
    let s = Sdk::start().await;
    let store = Arc::new(MemoryDeltaStore::default());
    let sync = s.client.me().messages().delta(WellKnownFolder::Inbox).max_page_size(7).store(store.clone(), "me:inbox");

    // Round 1: the whole folder.
    let first = sync.run().await.unwrap();
    assert!(first.full_sync() && !first.resynced());
    let inbox = s.ids_in("inbox");
    assert_eq!(upserted_ids(first.changes()).into_iter().collect::<HashSet<_>>(), inbox.iter().cloned().collect());
    assert_eq!(first.changes().len(), inbox.len(), "each message once");
    assert!(first.pages() >= inbox.len().div_ceil(7));
    assert!(store.load("me:inbox").await.unwrap().is_none(), "nothing stored before commit");
    first.commit().await.unwrap();
    assert!(store.load("me:inbox").await.unwrap().is_some());

    // Quiet: nothing changed.
    let quiet = sync.run().await.unwrap();
    assert!(!quiet.full_sync());
    assert!(quiet.changes().is_empty(), "{:?}", quiet.changes());
    quiet.commit().await.unwrap();

    // A message arrives: round 2 shows only it.
    let arrived = s
        .emu
        .add_message(
            demo::USER_UPN,
            "inbox",
            json!({"subject": "Fresh news", "from": {"emailAddress": {"address": "news@contoso.com", "name": "Contoso News"}}}),
        )
        .unwrap();
    let second = sync.run().await.unwrap();
    assert_eq!(upserted_ids(second.changes()), vec![arrived.as_str()]);
    let m = second.upserted().next().unwrap();
    assert_eq!(m.subject.as_deref(), Some("Fresh news"));
    assert_eq!(m.is_read, Some(false));
    // Not committed: the next run sees it again.
    drop(second);
    let again = sync.run().await.unwrap();
    assert_eq!(upserted_ids(again.changes()), vec![arrived.as_str()]);
    again.commit().await.unwrap();

    // A mail sent to self, a read flag, a delete and a move out.
    s.client.me().send_mail(NewMessage::new().to([demo::USER_UPN]).subject("Note to self")).await.unwrap();
    let read = inbox[0].clone();
    let gone = inbox[1].clone();
    let moved = inbox[2].clone();
    s.client.me().messages().mark_read(&read).await.unwrap();
    s.client.me().messages().delete(&gone).await.unwrap();
    s.client.me().messages().move_to(&moved, WellKnownFolder::Archive).await.unwrap();
    let third = sync.run().await.unwrap();
    let removed: HashSet<&str> = third.removed().map(|r| r.id.as_str()).collect();
    assert_eq!(removed, HashSet::from([gone.as_str(), moved.as_str()]));
    assert!(third.removed().all(|r| r.reason == RemovedReason::Deleted));
    let upserted: Vec<&Message> = third.upserted().collect();
    assert_eq!(upserted.len(), 2, "{:?}", third.changes());
    assert!(upserted.iter().any(|m| m.id.as_deref() == Some(read.as_str()) && m.is_read == Some(true)));
    assert!(upserted.iter().any(|m| m.subject.as_deref() == Some("Note to self")));
    third.commit().await.unwrap();

    // The sync state expires on the server: the next round is a full resync.
    s.emu.expire_delta_tokens();
    let resync = sync.run().await.unwrap();
    assert!(resync.resynced() && resync.full_sync());
    assert_eq!(
        upserted_ids(resync.changes()).into_iter().collect::<HashSet<_>>(),
        s.ids_in("inbox").into_iter().collect()
    );
    assert!(resync.removed().next().is_none());
    resync.commit().await.unwrap();
}

#[tokio::test]
async fn calendar_view_delta_reports_added_changed_and_removed() {
    let s = Sdk::start().await;
    let start = Utc.with_ymd_and_hms(2024, 3, 11, 7, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2024, 3, 18, 7, 0, 0).unwrap();
    let sync = s.client.me().calendar_view_delta(start, end).max_page_size(5);
    let first = sync.run().await.unwrap();
    assert_eq!(first.changes().len(), 17);
    let standup = first.upserted().find(|e| e.subject.as_deref() == Some("Daily standup")).unwrap().id.clone().unwrap();
    first.commit().await.unwrap();

    let coffee = s
        .emu
        .add_event(
            demo::USER_UPN,
            json!({"subject": "Coffee", "start": {"dateTime": "2024-03-13T17:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2024-03-13T17:30:00", "timeZone": "UTC"}}),
        )
        .unwrap();
    s.client.me().events().delete(&standup).send().await.unwrap();
    let second = sync.run().await.unwrap();
    let added: Vec<_> = second.upserted().map(|e| e.id.clone().unwrap()).collect();
    assert_eq!(added, [coffee]);
    assert_eq!(second.removed().map(|r| r.id.clone()).collect::<Vec<_>>(), [standup]);
}

#[tokio::test]
async fn batch_of_45_gets_goes_out_as_3_requests() {
    let s = Sdk::with(Emulator::builder().seed(false)).await;
    let ids: Vec<String> = (0..45)
        .map(|i| {
            s.emu
                .add_message(
                    demo::USER_UPN,
                    "inbox",
                    json!({"subject": format!("Item {i}"), "from": {"emailAddress": {"address": "a@example.com"}}}),
                )
                .unwrap()
        })
        .collect();
    let mut batch = Batch::new();
    let keys: Vec<_> = ids
        .iter()
        .map(|id| batch.add::<Message>(s.client.me().messages().get(id).select(["subject"]).into_request().unwrap()))
        .collect();
    s.emu.clear_requests();

    let responses = s.client.batch(batch).send().await.unwrap();
    assert_eq!(responses.len(), 45);
    assert_eq!(responses.http_requests(), 3);
    let log = s.emu.requests();
    let batches: Vec<_> = log.iter().filter(|r| r.method == "POST" && r.path == "/v1.0/$batch").collect();
    assert_eq!(batches.len(), 3, "20 + 20 + 5");
    assert_eq!(log.len(), 3, "nothing else went out");
    for (i, (key, id)) in keys.iter().zip(&ids).enumerate() {
        let m = responses.get(key).unwrap_or_else(|e| panic!("item {i}: {e}"));
        assert_eq!(m.id.as_deref(), Some(id.as_str()));
        assert_eq!(m.subject.as_deref(), Some(format!("Item {i}").as_str()));
        assert!(m.body.is_none(), "$select applied inside the batch");
    }

    // A failing item is a typed error of that item only.
    let mut batch = Batch::new();
    let ok = batch.add::<Message>(s.client.me().messages().get(&ids[0]).into_request().unwrap());
    let missing =
        batch.add::<Message>(s.client.me().messages().get("AAMkAGI2TG93AAAAAAAAAAAAAAAA=").into_request().unwrap());
    let responses = s.client.batch(batch).send().await.unwrap();
    assert_eq!(responses.get(&ok).unwrap().id.as_deref(), Some(ids[0].as_str()));
    let err = responses.get(&missing).unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some("ErrorItemNotFound")));
}
