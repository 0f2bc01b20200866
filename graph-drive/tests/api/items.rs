//! Drives and items: get, by path and by id, list children, content, search.

use futures::TryStreamExt;
use msgraph_drive::{DriveByIdExt, DriveExt, DriveItem, DriveType, FileKind, ItemRef, SpecialFolder};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::{DRIVE, ROOT, graph, refused};

fn ok(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(body)
}

#[tokio::test]
async fn the_users_drive_with_quota_beyond_i32() {
    let g = graph().await;
    Mock::given(method("GET")).and(path("/v1.0/me/drive")).respond_with(ok(DRIVE)).expect(1).mount(&g.server).await;
    let drive = g.client().me().drive().get().await.unwrap();
    assert_eq!(drive.drive_type, Some(DriveType::Business));
    assert_eq!(drive.quota.unwrap().total, Some(1_099_511_627_776));
    assert_eq!(drive.owner.unwrap().user.unwrap().display_name.as_deref(), Some("Ryan Gregg"));
}

#[tokio::test]
async fn drives_of_a_user_and_a_drive_by_id() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/adele@contoso.com/drives"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(r#"{{"value":[{DRIVE}]}}"#)))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/drives/b!t18F8ybsHUq1z3LT/root/children"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [json!(crate::json(ROOT))]})))
        .expect(1)
        .mount(&g.server)
        .await;
    let drives = g.client().user("adele@contoso.com").drives().send().await.unwrap();
    assert_eq!(drives.value.len(), 1);
    let root = g.client().drive_by_id("b!t18F8ybsHUq1z3LT").list("/").send().await.unwrap();
    assert!(root.value[0].root.is_some());
}

#[tokio::test]
async fn another_users_drive_and_a_drive_by_id_are_read_with_the_docs_payload() {
    let g = graph().await;
    for p in ["/v1.0/users/adele@contoso.com/drive", "/v1.0/drives/b!t18F8ybsHUq1z3LT"] {
        Mock::given(method("GET"))
            .and(path(p))
            .and(header("authorization", "Bearer test-token"))
            .respond_with(ok(DRIVE))
            .expect(1)
            .mount(&g.server)
            .await;
    }
    let theirs = g.client().user("adele@contoso.com").drive().get().await.unwrap();
    let by_id = g.client().drive_by_id("b!t18F8ybsHUq1z3LT").get().await.unwrap();
    assert_eq!(theirs, by_id);
    assert_eq!(by_id.id.as_deref(), Some("b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFNhsME-Fepo75dTf9vQKfeRblBZjoSQrd7"));
}

#[tokio::test]
async fn the_empty_path_and_slash_are_the_root() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root/children"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .expect(3)
        .mount(&g.server)
        .await;
    assert_eq!(ItemRef::path(""), ItemRef::Root);
    assert_eq!(ItemRef::from("///"), ItemRef::Root);
    let drive = g.client().me().drive();
    for folder in [ItemRef::path(""), ItemRef::from("/"), ItemRef::Root] {
        assert!(drive.list(folder).send().await.unwrap().value.is_empty());
    }
}

#[tokio::test]
async fn items_by_path_encode_each_name_and_by_id_are_one_segment() {
    let g = graph().await;
    for p in [
        "/v1.0/me/drive/root:/a%20b/c%23d.txt:",
        "/v1.0/me/drive/root:/100%25%3F/q%3Ax.txt:",
        "/v1.0/me/drive/items/01AB%2FCD",
        "/v1.0/me/drive/root",
        "/v1.0/me/drive/special/approot",
    ] {
        Mock::given(method("GET")).and(path(p)).respond_with(ok(ROOT)).expect(1).mount(&g.server).await;
    }
    let drive = g.client().me().drive();
    drive.item("/a b/c#d.txt").await.unwrap();
    drive.item(ItemRef::path("100%?/q:x.txt")).await.unwrap();
    drive.item("01AB/CD").await.unwrap();
    drive.item("/").await.unwrap();
    drive.special(SpecialFolder::AppRoot).await.unwrap();
    for r in g.requests().await {
        assert!(r.url.query().is_none(), "nothing leaked into the query: {}", r.url);
    }
}

#[tokio::test]
async fn a_path_with_dot_dot_or_an_empty_id_sends_nothing() {
    let g = graph().await;
    let drive = g.client().me().drive();
    refused(&g, drive.item("/Documents/../secret").await, "..").await;
    refused(&g, drive.list(ItemRef::id("")).send().await, "empty id").await;
}

#[tokio::test]
async fn children_by_path_with_odata_options_and_paging() {
    let g = graph().await;
    let next = format!("{}/me/drive/root:/Documents:/children?$skiptoken=2", g.base_url());
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/Documents:/children"))
        .and(query_param("$select", "id,name,file,folder"))
        .and(query_param("$orderby", "name"))
        .and(query_param("$top", "200"))
        .and(query_param("$expand", "thumbnails"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1", "name": "a.docx", "file": {}, "thumbnails": [
                {"id": "0", "small": {"height": 96, "width": 72, "url": "https://thumbs/s"}}
            ]}],
            "@odata.nextLink": next,
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/Documents:/children"))
        .and(query_param("$skiptoken", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [{"id": "2", "name": "Sub", "folder": {"childCount": 3}}]})),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let all: Vec<DriveItem> = g
        .client()
        .me()
        .drive()
        .list("/Documents")
        .select(["id", "name", "file", "folder"])
        .order_by("name")
        .top(200)
        .expand(["thumbnails"])
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].is_file() && all[1].is_folder());
    assert_eq!(all[1].folder.as_ref().unwrap().child_count, Some(3));
    let thumbs = all[0].thumbnails.as_ref().unwrap();
    assert_eq!(thumbs[0].small.as_ref().unwrap().url.as_deref(), Some("https://thumbs/s"));
}

