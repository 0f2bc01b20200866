//! Messages: list, get, create (drafts), update, delete, move, copy, send,
//! reply/replyAll/forward (and their `create...` drafts), attachments,
//! `sendMail`, and per-folder delta.
//!
//! Graph docs: <https://learn.microsoft.com/graph/api/resources/message>.

use axum::http::{Method, StatusCode, header};
use serde_json::{Map, Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::odata::{Listing, Search, apply_select};
use crate::routes::{Reply, Req, with_context};
use crate::state::mail::{
    ATTACHMENT_PROPS, MESSAGE_PROPS, MESSAGE_WRITABLE, UPDATABLE_WHEN_SENT, addresses, body_text, parse_attachment,
    recipient, render_attachment, render_message,
};
use crate::state::schema::{action_params, check_body, json_object};
use crate::state::store::{AttachmentRec, MessageRec, Obj, Store};

fn method_not_allowed() -> GraphError {
    GraphError::method_not_allowed()
}

/// Routes `.../messages/...`; `folder` is set for `mailFolders/{id}/messages`.
pub(crate) fn messages(
    store: &mut Store,
    user_id: &str,
    folder: Option<&str>,
    tail: &[&str],
    req: &Req,
) -> ApiResult<Reply> {
    let m = &req.method;
    match tail {
        [] => match *m {
            Method::GET => list(store, user_id, folder, req),
            Method::POST => create(store, user_id, folder, req),
            _ => Err(method_not_allowed()),
        },
        ["$count"] => match *m {
            Method::GET => count(store, user_id, folder, req),
            _ => Err(method_not_allowed()),
        },
        ["delta"] => match (folder, m) {
            (Some(f), &Method::GET) => crate::routes::delta::messages_delta(store, user_id, f, req),
            (None, _) => Err(GraphError::bad_request(
                "Change tracking is supported per folder: use /mailFolders/{id}/messages/delta.",
            )),
            _ => Err(method_not_allowed()),
        },
        [id] => match *m {
            Method::GET => get(store, user_id, id, req),
            Method::PATCH => update(store, user_id, id, req),
            Method::DELETE => {
                store.remove_message(user_id, id)?;
                Ok(Reply::no_content())
            }
            _ => Err(method_not_allowed()),
        },
        [id, "$value"] => match *m {
            Method::GET => mime(store, user_id, id),
            _ => Err(method_not_allowed()),
        },
        [id, "attachments"] => match *m {
            Method::GET => list_attachments(store, user_id, id, req),
            Method::POST => add_attachment(store, user_id, id, req),
            _ => Err(method_not_allowed()),
        },
        [id, "attachments", "createuploadsession"] => match *m {
            Method::POST => crate::routes::upload::create_attachment_session(store, user_id, id, req),
            _ => Err(method_not_allowed()),
        },
        [id, "attachments", aid] => match *m {
            Method::GET => get_attachment(store, user_id, id, aid, req),
            Method::DELETE => delete_attachment(store, user_id, id, aid, req),
            _ => Err(method_not_allowed()),
        },
        [id, "attachments", aid, "$value"] => match *m {
            Method::GET => attachment_value(store, user_id, id, aid),
            _ => Err(method_not_allowed()),
        },
        [id, action] => {
            if *m != Method::POST {
                return Err(method_not_allowed());
            }
            match *action {
                "move" => move_or_copy(store, user_id, id, req, false),
                "copy" => move_or_copy(store, user_id, id, req, true),
                "send" => send_draft(store, user_id, id, req),
                "permanentdelete" => {
                    store.remove_message(user_id, id)?;
                    Ok(Reply::no_content())
                }
                "reply" => respond(store, user_id, id, req, Kind::Reply, true),
                "replyall" => respond(store, user_id, id, req, Kind::ReplyAll, true),
                "forward" => respond(store, user_id, id, req, Kind::Forward, true),
                "createreply" => respond(store, user_id, id, req, Kind::Reply, false),
                "createreplyall" => respond(store, user_id, id, req, Kind::ReplyAll, false),
                "createforward" => respond(store, user_id, id, req, Kind::Forward, false),
                other => Err(GraphError::segment_not_found(other)),
            }
        }
        [_, other, ..] => Err(GraphError::segment_not_found(other)),
    }
}

fn message_context(req: &Req, user_id: &str) -> String {
    req.context(&format!("users('{user_id}')/messages"))
}

fn list(store: &Store, user_id: &str, folder: Option<&str>, req: &Req) -> ApiResult<Reply> {
    let q = &req.query;
    q.validate(MESSAGE_PROPS, "message")?;
    if q.search.is_some() && !q.orderby.is_empty() {
        return Err(GraphError::bad_request("The query parameter '$orderby' is not supported with '$search'."));
    }
    q.check_outlook_filter_orderby()?;
    let search = q.search.as_deref().map(Search::parse).transpose()?;
    let mb = store.mailbox(user_id)?;
    let mut recs: Vec<&MessageRec> = mb.messages.iter().filter(|m| folder.is_none_or(|f| m.folder_id == f)).collect();
    // Graph's default order: newest first.
    let sort_key = if search.is_some() { "sentDateTime" } else { "receivedDateTime" };
    recs.sort_by(|a, b| {
        let ka = a.data.get(sort_key).and_then(Value::as_str).unwrap_or_default();
        let kb = b.data.get(sort_key).and_then(Value::as_str).unwrap_or_default();
        kb.cmp(ka).then_with(|| a.id.cmp(&b.id))
    });
    let expand_attachments = q.expands("attachments");
    let mut items: Vec<Value> = Vec::with_capacity(recs.len());
    for m in recs {
        let mut v = render_message(m, q.select.as_deref(), req.prefs.body_type);
        if expand_attachments {
            v = with_attachments(v, m);
        }
        if let Some(s) = &search
            && !s.matches(&v, &body_text(&m.data))
        {
            continue;
        }
        items.push(v);
    }
    let context = match folder {
        Some(f) => req.context(&format!("users('{user_id}')/mailFolders('{f}')/messages")),
        None => message_context(req, user_id),
    };
    // An expanded navigation property comes back whatever `$select` says.
    let mut shown = q.clone();
    if let (true, Some(sel)) = (expand_attachments, shown.select.as_mut()) {
        sel.push("attachments".to_owned());
    }
    let listing = Listing {
        query: &shown,
        props: MESSAGE_PROPS,
        context,
        link_base: &req.link_base(),
        prefer_max: req.prefs.max_page_size,
        default_page: 10,
        max_page: 1000,
    };
    Ok(Reply::ok(listing.render(items)))
}

/// `GET .../messages/$count`: the number of messages (after `$filter`), as plain text.
fn count(store: &Store, user_id: &str, folder: Option<&str>, req: &Req) -> ApiResult<Reply> {
    let q = &req.query;
    q.validate(MESSAGE_PROPS, "message")?;
    let mb = store.mailbox(user_id)?;
    let mut items: Vec<Value> = mb
        .messages
        .iter()
        .filter(|m| folder.is_none_or(|f| m.folder_id == f))
        .map(|m| render_message(m, None, req.prefs.body_type))
        .collect();
    q.filter_and_sort(&mut items);
    Ok(Reply::bytes("text/plain", items.len().to_string().into_bytes()))
}

fn render_one(store: &Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Value> {
    let mb = store.mailbox(user_id)?;
    let m = &mb.messages[mb.message_index(id)?];
    let v = render_message(m, req.query.select.as_deref(), req.prefs.body_type);
    let mut v = apply_select(v, req.query.select.as_deref(), MESSAGE_PROPS);
    if req.query.expands("attachments") {
        v = with_attachments(v, m);
    }
    Ok(with_context(v, format!("{}/$entity", message_context(req, user_id))))
}

/// `$expand=attachments`: the message's attachments inline, as `GET .../attachments` lists them.
fn with_attachments(mut v: Value, m: &MessageRec) -> Value {
    if let Value::Object(o) = &mut v {
        o.insert("attachments".into(), Value::Array(m.attachments.iter().map(render_attachment).collect()));
    }
    v
}

fn get(store: &Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(MESSAGE_PROPS, "message")?;
    Ok(Reply::ok(render_one(store, user_id, id, req)?))
}

/// Splits inline attachments off a checked message body.
fn take_attachments(store: &mut Store, data: &mut Obj, req: &Req) -> ApiResult<Vec<AttachmentRec>> {
    match data.remove("attachments") {
        Some(Value::Array(list)) => list.iter().map(|a| parse_attachment(store, a, req.now)).collect(),
        _ => Ok(Vec::new()),
    }
}

fn create(store: &mut Store, user_id: &str, folder: Option<&str>, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let mut data = check_body(&body, MESSAGE_WRITABLE, "message")?;
    let attachments = take_attachments(store, &mut data, req)?;
    data.insert("isDraft".into(), json!(true));
    data.entry("isRead").or_insert(json!(true));
    let folder_id = match folder {
        Some(f) => f.to_owned(),
        None => store.mailbox(user_id)?.well_known_id("drafts"),
    };
    let id = store.put_message(user_id, &folder_id, data, attachments, req.now)?;
    Ok(Reply::created(render_one(store, user_id, &id, req)?))
}

fn update(store: &mut Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let data = check_body(&body, MESSAGE_WRITABLE, "message")?;
    if data.contains_key("attachments") {
        return Err(GraphError::invalid_request("Attachments are added with POST .../attachments, not with PATCH."));
    }
    let mb = store.mailbox_mut(user_id)?;
    let i = mb.message_index(id)?;
    let is_draft = mb.messages[i].data.get("isDraft") == Some(&Value::Bool(true));
    if !is_draft && let Some(k) = data.keys().find(|k| !UPDATABLE_WHEN_SENT.contains(&k.as_str())) {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidPropertyUpdateSentMessage",
            format!("Update operation of property '{k}' is not valid for a message that has been sent."),
        ));
    }
    for (k, v) in data {
        mb.messages[i].data.insert(k, v);
    }
    store.touch_message(user_id, id, req.now)?;
    Ok(Reply::ok(render_one(store, user_id, id, req)?))
}

