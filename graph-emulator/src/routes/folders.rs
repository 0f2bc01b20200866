//! Mail folders: list (top level and `childFolders`, with
//! `$expand=childFolders`), get by id or well-known name, create, rename,
//! delete, and the messages inside them.
//!
//! Graph docs: <https://learn.microsoft.com/graph/api/resources/mailfolder>.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::odata::{Listing, apply_select};
use crate::routes::{Reply, Req, mail, with_context};
use crate::state::ids::IdKind;
use crate::state::schema::{Kind, check_body, json_object};
use crate::state::store::{FolderRec, Mailbox, Store};

/// Properties of `microsoft.graph.mailFolder`.
pub(crate) const FOLDER_PROPS: &[&str] = &[
    "id",
    "displayName",
    "parentFolderId",
    "childFolderCount",
    "unreadItemCount",
    "totalItemCount",
    "sizeInBytes",
    "isHidden",
    "wellKnownName",
    "childFolders",
    "messages",
    "messageRules",
    "singleValueExtendedProperties",
    "multiValueExtendedProperties",
];

const FOLDER_WRITABLE: &[(&str, Kind)] = &[
    ("displayName", Kind::Str),
    ("isHidden", Kind::Bool),
    ("id", Kind::Ignored),
    ("parentFolderId", Kind::Ignored),
    ("childFolderCount", Kind::Ignored),
    ("unreadItemCount", Kind::Ignored),
    ("totalItemCount", Kind::Ignored),
    ("sizeInBytes", Kind::Ignored),
];

/// A folder as Graph returns it, with its counts.
pub(crate) fn render_folder(mb: &Mailbox, f: &FolderRec) -> Value {
    let msgs = mb.messages.iter().filter(|m| m.folder_id == f.id);
    let (mut total, mut unread, mut size) = (0u64, 0u64, 0u64);
    for m in msgs {
        total += 1;
        if m.data.get("isRead") == Some(&Value::Bool(false)) {
            unread += 1;
        }
        size += 1024 + m.attachments.iter().map(|a| a.content.len() as u64).sum::<u64>();
    }
    let children = mb.folders.iter().filter(|c| c.parent_id.as_deref() == Some(f.id.as_str())).count();
    json!({
        "id": f.id,
        "displayName": f.display_name,
        "parentFolderId": f.parent_id.clone().unwrap_or_else(|| f.id.clone()),
        "childFolderCount": children,
        "unreadItemCount": unread,
        "totalItemCount": total,
        "sizeInBytes": size,
        "isHidden": f.is_hidden,
    })
}

/// Routes `mailFolders/...`, following `childFolders/{id}` chains.
pub(crate) fn route(store: &mut Store, user_id: &str, tail: &[&str], req: &Req) -> ApiResult<Reply> {
    let Some((first, mut rest)) = tail.split_first() else {
        return match req.method {
            Method::GET => list(store, user_id, None, req),
            Method::POST => create(store, user_id, None, req),
            _ => Err(GraphError::method_not_allowed()),
        };
    };
    if *first == "delta" {
        return Err(GraphError::new(
            StatusCode::NOT_IMPLEMENTED,
            "NotImplemented",
            "Folder delta (mailFolders/delta) is not implemented by msgraph-emulator; message delta per folder is.",
        ));
    }
    let mb = store.mailbox(user_id)?;
    let mut folder_id = mb.folder(first)?.id.clone();
    while let ["childfolders", child, more @ ..] = rest {
        let c = mb.folder(child)?;
        if c.parent_id.as_deref() != Some(folder_id.as_str()) {
            return Err(GraphError::item_not_found());
        }
        folder_id = c.id.clone();
        rest = more;
    }
    match rest {
        [] => match req.method {
            Method::GET => get(store, user_id, &folder_id, req),
            Method::PATCH => update(store, user_id, &folder_id, req),
            Method::DELETE => delete(store, user_id, &folder_id),
            _ => Err(GraphError::method_not_allowed()),
        },
        ["childfolders"] => match req.method {
            Method::GET => list(store, user_id, Some(&folder_id), req),
            Method::POST => create(store, user_id, Some(&folder_id), req),
            _ => Err(GraphError::method_not_allowed()),
        },
        ["messages", more @ ..] => mail::messages(store, user_id, Some(&folder_id), more, req),
        [other, ..] => Err(GraphError::segment_not_found(other)),
    }
}

