//! List, search and get messages.

use futures::TryStreamExt as _;
use msgraph_core::models::BodyType;
use msgraph_mail::MessageListExt as _;
use msgraph_mail::{Attachment, MailExt, MessageQuery, TRIAGE_SELECT, WellKnownFolder};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_invalid_input, graph};

const USER_LIST_MESSAGES: &str = include_str!("../../../testdata/graph-samples/mail/user-list-messages.json");
const POSTED_MESSAGE: &str = include_str!("../../../testdata/graph-samples/mail/user-post-messages-1.json");

#[tokio::test]
async fn list_inbox_unread_with_limit_like_read_emails() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/inbox/messages"))
        .and(query_param("$filter", "isRead eq false"))
        .and(query_param("$top", "10"))
        .and(query_param("$select", "sender,subject"))
        .respond_with(ResponseTemplate::new(200).set_body_string(USER_LIST_MESSAGES))
        .expect(1)
        .mount(&graph.server)
        .await;

    let page = client
        .me()
        .messages()
        .list()
        .folder(WellKnownFolder::Inbox)
        .filter("isRead eq false")
        .top(10)
        .select(["sender", "subject"])
        .send()
        .await
        .unwrap();

    assert_eq!(page.value.len(), 1);
    let m = &page.value[0];
    assert_eq!(m.id.as_deref(), Some("AAMkAGUAAAwTW09AAA="));
    assert_eq!(m.subject.as_deref(), Some("You have late tasks!"));
    assert_eq!(m.sender.as_ref().and_then(|s| s.address()), Some("noreply@Planner.Office365.com"));
    assert!(page.is_last());
}

#[tokio::test]
async fn list_whole_mailbox_of_another_user_streams_every_page() {
    let (graph, client) = graph().await;
    let next = format!("{}/users/adele%40contoso.com/messages?$skiptoken=page2", graph.base_url());
    let first = serde_json::json!({
        "@odata.nextLink": next,
        "value": [{"id": "m1", "subject": "one"}, {"id": "m2", "subject": "two"}]
    });
    Mock::given(method("GET"))
        .and(path("/v1.0/users/adele@contoso.com/messages"))
        .and(query_param_is_missing("$skiptoken"))
        .and(header("prefer", "odata.maxpagesize=2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/adele%40contoso.com/messages"))
        .and(query_param("$skiptoken", "page2"))
        .and(header("prefer", "odata.maxpagesize=2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": [{"id": "m3"}]})))
        .expect(1)
        .mount(&graph.server)
        .await;

    let ids: Vec<String> = client
        .user("adele@contoso.com")
        .messages()
        .list()
        .max_page_size(2)
        .stream()
        .map_ok(|m| m.id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["m1", "m2", "m3"]);
}

#[tokio::test]
async fn list_with_triage_fields_selects_the_triage_set() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/AAMkAGVmMDEz/messages"))
        .and(query_param("$select", TRIAGE_SELECT.join(",")))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"value":[]}"#))
        .expect(1)
        .mount(&graph.server)
        .await;
    let page = client.me().messages().list().folder("AAMkAGVmMDEz").triage_fields().send().await.unwrap();
    assert!(page.value.is_empty());
    assert_eq!(
        TRIAGE_SELECT.join(","),
        "id,conversationId,conversationIndex,subject,from,receivedDateTime,bodyPreview,parentFolderId,categories,webLink,flag,isRead,importance"
    );
}

#[tokio::test]
async fn search_quotes_kql() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages"))
        .and(query_param("$search", "\"from:example@outlook.com subject:invoice\""))
        .respond_with(ResponseTemplate::new(200).set_body_string(USER_LIST_MESSAGES))
        .expect(1)
        .mount(&graph.server)
        .await;
    let page = client.me().messages().search("from:example@outlook.com subject:invoice").send().await.unwrap();
    assert_eq!(page.value[0].subject.as_deref(), Some("You have late tasks!"));

    // The raw query string: the quotes are percent-encoded, spaces as %20.
    let reqs = graph.requests().await;
    assert_eq!(reqs[0].url.query(), Some("$search=%22from:example@outlook.com%20subject:invoice%22"));
}

