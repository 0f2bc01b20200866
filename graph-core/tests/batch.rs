//! JSON batching, request by request (CONFORMANCE 42-46b).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use msgraph_core::batch::{Batch, BatchKey};
use msgraph_core::test_util::MockGraph;
use msgraph_core::{BodyStream, Error, GraphPath, Request, models::User};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Respond, ResponseTemplate};

/// Answers every item with 200 and `{"id": <item id>, "displayName": <url>}`,
/// in reverse order; items listed in `throttle_once` get one 429 first.
struct Echo {
    throttle_once: Vec<&'static str>,
    seen: Mutex<HashMap<String, u32>>,
}

impl Echo {
    fn new(throttle_once: Vec<&'static str>) -> Self {
        Echo { throttle_once, seen: Mutex::new(HashMap::new()) }
    }
}

impl Respond for Echo {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let mut out = Vec::new();
        for item in body["requests"].as_array().unwrap().iter().rev() {
            let id = item["id"].as_str().unwrap().to_owned();
            let n = {
                let mut seen = self.seen.lock().unwrap();
                let n = seen.entry(id.clone()).or_insert(0);
                *n += 1;
                *n
            };
            if n == 1 && self.throttle_once.contains(&id.as_str()) {
                out.push(json!({"id": id, "status": 429, "headers": {"Retry-After": "1"},
                    "body": {"error": {"code": "TooManyRequests", "message": "throttled"}}}));
            } else {
                out.push(json!({"id": id, "status": 200, "headers": {"Content-Type": "application/json"},
                    "body": {"id": id, "displayName": item["url"]}}));
            }
        }
        ResponseTemplate::new(200).set_body_json(json!({"responses": out}))
    }
}

fn get_user(i: usize) -> Request {
    Request::get(GraphPath::new().push("users").id(format!("user-{i}")))
}

fn batch_bodies(reqs: &[wiremock::Request]) -> Vec<Value> {
    reqs.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect()
}

#[tokio::test]
async fn forty_five_requests_go_out_as_20_20_5_and_map_back_by_id() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(Echo::new(vec![]))
        .expect(3)
        .mount(&g.server)
        .await;
    let mut batch = Batch::new();
    let keys: Vec<BatchKey<User>> = (0..45).map(|i| batch.add(get_user(i))).collect();
    let responses = g.client().batch(batch).send().await.unwrap();
    let sizes: Vec<usize> =
        batch_bodies(&g.requests().await).iter().map(|b| b["requests"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [20, 20, 5]);
    assert_eq!(responses.http_requests(), 3);
    for (i, k) in keys.iter().enumerate() {
        let u = responses.get(k).unwrap();
        assert_eq!(u.display_name.as_deref(), Some(format!("/users/user-{i}").as_str()), "answers come back reversed");
    }
}

#[tokio::test]
async fn twenty_one_in_a_single_batch_fail_before_sending() {
    let g = MockGraph::start().await;
    let mut batch = Batch::single();
    for i in 0..21 {
        let _: BatchKey<User> = batch.add(get_user(i));
    }
    let err = g.client().batch(batch).send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(g.requests().await.is_empty());
}

#[tokio::test]
async fn depends_on_an_unknown_id_fails_before_sending() {
    let g = MockGraph::start().await;
    let mut batch = Batch::new();
    let _: BatchKey<User> = batch.add(get_user(1));
    let _: BatchKey<User> = batch.add_after(get_user(2), &["nope"]);
    let err = g.client().batch(batch).send().await.unwrap_err();
    assert!(err.to_string().contains("unknown id \"nope\""), "{err}");
    let mut cyclic = Batch::new();
    let _: BatchKey<User> = cyclic.add_with_id("a", get_user(1), &["b"]);
    let _: BatchKey<User> = cyclic.add_with_id("b", get_user(2), &["a"]);
    assert!(g.client().batch(cyclic).send().await.unwrap_err().to_string().contains("cycle"));
    let mut dup = Batch::new();
    let _: BatchKey<User> = dup.add_with_id("x", get_user(1), &[]);
    let _: BatchKey<User> = dup.add_with_id("x", get_user(2), &[]);
    assert!(matches!(g.client().batch(dup).send().await.unwrap_err(), Error::InvalidInput(_)));
    assert!(g.requests().await.is_empty());
}

