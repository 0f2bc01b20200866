//! Attachments: list, get (every kind), download, add, delete.

use msgraph_mail::{Attachment, MailExt, NewAttachment, OutlookItem};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_invalid_input, graph};

const FILE: &str = include_str!("../../../testdata/graph-samples/mail/attachment-get-1.json");
const ITEM: &str = include_str!("../../../testdata/graph-samples/mail/attachment-get-2.json");
const ITEM_EXPANDED: &str = include_str!("../../../testdata/graph-samples/mail/attachment-get-3.json");
const REFERENCE: &str = include_str!("../../../testdata/graph-samples/mail/attachment-get-4.json");

#[tokio::test]
async fn list_attachments_of_every_kind() {
    let (graph, client) = graph().await;
    let body = format!(r#"{{"value":[{FILE},{ITEM},{REFERENCE}]}}"#);
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages/AAMkAGUzY5QKjAAA=/attachments"))
        .and(query_param("$select", "id,name,size"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .expect(1)
        .mount(&graph.server)
        .await;
    let page = client
        .me()
        .messages()
        .attachments("AAMkAGUzY5QKjAAA=")
        .list()
        .select(["id", "name", "size"])
        .send()
        .await
        .unwrap();
    let kinds: Vec<&str> = page.value.iter().filter_map(Attachment::odata_type).collect();
    assert_eq!(
        kinds,
        ["#microsoft.graph.fileAttachment", "#microsoft.graph.itemAttachment", "#microsoft.graph.referenceAttachment"]
    );
    assert_eq!(page.value[0].name(), Some("Draft sales invoice template.docx"));
    assert_eq!(page.value[1].size(), Some(32005));
    assert_eq!(page.value[2].is_inline(), Some(true));
}

#[tokio::test]
async fn get_file_attachment_and_decode_content() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages/m1/attachments/AAMkAGUzY5QKjAAABEgAQAMkpJI_X-LBFgvrv1PlZYd8="))
        .respond_with(ResponseTemplate::new(200).set_body_string(FILE))
        .expect(1)
        .mount(&graph.server)
        .await;
    let a =
        client.me().messages().attachments("m1").get("AAMkAGUzY5QKjAAABEgAQAMkpJI_X-LBFgvrv1PlZYd8=").await.unwrap();
    let f = a.as_file().expect("file attachment");
    assert_eq!(
        f.content_type.as_deref(),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    assert_eq!(f.last_modified_date_time.unwrap().to_rfc3339(), "2019-04-02T03:41:29+00:00");
    let bytes = f.decode_content().unwrap().unwrap();
    assert_eq!(&bytes[..4], b"PK\x03\x04"); // a .docx is a zip
}

#[tokio::test]
async fn get_item_attachment_with_the_item_expanded() {
    let (graph, client) = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/messages/m1/attachments/a1"))
        .and(query_param("$expand", "microsoft.graph.itemattachment/item"))
        .respond_with(ResponseTemplate::new(200).set_body_string(ITEM_EXPANDED))
        .expect(1)
        .mount(&graph.server)
        .await;
    let a = client
        .me()
        .messages()
        .attachments("m1")
        .get("a1")
        .expand(["microsoft.graph.itemattachment/item"])
        .await
        .unwrap();
    let Attachment::Item(item) = a else { panic!("expected an item attachment") };
    let Some(OutlookItem::Message(m)) = item.item else { panic!("expected the attached message") };
    assert_eq!(m.from_address(), Some("AdeleV@contoso.onmicrosoft.com"));
    assert_eq!(m.cc_recipients.unwrap().len(), 1);
}

#[tokio::test]
async fn download_raw_bytes() {
    let (graph, client) = graph().await;
    let content: Vec<u8> = (0..=255).collect();
    Mock::given(method("GET"))
        .and(path("/v1.0/users/u1/messages/m%2F1/attachments/a1/$value"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(content.clone())
                .insert_header("content-type", "application/octet-stream"),
        )
        .expect(1)
        .mount(&graph.server)
        .await;
    let bytes = client.user("u1").messages().attachments("m/1").download("a1").await.unwrap();
    assert_eq!(bytes.as_ref(), content.as_slice());
}

#[tokio::test]
async fn add_file_attachment_to_a_draft() {
    let (graph, client) = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages/d1/attachments"))
        .and(body_json(json!({
            "@odata.type": "#microsoft.graph.fileAttachment",
            "name": "smile.png",
            "contentType": "image/png",
            "contentBytes": "iVBORw==",
            "isInline": true,
            "contentId": "smile"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_string(FILE))
        .expect(1)
        .mount(&graph.server)
        .await;
    let a = client
        .me()
        .messages()
        .attachments("d1")
        .add(NewAttachment::file("smile.png", [0x89, b'P', b'N', b'G']).content_type("image/png").inline("smile"))
        .await
        .unwrap();
    assert!(a.as_file().is_some());
}

#[tokio::test]
async fn delete_attachment() {
    let (graph, client) = graph().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/messages/d1/attachments/a1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&graph.server)
        .await;
    client.me().messages().attachments("d1").delete("a1").await.unwrap();
}

#[tokio::test]
async fn bad_attachment_input_sends_nothing() {
    let (graph, client) = graph().await;
    let atts = client.me().messages().attachments("d1");
    assert_invalid_input(&graph, atts.add(NewAttachment::file("big", vec![1u8; 4 << 20])).await, "upload session")
        .await;
    assert_invalid_input(&graph, atts.add(NewAttachment::file(" ", "x")).await, "no name").await;
    assert_invalid_input(&graph, atts.download("").await, "empty id").await;
    assert_invalid_input(&graph, client.me().messages().attachments("").list().send().await, "empty id").await;
}

#[tokio::test]
async fn a_five_mib_attachment_goes_through_an_upload_session_in_slices_of_at_most_4_mib() {
    let (graph, client) = graph().await;
    let total: usize = 5 * 1024 * 1024;
    let data: Vec<u8> = (0..total).map(|i| (i % 249) as u8).collect();
    let upload_url = format!(
        "{}/api/v2.0/Users('a8e8e219')/Messages('AAMkADI5MAAIT3drCAAA=')/AttachmentSessions('AAMkADI5MAAIT3k0tAAA=')?authtoken=eyJhbGciOi",
        graph.server.uri()
    );
    // the session, as the docs show it
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages/AAMkADI5MAAIT3drCAAA=/attachments/createUploadSession"))
        .and(body_json(json!({"AttachmentItem": {"attachmentType": "file", "name": "flower.bin", "size": total, "contentType": "application/octet-stream"}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession",
            "uploadUrl": upload_url,
            "expirationDateTime": "2030-09-25T01:09:30.7671707Z",
            "nextExpectedRanges": ["0-"]
        })))
        .expect(1)
        .mount(&graph.server)
        .await;
    let session_path =
        "/api/v2.0/Users('a8e8e219')/Messages('AAMkADI5MAAIT3drCAAA=')/AttachmentSessions('AAMkADI5MAAIT3k0tAAA=')";
    Mock::given(method("PUT"))
        .and(path(session_path))
        .and(wiremock::matchers::header("content-range", "bytes 0-4194303/5242880"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"ExpirationDateTime": "2030-09-25T01:09:30.7671707Z", "nextExpectedRanges": ["4194304"]}),
        ))
        .expect(1)
        .mount(&graph.server)
        .await;
    let location = format!(
        "{}/api/v2.0/Users('a8e8e219')/Messages('AAMkADI5MAAIT3drCAAA=')/Attachments('AAMkADI5MAAIT3drCAAABEgAQANAqbAe7qaROhYdTnUQwXm0=')",
        graph.server.uri()
    );
    Mock::given(method("PUT"))
        .and(path(session_path))
        .and(wiremock::matchers::header("content-range", "bytes 4194304-5242879/5242880"))
        .respond_with(ResponseTemplate::new(201).insert_header("Location", location.as_str()))
        .expect(1)
        .mount(&graph.server)
        .await;

    let added = client
        .me()
        .messages()
        .add_large_attachment("AAMkADI5MAAIT3drCAAA=", bytes::Bytes::from(data.clone()))
        .name("flower.bin")
        .content_type("application/octet-stream")
        .await
        .unwrap();
    assert_eq!(added.id.as_deref(), Some("AAMkADI5MAAIT3drCAAABEgAQANAqbAe7qaROhYdTnUQwXm0="));
    let puts: Vec<_> = graph.requests().await.into_iter().filter(|r| r.method.as_str() == "PUT").collect();
    assert_eq!(puts.len(), 2);
    assert!(puts.iter().all(|r| r.body.len() <= 4 * 1024 * 1024));
    assert!(puts.iter().all(|r| r.headers.get("authorization").is_none()), "no token on the upload URL");
    assert_eq!([puts[0].body.clone(), puts[1].body.clone()].concat(), data);
}

#[tokio::test]
async fn a_large_attachment_without_a_name_or_too_big_sends_nothing() {
    let (graph, client) = graph().await;
    let m = client.me().messages();
    assert_invalid_input(&graph, m.add_large_attachment("m1", vec![1u8; 10]).await, "needs a name").await;
    assert_invalid_input(&graph, m.add_large_attachment("m1", Vec::<u8>::new()).name("x").await, "empty").await;
    assert_invalid_input(&graph, m.add_large_attachment("", vec![1u8; 10]).name("x").await, "empty id").await;
}