fn destination(req: &Req) -> ApiResult<String> {
    let body = action_params(req.body, &["destinationId"])?;
    for k in body.keys() {
        if k != "destinationId" {
            return Err(GraphError::body_read(format!(
                "The parameter '{k}' in the request payload is not a valid parameter for the operation."
            )));
        }
    }
    body.get("destinationId")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| GraphError::invalid_request("The destinationId parameter is required."))
}

fn move_or_copy(store: &mut Store, user_id: &str, id: &str, req: &Req, copy: bool) -> ApiResult<Reply> {
    let dest = destination(req)?;
    store.mailbox(user_id)?.message_index(id)?;
    let new_id = if copy {
        store.copy_message(user_id, id, &dest, req.now)?
    } else {
        store.move_message(user_id, id, &dest, req.prefs.immutable_id, req.now)?
    };
    Ok(Reply::created(render_one(store, user_id, &new_id, req)?))
}

fn send_draft(store: &mut Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    let mb = store.mailbox(user_id)?;
    let m = &mb.messages[mb.message_index(id)?];
    if m.data.get("isDraft") != Some(&Value::Bool(true)) {
        return Err(GraphError::invalid_request("Only a draft message can be sent."));
    }
    let (mut data, attachments) = (m.data.clone(), m.attachments.clone());
    let mut rcpts = addresses(data.get("toRecipients"));
    rcpts.extend(addresses(data.get("ccRecipients")));
    rcpts.extend(addresses(data.get("bccRecipients")));
    if rcpts.is_empty() {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRecipients",
            "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
        ));
    }
    for k in ["createdDateTime", "lastModifiedDateTime", "receivedDateTime", "sentDateTime"] {
        data.remove(k);
    }
    let now = req.now;
    store.remove_message(user_id, id)?;
    store.send_message(user_id, data, attachments, true, now)?;
    Ok(Reply::accepted())
}

