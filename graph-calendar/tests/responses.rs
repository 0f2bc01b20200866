//! Meeting actions: accept, tentatively accept, decline, cancel, forward.

mod common;

use chrono::NaiveDate;
use common::{body, normalize_times, only_request};
use msgraph_calendar::CalendarExt;
use msgraph_core::models::Recipient;
use msgraph_core::test_util::MockGraph;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const DECLINE_REQUEST: &str = include_str!("../../testdata/graph-samples/calendar/event-decline.request.json");

async fn expect_post(graph: &MockGraph, at: &str) {
    Mock::given(method("POST"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&graph.server)
        .await;
}

#[tokio::test]
async fn accept_with_comment_and_send_response() {
    let graph = MockGraph::start().await;
    expect_post(&graph, "/v1.0/me/events/AAMkAGI1AAAt9AHjAAA=/accept").await;
    graph
        .client()
        .me()
        .events()
        .accept("AAMkAGI1AAAt9AHjAAA=")
        .comment("comment-value")
        .send_response(true)
        .send()
        .await
        .unwrap();
    assert_eq!(body(&only_request(&graph).await), json!({"comment": "comment-value", "sendResponse": true}));
}

#[tokio::test]
async fn accept_with_nothing_sends_an_empty_object() {
    let graph = MockGraph::start().await;
    expect_post(&graph, "/v1.0/users/meganb@contoso.com/events/AAMkAGI1AAAt9AHjAAA=/accept").await;
    graph.client().user("meganb@contoso.com").events().accept("AAMkAGI1AAAt9AHjAAA=").send().await.unwrap();
    assert_eq!(body(&only_request(&graph).await), json!({}));
}

#[tokio::test]
async fn tentatively_accept_without_telling_the_organizer() {
    let graph = MockGraph::start().await;
    expect_post(&graph, "/v1.0/me/events/AAMkAGI1AAAt9AHjAAA=/tentativelyAccept").await;
    let b = graph.client().me().events().tentatively_accept("AAMkAGI1AAAt9AHjAAA=");
    assert_eq!(b.action(), "tentativelyAccept");
    b.comment("maybe").send_response(false).send().await.unwrap();
    assert_eq!(body(&only_request(&graph).await), json!({"comment": "maybe", "sendResponse": false}));
}

#[tokio::test]
async fn tentatively_accept_proposing_a_new_time() {
    let graph = MockGraph::start().await;
    expect_post(&graph, "/v1.0/me/events/AAMkAGI1AAAt9AHjAAA=/tentativelyAccept").await;
    let day = NaiveDate::from_ymd_opt(2019, 12, 2).unwrap();
    graph
        .client()
        .me()
        .events()
        .tentatively_accept("AAMkAGI1AAAt9AHjAAA=")
        .comment("I may not be able to make this week. How about next week?")
        .send_response(true)
        .propose_new_time(
            (day.and_hms_opt(18, 0, 0).unwrap(), "Pacific Standard Time"),
            (day.and_hms_opt(19, 0, 0).unwrap(), "Pacific Standard Time"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        body(&only_request(&graph).await)["proposedNewTime"],
        json!({
            "start": {"dateTime": "2019-12-02T18:00:00.0000000", "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2019-12-02T19:00:00.0000000", "timeZone": "Pacific Standard Time"}
        })
    );
}

#[tokio::test]
async fn decline_with_comment_and_proposed_time() {
    let graph = MockGraph::start().await;
    expect_post(&graph, "/v1.0/me/events/AAMkAGI1AAAt9AHjAAA=/decline").await;
    let day = NaiveDate::from_ymd_opt(2019, 12, 2).unwrap();
    graph
        .client()
        .me()
        .events()
        .decline("AAMkAGI1AAAt9AHjAAA=")
        .comment("I won't be able to make this week. How about next week?")
        .send_response(true)
        .propose_new_time(
            (day.and_hms_opt(18, 0, 0).unwrap(), "Pacific Standard Time"),
            (day.and_hms_opt(19, 0, 0).unwrap(), "Pacific Standard Time"),
        )
        .send()
        .await
        .unwrap();
    // The documented body (event-decline.request.json), with its times in
    // Graph's canonical seven-digit form.
    let expected = normalize_times(serde_json::from_str::<Value>(DECLINE_REQUEST).unwrap());
    assert_eq!(body(&only_request(&graph).await), expected);
}

#[tokio::test]
async fn cancel_as_organizer_with_comment() {
    let graph = MockGraph::start().await;
    expect_post(&graph, "/v1.0/me/calendars/AAMkAGI2TGuLAAA=/events/AAMkAGI1AAAt9AHjAAA=/cancel").await;
    graph
        .client()
        .me()
        .calendars()
        .events("AAMkAGI2TGuLAAA=")
        .cancel("AAMkAGI1AAAt9AHjAAA=")
        .comment("Cancelling for this week due to all hands")
        .send()
        .await
        .unwrap();
    assert_eq!(body(&only_request(&graph).await), json!({"comment": "Cancelling for this week due to all hands"}));
}

#[tokio::test]
async fn forward_to_recipients_with_comment() {
    let graph = MockGraph::start().await;
    expect_post(&graph, "/v1.0/me/events/AAMkAGI1AAAt9AHjAAA=/forward").await;
    graph
        .client()
        .me()
        .events()
        .forward("AAMkAGI1AAAt9AHjAAA=", [Recipient::with_name("Dana Swope", "danas@contoso.onmicrosoft.com")])
        .comment("Dana, hope you can make this meeting.")
        .send()
        .await
        .unwrap();
    assert_eq!(
        body(&only_request(&graph).await),
        json!({
            "toRecipients": [{"emailAddress": {"name": "Dana Swope", "address": "danas@contoso.onmicrosoft.com"}}],
            "comment": "Dana, hope you can make this meeting."
        })
    );
}

#[tokio::test]
async fn a_declined_action_comes_back_as_a_typed_error() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/events/AAMkAGI1AAAt9AHjAAA=/cancel"))
        .respond_with(ResponseTemplate::new(400).set_body_string(
            r#"{"error":{"code":"ErrorInvalidRequest","message":"Your request can't be completed. You need to be an organizer to cancel a meeting."}}"#,
        ))
        .expect(1)
        .mount(&graph.server)
        .await;
    let err = graph.client().me().events().cancel("AAMkAGI1AAAt9AHjAAA=").send().await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("ErrorInvalidRequest"));
}
