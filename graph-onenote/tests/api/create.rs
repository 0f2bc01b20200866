//! Creating pages: XHTML, multipart, `?sectionName=`, Markdown, templates,
//! and the input OneNote refuses, refused before sending.

use chrono::{FixedOffset, TimeZone};
use msgraph_onenote::{OnenoteExt, Part, Template};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::{CREATED, graph, multipart, refused};

fn created_mock(p: &str) -> wiremock::MockBuilder {
    Mock::given(method("POST")).and(path(p))
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_string(CREATED)
}

#[tokio::test]
async fn a_page_from_xhtml_is_one_text_html_document_with_title_and_created() {
    let g = graph().await;
    created_mock("/v1.0/me/onenote/sections/s1/pages")
        .and(header("content-type", "text/html"))
        .respond_with(created())
        .expect(1)
        .mount(&g.server)
        .await;
    let at = FixedOffset::west_opt(8 * 3600).unwrap().with_ymd_and_hms(2015, 7, 22, 9, 0, 0).unwrap();
    let page = g
        .client()
        .me()
        .onenote()
        .pages()
        .create(
            "s1",
            "A page with a block of <HTML> & more",
            "<p>This page contains some <i>formatted</i> <b>text</b>.</p>",
        )
        .created(at)
        .await
        .unwrap();
    assert_eq!(page.title.as_deref(), Some("title-value"));
    let sent = &g.requests().await[0];
    assert_eq!(
        String::from_utf8(sent.body.clone()).unwrap(),
        "<!DOCTYPE html>\n<html>\n<head>\n<title>A page with a block of &lt;HTML&gt; &amp; more</title>\n\
         <meta name=\"created\" content=\"2015-07-22T09:00:00-08:00\" />\n</head>\n<body>\n\
         <p>This page contains some <i>formatted</i> <b>text</b>.</p>\n</body>\n</html>\n"
    );
}

#[tokio::test]
async fn a_page_in_a_section_by_name_goes_to_pages_with_section_name() {
    let g = graph().await;
    created_mock("/v1.0/me/onenote/pages")
        .and(query_param("sectionName", "Quick Notes"))
        .respond_with(created())
        .expect(1)
        .mount(&g.server)
        .await;
    g.client().me().onenote().pages().create_in_section_named("Quick Notes", "Idea", "<p>x</p>").await.unwrap();
    assert!(g.requests().await[0].url.query().unwrap().contains("sectionName=Quick%20Notes"));
}

#[tokio::test]
async fn a_multipart_page_has_the_presentation_part_first_and_each_binary_part_by_name() {
    let g = graph().await;
    created_mock("/v1.0/me/onenote/sections/s1/pages").respond_with(created()).expect(1).mount(&g.server).await;
    let jpeg: Vec<u8> = (0..=255u8).chain([13, 10, 13, 10, 45, 45]).collect();
    let pdf = b"%PDF-1.7 ... binary file data ...".to_vec();
    let body = r#"<p>Here's an image uploaded as <b>binary data</b>:</p><img src="name:imageBlock1" alt="an image on the page" width="300" /><object data-attachment="FileName.pdf" data="name:fileBlock1" type="application/pdf" />"#;
    g.client()
        .me()
        .onenote()
        .pages()
        .create("s1", "A page with rendered images and an attached file", body)
        .part(Part::bytes("imageBlock1", "image/jpeg", jpeg.clone()))
        .part(Part::bytes("fileBlock1", "application/pdf", pdf.clone()))
        .await
        .unwrap();
    let sent = &g.requests().await[0];
    let (boundary, parts) = multipart(sent);
    assert!(boundary.starts_with("msgraph-onenote-") && boundary.len() > 30, "{boundary}");
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[0].name(), "Presentation");
    assert_eq!(parts[0].content_type(), "text/html");
    assert!(parts[0].text().contains("<title>A page with rendered images and an attached file</title>"));
    assert!(parts[0].text().contains(body));
    assert_eq!((parts[1].name(), parts[1].content_type()), ("imageBlock1".into(), "image/jpeg".into()));
    assert_eq!(parts[1].body, jpeg, "binary data byte for byte");
    assert_eq!((parts[2].name(), parts[2].content_type()), ("fileBlock1".into(), "application/pdf".into()));
    assert_eq!(parts[2].body, pdf);
}

