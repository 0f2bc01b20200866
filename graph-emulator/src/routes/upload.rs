//! The pre-authenticated URLs the emulator hands out (upload sessions,
//! downloads, thumbnails, copy monitors) and Outlook's
//! `attachments/createUploadSession`.
//!
//! On Graph these URLs live on other hosts (`*.up.1drv.com`,
//! `outlook.office.com`, `*.sharepoint.com`) and carry their own credential:
//! a client must not send its Graph token there. The emulator serves them
//! on the same socket under another host name (`localhost` when the client
//! uses `127.0.0.1`, and the other way round), so that a client which keeps
//! its token to Graph's origin behaves as it would with Graph, and it
//! answers 401 to any request that carries an `Authorization` header.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::any;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::context::{Ctx, Shared, lock};
use crate::errors::{ApiResult, GraphError};
use crate::routes::response::{origin, to_response};
use crate::routes::{Reply, Req, drive};
use crate::state::drive_content::sniff_mime;
use crate::state::ids::IdKind;
use crate::state::schema::json_object;
use crate::state::store::{AttachmentRec, Obj, Store};
use crate::state::upload::{AttachmentTarget, Code, Slice, UploadKind, UploadTarget, preauth_origin, upload_url};
use crate::time::format_utc;

/// Outlook refuses upload sessions for files under 3 MB ("3 MB" read as
/// 3,000,000 bytes, the lower of its two readings).
pub(crate) const OUTLOOK_SESSION_MIN: u64 = 3_000_000;
/// Outlook takes attachments up to 150 MB.
pub(crate) const OUTLOOK_SESSION_MAX: u64 = 150 * 1024 * 1024;

/// The routes of the pre-authenticated URLs.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/upload/{kind}/{id}", any(upload_endpoint))
        .route("/download/{token}", any(drive::download_endpoint))
        .route("/thumbnails/{token}", any(drive::thumbnail_endpoint))
        .route("/monitor/{id}", any(drive::monitor_endpoint))
}

/// A pre-authenticated URL takes no `Authorization` header: the emulator
/// never issues one for it, so any is refused (401).
pub(crate) fn reject_authorization(headers: &HeaderMap, kind: UploadKind) -> ApiResult<()> {
    if headers.contains_key(header::AUTHORIZATION) {
        return Err(kind.error(
            Code::Unauthenticated,
            "This URL is pre-authenticated: send the request without an Authorization header.",
        ));
    }
    Ok(())
}

fn authtoken(uri: &Uri) -> String {
    url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "authtoken")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
