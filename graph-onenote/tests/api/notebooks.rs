//! Notebooks, section groups and sections.

use msgraph_core::WithOptions as _;
use msgraph_onenote::{OnenoteExt, OnenoteUserRole};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

use crate::{NOTEBOOK, NOTEBOOKS, graph, refused};

#[tokio::test]
async fn notebooks_are_listed_with_the_docs_payload() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/notebooks"))
        .and(query_param_is_missing("$expand"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(NOTEBOOKS))
        .expect(1)
        .mount(&g.server)
        .await;
    let page = g.client().me().onenote().notebooks().list().send().await.unwrap();
    assert_eq!(page.value.len(), 1);
    assert_eq!(page.value[0].user_role, Some(OnenoteUserRole::Owner));
    assert!(page.value[0].sections_url.as_deref().unwrap().ends_with("/sections"));
}

#[tokio::test]
async fn notebooks_with_sections_expand_sections_and_section_groups_with_theirs() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/adele@contoso.com/onenote/notebooks"))
        .and(query_param("$expand", "sections,sectionGroups($expand=sections)"))
        .and(query_param("$orderby", "displayName"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{
            "id": "nb1", "displayName": "Work",
            "sections": [{"id": "s1", "displayName": "Inbox", "isDefault": true}],
            "sectionGroups": [{"id": "g1", "displayName": "2026", "sections": [{"id": "s2", "displayName": "March"}]}]
        }]})))
        .expect(1)
        .mount(&g.server)
        .await;
    let page =
        g.client().user("adele@contoso.com").onenote().notebooks().list().with_sections().order_by("displayName").await;
    let nb = &page.unwrap().value[0];
    assert_eq!(nb.sections.as_ref().unwrap()[0].display_name.as_deref(), Some("Inbox"));
    let group = &nb.section_groups.as_ref().unwrap()[0];
    assert_eq!(group.sections.as_ref().unwrap()[0].id.as_deref(), Some("s2"));
}

#[tokio::test]
async fn a_notebook_is_read_by_id_and_tolerates_the_docs_quirk() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/notebooks/1-abc%2Fdef"))
        .and(query_param("$select", "id,displayName"))
        .and(header("x-trace", "7"))
        .respond_with(ResponseTemplate::new(200).set_body_string(NOTEBOOK))
        .expect(1)
        .mount(&g.server)
        .await;
    let nb =
        g.client().me().onenote().notebooks().get("1-abc/def").select(["id", "displayName"]).header("x-trace", "7");
    let nb = nb.await.unwrap();
    assert_eq!(nb.is_default, Some(true));
    assert_eq!(nb.user_role, None);
}

#[tokio::test]
async fn a_notebook_is_created_by_name() {
    let g = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/notebooks"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"displayName": "Meeting notes"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "nb9", "displayName": "Meeting notes"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let nb = g.client().me().onenote().notebooks().create("Meeting notes").await.unwrap();
    assert_eq!(nb.id.as_deref(), Some("nb9"));
}

#[tokio::test]
async fn names_onenote_refuses_are_refused_before_sending() {
    let g = graph().await;
    let on = g.client().me().onenote();
    refused(&g, on.notebooks().create("").await, "must not be empty").await;
    refused(&g, on.notebooks().create("a/b").await, "'/'").await;
    refused(&g, on.notebooks().create(" lead").await, "start with a space").await;
    refused(&g, on.notebooks().create("x".repeat(129)).await, "129 characters").await;
    refused(&g, on.notebooks().create_section("nb1", "Q&A").await, "'&'").await;
    refused(&g, on.notebooks().create_section("nb1", "y".repeat(51)).await, "51 characters").await;
    refused(&g, on.notebooks().create_section("", "Inbox").await, "a notebook id must not be empty").await;
    refused(&g, on.section_groups().create_section(" ", "Inbox").await, "a section group id").await;
}