#[tokio::test]
async fn throttled_items_are_resent_in_a_later_batch_after_retry_after() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(Echo::new(vec!["3", "7"]))
        .expect(2)
        .mount(&g.server)
        .await;
    let mut batch = Batch::new();
    let keys: Vec<BatchKey<User>> = (0..20).map(|i| batch.add(get_user(i))).collect();
    let started = Instant::now();
    let responses = g.client().batch(batch).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited out the items' Retry-After");
    for k in &keys {
        assert!(responses.get(k).is_ok(), "item {} failed", k.id());
    }
    let bodies = batch_bodies(&g.requests().await);
    let second: Vec<&str> =
        bodies[1]["requests"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(second, ["3", "7"], "only the throttled items are sent again");
}

#[tokio::test]
async fn wire_format_relative_urls_inline_json_base64_other_bodies_depends_on() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(Echo::new(vec![]))
        .expect(1)
        .mount(&g.server)
        .await;
    let mut batch = Batch::new();
    let a: BatchKey<Value> = batch.add(
        Request::get(GraphPath::new().push("users"))
            .query("$select", "id,displayName")
            .query("$filter", "city eq null")
            .header("ConsistencyLevel", "eventual")
            .unwrap(),
    );
    let b: BatchKey<Value> = batch.add_after(
        Request::post(GraphPath::new().push("me").push("messages")).json(&json!({"subject": "Hi"})).unwrap(),
        &[a.id()],
    );
    let _c: BatchKey<Value> = batch.add_after(
        Request::put(GraphPath::new().push("me").push("photo").push("$value"))
            .bytes(vec![0xffu8, 0xd8, 0xff], "image/jpeg"),
        &[b.id()],
    );
    g.client().batch(batch).send().await.unwrap();
    let body = &batch_bodies(&g.requests().await)[0];
    assert_eq!(
        body,
        &json!({"requests": [
            {"id": "1", "method": "GET", "url": "/users?$select=id,displayName&$filter=city%20eq%20null",
             "headers": {"consistencylevel": "eventual"}},
            {"id": "2", "method": "POST", "url": "/me/messages", "headers": {"content-type": "application/json"},
             "body": {"subject": "Hi"}, "dependsOn": ["1"]},
            {"id": "3", "method": "PUT", "url": "/me/photo/$value", "headers": {"content-type": "image/jpeg"},
             "body": "/9j/", "dependsOn": ["2"]},
        ]})
    );
}

#[tokio::test]
async fn graphs_sample_response_gives_each_item_its_own_result() {
    let g = MockGraph::start().await;
    let sample = include_str!("../../testdata/graph-samples/core/json-batching.json");
    let mut v: Value = serde_json::from_str(sample).unwrap();
    // add a failed dependency answer to the documented ones
    v["responses"].as_array_mut().unwrap().push(json!({"id": "6", "status": 424, "body": {"error": {"code": "FailedDependency", "message": "dependency failed"}}}));
    Mock::given(path("/v1.0/$batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(v))
        .expect(1)
        .mount(&g.server)
        .await;
    let mut batch = Batch::new();
    let first: BatchKey<msgraph_core::Page<Value>> =
        batch.add(Request::get(GraphPath::new().push("me").push("memberOf")));
    let second: BatchKey<Value> = batch.add(Request::get(GraphPath::new().push("me").push("planner").push("tasks")));
    for i in 3..=5 {
        let _: BatchKey<Value> = batch.add(get_user(i));
    }
    let sixth: BatchKey<Value> = batch.add_after(get_user(6), &["2"]);
    let r = g.client().batch(batch).send().await.unwrap();
    let page = r.get(&first).unwrap();
    assert_eq!(page.value[0]["displayName"], "User Administrator");
    assert!(page.next_link.is_some());
    let err = r.get(&second).unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.request_id(), Some("93b6f17e-c05d-4f45-ad2a-6665c708d8a0"));
    let dep = r.get(&sixth).unwrap_err();
    assert_eq!(dep.status(), Some(424));
    assert!(dep.to_string().contains("depends on failed"), "{dep}");
}

#[tokio::test]
async fn requests_off_the_service_root_cannot_be_batched() {
    let g = MockGraph::start().await;
    let mut batch = Batch::new();
    let _: BatchKey<Value> = batch.add(Request::to_url(reqwest::Method::GET, "https://example.com/v1.0/me").unwrap());
    assert!(matches!(g.client().batch(batch).send().await.unwrap_err(), Error::InvalidInput(_)));
    let mut batch = Batch::new();
    let _: BatchKey<Value> = batch.add(Request::post(GraphPath::new().push("x")).stream_body(
        BodyStream::from_stream(futures::stream::iter([Ok(bytes::Bytes::from_static(b"s"))])),
        "text/plain",
    ));
    assert!(matches!(g.client().batch(batch).send().await.unwrap_err(), Error::InvalidInput(_)));
    assert!(g.requests().await.is_empty());
}

/// Lets `per_call` items of each call through and throttles the rest
/// (`Retry-After: 0`); `per_call = 0` throttles everything.
struct RateLimited {
    per_call: usize,
}

impl Respond for RateLimited {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let out: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let id = item["id"].as_str().unwrap();
                if i < self.per_call {
                    json!({"id": id, "status": 200, "body": {"id": id}})
                } else {
                    json!({"id": id, "status": 429, "headers": {"Retry-After": "0"},
                        "body": {"error": {"code": "ApplicationThrottled", "message": "throttled"}}})
                }
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"responses": out}))
    }
}

