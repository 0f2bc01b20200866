//! The operation type and the per-request options every builder shares:
//! what goes on the wire, client-wide defaults and their per-request
//! overrides, `Prefer: return=minimal`, and bad input caught before sending.

use std::time::Duration;

use futures::TryStreamExt;
use msgraph_core::delta::DeltaSync;
use msgraph_core::models::{BodyType, User};
use msgraph_core::test_util::MockGraph;
use msgraph_core::{Action, Error, GetBuilder, GraphClient, GraphPath, ListBuilder, Request, WithOptions};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

const USER: &str = include_str!("../../testdata/graph-samples/core/user-get-me.json");

fn me() -> GraphPath {
    GraphPath::new().push("me")
}

fn patch_me(client: &GraphClient) -> Action<User> {
    Action::json(client.clone(), Request::patch(me()).json(&json!({"jobTitle": "Pilot"})))
}

fn prefer(r: &wiremock::Request) -> Option<String> {
    r.headers.get("prefer").map(|v| v.to_str().unwrap().to_owned())
}

fn assert_invalid(result: Result<impl std::fmt::Debug, Error>, says: &str) {
    match result {
        Err(Error::InvalidInput(m)) => assert!(m.contains(says), "{m:?} should say {says:?}"),
        other => panic!("expected InvalidInput({says:?}), got {other:?}"),
    }
}

