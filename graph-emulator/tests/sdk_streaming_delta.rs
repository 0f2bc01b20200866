//! Streaming delta rounds (`DeltaSync::pages`), per-request options and
//! immutable ids, through the SDK against the emulator.
//!
//! What the mail delta of one folder reports (Graph's
//! [delta query for messages](https://learn.microsoft.com/graph/delta-query-messages),
//! and the emulator follows it): a message that arrives in the folder is an
//! upsert; a message moved out of the folder or deleted is `@removed` (with
//! the id it had in the folder); a message moved *into* the folder is an
//! upsert in that folder's own delta, under the id the move returned.

mod sdk_common;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use msgraph_core::delta::{Change, DeltaPages, DeltaStore, JsonFileDeltaStore, MemoryDeltaStore, RemovedReason};
use msgraph_core::{Error, GraphClient, StaticTokenCredential, WithOptions};
use msgraph_emulator::{Emulator, Fault, RecordedRequest, demo};
use msgraph_mail::{MailExt, Message, WellKnownFolder};
use sdk_common::{Sdk, quick_retries};
use serde_json::json;

const INBOX_DELTA: &str = "/me/mailFolders/inbox/messages/delta";
const IMMUTABLE: &str = "IdType=\"ImmutableId\"";

/// An emulator with empty mailboxes and a client signed in as Adele.
async fn empty() -> Sdk {
    Sdk::with(Emulator::builder().seed(false)).await
}

/// Puts `n` messages in Adele's inbox as if they had arrived, oldest first.
/// Returns their ids in that order.
fn seed_inbox(s: &Sdk, n: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| {
            s.emu
                .add_message(
                    demo::USER_UPN,
                    "inbox",
                    json!({
                        "subject": format!("{tag} {i}"),
                        "from": {"emailAddress": {"address": "bulk@contoso.com", "name": "Bulk"}},
                        "receivedDateTime": format!("2024-03-{:02}T{:02}:{:02}:{:02}Z", 1 + i / 86_400 % 28, i / 3600 % 24, i / 60 % 60, i % 60),
                    }),
                )
                .expect("message added")
        })
        .collect()
}

/// Reads a round to its end, every change in Graph's order.
async fn drain(round: &mut DeltaPages<Message>) -> Vec<Change<Message>> {
    let mut all = Vec::new();
    while let Some(page) = round.next_page().await.expect("delta page") {
        all.extend(page);
    }
    all
}

fn id_of(m: &Message) -> String {
    m.id.clone().unwrap_or_default()
}

fn upserted(changes: &[Change<Message>]) -> HashSet<String> {
    changes.iter().filter_map(Change::upserted).map(id_of).collect()
}

fn removed(changes: &[Change<Message>]) -> HashSet<String> {
    changes.iter().filter_map(Change::removal).map(|r| r.id.clone()).collect()
}

fn set<I: IntoIterator<Item = S>, S: Into<String>>(ids: I) -> HashSet<String> {
    ids.into_iter().map(Into::into).collect()
}

/// The requests the emulator served whose path contains `part`.
fn served(s: &Sdk, method: &str, part: &str) -> Vec<RecordedRequest> {
    let part = part.to_ascii_lowercase();
    s.emu.requests().into_iter().filter(|r| r.method == method && r.path.to_ascii_lowercase().contains(&part)).collect()
}

fn prefer(r: &RecordedRequest) -> &str {
    r.header("prefer").unwrap_or_default()
}