/// `POST /me/sendMail` with `{"message": {...}, "saveToSentItems": bool}`.
pub(crate) fn send_mail(store: &mut Store, user_id: &str, req: &Req) -> ApiResult<Reply> {
    let body = action_params(req.body, &["message", "saveToSentItems"])?;
    let mut save = true;
    let mut message = None;
    for (k, v) in &body {
        match k.as_str() {
            "message" => message = Some(v),
            "saveToSentItems" => {
                save = match v {
                    Value::Bool(b) => *b,
                    Value::Null => true,
                    _ => {
                        return Err(GraphError::body_read(
                            "Cannot convert the value of 'saveToSentItems' to 'Edm.Boolean'.",
                        ));
                    }
                }
            }
            other => {
                return Err(GraphError::body_read(format!(
                    "The parameter '{other}' in the request payload is not a valid parameter for the operation 'sendMail'."
                )));
            }
        }
    }
    let Some(Value::Object(msg)) = message else {
        return Err(GraphError::invalid_request("The 'message' parameter is required and must be an object."));
    };
    let mut data = check_body(msg, MESSAGE_WRITABLE, "message")?;
    let attachments = take_attachments(store, &mut data, req)?;
    store.send_message(user_id, data, attachments, save, req.now)?;
    Ok(Reply::accepted())
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Reply,
    ReplyAll,
    Forward,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn prefixed(subject: &str, prefix: &str) -> String {
    let lower = subject.to_ascii_lowercase();
    let p = prefix.to_ascii_lowercase();
    if lower.starts_with(&p) { subject.to_owned() } else { format!("{prefix}{subject}") }
}

fn person(v: Option<&Value>) -> String {
    let name = v.and_then(|r| r["emailAddress"]["name"].as_str()).unwrap_or_default();
    let addr = v.and_then(|r| r["emailAddress"]["address"].as_str()).unwrap_or_default();
    format!("{} &lt;{}&gt;", escape(name), escape(addr))
}

/// reply / replyAll / forward, sent at once (`send`) or saved as a draft (`create...`).
fn respond(store: &mut Store, user_id: &str, id: &str, req: &Req, kind: Kind, send: bool) -> ApiResult<Reply> {
    let body = action_params(req.body, &["comment", "message", "toRecipients"])?;
    let mut comment = String::new();
    let mut overrides = Obj::new();
    let mut to_override: Option<Value> = None;
    for (k, v) in &body {
        match k.as_str() {
            "comment" => comment = v.as_str().unwrap_or_default().to_owned(),
            "message" => {
                let obj = v.as_object().ok_or_else(|| GraphError::body_read("'message' must be an object."))?;
                overrides = check_body(obj, MESSAGE_WRITABLE, "message")?;
            }
            "toRecipients" if kind == Kind::Forward => {
                let checked =
                    check_body(&Map::from_iter([("toRecipients".to_owned(), v.clone())]), MESSAGE_WRITABLE, "message")?;
                to_override = checked.get("toRecipients").cloned();
            }
            other => {
                return Err(GraphError::body_read(format!(
                    "The parameter '{other}' in the request payload is not a valid parameter for the operation."
                )));
            }
        }
    }
    let me = store.users.iter().find(|u| u.id == user_id).cloned().ok_or_else(GraphError::item_not_found)?;
    let mb = store.mailbox(user_id)?;
    let orig = mb.messages[mb.message_index(id)?].clone();
    let od = &orig.data;
    let subject = od.get("subject").and_then(Value::as_str).unwrap_or_default();
    let not_me = |r: &&Value| r["emailAddress"]["address"].as_str().is_none_or(|a| !a.eq_ignore_ascii_case(&me.mail));
    let (to, cc) = match kind {
        Kind::Reply | Kind::ReplyAll => {
            let reply_to = od.get("replyTo").and_then(Value::as_array).filter(|a| !a.is_empty()).cloned();
            let mut to: Vec<Value> = reply_to.unwrap_or_else(|| od.get("from").cloned().into_iter().collect());
            let mut cc = Vec::new();
            if kind == Kind::ReplyAll {
                if let Some(list) = od.get("toRecipients").and_then(Value::as_array) {
                    to.extend(list.iter().filter(not_me).cloned());
                }
                if let Some(list) = od.get("ccRecipients").and_then(Value::as_array) {
                    cc.extend(list.iter().filter(not_me).cloned());
                }
            }
            // A reply to one's own message goes to its recipients.
            if to.iter().all(|r| !not_me(&r)) && kind == Kind::Reply {
                to = od.get("toRecipients").and_then(Value::as_array).cloned().unwrap_or_default();
            }
            (Value::Array(to), Value::Array(cc))
        }
        Kind::Forward => (to_override.clone().unwrap_or(json!([])), json!([])),
    };
    let prefix = if kind == Kind::Forward { "FW: " } else { "RE: " };
    let orig_content = od
        .get("body")
        .map(|b| {
            let c = b["content"].as_str().unwrap_or_default();
            if b["contentType"] == "html" { c.to_owned() } else { format!("<pre>{}</pre>", escape(c)) }
        })
        .unwrap_or_default();
    let quoted = format!(
        "<html><body><div>{}</div><hr><div><b>From:</b> {}<br><b>Sent:</b> {}<br><b>To:</b> {}<br><b>Subject:</b> {}</div>{}</body></html>",
        escape(&comment),
        person(od.get("from")),
        od.get("sentDateTime").and_then(Value::as_str).unwrap_or_default(),
        od.get("toRecipients")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|r| person(Some(r))).collect::<Vec<_>>().join("; "))
            .unwrap_or_default(),
        escape(subject),
        orig_content
    );
    let index = store.reply_index(od.get("conversationIndex").and_then(Value::as_str).unwrap_or_default(), req.now);
    let mut data = Obj::new();
    data.insert("subject".into(), json!(prefixed(subject, prefix)));
    data.insert("body".into(), json!({"contentType": "html", "content": quoted}));
    data.insert("toRecipients".into(), to);
    data.insert("ccRecipients".into(), cc);
    data.insert("conversationId".into(), od.get("conversationId").cloned().unwrap_or(Value::Null));
    use base64::Engine;
    data.insert("conversationIndex".into(), json!(base64::engine::general_purpose::STANDARD.encode(index)));
    data.insert("from".into(), recipient(&me.display_name, &me.mail));
    for (k, v) in overrides {
        if k != "attachments" {
            data.insert(k, v);
        }
    }
    let mut attachments = Vec::new();
    if kind == Kind::Forward {
        for a in &orig.attachments {
            let mut copy = a.clone();
            copy.id = store.ids.next(crate::state::ids::IdKind::Attachment);
            attachments.push(copy);
        }
    }
    if send {
        store.send_message(user_id, data, attachments, true, req.now)?;
        Ok(Reply::accepted())
    } else {
        data.insert("isDraft".into(), json!(true));
        data.insert("isRead".into(), json!(true));
        let drafts = store.mailbox(user_id)?.well_known_id("drafts");
        let new_id = store.put_message(user_id, &drafts, data, attachments, req.now)?;
        Ok(Reply::created(render_one(store, user_id, &new_id, req)?))
    }
}