fn list(store: &Store, user_id: &str, parent: Option<&str>, req: &Req) -> ApiResult<Reply> {
    let q = &req.query;
    q.validate(FOLDER_PROPS, "mailFolder")?;
    let mb = store.mailbox(user_id)?;
    let parent_id = parent.map(str::to_owned).unwrap_or_else(|| mb.root_id());
    let include_hidden = q.param("includeHiddenFolders").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut folders: Vec<&FolderRec> = mb
        .folders
        .iter()
        .filter(|f| f.parent_id.as_deref() == Some(parent_id.as_str()) && (include_hidden || !f.is_hidden))
        .collect();
    folders.sort_by_key(|f| f.display_name.to_lowercase());
    let expand = q.expands("childFolders");
    let items = folders
        .into_iter()
        .map(|f| {
            let mut v = render_folder(mb, f);
            if expand {
                let kids: Vec<Value> = mb
                    .folders
                    .iter()
                    .filter(|c| c.parent_id.as_deref() == Some(f.id.as_str()))
                    .map(|c| render_folder(mb, c))
                    .collect();
                v["childFolders"] = Value::Array(kids);
            }
            v
        })
        .collect();
    let context = match parent {
        Some(p) => req.context(&format!("users('{user_id}')/mailFolders('{p}')/childFolders")),
        None => req.context(&format!("users('{user_id}')/mailFolders")),
    };
    let listing = Listing {
        query: q,
        props: FOLDER_PROPS,
        context,
        link_base: &req.link_base(),
        prefer_max: req.prefs.max_page_size,
        default_page: 10,
        max_page: 1000,
    };
    Ok(Reply::ok(listing.render(items)))
}

fn render_one(store: &Store, user_id: &str, folder_id: &str, req: &Req) -> ApiResult<Value> {
    let mb = store.mailbox(user_id)?;
    let f = mb.folder(folder_id)?;
    let mut v = render_folder(mb, f);
    if req.query.expands("childFolders") {
        let kids: Vec<Value> = mb
            .folders
            .iter()
            .filter(|c| c.parent_id.as_deref() == Some(f.id.as_str()))
            .map(|c| render_folder(mb, c))
            .collect();
        v["childFolders"] = Value::Array(kids);
    }
    let v = apply_select(v, req.query.select.as_deref(), FOLDER_PROPS);
    Ok(with_context(v, req.context(&format!("users('{user_id}')/mailFolders/$entity"))))
}

fn get(store: &Store, user_id: &str, folder_id: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(FOLDER_PROPS, "mailFolder")?;
    Ok(Reply::ok(render_one(store, user_id, folder_id, req)?))
}

fn create(store: &mut Store, user_id: &str, parent: Option<&str>, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let data = check_body(&body, FOLDER_WRITABLE, "mailFolder")?;
    let name = data.get("displayName").and_then(Value::as_str).map(str::trim).unwrap_or_default().to_owned();
    if name.is_empty() {
        return Err(GraphError::invalid_request("The displayName property is required."));
    }
    let hidden = data.get("isHidden") == Some(&Value::Bool(true));
    let mb = store.mailbox(user_id)?;
    let parent_id = parent.map(str::to_owned).unwrap_or_else(|| mb.root_id());
    if mb
        .folders
        .iter()
        .any(|f| f.parent_id.as_deref() == Some(parent_id.as_str()) && f.display_name.eq_ignore_ascii_case(&name))
    {
        return Err(GraphError::new(
            StatusCode::CONFLICT,
            "ErrorFolderExists",
            "A folder with the specified name already exists.",
        ));
    }
    let id = store.ids.next(IdKind::Folder);
    store.next_seq();
    store.mailbox_mut(user_id)?.folders.push(FolderRec {
        id: id.clone(),
        display_name: name,
        parent_id: Some(parent_id),
        well_known: None,
        is_hidden: hidden,
    });
    Ok(Reply::created(render_one(store, user_id, &id, req)?))
}

fn update(store: &mut Store, user_id: &str, folder_id: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let data = check_body(&body, FOLDER_WRITABLE, "mailFolder")?;
    if data.contains_key("isHidden") {
        return Err(GraphError::invalid_request("isHidden can only be set when the folder is created."));
    }
    let mb = store.mailbox_mut(user_id)?;
    let Some(f) = mb.folders.iter_mut().find(|f| f.id == folder_id) else { return Err(GraphError::item_not_found()) };
    if let Some(name) = data.get("displayName").and_then(Value::as_str) {
        if f.well_known.is_some() {
            return Err(GraphError::invalid_request("A well-known folder cannot be renamed."));
        }
        f.display_name = name.to_owned();
    }
    Ok(Reply::ok(render_one(store, user_id, folder_id, req)?))
}

/// Graph moves a deleted folder to Deleted Items; deleting it there removes it.
fn delete(store: &mut Store, user_id: &str, folder_id: &str) -> ApiResult<Reply> {
    let mb = store.mailbox(user_id)?;
    let f = mb.folder(folder_id)?;
    if f.well_known.is_some() {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorDeleteDistinguishedFolder",
            "Distinguished folders cannot be deleted.",
        ));
    }
    let deleted_items = mb.well_known_id("deleteditems");
    let in_deleted = mb.subtree(&deleted_items).contains(&f.id);
    if !in_deleted {
        let mb = store.mailbox_mut(user_id)?;
        if let Some(f) = mb.folders.iter_mut().find(|f| f.id == folder_id) {
            f.parent_id = Some(deleted_items);
        }
        return Ok(Reply::no_content());
    }
    let doomed = mb.subtree(folder_id);
    let ids: Vec<String> = mb.messages.iter().filter(|m| doomed.contains(&m.folder_id)).map(|m| m.id.clone()).collect();
    for id in ids {
        store.remove_message(user_id, &id)?;
    }
    store.mailbox_mut(user_id)?.folders.retain(|f| !doomed.contains(&f.id));
    Ok(Reply::no_content())
}