#[tokio::test]
async fn twenty_thousand_messages_page_by_page_then_only_the_changes() {
    const N: usize = 20_000;
    const PAGE: usize = 200;
    let s = empty().await;

    let t = Instant::now();
    let seeded = seed_inbox(&s, N, "Bulk");
    let seeding = t.elapsed();

    let store = Arc::new(MemoryDeltaStore::new());
    let sync = s
        .client
        .me()
        .messages()
        .delta(WellKnownFolder::Inbox)
        .max_page_size(PAGE as u32)
        .store(store.clone(), "me:inbox");

    // Round 1: the whole folder, one page at a time; each message exactly once.
    let t = Instant::now();
    s.emu.clear_requests();
    let mut round = sync.pages().await.unwrap();
    assert!(round.full_sync() && !round.resynced());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(N);
    let mut non_empty_pages = 0;
    while let Some(page) = round.next_page().await.unwrap() {
        assert!(page.len() <= PAGE, "a page of {} items", page.len());
        non_empty_pages += usize::from(!page.is_empty());
        for change in page {
            match change {
                Change::Upserted(m) => *seen.entry(id_of(&m)).or_default() += 1,
                Change::Removed(r) => panic!("a first sync removes nothing: {r:?}"),
            }
        }
    }
    assert_eq!(seen.len(), N, "every message");
    assert!(seen.values().all(|&n| n == 1), "each message once");
    assert_eq!(seen.keys().cloned().collect::<HashSet<_>>(), set(seeded.iter().cloned()));
    assert_eq!(non_empty_pages, N / PAGE);
    // N / PAGE pages, then the deltaLink followed once more (an empty page).
    assert_eq!(round.pages(), N / PAGE + 1);
    let delta_requests = served(&s, "GET", "/messages/delta");
    assert_eq!(delta_requests.len(), N / PAGE + 1);
    assert!(delta_requests.iter().all(|r| prefer(r).contains("odata.maxpagesize=200")), "Prefer on every page");
    assert!(round.delta_link().is_some());
    assert!(store.load("me:inbox").await.unwrap().is_none(), "nothing stored before commit");
    round.commit().await.unwrap();
    let token1 = store.load("me:inbox").await.unwrap().expect("token stored by commit");
    let first_round = t.elapsed();

    // One message arrives, one is moved to the archive, one is deleted.
    let arrived = s
        .emu
        .add_message(
            demo::USER_UPN,
            "inbox",
            json!({"subject": "Fresh", "from": {"emailAddress": {"address": "x@contoso.com"}}}),
        )
        .unwrap();
    let moved_out = seeded[17].clone();
    let deleted = seeded[4242].clone();
    let moved = s.client.me().messages().move_to(&moved_out, WellKnownFolder::Archive).await.unwrap();
    let moved_id = id_of(&moved);
    assert_ne!(moved_id, moved_out, "without immutable ids a move gives a new id");
    s.client.me().messages().delete(&deleted).await.unwrap();

    // Round 2 on the inbox: exactly those three. The move and the delete are
    // both `@removed` under the id the message had in the inbox.
    let mut round = sync.pages().await.unwrap();
    assert!(!round.full_sync());
    let changes = drain(&mut round).await;
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(upserted(&changes), set([arrived.as_str()]));
    assert_eq!(removed(&changes), set([moved_out.as_str(), deleted.as_str()]));
    assert!(changes.iter().filter_map(Change::removal).all(|r| r.reason == RemovedReason::Deleted));
    let fresh = changes.iter().find_map(Change::upserted).unwrap();
    assert_eq!(fresh.subject.as_deref(), Some("Fresh"));
    round.commit().await.unwrap();
    let token2 = store.load("me:inbox").await.unwrap().unwrap();
    assert_ne!(token2, token1);

    // Round 3: nothing.
    let mut round = sync.pages().await.unwrap();
    let changes = drain(&mut round).await;
    assert!(changes.is_empty(), "{changes:?}");
    round.commit().await.unwrap();
    assert_ne!(store.load("me:inbox").await.unwrap().unwrap(), token2);

    // The archive's own delta has the moved message, under its new id.
    let mut archive = s.client.me().messages().delta(WellKnownFolder::Archive).pages().await.unwrap();
    let changes = drain(&mut archive).await;
    assert_eq!(upserted(&changes), set([moved_id.as_str()]));
    assert_eq!(changes.len(), 1);

    eprintln!("seeding {N} messages: {seeding:?}; first round ({} pages): {first_round:?}", N / PAGE + 1);
}

