//! The master category list.

use msgraph_mail::{CategoryColor, MailExt};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_invalid_input, graph};

const CATEGORIES: &str = include_str!("../../../testdata/graph-samples/mail/outlookuser-list-mastercategories.json");

#[tokio::test]
async fn list_master_categories() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/outlook/masterCategories"))
        .respond_with(ResponseTemplate::new(200).set_body_string(CATEGORIES))
        .expect(1)
        .mount(&graph.server)
        .await;
    let page = client.me().master_categories().list().send().await.unwrap();
    assert_eq!(page.value.len(), 6);
    assert_eq!(page.value[0].display_name.as_deref(), Some("Red category"));
    assert_eq!(page.value[0].color, Some(CategoryColor::Preset0));
    assert_eq!(page.value[5].color, Some(CategoryColor::Preset8));
    assert_eq!(page.value[5].id.as_deref(), Some("453d06d0-447d-41f7-91cd-aa0f6b190b5b"));
}

#[tokio::test]
async fn create_category_with_preset_color() {
    let (graph, client) = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users/u1/outlook/masterCategories"))
        .and(body_json(json!({"displayName": "Project expenses", "color": "preset9"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "7b3d0b6c-6a36-4f4f-a79a-0a1d8f6c8b21", "displayName": "Project expenses", "color": "preset9"
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    let c = client.user("u1").master_categories().create("Project expenses", CategoryColor::Preset9).await.unwrap();
    assert_eq!(c.color, Some(CategoryColor::Preset9));
    // Graph's docs write the no-color constant as `None`.
    assert_eq!(serde_json::from_str::<CategoryColor>("\"None\"").unwrap(), CategoryColor::NoColor);
}

#[tokio::test]
async fn delete_category() {
    let (graph, client) = graph().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/outlook/masterCategories/5a9a6aa8-b65f-4357-b1f9-60c6bf6330d8"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&graph.server)
        .await;
    client.me().master_categories().delete("5a9a6aa8-b65f-4357-b1f9-60c6bf6330d8").await.unwrap();
}

#[tokio::test]
async fn category_names_are_checked_before_sending() {
    let (graph, client) = graph().await;
    let cats = client.me().master_categories();
    assert_invalid_input(&graph, cats.create("x".repeat(256), CategoryColor::Preset1).await, "255").await;
    assert_invalid_input(&graph, cats.create("", CategoryColor::Preset1).await, "empty").await;
    assert_invalid_input(&graph, cats.delete("").await, "empty id").await;
    // 255 characters is the limit, counted as characters, not bytes.
    let (graph2, client2) = crate::common::graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/outlook/masterCategories"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "c"})))
        .expect(1)
        .mount(&graph2.server)
        .await;
    client2.me().master_categories().create("é".repeat(255), CategoryColor::NoColor).await.unwrap();
}
