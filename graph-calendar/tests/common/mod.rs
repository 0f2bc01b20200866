//! Helpers shared by the integration tests.
#![allow(dead_code)]

use chrono::NaiveDateTime;
use msgraph_core::test_util::MockGraph;
use serde_json::Value;
use wiremock::ResponseTemplate;

/// A 200 answer with a JSON body.
pub fn json(body: impl AsRef<str>) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "application/json").set_body_string(body.as_ref())
}

/// A 200 answer with a JSON value.
pub fn json_value(body: &Value) -> ResponseTemplate {
    json(body.to_string())
}

/// The JSON body of a received request.
pub fn body(req: &wiremock::Request) -> Value {
    serde_json::from_slice(&req.body).expect("request body is JSON")
}

/// The only request the server received (panics when there were others).
pub async fn only_request(graph: &MockGraph) -> wiremock::Request {
    let mut reqs = graph.requests().await;
    assert_eq!(reqs.len(), 1, "expected exactly one request, got {reqs:?}");
    reqs.remove(0)
}

/// The query pairs of a request, decoded, in order.
pub fn query(req: &wiremock::Request) -> Vec<(String, String)> {
    req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// A header of a request as text.
pub fn header<'a>(req: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Rewrites every `"dateTime"` string in Graph's canonical form (seven
/// fraction digits), so a doc sample written `2019-03-15T09:00:00` compares
/// equal to what the SDK sends (`2019-03-15T09:00:00.0000000`). Anything that
/// does not parse is left as is (and will fail the comparison).
pub fn normalize_times(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match (k.as_str(), &v) {
                    ("dateTime", Value::String(s)) => match NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
                        Ok(t) => {
                            let ticks = t.and_utc().timestamp_subsec_nanos() / 100;
                            (k, Value::String(format!("{}.{ticks:07}", t.format("%Y-%m-%dT%H:%M:%S"))))
                        }
                        Err(_) => (k, v),
                    },
                    _ => (k, normalize_times(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize_times).collect()),
        other => other,
    }
}
