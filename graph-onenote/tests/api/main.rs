//! msgraph-onenote against wiremock: every operation, request by request,
//! on the docs' payloads (testdata/graph-samples/onenote).

mod create;
mod e2e;
mod limit;
mod notebooks;
mod pages;
mod samples;
mod search;
mod update;

use msgraph_core::test_util::MockGraph;
use msgraph_core::{Error, Result};

pub const NOTEBOOKS: &str = include_str!("../../../testdata/graph-samples/onenote/onenote-list-notebooks.json");
pub const NOTEBOOK: &str = include_str!("../../../testdata/graph-samples/onenote/notebook-get.json");
pub const PAGE: &str = include_str!("../../../testdata/graph-samples/onenote/page-get.json");
pub const CREATED: &str = include_str!("../../../testdata/graph-samples/onenote/section-post-pages.json");
pub const OPERATION: &str = include_str!("../../../testdata/graph-samples/onenote/onenoteoperation-get.json");

pub async fn graph() -> MockGraph {
    MockGraph::start().await
}

/// An `InvalidInput` that says `says`, and nothing sent.
pub async fn refused<T: std::fmt::Debug>(g: &MockGraph, r: Result<T>, says: &str) {
    match r {
        Err(Error::InvalidInput(m)) => assert!(m.contains(says), "{m:?} should say {says:?}"),
        other => panic!("expected InvalidInput({says:?}), got {other:?}"),
    }
    assert!(g.requests().await.is_empty(), "nothing may be sent");
}

/// One part of a multipart body.
#[derive(Debug)]
pub struct TestPart {
    pub headers: Vec<String>,
    pub body: Vec<u8>,
}

impl TestPart {
    pub fn name(&self) -> String {
        let cd = self.headers.iter().find(|h| h.to_ascii_lowercase().starts_with("content-disposition:")).unwrap();
        assert!(cd.contains("form-data"), "{cd}");
        cd.split("name=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
    }

    pub fn content_type(&self) -> String {
        let ct = self.headers.iter().find(|h| h.to_ascii_lowercase().starts_with("content-type:")).unwrap();
        ct["content-type:".len()..].trim().to_owned()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

/// Splits a `multipart/form-data` request as a strict server would: the
/// boundary from the content type, CRLF line ends, a closing delimiter.
pub fn multipart(req: &wiremock::Request) -> (String, Vec<TestPart>) {
    let ct = req.headers.get("content-type").unwrap().to_str().unwrap().to_owned();
    let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap_or_else(|| panic!("{ct}")).to_owned();
    let body = &req.body;
    let delim = format!("--{boundary}");
    let close = format!("--{boundary}--\r\n");
    assert!(body.ends_with(close.as_bytes()), "the body ends with the closing delimiter");
    let mut parts = Vec::new();
    let mut rest = &body[..body.len() - close.len()];
    assert!(rest.starts_with(format!("{delim}\r\n").as_bytes()));
    let sep = format!("\r\n{delim}\r\n");
    rest = &rest[delim.len() + 2..];
    // the last part ends with CRLF before the closing delimiter
    assert!(rest.ends_with(b"\r\n"));
    rest = &rest[..rest.len() - 2];
    let mut chunks = Vec::new();
    loop {
        match find(rest, sep.as_bytes()) {
            Some(i) => {
                chunks.push(&rest[..i]);
                rest = &rest[i + sep.len()..];
            }
            None => {
                chunks.push(rest);
                break;
            }
        }
    }
    for chunk in chunks {
        let end = find(chunk, b"\r\n\r\n").expect("headers end with an empty line");
        let headers = std::str::from_utf8(&chunk[..end]).unwrap().split("\r\n").map(str::to_owned).collect();
        parts.push(TestPart { headers, body: chunk[end + 4..].to_vec() });
    }
    (boundary, parts)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A page as Graph answers a create or get.
pub fn page_json(id: &str, title: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "title": title,
        "contentUrl": format!("https://graph.microsoft.com/v1.0/me/onenote/pages/{id}/content"),
        "createdDateTime": "2026-03-02T09:00:00Z",
        "lastModifiedDateTime": "2026-03-02T09:00:00Z",
        "links": {
            "oneNoteClientUrl": {"href": format!("onenote:https://contoso-my.sharepoint.com/notes/{id}")},
            "oneNoteWebUrl": {"href": format!("https://contoso-my.sharepoint.com/notes/{id}")}
        }
    })
}