#[tokio::test]
async fn changes_made_while_paging_come_again_at_the_end_and_the_last_version_wins() {
    let s = empty().await;
    let seeded = seed_inbox(&s, 30, "Early");
    let sync = s.client.me().messages().delta(WellKnownFolder::Inbox).max_page_size(5);

    let mut round = sync.pages().await.unwrap();
    let first = round.next_page().await.unwrap().expect("a first page");
    // A first sync goes newest first: the last seeded message leads.
    let newest = seeded[29].clone();
    assert_eq!(first.first().and_then(Change::upserted).map(id_of).as_deref(), Some(newest.as_str()));
    assert_eq!(first.first().and_then(Change::upserted).and_then(|m| m.is_read), Some(false));
    let mut changes = first;

    // While the round is read: a message already handed out changes, one
    // not handed out yet goes away (the oldest, first in the server's list,
    // so every later item of the round moves in that list), one arrives.
    s.client.me().messages().mark_read(&newest).await.unwrap();
    let oldest = seeded[0].clone();
    s.client.me().messages().delete(&oldest).await.unwrap();
    let arrived = s
        .emu
        .add_message(
            demo::USER_UPN,
            "inbox",
            json!({"subject": "Meanwhile", "from": {"emailAddress": {"address": "m@contoso.com"}}}),
        )
        .unwrap();
    changes.extend(drain(&mut round).await);
    // 6 pages of 5, then the deltaLink followed once more: what changed meanwhile.
    assert_eq!(round.pages(), 7);

    // Graph's order, ids may repeat: `newest` twice, the old version first.
    let versions: Vec<Option<bool>> = changes
        .iter()
        .filter_map(Change::upserted)
        .filter(|m| m.id.as_deref() == Some(newest.as_str()))
        .map(|m| m.is_read)
        .collect();
    assert_eq!(versions, [Some(false), Some(true)]);
    assert!(!upserted(&changes).contains(&oldest), "{changes:?}");
    assert!(removed(&changes).contains(&oldest));
    assert_eq!(changes.iter().filter_map(Change::upserted).filter(|m| id_of(m) == arrived).count(), 1);

    // Applied in order, the changes give what the server holds.
    let mut mirror: HashMap<String, Message> = HashMap::new();
    for change in changes {
        match change {
            Change::Upserted(m) => {
                mirror.insert(id_of(&m), m);
            }
            Change::Removed(r) => {
                mirror.remove(&r.id);
            }
        }
    }
    assert_eq!(mirror.keys().cloned().collect::<HashSet<_>>(), set(s.ids_in("inbox")));
    assert_eq!(mirror[&newest].is_read, Some(true));
    assert_eq!(mirror[&arrived].subject.as_deref(), Some("Meanwhile"));
    round.commit().await.unwrap();

    // Nothing of that comes again.
    let mut next = sync.pages().await.unwrap();
    assert!(drain(&mut next).await.is_empty());
}