async fn upload_endpoint(
    State(shared): State<Arc<Shared>>,
    Extension(ctx): Extension<Ctx>,
    Path((kind, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(kind) = UploadKind::from_segment(&kind) else {
        let e = GraphError::new(StatusCode::NOT_FOUND, "NotFound", format!("No resource at '{}'.", uri.path()));
        return to_response(Err(e), &ctx);
    };
    let here = origin(&headers, shared.addr);
    let result = upload(&shared, kind, &id, &authtoken(&uri), &method, &headers, &body, &here, ctx.now);
    to_response(result, &ctx)
}

#[allow(clippy::too_many_arguments)]
fn upload(
    shared: &Shared,
    kind: UploadKind,
    id: &str,
    secret: &str,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
    here: &str,
    now: DateTime<Utc>,
) -> ApiResult<Reply> {
    reject_authorization(headers, kind)?;
    // The Graph origin the client uses: the other name of this socket.
    let graph_origin = preauth_origin(here);
    let mut store = lock(&shared.store);
    let session = store.uploads.find(kind, id, secret, now)?;
    match *method {
        Method::GET => Ok(Reply::ok(session.status_body(&graph_origin))),
        Method::DELETE => {
            store.uploads.remove(id);
            Ok(Reply::no_content())
        }
        Method::PUT => {
            let range = headers.get(header::CONTENT_RANGE).and_then(|v| v.to_str().ok());
            match session.accept(range, body)? {
                Slice::More(_) => Ok(Reply::json(kind.interim_status(), session.status_body(&graph_origin))),
                Slice::Done if session.defer_commit => {
                    session.awaiting_commit = true;
                    Ok(Reply::json(StatusCode::ACCEPTED, session.status_body(&graph_origin)))
                }
                Slice::Done => complete(&mut store, id, &graph_origin, now),
            }
        }
        Method::POST if kind == UploadKind::Drive => {
            if !body.is_empty() || !session.awaiting_commit {
                return Err(kind.error(
                    Code::InvalidRequest,
                    "POST with an empty body commits a deferred upload once every byte is in.",
                ));
            }
            complete(&mut store, id, &graph_origin, now)
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

/// Every byte is in: make the attachment or the file. A failure keeps the
/// session (until it expires), as OneDrive does on a conflict at the end.
fn complete(store: &mut Store, id: &str, graph_origin: &str, now: DateTime<Utc>) -> ApiResult<Reply> {
    let Some(mut session) = store.uploads.remove(id) else {
        return Err(UploadKind::Drive.error(Code::NotFound, "The upload session does not exist."));
    };
    let data = std::mem::take(&mut session.data);
    match &session.target {
        UploadTarget::Attachment(t) => attach(store, t, data, graph_origin, now),
        UploadTarget::Drive(t) => {
            let content = Bytes::from(data);
            let result = drive::finish_upload(store, t, content.clone(), graph_origin, now);
            if result.is_err() {
                session.data = content.to_vec();
                session.awaiting_commit = true;
                store.uploads.restore(session);
            }
            result
        }
    }
}

/// Adds the uploaded file to the message: 201, no body, `Location` naming the attachment.
fn attach(
    store: &mut Store,
    t: &AttachmentTarget,
    data: Vec<u8>,
    graph_origin: &str,
    now: DateTime<Utc>,
) -> ApiResult<Reply> {
    store.mailbox(&t.user_id)?.message_index(&t.message_id)?;
    let content_type = t.content_type.clone().unwrap_or_else(|| sniff_mime(&t.name, &data).to_owned());
    let mut obj = Obj::new();
    obj.insert("@odata.type".into(), json!("#microsoft.graph.fileAttachment"));
    obj.insert("name".into(), json!(t.name));
    obj.insert("contentType".into(), json!(content_type));
    obj.insert("size".into(), json!(data.len()));
    obj.insert("isInline".into(), json!(t.is_inline));
    obj.insert("contentId".into(), t.content_id.clone().map(Value::String).unwrap_or(Value::Null));
    obj.insert("lastModifiedDateTime".into(), json!(format_utc(now)));
    let aid = store.ids.next(IdKind::Attachment);
    let mb = store.mailbox_mut(&t.user_id)?;
    let i = mb.message_index(&t.message_id)?;
    mb.messages[i].attachments.push(AttachmentRec { id: aid.clone(), data: obj, content: data });
    store.touch_message(&t.user_id, &t.message_id, now)?;
    let location =
        format!("{graph_origin}/v1.0/Users('{}')/Messages('{}')/Attachments('{aid}')", t.user_id, t.message_id);
    Ok(Reply {
        status: StatusCode::CREATED,
        body: crate::routes::Body::Empty,
        headers: vec![(header::LOCATION, location)],
    })
}

/// `POST .../messages/{id}/attachments/createUploadSession` with
/// `{"AttachmentItem": {"attachmentType": "file", "name", "size", ...}}`.
pub(crate) fn create_attachment_session(
    store: &mut Store,
    user_id: &str,
    message_id: &str,
    req: &Req,
) -> ApiResult<Reply> {
    store.mailbox(user_id)?.message_index(message_id)?;
    let body = json_object(req.body)?;
    let mut item = None;
    for (k, v) in &body {
        if k.eq_ignore_ascii_case("AttachmentItem") {
            item = Some(v);
        } else {
            return Err(GraphError::body_read(format!(
                "The parameter '{k}' in the request payload is not a valid parameter for the operation 'createUploadSession'."
            )));
        }
    }
    let Some(Value::Object(item)) = item else {
        return Err(GraphError::invalid_request("The AttachmentItem parameter (an object) is required."));
    };
    let mut kind = None;
    let mut name = None;
    let mut size = None;
    let mut content_type = None;
    let mut is_inline = false;
    let mut content_id = None;
    let wrong =
        |k: &str, t: &str| GraphError::body_read(format!("Cannot convert the value of property '{k}' to '{t}'."));
    for (k, v) in item {
        match k.as_str() {
            "attachmentType" => kind = Some(v.as_str().ok_or_else(|| wrong(k, "attachmentType"))?.to_ascii_lowercase()),
            "name" => name = Some(v.as_str().ok_or_else(|| wrong(k, "Edm.String"))?.to_owned()),
            "size" => size = Some(v.as_u64().ok_or_else(|| wrong(k, "Edm.Int64"))?),
            "contentType" => content_type = v.as_str().map(str::to_owned),
            "isInline" => is_inline = v.as_bool().ok_or_else(|| wrong(k, "Edm.Boolean"))?,
            "contentId" => content_id = v.as_str().map(str::to_owned),
            other => {
                return Err(GraphError::body_read(format!(
                    "The property '{other}' does not exist on type 'microsoft.graph.attachmentItem'."
                )));
            }
        }
    }
    match kind.as_deref() {
        Some("file") => {}
        Some(other) => {
            return Err(GraphError::invalid_request(format!(
                "Upload sessions take file attachments only (attachmentType 'file'), not '{other}'."
            )));
        }
        None => return Err(GraphError::invalid_request("AttachmentItem.attachmentType ('file') is required.")),
    }
    let name = name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| GraphError::invalid_request("AttachmentItem.name is required."))?;
    let size = size.ok_or_else(|| GraphError::invalid_request("AttachmentItem.size is required."))?;
    if size < OUTLOOK_SESSION_MIN {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
            "Attachment size must be at least 3 MB for an upload session: POST smaller files to the attachments collection.",
        ));
    }
    if size > OUTLOOK_SESSION_MAX {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorMessageSizeExceeded",
            "The message exceeds the maximum supported size.",
        ));
    }
    let target = UploadTarget::Attachment(AttachmentTarget {
        user_id: user_id.to_owned(),
        message_id: message_id.to_owned(),
        name,
        content_type,
        is_inline,
        content_id,
    });
    let session = store.uploads.create(&mut store.ids, UploadKind::Attachment, target, Some(size), false, req.now);
    let body = json!({
        "@odata.context": format!("{}/v1.0/$metadata#microsoft.graph.uploadSession", req.origin),
        "uploadUrl": upload_url(&preauth_origin(&req.origin), session),
        "expirationDateTime": crate::state::upload::format_expiry(session.expires),
        "nextExpectedRanges": session.next_expected_ranges(),
    });
    Ok(Reply::created(body))
}
