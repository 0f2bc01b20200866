//! Upload sessions, request by request (CONFORMANCE 22, 47-50).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_core::test_util::MockGraph;
use msgraph_core::upload::{LargeUpload, SliceRules, UploadSession, Uploaded};
use msgraph_core::{Error, Result};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

const KIB320: u64 = 327_680;
const ITEM: &str = include_str!("../../testdata/graph-samples/drive/driveitem-put-content.json");
const CONFLICT: &str = include_str!("../../testdata/graph-samples/core/error-upload-nameAlreadyExists-409.json");
const UP: &str = "/up/fe6987415ace7X4e1eF866337";

/// A file's bytes: every position distinct enough that a misplaced slice shows.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8 ^ (i / 251 % 256) as u8).collect()
}

fn session(g: &MockGraph) -> UploadSession {
    serde_json::from_value(json!({
        "uploadUrl": format!("{}{UP}", g.server.uri()),
        "expirationDateTime": "2030-01-29T09:21:55.523Z"
    }))
    .unwrap()
}

fn accepted(next: u64) -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(
        json!({"expirationDateTime": "2030-01-29T09:21:55.523Z", "nextExpectedRanges": [format!("{next}-")]}),
    )
}

fn range(from: u64, len: u64, total: u64) -> String {
    format!("bytes {from}-{}/{total}", from + len - 1)
}

/// The PUTs the server received, applied at their ranges: the file it has.
async fn assembled(g: &MockGraph, total: usize) -> Vec<u8> {
    let mut file = vec![0u8; total];
    for r in g.requests().await.iter().filter(|r| r.method.as_str() == "PUT") {
        let cr = r.headers.get("content-range").unwrap().to_str().unwrap();
        let from: usize = cr.trim_start_matches("bytes ").split('-').next().unwrap().parse().unwrap();
        file[from..from + r.body.len()].copy_from_slice(&r.body);
    }
    file
}

fn upload(g: &MockGraph, data: &[u8]) -> LargeUpload<Value> {
    LargeUpload::new(g.client(), session(g), data.to_vec()).slice_size(KIB320)
}

#[tokio::test]
async fn one_mib_goes_in_four_slices_with_exact_ranges_and_no_token() {
    let g = MockGraph::start().await;
    let total = 1_048_576u64;
    let data = content(total as usize);
    for (i, from) in [0, KIB320, 2 * KIB320].into_iter().enumerate() {
        Mock::given(method("PUT"))
            .and(path(UP))
            .and(header("content-range", range(from, KIB320, total).as_str()))
            .and(header("content-length", KIB320.to_string().as_str()))
            .respond_with(accepted(KIB320 * (i as u64 + 1)))
            .expect(1)
            .mount(&g.server)
            .await;
    }
    Mock::given(method("PUT"))
        .and(path(UP))
        .and(header("content-range", range(3 * KIB320, total - 3 * KIB320, total).as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_string(ITEM))
        .expect(1)
        .mount(&g.server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let done: Uploaded<Value> =
        upload(&g, &data).on_progress(move |sent, of| s.lock().unwrap().push((sent, of))).send().await.unwrap();
    assert_eq!(done.item.unwrap()["id"], "0123456789abc");
    for r in g.requests().await {
        assert!(r.headers.get("authorization").is_none(), "the upload URL must not get the token");
    }
    assert_eq!(assembled(&g, total as usize).await, data);
    assert_eq!(*seen.lock().unwrap(), [(KIB320, total), (2 * KIB320, total), (3 * KIB320, total), (total, total)]);
}

#[tokio::test]
async fn a_failing_slice_is_resumed_from_where_the_server_says_not_where_the_client_was() {
    let g = MockGraph::start().await;
    let total = 3 * KIB320;
    let data = content(total as usize);
    // slice 1 fine
    Mock::given(method("PUT"))
        .and(header("content-range", range(0, KIB320, total).as_str()))
        .respond_with(accepted(KIB320))
        .expect(1)
        .mount(&g.server)
        .await;
    // slice 2 answers 500, and the server says it kept only half of slice 1
    Mock::given(method("PUT"))
        .and(header("content-range", range(KIB320, KIB320, total).as_str()))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(UP))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nextExpectedRanges": ["163840-"]})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(UP))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nextExpectedRanges": ["327680-983039"]})))
        .expect(1)
        .mount(&g.server)
        .await;
    // the re-sent slice starts at 163840, as the server asked; it fails too
    Mock::given(method("PUT"))
        .and(header("content-range", range(163_840, KIB320, total).as_str()))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(header("content-range", range(KIB320, KIB320, total).as_str()))
        .respond_with(accepted(2 * KIB320))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(header("content-range", range(2 * KIB320, KIB320, total).as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_string(ITEM))
        .expect(1)
        .mount(&g.server)
        .await;
    upload(&g, &data).send().await.unwrap();
    assert_eq!(assembled(&g, total as usize).await, data, "the server got a byte-identical file");
    let puts: Vec<String> = g
        .requests()
        .await
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .map(|r| r.headers.get("content-range").unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        puts,
        [
            range(0, KIB320, total),
            range(KIB320, KIB320, total),
            range(163_840, KIB320, total),
            range(KIB320, KIB320, total),
            range(2 * KIB320, KIB320, total)
        ]
    );
}

