//! Messages over plain HTTP: OData options, paging, CRUD, actions, attachments.

mod common;

use common::{T, assert_graph_error, seg};
use msgraph_emulator::{ConversationIndex, demo};
use reqwest::Method;
use serde_json::{Value, json};

fn subjects(items: &[Value]) -> Vec<String> {
    items.iter().map(|m| m["subject"].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn inbox_pages_by_ten_with_absolute_next_links() {
    let t = T::start().await;
    let in_store = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    assert!(in_store.len() >= 24, "a few dozen messages, got {}", in_store.len());

    let first = t.get("/me/mailFolders/inbox/messages").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.values().len(), 10, "Graph's default page size");
    let next = first.json["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&t.emu.base_url()) && next.contains("%24skip=10"), "{next}");

    let (all, pages) = t.all_pages("/me/mailFolders/Inbox/messages?$select=subject,receivedDateTime", &[]).await;
    assert_eq!(all.len(), in_store.len());
    assert_eq!(pages, in_store.len().div_ceil(10));
    let ids: std::collections::HashSet<&str> = all.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all.len(), "no item twice across pages");
    // Newest first by default.
    let times: Vec<&str> = all.iter().map(|m| m["receivedDateTime"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    // $select keeps id and the etag, and nothing else.
    assert!(all.iter().all(|m| {
        m.as_object()
            .unwrap()
            .keys()
            .all(|k| ["@odata.etag", "id", "subject", "receivedDateTime"].contains(&k.as_str()))
    }));

    // $top is the page size; Prefer: odata.maxpagesize works too.
    let (top5, pages) = t.all_pages("/me/mailFolders/inbox/messages?$top=5", &[]).await;
    assert_eq!((top5.len(), pages), (in_store.len(), in_store.len().div_ceil(5)));
    let (_, pages) = t.all_pages("/me/mailFolders/inbox/messages", &[("Prefer", "odata.maxpagesize=7")]).await;
    assert_eq!(pages, in_store.len().div_ceil(7));
}

#[tokio::test]
async fn filters_users_write() {
    let t = T::start().await;
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    let unread = inbox.iter().filter(|m| m["isRead"] == false).count();
    assert!(unread > 3 && unread < inbox.len());

    let r = t.get("/me/mailFolders/inbox/messages?$filter=isRead eq false&$count=true&$top=100").await;
    assert_eq!(r.json["@odata.count"], unread);
    assert_eq!(r.values().len(), unread);
    assert!(r.values().iter().all(|m| m["isRead"] == false));

    let conv = inbox[0]["conversationId"].as_str().unwrap();
    let in_conv = inbox.iter().filter(|m| m["conversationId"] == conv).count();
    let r = t.get(&format!("/me/mailFolders/inbox/messages?$filter=conversationId eq '{conv}'&$top=50")).await;
    assert_eq!(r.values().len(), in_conv);

    // Messages received in the last day before the anchor.
    let r = t.get("/me/mailFolders/inbox/messages?$filter=receivedDateTime ge 2024-03-12T00:00:00Z and receivedDateTime lt 2024-03-13T00:00:00Z&$top=100").await;
    let expect = inbox
        .iter()
        .filter(|m| {
            let d = m["receivedDateTime"].as_str().unwrap();
            ("2024-03-12T00:00:00Z"..="2024-03-12T23:59:59Z").contains(&d)
        })
        .count();
    assert!(expect > 0);
    assert_eq!(r.values().len(), expect);

    // Flagged, categorized, from someone.
    let r = t.get("/me/messages?$filter=flag/flagStatus eq 'flagged'&$top=100").await;
    assert!(!r.values().is_empty() && r.values().iter().all(|m| m["flag"]["flagStatus"] == "flagged"));
    let r = t.get("/me/messages?$filter=categories/any(c:c eq 'Finance')&$top=100").await;
    assert!(
        !r.values().is_empty()
            && r.values().iter().all(|m| m["categories"].as_array().unwrap().contains(&json!("Finance")))
    );
    let r = t.get("/me/messages?$filter=from/emailAddress/address eq 'pradeep.gupta@fabrikam.com'&$top=100").await;
    assert_eq!(r.values().len(), 3);

    // parentFolderId: the same as listing the folder.
    let sent_id = t.get("/me/mailFolders/sentitems").await.json["id"].as_str().unwrap().to_owned();
    let r = t.get(&format!("/me/messages?$filter=parentFolderId eq '{sent_id}'&$top=100")).await;
    assert_eq!(r.values().len(), t.emu.messages(demo::USER_UPN, "sentitems").unwrap().len());

    // Outlook's rule for $filter with $orderby.
    let ok = t.get("/me/mailFolders/inbox/messages?$filter=receivedDateTime ge 2024-01-01 and isRead eq false&$orderby=receivedDateTime asc&$top=100").await;
    assert_eq!(ok.status, 200);
    let times: Vec<String> = ok.values().iter().map(|m| m["receivedDateTime"].as_str().unwrap().to_owned()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    let bad = t.get("/me/mailFolders/inbox/messages?$filter=isRead eq false&$orderby=receivedDateTime desc").await;
    assert_graph_error(&bad, 400, "InefficientFilter");

    // Unsupported or broken filters are 400s in Graph's shape.
    assert_graph_error(&t.get("/me/messages?$filter=isRead eq").await, 400, "BadRequest");
    assert_graph_error(
        &t.get("/me/messages?$filter=substringof('a',subject)").await,
        400,
        "ErrorInvalidUrlQueryFilter",
    );
    assert_graph_error(&t.get("/me/messages?$filter=colour eq 'red'").await, 400, "RequestBroker--ParseUri");
    assert_graph_error(&t.get("/me/messages?$top=ten").await, 400, "BadRequest");
}

#[tokio::test]
async fn search_and_count() {
    let t = T::start().await;
    let r = t.get("/me/messages?$search=\"budget\"&$count=true").await;
    assert_eq!(r.status, 200, "{}", r.json);
    let hits = r.values();
    assert!(!hits.is_empty());
    assert_eq!(r.json["@odata.count"], hits.len());
    for m in &hits {
        let text = format!("{} {}", m["subject"], m["bodyPreview"]).to_lowercase();
        assert!(text.contains("budget"), "{text}");
    }
    assert!(subjects(&hits).iter().any(|s| s.contains("Q3 budget review")));

    let r = t.get("/me/messages?$search=\"from:pradeep\"&$top=50").await;
    assert!(r.values().iter().all(|m| m["from"]["emailAddress"]["address"] == "pradeep.gupta@fabrikam.com"));
    assert_eq!(r.values().len(), 3);

    let r = t.get("/me/messages?$search=\"subject:offsite from:megan\"&$top=50").await;
    assert!(!r.values().is_empty());
    assert!(r.values().iter().all(|m| m["subject"].as_str().unwrap().contains("offsite")));

    // Body text is searched too.
    let r = t.get("/me/messages?$search=\"tacos\"").await;
    assert_eq!(r.values().len(), 1);

    let unread = t.emu.messages(demo::USER_UPN, "inbox").unwrap().iter().filter(|m| m["isRead"] == false).count();
    let n = t.get("/me/mailFolders/inbox/messages/$count?$filter=isRead eq false").await;
    assert_eq!(n.status, 200);
    assert_eq!(String::from_utf8(n.bytes).unwrap(), unread.to_string());

    let bad = t.get("/me/messages?$search=\"budget\"&$orderby=receivedDateTime").await;
    assert_graph_error(&bad, 400, "BadRequest");
}

#[tokio::test]
async fn get_by_percent_encoded_id_and_id_errors() {
    let t = T::start().await;
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    // Ids look like Graph's: base64url with '-'/'_' and '=' padding.
    assert!(inbox.iter().all(|m| m["id"].as_str().unwrap().ends_with('=')));
    assert!(inbox.iter().any(|m| m["id"].as_str().unwrap().contains(['-', '_'])));
    let id = inbox[0]["id"].as_str().unwrap();

    let r = t.get(&format!("/me/messages/{}", seg(id))).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["id"], id);
    assert!(r.json["@odata.context"].as_str().unwrap().ends_with("/messages/$entity"));
    for key in [
        "conversationIndex",
        "bodyPreview",
        "webLink",
        "changeKey",
        "@odata.etag",
        "parentFolderId",
        "internetMessageId",
    ] {
        assert!(r.json.get(key).is_some(), "{key} in {}", r.json);
    }
    // Unencoded works as well ('=' is fine in a path), and via the key syntax.
    assert_eq!(t.get(&format!("/me/messages/{id}")).await.status, 200);
    assert_eq!(t.get(&format!("/me/messages('{}')", seg(id))).await.status, 200);

    assert_graph_error(&t.get("/me/messages/AAMkAGI2TG93AAAAAAAAAAAAAAAA=").await, 404, "ErrorItemNotFound");
    assert_graph_error(&t.get("/me/messages/123").await, 400, "ErrorInvalidIdMalformed");
    assert_graph_error(&t.get("/me/mailFolders/nosuchfolder/messages").await, 400, "ErrorInvalidIdMalformed");

    // The conversationIndex is a real one: 22-byte header, 5 bytes per reply.
    let replies: Vec<&Value> = inbox.iter().filter(|m| m["subject"].as_str().unwrap().starts_with("RE: ")).collect();
    assert!(!replies.is_empty());
    for m in &replies {
        let idx = ConversationIndex::decode_base64(m["conversationIndex"].as_str().unwrap()).unwrap();
        assert!(idx.depth() >= 1);
        let received = chrono::DateTime::parse_from_rfc3339(m["receivedDateTime"].as_str().unwrap()).unwrap();
        let last = *idx.replies.last().unwrap();
        assert!((last - received.to_utc()).num_seconds().abs() < 5, "reply time in the index matches");
    }
}

#[tokio::test]
async fn drafts_are_created_updated_and_sent() {
    let t = T::start().await;
    let draft = t
        .post(
            "/me/messages",
            json!({
                "subject": "Did you see last night's game?",
                "importance": "Low",
                "body": {"contentType": "HTML", "content": "They were <b>awesome</b>!"},
                "toRecipients": [{"emailAddress": {"address": demo::SECOND_USER_UPN}}]
            }),
        )
        .await;
    assert_eq!(draft.status, 201, "{}", draft.json);
    assert_eq!(draft.json["isDraft"], true);
    assert_eq!(draft.json["importance"], "low", "enum values come back in Graph's casing");
    assert_eq!(draft.json["body"]["contentType"], "html");
    assert_eq!(draft.json["bodyPreview"], "They were awesome!");
    let drafts_id = t.get("/me/mailFolders/drafts").await.json["id"].clone();
    assert_eq!(draft.json["parentFolderId"], drafts_id);
    let id = draft.json["id"].as_str().unwrap().to_owned();

    let patched = t
        .patch(&format!("/me/messages/{}", seg(&id)), json!({"subject": "Game night", "categories": ["Blue category"]}))
        .await;
    assert_eq!(patched.status, 200);
    assert_eq!(patched.json["subject"], "Game night");
    assert_ne!(patched.json["changeKey"], draft.json["changeKey"]);

    // A typo in a property name is Graph's RequestBodyRead.
    let typo = t.patch(&format!("/me/messages/{}", seg(&id)), json!({"Subject": "x"})).await;
    assert_graph_error(&typo, 400, "RequestBodyRead");
    let wrong_type = t.patch(&format!("/me/messages/{}", seg(&id)), json!({"isRead": "yes"})).await;
    assert_graph_error(&wrong_type, 400, "RequestBodyRead");

    let before = t.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap().len();
    let sent = t.post(&format!("/me/messages/{}/send", seg(&id)), json!({})).await;
    assert_eq!(sent.status, 202);
    assert!(sent.bytes.is_empty());
    assert_graph_error(&t.get(&format!("/me/messages/{}", seg(&id))).await, 404, "ErrorItemNotFound");
    let alex = t.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap();
    assert_eq!(alex.len(), before + 1);
    assert_eq!(alex[0]["subject"], "Game night");
    assert_eq!(alex[0]["isRead"], false);
    assert_eq!(alex[0]["from"]["emailAddress"]["address"], demo::USER_UPN);
    assert!(t.emu.messages(demo::USER_UPN, "sentitems").unwrap().iter().any(|m| m["subject"] == "Game night"));

    // Sent messages cannot have their subject changed.
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    let received = inbox[0]["id"].as_str().unwrap();
    let r = t.patch(&format!("/me/messages/{}", seg(received)), json!({"subject": "nope"})).await;
    assert_graph_error(&r, 400, "ErrorInvalidPropertyUpdateSentMessage");
    let r = t
        .patch(&format!("/me/messages/{}", seg(received)), json!({"isRead": true, "flag": {"flagStatus": "complete"}}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["flag"]["flagStatus"], "complete");
}

#[tokio::test]
async fn send_mail_lands_in_sent_items_and_tenant_inboxes() {
    let t = T::start().await;
    let sent_before = t.emu.messages(demo::USER_UPN, "sentitems").unwrap().len();
    let megan_before = t.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap().len();
    let body = json!({
        "message": {
            "subject": "Meet for lunch?",
            "body": {"contentType": "Text", "content": "The new cafeteria is open."},
            "toRecipients": [{"emailAddress": {"address": "meganb@contoso.com"}}],
            "ccRecipients": [{"emailAddress": {"address": "someone@fabrikam.com"}}],
            "bccRecipients": [{"emailAddress": {"address": demo::SECOND_USER_UPN}}],
            "attachments": [{"@odata.type": "#microsoft.graph.fileAttachment", "name": "menu.txt", "contentType": "text/plain", "contentBytes": "VGFjb3M="}]
        },
        "saveToSentItems": true
    });
    let r = t.post("/me/sendMail", body.clone()).await;
    assert_eq!(r.status, 202, "{}", r.json);
    assert_eq!(t.emu.messages(demo::USER_UPN, "sentitems").unwrap().len(), sent_before + 1);
    let megan = t.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap();
    assert_eq!(megan.len(), megan_before + 1);
    assert_eq!(megan[0]["hasAttachments"], true);
    assert_eq!(megan[0]["bccRecipients"], json!([]), "Bcc is not shown to recipients");
    let alex = t.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap();
    assert_eq!(alex[0]["subject"], "Meet for lunch?", "Bcc recipients get it too");

    // saveToSentItems=false keeps no copy.
    let mut no_save = body.clone();
    no_save["saveToSentItems"] = json!(false);
    t.post("/me/sendMail", no_save).await;
    assert_eq!(t.emu.messages(demo::USER_UPN, "sentitems").unwrap().len(), sent_before + 1);

    let none = t.post("/me/sendMail", json!({"message": {"subject": "x"}})).await;
    assert_graph_error(&none, 400, "ErrorInvalidRecipients");
    let junk = t.call(Method::POST, "/me/sendMail", None, &[]).await;
    assert_graph_error(&junk, 400, "ErrorInvalidRequest");
    let bad = t.post("/me/sendMail", json!({"message": {"subject": "x"}, "saveToSent": true})).await;
    assert_graph_error(&bad, 400, "RequestBodyRead");
}

#[tokio::test]
async fn reply_reply_all_forward_keep_the_conversation() {
    let t = T::start().await;
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    let orig = inbox
        .iter()
        .find(|m| m["subject"] == "RE: Contoso launch plan" && m["from"]["emailAddress"]["name"] == "Megan Bowen")
        .unwrap();
    let id = seg(orig["id"].as_str().unwrap());
    let orig_idx = ConversationIndex::decode_base64(orig["conversationIndex"].as_str().unwrap()).unwrap();

    let draft = t.post(&format!("/me/messages/{id}/createReplyAll"), json!({"comment": "Thanks both!"})).await;
    assert_eq!(draft.status, 201, "{}", draft.json);
    assert_eq!(draft.json["subject"], "RE: Contoso launch plan");
    assert_eq!(draft.json["conversationId"], orig["conversationId"]);
    let idx = ConversationIndex::decode_base64(draft.json["conversationIndex"].as_str().unwrap()).unwrap();
    assert_eq!(idx.depth(), orig_idx.depth() + 1);
    assert_eq!(idx.guid, orig_idx.guid);
    let to: Vec<&str> = draft.json["toRecipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["emailAddress"]["address"].as_str().unwrap())
        .collect();
    assert!(
        to.contains(&demo::THIRD_USER_UPN) && to.contains(&demo::SECOND_USER_UPN) && !to.contains(&demo::USER_UPN),
        "{to:?}"
    );
    assert!(draft.json["body"]["content"].as_str().unwrap().contains("Thanks both!"));

    let megan_before = t.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap().len();
    let r = t.post(&format!("/me/messages/{id}/reply"), json!({"comment": "On it."})).await;
    assert_eq!(r.status, 202);
    let megan = t.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap();
    assert_eq!(megan.len(), megan_before + 1);
    assert_eq!(megan[0]["conversationId"], orig["conversationId"]);

    // Forward needs recipients; attachments travel along.
    let with_att = inbox.iter().find(|m| m["hasAttachments"] == true).unwrap();
    let fid = seg(with_att["id"].as_str().unwrap());
    let r = t.post(&format!("/me/messages/{fid}/forward"), json!({"comment": "FYI"})).await;
    assert_graph_error(&r, 400, "ErrorInvalidRecipients");
    let r = t
        .post(
            &format!("/me/messages/{fid}/forward"),
            json!({"comment": "FYI", "toRecipients": [{"emailAddress": {"address": demo::SECOND_USER_UPN}}]}),
        )
        .await;
    assert_eq!(r.status, 202);
    let alex = t.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap();
    assert!(alex[0]["subject"].as_str().unwrap().starts_with("FW: "));
    assert_eq!(alex[0]["hasAttachments"], true);
}

#[tokio::test]
async fn move_copy_delete() {
    let t = T::start().await;
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    let id = inbox[0]["id"].as_str().unwrap().to_owned();
    let archive = t.get("/me/mailFolders/archive").await.json["id"].as_str().unwrap().to_owned();

    let moved = t.post(&format!("/me/messages/{}/move", seg(&id)), json!({"destinationId": "archive"})).await;
    assert_eq!(moved.status, 201);
    assert_eq!(moved.json["parentFolderId"], archive);
    assert_ne!(moved.json["id"], id, "a moved message gets a new id");
    assert_graph_error(&t.get(&format!("/me/messages/{}", seg(&id))).await, 404, "ErrorItemNotFound");
    let moved_id = moved.json["id"].as_str().unwrap().to_owned();

    let kept = t
        .call(
            Method::POST,
            &format!("/me/messages/{}/move", seg(&moved_id)),
            Some(json!({"destinationId": "inbox"})),
            &[("Prefer", "IdType=\"ImmutableId\"")],
        )
        .await;
    assert_eq!(kept.json["id"], moved_id, "immutable ids survive a move");

    let copy = t.post(&format!("/me/messages/{}/copy", seg(&moved_id)), json!({"destinationId": archive})).await;
    assert_eq!(copy.status, 201);
    assert_eq!(copy.json["subject"], moved.json["subject"]);
    assert_ne!(copy.json["id"], moved_id);

    let bad = t.post(&format!("/me/messages/{}/move", seg(&moved_id)), json!({"destination": "inbox"})).await;
    assert_graph_error(&bad, 400, "RequestBodyRead");
    let nowhere = t
        .post(
            &format!("/me/messages/{}/move", seg(&moved_id)),
            json!({"destinationId": "AAMkAGI2TG93AAAAAAAAAAAAAAAA="}),
        )
        .await;
    assert_graph_error(&nowhere, 404, "ErrorItemNotFound");

    let del = t.delete(&format!("/me/messages/{}", seg(&moved_id))).await;
    assert_eq!(del.status, 204);
    assert_graph_error(&t.delete(&format!("/me/messages/{}", seg(&moved_id))).await, 404, "ErrorItemNotFound");
}

#[tokio::test]
async fn attachments_list_get_value_add_delete() {
    let t = T::start().await;
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    let m = inbox.iter().find(|m| m["hasAttachments"] == true).unwrap();
    let mid = seg(m["id"].as_str().unwrap());

    let list = t.get(&format!("/me/messages/{mid}/attachments")).await;
    assert_eq!(list.status, 200);
    let att = &list.values()[0];
    assert_eq!(att["@odata.type"], "#microsoft.graph.fileAttachment");
    assert!(att["contentBytes"].is_string() && att["size"].as_u64().unwrap() > 0);
    let aid = seg(att["id"].as_str().unwrap());

    // $expand=attachments inlines them, alongside $select.
    let expanded = t.get(&format!("/me/messages/{mid}?$select=subject&$expand=attachments")).await;
    assert_eq!(expanded.json["attachments"].as_array().map(Vec::len), Some(1), "{}", expanded.json);
    assert_eq!(expanded.json["attachments"][0]["id"], att["id"]);
    assert!(expanded.json.get("body").is_none());

    let one = t.get(&format!("/me/messages/{mid}/attachments/{aid}?$select=name,size")).await;
    assert_eq!(one.json["name"], att["name"]);
    assert!(one.json.get("contentBytes").is_none());

    let raw = t.get(&format!("/me/messages/{mid}/attachments/{aid}/$value")).await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.header("content-type"), att["contentType"].as_str());
    use base64::Engine;
    assert_eq!(
        raw.bytes,
        base64::engine::general_purpose::STANDARD.decode(att["contentBytes"].as_str().unwrap()).unwrap()
    );

    let draft = t.post("/me/messages", json!({"subject": "with file"})).await;
    let did = seg(draft.json["id"].as_str().unwrap());
    let added = t
        .post(
            &format!("/me/messages/{did}/attachments"),
            json!({"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.txt", "contentBytes": "aGVsbG8="}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.json);
    assert_eq!(added.json["size"], 5);
    assert_eq!(t.get(&format!("/me/messages/{did}")).await.json["hasAttachments"], true);
    let bad =
        t.post(&format!("/me/messages/{did}/attachments"), json!({"name": "a.txt", "contentBytes": "aGVsbG8="})).await;
    assert_eq!(bad.status, 400);
    let del = t.delete(&format!("/me/messages/{did}/attachments/{}", seg(added.json["id"].as_str().unwrap()))).await;
    assert_eq!(del.status, 204);
    assert_eq!(t.get(&format!("/me/messages/{did}")).await.json["hasAttachments"], false);

    let mime = t.get(&format!("/me/messages/{mid}/$value")).await;
    let text = String::from_utf8(mime.bytes).unwrap();
    assert!(text.contains("Subject: ") && text.contains("MIME-Version: 1.0"));
}

#[tokio::test]
async fn body_content_type_preference() {
    let t = T::start().await;
    let r = t.get_with("/me/messages?$top=1", &[("Prefer", "outlook.body-content-type=\"text\"")]).await;
    let m = &r.values()[0];
    assert_eq!(m["body"]["contentType"], "text");
    assert!(!m["body"]["content"].as_str().unwrap().contains('<'));
}

/// Graph matches action parameter names case-insensitively: Microsoft's
/// Python SDK sends `{"DestinationId": ...}` to `move`.
#[tokio::test]
async fn action_parameter_names_are_case_insensitive() {
    let t = T::start().await;
    let inbox = t.emu.messages(demo::USER_UPN, "inbox").unwrap();
    let id = seg(inbox[0]["id"].as_str().unwrap());
    let archive = t.get("/me/mailFolders/archive").await.json["id"].clone();

    let moved = t.post(&format!("/me/messages/{id}/move"), json!({"DestinationId": "archive"})).await;
    assert_eq!(moved.status, 201, "{}", moved.json);
    assert_eq!(moved.json["parentFolderId"], archive);
    let moved_id = seg(moved.json["id"].as_str().unwrap());
    let copy = t.post(&format!("/me/messages/{moved_id}/copy"), json!({"DESTINATIONID": "inbox"})).await;
    assert_eq!(copy.status, 201, "{}", copy.json);

    let to = json!([{"emailAddress": {"address": demo::SECOND_USER_UPN}}]);
    let sent = t
        .post("/me/sendMail", json!({"MESSAGE": {"subject": "caps", "toRecipients": to}, "savetosentitems": false}))
        .await;
    assert_eq!(sent.status, 202, "{}", sent.json);
    let fwd =
        t.post(&format!("/me/messages/{moved_id}/createForward"), json!({"TORECIPIENTS": to, "COMMENT": "fyi"})).await;
    assert_eq!(fwd.status, 201, "{}", fwd.json);
    assert_eq!(fwd.json["toRecipients"], to);
    let reply = t.post(&format!("/me/messages/{moved_id}/createReply"), json!({"Comment": "thanks"})).await;
    assert_eq!(reply.status, 201, "{}", reply.json);

    // Unknown parameters are still refused.
    let bad = t.post(&format!("/me/messages/{moved_id}/move"), json!({"Destination": "inbox"})).await;
    assert_graph_error(&bad, 400, "RequestBodyRead");
}