/// A directory under the system's temporary one, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let dir = std::env::temp_dir().join(format!("msgraph-streaming-delta-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn a_failure_on_page_3_leaves_the_stored_token_and_the_next_round_has_every_change() {
    let s = empty().await;
    let seeded = seed_inbox(&s, 30, "Old");
    let dir = TempDir::new("page3");
    let file = dir.0.join("delta.json");
    let store = Arc::new(JsonFileDeltaStore::new(&file));
    let sync = s.client.me().messages().delta(WellKnownFolder::Inbox).max_page_size(5).store(store.clone(), "me:inbox");

    // An earlier round, committed.
    let mut round = sync.pages().await.unwrap();
    assert_eq!(drain(&mut round).await.len(), 30);
    round.commit().await.unwrap();
    let token = store.load("me:inbox").await.unwrap().expect("committed token");
    let bytes = std::fs::read(&file).unwrap();

    // 20 arrive, 2 go, 1 is read: 23 changes, 5 pages of 5.
    let arrived = seed_inbox(&s, 20, "New");
    let gone = [seeded[3].clone(), seeded[11].clone()];
    for id in &gone {
        s.client.me().messages().delete(id).await.unwrap();
    }
    let read = seeded[20].clone();
    s.client.me().messages().mark_read(&read).await.unwrap();
    let expected_upserts = set(arrived.iter().cloned().chain([read.clone()]));
    let expected_removals = set(gone.iter().cloned());

    // Pages 1 and 2 come, page 3 fails (500 is not retried).
    let mut round = sync.pages().await.unwrap();
    assert!(!round.full_sync());
    let mut partial = Vec::new();
    for _ in 0..2 {
        let page = round.next_page().await.unwrap().expect("a page");
        assert_eq!(page.len(), 5);
        partial.extend(page);
    }
    s.emu.inject_fault(Fault::new(INBOX_DELTA, 500).method("GET"));
    let err = round.next_page().await.unwrap_err();
    assert_eq!(err.status(), Some(500), "{err}");
    assert_eq!(s.emu.pending_faults(), 0, "page 3 met the fault");
    assert_eq!(round.pages(), 2);
    // The round cannot go on past the failure, nor be committed.
    assert!(round.next_page().await.is_err(), "no page after a failed one");
    assert!(round.delta_link().is_none());
    let err = round.commit().await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert_eq!(store.load("me:inbox").await.unwrap().as_deref(), Some(token.as_str()), "token unchanged");
    assert_eq!(std::fs::read(&file).unwrap(), bytes, "file untouched");

    // The next round starts from the same token: every change, pages 1-2 again.
    let mut round = sync.pages().await.unwrap();
    assert!(!round.full_sync() && !round.resynced());
    let changes = drain(&mut round).await;
    assert_eq!(changes.len(), 23, "{changes:?}");
    assert_eq!(upserted(&changes), expected_upserts);
    assert_eq!(removed(&changes), expected_removals);
    assert!(upserted(&partial).is_subset(&expected_upserts) && removed(&partial).is_subset(&expected_removals));
    let read_now = changes.iter().filter_map(Change::upserted).find(|m| id_of(m) == read).unwrap();
    assert_eq!(read_now.is_read, Some(true));
    round.commit().await.unwrap();
    let after = store.load("me:inbox").await.unwrap().unwrap();
    assert_ne!(after, token);
    assert_ne!(std::fs::read(&file).unwrap(), bytes);

    let mut quiet = sync.pages().await.unwrap();
    assert!(drain(&mut quiet).await.is_empty());
}

#[tokio::test]
async fn committing_before_the_last_page_is_invalid_input_and_stores_nothing() {
    let s = empty().await;
    let seeded = seed_inbox(&s, 12, "Item");
    let store = Arc::new(MemoryDeltaStore::new());
    let sync = s.client.me().messages().delta(WellKnownFolder::Inbox).max_page_size(5).store(store.clone(), "k");

    // First sync: before any page, after one page, after the last item
    // page but before the confirming request (`next_page` not yet `None`).
    let round = sync.pages().await.unwrap();
    assert!(matches!(round.commit().await, Err(Error::InvalidInput(_))));
    let mut round = sync.pages().await.unwrap();
    round.next_page().await.unwrap().unwrap();
    assert!(matches!(round.commit().await, Err(Error::InvalidInput(_))));
    let mut round = sync.pages().await.unwrap();
    let mut items = 0;
    while items < 12 {
        items += round.next_page().await.unwrap().expect("more pages").len();
    }
    assert!(round.delta_link().is_none(), "the deltaLink is not confirmed yet");
    assert!(matches!(round.commit().await, Err(Error::InvalidInput(_))));
    assert!(store.load("k").await.unwrap().is_none(), "nothing stored");

    // The same from a stored token.
    let mut round = sync.pages().await.unwrap();
    assert_eq!(drain(&mut round).await.len(), 12);
    round.commit().await.unwrap();
    let token = store.load("k").await.unwrap().unwrap();
    s.client.me().messages().delete(&seeded[0]).await.unwrap();
    let round = sync.pages().await.unwrap();
    assert!(matches!(round.commit().await, Err(Error::InvalidInput(_))));
    let mut round = sync.pages().await.unwrap();
    assert_eq!(round.next_page().await.unwrap().map(|p| p.len()), Some(1));
    assert!(matches!(round.commit().await, Err(Error::InvalidInput(_))));
    assert_eq!(store.load("k").await.unwrap(), Some(token));
    let mut round = sync.pages().await.unwrap();
    assert_eq!(removed(&drain(&mut round).await), set([seeded[0].as_str()]));
}

