//! msgraph-drive driven against the emulator's OneDrive: the end-to-end
//! path of the drive issue (folder → 12 MiB upload with progress → list →
//! search by kind → download byte-identical → rename → copy through the
//! monitor → delete → a delta round shows the changes), and the operations
//! one by one.

mod sdk_common;

use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use msgraph_core::delta::MemoryDeltaStore;
use msgraph_drive::{ConflictBehavior, DriveExt, DriveItem, FileKind, ItemRef, ItemReference, LinkScope, LinkType};
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