#[tokio::test]
async fn a_set_that_advances_under_a_rate_limit_is_not_cut_short() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/$batch")).respond_with(RateLimited { per_call: 5 }).mount(&g.server).await;
    let mut batch = Batch::new();
    let keys: Vec<BatchKey<User>> = (0..45).map(|i| batch.add(get_user(i))).collect();
    let responses = g.client().batch(batch).send().await.unwrap();
    for k in &keys {
        assert!(responses.get(k).is_ok(), "item {} lost", k.id());
    }
    // 5 items per call get through: 9 calls, far more rounds than the 3 retries a stall allows
    assert_eq!(responses.http_requests(), 9);
}

#[tokio::test]
async fn a_stalled_batch_gives_up_with_each_item_keeping_its_429() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/$batch")).respond_with(RateLimited { per_call: 0 }).expect(4).mount(&g.server).await;
    let mut batch = Batch::new();
    let keys: Vec<BatchKey<User>> = (0..3).map(|i| batch.add(get_user(i))).collect();
    let responses = g.client().batch(batch).send().await.unwrap();
    assert_eq!(responses.http_requests(), 4, "the first call and three retries");
    for k in &keys {
        let err = responses.get(k).unwrap_err();
        assert!(err.is_throttled(), "{err}");
        assert_eq!(err.code(), Some("ApplicationThrottled"));
    }
}

/// Throttles item "a" once; its dependent gets 424 that time.
struct ThrottleDependencyOnce {
    calls: Mutex<u32>,
}

impl Respond for ThrottleDependencyOnce {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let first = {
            let mut n = self.calls.lock().unwrap();
            *n += 1;
            *n == 1
        };
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let out: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                let id = item["id"].as_str().unwrap();
                match (first, id) {
                    (true, "a") => json!({"id": id, "status": 429, "headers": {"Retry-After": "0"}}),
                    (true, "b") => json!({"id": id, "status": 424}),
                    _ => json!({"id": id, "status": 200, "body": {"id": id}}),
                }
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"responses": out}))
    }
}

#[tokio::test]
async fn a_throttled_dependency_is_resent_together_with_its_dependent() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/$batch"))
        .respond_with(ThrottleDependencyOnce { calls: Mutex::new(0) })
        .expect(2)
        .mount(&g.server)
        .await;
    let mut batch = Batch::new();
    let a: BatchKey<User> = batch.add_with_id("a", get_user(1), &[]);
    let b: BatchKey<User> = batch.add_with_id("b", get_user(2), &["a"]);
    let c: BatchKey<User> = batch.add_with_id("c", get_user(3), &[]);
    let r = g.client().batch(batch).send().await.unwrap();
    assert!(r.get(&a).is_ok() && r.get(&b).is_ok() && r.get(&c).is_ok());
    let bodies = batch_bodies(&g.requests().await);
    assert_eq!(
        bodies[1]["requests"],
        json!([
            {"id": "a", "method": "GET", "url": "/users/user-1"},
            {"id": "b", "method": "GET", "url": "/users/user-2", "dependsOn": ["a"]},
        ])
    );
}

#[tokio::test]
async fn building_a_large_batch_assigns_unique_ids() {
    let mut batch = Batch::new();
    let _: BatchKey<User> = batch.add_with_id("2", get_user(0), &[]);
    let keys: Vec<BatchKey<User>> = (1..=2000).map(|i| batch.add(get_user(i))).collect();
    let ids: std::collections::HashSet<&str> = keys.iter().map(|k| k.id()).collect();
    assert_eq!(ids.len(), 2000);
    assert!(!ids.contains("2"), "an id chosen by the caller is skipped");
}

/// Throttles every item: the first call with `Retry-After: 1` (so that one
/// second was waited), every later call with `Retry-After: u64::MAX` seconds.
struct ThrottleThenHugeRetryAfter {
    calls: Mutex<u32>,
}