#[tokio::test]
async fn a_dropped_slice_asks_the_session_and_sends_exactly_the_bytes_from_there() {
    let g = MockGraph::start().await;
    let total = 2 * KIB320;
    let data = content(total as usize);
    // the first attempt never answers in time (the connection is as good as gone)
    Mock::given(method("PUT"))
        .and(header("content-range", range(0, KIB320, total).as_str()))
        .respond_with(accepted(KIB320).set_delay(Duration::from_secs(5)))
        .up_to_n_times(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(UP))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nextExpectedRanges": ["100000-"]})))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(header("content-range", range(100_000, KIB320, total).as_str()))
        .respond_with(accepted(100_000 + KIB320))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(header("content-range", range(100_000 + KIB320, total - 100_000 - KIB320, total).as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_string(ITEM))
        .expect(1)
        .mount(&g.server)
        .await;
    let client = g.client_builder().timeout(Duration::from_millis(300)).build().unwrap();
    LargeUpload::<Value>::new(client, session(&g), data.clone()).slice_size(KIB320).send().await.unwrap();
    let resent = g
        .requests()
        .await
        .into_iter()
        .find(|r| r.headers.get("content-range").is_some_and(|v| v.to_str().unwrap().starts_with("bytes 100000-")))
        .unwrap();
    assert_eq!(&resent.body[..], &data[100_000..100_000 + KIB320 as usize]);
}

#[tokio::test]
async fn a_416_asks_the_session_where_to_continue() {
    let g = MockGraph::start().await;
    let total = 2 * KIB320;
    let data = content(total as usize);
    Mock::given(method("PUT"))
        .and(header("content-range", range(0, KIB320, total).as_str()))
        .respond_with(ResponseTemplate::new(416))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(UP))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nextExpectedRanges": ["327680-655359"]})))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(header("content-range", range(KIB320, KIB320, total).as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string(ITEM))
        .expect(1)
        .mount(&g.server)
        .await;
    let done = upload(&g, &data).send().await.unwrap();
    assert_eq!(done.item.unwrap()["name"], "FileB.txt");
}

#[tokio::test]
async fn an_expired_session_is_a_typed_error() {
    let g = MockGraph::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({"error": {"code": "itemNotFound", "message": "The upload session was not found"}}),
            ),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let err = upload(&g, &content(1000)).send().await.unwrap_err();
    assert!(matches!(&err, Error::UploadSessionGone(m) if m.contains("not found")), "{err}");
}

#[tokio::test]
async fn name_already_exists_at_the_end_is_a_conflict() {
    let g = MockGraph::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(409).set_body_string(CONFLICT))
        .expect(1)
        .mount(&g.server)
        .await;
    let err = upload(&g, &content(1000)).send().await.unwrap_err();
    assert!(err.is_conflict(), "{err}");
    assert_eq!(err.code(), Some("nameAlreadyExists"));
}

