//! OneDrive over plain HTTP: drives, items by id and path, content and
//! downloads, uploads (simple and sessions), folders, update/move with
//! eTags, delete/restore, copy monitors, search, sharing, versions,
//! thumbnails and delta.

mod common;

use std::collections::HashSet;

use common::{Resp, T, assert_graph_error, seg};
use msgraph_emulator::demo;
use reqwest::{Client, Method};
use serde_json::{Value, json};

const KIB: usize = 1024;
const SLICE: usize = 320 * KIB;

/// A client that does not follow redirects.
fn no_redirects() -> Client {
    Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Any request: bytes body, headers, and a token only when given.
async fn raw(
    client: &Client,
    method: Method,
    url: &str,
    auth: Option<&str>,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Resp {
    let mut rb = client.request(method, url);
    if let Some(token) = auth {
        rb = rb.bearer_auth(token);
    }
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let r = rb.body(body).send().await.expect("request sent");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.expect("body").to_vec();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp { status, headers, json, bytes }
}

/// `PUT` bytes to a Graph path with the test's token.
async fn put_bytes(t: &T, path: &str, body: &[u8]) -> Resp {
    raw(&t.http, Method::PUT, &t.url(path), Some(&t.token), &[("content-type", "text/plain")], body.to_vec()).await
}

async fn put_slice(t: &T, url: &str, data: &[u8], start: usize, end: usize) -> Resp {
    let range = format!("bytes {start}-{}/{}", end - 1, data.len());
    raw(&t.http, Method::PUT, url, None, &[("content-range", range.as_str())], data[start..end].to_vec()).await
}

fn names(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| i["name"].as_str().unwrap_or_default().to_owned()).collect()
}

fn id_of(r: &Resp) -> String {
    r.json["id"].as_str().unwrap_or_else(|| panic!("an id in {}", r.json)).to_owned()
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 253) as u8).collect()
}

#[tokio::test]
async fn every_user_has_a_business_drive() {
    let t = T::start().await;
    let me = t.get("/me/drive").await;
    assert_eq!(me.status, 200, "{}", me.json);
    let drive_id = me.json["id"].as_str().unwrap().to_owned();
    assert!(drive_id.starts_with("b!"));
    assert_eq!(me.json["driveType"], "business");
    assert_eq!(me.json["owner"]["user"]["id"], demo::USER_ID);
    assert_eq!(me.json["owner"]["user"]["displayName"], "Adele Vance");
    let quota = &me.json["quota"];
    assert_eq!(quota["total"], 1u64 << 40);
    assert!(quota["used"].as_u64().unwrap() > 2_000_000, "a few MB of demo files: {quota}");
    assert_eq!(quota["state"], "normal");
    assert_eq!(quota["remaining"].as_u64().unwrap() + quota["used"].as_u64().unwrap(), 1u64 << 40);

    for path in [format!("/users/{}/drive", demo::USER_UPN), format!("/drives/{}", seg(&drive_id))] {
        let r = t.get(&path).await;
        assert_eq!(r.json["id"], drive_id.as_str(), "{path}");
    }
    let list = t.get("/me/drives").await;
    assert_eq!(list.values().len(), 1);
    assert_eq!(list.values()[0]["id"], drive_id.as_str());
    let selected = t.get("/me/drive?$select=id,driveType").await;
    assert!(selected.json.get("quota").is_none() && selected.json["driveType"] == "business");

    // Another user's drive: its metadata, not its items.
    let alex = t.get(&format!("/users/{}/drive", demo::SECOND_USER_UPN)).await;
    assert_eq!(alex.status, 200);
    assert_eq!(alex.json["owner"]["user"]["id"], demo::SECOND_USER_ID);
    assert_ne!(alex.json["id"], drive_id.as_str());
    let denied = t.get(&format!("/users/{}/drive/root/children", demo::SECOND_USER_UPN)).await;
    assert_graph_error(&denied, 403, "accessDenied");

    // App-only: /users/{id}/drive works, /me does not.
    let app = t.emu.issue_app_token();
    let r = t.call_as(&app, Method::GET, &format!("/users/{}/drive/root/children", demo::USER_ID), None, &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(t.call_as(&app, Method::GET, "/me/drive", None, &[]).await.status, 400);
    // The handle sees the same.
    assert_eq!(t.emu.drive(demo::USER_UPN).unwrap()["id"], drive_id.as_str());
    let missing = t.get("/drives/b!nothing-here").await;
    assert_graph_error(&missing, 404, "itemNotFound");
}

#[tokio::test]
async fn items_by_id_by_path_and_special_folders() {
    let t = T::start().await;
    let root = t.get("/me/drive/root").await;
    assert_eq!(root.status, 200);
    assert_eq!(root.json["name"], "root");
    assert!(root.json["root"].is_object() && root.json["folder"]["childCount"].as_u64().unwrap() >= 3);
    let children = t.get("/me/drive/root/children").await;
    let got = names(&children.values());
    for n in ["Documents", "Pictures", "Expenses.csv"] {
        assert!(got.contains(&n.to_owned()), "{got:?}");
    }

    let report = t.get("/me/drive/root:/Documents/report.pdf:").await;
    assert_eq!(report.status, 200, "{}", report.json);
    let j = &report.json;
    assert_eq!(j["file"]["mimeType"], "application/pdf");
    assert!(j["file"]["hashes"]["quickXorHash"].as_str().unwrap().len() == 28);
    assert!(j["size"].as_u64().unwrap() > 100_000);
    let drive_id = t.get("/me/drive").await.json["id"].as_str().unwrap().to_owned();
    assert_eq!(j["parentReference"]["driveId"], drive_id.as_str());
    assert_eq!(j["parentReference"]["path"], format!("/drives/{drive_id}/root:/Documents"));
    assert!(j["eTag"].as_str().unwrap().starts_with("\"{") && j["cTag"].as_str().unwrap().starts_with("\"c:{"));
    assert!(j["@microsoft.graph.downloadUrl"].as_str().is_some());
    assert!(
        j["webUrl"].as_str().unwrap().starts_with("https://contoso-my.sharepoint.com/personal/adelev_contoso_com/")
    );
    assert_eq!(j["createdBy"]["user"]["displayName"], "Adele Vance");
    let report_id = j["id"].as_str().unwrap().to_owned();
    assert!(report_id.starts_with("01") && report_id.len() == 34);

    // The same item by id, by drive id, case-insensitively by path, relative to a folder.
    let docs = t.get("/me/drive/root:/Documents").await;
    let docs_id = id_of(&docs);
    for path in [
        format!("/me/drive/items/{report_id}"),
        format!("/drives/{}/items/{report_id}", seg(&drive_id)),
        "/me/drive/root:/documents/REPORT.PDF:".to_owned(),
        format!("/me/drive/items/{docs_id}:/report.pdf:"),
        "/me/drive/special/documents:/report.pdf:".to_owned(),
    ] {
        let r = t.get(&path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.json);
        assert_eq!(r.json["id"], report_id.as_str(), "{path}");
    }
    let nested = t.get(&format!("/me/drive/items/{docs_id}:/Archive/old-notes.md:")).await;
    assert_eq!(nested.json["name"], "old-notes.md");
    let listed = t.get("/me/drive/root:/Documents:/children").await;
    assert!(names(&listed.values()).contains(&"report.pdf".to_owned()));
    // `root:` and `root:/` are the root.
    for path in ["/me/drive/root:", "/me/drive/root:/", "/me/drive/items/root"] {
        assert_eq!(t.get(path).await.json["id"], root.json["id"], "{path}");
    }

    // Special folders.
    let special = t.get("/me/drive/special/documents").await;
    assert_eq!(special.json["id"], docs_id.as_str());
    assert_eq!(special.json["specialFolder"]["name"], "documents");
    assert_eq!(t.get("/me/drive/special/photos").await.json["name"], "Pictures");
    let music = t.get("/me/drive/special/music").await;
    assert_eq!((music.status, music.json["name"].clone()), (200, json!("Music")), "created on first use");
    assert_eq!(t.get("/me/drive/special/music").await.json["id"], music.json["id"]);
    assert_graph_error(&t.get("/me/drive/special/nonsense").await, 404, "itemNotFound");

    // Missing items, in Graph's error shape.
    assert_graph_error(&t.get("/me/drive/root:/Documents/nothing.pdf:").await, 404, "itemNotFound");
    assert_graph_error(&t.get("/me/drive/items/01NOTANITEM").await, 404, "itemNotFound");
    assert_graph_error(&t.get("/me/drive/root:/Documents/report.pdf/x:").await, 404, "itemNotFound");
    assert_eq!(t.call(Method::PUT, "/me/drive/root", None, &[]).await.status, 405);

    // In a $batch too.
    let batch = t
        .post(
            "/$batch",
            json!({"requests": [{"id": "1", "method": "GET", "url": "/me/drive/root:/Documents/report.pdf:?$select=name"}]}),
        )
        .await;
    assert_eq!(batch.json["responses"][0]["status"], 200, "{}", batch.json);
    assert_eq!(batch.json["responses"][0]["body"]["name"], "report.pdf");
}

#[tokio::test]
async fn path_segments_are_percent_decoded_one_by_one() {
    let t = T::start().await;
    let content = b"hash and percent".to_vec();
    // `a b#c%d é.txt`: space, '#', '%' and a non-ASCII letter, each encoded.
    let encoded = "a%20b%23c%25d%20%C3%A9.txt";
    let r = put_bytes(&t, &format!("/me/drive/root:/Documents/{encoded}:/content"), &content).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["name"], "a b#c%d é.txt");
    let got = t.get(&format!("/me/drive/root:/Documents/{encoded}:")).await;
    assert_eq!(got.json["id"], r.json["id"]);
    assert_eq!(t.emu.drive_file_content(demo::USER_UPN, "/Documents/a b#c%d é.txt").unwrap(), content);
    // `%2F` is a character of a name, not a separator: and '/' is not allowed in names.
    let slash = put_bytes(&t, "/me/drive/root:/Documents/x%2Fy.txt:/content", b"x").await;
    assert_graph_error(&slash, 400, "invalidRequest");
    // `a b#c?.txt`: the '?' arrives as %3F, is decoded as part of the name,
    // and OneDrive does not allow it in names.
    let question = put_bytes(&t, "/me/drive/root:/Documents/a%20b%23c%3F.txt:/content", b"x").await;
    assert_graph_error(&question, 400, "invalidRequest");
    assert!(question.json["error"]["message"].as_str().unwrap().contains("a b#c?.txt"));
    // Unencoded, '#' starts a fragment: the server sees `a b` only.
    let fragment = t.get("/me/drive/root:/Documents/a b#c%d é.txt:").await;
    assert_graph_error(&fragment, 404, "itemNotFound");
    // Missing folders on the way are made by an upload.
    let deep = put_bytes(&t, "/me/drive/root:/New%20Folder/Sub/deep.txt:/content", b"deep").await;
    assert_eq!(deep.status, 201, "{}", deep.json);
    assert_eq!(t.get("/me/drive/root:/New Folder/Sub:").await.json["folder"]["childCount"], 1);
}

