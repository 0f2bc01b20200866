//! Drafts, sending, replies and forwards.

use msgraph_core::models::{Importance, Recipient};
use msgraph_mail::{MailExt, NewAttachment, NewMessage, WellKnownFolder};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::common::{assert_invalid_input, graph, json, only_request_body};

const DRAFT_REQUEST: &str = include_str!("../../../testdata/graph-samples/mail/user-post-messages-1.request.json");
const DRAFT_RESPONSE: &str = include_str!("../../../testdata/graph-samples/mail/user-post-messages-1.json");
const HEADERS_REQUEST: &str = include_str!("../../../testdata/graph-samples/mail/user-post-messages-2.request.json");
const HEADERS_RESPONSE: &str = include_str!("../../../testdata/graph-samples/mail/user-post-messages-2.json");
const REPLY_REQUEST: &str = include_str!("../../../testdata/graph-samples/mail/message-reply.request.json");

#[tokio::test]
async fn create_draft_sends_the_documented_body() {
    let (graph, client) = graph().await;
    // The doc request writes "Low"/"HTML"; the SDK writes Graph's canonical lowercase.
    let mut expected = json(DRAFT_REQUEST);
    expected["importance"] = json!("low");
    expected["body"]["contentType"] = json!("html");
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages"))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(201).set_body_string(DRAFT_RESPONSE))
        .expect(1)
        .mount(&graph.server)
        .await;

    let draft = client
        .me()
        .messages()
        .create_draft(
            NewMessage::new()
                .subject("Did you see last night's game?")
                .importance(Importance::Low)
                .html_body("They were <b>awesome</b>!")
                .to(["AdeleV@contoso.onmicrosoft.com"]),
        )
        .await
        .unwrap();
    assert_eq!(draft.id.as_deref(), Some("AAMkADNlNYjSAAA="));
    assert_eq!(draft.is_draft, Some(true));
    assert_eq!(draft.conversation_index.as_deref(), Some("AQHTe7/VAniOJVgCxEmtF1z6ZY1rFQ=="));
}

#[tokio::test]
async fn create_draft_with_custom_headers_in_a_folder() {
    let (graph, client) = graph().await;
    let mut expected = json(HEADERS_REQUEST);
    expected["body"]["contentType"] = json!("html"); // the doc writes "HTML"
    Mock::given(method("POST"))
        .and(path("/v1.0/me/mailFolders/drafts/messages"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(201).set_body_string(HEADERS_RESPONSE))
        .expect(1)
        .mount(&graph.server)
        .await;
    let draft = client
        .me()
        .messages()
        .create_draft(
            NewMessage::new()
                .subject("9/8/2018: concert")
                .html_body("The group represents Washington.")
                .to(["AlexW@contoso.OnMicrosoft.com"])
                .header("x-custom-header-group-name", "Washington")
                .header("x-custom-header-group-id", "WA001"),
        )
        .in_folder(WellKnownFolder::Drafts)
        .await
        .unwrap();
    assert_eq!(draft.subject.as_deref(), Some("9/8/2018: concert"));
    assert!(!draft.is_flagged());
}

#[tokio::test]
async fn create_draft_with_cc_bcc_text_body_and_attachment() {
    let (graph, client) = graph().await;
    let expected = json!({
        "subject": "Invoice",
        "body": {"contentType": "text", "content": "Attached."},
        "importance": "high",
        "toRecipients": [{"emailAddress": {"name": "Ada", "address": "ada@contoso.com"}}],
        "ccRecipients": [{"emailAddress": {"address": "cc@contoso.com"}}],
        "bccRecipients": [{"emailAddress": {"address": "bcc@contoso.com"}}],
        "attachments": [{
            "@odata.type": "#microsoft.graph.fileAttachment",
            "name": "invoice.txt",
            "contentType": "text/plain",
            "contentBytes": "dG90YWw6IDQy"
        }]
    });
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(201).set_body_string(DRAFT_RESPONSE))
        .expect(1)
        .mount(&graph.server)
        .await;
    client
        .me()
        .messages()
        .create_draft(
            NewMessage::new()
                .subject("Invoice")
                .text_body("Attached.")
                .importance(Importance::High)
                .to([Recipient::with_name("Ada", "ada@contoso.com")])
                .cc(["cc@contoso.com"])
                .bcc(["bcc@contoso.com"])
                .attach(NewAttachment::file("invoice.txt", "total: 42").content_type("text/plain")),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn draft_input_is_checked_before_sending() {
    let (graph, client) = graph().await;
    let m = client.me().messages();
    assert_invalid_input(&graph, m.create_draft(NewMessage::new().to(["not-an-address"])).await, "not-an-address")
        .await;
    assert_invalid_input(&graph, m.create_draft(NewMessage::new().cc(["a@b.com", "nobody"])).await, "nobody").await;
    let big = NewAttachment::file("big.bin", vec![0u8; 3 * 1024 * 1024]);
    assert_invalid_input(&graph, m.create_draft(NewMessage::new().attach(big)).await, "upload session").await;
    assert_invalid_input(&graph, m.create_draft(NewMessage::new().header("Custom", "v")).await, "x-").await;
    assert_invalid_input(&graph, m.create_draft(NewMessage::new().categories(["x".repeat(256)])).await, "255").await;
    // Just under the limit is fine to build (and would be sent).
    assert_eq!(NewAttachment::file("ok.bin", vec![0u8; 3 * 1024 * 1024 - 1]).size(), 3 * 1024 * 1024 - 1);
}

#[tokio::test]
async fn send_draft_posts_with_an_empty_body() {
    let (graph, client) = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages/AAMkADNlNYjSAAA=/send"))
        .and(header("content-length", "0"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&graph.server)
        .await;
    client.me().messages().send_draft("AAMkADNlNYjSAAA=").await.unwrap();
    assert!(graph.requests().await[0].body.is_empty());
}

#[tokio::test]
async fn send_mail_in_one_call() {
    let (graph, client) = graph().await;
    let expected = json!({
        "message": {
            "subject": "Meeting Tomorrow",
            "body": {"contentType": "text", "content": "Hi John"},
            "toRecipients": [{"emailAddress": {"address": "john@example.com"}}]
        },
        "saveToSentItems": false
    });
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&graph.server)
        .await;
    client
        .me()
        .messages()
        .send_mail(NewMessage::new().to(["john@example.com"]).subject("Meeting Tomorrow").text_body("Hi John"))
        .save_to_sent_items(false)
        .await
        .unwrap();
}

#[tokio::test]
async fn send_mail_shorthand_leaves_save_to_graph_default() {
    let (graph, client) = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users/u1/sendMail"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&graph.server)
        .await;
    client.user("u1").send_mail(NewMessage::new().bcc(["x@y.org"]).subject("s")).await.unwrap();
    let body = only_request_body(&graph).await;
    assert_eq!(body, json!({"message": {"subject": "s", "bccRecipients": [{"emailAddress": {"address": "x@y.org"}}]}}));
}

#[tokio::test]
async fn send_mail_without_recipients_or_with_bad_address_sends_nothing() {
    let (graph, client) = graph().await;
    assert_invalid_input(&graph, client.me().send_mail(NewMessage::new().subject("hi")).await, "no recipients").await;
    assert_invalid_input(
        &graph,
        client.me().send_mail(NewMessage::new().to(Vec::<String>::new())).await,
        "no recipients",
    )
    .await;
    assert_invalid_input(
        &graph,
        client.me().send_mail(NewMessage::new().to(["john.example.com"])).await,
        "john.example.com",
    )
    .await;
    assert_invalid_input(
        &graph,
        client.me().send_mail(NewMessage::new().to(["a@b.c"]).reply_to(["nope"])).await,
        "replyTo",
    )
    .await;
}

#[tokio::test]
async fn reply_sends_the_documented_body() {
    let (graph, client) = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages/AAMkADA1MTAAAAqldOAAA=/reply"))
        .and(body_json(json(REPLY_REQUEST)))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&graph.server)
        .await;
    client
        .me()
        .messages()
        .reply("AAMkADA1MTAAAAqldOAAA=")
        .message(NewMessage::new().to([
            Recipient::with_name("Samantha Booth", "samanthab@contoso.onmicrosoft.com"),
            Recipient::with_name("Randi Welch", "randiw@contoso.onmicrosoft.com"),
        ]))
        .comment("Samantha, Randi, would you name the group please?")
        .await
        .unwrap();
}

#[tokio::test]
async fn reply_all_with_comment() {
    let (graph, client) = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages/m1/replyAll"))
        .and(body_json(json!({"comment": "Adding the team."})))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&graph.server)
        .await;
    client.me().messages().reply_all("m1").comment("Adding the team.").await.unwrap();
}

