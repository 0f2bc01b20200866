//! OneDrive: list `/Documents`, search for PowerPoint files, upload a
//! generated 20 MiB file with a progress bar (an upload session in 10 MiB
//! slices), download it back and check it byte for byte.
//!
//! ```sh
//! cargo run --example drive                      # against the offline emulator
//! MSGRAPH_CLIENT_ID=... cargo run --example drive -- --write   # a real OneDrive
//! ```
//!
//! Against a real drive nothing is written without `--write` (the upload
//! goes to `/msgraph-rs example/`).

mod common;

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use msgraph::prelude::*;

use common::{AnyError, connect, short};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("  {msg:<9} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_owned());
    pb
}

async fn run() -> Result<(), AnyError> {
    let write_flag = std::env::args().any(|a| a == "--write");
    let session = connect(&["User.Read", "Files.ReadWrite"]).await?;
    let writes = !session.is_real() || write_flag;
    let drive = session.client.me().drive();

    let info = drive.get().await?;
    let kind = info.drive_type.as_ref().map_or("unknown", |t| t.as_str());
    let owner = info.owner.as_ref().and_then(|o| o.user.as_ref()).and_then(|u| u.display_name.as_deref());
    let q = info.quota.clone().unwrap_or_default();
    println!(
        "Drive of {}: {kind}, {} MiB used of {} GiB",
        owner.unwrap_or("(unknown owner)"),
        q.used.unwrap_or(0) >> 20,
        q.total.unwrap_or(0) >> 30
    );

    println!("\n== /Documents");
    let mut docs = drive.list("/Documents").select(["id", "name", "size", "file", "folder"]).order_by("name").stream();
    while let Some(item) = docs.try_next().await? {
        let kind = FileKind::of(&item)
            .map(|k| format!("{k:?}"))
            .unwrap_or_else(|| if item.is_folder() { "folder".into() } else { "file".into() });
        println!("  {:<40} {:>10} bytes  {kind}", short(item.name.as_deref(), 40), item.size.unwrap_or(0));
    }

    println!("\n== PowerPoint files matching \"review\"");
    let mut decks = drive.search("review").kind(FileKind::PowerPoint).stream();
    let mut n = 0;
    while let Some(deck) = decks.try_next().await? {
        n += 1;
        println!("  {}", short(deck.name.as_deref(), 60));
    }
    if n == 0 {
        println!("  (none)");
    }

    if !writes {
        println!("\n(read-only: pass --write to upload and download a 20 MiB file)");
        return finish(session).await;
    }

    // 20 MiB of deterministic content, written to a local file first
    let size: u64 = 20 * 1024 * 1024;
    let dir = std::env::temp_dir().join(format!("msgraph-drive-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let local = dir.join("report.bin");
    let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8 ^ (i >> 12) as u8).collect();
    std::fs::write(&local, &data)?;

    println!("\n== Upload (upload session, 10 MiB slices)");
    let folder = drive.create_folder(ItemRef::Root, "msgraph-rs example").conflict(ConflictBehavior::Replace).await?;
    let up = bar(size, "upload");
    let progress = up.clone();
    let started = Instant::now();
    let item = drive
        .upload(&folder, "report.bin", local.as_path())
        .conflict(ConflictBehavior::Replace)
        .on_progress(move |sent, _| progress.set_position(sent))
        .await?;
    up.finish();
    println!("  uploaded {} in {:.1?}", short(item.name.as_deref(), 40), started.elapsed());

    println!("\n== Download (streamed to a temporary file, renamed at the end)");
    let back = dir.join("report-back.bin");
    let down = bar(size, "download");
    let progress = down.clone();
    let n = drive.download(&item).on_progress(move |got, _| progress.set_position(got)).to_file(&back).await?;
    down.finish();
    let same = std::fs::read(&back)? == data;
    println!("  {n} bytes, byte-identical: {same}");
    std::fs::remove_dir_all(&dir)?;
    if !same {
        return Err("the downloaded file differs from the uploaded one".into());
    }
    finish(session).await
}

async fn finish(session: common::Session) -> Result<(), AnyError> {
    if let Some(e) = session.emulator {
        e.shutdown().await;
    }
    Ok(())
}
