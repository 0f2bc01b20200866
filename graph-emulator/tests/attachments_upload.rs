//! Outlook's large attachments over plain HTTP: createUploadSession, slices
//! of up to 4 MiB to a pre-authenticated URL, the attachment on the message.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{Resp, T, assert_graph_error, seg};
use msgraph_emulator::demo;
use reqwest::Method;
use serde_json::{Value, json};

const MIB: usize = 1024 * 1024;

/// A request to a pre-authenticated URL: no token unless `auth` is given.
async fn raw(t: &T, method: Method, url: &str, auth: Option<&str>, headers: &[(&str, &str)], body: Vec<u8>) -> Resp {
    let mut rb = t.http.request(method, url);
    if let Some(a) = auth {
        rb = rb.header("authorization", a);
    }
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let r = rb.body(body).send().await.expect("request sent");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.expect("body").to_vec();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp { status, headers, json, bytes }
}

async fn put_slice(t: &T, url: &str, data: &[u8], start: usize, end: usize) -> Resp {
    let range = format!("bytes {start}-{}/{}", end - 1, data.len());
    let headers = [("content-range", range.as_str()), ("content-type", "application/octet-stream")];
    raw(t, Method::PUT, url, None, &headers, data[start..end].to_vec()).await
}

fn file(len: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
    v[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n");
    v
}

async fn draft(t: &T) -> String {
    let r = t.post("/me/messages", json!({"subject": "Large attachment", "toRecipients": []})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    r.json["id"].as_str().unwrap().to_owned()
}

async fn session(t: &T, message: &str, item: Value) -> Resp {
    t.post(&format!("/me/messages/{}/attachments/createUploadSession", seg(message)), json!({"AttachmentItem": item}))
        .await
}

#[tokio::test]
async fn a_large_attachment_goes_up_in_slices_and_lands_on_the_message() {
    let t = T::start().await;
    let id = draft(&t).await;
    let data = file(5 * MIB + 123);
    let r = session(&t, &id, json!({"attachmentType": "file", "name": "flower", "size": data.len()})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert!(r.json["@odata.context"].as_str().unwrap().ends_with("$metadata#microsoft.graph.uploadSession"));
    assert_eq!(r.json["nextExpectedRanges"], json!(["0-"]));
    assert!(r.json["expirationDateTime"].as_str().is_some());
    let url = r.json["uploadUrl"].as_str().unwrap().to_owned();
    assert!(url.contains("/upload/attachment/") && url.contains("authtoken="), "{url}");
    // Pre-authenticated and on another host name than Graph's.
    assert!(url.starts_with("http://localhost:") && t.emu.base_url().starts_with("http://127.0.0.1:"), "{url}");

    // First slice: 4 MiB, no Authorization header; Outlook answers 200 with a bare start.
    let r = put_slice(&t, &url, &data, 0, 4 * MIB).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["nextExpectedRanges"], json!([(4 * MIB).to_string()]));
    assert!(r.json["ExpirationDateTime"].as_str().is_some(), "Outlook's casing: {}", r.json);
    // GET on the upload URL: where it stands.
    let status = raw(&t, Method::GET, &url, None, &[], Vec::new()).await;
    assert_eq!((status.status, &status.json["nextExpectedRanges"]), (200, &json!([(4 * MIB).to_string()])));

    // Last slice: 201, no body, Location naming the attachment.
    let r = put_slice(&t, &url, &data, 4 * MIB, data.len()).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.bytes));
    assert!(r.bytes.is_empty());
    let location = r.header("location").unwrap().to_owned();
    let start = location.find("Attachments('").expect("Attachments('id') in Location") + "Attachments('".len();
    let aid = location[start..].trim_end_matches("')").to_owned();
    // The Location is a Graph URL the emulator serves.
    let via_location = t.get(&location).await;
    assert_eq!(via_location.status, 200, "{location}: {}", via_location.json);
    assert_eq!(via_location.json["id"], aid.as_str());

    // The attachment is on the message, with its size and content.
    let list = t.get(&format!("/me/messages/{}/attachments", seg(&id))).await;
    let att = list.values().into_iter().find(|a| a["id"] == aid.as_str()).expect("listed");
    assert_eq!(att["name"], "flower");
    assert_eq!(att["size"], data.len());
    assert_eq!(att["contentType"], "image/png", "sniffed when not given");
    assert_eq!(att["isInline"], false);
    assert_eq!(STANDARD.decode(att["contentBytes"].as_str().unwrap()).unwrap(), data);
    let value = t.get(&format!("/me/messages/{}/attachments/{}/$value", seg(&id), seg(&aid))).await;
    assert_eq!(value.bytes, data);
    assert_eq!(t.get(&format!("/me/messages/{}", seg(&id))).await.json["hasAttachments"], true);

    // The session is over.
    assert_eq!(raw(&t, Method::GET, &url, None, &[], Vec::new()).await.status, 404);
    assert_eq!(t.emu.upload_session_count(), 0);
}