#[tokio::test]
async fn search_in_a_folder_with_inner_quotes() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/mailFolders/archive/messages"))
        .and(query_param("$search", r#""subject:\"Q3 plan\"""#))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"value":[]}"#))
        .expect(1)
        .mount(&graph.server)
        .await;
    client.me().messages().search(r#"subject:"Q3 plan""#).folder("archive").send().await.unwrap();
}

#[tokio::test]
async fn get_with_text_body_and_attachments() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages/AAMkADNlNYjSAAA="))
        .and(query_param("$expand", "attachments"))
        .and(header("prefer", "outlook.body-content-type=\"text\""))
        .respond_with(ResponseTemplate::new(200).set_body_string(POSTED_MESSAGE))
        .expect(1)
        .mount(&graph.server)
        .await;
    let m = client.me().messages().get("AAMkADNlNYjSAAA=").text_body().with_attachments().await.unwrap();
    assert_eq!(m.subject.as_deref(), Some("Did you see last night's game?"));
    assert_eq!(m.body.as_ref().unwrap().content_type, BodyType::Html);
    assert_eq!(m.conversation_id.as_deref(), Some("AAQkADNlNFdXGBnqtY="));
    assert_eq!(m.parent_folder_id.as_deref(), Some("AAMkADNlNWAAAAAAEPAAA="));
}

#[tokio::test]
async fn get_parses_expanded_attachments_of_every_kind() {
    let (graph, client) = graph().await;
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../../../testdata/graph-samples/mail/attachment-get-1.json")).unwrap();
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("../../../testdata/graph-samples/mail/attachment-get-4.json")).unwrap();
    let body = serde_json::json!({"id": "m1", "hasAttachments": true, "attachments": [file, reference]});
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages/m1"))
        .and(query_param("$expand", "attachments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&graph.server)
        .await;
    let m = client.me().messages().get("m1").with_attachments().send().await.unwrap();
    let atts = m.attachments.unwrap();
    assert!(matches!(&atts[0], Attachment::File(f) if f.size == Some(13068)));
    assert!(matches!(&atts[1], Attachment::Reference(r) if r.is_inline == Some(true)));
}

#[tokio::test]
async fn hostile_message_id_stays_one_segment() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages/AAMk%2Fa%3Fb%23c=="))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"AAMk/a?b#c=="}"#))
        .expect(1)
        .mount(&graph.server)
        .await;
    let m = client.me().messages().get("AAMk/a?b#c==").await.unwrap();
    assert_eq!(m.id.as_deref(), Some("AAMk/a?b#c=="));
}

#[tokio::test]
async fn empty_ids_are_rejected_before_sending() {
    let (graph, client) = graph().await;
    assert_invalid_input(&graph, client.me().messages().get("").await, "empty id").await;
    assert_invalid_input(&graph, client.me().messages().list().folder("").send().await, "empty id").await;
    assert_invalid_input(&graph, client.user("").messages().list().send().await, "empty id").await;
}

#[tokio::test]
async fn body_content_type_on_list_is_sent_on_every_page() {
    let (graph, client) = graph().await;
    let next = format!("{}/me/messages?$skiptoken=2", graph.base_url());
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages"))
        .and(query_param_is_missing("$skiptoken"))
        .and(header("prefer", "outlook.body-content-type=\"text\""))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"@odata.nextLink": next, "value": [{"id": "a"}]})),
        )
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages"))
        .and(query_param("$skiptoken", "2"))
        .and(header("prefer", "outlook.body-content-type=\"text\""))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": [{"id": "b"}]})))
        .expect(1)
        .mount(&graph.server)
        .await;
    let all: Vec<_> = client.me().messages().list().text_body().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
}