impl Respond for ThrottleThenHugeRetryAfter {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let first = {
            let mut n = self.calls.lock().unwrap();
            *n += 1;
            *n == 1
        };
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let out: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                let id = item["id"].as_str().unwrap();
                if first {
                    json!({"id": id, "status": 429, "headers": {"Retry-After": "1"}})
                } else {
                    json!({"id": id, "status": 429, "headers": {"Retry-After": "18446744073709551615"}})
                }
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"responses": out}))
    }
}

#[tokio::test]
async fn a_huge_retry_after_in_a_stalled_batch_does_not_panic() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/$batch"))
        .respond_with(ThrottleThenHugeRetryAfter { calls: Mutex::new(0) })
        .expect(2)
        .mount(&g.server)
        .await;
    let mut batch = Batch::new();
    let keys: Vec<BatchKey<User>> = (0..3).map(|i| batch.add(get_user(i))).collect();
    let responses = g.client().batch(batch).send().await.unwrap();
    assert_eq!(responses.http_requests(), 2);
    for k in &keys {
        assert!(responses.get(k).unwrap_err().is_throttled());
    }
}

#[tokio::test]
async fn a_batch_holding_a_send_mail_is_not_repeated_after_504() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/$batch")).respond_with(ResponseTemplate::new(504)).expect(1).mount(&g.server).await;
    let mut batch = Batch::new();
    let read: BatchKey<User> = batch.add(get_user(1));
    let send: BatchKey<()> =
        batch.add(Request::post(GraphPath::new().push("me").push("sendMail")).json(&json!({"message": {}})).unwrap());
    let r = g.client().batch(batch).send().await.unwrap();
    assert_eq!(r.get(&send).unwrap_err().status(), Some(504));
    assert_eq!(r.get(&read).unwrap_err().status(), Some(504), "the whole call failed");
}

#[tokio::test]
async fn a_batch_of_reads_is_retried_after_504() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/$batch"))
        .respond_with(ResponseTemplate::new(504))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/$batch")).respond_with(Echo::new(vec![])).expect(1).mount(&g.server).await;
    let mut batch = Batch::new();
    let a: BatchKey<User> = batch.add(get_user(1));
    let b: BatchKey<Value> = batch.add(Request::delete(GraphPath::new().push("me").push("messages").id("x")));
    let r = g.client().batch(batch).send().await.unwrap();
    assert!(r.get(&a).is_ok() && r.get(&b).is_ok());
}

/// Answers every item 504 on the first call, 200 afterwards.
struct GatewayTimeoutOnce {
    calls: Mutex<u32>,
}

impl Respond for GatewayTimeoutOnce {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let first = {
            let mut n = self.calls.lock().unwrap();
            *n += 1;
            *n == 1
        };
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let out: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                let id = item["id"].as_str().unwrap();
                if first {
                    json!({"id": id, "status": 504})
                } else {
                    json!({"id": id, "status": 200, "body": {"id": id}})
                }
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"responses": out}))
    }
}

#[tokio::test]
async fn an_item_answered_504_is_sent_again_only_when_idempotent() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/$batch"))
        .respond_with(GatewayTimeoutOnce { calls: Mutex::new(0) })
        .expect(2)
        .mount(&g.server)
        .await;
    let mut batch = Batch::new();
    let read: BatchKey<User> = batch.add(get_user(1));
    let send: BatchKey<()> =
        batch.add(Request::post(GraphPath::new().push("me").push("sendMail")).json(&json!({"message": {}})).unwrap());
    let opted_in: BatchKey<Value> = batch.add(
        Request::post(GraphPath::new().push("me").push("messages").id("m").push("move"))
            .json(&json!({"destinationId": "archive"}))
            .unwrap()
            .idempotent(true),
    );
    let r = g.client().batch(batch).send().await.unwrap();
    assert!(r.get(&read).is_ok());
    assert!(r.get(&opted_in).is_ok());
    assert_eq!(r.get(&send).unwrap_err().status(), Some(504), "sendMail keeps its 504");
    let bodies = batch_bodies(&g.requests().await);
    let again: Vec<&str> =
        bodies[1]["requests"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(again, ["1", "3"]);
}

/// Call 2 answers 500, call 3 takes longer than the client's timeout, the
/// others echo (CONFORMANCE 46a).
struct SecondFailsThirdHangs {
    calls: Mutex<u32>,
    echo: Echo,
}

impl Respond for SecondFailsThirdHangs {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let n = {
            let mut n = self.calls.lock().unwrap();
            *n += 1;
            *n
        };
        match n {
            2 => ResponseTemplate::new(500)
                .insert_header("request-id", "call-2")
                .set_body_json(json!({"error": {"code": "InternalServerError", "message": "boom"}})),
            3 => self.echo.respond(request).set_delay(Duration::from_secs(5)),
            _ => self.echo.respond(request),
        }
    }
}

