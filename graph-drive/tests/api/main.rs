//! msgraph-drive against wiremock: every operation, request by request, on
//! the docs' payloads (testdata/graph-samples/drive).

mod items;
mod samples;
mod sharing;
mod sync;
mod transfers;

use msgraph_core::test_util::MockGraph;
use msgraph_core::{Error, Result};

pub const DRIVE: &str = include_str!("../../../testdata/graph-samples/drive/drive-get.json");
pub const ROOT: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-get.json");
pub const PUT_CONTENT: &str = include_str!("../../../testdata/graph-samples/drive/driveitem-put-content.json");

pub async fn graph() -> MockGraph {
    MockGraph::start().await
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// An `InvalidInput` that says `says`, and nothing sent.
pub async fn refused<T: std::fmt::Debug>(g: &MockGraph, r: Result<T>, says: &str) {
    match r {
        Err(Error::InvalidInput(m)) => assert!(m.contains(says), "{m:?} should say {says:?}"),
        other => panic!("expected InvalidInput({says:?}), got {other:?}"),
    }
    assert!(g.requests().await.is_empty(), "nothing may be sent");
}