#[tokio::test]
async fn children_page_by_200_with_select_orderby_and_thumbnails() {
    let t = T::start().await;
    for i in 0..205 {
        t.emu.add_drive_file(demo::USER_UPN, &format!("/Bulk/file-{i:03}.txt"), format!("file {i}")).unwrap();
    }
    let first = t.get("/me/drive/root:/Bulk:/children").await;
    assert_eq!(first.values().len(), 200, "OneDrive's default page");
    let next = first.json["@odata.nextLink"].as_str().unwrap();
    assert!(next.contains("skiptoken"), "{next}");
    let (all, pages) = t.all_pages("/me/drive/root:/Bulk:/children", &[]).await;
    assert_eq!((all.len(), pages), (205, 2));
    let ids: HashSet<&str> = all.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 205);
    let (_, pages) = t.all_pages("/me/drive/root:/Bulk:/children?$top=50", &[]).await;
    assert_eq!(pages, 5);
    let (_, pages) = t.all_pages("/me/drive/root:/Bulk:/children", &[("Prefer", "odata.maxpagesize=100")]).await;
    assert_eq!(pages, 3);

    let sorted = t.get("/me/drive/root:/Bulk:/children?$orderby=name desc&$top=3&$select=name,size").await;
    assert_eq!(names(&sorted.values()), ["file-204.txt", "file-203.txt", "file-202.txt"]);
    for item in sorted.values() {
        let keys: HashSet<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, HashSet::from(["id", "name", "size"]), "{item}");
    }
    let with_url = t.get("/me/drive/root:/Bulk:/children?$top=1&$select=id,@microsoft.graph.downloadUrl").await;
    assert!(with_url.values()[0]["@microsoft.graph.downloadUrl"].as_str().is_some());
    assert_graph_error(&t.get("/me/drive/root/children?$select=colour").await, 400, "RequestBroker--ParseUri");
    assert_graph_error(&t.get("/me/drive/root/children?$skip=10").await, 400, "invalidRequest");

    let pics = t.get("/me/drive/root:/Pictures:/children?$expand=thumbnails&$select=name").await;
    assert_eq!(pics.values().len(), 3);
    for p in pics.values() {
        let set = &p["thumbnails"][0];
        for size in ["small", "medium", "large"] {
            assert!(set[size]["url"].as_str().is_some() && set[size]["width"].as_u64().is_some(), "{p}");
        }
    }
    let single = t.get("/me/drive/root:/Documents:?$expand=children").await;
    assert!(single.json["children"].as_array().unwrap().len() >= 5);
}

