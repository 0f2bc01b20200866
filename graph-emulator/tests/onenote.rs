//! OneNote over plain HTTP: the demo notebooks, listing options, pages from
//! HTML and multipart, output HTML with generated ids, PATCH commands,
//! delete, copyToSection with its operation, throttling, error codes.

mod common;

use common::{Resp, T, assert_graph_error, seg};
use msgraph_emulator::{Throttling, demo};
use reqwest::Method;
use serde_json::{Value, json};

/// Sends a raw body with a content type.
async fn send(t: &T, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
    let r = t
        .http
        .request(method, t.url(path))
        .bearer_auth(&t.token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request sent");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.expect("body").to_vec();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp { status, headers, json, bytes }
}

fn text(r: &Resp) -> String {
    String::from_utf8(r.bytes.clone()).expect("UTF-8")
}

fn multipart(boundary: &str, parts: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, ct, data) in parts {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\nContent-Type: {ct}\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

async fn section_id(t: &T, name: &str) -> String {
    let r = t.get("/me/onenote/sections").await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.values()
        .iter()
        .find(|s| s["displayName"] == name)
        .and_then(|s| s["id"].as_str())
        .unwrap_or_else(|| panic!("no section {name}"))
        .to_owned()
}

async fn create_html(t: &T, section: &str, html: &str) -> Value {
    let r =
        send(t, Method::POST, &format!("/me/onenote/sections/{}/pages", seg(section)), "text/html", html.into()).await;
    assert_eq!(r.status, 201, "{}", r.json);
    r.json
}

async fn content(t: &T, page: &str, ids: bool) -> String {
    let q = if ids { "?includeIDs=true" } else { "" };
    let r = t.get(&format!("/me/onenote/pages/{}/content{q}", seg(page))).await;
    assert_eq!(r.status, 200, "{}", text(&r));
    assert!(r.header("content-type").is_some_and(|c| c.starts_with("text/html")));
    text(&r)
}

/// The generated id of the first element with this tag whose HTML contains `needle`.
fn generated_id(html: &str, tag: &str, needle: &str) -> String {
    let open = format!("<{tag} id=\"");
    let mut from = 0;
    while let Some(i) = html[from..].find(&open) {
        let start = from + i;
        let end = html[start..].find("</").map_or(html.len(), |n| start + n);
        if html[start..end].contains(needle) {
            let id_start = start + open.len();
            let id_end = html[id_start..].find('"').unwrap() + id_start;
            return html[id_start..id_end].to_owned();
        }
        from = start + 1;
    }
    panic!("no <{tag}> with {needle:?} in {html}");
}

async fn patch(t: &T, page: &str, commands: Value) -> Resp {
    t.patch(&format!("/me/onenote/pages/{}/content", seg(page)), commands).await
}

#[tokio::test]
async fn the_demo_onenote_has_two_notebooks_sections_a_group_and_a_dozen_pages() {
    let t = T::start().await;
    let r = t.get("/me/onenote/notebooks?$expand=sections,sectionGroups($expand=sections)").await;
    assert_eq!(r.status, 200, "{}", r.json);
    let nbs = r.values();
    let names: Vec<&str> = nbs.iter().map(|n| n["displayName"].as_str().unwrap()).collect();
    assert_eq!(names, ["Adele's Notebook", "Personal"]);
    assert_eq!(nbs[0]["isDefault"], true);
    assert_eq!(nbs[0]["userRole"], "Owner");
    assert!(
        nbs[0]["links"]["oneNoteWebUrl"]["href"].as_str().unwrap().starts_with("https://contoso-my.sharepoint.com/")
    );
    let sections: Vec<&str> =
        nbs[0]["sections"].as_array().unwrap().iter().map(|s| s["displayName"].as_str().unwrap()).collect();
    assert_eq!(sections, ["Meetings", "Projects", "Quick Notes"]);
    let groups = nbs[0]["sectionGroups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["displayName"], "Archive");
    assert_eq!(groups[0]["sections"][0]["displayName"], "2023 Retrospectives");
    // without $expand, no sections
    let plain = t.get("/me/onenote/notebooks").await;
    assert!(plain.values()[0].get("sections").is_none());

    let all = t.get("/me/onenote/sections").await.values();
    assert_eq!(all.len(), 6);
    let retro = all.iter().find(|s| s["displayName"] == "2023 Retrospectives").unwrap();
    assert_eq!(retro["parentSectionGroup"]["displayName"], "Archive");
    assert_eq!(retro["parentNotebook"]["displayName"], "Adele's Notebook");
    let gid = groups[0]["id"].as_str().unwrap();
    let in_group = t.get(&format!("/me/onenote/sectionGroups/{}/sections", seg(gid))).await.values();
    assert_eq!(in_group.len(), 1);
    assert_eq!(t.emu.onenote_pages(demo::USER_UPN).unwrap().len(), 12);
    // every demo user has one, and it is deterministic
    let alex = t.emu.onenote_pages(demo::SECOND_USER_UPN).unwrap();
    assert_eq!(alex.len(), 12);
    let t2 = T::start().await;
    assert_eq!(t2.emu.onenote_pages(demo::USER_UPN).unwrap(), t.emu.onenote_pages(demo::USER_UPN).unwrap());
    // a notebook by id; a section by id
    let nb = t.get(&format!("/me/onenote/notebooks/{}", seg(nbs[1]["id"].as_str().unwrap()))).await;
    assert_eq!(nb.json["displayName"], "Personal");
    assert!(nb.json["@odata.context"].as_str().unwrap().contains("/$metadata#"));
}

#[tokio::test]
async fn pages_list_20_by_default_at_most_100_with_order_select_and_filter() {
    let t = T::start().await;
    // 30 more pages in Quick Notes: 42 in all
    let quick = section_id(&t, "Quick Notes").await;
    for i in 0..30 {
        create_html(
            &t,
            &quick,
            &format!("<html><head><title>Note {i:02}</title></head><body><p>n{i}</p></body></html>"),
        )
        .await;
    }
    let first = t.get("/me/onenote/pages").await;
    assert_eq!(first.values().len(), 20);
    let next = first.json["@odata.nextLink"].as_str().expect("nextLink");
    assert!(next.starts_with(&t.emu.authority_url()));
    // newest change first by default
    let dates: Vec<String> =
        first.values().iter().map(|p| p["lastModifiedDateTime"].as_str().unwrap().to_owned()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let (all, pages) = t.all_pages("/me/onenote/pages?$top=100", &[]).await;
    assert_eq!((all.len(), pages), (42, 1));
    let (all, pages) = t.all_pages("/me/onenote/pages?$top=10", &[]).await;
    assert_eq!((all.len(), pages), (42, 5));
    assert_graph_error(&t.get("/me/onenote/pages?$top=101").await, 400, "20129");

    let r = t.get("/me/onenote/pages?$select=title&$orderby=title&$top=3").await;
    let v = r.values();
    assert_eq!(v[0]["title"], "1:1 with Megan");
    assert!(v[0].get("lastModifiedDateTime").is_none() && v[0]["id"].is_string());
    let r = t.get("/me/onenote/pages?$filter=contains(tolower(title),'launch')").await;
    let titles: Vec<String> = r.values().iter().map(|p| p["title"].as_str().unwrap().to_owned()).collect();
    assert_eq!(titles, ["Mark 8 launch plan"]);
    assert_graph_error(&t.get("/me/onenote/pages?$select=nope").await, 400, "20127");
    // pagelevel on a section's pages
    let meetings = section_id(&t, "Meetings").await;
    let r = t.get(&format!("/me/onenote/sections/{}/pages?pagelevel=true", seg(&meetings))).await;
    let v = r.values();
    assert_eq!(v.len(), 3);
    assert_eq!(v[0]["order"], 0);
    assert_eq!(v[0]["level"], 0);
    assert_eq!(v[0]["parentSection"]["displayName"], "Meetings");
    assert_graph_error(&t.get("/me/onenote/pages?pagelevel=true").await, 400, "20104");
}

#[tokio::test]
async fn a_page_from_html_comes_back_as_output_html_with_generated_ids() {
    let t = T::start().await;
    let projects = section_id(&t, "Projects").await;
    let page = create_html(
        &t,
        &projects,
        r#"<!DOCTYPE html><html><head><title>Kickoff &amp; goals</title><meta name="created" content="2024-03-01T09:00:00-08:00" /></head>
<body><h1 id="mine">Goals</h1><p data-id="intro">Ship &lt;fast&gt;</p><ul data-id="list"><li>One</li><li>Two</li></ul>
<p data-tag="to-do">Book room</p></body></html>"#,
    )
    .await;
    assert_eq!(page["title"], "Kickoff & goals");
    assert_eq!(page["createdDateTime"], "2024-03-01T17:00:00.000Z");
    assert_eq!(page["parentSection"]["displayName"], "Projects");
    let id = page["id"].as_str().unwrap();
    assert!(id.starts_with("1-") && id.contains('!'), "{id}");
    let get = t.get(&format!("/me/onenote/pages/{}", seg(id))).await;
    assert_eq!(get.json["title"], "Kickoff & goals");

    let plain = content(&t, id, false).await;
    assert!(plain.contains("<title>Kickoff &amp; goals</title>"), "{plain}");
    assert!(plain.contains(r#"<meta name="created" content="2024-03-01T17:00:00"#), "{plain}");
    assert!(plain.contains(r#"data-id="_default""#));
    assert!(plain.contains(r#"<p data-id="intro">Ship &lt;fast&gt;</p>"#), "{plain}");
    assert!(plain.contains(r#"<p data-tag="to-do">Book room</p>"#));
    assert!(!plain.contains(" id=\""), "no generated ids without includeIDs: {plain}");
    assert!(!plain.contains("mine"), "input ids are discarded");

    let with_ids = content(&t, id, true).await;
    let pid = generated_id(&with_ids, "p", "Ship");
    assert!(pid.starts_with("p:{") && pid.ends_with('}'), "{pid}");
    assert!(with_ids.contains("<div id=\"div:{"), "{with_ids}");
    assert!(with_ids.contains(r#"data-id="intro""#));

    // preview
    let r = t.get(&format!("/me/onenote/pages/{}/preview", seg(id))).await;
    assert_eq!(r.json["previewText"], "Goals Ship <fast> One Two Book room");

    // ?sectionName= makes the section in the default notebook, once
    for _ in 0..2 {
        let r =
            send(&t, Method::POST, "/me/onenote/pages?sectionName=Inbox", "text/html", b"<p>Quick</p>".to_vec()).await;
        assert_eq!(r.status, 201, "{}", r.json);
        assert_eq!(r.json["parentSection"]["displayName"], "Inbox");
    }
    let inbox: Vec<Value> =
        t.get("/me/onenote/sections").await.values().into_iter().filter(|s| s["displayName"] == "Inbox").collect();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["parentNotebook"]["displayName"], "Adele's Notebook");
    // no section: the default one
    let r = send(&t, Method::POST, "/me/onenote/pages", "text/html", b"<p>Default</p>".to_vec()).await;
    assert_eq!(r.json["parentSection"]["displayName"], "Quick Notes");
}

#[tokio::test]
async fn multipart_pages_keep_their_images_and_files_and_binary_parts_need_multipart() {
    let t = T::start().await;
    let quick = section_id(&t, "Quick Notes").await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\nfake image bytes";
    let pdf: &[u8] = b"%PDF-1.4 fake";
    let html = br#"<html><head><title>With parts</title></head><body><p>Chart:</p><img src="name:chart" alt="the chart" data-id="img1" /><object data-attachment="report.pdf" data="name:report" type="application/pdf" /></body></html>"#;
    let body = multipart(
        "part-boundary-1",
        &[("Presentation", "text/html", html), ("chart", "image/png", png), ("report", "application/pdf", pdf)],
    );
    let r = send(
        &t,
        Method::POST,
        &format!("/me/onenote/sections/{}/pages", seg(&quick)),
        "multipart/form-data; boundary=part-boundary-1",
        body,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_owned();
    let html = content(&t, &id, false).await;
    assert!(html.contains(r#"alt="the chart""#) && html.contains(r#"data-id="img1""#), "{html}");
    assert!(!html.contains("name:chart"), "{html}");
    let src_start = html.find("src=\"").unwrap() + 5;
    let src = &html[src_start..src_start + html[src_start..].find('"').unwrap()];
    assert!(src.contains("/onenote/resources/") && src.ends_with("/$value"), "{src}");
    assert!(html.contains(r#"data-src-type="image/png""#));
    let img = t.get(src).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.bytes, png);
    assert_eq!(img.header("content-type"), Some("image/png"));
    let data_start = html.find("data=\"").unwrap() + 6;
    let data = &html[data_start..data_start + html[data_start..].find('"').unwrap()];
    assert_eq!(t.get(data).await.bytes, pdf);
    assert!(html.contains(r#"data-attachment="report.pdf""#));

    // binary parts without multipart: 20110
    let r = send(
        &t,
        Method::POST,
        &format!("/me/onenote/sections/{}/pages", seg(&quick)),
        "text/html",
        br#"<p><img src="name:chart" /></p>"#.to_vec(),
    )
    .await;
    assert_graph_error(&r, 400, "20110");
    // no Presentation part: 20001; a part the HTML names but the request lacks
    let r = send(
        &t,
        Method::POST,
        &format!("/me/onenote/sections/{}/pages", seg(&quick)),
        "multipart/form-data; boundary=b",
        multipart("b", &[("chart", "image/png", png)]),
    )
    .await;
    assert_graph_error(&r, 400, "20001");
    let r = send(
        &t,
        Method::POST,
        &format!("/me/onenote/sections/{}/pages", seg(&quick)),
        "multipart/form-data; boundary=b",
        b"--b\r\nContent-Type: text/html\r\n\r\n<p>x</p>".to_vec(),
    )
    .await;
    assert_eq!(r.status, 400);
    // JSON is not a page
    let r = t.post(&format!("/me/onenote/sections/{}/pages", seg(&quick)), json!({"title": "x"})).await;
    assert_graph_error(&r, 415, "20131");
    // unknown section
    let r = send(&t, Method::POST, "/me/onenote/sections/1-nope/pages", "text/html", b"<p>x</p>".to_vec()).await;
    assert_graph_error(&r, 404, "20102");
}

#[tokio::test]
async fn patch_commands_change_the_stored_page() {
    let t = T::start().await;
    let projects = section_id(&t, "Projects").await;
    let page = create_html(
        &t,
        &projects,
        r#"<html><head><title>Plan</title></head><body><p data-id="intro">Intro</p><ul data-id="items"><li>A</li></ul><p>Old text</p></body></html>"#,
    )
    .await;
    let id = page["id"].as_str().unwrap().to_owned();
    let before = content(&t, &id, true).await;
    let old = generated_id(&before, "p", "Old text");
    let r = patch(
        &t,
        &id,
        json!([
            {"target": "body", "action": "append", "content": "<p data-id=\"last\">Appended</p>"},
            {"target": "body", "action": "prepend", "content": "<p>First</p>"},
            {"target": "#intro", "action": "insert", "position": "before", "content": "<h2>Heading</h2>"},
            {"target": "#items", "action": "append", "content": "<li>B</li>"},
            {"target": "#items", "action": "append", "position": "before", "content": "<li>Zero</li>"},
            {"target": old, "action": "replace", "content": "<p>New text</p>"},
            {"target": "title", "action": "replace", "content": "Plan v2"},
        ]),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.json);
    let html = content(&t, &id, false).await;
    let order = [
        "<title>Plan v2</title>",
        "First",
        "Heading",
        "Intro",
        "Zero",
        "<li>A</li>",
        "<li>B</li>",
        "New text",
        "Appended",
    ];
    let mut at = 0;
    for needle in order {
        let i = html[at..].find(needle).unwrap_or_else(|| panic!("{needle:?} after {at} in {html}"));
        at += i;
    }
    assert!(!html.contains("Old text"));
    assert_eq!(t.get(&format!("/me/onenote/pages/{}", seg(&id))).await.json["title"], "Plan v2");

    // new elements got generated ids; an old id that was replaced is gone
    let after = content(&t, &id, true).await;
    let appended = generated_id(&after, "p", "Appended");
    assert_ne!(appended, old);
    let r = patch(&t, &id, json!([{"target": old, "action": "replace", "content": "<p>x</p>"}])).await;
    assert_graph_error(&r, 400, "20120");
    // what OneNote refuses
    let cases = [
        (json!({"target": appended, "action": "append", "content": "<p>x</p>"}), "20138"),
        (json!({"target": "body", "action": "replace", "content": "<p>x</p>"}), "20141"),
        (json!({"target": "title", "action": "append", "content": "x"}), "20141"),
        (json!({"target": "#nope", "action": "insert", "content": "<p>x</p>"}), "20120"),
        (json!({"target": "intro", "action": "insert", "content": "<p>x</p>"}), "20134"),
        (json!({"target": "body", "action": "explode", "content": "<p>x</p>"}), "20122"),
        (json!({"target": "body", "action": "append", "position": "middle", "content": "<p>x</p>"}), "20121"),
    ];
    for (cmd, code) in cases {
        let r = patch(&t, &id, json!([cmd.clone()])).await;
        assert_graph_error(&r, 400, code);
    }
    assert_graph_error(&patch(&t, &id, json!([])).await, 400, "20125");
    let r =
        send(&t, Method::PATCH, &format!("/me/onenote/pages/{}/content", seg(&id)), "application/json", b"{".to_vec())
            .await;
    assert_graph_error(&r, 400, "20109");
    // a failed batch changes nothing
    let r = patch(
        &t,
        &id,
        json!([
            {"target": "body", "action": "append", "content": "<p>Not kept</p>"},
            {"target": "#nope", "action": "insert", "content": "<p>x</p>"},
        ]),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(!content(&t, &id, false).await.contains("Not kept"));

    // a multipart PATCH with an image
    let png: &[u8] = b"\x89PNG patch";
    let body = multipart(
        "pb",
        &[
            (
                "Commands",
                "application/json",
                br#"[{"target":"body","action":"append","content":"<img src=\"name:pic\" alt=\"added\" />"}]"#,
            ),
            ("pic", "image/png", png),
        ],
    );
    let r = send(
        &t,
        Method::PATCH,
        &format!("/me/onenote/pages/{}/content", seg(&id)),
        "multipart/form-data; boundary=pb",
        body,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.json);
    assert!(content(&t, &id, false).await.contains(r#"alt="added""#));
    let body = multipart("pb", &[("pic", "image/png", png)]);
    let r = send(
        &t,
        Method::PATCH,
        &format!("/me/onenote/pages/{}/content", seg(&id)),
        "multipart/form-data; boundary=pb",
        body,
    )
    .await;
    assert_graph_error(&r, 400, "20124");

    // delete
    assert_eq!(t.delete(&format!("/me/onenote/pages/{}", seg(&id))).await.status, 204);
    assert_graph_error(&t.get(&format!("/me/onenote/pages/{}", seg(&id))).await, 404, "20102");
    assert_graph_error(&t.get(&format!("/me/onenote/pages/{}/content", seg(&id))).await, 404, "20102");
    assert_graph_error(&t.delete(&format!("/me/onenote/pages/{}", seg(&id))).await, 404, "20102");
}

#[tokio::test]
async fn copy_to_section_is_an_operation_that_completes_after_a_few_polls() {
    let t = T::start().await;
    let pages = t.get("/me/onenote/pages?$filter=title eq 'Mark 8 launch plan'").await.values();
    let page = pages[0]["id"].as_str().unwrap().to_owned();
    let journal = section_id(&t, "Journal").await;
    let r = t.post(&format!("/me/onenote/pages/{}/copyToSection", seg(&page)), json!({"id": journal})).await;
    assert_eq!(r.status, 202, "{}", r.json);
    let location = r.header("operation-location").expect("Operation-Location").to_owned();
    assert!(location.starts_with(&format!("{}/me/onenote/operations/copy-", t.emu.base_url())), "{location}");
    // on the Graph host: the token is needed
    let anonymous = t.http.get(&location).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let statuses: Vec<Value> = {
        let mut out = Vec::new();
        for _ in 0..4 {
            out.push(t.get(&location).await.json);
        }
        out
    };
    let names: Vec<&str> = statuses.iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(names, ["NotStarted", "Running", "Completed", "Completed"]);
    let done = &statuses[2];
    let new_id = done["resourceId"].as_str().unwrap();
    assert_ne!(new_id, page);
    let loc = done["resourceLocation"].as_str().unwrap();
    let copy = t.get(loc).await;
    assert_eq!(copy.status, 200, "{}", copy.json);
    assert_eq!(copy.json["title"], "Mark 8 launch plan");
    assert_eq!(copy.json["parentSection"]["displayName"], "Journal");
    assert!(content(&t, new_id, false).await.contains("Regulatory approval in the EU"));
    assert_eq!(statuses[3]["resourceId"], done["resourceId"]);

    // errors
    let r = t.post(&format!("/me/onenote/pages/{}/copyToSection", seg(&page)), json!({"id": "1-nope"})).await;
    assert_graph_error(&r, 404, "20156");
    let r = t.post("/me/onenote/pages/1-nope/copyToSection", json!({"id": journal})).await;
    assert_graph_error(&r, 404, "20102");
    assert_graph_error(&t.get("/me/onenote/operations/copy-nope").await, 404, "20102");
    // the source deleted before the copy ran: the operation fails
    let r = t.post(&format!("/me/onenote/pages/{}/copyToSection", seg(&page)), json!({"id": journal})).await;
    let location = r.header("operation-location").unwrap().to_owned();
    assert_eq!(t.delete(&format!("/me/onenote/pages/{}", seg(&page))).await.status, 204);
    let mut last = Value::Null;
    for _ in 0..3 {
        last = t.get(&location).await.json;
    }
    assert_eq!(last["status"], "Failed");
    assert!(last["error"]["message"].as_str().is_some());
}

#[tokio::test]
async fn onenote_throttles_without_retry_after() {
    let t = T::start().await;
    t.emu.set_throttling(Some(Throttling::new(0.01, 2)));
    let mut throttled = None;
    for _ in 0..3 {
        let r = t.get("/me/onenote/notebooks").await;
        if r.status == 429 {
            throttled = Some(r);
        }
    }
    let r = throttled.expect("a 429");
    assert_graph_error(&r, 429, "20166");
    assert!(r.header("retry-after").is_none(), "OneNote sends no Retry-After");
    // Outlook's 429s keep theirs
    let mail = t.get("/me/messages").await;
    assert_eq!(mail.status, 429);
    assert!(mail.header("retry-after").is_some());
}

#[tokio::test]
async fn notebooks_sections_and_groups_can_be_created_with_onenote_name_rules() {
    let t = T::start().await;
    let r = t.post("/me/onenote/notebooks", json!({"displayName": "Work"})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let nb = r.json["id"].as_str().unwrap().to_owned();
    assert_graph_error(&t.post("/me/onenote/notebooks", json!({"displayName": "Work"})).await, 409, "20117");
    assert_graph_error(&t.post("/me/onenote/notebooks", json!({"displayName": "a/b"})).await, 400, "20115");
    assert_graph_error(&t.post("/me/onenote/notebooks", json!({"displayName": "  "})).await, 400, "20152");
    let r = t.post(&format!("/me/onenote/notebooks/{}/sections", seg(&nb)), json!({"displayName": "Inbox"})).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json["parentNotebook"]["displayName"], "Work");
    let r = t.post(&format!("/me/onenote/notebooks/{}/sections", seg(&nb)), json!({"displayName": "a&b"})).await;
    assert_graph_error(&r, 400, "20153");
    let r = t.post(&format!("/me/onenote/notebooks/{}/sectionGroups", seg(&nb)), json!({"displayName": "2026"})).await;
    assert_eq!(r.status, 201);
    let g = r.json["id"].as_str().unwrap().to_owned();
    let r = t.post(&format!("/me/onenote/sectionGroups/{}/sections", seg(&g)), json!({"displayName": "March"})).await;
    assert_eq!(r.json["parentSectionGroup"]["displayName"], "2026");
    let r =
        t.get(&format!("/me/onenote/notebooks/{}?$expand=sections,sectionGroups($expand=sections)", seg(&nb))).await;
    assert_eq!(r.json["sections"][0]["displayName"], "Inbox");
    assert_eq!(r.json["sectionGroups"][0]["sections"][0]["displayName"], "March");
    assert_graph_error(&t.get("/me/onenote/notebooks/1-nope").await, 404, "20102");
    // another user's OneNote is not reachable with a delegated token
    let r = t.get(&format!("/users/{}/onenote/notebooks", demo::SECOND_USER_ID)).await;
    assert_eq!(r.status, 403);
    let r = t.get(&format!("/users/{}/onenote/notebooks", demo::USER_ID)).await;
    assert_eq!(r.status, 200);
}