#[tokio::test]
async fn cancel_sends_delete_to_the_upload_url_without_the_token() {
    let g = MockGraph::start().await;
    Mock::given(method("DELETE"))
        .and(path(UP))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    session(&g).cancel(&g.client()).await.unwrap();
    assert!(g.requests().await[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_restarted_process_resumes_a_stored_session() {
    let g = MockGraph::start().await;
    let total = 3 * KIB320;
    let data = content(total as usize);
    // what the first process stored
    let stored = serde_json::to_string(&session(&g)).unwrap();
    assert!(!format!("{:?}", session(&g)).contains("fe6987415ace"), "Debug must not show the upload URL");

    let restored: UploadSession = serde_json::from_str(&stored).unwrap();
    Mock::given(method("GET"))
        .and(path(UP))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nextExpectedRanges": ["655360-"]})))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(header("content-range", range(2 * KIB320, KIB320, total).as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_string(ITEM))
        .expect(1)
        .mount(&g.server)
        .await;
    LargeUpload::<Value>::resume(g.client(), restored, data.clone()).slice_size(KIB320).send().await.unwrap();
    let put = g.requests().await.into_iter().find(|r| r.method.as_str() == "PUT").unwrap();
    assert_eq!(&put.body[..], &data[2 * KIB320 as usize..]);
}

fn invalid<T: std::fmt::Debug>(r: Result<T>, says: &str) {
    match r {
        Err(Error::InvalidInput(m)) => assert!(m.contains(says), "{m:?} should say {says:?}"),
        other => panic!("expected InvalidInput({says:?}), got {other:?}"),
    }
}

#[tokio::test]
async fn bad_slices_sizes_and_urls_fail_before_sending() {
    let g = MockGraph::start().await;
    let data = content(1000);
    invalid(upload(&g, &data).slice_size(100_000).send().await, "multiple of 327680");
    invalid(upload(&g, &data).slice_size(192 * KIB320).send().await, "over the limit");
    invalid(upload(&g, &data).slice_size(0).send().await, "zero");
    invalid(upload(&g, &data).expected_size(2000).send().await, "created for 2000");
    invalid(upload(&g, &[]).send().await, "at least one byte");
    // Outlook: up to 4 MiB, any size
    assert!(SliceRules::OUTLOOK.check(3_000_001).is_ok());
    assert!(SliceRules::OUTLOOK.check(4 * 1024 * 1024 + 1).is_err());
    let plain_http = UploadSession::new("http://up.example.com/session");
    let err = LargeUpload::<Value>::new(g.client(), plain_http, data.clone()).send().await.unwrap_err();
    assert!(matches!(err, Error::UntrustedHost { .. }), "{err}");
    invalid(LargeUpload::<Value>::new(g.client(), UploadSession::default(), data).send().await, "no uploadUrl");
    assert!(g.requests().await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn a_file_that_changes_size_during_the_upload_is_an_error() {
    let g = MockGraph::start().await;
    let dir = std::env::temp_dir().join(format!("msgraph-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("growing.bin");
    std::fs::write(&file, content(2 * KIB320 as usize)).unwrap();
    Mock::given(method("PUT"))
        .and(header("content-range", range(0, KIB320, 2 * KIB320).as_str()))
        .respond_with(accepted(KIB320))
        .expect(1)
        .mount(&g.server)
        .await;
    let grow = file.clone();
    let err = LargeUpload::<Value>::new(g.client(), session(&g), file.as_path())
        .slice_size(KIB320)
        .on_progress(move |_, _| {
            use std::io::Write as _;
            let mut f = std::fs::OpenOptions::new().append(true).open(&grow).unwrap();
            f.write_all(b"more").unwrap();
        })
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Io { message, .. } if message.contains("changed size")), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// To Do's upload URL is a Graph resource (an attachmentSession): slices go to
/// `{uploadUrl}/content` with the token, the session is read at `uploadUrl`
/// with the token; on any other host the token is never sent.
#[tokio::test]
async fn a_todo_session_puts_to_content_with_the_token_and_only_on_graph() {
    let g = MockGraph::start().await;
    let session_path = "/v1.0/users/u1/todo/lists/L%3D/tasks/T/attachmentSessions/S1";
    let total = 5 * 1024 * 1024u64;
    let data = content(total as usize);
    Mock::given(method("GET"))
        .and(path(session_path))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(accepted(0))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{session_path}/content")))
        .and(header("authorization", "Bearer test-token"))
        .and(header("content-range", range(0, 4 * 1024 * 1024, total).as_str()))
        .respond_with(accepted(4 * 1024 * 1024))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{session_path}/content")))
        .and(header("authorization", "Bearer test-token"))
        .and(header("content-range", range(4 * 1024 * 1024, total - 4 * 1024 * 1024, total).as_str()))
        .respond_with(ResponseTemplate::new(201).insert_header("Location", "https://graph.microsoft.com/v1.0/a/A9"))
        .expect(1)
        .mount(&g.server)
        .await;
    let s: UploadSession = serde_json::from_value(json!({
        "uploadUrl": format!("{}{session_path}", g.server.uri()),
        "expirationDateTime": "2030-01-29T09:21:55.523Z",
        "nextExpectedRanges": ["0-"]
    }))
    .unwrap();
    // resumed: the session is read first (with the token), then the slices
    let done: Uploaded<Value> =
        LargeUpload::resume(g.client(), s, data.clone()).rules(SliceRules::TODO).send().await.unwrap();
    assert_eq!(done.location.as_deref(), Some("https://graph.microsoft.com/v1.0/a/A9"));
    assert_eq!(assembled(&g, total as usize).await, data);

    // a To Do session on a host that is not Graph's: refused, nothing sent there
    let other = MockGraph::start().await;
    let s = UploadSession::new(format!("{}{session_path}", other.server.uri().replace("127.0.0.1", "localhost")));
    let e = LargeUpload::<Value>::new(g.client(), s, data).rules(SliceRules::TODO).send().await.unwrap_err();
    assert!(matches!(e, Error::UntrustedHost { .. }), "{e:?}");
    assert!(other.requests().await.is_empty());
}