#[tokio::test]
async fn forward_with_comment() {
    let (graph, client) = graph().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages/m1/forward"))
        .and(body_json(json!({
            "comment": "FYI",
            "toRecipients": [
                {"emailAddress": {"address": "dana@contoso.com"}},
                {"emailAddress": {"name": "Eli", "address": "eli@contoso.com"}}
            ]
        })))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&graph.server)
        .await;
    client
        .me()
        .messages()
        .forward("m1", ["dana@contoso.com"])
        .to([Recipient::with_name("Eli", "eli@contoso.com")])
        .comment("FYI")
        .await
        .unwrap();
}

#[tokio::test]
async fn forward_without_recipients_or_bad_address_sends_nothing() {
    let (graph, client) = graph().await;
    let m = client.me().messages();
    assert_invalid_input(&graph, m.forward("m1", Vec::<String>::new()).comment("x").await, "recipient").await;
    assert_invalid_input(&graph, m.forward("m1", ["dana"]).await, "dana").await;
    assert_invalid_input(&graph, m.forward("", ["dana@contoso.com"]).await, "empty id").await;
    assert_invalid_input(&graph, m.reply("m1").message(NewMessage::new().to(["x"])).await, "toRecipients").await;
}

#[tokio::test]
async fn create_reply_reply_all_and_forward_drafts() {
    let (graph, client) = graph().await;
    for (action, body) in [
        ("createReply", json!({"comment": "Draft answer"})),
        ("createReplyAll", json!({})),
        (
            "createForward",
            json!({"toRecipients": [{"emailAddress": {"address": "dana@contoso.com"}}], "comment": "see below"}),
        ),
    ] {
        Mock::given(method("POST"))
            .and(path(format!("/v1.0/me/messages/AAMkADNlNYjSAAA=/{action}")))
            .and(body_json(body))
            .respond_with(ResponseTemplate::new(201).set_body_string(DRAFT_RESPONSE))
            .expect(1)
            .mount(&graph.server)
            .await;
    }
    let m = client.me().messages();
    let r = m.create_reply("AAMkADNlNYjSAAA=").comment("Draft answer").await.unwrap();
    assert_eq!(r.is_draft, Some(true));
    let ra = m.create_reply_all("AAMkADNlNYjSAAA=").await.unwrap();
    assert_eq!(ra.id.as_deref(), Some("AAMkADNlNYjSAAA="));
    let f = m.create_forward("AAMkADNlNYjSAAA=").to(["dana@contoso.com"]).comment("see below").await.unwrap();
    assert_eq!(f.subject.as_deref(), Some("Did you see last night's game?"));
}