fn mime(store: &Store, user_id: &str, id: &str) -> ApiResult<Reply> {
    let mb = store.mailbox(user_id)?;
    let m = &mb.messages[mb.message_index(id)?];
    let d = &m.data;
    let person = |v: Option<&Value>| {
        let name = v.and_then(|r| r["emailAddress"]["name"].as_str()).unwrap_or_default();
        let addr = v.and_then(|r| r["emailAddress"]["address"].as_str()).unwrap_or_default();
        format!("{name} <{addr}>")
    };
    let list = |k: &str| {
        d.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|r| person(Some(r))).collect::<Vec<_>>().join(", "))
            .unwrap_or_default()
    };
    let date = d
        .get("sentDateTime")
        .and_then(Value::as_str)
        .and_then(crate::time::parse_instant)
        .map(|t| t.to_rfc2822())
        .unwrap_or_default();
    let ct =
        if d.get("body").and_then(|b| b["contentType"].as_str()) == Some("html") { "text/html" } else { "text/plain" };
    let content = d.get("body").and_then(|b| b["content"].as_str()).unwrap_or_default();
    let mime = format!(
        "From: {}\r\nTo: {}\r\nCc: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: {}\r\nMIME-Version: 1.0\r\nContent-Type: {ct}; charset=\"utf-8\"\r\n\r\n{}\r\n",
        person(d.get("from")),
        list("toRecipients"),
        list("ccRecipients"),
        d.get("subject").and_then(Value::as_str).unwrap_or_default(),
        date,
        d.get("internetMessageId").and_then(Value::as_str).unwrap_or_default(),
        content
    );
    Ok(Reply::bytes("text/plain", mime.into_bytes()))
}