#[tokio::test]
async fn content_redirects_to_a_download_url_that_needs_no_token() {
    let t = T::start().await;
    let bare = no_redirects();
    let expected = t.emu.drive_file_content(demo::USER_UPN, "/Documents/report.pdf").unwrap();
    let item = t.get("/me/drive/root:/Documents/report.pdf:").await;
    let id = id_of(&item);

    let r = raw(&bare, Method::GET, &t.url(&format!("/me/drive/items/{id}/content")), Some(&t.token), &[], Vec::new())
        .await;
    assert_eq!(r.status, 302);
    assert!(r.bytes.is_empty());
    let location = r.header("location").unwrap().to_owned();
    // Another host than Graph's (the same socket under its other name).
    assert!(location.starts_with("http://localhost:") && location.contains("/download/"), "{location}");

    // No token: the bytes.
    let file = raw(&bare, Method::GET, &location, None, &[], Vec::new()).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.bytes, expected);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert_eq!(file.header("accept-ranges"), Some("bytes"));
    // A bearer token is not what this URL takes.
    let leaked = raw(&bare, Method::GET, &location, Some(&t.token), &[], Vec::new()).await;
    assert_graph_error(&leaked, 401, "unauthenticated");
    // A forged or altered URL is refused.
    let forged = raw(&bare, Method::GET, &format!("{location}0"), None, &[], Vec::new()).await;
    assert_eq!(forged.status, 401);

    // Range: 206 with Content-Range; beyond the end 416.
    let len = expected.len();
    let part = raw(&bare, Method::GET, &location, None, &[("range", "bytes=0-1023")], Vec::new()).await;
    assert_eq!(part.status, 206);
    assert_eq!(part.header("content-range"), Some(format!("bytes 0-1023/{len}").as_str()));
    assert_eq!(part.bytes, expected[..1024]);
    let tail =
        raw(&bare, Method::GET, &location, None, &[("range", &format!("bytes={}-", len - 10))], Vec::new()).await;
    assert_eq!((tail.status, tail.bytes.as_slice()), (206, &expected[len - 10..]));
    let suffix = raw(&bare, Method::GET, &location, None, &[("range", "bytes=-5")], Vec::new()).await;
    assert_eq!(suffix.bytes, expected[len - 5..]);
    let beyond = raw(&bare, Method::GET, &location, None, &[("range", &format!("bytes={len}-"))], Vec::new()).await;
    assert_eq!(beyond.status, 416);
    assert_eq!(beyond.header("content-range"), Some(format!("bytes */{len}").as_str()));

    // The item's downloadUrl is the same kind of URL.
    let url = item.json["@microsoft.graph.downloadUrl"].as_str().unwrap();
    assert_eq!(raw(&bare, Method::GET, url, None, &[], Vec::new()).await.bytes, expected);
    // A client that follows the redirect itself drops its token on the other host.
    let followed = t.get("/me/drive/root:/Documents/report.pdf:/content").await;
    assert_eq!((followed.status, followed.bytes.len()), (200, len));
    // If-None-Match with the current eTag: 304.
    let etag = item.json["eTag"].as_str().unwrap();
    let r = t.get_with(&format!("/me/drive/items/{id}"), &[("if-none-match", etag)]).await;
    assert_eq!(r.status, 304);
    // Folders have no content.
    assert_graph_error(&t.get("/me/drive/root:/Documents:/content").await, 400, "invalidRequest");
}