#[tokio::test]
async fn a_503_on_page_3_is_retried_and_a_410_mid_round_is_an_error_not_a_resync() {
    let s = empty().await;
    let seeded = seed_inbox(&s, 20, "Item");
    let store = Arc::new(MemoryDeltaStore::new());
    let sync = s.client.me().messages().delta(WellKnownFolder::Inbox).max_page_size(5).store(store.clone(), "k");

    // A 503 with Retry-After 0 on page 3: the pipeline retries it, the round completes.
    let mut round = sync.pages().await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..2 {
        ids.extend(upserted(&round.next_page().await.unwrap().unwrap()));
    }
    s.emu.inject_fault(Fault::new(INBOX_DELTA, 503).method("GET").retry_after(0));
    ids.extend(upserted(&drain(&mut round).await));
    assert_eq!(s.emu.pending_faults(), 0);
    assert_eq!(ids.len(), 20);
    assert_eq!(set(ids), set(seeded.iter().cloned()));
    round.commit().await.unwrap();
    let token = store.load("k").await.unwrap().unwrap();

    // 12 arrive; the skip token of page 3 is refused with 410: the round
    // fails (pages 1-2 were handed out, so this is no silent resync), the
    // stored token stays and still works.
    let arrived = seed_inbox(&s, 12, "Later");
    let mut round = sync.pages().await.unwrap();
    round.next_page().await.unwrap().unwrap();
    round.next_page().await.unwrap().unwrap();
    s.emu.inject_fault(Fault::new(INBOX_DELTA, 410).method("GET").code("syncStateNotFound"));
    let err = round.next_page().await.unwrap_err();
    assert_eq!(err.status(), Some(410), "{err}");
    assert!(!round.resynced());
    assert!(matches!(round.commit().await, Err(Error::InvalidInput(_))));
    assert_eq!(store.load("k").await.unwrap().as_deref(), Some(token.as_str()));
    let mut round = sync.pages().await.unwrap();
    let changes = drain(&mut round).await;
    assert!(!round.resynced());
    assert_eq!(upserted(&changes), set(arrived));
    assert_eq!(changes.len(), 12);
}

/// Builds the client the immutable-id tests use: Adele's token, quick
/// retries, and optionally immutable ids on every operation.
fn client(s: &Sdk, immutable_by_default: bool) -> GraphClient {
    let token = s.emu.issue_token(demo::USER_UPN).unwrap();
    let mut builder = GraphClient::builder()
        .base_url(s.emu.base_url())
        .credential(StaticTokenCredential::new(token))
        .retry_policy(quick_retries());
    if immutable_by_default {
        builder = builder.immutable_ids(true);
    }
    builder.build().unwrap()
}

/// Inbox and archive syncs, committed once (so the next rounds report changes).
async fn synced_folders(
    client: &GraphClient,
    per_request: Option<bool>,
) -> (msgraph_core::delta::DeltaSync<Message>, msgraph_core::delta::DeltaSync<Message>) {
    let store = Arc::new(MemoryDeltaStore::new());
    let mut inbox = client.me().messages().delta(WellKnownFolder::Inbox).max_page_size(2).store(store.clone(), "inbox");
    let mut archive = client.me().messages().delta(WellKnownFolder::Archive).max_page_size(2).store(store, "archive");
    if let Some(on) = per_request {
        inbox = inbox.immutable_ids(on).header("x-sync", "inbox");
        archive = archive.immutable_ids(on).header("x-sync", "archive");
    }
    let mut round = archive.pages().await.unwrap();
    assert!(drain(&mut round).await.is_empty());
    round.commit().await.unwrap();
    (inbox, archive)
}

