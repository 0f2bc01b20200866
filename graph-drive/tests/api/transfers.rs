//! Folders, uploads (simple and session), rename, move, copy, delete, restore.

use std::sync::{Arc, Mutex};

use msgraph_core::WithOptions as _;
use msgraph_drive::{ConflictBehavior, DriveExt, ItemReference};
use serde_json::json;
use wiremock::matchers::{body_bytes, body_json, header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::{PUT_CONTENT, graph, refused};

const UPDATE_REQ: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-update.request.json");
const UPDATE: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-update.json");

#[tokio::test]
async fn create_folder_sends_the_conflict_behaviour() {
    let g = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/root:/Documents:/children"))
        .and(body_json(json!({"name": "Reports 2026", "folder": {}, "@microsoft.graph.conflictBehavior": "rename"})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "F1", "name": "Reports 2026", "folder": {"childCount": 0}})),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let f = g
        .client()
        .me()
        .drive()
        .create_folder("/Documents", "Reports 2026")
        .conflict(ConflictBehavior::Rename)
        .await
        .unwrap();
    assert!(f.is_folder());
}

#[tokio::test]
async fn names_onedrive_forbids_are_refused_before_sending() {
    let g = graph().await;
    let drive = g.client().me().drive();
    refused(&g, drive.create_folder("/", "a:b").await, "not a valid OneDrive name").await;
    refused(&g, drive.create_folder("/", "").await, "empty").await;
    refused(&g, drive.upload("/", "CON", b"x".to_vec()).await, "reserved").await;
    refused(&g, drive.upload("/", " lead.txt", b"x".to_vec()).await, "space").await;
    refused(&g, drive.rename("/a.txt", "b|c.txt").await, "'|'").await;
    refused(&g, drive.upload("/", "ok.bin", vec![0u8; 5 * 1024 * 1024]).slice_size(100_000).await, "327680").await;
}

/// A reader whose end says `claimed` bytes but that yields fewer.
struct ShortReader {
    inner: std::io::Cursor<Vec<u8>>,
    claimed: u64,
    at_end: bool,
}

impl tokio::io::AsyncRead for ShortReader {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncSeek for ShortReader {
    fn start_seek(mut self: std::pin::Pin<&mut Self>, pos: std::io::SeekFrom) -> std::io::Result<()> {
        self.at_end = pos == std::io::SeekFrom::End(0);
        if self.at_end { Ok(()) } else { std::pin::Pin::new(&mut self.inner).start_seek(pos) }
    }

    fn poll_complete(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<u64>> {
        if self.at_end {
            return std::task::Poll::Ready(Ok(self.claimed));
        }
        std::pin::Pin::new(&mut self.inner).poll_complete(cx)
    }
}

#[tokio::test]
async fn a_source_shorter_than_its_size_or_a_path_with_dot_dot_sends_nothing() {
    let g = graph().await;
    let drive = g.client().me().drive();
    let short = ShortReader { inner: std::io::Cursor::new(vec![7u8; 60]), claimed: 100, at_end: false };
    let source = msgraph_core::upload::UploadSource::Reader(Box::new(short));
    refused(&g, drive.upload("/Documents", "short.bin", source).await, "has 60 bytes, not the 100").await;
    refused(&g, drive.upload("/Documents/../Secret", "a.txt", b"x".to_vec()).await, "..").await;
    refused(&g, drive.create_folder("/a//b", "c").await, "empty").await;
    refused(&g, drive.upload("/", "..", b"x".to_vec()).await, "relative path").await;
}

#[tokio::test]
async fn a_small_file_is_one_put_with_the_conflict_behaviour() {
    let g = graph().await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/drive/root:/Documents/FileB.txt:/content"))
        .and(query_param("@microsoft.graph.conflictBehavior", "replace"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_bytes(b"The contents of the file goes here.".to_vec()))
        .respond_with(ResponseTemplate::new(201).set_body_string(PUT_CONTENT))
        .expect(1)
        .mount(&g.server)
        .await;
    let item = g
        .client()
        .me()
        .drive()
        .upload("/Documents", "FileB.txt", b"The contents of the file goes here.".to_vec())
        .conflict(ConflictBehavior::Replace)
        .await
        .unwrap();
    assert_eq!(item.id.as_deref(), Some("0123456789abc"));
    assert_eq!(item.size, Some(35));
}

#[tokio::test]
async fn four_mib_is_one_put_one_byte_more_is_a_session_and_the_threshold_can_be_set() {
    let g = graph().await;
    const MIB4: usize = 4 * 1024 * 1024;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/drive/root:/exact.bin:/content"))
        .and(query_param("@microsoft.graph.conflictBehavior", "fail"))
        .and(header("content-length", MIB4.to_string().as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "E", "name": "exact.bin", "size": MIB4})))
        .expect(1)
        .mount(&g.server)
        .await;
    for (name, len) in [("over.bin", MIB4 + 1), ("small.bin", 2048)] {
        let url = format!("{}/up/{name}", g.server.uri());
        Mock::given(method("POST"))
            .and(path(format!("/v1.0/me/drive/root:/{name}:/createUploadSession")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"uploadUrl": url})))
            .expect(1)
            .mount(&g.server)
            .await;
        Mock::given(method("PUT"))
            .and(path(format!("/up/{name}")))
            .and(header("content-range", format!("bytes 0-{}/{len}", len - 1).as_str()))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": name, "size": len})))
            .expect(1)
            .mount(&g.server)
            .await;
    }
    let drive = g.client().me().drive();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let exact = drive
        .upload("/", "exact.bin", vec![1u8; MIB4])
        .on_progress(move |sent, of| s.lock().unwrap().push((sent, of)))
        .await
        .unwrap();
    assert_eq!(exact.id.as_deref(), Some("E"));
    assert_eq!(*seen.lock().unwrap(), [(MIB4 as u64, MIB4 as u64)], "one PUT reports once, at the end");
    assert_eq!(drive.upload("/", "over.bin", vec![2u8; MIB4 + 1]).await.unwrap().id.as_deref(), Some("over.bin"));
    let small = drive.upload("/", "small.bin", vec![3u8; 2048]).simple_upload_max(1024).await.unwrap();
    assert_eq!(small.id.as_deref(), Some("small.bin"));
}