#[tokio::test]
async fn a_page_from_markdown_sends_local_images_as_parts() {
    let g = graph().await;
    created_mock("/v1.0/me/onenote/sections/s1/pages").respond_with(created()).expect(1).mount(&g.server).await;
    let dir = std::env::temp_dir().join(format!("onenote-md-{}", fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    let png = vec![0x89, b'P', b'N', b'G', 0, 1, 2, 3];
    std::fs::write(dir.join("chart.png"), &png).unwrap();
    let md = "## Results\n\n| Team | Score |\n| --- | ---: |\n| Red | 3 |\n\n- [x] Review\n- [ ] Ship\n\n![chart](chart.png) and ![again](chart.png) ![web](https://example.com/a.png)";
    g.client().me().onenote().create_page_from_markdown("s1", "Weekly report", md).base_dir(&dir).await.unwrap();
    let (_, parts) = multipart(&g.requests().await[0]);
    assert_eq!(parts.len(), 2, "one part per local file, used twice");
    let html = parts[0].text();
    assert!(html.contains(
        "<h2>Results</h2><table border=\"1\"><tr><td><b>Team</b></td><td style=\"text-align:right\"><b>Score</b></td></tr>\
         <tr><td>Red</td><td style=\"text-align:right\">3</td></tr></table>"
    ), "{html}");
    // a list of tasks is paragraphs with to-do tags (OneNote ignores an li's tag inside a ul)
    assert!(html.contains("<p data-tag=\"to-do:completed\">Review</p><p data-tag=\"to-do\">Ship</p>"), "{html}");
    assert!(html.contains("<img src=\"name:image1\" alt=\"chart\" /> and <img src=\"name:image1\" alt=\"again\" />"));
    assert!(html.contains("<img src=\"https://example.com/a.png\" alt=\"web\" />"));
    assert_eq!((parts[1].name(), parts[1].content_type()), ("image1".into(), "image/png".into()));
    assert_eq!(parts[1].body, png);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_page_from_a_template_substitutes_escaped_variables() {
    let g = graph().await;
    created_mock("/v1.0/me/onenote/sections/s1/pages")
        .and(header("content-type", "text/html"))
        .respond_with(created())
        .expect(1)
        .mount(&g.server)
        .await;
    g.client()
        .me()
        .onenote()
        .create_page_from_template(
            "s1",
            &Template::MeetingNotes,
            "Weekly sync",
            [
                ("date", "2026-03-02"),
                ("attendees", "Ada <ada@contoso.com>, Grace"),
                ("agenda", "- Budget\n- Hiring"),
                ("notes", "Budget *approved*.\nHiring paused."),
                ("action_items", "Send minutes\n\nBook room"),
            ],
        )
        .await
        .unwrap();
    let html = String::from_utf8(g.requests().await[0].body.clone()).unwrap();
    assert!(html.contains("<title>Weekly sync</title>"));
    assert!(html.contains("<p><b>Attendees:</b> Ada &lt;ada@contoso.com&gt;, Grace</p>"), "{html}");
    assert!(html.contains("<ul><li>Budget</li><li>Hiring</li></ul>"));
    assert!(html.contains("<p>Budget *approved*.<br />Hiring paused.</p>"), "values are text, not Markdown");
    assert!(
        html.contains("<h2>Action items</h2><p data-tag=\"to-do\">Send minutes</p><p data-tag=\"to-do\">Book room</p>")
    );
}

#[tokio::test]
async fn a_missing_template_variable_is_listed_and_nothing_is_sent() {
    let g = graph().await;
    let on = g.client().me().onenote();
    let r = on.create_page_from_template("s1", &Template::DailyJournal, "Today", [("date", "2026-03-02")]).await;
    refused(&g, r, "template daily_journal is missing 3 variables: goals, notes, reflections").await;
    let mine = Template::custom("standup", "# {{title}}\n\n- {{yesterday}}\n- [ ] {{today}}");
    let r = on.create_page_from_template("s1", &mine, "Standup", [("today", "x")]).await;
    refused(&g, r, "missing 1 variable: yesterday").await;
}

#[tokio::test]
async fn bad_page_input_is_refused_before_sending() {
    let g = graph().await;
    let pages = g.client().me().onenote().pages();
    refused(&g, pages.create("s1", " ", "<p>x</p>").await, "a page title must not be empty").await;
    refused(&g, pages.create("", "t", "<p>x</p>").await, "a section id must not be empty").await;
    refused(&g, pages.create("s1", "t", "<p>open <b>bold</p>").await, "not well-formed").await;
    refused(&g, pages.create("s1", "t", "<p class=x>y</p>").await, "not in quotes").await;
    refused(&g, pages.create("s1", "t", "<html><body></body></html>").await, "not a whole document").await;
    refused(&g, pages.create_in_section_named("a/b", "t", "<p>x</p>").await, "'/'").await;
    let r = pages.create("s1", "t", "<p>x</p>").part(Part::bytes("Presentation", "image/png", vec![1])).await;
    refused(&g, r, "reserved").await;
    let r = pages
        .create("s1", "t", "<p>x</p>")
        .part(Part::bytes("a", "image/png", vec![1]))
        .part(Part::bytes("A", "image/png", vec![1]))
        .await;
    refused(&g, r, "two parts are called").await;
    let r = pages.create("s1", "t", "<p>x</p>").part(Part::bytes("bad name", "image/png", vec![1])).await;
    refused(&g, r, "part name").await;
}

#[tokio::test]
async fn too_many_or_too_large_parts_are_refused_before_sending() {
    let g = graph().await;
    let pages = g.client().me().onenote().pages();
    let mut seven = pages.create("s1", "t", "<p>x</p>");
    for i in 0..6 {
        seven = seven.part(Part::bytes(format!("p{i}"), "image/png", vec![0u8; 10]));
    }
    refused(&g, seven.await, "7 parts: OneNote takes at most 6 parts").await;

    let big = Part::bytes("big", "application/octet-stream", vec![0u8; 25_000_000]);
    refused(&g, pages.create("s1", "t", "<p>x</p>").part(big).await, "at most 25000000 bytes a part").await;

    let mut heavy = pages.create("s1", "t", "<p>x</p>");
    for i in 0..3 {
        heavy = heavy.part(Part::bytes(format!("h{i}"), "application/octet-stream", vec![0u8; 24_000_000]));
    }
    refused(&g, heavy.await, "at most 70000000 bytes in all").await;

    let missing = Part::file("gone", "image/png", "/nonexistent/onenote/gone.png");
    match pages.create("s1", "t", "<p>x</p>").part(missing).await {
        Err(e) => assert!(e.to_string().contains("gone.png"), "{e}"),
        Ok(p) => panic!("{p:?}"),
    }
    assert!(g.requests().await.is_empty());
}