#[tokio::test]
async fn simple_upload_conflicts_and_versions() {
    let t = T::start().await;
    let path = "/me/drive/root:/Documents/draft.txt:/content";
    let first = put_bytes(&t, path, b"version one").await;
    assert_eq!(first.status, 201, "{}", first.json);
    assert_eq!((first.json["name"].clone(), first.json["size"].clone()), (json!("draft.txt"), json!(11)));
    assert_eq!(first.json["file"]["mimeType"], "text/plain");
    let id = id_of(&first);
    // PUT replaces by default: 200, same item, a new version.
    let second = put_bytes(&t, path, b"version two!").await;
    assert_eq!((second.status, id_of(&second)), (200, id.clone()));
    assert_ne!(second.json["cTag"], first.json["cTag"]);
    // fail: 409 nameAlreadyExists; rename: a new file next to it.
    let fail = put_bytes(&t, &format!("{path}?@microsoft.graph.conflictBehavior=fail"), b"x").await;
    assert_graph_error(&fail, 409, "nameAlreadyExists");
    let renamed = put_bytes(&t, &format!("{path}?@microsoft.graph.conflictBehavior=rename"), b"x").await;
    assert_eq!((renamed.status, renamed.json["name"].clone()), (201, json!("draft 1.txt")));
    // By id: the content is replaced.
    let third = put_bytes(&t, &format!("/me/drive/items/{id}/content"), b"version three").await;
    assert_eq!(third.status, 200);

    let list = t.get(&format!("/me/drive/items/{id}/versions")).await.values();
    assert_eq!(list.iter().map(|v| v["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>(), ["3.0", "2.0", "1.0"]);
    assert_eq!(list[2]["size"], 11);
    let old = t.get(&format!("/me/drive/items/{id}/versions/1.0/content")).await;
    assert_eq!(old.bytes, b"version one");
    let one = t.get(&format!("/me/drive/items/{id}/versions/1.0")).await;
    assert_eq!(one.json["id"], "1.0");
    assert_graph_error(&t.get(&format!("/me/drive/items/{id}/versions/9.0")).await, 404, "itemNotFound");
    let restored = t.post(&format!("/me/drive/items/{id}/versions/1.0/restoreVersion"), json!({})).await;
    assert_eq!(restored.status, 204);
    assert_eq!(t.emu.drive_file_content(demo::USER_UPN, "/Documents/draft.txt").unwrap(), b"version one");
    assert_eq!(t.get(&format!("/me/drive/items/{id}/versions")).await.values().len(), 4);

    // The seeded "Project Plan.docx" has history too.
    let plan = t.get("/me/drive/root:/Documents/Project Plan.docx:/versions").await;
    assert_eq!(plan.values().len(), 2);
}

#[tokio::test]
async fn upload_sessions_follow_the_320_kib_rule() {
    let t = T::start().await;
    let file = data(3 * SLICE + 1000);
    let r = t.post("/me/drive/root:/Documents/big.bin:/createUploadSession", json!({})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["nextExpectedRanges"], json!(["0-"]));
    assert!(r.json["expirationDateTime"].as_str().is_some());
    let url = r.json["uploadUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://localhost:") && url.contains("/upload/drive/"), "{url}");

    // Not a multiple of 320 KiB and not the last slice.
    assert_graph_error(&put_slice(&t, &url, &file, 0, 100_000).await, 400, "invalidRequest");
    let r = put_slice(&t, &url, &file, 0, 2 * SLICE).await;
    assert_eq!(r.status, 202, "{}", r.json);
    assert_eq!(r.json["nextExpectedRanges"], json!([format!("{}-", 2 * SLICE)]));
    // The same bytes again, or out of order: 416.
    assert_graph_error(&put_slice(&t, &url, &file, 0, SLICE).await, 416, "invalidRange");
    assert_graph_error(&put_slice(&t, &url, &file, 3 * SLICE, file.len()).await, 416, "invalidRange");
    // A token on the upload URL is refused.
    let range = format!("bytes {}-{}/{}", 2 * SLICE, 3 * SLICE - 1, file.len());
    let body = file[2 * SLICE..3 * SLICE].to_vec();
    let with_token = raw(&t.http, Method::PUT, &url, Some(&t.token), &[("content-range", &range)], body).await;
    assert_graph_error(&with_token, 401, "unauthenticated");
    // GET: the status.
    let status = raw(&t.http, Method::GET, &url, None, &[], Vec::new()).await;
    assert_eq!(status.json["nextExpectedRanges"], json!([format!("{}-", 2 * SLICE)]));

    assert_eq!(put_slice(&t, &url, &file, 2 * SLICE, 3 * SLICE).await.status, 202);
    // The last slice need not be a multiple: 201 with the driveItem.
    let done = put_slice(&t, &url, &file, 3 * SLICE, file.len()).await;
    assert_eq!(done.status, 201, "{}", done.json);
    assert_eq!((done.json["name"].clone(), done.json["size"].clone()), (json!("big.bin"), json!(file.len())));
    assert_eq!(t.emu.drive_file_content(demo::USER_UPN, "/Documents/big.bin").unwrap(), file);
    assert_graph_error(&raw(&t.http, Method::GET, &url, None, &[], Vec::new()).await, 404, "itemNotFound");

    // A session on the existing file (by id) replaces its content: 200, same item.
    let id = id_of(&done);
    let s = t.post(&format!("/me/drive/items/{id}/createUploadSession"), json!({"item": {}})).await;
    let url = s.json["uploadUrl"].as_str().unwrap().to_owned();
    let small = b"small now".to_vec();
    let r = put_slice(&t, &url, &small, 0, small.len()).await;
    assert_eq!((r.status, id_of(&r)), (200, id.clone()));
    assert_eq!(t.get(&format!("/me/drive/items/{id}/versions")).await.values().len(), 2);

    // By path on an existing name: fail (the default) refuses at once, rename does not.
    let clash = t.post("/me/drive/root:/Documents/big.bin:/createUploadSession", json!({})).await;
    assert_graph_error(&clash, 409, "nameAlreadyExists");
    let body = json!({"item": {"@microsoft.graph.conflictBehavior": "rename", "name": "big.bin"}});
    let s = t.post("/me/drive/root:/Documents/big.bin:/createUploadSession", body).await;
    let url = s.json["uploadUrl"].as_str().unwrap().to_owned();
    let r = put_slice(&t, &url, &small, 0, small.len()).await;
    assert_eq!((r.status, r.json["name"].clone()), (201, json!("big 1.bin")));
    // The name in the body must be the one in the path.
    let body = json!({"item": {"name": "other.bin"}});
    assert_graph_error(
        &t.post("/me/drive/root:/Documents/x.bin:/createUploadSession", body).await,
        400,
        "invalidRequest",
    );
}

async fn session_url(t: &T, name: &str, body: Value) -> String {
    let r = t.post(&format!("/me/drive/root:/Documents/{name}:/createUploadSession"), body).await;
    r.json["uploadUrl"].as_str().unwrap_or_else(|| panic!("an uploadUrl in {}", r.json)).to_owned()
}

#[tokio::test]
async fn upload_sessions_cancel_expire_conflict_and_defer() {
    let t = T::start().await;
    let file = data(SLICE + 10);

    // DELETE cancels: 204, then 404 for everything.
    let url = session_url(&t, "cancel.bin", json!({})).await;
    assert_eq!(put_slice(&t, &url, &file, 0, SLICE).await.status, 202);
    assert_eq!(raw(&t.http, Method::DELETE, &url, None, &[], Vec::new()).await.status, 204);
    assert_graph_error(&put_slice(&t, &url, &file, SLICE, file.len()).await, 404, "itemNotFound");
    assert_eq!(raw(&t.http, Method::GET, &url, None, &[], Vec::new()).await.status, 404);
    assert_graph_error(&t.get("/me/drive/root:/Documents/cancel.bin:").await, 404, "itemNotFound");

    // Expired: 404.
    let url = session_url(&t, "expire.bin", json!({})).await;
    t.emu.expire_upload_sessions();
    assert_graph_error(&put_slice(&t, &url, &file, 0, SLICE).await, 404, "itemNotFound");

    // A file with the same name appears during the upload: 409 at the end, the session stays.
    let url = session_url(&t, "race.bin", json!({})).await;
    assert_eq!(put_slice(&t, &url, &file, 0, SLICE).await.status, 202);
    assert_eq!(put_bytes(&t, "/me/drive/root:/Documents/race.bin:/content", b"first").await.status, 201);
    let end = put_slice(&t, &url, &file, SLICE, file.len()).await;
    assert_graph_error(&end, 409, "nameAlreadyExists");
    let status = raw(&t.http, Method::GET, &url, None, &[], Vec::new()).await;
    assert_eq!((status.status, status.json["nextExpectedRanges"].clone()), (200, json!([])));

    // deferCommit: the last slice answers 202; an empty POST makes the file.
    let url = session_url(&t, "deferred.bin", json!({"deferCommit": true})).await;
    assert_eq!(put_slice(&t, &url, &file, 0, SLICE).await.status, 202);
    let last = put_slice(&t, &url, &file, SLICE, file.len()).await;
    assert_eq!(last.status, 202);
    assert_graph_error(&t.get("/me/drive/root:/Documents/deferred.bin:").await, 404, "itemNotFound");
    let commit = raw(&t.http, Method::POST, &url, None, &[], Vec::new()).await;
    assert_eq!(commit.status, 201, "{}", commit.json);
    assert_eq!(t.get("/me/drive/root:/Documents/deferred.bin:").await.json["size"], file.len());

    // fileSize announces the total; a different total is refused; beyond the quota 507.
    let url = session_url(&t, "sized.bin", json!({"item": {"fileSize": 20}})).await;
    let h = [("content-range", "bytes 0-9/30")];
    assert_graph_error(&raw(&t.http, Method::PUT, &url, None, &h, vec![0; 10]).await, 400, "invalidRequest");
    let huge = t
        .post("/me/drive/root:/Documents/huge.bin:/createUploadSession", json!({"item": {"fileSize": 1u64 << 41}}))
        .await;
    assert_graph_error(&huge, 507, "quotaLimitReached");
}

#[tokio::test]
async fn folders_rename_and_move_with_etags() {
    let t = T::start().await;
    let folder = json!({"name": "Projects", "folder": {}, "@microsoft.graph.conflictBehavior": "fail"});
    let created = t.post("/me/drive/root/children", folder.clone()).await;
    assert_eq!(created.status, 201, "{}", created.json);
    assert_eq!(created.json["folder"]["childCount"], 0);
    assert!(created.json.get("cTag").is_none(), "no cTag on folders in OneDrive for Business");
    let id = id_of(&created);
    assert_graph_error(&t.post("/me/drive/root/children", folder).await, 409, "nameAlreadyExists");
    let renamed = t
        .post(
            "/me/drive/root/children",
            json!({"name": "Projects", "folder": {}, "@microsoft.graph.conflictBehavior": "rename"}),
        )
        .await;
    assert_eq!(renamed.json["name"], "Projects 1");
    assert_graph_error(&t.post("/me/drive/root/children", json!({"name": "x"})).await, 400, "invalidRequest");
    assert_graph_error(
        &t.post("/me/drive/root/children", json!({"name": "a:b", "folder": {}})).await,
        400,
        "invalidRequest",
    );

    // PATCH with the current eTag: renamed, new eTag. With the old one: 412.
    let etag = created.json["eTag"].as_str().unwrap().to_owned();
    let r = t
        .call(Method::PATCH, &format!("/me/drive/items/{id}"), Some(json!({"name": "Plans"})), &[("if-match", &etag)])
        .await;
    assert_eq!((r.status, r.json["name"].clone()), (200, json!("Plans")), "{}", r.json);
    assert_ne!(r.json["eTag"].as_str().unwrap(), etag);
    let stale = t
        .call(Method::PATCH, &format!("/me/drive/items/{id}"), Some(json!({"name": "Nope"})), &[("if-match", &etag)])
        .await;
    assert_graph_error(&stale, 412, "resourceModified");
    let stale_delete = t.call(Method::DELETE, &format!("/me/drive/items/{id}"), None, &[("if-match", &etag)]).await;
    assert_graph_error(&stale_delete, 412, "resourceModified");

    // Move by parentReference.id, then by path.
    let docs = t.get("/me/drive/root:/Documents").await;
    let moved = t.patch(&format!("/me/drive/items/{id}"), json!({"parentReference": {"id": id_of(&docs)}})).await;
    assert_eq!(moved.status, 200, "{}", moved.json);
    assert!(moved.json["parentReference"]["path"].as_str().unwrap().ends_with("root:/Documents"));
    assert_eq!(t.get("/me/drive/root:/Documents/Plans:").await.json["id"], id.as_str());
    let back = t
        .patch(
            &format!("/me/drive/items/{id}"),
            json!({"parentReference": {"path": "/drive/root:"}, "name": "Plans 2024"}),
        )
        .await;
    assert_eq!(back.json["parentReference"]["id"], t.get("/me/drive/root").await.json["id"]);
    assert_eq!(back.json["name"], "Plans 2024");
    // Not into itself, not onto a taken name.
    let child = t.post(&format!("/me/drive/items/{id}/children"), json!({"name": "Inner", "folder": {}})).await;
    let into_child = t.patch(&format!("/me/drive/items/{id}"), json!({"parentReference": {"id": id_of(&child)}})).await;
    assert_graph_error(&into_child, 400, "invalidRequest");
    assert_graph_error(
        &t.patch(&format!("/me/drive/items/{id}"), json!({"name": "Documents"})).await,
        409,
        "nameAlreadyExists",
    );
    let other_drive = json!({"parentReference": {"driveId": "b!elsewhere", "id": "01X"}});
    assert_graph_error(&t.patch(&format!("/me/drive/items/{id}"), other_drive).await, 400, "invalidRequest");
    assert_graph_error(&t.patch("/me/drive/root", json!({"name": "x"})).await, 400, "invalidRequest");
}

#[tokio::test]
async fn delete_goes_to_the_recycle_bin_and_restore_brings_it_back() {
    let t = T::start().await;
    let archive = t.get("/me/drive/root:/Documents/Archive").await;
    let id = id_of(&archive);
    let before = t.get("/me/drive").await.json["quota"]["deleted"].as_u64().unwrap();
    assert_eq!(t.delete(&format!("/me/drive/items/{id}")).await.status, 204);
    assert_graph_error(&t.get(&format!("/me/drive/items/{id}")).await, 404, "itemNotFound");
    assert_graph_error(&t.get("/me/drive/root:/Documents/Archive/old-notes.md:").await, 404, "itemNotFound");
    assert!(!names(&t.get("/me/drive/root:/Documents:/children").await.values()).contains(&"Archive".to_owned()));
    assert!(t.get("/me/drive").await.json["quota"]["deleted"].as_u64().unwrap() > before);

    let restored = t.post(&format!("/me/drive/items/{id}/restore"), json!({})).await;
    assert_eq!(restored.status, 200, "{}", restored.json);
    assert_eq!(restored.json["name"], "Archive");
    assert_eq!(t.get("/me/drive/root:/Documents/Archive/old-notes.md:").await.status, 200);
    assert_graph_error(&t.post(&format!("/me/drive/items/{id}/restore"), json!({})).await, 400, "invalidRequest");

    // Restored elsewhere, under a new name.
    assert_eq!(t.delete(&format!("/me/drive/items/{id}")).await.status, 204);
    let root = t.get("/me/drive/root").await;
    let r = t
        .post(
            &format!("/me/drive/items/{id}/restore"),
            json!({"parentReference": {"id": id_of(&root)}, "name": "Old Archive"}),
        )
        .await;
    assert_eq!(r.json["parentReference"]["id"], root.json["id"]);
    assert_eq!(t.get("/me/drive/root:/Old Archive/old-notes.md:").await.status, 200);

    assert_eq!(t.post(&format!("/me/drive/items/{id}/permanentDelete"), json!({})).await.status, 204);
    assert_graph_error(&t.post(&format!("/me/drive/items/{id}/restore"), json!({})).await, 404, "itemNotFound");
    assert_graph_error(&t.delete("/me/drive/root").await, 400, "invalidRequest");
}

#[tokio::test]
async fn copy_is_watched_on_a_monitor_url_without_a_token() {
    let t = T::start().await;
    let bare = no_redirects();
    let docs = t.get("/me/drive/root:/Documents").await;
    let root = t.get("/me/drive/root").await;
    let body = json!({"parentReference": {"id": id_of(&root)}, "name": "Documents copy"});
    let r = t.post(&format!("/me/drive/items/{}/copy", id_of(&docs)), body.clone()).await;
    assert_eq!(r.status, 202, "{}", r.json);
    assert!(r.bytes.is_empty());
    let monitor = r.header("location").unwrap().to_owned();
    assert!(monitor.starts_with("http://localhost:") && monitor.contains("/monitor/"), "{monitor}");

    let mut seen = Vec::new();
    let resource = loop {
        let s = raw(&bare, Method::GET, &monitor, None, &[], Vec::new()).await;
        assert_eq!(s.status, 202, "{}", s.json);
        seen.push(s.json["percentageComplete"].as_f64().unwrap());
        match s.json["status"].as_str().unwrap() {
            "inProgress" => assert_eq!(s.json["operation"], "ItemCopy"),
            "completed" => break s.json["resourceId"].as_str().unwrap().to_owned(),
            other => panic!("status {other}"),
        }
        assert!(seen.len() < 10);
    };
    assert!(seen.len() >= 3 && seen.windows(2).all(|w| w[0] < w[1]) && *seen.last().unwrap() == 100.0, "{seen:?}");
    let copy = t.get(&format!("/me/drive/items/{resource}")).await;
    assert_eq!(copy.json["name"], "Documents copy");
    assert_eq!(copy.json["folder"]["childCount"], docs.json["folder"]["childCount"]);
    assert_eq!(copy.json["size"], docs.json["size"]);
    assert_eq!(
        t.emu.drive_file_content(demo::USER_UPN, "/Documents copy/report.pdf").unwrap(),
        t.emu.drive_file_content(demo::USER_UPN, "/Documents/report.pdf").unwrap()
    );
    // The monitor takes no bearer token; a name in use is refused at once.
    assert_eq!(raw(&bare, Method::GET, &monitor, Some(&t.token), &[], Vec::new()).await.status, 401);
    assert_graph_error(
        &t.post(&format!("/me/drive/items/{}/copy", id_of(&docs)), body).await,
        409,
        "nameAlreadyExists",
    );
    let renamed = t
        .post(
            &format!("/me/drive/items/{}/copy?@microsoft.graph.conflictBehavior=rename", id_of(&docs)),
            json!({"parentReference": {"id": id_of(&root)}, "name": "Documents copy"}),
        )
        .await;
    assert_eq!(renamed.status, 202);
    assert_eq!(t.get("/me/drive/root:/Documents copy 1").await.status, 200);
    assert_graph_error(
        &t.post(&format!("/me/drive/items/{}/copy", id_of(&docs)), json!({"parentReference": {"id": id_of(&docs)}}))
            .await,
        400,
        "invalidRequest",
    );
}

#[tokio::test]
async fn search_looks_at_names_content_and_shared_items() {
    let t = T::start().await;
    let hits = t.get("/me/drive/root/search(q='budget')").await;
    assert_eq!(hits.status, 200, "{}", hits.json);
    let got = names(&hits.values());
    assert!(got.contains(&"Budget 2024.xlsx".to_owned()), "by name: {got:?}");
    assert!(got.contains(&"notes.txt".to_owned()), "by content (\"Budget review\"): {got:?}");
    assert!(hits.values().iter().all(|i| i["searchResult"].is_object() && i.get("remoteItem").is_none()));
    assert!(t.get("/me/drive/root/search(q='zebra')").await.values().is_empty());
    // In a folder only.
    let pics = t.get("/me/drive/root:/Pictures:/search(q='png')").await;
    assert_eq!(pics.values().len(), 3);

    // A quote in the query is doubled, as in any OData string.
    put_bytes(&t, "/me/drive/root:/it's here.txt:/content", b"x").await;
    let quoted = t.get("/me/drive/root/search(q='it''s')").await;
    assert_eq!(names(&quoted.values()), ["it's here.txt"]);
    assert_eq!(t.get("/me/drive/root/search(q='it's')").await.status, 400);

    // Drive-wide search also finds what others shared, with remoteItem.
    let alex_drive = t.emu.drive(demo::SECOND_USER_UPN).unwrap()["id"].as_str().unwrap().to_owned();
    let all = t.get("/me/drive/search(q='pitch')").await;
    let pitch = all.values().into_iter().find(|i| i["name"] == "Contoso Sales Pitch.pptx").expect("shared item found");
    assert_eq!(pitch["remoteItem"]["parentReference"]["driveId"], alex_drive.as_str());
    let remote_id = pitch["remoteItem"]["id"].as_str().unwrap();
    assert!(t.get("/me/drive/root/search(q='pitch')").await.values().is_empty(), "root search stays in the drive");
    // The remote item can be read where it lives; what is not shared cannot.
    let there = t.get(&format!("/drives/{}/items/{remote_id}", seg(&alex_drive))).await;
    assert_eq!((there.status, there.json["name"].clone()), (200, json!("Contoso Sales Pitch.pptx")));
    assert_graph_error(&t.get(&format!("/drives/{}/root/children", seg(&alex_drive))).await, 403, "accessDenied");
    let shared = t.get("/me/drive/sharedWithMe").await;
    let shared_names = names(&shared.values());
    assert!(
        shared_names.contains(&"Sales Materials".to_owned())
            && shared_names.contains(&"Marketing Plan.docx".to_owned())
    );
    assert!(shared.values().iter().all(|i| i["remoteItem"]["parentReference"]["driveId"].is_string()));
}

#[tokio::test]
async fn sharing_links_and_permissions() {
    let t = T::start().await;
    let item = t.get("/me/drive/root:/Documents/Team Meeting.pptx:").await;
    let id = id_of(&item);
    assert!(item.json.get("shared").is_none());
    let link = t.post(&format!("/me/drive/items/{id}/createLink"), json!({"type": "view", "scope": "anonymous"})).await;
    assert_eq!(link.status, 201, "{}", link.json);
    assert_eq!(link.json["roles"], json!(["read"]));
    assert_eq!(
        (link.json["link"]["type"].clone(), link.json["link"]["scope"].clone()),
        (json!("view"), json!("anonymous"))
    );
    assert!(
        link.json["link"]["webUrl"].as_str().unwrap().starts_with("https://contoso-my.sharepoint.com/:p:/g/personal/")
    );
    let again =
        t.post(&format!("/me/drive/items/{id}/createLink"), json!({"type": "view", "scope": "anonymous"})).await;
    assert_eq!((again.status, again.json["id"].clone()), (200, link.json["id"].clone()), "the existing link");
    let edit =
        t.post(&format!("/me/drive/items/{id}/createLink"), json!({"type": "edit", "scope": "organization"})).await;
    assert_eq!((edit.status, edit.json["roles"].clone()), (201, json!(["write"])));
    let protected = t
        .post(
            &format!("/me/drive/items/{id}/createLink"),
            json!({"type": "view", "password": "ThisIsMyPrivatePassword", "expirationDateTime": "2099-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(protected.json["hasPassword"], true);
    assert_eq!(protected.json["expirationDateTime"], "2099-01-01T00:00:00Z");
    let embed = t.post(&format!("/me/drive/items/{id}/createLink"), json!({"type": "embed"})).await;
    assert!(embed.json["link"]["webHtml"].as_str().unwrap().contains("<iframe"));
    let bad = t.post(&format!("/me/drive/items/{id}/createLink"), json!({"type": "print"})).await;
    assert_graph_error(&bad, 400, "invalidRequest");
    let past = json!({"type": "view", "expirationDateTime": "2001-01-01T00:00:00Z"});
    assert_graph_error(&t.post(&format!("/me/drive/items/{id}/createLink"), past).await, 400, "invalidRequest");
    assert_eq!(t.get(&format!("/me/drive/items/{id}")).await.json["shared"]["scope"], "anonymous");

    let perms = t.get(&format!("/me/drive/items/{id}/permissions")).await;
    let list = perms.values();
    assert_eq!(list[0]["roles"], json!(["owner"]));
    assert_eq!(list.len(), 5, "{}", perms.json);
    let one = t.get(&format!("/me/drive/items/{id}/permissions/{}", link.json["id"].as_str().unwrap())).await;
    assert_eq!(one.json["link"]["type"], "view");
    assert_eq!(
        t.delete(&format!("/me/drive/items/{id}/permissions/{}", link.json["id"].as_str().unwrap())).await.status,
        204
    );
    assert_eq!(t.get(&format!("/me/drive/items/{id}/permissions")).await.values().len(), 4);
    let owner = list[0]["id"].as_str().unwrap();
    assert_graph_error(&t.delete(&format!("/me/drive/items/{id}/permissions/{owner}")).await, 403, "accessDenied");
    assert_graph_error(&t.delete(&format!("/me/drive/items/{id}/permissions/nothing")).await, 404, "itemNotFound");

    // Inherited permissions are listed with inheritedFrom and cannot be deleted on the child.
    let folder = t.get("/me/drive/root:/Documents/Archive").await;
    let shared = t.post(&format!("/me/drive/items/{}/createLink", id_of(&folder)), json!({"type": "view"})).await;
    let child = t.get("/me/drive/root:/Documents/Archive/old-notes.md:").await;
    let child_perms = t.get(&format!("/me/drive/items/{}/permissions", id_of(&child))).await;
    let inherited = child_perms.values().into_iter().find(|p| p["id"] == shared.json["id"]).expect("inherited");
    assert_eq!(inherited["inheritedFrom"]["id"], folder.json["id"]);
    let del = t
        .delete(&format!("/me/drive/items/{}/permissions/{}", id_of(&child), shared.json["id"].as_str().unwrap()))
        .await;
    assert_graph_error(&del, 400, "invalidRequest");

    // A grant to a colleague: Alex reads and writes Adele's shared budget, nothing else.
    let budget = t.get("/me/drive/root:/Documents/Budget 2024.xlsx:").await;
    let drive = t.get("/me/drive").await.json["id"].as_str().unwrap().to_owned();
    let alex = t.emu.issue_token(demo::SECOND_USER_UPN).unwrap();
    let url = format!("/drives/{}/items/{}", seg(&drive), id_of(&budget));
    let r = t.call_as(&alex, Method::GET, &url, None, &[]).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let w =
        raw(&t.http, Method::PUT, &t.url(&format!("{url}/content")), Some(&alex), &[], b"alex was here".to_vec()).await;
    assert_eq!(w.status, 200, "{}", w.json);
    assert_eq!(w.json["lastModifiedBy"]["user"]["id"], demo::SECOND_USER_ID);
    let report = t.get("/me/drive/root:/Documents/report.pdf:").await;
    let r =
        t.call_as(&alex, Method::GET, &format!("/drives/{}/items/{}", seg(&drive), id_of(&report)), None, &[]).await;
    assert_graph_error(&r, 403, "accessDenied");
    // Inviting Megan shares it with her.
    let invite = t
        .post(
            &format!("/me/drive/items/{id}/invite"),
            json!({"recipients": [{"email": demo::THIRD_USER_UPN}], "roles": ["read"], "requireSignIn": true}),
        )
        .await;
    assert_eq!(invite.status, 200, "{}", invite.json);
    assert_eq!(invite.values()[0]["grantedTo"]["user"]["id"], demo::THIRD_USER_ID);
    let megan = t.emu.issue_token(demo::THIRD_USER_UPN).unwrap();
    let theirs = t.call_as(&megan, Method::GET, "/me/drive/sharedWithMe", None, &[]).await;
    assert!(names(&theirs.values()).contains(&"Team Meeting.pptx".to_owned()));
}

#[tokio::test]
async fn thumbnails_of_images_and_documents() {
    let t = T::start().await;
    let bare = no_redirects();
    let img = t.get("/me/drive/root:/Pictures/team-offsite.png:").await;
    assert_eq!(img.json["image"], json!({"width": 800, "height": 600}));
    let id = id_of(&img);
    let sets = t.get(&format!("/me/drive/items/{id}/thumbnails")).await;
    let set = &sets.values()[0];
    assert_eq!(set["id"], "0");
    assert_eq!((set["small"]["width"].clone(), set["small"]["height"].clone()), (json!(96), json!(72)));
    assert_eq!((set["medium"]["width"].clone(), set["medium"]["height"].clone()), (json!(176), json!(132)));
    assert_eq!((set["large"]["width"].clone(), set["large"]["height"].clone()), (json!(800), json!(600)));
    let url = set["small"]["url"].as_str().unwrap();
    let png = raw(&bare, Method::GET, url, None, &[], Vec::new()).await;
    assert_eq!((png.status, png.header("content-type")), (200, Some("image/png")));
    assert_eq!(&png.bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(png.bytes[16..20].try_into().unwrap()), 96);

    let only_medium = t.get(&format!("/me/drive/items/{id}/thumbnails?$select=medium")).await;
    let keys: HashSet<String> = only_medium.values()[0].as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, HashSet::from(["id".to_owned(), "medium".to_owned()]));
    let one = t.get(&format!("/me/drive/items/{id}/thumbnails/0/small")).await;
    assert_eq!(one.json["width"], 96);
    let content = raw(
        &bare,
        Method::GET,
        &t.url(&format!("/me/drive/items/{id}/thumbnails/0/large/content")),
        Some(&t.token),
        &[],
        Vec::new(),
    )
    .await;
    assert_eq!(content.status, 302);
    let custom = t.get(&format!("/me/drive/items/{id}/thumbnails?$select=c300x400")).await;
    assert_eq!(custom.values()[0]["c300x400"]["height"], 400);

    let doc = t.get("/me/drive/root:/Documents/Project Plan.docx:/thumbnails").await;
    assert_eq!(doc.values().len(), 1);
    let folder = t.get("/me/drive/root:/Documents:/thumbnails").await;
    assert!(folder.values().is_empty());
}

async fn delta_round(t: &T, url: &str) -> (Vec<Value>, String, usize) {
    let mut url = t.url(url);
    let mut items = Vec::new();
    let mut pages = 0;
    loop {
        let r = t.get(&url).await;
        assert_eq!(r.status, 200, "{url}: {}", r.json);
        pages += 1;
        items.extend(r.values());
        if let Some(next) = r.json["@odata.nextLink"].as_str() {
            url = next.to_owned();
        } else {
            return (items, r.json["@odata.deltaLink"].as_str().expect("deltaLink").to_owned(), pages);
        }
        assert!(pages < 100);
    }
}

#[tokio::test]
async fn delta_pages_changes_deleted_facet_latest_and_resync() {
    let t = T::start().await;
    let everything = t.emu.drive_items(demo::USER_UPN).unwrap();
    let (initial, delta_link, pages) = delta_round(&t, "/me/drive/root/delta?$top=5").await;
    assert_eq!(pages, everything.len().div_ceil(5));
    let ids: HashSet<&str> = initial.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), everything.len(), "every item once, the root included");
    assert!(initial[0]["root"].is_object(), "parents before children");
    assert!(initial.iter().all(|i| i.get("cTag").is_none() && i["parentReference"].get("path").is_none()));
    assert!(
        delta_link.starts_with(&t.emu.base_url()) && delta_link.contains("/me/drive/root/delta?token="),
        "{delta_link}"
    );

    // Nothing changed: an empty round.
    let (none, delta_link, _) = delta_round(&t, &delta_link).await;
    assert!(none.is_empty(), "{none:?}");

    // Changes: a new file, a rename, a delete.
    let new = put_bytes(&t, "/me/drive/root:/Documents/new.txt:/content", b"new").await;
    let notes = t.get("/me/drive/root:/Documents/notes.txt:").await;
    t.patch(&format!("/me/drive/items/{}", id_of(&notes)), json!({"name": "notes-renamed.txt"})).await;
    let expenses = t.get("/me/drive/root:/Expenses.csv:").await;
    assert_eq!(t.delete(&format!("/me/drive/items/{}", id_of(&expenses))).await.status, 204);
    let (changes, delta_link, _) = delta_round(&t, &delta_link).await;
    let by_id = |id: &str| changes.iter().find(|c| c["id"] == id).cloned();
    assert_eq!(by_id(&id_of(&new)).expect("new file")["name"], "new.txt");
    assert_eq!(by_id(&id_of(&notes)).expect("renamed")["name"], "notes-renamed.txt");
    let gone = by_id(&id_of(&expenses)).expect("deleted item reported");
    assert_eq!(gone["deleted"], json!({"state": "deleted"}));
    assert!(gone.get("@removed").is_none() && gone["file"].is_object());
    assert!(changes.iter().all(|c| c.get("@removed").is_none()));
    // The folders above a change come with it (unless deltaExcludeParent).
    assert!(changes.iter().any(|c| c["name"] == "Documents"));
    assert!(changes.len() < everything.len());

    // token=latest: nothing now, changes from now on.
    let latest = t.get("/me/drive/root/delta?token=latest").await;
    assert!(latest.values().is_empty() && latest.json["@odata.nextLink"].is_null());
    let from_now = latest.json["@odata.deltaLink"].as_str().unwrap().to_owned();
    put_bytes(&t, "/me/drive/root:/later.txt:/content", b"later").await;
    let (later, _, _) = delta_round(&t, &from_now).await;
    assert_eq!(names(&later), ["root", "later.txt"]);
    let (later_only, _, _) = {
        let r = t.get_with(&from_now, &[("deltaExcludeParent", "true")]).await;
        (r.values(), (), ())
    };
    assert_eq!(names(&later_only), ["later.txt"]);

    // A folder's delta sees only its subtree; the function form works too.
    let (pics, _, _) = delta_round(&t, "/me/drive/root:/Pictures:/delta").await;
    assert_eq!(pics.len(), 4, "{}", names(&pics).join(", "));
    let token = delta_link.split("token=").nth(1).unwrap();
    let r = t.get(&format!("/me/drive/root/delta(token='{token}')")).await;
    assert_eq!(r.status, 200, "{}", r.json);

    // Expired or unknown tokens: 410 with a Location to start over.
    t.emu.expire_delta_tokens();
    let expired = t.get(&delta_link).await;
    assert_graph_error(&expired, 410, "resyncChangesApplyDifferences");
    assert!(expired.header("location").unwrap().ends_with("/me/drive/root/delta"));
    assert_graph_error(&t.get("/me/drive/root/delta?token=bogus").await, 410, "resyncChangesApplyDifferences");
}