fn attachment_index(m: &MessageRec, aid: &str) -> ApiResult<usize> {
    m.attachments.iter().position(|a| a.id == aid).ok_or_else(|| {
        if crate::state::ids::is_well_formed(aid) { GraphError::item_not_found() } else { GraphError::id_malformed() }
    })
}

fn list_attachments(store: &Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(ATTACHMENT_PROPS, "attachment")?;
    let mb = store.mailbox(user_id)?;
    let m = &mb.messages[mb.message_index(id)?];
    let items = m.attachments.iter().map(render_attachment).collect();
    let listing = Listing {
        query: &req.query,
        props: ATTACHMENT_PROPS,
        context: req.context(&format!("users('{user_id}')/messages('{id}')/attachments")),
        link_base: &req.link_base(),
        prefer_max: req.prefs.max_page_size,
        default_page: 100,
        max_page: 1000,
    };
    Ok(Reply::ok(listing.render(items)))
}

fn get_attachment(store: &Store, user_id: &str, id: &str, aid: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(ATTACHMENT_PROPS, "attachment")?;
    let mb = store.mailbox(user_id)?;
    let m = &mb.messages[mb.message_index(id)?];
    let a = &m.attachments[attachment_index(m, aid)?];
    let v = apply_select(render_attachment(a), req.query.select.as_deref(), ATTACHMENT_PROPS);
    Ok(Reply::ok(with_context(v, req.context(&format!("users('{user_id}')/messages('{id}')/attachments/$entity")))))
}