#[tokio::test]
async fn sections_and_section_groups_of_a_notebook_and_a_group() {
    let g = graph().await;
    for (p, body) in [
        ("/v1.0/me/onenote/notebooks/nb1/sections", json!({"value": [{"id": "s1", "displayName": "Inbox"}]})),
        ("/v1.0/me/onenote/notebooks/nb1/sectionGroups", json!({"value": [{"id": "g1", "displayName": "2026"}]})),
        ("/v1.0/me/onenote/sectionGroups/g1/sections", json!({"value": [{"id": "s2", "displayName": "March"}]})),
        ("/v1.0/me/onenote/sectionGroups/g1/sectionGroups", json!({"value": [{"id": "g2", "displayName": "Week 9"}]})),
        ("/v1.0/me/onenote/sectionGroups", json!({"value": [{"id": "g1"}, {"id": "g2"}]})),
        ("/v1.0/me/onenote/sections", json!({"value": [{"id": "s1"}, {"id": "s2"}]})),
    ] {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&g.server)
            .await;
    }
    let on = g.client().me().onenote();
    assert_eq!(on.notebooks().sections("nb1").await.unwrap().value[0].id.as_deref(), Some("s1"));
    assert_eq!(on.notebooks().section_groups("nb1").await.unwrap().value[0].id.as_deref(), Some("g1"));
    assert_eq!(on.section_groups().sections("g1").await.unwrap().value[0].id.as_deref(), Some("s2"));
    assert_eq!(on.section_groups().section_groups("g1").await.unwrap().value[0].id.as_deref(), Some("g2"));
    assert_eq!(on.section_groups().list().await.unwrap().value.len(), 2);
    assert_eq!(on.sections().list().await.unwrap().value.len(), 2);
}

#[tokio::test]
async fn one_section_and_one_group_by_id() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/sections/s1"))
        .and(query_param("$expand", "parentNotebook"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "s1", "displayName": "Inbox", "pagesUrl": "https://graph.microsoft.com/v1.0/me/onenote/sections/s1/pages",
            "parentNotebook": {"id": "nb1", "displayName": "Work"}
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/sectionGroups/g1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "g1", "parentSectionGroup": {"id": "g0"}})))
        .expect(1)
        .mount(&g.server)
        .await;
    let on = g.client().me().onenote();
    let s = on.sections().get("s1").expand(["parentNotebook"]).await.unwrap();
    assert_eq!(s.parent_notebook.unwrap().display_name.as_deref(), Some("Work"));
    let grp = on.section_groups().get("g1").await.unwrap();
    assert_eq!(grp.parent_section_group.unwrap().id.as_deref(), Some("g0"));
}

#[tokio::test]
async fn sections_and_section_groups_are_created() {
    let g = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/notebooks/nb1/sections"))
        .and(body_json(json!({"displayName": "Inbox"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "s1", "displayName": "Inbox"})))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/notebooks/nb1/sectionGroups"))
        .and(body_json(json!({"displayName": "2026"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "g1", "displayName": "2026"})))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/sectionGroups/g1/sections"))
        .and(body_json(json!({"displayName": "March"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "s2", "displayName": "March"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let on = g.client().me().onenote();
    assert_eq!(on.notebooks().create_section("nb1", "Inbox").await.unwrap().id.as_deref(), Some("s1"));
    assert_eq!(on.notebooks().create_section_group("nb1", "2026").await.unwrap().id.as_deref(), Some("g1"));
    assert_eq!(on.section_groups().create_section("g1", "March").await.unwrap().id.as_deref(), Some("s2"));
}

#[tokio::test]
async fn a_notebook_is_found_from_its_web_url() {
    let g = graph().await;
    let url = "https://contoso.sharepoint.com/sites/team/SiteAssets/Team%20Notebook";
    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/notebooks/GetNotebookFromWebUrl"))
        .and(body_json(json!({"webUrl": url})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "nb7", "isDefault": false, "userRole": "Contributor", "self": "https://graph.microsoft.com/v1.0/me/onenote/notebooks/nb7"
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let on = g.client().me().onenote();
    let nb = on.notebooks().from_web_url(url).await.unwrap();
    assert_eq!(nb.user_role, Some(OnenoteUserRole::Contributor));
    assert!(nb.self_url.unwrap().ends_with("/nb7"));
    let g = graph().await;
    let r = g.client().me().onenote().notebooks().from_web_url(" ").await;
    refused(&g, r, "a notebook URL must not be empty").await;
}