#[tokio::test]
async fn slices_out_of_order_overlapping_or_too_big_are_refused() {
    let t = T::start().await;
    let id = draft(&t).await;
    let mut data = file(9 * MIB);
    data[..8].fill(0);
    let r = session(&t, &id, json!({"attachmentType": "file", "name": "big.bin", "size": data.len()})).await;
    let url = r.json["uploadUrl"].as_str().unwrap().to_owned();

    // More than 4 MiB at once.
    assert_graph_error(&put_slice(&t, &url, &data, 0, 4 * MIB + 1).await, 400, "ErrorInvalidRequest");
    // A gap: the first byte must be 0.
    assert_graph_error(&put_slice(&t, &url, &data, MIB, 2 * MIB).await, 416, "ErrorInvalidRange");
    assert_eq!(put_slice(&t, &url, &data, 0, 2 * MIB).await.status, 200);
    // Overlapping what was received, or out of order.
    assert_graph_error(&put_slice(&t, &url, &data, MIB, 3 * MIB).await, 416, "ErrorInvalidRange");
    assert_graph_error(&put_slice(&t, &url, &data, 3 * MIB, 4 * MIB).await, 416, "ErrorInvalidRange");
    // A total that is not the announced size; a missing or malformed Content-Range.
    let h = [("content-range", "bytes 2097152-2097161/10")];
    assert_graph_error(&raw(&t, Method::PUT, &url, None, &h, vec![0; 10]).await, 400, "ErrorInvalidRequest");
    assert_graph_error(&raw(&t, Method::PUT, &url, None, &[], vec![0; 10]).await, 400, "ErrorInvalidRequest");
    let h = [("content-range", "2097152-2097161")];
    assert_graph_error(&raw(&t, Method::PUT, &url, None, &h, vec![0; 10]).await, 400, "ErrorInvalidRequest");
    // Content-Range and body length disagree.
    let h = [("content-range", "bytes 2097152-2097161/9437184")];
    assert_graph_error(&raw(&t, Method::PUT, &url, None, &h, vec![0; 9]).await, 400, "ErrorInvalidRequest");

    // The URL is pre-authenticated: a bearer token is refused, a wrong authtoken too.
    let bearer = format!("Bearer {}", t.token);
    let h = [("content-range", "bytes 2097152-2097161/9437184")];
    let r = raw(&t, Method::PUT, &url, Some(&bearer), &h, vec![0; 10]).await;
    assert_graph_error(&r, 401, "InvalidAuthenticationToken");
    let forged = format!("{}x", url);
    assert_eq!(raw(&t, Method::GET, &forged, None, &[], Vec::new()).await.status, 401);

    // Nothing of that moved the session on; the upload still completes.
    assert_eq!(put_slice(&t, &url, &data, 2 * MIB, 6 * MIB).await.json["nextExpectedRanges"], json!(["6291456"]));
    let done = put_slice(&t, &url, &data, 6 * MIB, data.len()).await;
    assert_eq!(done.status, 201);
    let list = t.get(&format!("/me/messages/{}/attachments", seg(&id))).await;
    let att = list.values().into_iter().find(|a| a["name"] == "big.bin").unwrap();
    assert_eq!(att["contentType"], "application/octet-stream");
    assert_eq!(STANDARD.decode(att["contentBytes"].as_str().unwrap()).unwrap(), data);
}