/// A delta round on the inbox (page by page), committed.
async fn inbox_round(inbox: &msgraph_core::delta::DeltaSync<Message>) -> Vec<Change<Message>> {
    let mut round = inbox.pages().await.unwrap();
    let changes = drain(&mut round).await;
    round.commit().await.unwrap();
    changes
}

#[tokio::test]
async fn immutable_ids_per_request_keep_the_id_across_a_move() {
    let s = empty().await;
    let others = seed_inbox(&s, 4, "Other");
    let x = s.emu.add_message(demo::USER_UPN, "inbox", json!({"subject": "X"})).unwrap();
    let client = client(&s, false);
    s.emu.clear_requests();
    let (inbox, archive) = synced_folders(&client, Some(true)).await;

    // The inbox round sees X with id A.
    let changes = inbox_round(&inbox).await;
    let a = changes.iter().filter_map(Change::upserted).find(|m| m.subject.as_deref() == Some("X")).map(id_of);
    assert_eq!(a.as_deref(), Some(x.as_str()));
    assert_eq!(upserted(&changes), set(others.iter().cloned().chain([x.clone()])));

    let moved = client.me().messages().move_to(&x, WellKnownFolder::Archive).immutable_ids(true).await.unwrap();
    assert_eq!(moved.id.as_deref(), Some(x.as_str()), "the move keeps the id");
    let archive_id =
        s.emu.folders(demo::USER_UPN).unwrap().into_iter().find(|f| f["wellKnownName"] == "archive").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
    assert_eq!(moved.parent_folder_id.as_deref(), Some(archive_id.as_str()));
    assert_eq!(s.ids_in("archive"), [x.as_str()]);
    let posts = served(&s, "POST", "/move");
    assert_eq!(posts.len(), 1);
    assert!(prefer(&posts[0]).contains(IMMUTABLE), "{:?}", posts[0].headers);

    // The archive reports A as new; the inbox reports A as removed.
    let mut round = archive.pages().await.unwrap();
    let changes = drain(&mut round).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(upserted(&changes), set([x.as_str()]));
    round.commit().await.unwrap();
    let changes = inbox_round(&inbox).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(removed(&changes), set([x.as_str()]));

    // Every page of every round (first page, nextLinks, the confirming
    // deltaLink) carried the per-request options.
    let pages = served(&s, "GET", "/messages/delta");
    assert_eq!(pages.len(), 2 + 4 + 2 + 2, "archive, inbox (5 items), archive, inbox");
    for p in &pages {
        assert!(prefer(p).contains(IMMUTABLE) && prefer(p).contains("odata.maxpagesize=2"), "{:?}", p.headers);
        assert!(matches!(p.header("x-sync"), Some("inbox" | "archive")), "{:?}", p.headers);
    }
}

#[tokio::test]
async fn immutable_ids_as_the_client_default_keep_the_id_across_a_move() {
    let s = empty().await;
    seed_inbox(&s, 3, "Other");
    let x = s.emu.add_message(demo::USER_UPN, "inbox", json!({"subject": "X"})).unwrap();
    let client = client(&s, true);
    let (inbox, archive) = synced_folders(&client, None).await;
    assert!(upserted(&inbox_round(&inbox).await).contains(&x));

    s.emu.clear_requests();
    let moved = client.me().messages().move_to(&x, WellKnownFolder::Archive).await.unwrap();
    assert_eq!(moved.id.as_deref(), Some(x.as_str()), "the move keeps the id");
    let mut round = archive.pages().await.unwrap();
    assert_eq!(upserted(&drain(&mut round).await), set([x.as_str()]));
    round.commit().await.unwrap();
    assert_eq!(removed(&inbox_round(&inbox).await), set([x.as_str()]));

    let log = s.emu.requests();
    assert!(log.len() >= 3);
    for r in &log {
        assert!(prefer(r).contains(IMMUTABLE), "{} {} {:?}", r.method, r.path, r.headers);
    }
}

