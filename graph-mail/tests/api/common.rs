//! Shared test helpers: a fake Graph, samples, JSON comparison.

use msgraph_core::test_util::MockGraph;
use msgraph_core::{Error, GraphClient};
use serde_json::Value;

/// A fake Graph (catch-all fails the test on any unexpected request) and a client for it.
pub async fn graph() -> (MockGraph, GraphClient) {
    let graph = MockGraph::start().await;
    let client = graph.client();
    (graph, client)
}

/// A sample file's JSON.
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("sample is JSON")
}

/// Asserts an input error and that nothing reached the server.
pub async fn assert_invalid_input(graph: &MockGraph, result: Result<impl std::fmt::Debug, Error>, needle: &str) {
    match result {
        Err(Error::InvalidInput(msg)) => assert!(msg.contains(needle), "message {msg:?} should mention {needle:?}"),
        other => panic!("expected InvalidInput mentioning {needle:?}, got {other:?}"),
    }
    assert!(graph.requests().await.is_empty(), "nothing may be sent on invalid input");
}

/// The JSON body of the only request the server received.
pub async fn only_request_body(graph: &MockGraph) -> Value {
    let reqs = graph.requests().await;
    assert_eq!(reqs.len(), 1, "expected exactly one request");
    serde_json::from_slice(&reqs[0].body).expect("request body is JSON")
}

/// Removes `null` members (Graph treats null and absent alike; models skip `None`).
pub fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Deserializes `original` into `T`, serializes it back, and asserts that
/// nothing was lost or changed (nulls aside).
pub fn assert_round_trip<T>(original: &Value, what: &str) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let typed: T = serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut back = serde_json::to_value(&typed).expect("serializes");
    let mut want = original.clone();
    strip_nulls(&mut want);
    strip_nulls(&mut back);
    assert_eq!(back, want, "{what}: round trip changed the JSON");
    typed
}