#[tokio::test]
async fn a_failed_batch_call_becomes_the_error_of_its_items_and_the_other_calls_go_on() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/$batch"))
        .respond_with(SecondFailsThirdHangs { calls: Mutex::new(0), echo: Echo::new(vec![]) })
        .expect(4)
        .mount(&g.server)
        .await;
    let client = g.client_builder().timeout(Duration::from_millis(500)).build().unwrap();
    let mut batch = Batch::new();
    let keys: Vec<BatchKey<User>> = (0..65).map(|i| batch.add(get_user(i))).collect();
    let r = client.batch(batch).send().await.unwrap();
    assert_eq!(r.http_requests(), 4);
    assert_eq!(r.len(), 65, "every item has a result");
    for (i, k) in keys.iter().enumerate() {
        match i / 20 {
            0 | 3 => assert!(r.get(k).is_ok(), "item {i} lost its answer"),
            1 => {
                let err = r.get(k).unwrap_err();
                assert_eq!(err.status(), Some(500), "item {i}: {err}");
                assert_eq!(err.code(), Some("InternalServerError"));
                assert_eq!(err.request_id(), Some("call-2"));
                assert!(err.to_string().contains("$batch call"), "{err}");
                assert!(r.call_error(k.id()).is_some());
            }
            _ => {
                let err = r.get(k).unwrap_err();
                assert!(matches!(err, Error::Timeout { .. }), "item {i}: {err:?}");
                assert!(err.is_retryable());
            }
        }
    }
    assert!(r.call_error(keys[0].id()).is_none());
}

/// First call: "a" throttled, everything that depends on it 424; then 200s.
struct ThrottleHeadOfChainOnce {
    calls: Mutex<u32>,
}

impl Respond for ThrottleHeadOfChainOnce {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let first = {
            let mut n = self.calls.lock().unwrap();
            *n += 1;
            *n == 1
        };
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let out: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                let id = item["id"].as_str().unwrap();
                match (first, id) {
                    (true, "a") => json!({"id": id, "status": 429, "headers": {"Retry-After": "0"}}),
                    (true, "b" | "c") => json!({"id": id, "status": 424}),
                    _ => json!({"id": id, "status": 200, "body": {"id": id}}),
                }
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"responses": out}))
    }
}

#[tokio::test]
async fn a_throttled_items_whole_depends_on_chain_is_sent_again() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/$batch"))
        .respond_with(ThrottleHeadOfChainOnce { calls: Mutex::new(0) })
        .expect(2)
        .mount(&g.server)
        .await;
    let mut batch = Batch::new();
    let a: BatchKey<User> = batch.add_with_id("a", get_user(1), &[]);
    let b: BatchKey<User> = batch.add_with_id("b", get_user(2), &["a"]);
    let c: BatchKey<User> = batch.add_with_id("c", get_user(3), &["b"]);
    let r = g.client().batch(batch).send().await.unwrap();
    for k in [&a, &b, &c] {
        assert!(r.get(k).is_ok(), "item {} kept {:?}", k.id(), r.get(k).err());
    }
    let bodies = batch_bodies(&g.requests().await);
    assert_eq!(
        bodies[1]["requests"],
        json!([
            {"id": "a", "method": "GET", "url": "/users/user-1"},
            {"id": "b", "method": "GET", "url": "/users/user-2", "dependsOn": ["a"]},
            {"id": "c", "method": "GET", "url": "/users/user-3", "dependsOn": ["b"]},
        ])
    );
}

#[tokio::test]
async fn a_100000_item_depends_on_chain_is_checked_without_recursion() {
    let g = MockGraph::start().await;
    let chain = |ring: bool| {
        let mut batch = Batch::new();
        for i in 0..100_000usize {
            let dep = if i > 0 { (i - 1).to_string() } else { 99_999.to_string() };
            let deps: &[&str] = if i > 0 || ring { &[dep.as_str()] } else { &[] };
            let _: BatchKey<Value> = batch.add_with_id(i.to_string(), get_user(i), deps);
        }
        batch
    };
    let started = Instant::now();
    let err = g.client().batch(chain(false)).send().await.unwrap_err();
    assert!(err.to_string().contains("100000 batch items depend on each other"), "{err}");
    let err = g.client().batch(chain(true)).send().await.unwrap_err();
    assert!(err.to_string().contains("cycle"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(g.requests().await.is_empty());
}
