//! msgraph-drive driven against the emulator's OneDrive: the end-to-end
//! path of the drive issue (folder → 12 MiB upload with progress → list →
//! search by kind → download byte-identical → rename → copy through the
//! monitor → delete → a delta round shows the changes), and the operations
//! one by one.

mod sdk_common;

use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use msgraph_core::WithOptions as _;
use msgraph_core::delta::MemoryDeltaStore;
use msgraph_drive::{
    ConflictBehavior, DriveByIdExt, DriveExt, DriveItem, FileKind, ItemRef, ItemReference, LinkScope, LinkType,
    SpecialFolder,
};
use msgraph_emulator::demo;
use sdk_common::Sdk;

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 253) as u8 ^ (i >> 10) as u8).collect()
}

#[tokio::test]
async fn the_drive_issue_end_to_end() {
    let s = Sdk::start().await;
    let drive = s.client.me().drive();

    // a delta round first, so the second shows only what this test changes
    let deltas = Arc::new(MemoryDeltaStore::new());
    let round = drive.delta(ItemRef::Root).store(deltas.clone(), "root").run().await.unwrap();
    assert!(round.full_sync());
    round.commit().await.unwrap();

    let folder = drive.create_folder(ItemRef::Root, "E2E").conflict(ConflictBehavior::Fail).await.unwrap();
    assert!(folder.is_folder());

    let big = data(12 * 1024 * 1024);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let p = seen.clone();
    let uploaded = drive
        .upload(&folder, "Quarterly review.pptx", big.clone())
        .on_progress(move |sent, total| p.lock().unwrap().push((sent, total)))
        .await
        .unwrap();
    let progress = seen.lock().unwrap().clone();
    assert!(progress.len() >= 2, "an upload session reports each slice: {progress:?}");
    assert_eq!(progress.last().copied(), Some((big.len() as u64, big.len() as u64)));
    assert_eq!(uploaded.size, Some(big.len() as i64));

    let listed = drive.list("/E2E").send().await.unwrap();
    assert_eq!(listed.value.iter().filter_map(|i| i.name.as_deref()).collect::<Vec<_>>(), ["Quarterly review.pptx"]);

    let decks: Vec<DriveItem> =
        drive.search("Quarterly").kind(FileKind::PowerPoint).stream().try_collect().await.unwrap();
    assert!(decks.iter().any(|d| d.id == uploaded.id), "found by kind: {decks:?}");

    let dir = std::env::temp_dir().join(format!("msgraph-sdk-drive-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let back = dir.join("back.pptx");
    let n = drive.download(&uploaded).to_file(&back).await.unwrap();
    assert_eq!(n, big.len() as u64);
    assert!(std::fs::read(&back).unwrap() == big, "byte-identical");
    std::fs::remove_dir_all(&dir).unwrap();

    let renamed = drive.rename(&uploaded, "Q3 review.pptx").await.unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Q3 review.pptx"));

    let copy = drive.copy(&renamed, ItemReference::path("/Documents")).name("Q3 review (copy).pptx").await.unwrap();
    assert_eq!(copy.name.as_deref(), Some("Q3 review (copy).pptx"));
    let in_docs = drive.item("/Documents/Q3 review (copy).pptx").await.unwrap();
    assert_eq!(in_docs.id, copy.id);

    drive.delete(&renamed).await.unwrap();
    let err = drive.item(&renamed).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");

    let round = drive.delta(ItemRef::Root).store(deltas, "root").run().await.unwrap();
    let removed: Vec<&str> = round.removed().map(|r| r.id.as_str()).collect();
    let upserted: Vec<&str> = round.upserted().filter_map(|i| i.name.as_deref()).collect();
    assert!(removed.contains(&renamed.id.as_deref().unwrap()), "the deleted file is a removal: {removed:?}");
    assert!(upserted.contains(&"E2E"), "{upserted:?}");
    assert!(upserted.contains(&"Q3 review (copy).pptx"), "{upserted:?}");
    round.commit().await.unwrap();
}

#[tokio::test]
async fn small_files_links_versions_and_conflicts() {
    let s = Sdk::start().await;
    let drive = s.client.me().drive();
    let info = drive.get().await.unwrap();
    assert!(info.quota.is_some() && info.owner.is_some());

    let f = drive.upload("/Documents", "notes #1 & 100%.txt", b"first".to_vec()).await.unwrap();
    assert_eq!(drive.text("/Documents/notes #1 & 100%.txt").await.unwrap(), "first");
    // a clash fails by default, replaces on request (a new version)
    let clash = drive.upload("/Documents", "notes #1 & 100%.txt", b"x".to_vec()).await.unwrap_err();
    assert!(clash.is_conflict(), "{clash}");
    drive
        .upload("/Documents", "notes #1 & 100%.txt", b"second".to_vec())
        .conflict(ConflictBehavior::Replace)
        .await
        .unwrap();
    assert_eq!(&drive.content(&f).await.unwrap()[..], b"second");
    let versions = drive.versions(&f).send().await.unwrap();
    assert!(versions.value.len() >= 2, "{versions:?}");

    let link = drive.create_link(&f, LinkType::View).scope(LinkScope::Organization).await.unwrap();
    assert!(link.link.as_ref().and_then(|l| l.web_url.as_ref()).is_some());
    let perms = drive.permissions(&f).send().await.unwrap();
    let id = link.id.clone().unwrap();
    assert!(perms.value.iter().any(|p| p.id.as_deref() == Some(id.as_str())));
    drive.delete_permission(&f, id).await.unwrap();

    // a name OneDrive forbids never reaches the server
    let before = s.emu.requests().len();
    assert!(drive.create_folder("/", "a:b").await.is_err());
    assert_eq!(s.emu.requests().len(), before);
}

#[tokio::test]
async fn drives_items_listing_and_search_through_the_sdk() {
    let s = Sdk::start().await;
    let drive = s.client.me().drive();
    let mine = drive.get().await.unwrap();
    let id = mine.id.clone().unwrap();
    let listed = s.client.me().drives().send().await.unwrap();
    assert_eq!(listed.value.iter().map(|d| d.id.clone().unwrap()).collect::<Vec<_>>(), [id.as_str()]);
    assert_eq!(s.client.user(demo::USER_UPN).drive().get().await.unwrap().id, mine.id);
    let by_id = s.client.drive_by_id(&id);
    assert_eq!(by_id.get().await.unwrap().id, mine.id);

    // one item by path, by id, through another drive handle and as a special folder
    let report = drive.item("/Documents/report.pdf").await.unwrap();
    assert_eq!(by_id.item(report.id.as_deref().unwrap()).await.unwrap(), drive.item(&report).await.unwrap());
    assert!(FileKind::Pdf.matches(&report) && report.file.as_ref().unwrap().hashes.is_some());
    let docs = drive.special(SpecialFolder::Documents).await.unwrap();
    assert_eq!(docs.name.as_deref(), Some("Documents"));
    assert_eq!(docs.special_folder.and_then(|f| f.name).as_deref(), Some("documents"));
    assert!(drive.special(SpecialFolder::AppRoot).await.unwrap().is_folder());
    let missing = drive.item("/Documents/nothing here.pdf").await.unwrap_err();
    assert!(missing.is_not_found() && missing.code() == Some("itemNotFound"), "{missing}");

    // 205 children: pages of 200 through the pager, with $select and $orderby
    for i in 0..205 {
        s.emu.add_drive_file(demo::USER_UPN, &format!("/Bulk/file-{i:03}.txt"), format!("file {i}")).unwrap();
    }
    s.emu.clear_requests();
    let first = drive.list("/Bulk").send().await.unwrap();
    assert_eq!(first.value.len(), 200);
    let all: Vec<DriveItem> =
        drive.list("/Bulk").select(["id", "name", "size"]).order_by("name desc").stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 205);
    assert_eq!(all[0].name.as_deref(), Some("file-204.txt"));
    assert!(all.iter().all(|i| i.file.is_none() && i.size.is_some()), "only the selected properties");
    assert_eq!(s.emu.requests().iter().filter(|r| r.path.contains("Bulk")).count(), 3, "1 + 2 pages");
    let pics = drive.list("/Pictures").expand(["thumbnails"]).send().await.unwrap();
    assert!(pics.value.iter().all(|p| p.thumbnails.as_ref().is_some_and(|t| t[0].large.is_some())), "{pics:?}");
    let sets = drive.thumbnails("/Pictures/team-offsite.png").send().await.unwrap();
    assert_eq!(sets.value[0].large.as_ref().unwrap().width, Some(800));

    // drive-wide search finds what Alex shared, with remoteItem
    let alex = s.client.user(demo::SECOND_USER_UPN).drive().get().await.unwrap();
    let shared: Vec<DriveItem> =
        drive.search_all("pitch").kind(FileKind::PowerPoint).stream().try_collect().await.unwrap();
    let pitch = shared.iter().find(|i| i.name.as_deref() == Some("Contoso Sales Pitch.pptx")).expect("shared deck");
    let remote = pitch.remote_item.as_ref().unwrap();
    assert_eq!(remote.parent_reference.as_ref().unwrap().drive_id, alex.id);
    let in_mine: Vec<DriveItem> = drive.search("pitch").stream().try_collect().await.unwrap();
    assert!(in_mine.is_empty(), "root search stays in the drive: {in_mine:?}");
    let budget: Vec<DriveItem> = drive.search("budget").name_like("*.txt").stream().try_collect().await.unwrap();
    assert_eq!(budget.iter().filter_map(|i| i.name.as_deref()).collect::<Vec<_>>(), ["notes.txt"], "by content");
}

#[tokio::test]
async fn move_etags_restore_versions_and_delta_from_now_through_the_sdk() {
    let s = Sdk::start().await;
    let drive = s.client.me().drive();
    let deltas = Arc::new(MemoryDeltaStore::new());
    let latest = drive.delta(ItemRef::Root).param("token", "latest").store(deltas.clone(), "root").run().await.unwrap();
    assert!(latest.changes().is_empty(), "token=latest: nothing now");
    latest.commit().await.unwrap();

    // folders: fail (the default) is a conflict, rename makes "Moved 1"
    let moved_to = drive.create_folder(ItemRef::Root, "Moved").await.unwrap();
    assert!(drive.create_folder(ItemRef::Root, "Moved").await.unwrap_err().is_conflict());
    let other = drive.create_folder("/", "Moved").conflict(ConflictBehavior::Rename).await.unwrap();
    assert_eq!(other.name.as_deref(), Some("Moved 1"));

    // move with a new name; a stale eTag is a precondition failure
    let notes = drive.item("/Documents/notes.txt").await.unwrap();
    let stale = notes.e_tag.clone().unwrap();
    let moved = drive
        .move_to(&notes, ItemReference::id(moved_to.id.clone().unwrap()), Some("notes (moved).txt".into()))
        .header("If-Match", &stale)
        .await
        .unwrap();
    assert_eq!(moved.parent_reference.as_ref().and_then(|p| p.id.clone()), moved_to.id);
    assert_eq!(drive.item("/Moved/notes (moved).txt").await.unwrap().id, notes.id);
    let err = drive.rename(&notes, "again.txt").header("If-Match", &stale).await.unwrap_err();
    assert!(err.is_precondition_failed() && err.code() == Some("resourceModified"), "{err}");
    let by_path = drive.move_to("/Moved/notes (moved).txt", ItemReference::path("/Documents"), None).await.unwrap();
    assert_eq!(by_path.name.as_deref(), Some("notes (moved).txt"));

    // delete to the recycle bin, restore
    let archive = drive.item("/Documents/Archive").await.unwrap();
    drive.delete("/Documents/Archive").await.unwrap();
    assert!(drive.item("/Documents/Archive/old-notes.md").await.unwrap_err().is_not_found());
    let back = drive.restore(archive.id.clone().unwrap()).await.unwrap();
    assert_eq!(back.name.as_deref(), Some("Archive"));
    assert!(!drive.text("/Documents/Archive/old-notes.md").await.unwrap().is_empty());
    drive.delete(&back).await.unwrap();
    let elsewhere = drive.restore(archive.id.clone().unwrap()).to(ItemReference::path("/")).name("Old Archive").await;
    assert_eq!(elsewhere.unwrap().name.as_deref(), Some("Old Archive"));
    assert!(!drive.text("/Old Archive/old-notes.md").await.unwrap().is_empty());

    // versions: overwrite, download the first, restore it
    let f = drive.upload("/Documents", "plan.txt", b"one".to_vec()).await.unwrap();
    drive.upload("/Documents", "plan.txt", b"two".to_vec()).conflict(ConflictBehavior::Replace).await.unwrap();
    let versions = drive.versions(&f).send().await.unwrap();
    let ids: Vec<String> = versions.value.iter().filter_map(|v| v.id.clone()).collect();
    assert_eq!(ids, ["2.0", "1.0"]);
    let mut old = Vec::new();
    drive.download_version(&f, "1.0").to_writer(&mut old).await.unwrap();
    assert_eq!(old, b"one");
    drive.restore_version(&f, "1.0").await.unwrap();
    assert_eq!(drive.text(&f).await.unwrap(), "one");

    // the round from "latest" shows exactly what changed since
    let round = drive.delta(ItemRef::Root).store(deltas, "root").run().await.unwrap();
    let names: Vec<&str> = round.upserted().filter_map(|i| i.name.as_deref()).collect();
    for n in ["Moved", "Moved 1", "notes (moved).txt", "Old Archive", "plan.txt"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    assert!(!names.contains(&"report.pdf"), "untouched items stay out: {names:?}");
    assert_eq!(round.removed().count(), 0, "the archive came back: {:?}", round.changes());
}