fn attachment_value(store: &Store, user_id: &str, id: &str, aid: &str) -> ApiResult<Reply> {
    let mb = store.mailbox(user_id)?;
    let m = &mb.messages[mb.message_index(id)?];
    let a = &m.attachments[attachment_index(m, aid)?];
    let ct = a.data.get("contentType").and_then(Value::as_str).unwrap_or("application/octet-stream").to_owned();
    Ok(Reply::bytes(&ct, a.content.clone()).with_header(
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{}\"", a.data.get("name").and_then(Value::as_str).unwrap_or("attachment")),
    ))
}

fn add_attachment(store: &mut Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    store.mailbox(user_id)?.message_index(id)?;
    let body = json_object(req.body)?;
    let att = parse_attachment(store, &Value::Object(body), req.now)?;
    let rendered = render_attachment(&att);
    let mb = store.mailbox_mut(user_id)?;
    let i = mb.message_index(id)?;
    mb.messages[i].attachments.push(att);
    store.touch_message(user_id, id, req.now)?;
    Ok(Reply::created(with_context(
        rendered,
        req.context(&format!("users('{user_id}')/messages('{id}')/attachments/$entity")),
    )))
}

fn delete_attachment(store: &mut Store, user_id: &str, id: &str, aid: &str, req: &Req) -> ApiResult<Reply> {
    let mb = store.mailbox_mut(user_id)?;
    let i = mb.message_index(id)?;
    let j = attachment_index(&mb.messages[i], aid)?;
    mb.messages[i].attachments.remove(j);
    store.touch_message(user_id, id, req.now)?;
    Ok(Reply::no_content())
}