#[tokio::test]
async fn a_cancelled_or_expired_session_is_gone() {
    let t = T::start().await;
    let id = draft(&t).await;
    let data = file(3 * MIB);
    let item = json!({"attachmentType": "file", "name": "a.bin", "size": data.len()});
    let url = session(&t, &id, item.clone()).await.json["uploadUrl"].as_str().unwrap().to_owned();
    assert_eq!(put_slice(&t, &url, &data, 0, MIB).await.status, 200);
    let r = raw(&t, Method::DELETE, &url, None, &[], Vec::new()).await;
    assert_eq!(r.status, 204);
    assert_graph_error(&put_slice(&t, &url, &data, MIB, 2 * MIB).await, 404, "ErrorItemNotFound");
    assert_eq!(raw(&t, Method::GET, &url, None, &[], Vec::new()).await.status, 404);
    assert_eq!(raw(&t, Method::DELETE, &url, None, &[], Vec::new()).await.status, 404);

    let url = session(&t, &id, item).await.json["uploadUrl"].as_str().unwrap().to_owned();
    assert_eq!(t.emu.upload_session_count(), 1);
    t.emu.expire_upload_sessions();
    assert_graph_error(&put_slice(&t, &url, &data, 0, MIB).await, 404, "ErrorItemNotFound");
    assert_eq!(t.emu.upload_session_count(), 0);
    // Nothing was attached.
    assert!(t.get(&format!("/me/messages/{}/attachments", seg(&id))).await.values().is_empty());
}

#[tokio::test]
async fn the_session_request_is_checked() {
    let t = T::start().await;
    let id = draft(&t).await;
    let too_small = session(&t, &id, json!({"attachmentType": "file", "name": "a.txt", "size": 1000})).await;
    assert_graph_error(&too_small, 400, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize");
    let too_big = session(&t, &id, json!({"attachmentType": "file", "name": "a", "size": 151 * MIB})).await;
    assert_graph_error(&too_big, 400, "ErrorMessageSizeExceeded");
    let no_name = session(&t, &id, json!({"attachmentType": "file", "size": 4 * MIB})).await;
    assert_graph_error(&no_name, 400, "ErrorInvalidRequest");
    let item = session(&t, &id, json!({"attachmentType": "item", "name": "x", "size": 4 * MIB})).await;
    assert_graph_error(&item, 400, "ErrorInvalidRequest");
    let unknown = session(&t, &id, json!({"attachmentType": "file", "name": "x", "size": 4 * MIB, "colour": 1})).await;
    assert_graph_error(&unknown, 400, "RequestBodyRead");
    let no_item = t.post(&format!("/me/messages/{}/attachments/createUploadSession", seg(&id)), json!({})).await;
    assert_graph_error(&no_item, 400, "ErrorInvalidRequest");

    // A message that does not exist.
    let gone = draft(&t).await;
    assert_eq!(t.delete(&format!("/me/messages/{}", seg(&gone))).await.status, 204);
    let missing = session(&t, &gone, json!({"attachmentType": "file", "name": "x", "size": 4 * MIB})).await;
    assert_graph_error(&missing, 404, "ErrorItemNotFound");

    // App-only tokens use /users/{id}; a delegated token cannot reach another mailbox.
    let app = t.emu.issue_app_token();
    let path = format!("/users/{}/messages/{}/attachments/createUploadSession", demo::USER_UPN, seg(&id));
    let body = json!({"AttachmentItem": {"attachmentType": "file", "name": "x", "size": 4 * MIB}});
    let r = t.call_as(&app, Method::POST, &path, Some(body.clone()), &[]).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let alex = t.emu.issue_token(demo::SECOND_USER_UPN).unwrap();
    let r = t.call_as(&alex, Method::POST, &path, Some(body), &[]).await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn an_inline_attachment_keeps_its_content_id() {
    let t = T::start().await;
    let id = draft(&t).await;
    let data = file(3 * MIB + 7);
    let item = json!({
        "attachmentType": "file", "name": "scenery.png", "size": data.len(),
        "contentType": "image/png", "isInline": true, "contentId": "my_inline_picture",
    });
    let url = session(&t, &id, item).await.json["uploadUrl"].as_str().unwrap().to_owned();
    assert_eq!(put_slice(&t, &url, &data, 0, 2 * MIB).await.status, 200);
    assert_eq!(put_slice(&t, &url, &data, 2 * MIB, data.len()).await.status, 201);
    let list = t.get(&format!("/me/messages/{}/attachments?$select=name,isInline,contentId,size", seg(&id))).await;
    let att = &list.values()[0];
    assert_eq!((att["isInline"].clone(), att["contentId"].clone()), (json!(true), json!("my_inline_picture")));
    assert_eq!(att["size"], data.len());
}
