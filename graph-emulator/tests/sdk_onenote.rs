//! OneNote through `msgraph_onenote` against the emulator: the issue's end
//! to end (Markdown with a table, a task list and an image -> page -> content
//! -> text -> append -> copy with the monitor -> delete), the demo notebooks,
//! listing and search, templates, PATCH commands on generated ids,
//! throttling without `Retry-After`.

mod sdk_common;

use std::time::Duration;

use futures::TryStreamExt as _;
use msgraph_emulator::{EmulatorBuilder, Throttling, demo};
use msgraph_onenote::{FoundBy, MatchedBy, OnenoteExt, OnenotePage, PatchCommand, Position, Template, page_text};
use sdk_common::Sdk;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn section_id(s: &Sdk, name: &str) -> String {
    let sections = s.client.me().onenote().sections().list().send().await.unwrap().value;
    sections
        .into_iter()
        .find(|x| x.display_name.as_deref() == Some(name))
        .and_then(|x| x.id)
        .unwrap_or_else(|| panic!("no section {name}"))
}

#[tokio::test]
async fn markdown_page_end_to_end() {
    let s = Sdk::start().await;
    let onenote = s.client.me().onenote();
    let projects = section_id(&s, "Projects").await;
    let meetings = section_id(&s, "Meetings").await;
    let dir = std::env::temp_dir().join(format!("msgraph-emulator-onenote-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("chart.png"), PNG).unwrap();

    let markdown = "# Launch review\n\n\
        | Area | Owner |\n| --- | --- |\n| Packaging | Alex |\n| Retail & web | Megan |\n\n\
        - [x] Book the room\n- [ ] Send the minutes\n\n\
        ![burn-down chart](chart.png)\n";
    let page: OnenotePage =
        onenote.create_page_from_markdown(&projects, "Launch review", markdown).base_dir(&dir).await.unwrap();
    let id = page.id.clone().expect("page id");
    assert_eq!(page.title.as_deref(), Some("Launch review"));
    assert_eq!(page.parent_section.as_ref().and_then(|p| p.display_name.as_deref()), Some("Projects"));
    // it went as multipart, and the image is stored
    let post = s.emu.requests().into_iter().rev().find(|r| r.method == "POST" && r.path.ends_with("/pages")).unwrap();
    assert!(post.header("content-type").unwrap().starts_with("multipart/form-data; boundary="));

    // content read back: OneNote's output HTML
    let html = onenote.pages().content(&id).await.unwrap();
    assert!(html.contains("<title>Launch review</title>"), "{html}");
    assert!(html.contains(r#"data-tag="to-do:completed""#) && html.contains(r#"data-tag="to-do""#), "{html}");
    assert!(html.contains("/onenote/resources/") && !html.contains("name:image1"), "{html}");
    let src_start = html.find("src=\"").unwrap() + 5;
    let src = &html[src_start..src_start + html[src_start..].find('"').unwrap()];
    let token = s.emu.issue_token(demo::USER_UPN).unwrap();
    let img = reqwest::Client::new().get(src).bearer_auth(token).send().await.unwrap();
    assert_eq!(img.bytes().await.unwrap().as_ref(), PNG);

    // the text
    let expected = "Launch review\nLaunch review\nArea\tOwner\nPackaging\tAlex\nRetail & web\tMegan\n\
                    [x] Book the room\n[ ] Send the minutes\n[image: burn-down chart]";
    assert_eq!(onenote.extract_text(&id).await.unwrap(), expected);
    let both = onenote.pages().get(&id).with_content().await.unwrap();
    assert_eq!(both.text(), expected);

    // append a paragraph
    onenote.pages().append(&id, "<p>Follow-up: budget approved.</p>").await.unwrap();
    let text = onenote.extract_text(&id).await.unwrap();
    assert_eq!(text, format!("{expected}\nFollow-up: budget approved."));

    // copy to another section, followed with the monitor
    let copy = onenote
        .pages()
        .copy_to_section(&id, &meetings)
        .poll_interval(Duration::from_millis(20))
        .max_wait(Duration::from_secs(10))
        .await
        .unwrap();
    let copy_id = copy.id.clone().unwrap();
    assert_ne!(copy_id, id);
    assert_eq!(copy.title.as_deref(), Some("Launch review"));
    assert_eq!(copy.parent_section.as_ref().and_then(|p| p.id.as_deref()), Some(meetings.as_str()));
    assert_eq!(onenote.extract_text(&copy_id).await.unwrap(), text);
    let op_polls = s.emu.requests().iter().filter(|r| r.path.contains("/onenote/operations/copy-")).count();
    assert_eq!(op_polls, 3, "NotStarted, Running, Completed");
    assert!(
        s.emu
            .requests()
            .iter()
            .filter(|r| r.path.contains("/onenote/operations/"))
            .all(|r| r.header("authorization").is_some()),
        "the operation URL is on the Graph host: the token goes with it"
    );

    // delete
    onenote.pages().delete(&id).await.unwrap();
    let gone = onenote.pages().get(&id).await.unwrap_err();
    assert_eq!(gone.status(), Some(404));
    assert_eq!(gone.code(), Some("20102"));
    assert!(onenote.pages().get(&copy_id).await.is_ok(), "the copy stays");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn notebooks_sections_pages_and_search() {
    let s = Sdk::start().await;
    let onenote = s.client.me().onenote();
    let notebooks = onenote.notebooks().list().with_sections().send().await.unwrap().value;
    assert_eq!(notebooks.len(), 2);
    let main = &notebooks[0];
    assert_eq!(main.display_name.as_deref(), Some("Adele's Notebook"));
    assert_eq!(main.sections.as_ref().map(Vec::len), Some(3));
    let groups = main.section_groups.as_ref().unwrap();
    assert_eq!(groups[0].display_name.as_deref(), Some("Archive"));
    assert_eq!(groups[0].sections.as_ref().unwrap()[0].display_name.as_deref(), Some("2023 Retrospectives"));
    let nb = onenote.notebooks().get(main.id.clone().unwrap()).with_sections().await.unwrap();
    assert_eq!(nb.sections.map(|s| s.len()), Some(3));
    let all_groups = onenote.section_groups().list().send().await.unwrap().value;
    assert_eq!(all_groups.len(), 1);

    // pages: 20 a page by default, streamed beyond; top(5) pages through all
    let mut quick = section_id(&s, "Quick Notes").await;
    for i in 0..15 {
        onenote.pages().create(&quick, format!("Scratch {i}"), format!("<p>scratch {i}</p>")).await.unwrap();
    }
    let first = onenote.pages().list().send().await.unwrap();
    assert_eq!(first.value.len(), 20);
    let all: Vec<OnenotePage> = onenote.pages().list().top(5).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 27);
    let latest = onenote.pages().list().top(3).send().await.unwrap().value;
    assert_eq!(latest[0].title.as_deref(), Some("Scratch 14"));
    let selected = onenote.pages().list().select(["title"]).order_by("title").top(1).send().await.unwrap().value;
    assert_eq!(selected[0].title.as_deref(), Some("1:1 with Megan"));
    assert!(selected[0].last_modified_date_time.is_none());
    let in_section = onenote.sections().pages(&quick).page_level().send().await.unwrap().value;
    assert_eq!(in_section.len(), 17);
    assert!(in_section.iter().all(|p| p.level == Some(0)));

    // search: the work account refuses `search`; the fallback finds titles, then text
    let found = onenote.pages().search("launch").await.unwrap();
    assert_eq!(found.found_by, FoundBy::TitleFilter);
    let titles: Vec<_> = found.hits.iter().filter_map(|h| h.page.title.clone()).collect();
    assert_eq!(titles, ["Mark 8 launch plan"]);
    let found = onenote.pages().search("regulatory").content_scan(30).await.unwrap();
    assert!(matches!(found.found_by, FoundBy::TitleAndContent { .. }));
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].matched, MatchedBy::Content);
    assert_eq!(found.hits[0].page.title.as_deref(), Some("Mark 8 launch plan"));

    // ?sectionName= in the default notebook, and a new section
    let page = onenote.pages().create_in_section_named("Inbox", "Idea", "<p>Ship it</p>").await.unwrap();
    assert_eq!(page.parent_section.and_then(|p| p.display_name).as_deref(), Some("Inbox"));
    let created = onenote.notebooks().create_section(main.id.clone().unwrap(), "Research").await.unwrap();
    quick = created.id.unwrap();
    let preview = onenote.pages().preview(page.id.unwrap()).await.unwrap();
    assert_eq!(preview.preview_text.as_deref(), Some("Ship it"));
    assert!(onenote.sections().pages(&quick).send().await.unwrap().value.is_empty());
}

#[tokio::test]
async fn templates_patch_commands_and_generated_ids() {
    let s = Sdk::start().await;
    let onenote = s.client.me().onenote();
    let meetings = section_id(&s, "Meetings").await;
    let page = onenote
        .create_page_from_template(
            &meetings,
            &Template::MeetingNotes,
            "Weekly sync",
            [
                ("date", "2024-03-13"),
                ("attendees", "Adele, Alex & Megan"),
                ("agenda", "Budget\nHiring"),
                ("notes", "Budget approved."),
                ("action_items", "Send minutes\nBook room"),
            ],
        )
        .await
        .unwrap();
    let id = page.id.unwrap();
    let text = onenote.extract_text(&id).await.unwrap();
    assert!(text.starts_with("Weekly sync\n"), "{text}");
    assert!(text.contains("Adele, Alex & Megan"), "{text}");
    assert!(text.contains("[ ] Send minutes") && text.contains("[ ] Book room"), "{text}");

    // replace a paragraph by its generated id, insert after it, retitle
    let html = onenote.pages().content(&id).include_ids(true).await.unwrap();
    let at = html.find("Budget approved.").expect("the notes");
    let open = html[..at].rfind("<p id=\"").expect("a generated id");
    let pid = &html[open + 7..open + 7 + html[open + 7..].find('"').unwrap()];
    assert!(pid.starts_with("p:{"), "{pid}");
    onenote
        .pages()
        .update(
            &id,
            [
                PatchCommand::replace(pid, "<p data-id=\"notes\">Budget approved, with a 5% reserve.</p>"),
                PatchCommand::insert("#notes", Position::After, "<p>Next sync in two weeks.</p>"),
                PatchCommand::set_title("Weekly sync (done)"),
            ],
        )
        .await
        .unwrap();
    let text = onenote.extract_text(&id).await.unwrap();
    assert!(text.starts_with("Weekly sync (done)\n"), "{text}");
    assert!(text.contains("Budget approved, with a 5% reserve.\nNext sync in two weeks."), "{text}");
    assert!(!text.contains("Budget approved.\n"), "{text}");
    // the SDK refuses what OneNote would, before sending
    let before = s.emu.requests().len();
    let err = onenote.pages().update(&id, [PatchCommand::append(pid, "<p>x</p>")]).await.unwrap_err();
    assert!(matches!(err, msgraph_core::Error::InvalidInput(_)), "{err:?}");
    assert_eq!(s.emu.requests().len(), before);
    // the server refuses it too, in OneNote's terms
    let html = onenote.pages().content(&id).include_ids(true).await.unwrap();
    let open = html.find("<p id=\"").unwrap();
    let pid = html[open + 7..open + 7 + html[open + 7..].find('"').unwrap()].to_owned();
    let err = onenote.pages().update(&id, [PatchCommand::replace(format!("{pid}x"), "<p>x</p>")]).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(400), Some("20134")));
    // the output HTML reads back as text with the SDK's parser
    assert!(page_text(&html).contains("Next sync in two weeks."));
}

#[tokio::test]
async fn throttled_onenote_requests_are_retried_without_retry_after() {
    let s = Sdk::with(EmulatorBuilder::new().throttling(Throttling::new(50.0, 2))).await;
    let onenote = s.client.me().onenote();
    for _ in 0..8 {
        onenote.notebooks().list().send().await.unwrap();
    }
    assert!(s.emu.throttled_count() > 0, "some requests were throttled");
    let throttled: Vec<_> = s.emu.requests().into_iter().filter(|r| r.status == 429).collect();
    assert!(!throttled.is_empty());
}