#[tokio::test]
async fn immutable_ids_false_on_a_request_overrides_the_client_default() {
    let s = empty().await;
    seed_inbox(&s, 3, "Other");
    let b = s.emu.add_message(demo::USER_UPN, "inbox", json!({"subject": "B"})).unwrap();
    let client = client(&s, true);
    let (inbox, archive) = synced_folders(&client, None).await;
    assert!(upserted(&inbox_round(&inbox).await).contains(&b));

    s.emu.clear_requests();
    let moved = client.me().messages().move_to(&b, WellKnownFolder::Archive).immutable_ids(false).await.unwrap();
    let new_id = id_of(&moved);
    assert_ne!(new_id, b, "a move without immutable ids gives a new id");
    assert_eq!(s.ids_in("archive"), [new_id.as_str()]);
    let posts = served(&s, "POST", "/move");
    assert_eq!(posts.len(), 1);
    assert!(!prefer(&posts[0]).contains("IdType"), "{:?}", posts[0].headers);

    // The syncs (client default on) report the new id in the archive, the old one gone from the inbox.
    let mut round = archive.pages().await.unwrap();
    assert_eq!(upserted(&drain(&mut round).await), set([new_id.as_str()]));
    round.commit().await.unwrap();
    assert_eq!(removed(&inbox_round(&inbox).await), set([b.as_str()]));

    // And the other way: the default on, a delta that turns it off for itself.
    let plain = client.me().messages().delta(WellKnownFolder::Archive).immutable_ids(false);
    s.emu.clear_requests();
    let mut round = plain.pages().await.unwrap();
    assert_eq!(upserted(&drain(&mut round).await), set([new_id.as_str()]));
    let pages = served(&s, "GET", "/messages/delta");
    assert!(!pages.is_empty());
    assert!(pages.iter().all(|p| !prefer(p).contains("IdType")), "{pages:?}");
}

/// A page with an item that cannot be read (a `receivedDateTime` that is
/// not a date) fails the round for good: a caller that reads on gets an
/// error, not the next pages, and `commit` is `InvalidInput`, so the rest of
/// the failed page is never skipped past (the SDK bug this test found: the
/// round could be read on and committed, losing the page's other items).
#[tokio::test]
async fn a_page_that_failed_to_read_cannot_be_skipped_and_committed() {
    let s = empty().await;
    let store = Arc::new(MemoryDeltaStore::new());
    let sync = s.client.me().messages().delta(WellKnownFolder::Inbox).max_page_size(5).store(store.clone(), "k");
    let mut round = sync.pages().await.unwrap();
    assert!(drain(&mut round).await.is_empty());
    round.commit().await.unwrap();
    let token = store.load("k").await.unwrap().unwrap();

    // Page 1: three good, one unreadable, one good. Page 2: two good.
    let mut good = seed_inbox(&s, 3, "Good");
    s.emu.add_message(demo::USER_UPN, "inbox", json!({"subject": "Bad", "receivedDateTime": "not a date"})).unwrap();
    good.extend(seed_inbox(&s, 3, "Also good"));

    let mut round = sync.pages().await.unwrap();
    let err = round.next_page().await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    // A caller that logs the error and reads on gets nothing more: the round failed for good.
    let again = round.next_page().await;
    assert!(matches!(again, Err(Error::Paging(_))), "{again:?}");
    let committed = round.commit().await;
    assert!(
        matches!(committed, Err(Error::InvalidInput(_))),
        "a round with a failed page was committed: {committed:?}"
    );
    // the token did not move: the next round starts where this one did and meets the same page
    assert_eq!(store.load("k").await.unwrap(), Some(token));
    let mut next = sync.pages().await.unwrap();
    assert!(next.next_page().await.is_err(), "the unreadable item is reported again, never skipped");
    assert_eq!(good.len(), 6);
}