#[tokio::test]
async fn a_large_file_goes_through_an_upload_session_in_320_kib_multiples() {
    let g = graph().await;
    let total = 5 * 1024 * 1024 + 7u64;
    let data: Vec<u8> = (0..total).map(|i| (i % 241) as u8).collect();
    let slice = 8 * 327_680u64; // 2.5 MiB
    let upload_url = format!("{}/up/session-1?tempauth=SECRET", g.server.uri());
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/PARENT:/big.bin:/createUploadSession"))
        .and(body_json(json!({"item": {"@microsoft.graph.conflictBehavior": "fail"}})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"uploadUrl": upload_url, "expirationDateTime": "2030-01-01T00:00:00Z"})),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    for from in [0, slice] {
        Mock::given(method("PUT"))
            .and(path("/up/session-1"))
            .and(header("content-range", format!("bytes {from}-{}/{total}", from + slice - 1).as_str()))
            .respond_with(
                ResponseTemplate::new(202).set_body_json(json!({"nextExpectedRanges": [format!("{}-", from + slice)]})),
            )
            .expect(1)
            .mount(&g.server)
            .await;
    }
    Mock::given(method("PUT"))
        .and(path("/up/session-1"))
        .and(header("content-range", format!("bytes {}-{}/{total}", 2 * slice, total - 1).as_str()))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "BIG", "name": "big.bin", "size": total, "file": {}})),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let item = g
        .client()
        .me()
        .drive()
        .upload("PARENT", "big.bin", data.clone())
        .slice_size(slice)
        .on_progress(move |sent, of| s.lock().unwrap().push((sent, of)))
        .await
        .unwrap();
    assert_eq!(item.id.as_deref(), Some("BIG"));
    assert_eq!(seen.lock().unwrap().last().copied(), Some((total, total)));
    let puts: Vec<_> = g.requests().await.into_iter().filter(|r| r.method.as_str() == "PUT").collect();
    assert!(puts.iter().all(|r| r.headers.get("authorization").is_none()));
    assert_eq!(puts.iter().flat_map(|r| r.body.clone()).collect::<Vec<u8>>(), data);
}