#[tokio::test]
async fn prefer_minimal_sends_return_minimal_and_takes_the_204() {
    let g = MockGraph::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me"))
        .and(header("prefer", "return=minimal"))
        .and(body_json(json!({"jobTitle": "Pilot"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let answer: () = patch_me(&g.client()).prefer_minimal().await.unwrap();
    assert_eq!(answer, ());
}

#[tokio::test]
async fn without_prefer_minimal_the_changed_resource_is_parsed() {
    let g = MockGraph::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_string(USER))
        .expect(1)
        .mount(&g.server)
        .await;
    let user = patch_me(&g.client()).await.unwrap();
    assert_eq!(user.display_name.as_deref(), Some("Adele Vance"));
    assert_eq!(prefer(&g.requests().await[0]), None);
}

#[tokio::test]
async fn prefer_minimal_is_refused_where_the_answer_is_needed_and_nothing_is_sent() {
    let g = MockGraph::start().await;
    let c = g.client();
    // a read
    let get: Action<User> = Action::json(c.clone(), Ok(Request::get(me())));
    assert_invalid(get.prefer_minimal().await, "only changes");
    // an operation that takes its answer apart for the caller
    let id_of: Action<String> = Action::with_decoder(c.clone(), Request::post(me()).json(&json!({})), |r| {
        Ok(r.json::<User>()?.id.unwrap_or_default())
    });
    assert_invalid(id_of.prefer_minimal().into_request(), "needs the body");
    assert!(g.requests().await.is_empty());
}

#[tokio::test]
async fn every_option_goes_on_the_wire_of_an_action() {
    let g = MockGraph::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me"))
        .and(header("client-request-id", "0d3b4b8e-7c1f-4e2a-9d5f-6a1b2c3d4e5f"))
        .and(header("x-trace", "42"))
        .respond_with(ResponseTemplate::new(200).set_body_string(USER))
        .expect(1)
        .mount(&g.server)
        .await;
    patch_me(&g.client())
        .timezone("Europe/Paris")
        .body_content_type(BodyType::Text)
        .immutable_ids(true)
        .prefer("odata.track-changes")
        .client_request_id("0d3b4b8e-7c1f-4e2a-9d5f-6a1b2c3d4e5f")
        .header("x-trace", "42")
        .await
        .unwrap();
    assert_eq!(
        prefer(&g.requests().await[0]).as_deref(),
        Some(
            r#"outlook.timezone="Europe/Paris", outlook.body-content-type="text", IdType="ImmutableId", odata.track-changes"#
        )
    );
}

#[tokio::test]
async fn client_wide_defaults_reach_every_builder_and_a_request_overrides_them() {
    let g = MockGraph::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string(USER)).mount(&g.server).await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(200).set_body_string(USER)).mount(&g.server).await;
    let c = g.client_builder().immutable_ids(true).timezone("UTC").build().unwrap();
    let users = || ListBuilder::<User>::new(c.clone(), GraphPath::new().push("users"));

    GetBuilder::<User>::new(c.clone(), me()).await.unwrap();
    users().send().await.unwrap();
    patch_me(&c).await.unwrap();
    // per-request overrides: immutable ids off, another zone
    patch_me(&c).immutable_ids(false).timezone("Asia/Tokyo").await.unwrap();
    users().immutable_ids(false).send().await.unwrap();
    // a request sets only the zone: the client's immutable ids stay
    GetBuilder::<User>::new(c.clone(), me()).timezone("Asia/Tokyo").await.unwrap();

    let seen: Vec<Option<String>> = g.requests().await.iter().map(prefer).collect();
    let both = Some(r#"outlook.timezone="UTC", IdType="ImmutableId""#.to_owned());
    assert_eq!(
        seen,
        [
            both.clone(),
            both.clone(),
            both,
            Some(r#"outlook.timezone="Asia/Tokyo""#.to_owned()),
            Some(r#"outlook.timezone="UTC""#.to_owned()),
            Some(r#"outlook.timezone="Asia/Tokyo", IdType="ImmutableId""#.to_owned()),
        ]
    );
}

#[tokio::test]
async fn bad_headers_and_ids_are_invalid_input_before_anything_is_sent() {
    let g = MockGraph::start().await;
    let c = g.client();
    assert_invalid(patch_me(&c).header("bad header", "x").await, "invalid header name");
    assert_invalid(patch_me(&c).header("x-ok", "line\r\nbreak").await, "invalid value for header x-ok");
    assert_invalid(patch_me(&c).client_request_id("id\n").await, "client-request-id");
    assert_invalid(patch_me(&c).prefer("a\u{7f}").await, "Prefer");
    assert_invalid(GetBuilder::<User>::new(c.clone(), me()).header("", "x").await, "invalid header name");
    assert_invalid(
        ListBuilder::<User>::new(c.clone(), me()).header("x", "\u{0}").stream().try_next().await,
        "invalid value",
    );
    let sync = DeltaSync::<User>::new(c.clone(), GraphPath::new().push("users").push("delta")).header("a b", "x");
    assert_invalid(sync.pages().await, "invalid header name");
    let delete = Action::empty(c.clone(), Ok(Request::delete(GraphPath::new().push("users").id(""))));
    assert_invalid(delete.await, "empty id");
    // the first problem is the one reported
    assert_invalid(patch_me(&c).header("a b", "x").header("c d", "y").await, "\"a b\"");
    assert!(g.requests().await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn pace_waits_between_the_pages_of_a_list() {
    let g = MockGraph::start().await;
    for p in 0..3 {
        let mut body = json!({"value": [{"id": p.to_string()}]});
        if p < 2 {
            body["@odata.nextLink"] = json!(format!("{}/users?$skiptoken={}", g.base_url(), p + 1));
        }
        let m = Mock::given(method("GET")).and(path("/v1.0/users"));
        let m = if p == 0 {
            m.and(query_param_is_missing("$skiptoken"))
        } else {
            m.and(query_param("$skiptoken", p.to_string()))
        };
        m.respond_with(ResponseTemplate::new(200).set_body_json(body)).expect(1).mount(&g.server).await;
    }
    let started = std::time::Instant::now();
    let all: Vec<User> = ListBuilder::<User>::new(g.client(), GraphPath::new().push("users"))
        .pace(Duration::from_millis(150))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    // two waits (before pages 2 and 3), never before the first
    assert!(started.elapsed() >= Duration::from_millis(300));
}
