//! Calendars: list, get, default, create.

mod common;

use common::{body, json, only_request, query};
use msgraph_calendar::{CalendarColor, CalendarExt, OnlineMeetingProviderType};
use msgraph_core::test_util::MockGraph;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const LIST_CALENDARS: &str = include_str!("../../testdata/graph-samples/calendar/user-list-calendars.json");

/// The one calendar of the list sample, as a single resource.
fn calendar_json() -> String {
    let v: Value = serde_json::from_str(LIST_CALENDARS).unwrap();
    v["value"][0].to_string()
}

#[tokio::test]
async fn list_calendars() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/calendars"))
        .respond_with(json(LIST_CALENDARS))
        .expect(1)
        .mount(&graph.server)
        .await;
    let page = graph.client().me().calendars().list().send().await.unwrap();
    let c = &page.value[0];
    assert_eq!(c.id.as_deref(), Some("AAMkAGI2TGuLAAA="));
    assert_eq!(c.name.as_deref(), Some("Calendar"));
    assert_eq!(c.color, Some(CalendarColor::Auto));
    assert_eq!(c.can_edit, Some(true));
    assert_eq!(c.is_removable, Some(false));
    assert_eq!(c.default_online_meeting_provider, Some(OnlineMeetingProviderType::TeamsForBusiness));
    assert_eq!(c.owner.as_ref().unwrap().name.as_deref(), Some("Samantha Booth"));
    assert!(c.additional.contains_key("@odata.id"));
    assert!(only_request(&graph).await.url.query().is_none());
}

#[tokio::test]
async fn get_calendar_by_id() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/samanthab@contoso.com/calendars/AAMkAGI2TGuLAAA="))
        .respond_with(json(calendar_json()))
        .expect(1)
        .mount(&graph.server)
        .await;
    let c = graph.client().user("samanthab@contoso.com").calendars().get("AAMkAGI2TGuLAAA=").await.unwrap();
    assert_eq!(c.owner.unwrap().address.as_deref(), Some("samanthab@contoso.com"));
}

#[tokio::test]
async fn get_default_calendar() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/calendar"))
        .respond_with(json(calendar_json()))
        .expect(1)
        .mount(&graph.server)
        .await;
    let c = graph.client().me().calendars().default_calendar().select(["id", "name"]).await.unwrap();
    assert_eq!(c.name.as_deref(), Some("Calendar"));
    assert_eq!(query(&only_request(&graph).await), [("$select".to_owned(), "id,name".to_owned())]);
}

#[tokio::test]
async fn create_calendar_with_color() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/calendars"))
        .respond_with(ResponseTemplate::new(201).set_body_string(calendar_json()))
        .expect(1)
        .mount(&graph.server)
        .await;
    let c = graph.client().me().calendars().create("Volunteer").color(CalendarColor::LightGreen).send().await.unwrap();
    assert_eq!(c.id.as_deref(), Some("AAMkAGI2TGuLAAA="));
    assert_eq!(body(&only_request(&graph).await), json!({"name": "Volunteer", "color": "lightGreen"}));
}

#[tokio::test]
async fn create_calendar_with_just_a_name() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/calendars"))
        .respond_with(ResponseTemplate::new(201).set_body_string(calendar_json()))
        .expect(1)
        .mount(&graph.server)
        .await;
    graph.client().me().calendars().create("Volunteer").send().await.unwrap();
    assert_eq!(body(&only_request(&graph).await), json!({"name": "Volunteer"}));
}
