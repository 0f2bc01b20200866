//! OneNote: list the notebooks and their sections, create a meeting-notes
//! page from the built-in template and a page from a Markdown file (a table,
//! a task list and an image, sent as a multipart request), then print the
//! plain text of the latest pages.
//!
//! ```sh
//! cargo run --example notes                      # against the offline emulator
//! MSGRAPH_CLIENT_ID=... cargo run --example notes -- --write   # a real account
//! ```
//!
//! Against a real account nothing is written without `--write` (the pages go
//! to a section "msgraph-rs example" in the default notebook).

mod common;

use msgraph::onenote::{Onenote, Template};
use msgraph::prelude::*;

use common::{AnyError, connect, short};

/// The section the example writes to.
const SECTION: &str = "msgraph-rs example";

/// A 1×1 PNG for the Markdown page's image.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba,
    0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

const MARKDOWN: &str = "# Launch checklist

| Area | Owner | Status |
| --- | --- | --- |
| Packaging | Alex | done |
| Retail demo units | Megan | shipping |

- [x] Book the launch room
- [ ] Send the press kit
- [ ] Confirm the EU approval

Burn-down so far:

![burn-down chart](chart.png)
";

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

async fn run() -> Result<(), AnyError> {
    let write_flag = std::env::args().any(|a| a == "--write");
    let session = connect(&["User.Read", "Notes.ReadWrite"]).await?;
    let writes = !session.is_real() || write_flag;
    let onenote = session.client.me().onenote();

    println!("== Your notebooks");
    let notebooks = onenote.notebooks().list().with_sections().send().await?.value;
    for nb in &notebooks {
        let default = if nb.is_default == Some(true) { " (default)" } else { "" };
        println!("  {}{default}", short(nb.display_name.as_deref(), 50));
        for s in nb.sections.iter().flatten() {
            println!("    - {}", short(s.display_name.as_deref(), 50));
        }
        for g in nb.section_groups.iter().flatten() {
            println!("    + {}", short(g.display_name.as_deref(), 50));
            for s in g.sections.iter().flatten() {
                println!("      - {}", short(s.display_name.as_deref(), 48));
            }
        }
    }

    if writes {
        let Some(notebook) = notebooks.iter().find(|n| n.is_default == Some(true)).or(notebooks.first()) else {
            return Err("no notebook to write to".into());
        };
        let section = example_section(&onenote, notebook).await?;
        let today = chrono::Utc::now().date_naive().to_string();

        let meeting = onenote
            .create_page_from_template(
                &section,
                &Template::MeetingNotes,
                format!("Weekly sync {today}"),
                [
                    ("date", today.as_str()),
                    ("attendees", "Adele Vance, Alex Wilber, Megan Bowen"),
                    ("agenda", "Launch status\nHiring"),
                    ("notes", "The launch is on track; demo units ship next week."),
                    ("action_items", "Alex: send the checklist\nMegan: book the demo room"),
                ],
            )
            .await?;
        println!("\n== Created \"{}\" from the meeting-notes template", meeting.title.as_deref().unwrap_or_default());

        // a Markdown file and its image in a temporary directory
        let dir = std::env::temp_dir().join(format!("msgraph-notes-example-{}", std::process::id()));
        tokio::fs::create_dir_all(&dir).await?;
        tokio::fs::write(dir.join("launch.md"), MARKDOWN).await?;
        tokio::fs::write(dir.join("chart.png"), PNG).await?;
        let markdown = tokio::fs::read_to_string(dir.join("launch.md")).await?;
        let page = onenote.create_page_from_markdown(&section, "Launch checklist", &markdown).base_dir(&dir).await?;
        println!(
            "== Created \"{}\" from {}",
            page.title.as_deref().unwrap_or_default(),
            dir.join("launch.md").display()
        );
        let _ = tokio::fs::remove_dir_all(&dir).await;
    } else {
        println!("\n(read-only: pass --write to create two pages in \"{SECTION}\")");
    }

    println!("\n== The latest pages");
    for page in onenote.pages().list().top(3).send().await?.value {
        let Some(id) = page.id.clone() else { continue };
        let section = page.parent_section.as_ref().and_then(|s| s.display_name.as_deref()).unwrap_or("?");
        println!("\n--- {} ({section})", short(page.title.as_deref(), 60));
        let text = onenote.extract_text(id).await?;
        for line in text.lines().take(14) {
            println!("  {line}");
        }
    }

    if let Some(e) = session.emulator {
        e.shutdown().await;
    }
    Ok(())
}

/// The id of the example's section in the notebook, made when missing.
async fn example_section(onenote: &Onenote, notebook: &Notebook) -> Result<String, AnyError> {
    let existing = notebook.sections.iter().flatten().find(|s| s.display_name.as_deref() == Some(SECTION));
    if let Some(id) = existing.and_then(|s| s.id.clone()) {
        return Ok(id);
    }
    let notebook_id = notebook.id.clone().ok_or("the notebook has no id")?;
    let created = onenote.notebooks().create_section(notebook_id, SECTION).await?;
    created.id.ok_or_else(|| "the new section has no id".into())
}