#[tokio::test]
async fn small_content_as_bytes_and_text_follows_the_302_without_the_token() {
    let g = graph().await;
    let port = g.server.address().port();
    // the file host: another origin than the Graph mock (localhost vs 127.0.0.1)
    let blob = format!("http://localhost:{port}/blob/notes.txt?tempauth=SECRET");
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/notes.txt:/content"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", blob.as_str()))
        .expect(2)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/blob/notes.txt"))
        .respond_with(ResponseTemplate::new(200).set_body_string("héllo"))
        .expect(2)
        .mount(&g.server)
        .await;
    let drive = g.client().me().drive();
    assert_eq!(&drive.content("/notes.txt").await.unwrap()[..], "héllo".as_bytes());
    assert_eq!(drive.text("/notes.txt").await.unwrap(), "héllo");
    let blob_requests: Vec<_> = g.requests().await.into_iter().filter(|r| r.url.path() == "/blob/notes.txt").collect();
    assert!(blob_requests.iter().all(|r| r.headers.get("authorization").is_none()));
}

#[tokio::test]
async fn download_follows_the_302_without_the_token_into_a_file_with_progress() {
    let g = graph().await;
    let port = g.server.address().port();
    let blob = format!("http://localhost:{port}/blob/deck.pptx?tempauth=SECRET");
    let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/Documents/Q3%20%23%20deck.pptx:/content"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", blob.as_str()))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/blob/deck.pptx"))
        .and(query_param("tempauth", "SECRET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .expect(1)
        .mount(&g.server)
        .await;
    let dir = std::env::temp_dir().join(format!("msgraph-drive-download-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("deck.pptx");
    let last = std::sync::Arc::new(std::sync::Mutex::new((0u64, None)));
    let seen = last.clone();
    let n = g
        .client()
        .me()
        .drive()
        .download("/Documents/Q3 # deck.pptx")
        .on_progress(move |done, total| *seen.lock().unwrap() = (done, total))
        .to_file(&file)
        .await
        .unwrap();
    assert_eq!(n, body.len() as u64);
    assert_eq!(*last.lock().unwrap(), (body.len() as u64, Some(body.len() as u64)));
    assert!(std::fs::read(&file).unwrap() == body, "byte-identical");
    std::fs::remove_dir_all(&dir).unwrap();
    let blob_requests: Vec<_> = g.requests().await.into_iter().filter(|r| r.url.path() == "/blob/deck.pptx").collect();
    assert!(blob_requests.iter().all(|r| r.headers.get("authorization").is_none()));
}

#[tokio::test]
async fn search_quotes_the_query_and_filters_by_kind_and_name_on_the_client() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root/search(q='Bob%27%27s%20Q3')"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": "1", "name": "Q3 review.pptx", "file": {"mimeType": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}},
            {"id": "2", "name": "Q3 numbers.xlsx", "file": {}},
            {"id": "3", "name": "Q3 deck", "file": {"mimeType": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}},
            {"id": "4", "name": "Q3.pptx", "folder": {}}
        ]})))
        .expect(2)
        .mount(&g.server)
        .await;
    let drive = g.client().me().drive();
    let decks: Vec<DriveItem> =
        drive.search("Bob's Q3").kind(FileKind::PowerPoint).stream().try_collect().await.unwrap();
    assert_eq!(decks.iter().map(|d| d.id.clone().unwrap()).collect::<Vec<_>>(), ["1", "3"]);
    let page = drive.search("Bob's Q3").name_like("q3 *.xlsx").send().await.unwrap();
    assert_eq!(page.value.len(), 1);
}

#[tokio::test]
async fn drive_wide_search_returns_shared_items_with_remote_item() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/search(q='invoice.pdf')"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": "r1", "name": "invoice.pdf", "remoteItem": {"id": "x1", "name": "invoice.pdf", "file": {"mimeType": "application/pdf"}, "parentReference": {"driveId": "other"}}}
        ]})))
        .expect(1)
        .mount(&g.server)
        .await;
    let hits: Vec<DriveItem> =
        g.client().me().drive().search_all("invoice.pdf").kind(FileKind::Pdf).stream().try_collect().await.unwrap();
    assert_eq!(hits.len(), 1);
    let remote = hits[0].remote_item.as_ref().unwrap();
    assert_eq!(remote.parent_reference.as_ref().unwrap().drive_id.as_deref(), Some("other"));
}

#[tokio::test]
async fn a_missing_item_is_not_found() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/root:/nope.txt:"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({"error": {"code": "itemNotFound", "message": "The resource could not be found."}}),
            ),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let err = g.client().me().drive().item("/nope.txt").await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.code(), Some("itemNotFound"));
}
