//! PATCH commands: JSON on the wire, multipart with a Commands part, and
//! the commands OneNote would refuse, refused before sending.

use msgraph_onenote::{OnenoteExt, Part, PatchAction, PatchCommand, PatchTarget, Position};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::{graph, multipart, refused};

const P40: &str = "p:{33f8a242-7c33-4bb2-90c5-8425a68cc5bf}{40}";

#[tokio::test]
async fn append_sends_one_append_to_body() {
    let g = graph().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/onenote/pages/p1/content"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!([{"target": "body", "action": "append", "content": "<p>New paragraph</p>"}])))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    g.client().me().onenote().pages().append("p1", "<p>New paragraph</p>").await.unwrap();
}

#[tokio::test]
async fn a_command_list_goes_as_the_docs_json_array() {
    let g = graph().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/onenote/pages/p1/content"))
        .and(body_json(json!([
            {"target": "#para-id", "action": "insert", "position": "before", "content": "<img src=\"https://example.com/a.png\" alt=\"New image from a URL\" />"},
            {"target": "#list-id", "action": "append", "content": "<li>Item at the bottom of the list</li>"},
            {"target": "body", "action": "prepend", "content": "<p data-id=\"first-child\">First</p>"},
            {"target": "#div1", "action": "append", "position": "before", "content": "<p>first child</p>"},
            {"target": P40, "action": "replace", "content": "<p>This replaces the paragraph</p>"},
            {"target": "table:{de3e0977-94e4-4bb0-8fee-0379eaf47486}{11}", "action": "replace", "content": "<table data-id=\"t\"><tr><td><p>x</p></td></tr></table>"},
            {"target": "#task1", "action": "replace", "content": "<p data-tag=\"to-do:completed\" data-id=\"task1\">First task</p>"},
            {"target": "title", "action": "replace", "content": "Q&amp;A &lt;draft&gt;"}
        ])))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let cmds = vec![
        PatchCommand::insert(
            "#para-id",
            Position::Before,
            "<img src=\"https://example.com/a.png\" alt=\"New image from a URL\" />",
        ),
        PatchCommand::append("#list-id", "<li>Item at the bottom of the list</li>"),
        PatchCommand::prepend(PatchTarget::Body, "<p data-id=\"first-child\">First</p>"),
        PatchCommand::append("#div1", "<p>first child</p>").position(Position::Before),
        PatchCommand::replace(P40, "<p>This replaces the paragraph</p>"),
        PatchCommand::replace(
            "table:{de3e0977-94e4-4bb0-8fee-0379eaf47486}{11}",
            "<table data-id=\"t\"><tr><td><p>x</p></td></tr></table>",
        ),
        PatchCommand::replace("#task1", "<p data-tag=\"to-do:completed\" data-id=\"task1\">First task</p>"),
        PatchCommand::set_title("Q&A <draft>"),
    ];
    g.client().me().onenote().pages().update("p1", cmds).await.unwrap();
}

#[tokio::test]
async fn binary_content_goes_multipart_with_a_commands_part() {
    let g = graph().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/onenote/pages/p1/content"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let png = vec![0x89, b'P', b'N', b'G', 13, 10];
    g.client()
        .me()
        .onenote()
        .pages()
        .update(
            "p1",
            [PatchCommand::replace(
                "img:{2998967e-69b3-413f-a221-c1a3b5cbe0fc}{42}",
                "<img src=\"name:image-part-name\" alt=\"New binary image\" />",
            )],
        )
        .command(PatchCommand::append("#list-id", "<li>Item at the bottom of the list</li>"))
        .part(Part::bytes("image-part-name", "image/png", png.clone()))
        .await
        .unwrap();
    let (_, parts) = multipart(&g.requests().await[0]);
    assert_eq!(parts.len(), 2);
    assert_eq!((parts[0].name(), parts[0].content_type()), ("Commands".into(), "application/json".into()));
    let cmds: serde_json::Value = serde_json::from_slice(&parts[0].body).unwrap();
    assert_eq!(cmds[0]["target"], "img:{2998967e-69b3-413f-a221-c1a3b5cbe0fc}{42}");
    assert_eq!(cmds[1]["action"], "append");
    assert_eq!(parts[1].body, png);
}

#[tokio::test]
async fn commands_a_target_does_not_allow_are_refused_before_sending() {
    let g = graph().await;
    let pages = g.client().me().onenote().pages();
    refused(&g, pages.update("p1", [PatchCommand::append(P40, "<p>x</p>")]).await, "a <p> does not allow append").await;
    refused(
        &g,
        pages.update("p1", [PatchCommand::append("li:{1}{2}", "<p>x</p>")]).await,
        "a <li> does not allow append",
    )
    .await;
    refused(&g, pages.update("p1", [PatchCommand::replace("body", "<p>x</p>")]).await, "body does not allow replace")
        .await;
    refused(
        &g,
        pages.update("p1", [PatchCommand::insert("title", Position::After, "<p>x</p>")]).await,
        "the title does not allow insert",
    )
    .await;
    refused(
        &g,
        pages.update("p1", [PatchCommand::replace("td:{1}{2}", "<td>x</td>")]).await,
        "a <td> does not allow replace",
    )
    .await;
    refused(
        &g,
        pages.update("p1", [PatchCommand::replace(P40, "<p>x</p>").position(Position::After)]).await,
        "applies only to append and insert",
    )
    .await;
    refused(
        &g,
        pages.update("p1", [PatchCommand::new("#x", PatchAction::from("delete"), "<p>x</p>")]).await,
        "not a OneNote PATCH action",
    )
    .await;
    refused(&g, pages.update("p1", [PatchCommand::append("body", "<p>unclosed")]).await, "not well-formed").await;
    refused(&g, pages.update("p1", [PatchCommand::append("#", "<p>x</p>")]).await, "the target id is empty").await;
    refused(&g, pages.update("p1", [PatchCommand::replace("title", "<b>x</b>")]).await, "the title is text").await;
    refused(&g, pages.update("p1", Vec::new()).await, "at least one PATCH command").await;
    refused(&g, pages.append("", "<p>x</p>").await, "a page id must not be empty").await;
}