#[tokio::test]
async fn rename_sends_the_docs_body_with_if_match_and_a_stale_etag_is_412() {
    let g = graph().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/drive/items/01NKDM7HMOJTVYMDOSXFDK2QJDXCDI3WUK"))
        .and(body_json(crate::json(UPDATE_REQ)))
        .respond_with(ResponseTemplate::new(200).set_body_string(UPDATE))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/drive/items/01NKDM7HMOJTVYMDOSXFDK2QJDXCDI3WUK"))
        .respond_with(
            ResponseTemplate::new(412)
                .set_body_json(json!({"error": {"code": "resourceModified", "message": "ETag does not match"}})),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let drive = g.client().me().drive();
    let id = "01NKDM7HMOJTVYMDOSXFDK2QJDXCDI3WUK";
    let item = drive.rename(id, "new-file-name.docx").header("If-Match", "\"{86EB4C8E},1\"").await.unwrap();
    assert_eq!(item.name.as_deref(), Some("new-file-name.docx"));
    let err = drive.rename(id, "new-file-name.docx").header("If-Match", "\"{86EB4C8E},0\"").await.unwrap_err();
    assert!(err.is_precondition_failed() && !err.is_conflict(), "{err}");
    assert_eq!(err.code(), Some("resourceModified"));
    // (wiremock's header matcher splits on commas, and eTags contain one: compare the raw values)
    let sent: Vec<String> =
        g.requests().await.iter().map(|r| r.headers.get("if-match").unwrap().to_str().unwrap().to_owned()).collect();
    assert_eq!(sent, ["\"{86EB4C8E},1\"", "\"{86EB4C8E},0\""]);
}

#[tokio::test]
async fn move_sends_the_parent_reference_and_the_new_name() {
    let g = graph().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/drive/root:/Inbox/scan.pdf:"))
        .and(body_json(
            json!({"name": "2026-03 scan.pdf", "parentReference": {"path": "/drive/root:/Documents/Scans"}}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "S", "name": "2026-03 scan.pdf", "file": {}})),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/drive/items/S"))
        .and(body_json(json!({"parentReference": {"id": "FOLDER"}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "S"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let drive = g.client().me().drive();
    drive
        .move_to("/Inbox/scan.pdf", ItemReference::path("/Documents/Scans"), Some("2026-03 scan.pdf".into()))
        .await
        .unwrap();
    drive.move_to("S", ItemReference::id("FOLDER"), None).await.unwrap();
}

#[tokio::test]
async fn copy_follows_the_monitor_to_the_new_item() {
    let g = graph().await;
    let port = g.server.address().port();
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/SRC/copy"))
        .and(query_param("@microsoft.graph.conflictBehavior", "rename"))
        .and(body_json(json!({"parentReference": {"id": "DEST"}, "name": "copy.docx"})))
        .respond_with(
            ResponseTemplate::new(202).insert_header("Location", format!("http://localhost:{port}/monitor/7").as_str()),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/monitor/7"))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({"status": "inProgress", "percentageComplete": 50.0})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/monitor/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "completed", "resourceId": "NEW"})))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/NEW"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "NEW", "name": "copy.docx", "file": {}})))
        .expect(1)
        .mount(&g.server)
        .await;
    let copy = g
        .client()
        .me()
        .drive()
        .copy("SRC", ItemReference::id("DEST"))
        .name("copy.docx")
        .conflict(ConflictBehavior::Rename)
        .await
        .unwrap();
    assert_eq!(copy.id.as_deref(), Some("NEW"));
    let monitor_polls: Vec<_> = g.requests().await.into_iter().filter(|r| r.url.path() == "/monitor/7").collect();
    assert!(monitor_polls.iter().all(|r| r.headers.get("authorization").is_none()));
}

#[tokio::test]
async fn delete_and_restore() {
    let g = graph().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/drive/root:/old.txt:"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/1312abc/restore"))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1312abc", "name": "old.txt", "file": {}})))
        .expect(1)
        .mount(&g.server)
        .await;
    // the docs' request: into another folder under a new name
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/1312abd/restore"))
        .and(body_json(json!({"parentReference": {"id": "FOLDER"}, "name": "new-restored-item-name.txt"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "1312abc!1231", "name": "new-restored-item-name.txt", "size": 19121,
            "lastModifiedDateTime": "2017-12-12T10:40:59Z"
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let drive = g.client().me().drive();
    drive.delete("/old.txt").await.unwrap();
    assert_eq!(drive.restore("1312abc").await.unwrap().name.as_deref(), Some("old.txt"));
    let moved =
        drive.restore("1312abd").to(ItemReference::id("FOLDER")).name("new-restored-item-name.txt").await.unwrap();
    assert_eq!(moved.size, Some(19121));
    let sent = g.requests().await.len();
    let bad = drive.restore("1312abd").name("a|b.txt").await.unwrap_err();
    assert!(matches!(bad, msgraph_core::Error::InvalidInput(_)), "{bad}");
    assert_eq!(g.requests().await.len(), sent, "nothing sent");
}

#[tokio::test]
async fn name_already_exists_is_a_conflict() {
    let g = graph().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(409).set_body_string(include_str!(
            "../../../testdata/graph-samples/core/error-upload-nameAlreadyExists-409.json"
        )))
        .expect(1)
        .mount(&g.server)
        .await;
    let err = g.client().me().drive().upload("/", "taken.txt", b"x".to_vec()).await.unwrap_err();
    assert!(err.is_conflict());
}
