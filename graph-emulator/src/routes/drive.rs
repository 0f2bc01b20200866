//! OneDrive over Graph: drives (`/me/drive`, `/users/{id}/drive`,
//! `/drives/{id}`, `/me/drives`), items by id and by path
//! (`root:/Documents/report.pdf:`, `items/{id}:/sub/path:`), special folders,
//! children, content (302 to a pre-authenticated URL; simple upload), upload
//! sessions, create/update/move/delete/restore, copy with a monitor, search,
//! sharing links and permissions, versions, thumbnails and delta.
//!
//! Paths are parsed again from the raw request path: path-based addressing
//! (`:/a/b:`) and function calls (`search(q='...')`, `delta(token='...')`)
//! do not follow the `/segment/` rules of the rest of Graph. Each path
//! component is percent-decoded on its own, so `%2F` stays inside a name.
//!
//! Graph docs: <https://learn.microsoft.com/graph/api/resources/onedrive>.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value, json};

use crate::context::{Ctx, Shared, lock};
use crate::errors::{ApiResult, GraphError};
use crate::odata::apply_select;
use crate::routes::response::to_response;
use crate::routes::upload::reject_authorization;
use crate::routes::{Body, Reply, Req, with_context};
use crate::state::auth::Principal;
use crate::state::drive::{
    Conflict, DRIVE_PROPS, DRIVE_TOTAL, DRIVEITEM_PROPS, DeltaEntry, DeltaToken, DriveRec, DriveUploadTarget, LinkRec,
    Lookup, PermissionRec, SIMPLE_UPLOAD_LIMIT, Since, View, access_denied, check_name, ensure_all_drives,
    ensure_drive, invalid_request, item_not_found, name_exists, personal_segment, resource_modified, scale, select,
    verify,
};
use crate::state::drive_content::gradient_png;
use crate::state::schema::{action_params, json_object};
use crate::state::store::Store;
use crate::state::upload::{UploadKind, UploadTarget, format_expiry, preauth_origin, upload_url};
use crate::time::{format_utc, parse_instant};

// ---------------------------------------------------------------------------- path tokens

/// A piece of a drive path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// `/name/`, percent-decoded.
    Seg(String),
    /// `:/a/b:`, each component percent-decoded.
    Path(Vec<String>),
    /// `name(arg='value')`: lowercase name, the argument's value.
    Call(String, Option<String>),
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Splits a raw (percent-encoded) path into tokens.
fn tokens(raw: &str) -> ApiResult<Vec<Tok>> {
    let mut rest = raw.trim_start_matches('/');
    if rest.len() >= 5 && rest[..5].eq_ignore_ascii_case("v1.0/") {
        rest = &rest[5..];
    }
    let mut out = Vec::new();
    while !rest.is_empty() {
        let lower = rest.to_ascii_lowercase();
        if let Some(name) = ["search(", "delta("].iter().find(|p| lower.starts_with(*p)) {
            let decoded = decode(&rest[name.len()..]);
            out.push(call(&name[..name.len() - 1], &decoded)?);
            break;
        }
        let end = rest.find(['/', ':']).unwrap_or(rest.len());
        if end > 0 {
            out.push(Tok::Seg(decode(&rest[..end])));
        }
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix(':') {
            let (path, tail) = match after.find(':') {
                Some(i) => (&after[..i], &after[i + 1..]),
                None => (after, ""),
            };
            out.push(Tok::Path(path.split('/').filter(|c| !c.is_empty()).map(decode).collect()));
            rest = tail;
        }
        rest = rest.trim_start_matches('/');
    }
    Ok(out)
}

/// Parses `q='it''s')` (what follows `name(`).
fn call(name: &str, args: &str) -> ApiResult<Tok> {
    let bad = || GraphError::bad_request(format!("Invalid function call syntax: {name}({args}"));
    let body = args.trim_end_matches('/');
    let Some(close) = body.rfind(')') else {
        return Err(bad());
    };
    if !body[close + 1..].trim().is_empty() {
        return Err(bad());
    }
    let inner = body[..close].trim();
    if inner.is_empty() {
        return Ok(Tok::Call(name.to_owned(), None));
    }
    let value = match inner.split_once('=') {
        Some((k, v)) if k.trim().chars().all(|c| c.is_ascii_alphanumeric()) && !k.trim().is_empty() => v.trim(),
        _ => inner,
    };
    let value = if value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'') {
        let quoted = &value[1..value.len() - 1];
        // OData doubles a quote inside a string literal.
        if quoted.replace("''", "").contains('\'') {
            return Err(bad());
        }
        quoted.replace("''", "'")
    } else {
        value.to_owned()
    };
    Ok(Tok::Call(name.to_owned(), Some(value)))
}

fn is(t: &Tok, word: &str) -> bool {
    matches!(t, Tok::Seg(s) if s.eq_ignore_ascii_case(word))
}

// ---------------------------------------------------------------------------- entry points

fn me(principal: &Principal) -> Option<&str> {
    match principal {
        Principal::User(u) => Some(u),
        Principal::App(_) => None,
    }
}

/// `/me/drive...`, `/me/drives`, `/users/{id}/drive...`, `/users/{id}/drives`.
pub(crate) fn route_user(store: &mut Store, principal: &Principal, owner: &str, req: &Req) -> ApiResult<Reply> {
    let toks = tokens(&req.path)?;
    let start = toks.iter().position(|t| is(t, "drive") || is(t, "drives")).unwrap_or(toks.len());
    let rest = &toks[start..];
    match rest {
        [d] if is(d, "drives") => {
            get_only(req)?;
            let di = ensure_drive(store, owner)?;
            let v = view_of(store, req);
            let items = vec![v.drive(&store.drive.drives[di])];
            let body = json!({"@odata.context": req.context("drives"), "value": items});
            Ok(Reply::ok(body))
        }
        [d, tail @ ..] if is(d, "drive") => {
            // Another user's drive: its metadata, and what they shared (checked per item).
            let di = ensure_drive(store, owner)?;
            on_drive(store, principal, di, tail, req)
        }
        _ => Err(GraphError::segment_not_found("drive")),
    }
}

/// `/drives` and `/drives/{drive-id}/...`.
pub(crate) fn route_drives(store: &mut Store, principal: &Principal, req: &Req) -> ApiResult<Reply> {
    let toks = tokens(&req.path)?;
    match toks.as_slice() {
        [d] if is(d, "drives") => {
            get_only(req)?;
            match me(principal) {
                Some(u) => {
                    let u = u.to_owned();
                    ensure_drive(store, &u)?;
                }
                None => ensure_all_drives(store),
            }
            let v = view_of(store, req);
            let mine = me(principal);
            let items: Vec<Value> = store
                .drive
                .drives
                .iter()
                .filter(|d| mine.is_none_or(|u| d.owner_id == u))
                .map(|d| v.drive(d))
                .collect();
            Ok(Reply::ok(json!({"@odata.context": req.context("drives"), "value": items})))
        }
        [d, Tok::Seg(id), tail @ ..] if is(d, "drives") => {
            ensure_all_drives(store);
            let di = store.drive.by_id(id).ok_or_else(|| {
                GraphError::new(StatusCode::NOT_FOUND, "itemNotFound", format!("The drive '{id}' does not exist."))
            })?;
            on_drive(store, principal, di, tail, req)
        }
        _ => Err(GraphError::segment_not_found("drives")),
    }
}

fn get_only(req: &Req) -> ApiResult<()> {
    if req.method == Method::GET { Ok(()) } else { Err(GraphError::method_not_allowed()) }
}

fn view_of<'a>(store: &'a Store, req: &'a Req) -> ViewOwned<'a> {
    ViewOwned { preauth: preauth_origin(&req.origin), store, req }
}

/// A [`View`] with its pre-authenticated origin owned.
struct ViewOwned<'a> {
    preauth: String,
    store: &'a Store,
    req: &'a Req<'a>,
}

impl ViewOwned<'_> {
    fn get(&self) -> View<'_> {
        View { preauth: &self.preauth, key: self.store.drive.key, users: &self.store.users, now: self.req.now }
    }

    fn drive(&self, d: &DriveRec) -> Value {
        self.get().drive(d)
    }
}

/// Who is asking, and may they (read or write) this item?
fn check(d: &DriveRec, principal: &Principal, id: &str, write: bool, now: DateTime<Utc>) -> ApiResult<()> {
    match me(principal) {
        Some(u) if !d.allows(id, u, write, now) => Err(access_denied()),
        _ => Ok(()),
    }
}

/// The user a change is recorded as (app-only: the drive's owner).
fn actor(principal: &Principal, d: &DriveRec) -> String {
    me(principal).map(str::to_owned).unwrap_or_else(|| d.owner_id.clone())
}

fn header<'a>(req: &'a Req, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

fn if_match(req: &Req, d: &DriveRec, id: &str) -> ApiResult<()> {
    match (header(req, "if-match"), d.items.get(id)) {
        (Some(tag), Some(item)) if !item.matches_tag(tag) => Err(resource_modified()),
        _ => Ok(()),
    }
}

fn not_modified(req: &Req, d: &DriveRec, id: &str) -> bool {
    matches!((header(req, "if-none-match"), d.items.get(id)), (Some(tag), Some(item)) if item.matches_tag(tag))
}

fn conflict_param(req: &Req, body: Option<&Map<String, Value>>, default: Conflict) -> ApiResult<Conflict> {
    let from_body = body.and_then(|b| b.get("@microsoft.graph.conflictBehavior")).and_then(Value::as_str);
    Conflict::parse(from_body.or_else(|| req.query.param("@microsoft.graph.conflictBehavior")), default)
}

// ---------------------------------------------------------------------------- a drive

/// An item addressed by a request.
enum Target {
    /// An existing item; `true` when it was addressed by path.
    Item(String, bool),
    /// A path below an existing folder that does not exist (yet).
    Missing { parent: String, rest: Vec<String> },
}

/// Reads `root`, `items/{id}` or `special/{name}` and an optional `:/path:`.
fn item_target<'t>(
    store: &mut Store,
    principal: &Principal,
    di: usize,
    toks: &'t [Tok],
    now: DateTime<Utc>,
) -> ApiResult<Option<(Target, &'t [Tok])>> {
    let (base, rest) = match toks {
        [r, rest @ ..] if is(r, "root") => (store.drive.drives[di].root_id.clone(), rest),
        [i, Tok::Seg(id), rest @ ..] if is(i, "items") => {
            let d = &store.drive.drives[di];
            let id = if id.eq_ignore_ascii_case("root") { d.root_id.clone() } else { id.clone() };
            (id, rest)
        }
        [s, Tok::Seg(name), rest @ ..] if is(s, "special") => {
            let by = actor(principal, &store.drive.drives[di]);
            if me(principal).is_some_and(|u| u != store.drive.drives[di].owner_id) {
                return Err(access_denied());
            }
            (store.drive.drives[di].special(name, &by, now)?, rest)
        }
        _ => return Ok(None),
    };
    let d = &store.drive.drives[di];
    match rest {
        [Tok::Path(comps), tail @ ..] => match d.resolve(&base, comps)? {
            Lookup::Found(id) => Ok(Some((Target::Item(id, true), tail))),
            Lookup::Missing { parent, rest } => Ok(Some((Target::Missing { parent, rest }, tail))),
        },
        _ => {
            // An id of an item in the recycle bin is found only by restore.
            if d.live(&base).is_none() && !(rest.len() == 1 && is(&rest[0], "restore")) {
                return Err(item_not_found());
            }
            Ok(Some((Target::Item(base, false), rest)))
        }
    }
}

fn on_drive(store: &mut Store, principal: &Principal, di: usize, toks: &[Tok], req: &Req) -> ApiResult<Reply> {
    let m = &req.method;
    match toks {
        [] => {
            get_only(req)?;
            req.query.validate(DRIVE_PROPS, "drive")?;
            let d = &store.drive.drives[di];
            let v = view_of(store, req);
            let body = apply_select(v.drive(d), req.query.select.as_deref(), DRIVE_PROPS);
            Ok(Reply::ok(with_context(body, req.context("drives/$entity"))))
        }
        [Tok::Call(c, q)] if c == "search" => {
            get_only(req)?;
            search(store, principal, di, None, q.as_deref().unwrap_or_default(), req)
        }
        [s] if is(s, "sharedwithme") => {
            get_only(req)?;
            shared_with_me(store, principal, di, req)
        }
        [s] if is(s, "recent") => {
            get_only(req)?;
            recent(store, principal, di, req)
        }
        [i] if is(i, "items") => Err(invalid_request("List the items of a drive through root/children or delta.")),
        _ => {
            let Some((target, tail)) = item_target(store, principal, di, toks, req.now)? else {
                let first = match toks.first() {
                    Some(Tok::Seg(s)) => s.clone(),
                    _ => String::new(),
                };
                return Err(GraphError::segment_not_found(&first));
            };
            match target {
                Target::Item(id, via_path) => on_item(store, principal, di, id, via_path, tail, req),
                // Only uploads create what a path names.
                missing @ Target::Missing { .. } => match (tail, m) {
                    ([c], &Method::PUT) if is(c, "content") => put_content(store, principal, di, missing, req),
                    ([c], &Method::POST) if is(c, "createuploadsession") => {
                        create_upload_session(store, principal, di, missing, req)
                    }
                    _ => Err(item_not_found()),
                },
            }
        }
    }
}

fn on_item(
    store: &mut Store,
    principal: &Principal,
    di: usize,
    id: String,
    via_path: bool,
    tail: &[Tok],
    req: &Req,
) -> ApiResult<Reply> {
    let m = req.method.clone();
    let write = m != Method::GET && m != Method::HEAD;
    let restore_call = tail.len() == 1 && is(&tail[0], "restore");
    if !restore_call {
        check(&store.drive.drives[di], principal, &id, write, req.now)?;
    } else if me(principal).is_some_and(|u| u != store.drive.drives[di].owner_id) {
        return Err(access_denied());
    }
    match (tail, m) {
        ([], Method::GET) => get_item(store, di, &id, req),
        ([], Method::PATCH) => update_item(store, principal, di, &id, req),
        ([], Method::DELETE) => {
            let d = &mut store.drive.drives[di];
            if_match(req, d, &id)?;
            let by = actor(principal, d);
            d.delete(&id, &by, req.now)?;
            Ok(Reply::no_content())
        }
        ([c], Method::GET) if is(c, "children") => list_children(store, di, &id, req),
        ([c], Method::POST) if is(c, "children") => create_child(store, principal, di, &id, req),
        ([c], Method::GET) if is(c, "content") => get_content(store, di, &id, req),
        ([c], Method::PUT) if is(c, "content") => put_content(store, principal, di, Target::Item(id, via_path), req),
        ([c], Method::POST) if is(c, "createuploadsession") => {
            create_upload_session(store, principal, di, Target::Item(id, via_path), req)
        }
        ([c], Method::POST) if is(c, "copy") => copy(store, principal, di, &id, req),
        ([c], Method::POST) if is(c, "createlink") => create_link(store, di, &id, req),
        ([c], Method::POST) if is(c, "invite") => invite(store, di, &id, req),
        ([c], Method::POST) if is(c, "restore") => restore(store, principal, di, &id, req),
        ([c], Method::POST) if is(c, "permanentdelete") => {
            store.drive.drives[di].permanent_delete(&id, req.now)?;
            Ok(Reply::no_content())
        }
        ([c], Method::GET) if is(c, "permissions") => {
            let d = &store.drive.drives[di];
            let v = view_of(store, req);
            let list = v.get().permissions(d, d.item(&id)?);
            let list: Vec<Value> =
                list.into_iter().map(|p| apply_select(p, req.query.select.as_deref(), &["*"])).collect();
            Ok(Reply::ok(json!({"@odata.context": ctx_items(req, d, &id, "permissions"), "value": list})))
        }
        ([c, Tok::Seg(pid)], Method::GET) if is(c, "permissions") => {
            let d = &store.drive.drives[di];
            let v = view_of(store, req);
            let p = v
                .get()
                .permissions(d, d.item(&id)?)
                .into_iter()
                .find(|p| p["id"] == *pid)
                .ok_or_else(item_not_found)?;
            Ok(Reply::ok(with_context(p, ctx_items(req, d, &id, "permissions/$entity"))))
        }
        ([c, Tok::Seg(pid)], Method::DELETE) if is(c, "permissions") => delete_permission(store, di, &id, pid, req),
        ([c], Method::GET) if is(c, "versions") => {
            let d = &store.drive.drives[di];
            let v = view_of(store, req);
            let list = v.get().versions(d, d.item(&id)?);
            Ok(Reply::ok(json!({"@odata.context": ctx_items(req, d, &id, "versions"), "value": list})))
        }
        ([c, Tok::Seg(vid)], Method::GET) if is(c, "versions") => {
            let d = &store.drive.drives[di];
            let v = view_of(store, req);
            let ver =
                v.get().versions(d, d.item(&id)?).into_iter().find(|x| x["id"] == *vid).ok_or_else(item_not_found)?;
            Ok(Reply::ok(with_context(ver, ctx_items(req, d, &id, "versions/$entity"))))
        }
        ([c, Tok::Seg(vid), k], Method::GET) if is(c, "versions") && is(k, "content") => {
            let d = &store.drive.drives[di];
            let item = d.item(&id)?;
            let current = format!("{}.0", item.version);
            let label = if *vid == current {
                String::new()
            } else if item.versions.iter().any(|v| v.label == *vid) {
                vid.clone()
            } else {
                return Err(item_not_found());
            };
            let url = view_of(store, req).get().download_url(d, item, &label);
            Ok(redirect(url))
        }
        ([c, Tok::Seg(vid), k], Method::POST) if is(c, "versions") && is(k, "restoreversion") => {
            let d = &mut store.drive.drives[di];
            let item = d.item(&id)?;
            if format!("{}.0", item.version) != *vid {
                let old = item.versions.iter().find(|v| v.label == *vid).cloned().ok_or_else(item_not_found)?;
                let by = actor(principal, d);
                d.set_content(&id, old.content, Some(old.hash), None, &by, req.now)?;
            }
            Ok(Reply::no_content())
        }
        ([c, rest @ ..], Method::GET) if is(c, "thumbnails") => thumbnails(store, di, &id, rest, req),
        ([c], Method::GET) if is(c, "delta") => delta(store, principal, di, &id, None, req),
        ([Tok::Call(c, token)], Method::GET) if c == "delta" => delta(store, principal, di, &id, token.clone(), req),
        ([Tok::Call(c, q)], Method::GET) if c == "search" => {
            search(store, principal, di, Some(&id), q.as_deref().unwrap_or_default(), req)
        }
        ([], _) => Err(GraphError::method_not_allowed()),
        ([Tok::Seg(s), ..], _)
            if [
                "children",
                "content",
                "createuploadsession",
                "copy",
                "createlink",
                "invite",
                "restore",
                "permanentdelete",
                "permissions",
                "versions",
                "thumbnails",
                "delta",
            ]
            .iter()
            .any(|k| s.eq_ignore_ascii_case(k)) =>
        {
            Err(GraphError::method_not_allowed())
        }
        ([Tok::Seg(s), ..], _) => Err(GraphError::segment_not_found(s)),
        _ => Err(GraphError::bad_request("Unsupported drive item path.")),
    }
}

fn ctx_items(req: &Req, d: &DriveRec, id: &str, what: &str) -> String {
    req.context(&format!("drives('{}')/items('{id}')/{what}", d.id))
}

fn redirect(url: String) -> Reply {
    Reply { status: StatusCode::FOUND, body: Body::Empty, headers: vec![(header::LOCATION, url)] }
}

// ---------------------------------------------------------------------------- items

fn check_query(req: &Req, single: bool) -> ApiResult<()> {
    req.query.validate(DRIVEITEM_PROPS, "driveItem")?;
    for e in &req.query.expand {
        let base = e.split('(').next().unwrap_or(e).trim().to_ascii_lowercase();
        match base.as_str() {
            "thumbnails" => {}
            "children" if single => {}
            "permissions" => {
                return Err(invalid_request("The permissions relationship cannot be expanded: list it instead."));
            }
            _ => {
                return Err(GraphError::bad_request(format!(
                    "Parsing OData Select and Expand failed: Could not find a property named '{e}' on type 'microsoft.graph.driveItem'."
                )));
            }
        }
    }
    if req.query.param("skip").is_some() {
        return Err(invalid_request(
            "$skip is not supported on this API. Only URLs returned by the API can be used to page.",
        ));
    }
    Ok(())
}

/// Renders an item with the `$expand`ed relationships and `$select` applied.
fn finish(v: &View, d: &DriveRec, id: &str, req: &Req, single: bool) -> Value {
    let Some(item) = d.items.get(id) else {
        return Value::Null;
    };
    let mut out = select(v.item(d, item, false), req.query.select.as_deref());
    if req.query.expands("thumbnails") {
        out["thumbnails"] = json!(v.thumbnails(d, item));
    }
    if single && req.query.expands("children") {
        let kids: Vec<Value> = d.children(id).iter().map(|c| v.item(d, c, false)).collect();
        out["children"] = json!(kids);
    }
    out
}

fn get_item(store: &mut Store, di: usize, id: &str, req: &Req) -> ApiResult<Reply> {
    check_query(req, true)?;
    let d = &store.drive.drives[di];
    d.item(id)?;
    if not_modified(req, d, id) {
        return Ok(Reply { status: StatusCode::NOT_MODIFIED, body: Body::Empty, headers: Vec::new() });
    }
    let v = view_of(store, req);
    let body = finish(&v.get(), d, id, req, true);
    Ok(Reply::ok(with_context(body, req.context(&format!("drives('{}')/items/$entity", d.id)))))
}

const DEFAULT_PAGE: usize = 200;

/// A page of a drive collection: `$filter`/`$orderby` on rendered items,
/// `$top` (or `Prefer: odata.maxpagesize`), `@odata.nextLink` with a `$skiptoken`.
fn page(req: &Req, mut items: Vec<Value>, context: String) -> ApiResult<Value> {
    req.query.filter_and_sort(&mut items);
    let offset = match req.query.param("skiptoken") {
        None => 0,
        Some(t) => URL_SAFE_NO_PAD
            .decode(t)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("page:").and_then(|n| n.parse::<usize>().ok()))
            .ok_or_else(|| invalid_request("The $skiptoken is not valid."))?,
    };
    let size = req.query.top.or(req.prefs.max_page_size).unwrap_or(DEFAULT_PAGE).clamp(1, 1000);
    let total = items.len();
    let start = offset.min(total);
    let end = (start + size).min(total);
    let mut body = Map::new();
    body.insert("@odata.context".into(), json!(context));
    if req.query.count {
        body.insert("@odata.count".into(), json!(total));
    }
    body.insert("value".into(), Value::Array(items.into_iter().skip(start).take(end - start).collect()));
    if end < total {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &req.query.raw {
            if !k.trim_start_matches('$').eq_ignore_ascii_case("skiptoken") {
                ser.append_pair(k, v);
            }
        }
        ser.append_pair("$skiptoken", &URL_SAFE_NO_PAD.encode(format!("page:{end}")));
        body.insert("@odata.nextLink".into(), json!(format!("{}?{}", req.link_base(), ser.finish())));
    }
    Ok(Value::Object(body))
}

/// `$orderby` sorts the rendered items, so it must see every property:
/// the items are rendered whole, sorted and paged, and `$select` last.
fn listing(v: &View, d: &DriveRec, ids: &[String], req: &Req, context: String) -> ApiResult<Value> {
    let full: Vec<Value> = ids.iter().filter_map(|id| d.items.get(id)).map(|i| v.item(d, i, false)).collect();
    let mut body = page(req, full, context)?;
    if let Some(values) = body.get_mut("value").and_then(Value::as_array_mut) {
        for item in values.iter_mut() {
            let id = item["id"].as_str().unwrap_or_default().to_owned();
            *item = finish(v, d, &id, req, false);
        }
    }
    Ok(body)
}

fn list_children(store: &mut Store, di: usize, id: &str, req: &Req) -> ApiResult<Reply> {
    check_query(req, false)?;
    let d = &store.drive.drives[di];
    if !d.item(id)?.folder {
        return Ok(Reply::ok(json!({"@odata.context": ctx_items(req, d, id, "children"), "value": []})));
    }
    let ids: Vec<String> = d.children(id).iter().map(|c| c.id.clone()).collect();
    let v = view_of(store, req);
    Ok(Reply::ok(listing(&v.get(), d, &ids, req, ctx_items(req, d, id, "children"))?))
}

fn read_fs_info(v: Option<&Value>) -> ApiResult<(Option<String>, Option<String>)> {
    let Some(v) = v else { return Ok((None, None)) };
    let obj = v.as_object().ok_or_else(|| invalid_request("fileSystemInfo must be an object."))?;
    let read = |k: &str| -> ApiResult<Option<String>> {
        match obj.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => parse_instant(s)
                .map(|t| Some(format_utc(t)))
                .ok_or_else(|| invalid_request(format!("fileSystemInfo.{k} is not a date-time."))),
            Some(_) => Err(invalid_request(format!("fileSystemInfo.{k} is not a date-time."))),
        }
    };
    Ok((read("createdDateTime")?, read("lastModifiedDateTime")?))
}

fn create_child(store: &mut Store, principal: &Principal, di: usize, parent: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let conflict = conflict_param(req, Some(&body), Conflict::Fail)?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid_request("The name property is required to create an item."))?
        .to_owned();
    let folder = match (body.get("folder"), body.get("file")) {
        (Some(Value::Object(_)), None) => true,
        (None, Some(Value::Object(_))) => false,
        _ => {
            return Err(invalid_request(
                "Specify exactly one of the folder or file facets (an object) to create an item.",
            ));
        }
    };
    if body.contains_key("@microsoft.graph.sourceUrl") {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "notSupported",
            "@microsoft.graph.sourceUrl is not supported in OneDrive for Business.",
        ));
    }
    let (fs_created, fs_modified) = read_fs_info(body.get("fileSystemInfo"))?;
    let d = &mut store.drive.drives[di];
    let by = actor(principal, d);
    check_name(&name, folder)?;
    if !d.item(parent)?.folder {
        return Err(invalid_request("Items can only be created in a folder."));
    }
    let mut final_name = name.clone();
    if let Some(existing) = d.child_named(parent, &name) {
        let eid = existing.id.clone();
        match conflict {
            Conflict::Fail => return Err(name_exists(&name)),
            Conflict::Replace => d.delete(&eid, &by, req.now)?,
            Conflict::Rename => final_name = d.unique_name(parent, &name),
        }
    }
    let id = d.create(parent, &final_name, folder, &by, req.now)?;
    if let Some(item) = d.items.get_mut(&id) {
        item.description = body.get("description").and_then(Value::as_str).map(str::to_owned);
        item.fs_created = fs_created;
        item.fs_modified = fs_modified;
    }
    let d = &store.drive.drives[di];
    let v = view_of(store, req);
    let out = v.get().item(d, &d.items[&id], false);
    Ok(Reply::created(with_context(out, req.context(&format!("drives('{}')/items/$entity", d.id)))))
}

/// Where `parentReference` points: an id, or a path like
/// `/drive/root:/Documents` or `/drives/{id}/root:/Documents`.
fn parent_from_reference(d: &DriveRec, r: &Value) -> ApiResult<Option<String>> {
    let obj = r.as_object().ok_or_else(|| invalid_request("parentReference must be an object."))?;
    if let Some(drive) = obj.get("driveId").and_then(Value::as_str)
        && drive != d.id
    {
        return Err(invalid_request("Items cannot be moved between drives with this request: use copy."));
    }
    if let Some(id) = obj.get("id").and_then(Value::as_str) {
        let id = if id.eq_ignore_ascii_case("root") { d.root_id.clone() } else { id.to_owned() };
        let item = d.item(&id)?;
        if !item.folder {
            return Err(invalid_request("The new parent is not a folder."));
        }
        return Ok(Some(id));
    }
    if let Some(path) = obj.get("path").and_then(Value::as_str) {
        let lower = path.to_ascii_lowercase();
        let Some(at) = lower.find("root:") else {
            return Err(invalid_request(format!(
                "parentReference.path '{path}' is not of the form /drive/root:/folder."
            )));
        };
        let comps: Vec<String> = path[at + 5..].split('/').filter(|c| !c.is_empty()).map(decode).collect();
        let id = d.resolve_existing(&d.root_id, &comps)?;
        if !d.item(&id)?.folder {
            return Err(invalid_request("The new parent is not a folder."));
        }
        return Ok(Some(id));
    }
    Ok(None)
}

fn update_item(store: &mut Store, principal: &Principal, di: usize, id: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let conflict = conflict_param(req, Some(&body), Conflict::Fail)?;
    let d = &mut store.drive.drives[di];
    if_match(req, d, id)?;
    let by = actor(principal, d);
    let item = d.item(id)?;
    let is_root = item.parent_id.is_none();
    let folder = item.folder;
    let mut new_parent = item.parent_id.clone();
    let mut new_name = item.name.clone();
    if let Some(r) = body.get("parentReference")
        && let Some(p) = parent_from_reference(d, r)?
    {
        new_parent = Some(p);
    }
    if let Some(n) = body.get("name") {
        new_name = n.as_str().ok_or_else(|| invalid_request("name must be a string."))?.to_owned();
    }
    let (fs_created, fs_modified) = read_fs_info(body.get("fileSystemInfo"))?;
    let description = match body.get("description") {
        None => None,
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(Value::Null) => Some(None),
        Some(_) => return Err(invalid_request("description must be a string.")),
    };
    let moving = new_parent != d.items[id].parent_id || new_name != d.items[id].name;
    if is_root && moving {
        return Err(invalid_request("The root of a drive cannot be renamed or moved."));
    }
    if moving {
        check_name(&new_name, folder)?;
        let parent = new_parent.clone().unwrap_or_default();
        if d.within(&parent, id) {
            return Err(invalid_request("An item cannot be moved into itself or one of its descendants."));
        }
        if let Some(other) = d.child_named(&parent, &new_name).filter(|o| o.id != id) {
            let oid = other.id.clone();
            match conflict {
                Conflict::Fail => return Err(name_exists(&new_name)),
                Conflict::Replace => d.delete(&oid, &by, req.now)?,
                Conflict::Rename => new_name = d.unique_name(&parent, &new_name),
            }
        }
    }
    if let Some(item) = d.items.get_mut(id) {
        item.parent_id = new_parent;
        item.name = new_name;
        if let Some(desc) = description {
            item.description = desc;
        }
        if fs_created.is_some() {
            item.fs_created = fs_created;
        }
        if fs_modified.is_some() {
            item.fs_modified = fs_modified;
        }
    }
    d.touch(id, &by, req.now);
    let d = &store.drive.drives[di];
    let v = view_of(store, req);
    let out = v.get().item(d, &d.items[id], false);
    Ok(Reply::ok(with_context(out, req.context(&format!("drives('{}')/items/$entity", d.id)))))
}

fn restore(store: &mut Store, principal: &Principal, di: usize, id: &str, req: &Req) -> ApiResult<Reply> {
    let body = action_params(req.body, &["parentReference", "name"])?;
    let d = &mut store.drive.drives[di];
    let by = actor(principal, d);
    let parent = match body.get("parentReference") {
        Some(r) => parent_from_reference(d, r)?,
        None => None,
    };
    let name = body.get("name").and_then(Value::as_str);
    d.restore(id, parent.as_deref(), name, &by, req.now)?;
    let d = &store.drive.drives[di];
    let v = view_of(store, req);
    let out = v.get().item(d, &d.items[id], false);
    Ok(Reply::ok(with_context(out, req.context(&format!("drives('{}')/items/$entity", d.id)))))
}

// ---------------------------------------------------------------------------- content

fn get_content(store: &mut Store, di: usize, id: &str, req: &Req) -> ApiResult<Reply> {
    let d = &store.drive.drives[di];
    let item = d.item(id)?;
    if item.folder {
        return Err(invalid_request("Only files have content: this item is a folder."));
    }
    if not_modified(req, d, id) {
        return Ok(Reply { status: StatusCode::NOT_MODIFIED, body: Body::Empty, headers: Vec::new() });
    }
    let url = view_of(store, req).get().download_url(d, item, "");
    Ok(redirect(url))
}

fn item_reply(store: &Store, di: usize, id: &str, created: bool, origin: &str, now: DateTime<Utc>) -> Reply {
    let d = &store.drive.drives[di];
    let preauth = preauth_origin(origin);
    let v = View { preauth: &preauth, key: store.drive.key, users: &store.users, now };
    let mut out = v.item(d, &d.items[id], false);
    out["@odata.context"] = json!(format!("{origin}/v1.0/$metadata#drives('{}')/items/$entity", d.id));
    if created { Reply::created(out) } else { Reply::ok(out) }
}

fn put_content(store: &mut Store, principal: &Principal, di: usize, target: Target, req: &Req) -> ApiResult<Reply> {
    if req.body.len() > SIMPLE_UPLOAD_LIMIT {
        return Err(GraphError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requestTooLarge",
            "Simple upload takes files up to 250 MB: use an upload session (createUploadSession).",
        ));
    }
    let conflict = conflict_param(req, None, Conflict::Replace)?;
    let content = Bytes::copy_from_slice(req.body);
    let d = &mut store.drive.drives[di];
    let by = actor(principal, d);
    let (created, id) = match target {
        Target::Item(id, false) => {
            if_match(req, d, &id)?;
            if d.item(&id)?.folder {
                return Err(invalid_request("A folder has no content to replace."));
            }
            d.set_content(&id, content, None, None, &by, req.now)?;
            (false, id)
        }
        Target::Item(id, true) => {
            if_match(req, d, &id)?;
            let item = d.item(&id)?;
            let (parent, name) =
                (item.parent_id.clone().ok_or_else(|| invalid_request("The root has no content."))?, item.name.clone());
            d.put_file(&parent, &name, conflict, content, None, &by, req.now)?
        }
        Target::Missing { parent, rest } => {
            check(d, principal, &parent, true, req.now)?;
            let (name, folders) = rest.split_last().ok_or_else(item_not_found)?;
            for f in folders {
                check_name(f, true)?;
            }
            check_name(name, false)?;
            let parent = d.ensure_folders(&parent, folders, &by, req.now)?;
            d.put_file(&parent, name, conflict, content, None, &by, req.now)?
        }
    };
    Ok(item_reply(store, di, &id, created, &req.origin, req.now))
}

fn create_upload_session(
    store: &mut Store,
    principal: &Principal,
    di: usize,
    target: Target,
    req: &Req,
) -> ApiResult<Reply> {
    let body = action_params(req.body, &["item", "deferCommit"])?;
    let item_props = match body.get("item") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(o)) => o.clone(),
        Some(_) => return Err(invalid_request("item must be an object (driveItemUploadableProperties).")),
    };
    let defer_commit = match body.get("deferCommit") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(invalid_request("deferCommit must be a boolean.")),
    };
    let conflict = conflict_param(req, Some(&item_props), Conflict::Fail)?;
    let file_size = match item_props.get("fileSize") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| invalid_request("fileSize must be a non-negative integer."))?),
    };
    let named = item_props.get("name").and_then(Value::as_str).map(str::to_owned);
    let description = item_props.get("description").and_then(Value::as_str).map(str::to_owned);
    let d = &mut store.drive.drives[di];
    let by = actor(principal, d);
    let (item_id, parent, name) = match target {
        Target::Item(id, false) => {
            if_match(req, d, &id)?;
            let item = d.item(&id)?;
            if item.folder {
                return Err(invalid_request(
                    "createUploadSession on a folder needs the new file's name: items/{parent-id}:/{filename}:/createUploadSession.",
                ));
            }
            (Some(id.clone()), item.parent_id.clone().unwrap_or_default(), item.name.clone())
        }
        Target::Item(id, true) => {
            if_match(req, d, &id)?;
            let item = d.item(&id)?;
            let (parent, name) = (item.parent_id.clone().unwrap_or_default(), item.name.clone());
            if conflict == Conflict::Fail {
                return Err(name_exists(&name));
            }
            (None, parent, name)
        }
        Target::Missing { parent, rest } => {
            check(d, principal, &parent, true, req.now)?;
            let (name, folders) = rest.split_last().ok_or_else(item_not_found)?;
            for f in folders {
                check_name(f, true)?;
            }
            check_name(name, false)?;
            let parent = d.ensure_folders(&parent, folders, &by, req.now)?;
            (None, parent, name.clone())
        }
    };
    if let Some(n) = &named
        && !n.eq_ignore_ascii_case(&name)
    {
        return Err(invalid_request(format!(
            "The name '{n}' in the request body differs from the name '{name}' in the path."
        )));
    }
    if let Some(size) = file_size {
        let (used, deleted) = d.usage();
        if size > DRIVE_TOTAL.saturating_sub(used + deleted) {
            return Err(GraphError::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "quotaLimitReached",
                "The file is larger than the space left in the drive.",
            ));
        }
    }
    let target = UploadTarget::Drive(DriveUploadTarget {
        drive_id: d.id.clone(),
        item_id,
        parent_id: parent,
        name,
        conflict,
        by,
        description,
    });
    let now = req.now;
    let session = store.uploads.create(&mut store.ids, UploadKind::Drive, target, file_size, defer_commit, now);
    let body = json!({
        "@odata.context": format!("{}/v1.0/$metadata#microsoft.graph.uploadSession", req.origin),
        "uploadUrl": upload_url(&preauth_origin(&req.origin), session),
        "expirationDateTime": format_expiry(session.expires),
        "nextExpectedRanges": session.next_expected_ranges(),
    });
    Ok(Reply::ok(body))
}

/// The end of a drive upload session: the file is made (201) or its content
/// replaced (200). A name conflict is a 409 and keeps the session.
pub(crate) fn finish_upload(
    store: &mut Store,
    target: &DriveUploadTarget,
    content: Bytes,
    origin: &str,
    now: DateTime<Utc>,
) -> ApiResult<Reply> {
    let di = store.drive.by_id(&target.drive_id).ok_or_else(item_not_found)?;
    let d = &mut store.drive.drives[di];
    let (created, id) = match &target.item_id {
        Some(id) if d.live(id).is_some() => {
            d.set_content(id, content, None, None, &target.by, now)?;
            (false, id.clone())
        }
        _ => d.put_file(&target.parent_id, &target.name, target.conflict, content, None, &target.by, now)?,
    };
    if let Some(desc) = &target.description
        && let Some(item) = d.items.get_mut(&id)
    {
        item.description = Some(desc.clone());
    }
    Ok(item_reply(store, di, &id, created, origin, now))
}

// ---------------------------------------------------------------------------- copy

fn copy(store: &mut Store, principal: &Principal, di: usize, id: &str, req: &Req) -> ApiResult<Reply> {
    let body = action_params(req.body, &["parentReference", "name"])?;
    let conflict = conflict_param(req, None, Conflict::Fail)?;
    let src = &store.drive.drives[di];
    let item = src.item(id)?;
    if item.parent_id.is_none() {
        return Err(invalid_request("The root of a drive cannot be copied."));
    }
    let snapshot = src.snapshot(id);
    let mut name = match body.get("name") {
        None | Some(Value::Null) => item.name.clone(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(invalid_request("name must be a string.")),
    };
    let (target_di, parent) = match body.get("parentReference") {
        None | Some(Value::Null) => (di, item.parent_id.clone().unwrap_or_default()),
        Some(Value::Object(r)) => {
            let tdi = match r.get("driveId").and_then(Value::as_str) {
                Some(drive) => {
                    ensure_all_drives(store);
                    store.drive.by_id(drive).ok_or_else(item_not_found)?
                }
                None => di,
            };
            let td = &store.drive.drives[tdi];
            let mut r = r.clone();
            r.remove("driveId");
            let p = parent_from_reference(td, &Value::Object(r))?.unwrap_or_else(|| td.root_id.clone());
            (tdi, p)
        }
        Some(_) => return Err(invalid_request("parentReference must be an object.")),
    };
    let td = &mut store.drive.drives[target_di];
    check(td, principal, &parent, true, req.now)?;
    if target_di == di && td.within(&parent, id) {
        return Err(invalid_request("A folder cannot be copied into itself."));
    }
    check_name(&name, snapshot.first().is_some_and(|i| i.folder))?;
    let by = actor(principal, td);
    if let Some(existing) = td.child_named(&parent, &name) {
        let eid = existing.id.clone();
        match conflict {
            Conflict::Fail => return Err(name_exists(&name)),
            Conflict::Replace => td.delete(&eid, &by, req.now)?,
            Conflict::Rename => name = td.unique_name(&parent, &name),
        }
    }
    let new_id = td.paste(&snapshot, &parent, &name, &by, req.now)?;
    let monitor = store.ids.token(24);
    store.drive.add_monitor(monitor.clone(), new_id);
    Ok(Reply::accepted().with_header(header::LOCATION, format!("{}/monitor/{monitor}", preauth_origin(&req.origin))))
}

// ---------------------------------------------------------------------------- sharing

fn link_letter(name: &str, folder: bool) -> char {
    if folder {
        return 'f';
    }
    match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref() {
        Some("docx" | "doc") => 'w',
        Some("xlsx" | "xls" | "csv") => 'x',
        Some("pptx" | "ppt") => 'p',
        Some("pdf") => 'b',
        Some("png" | "jpg" | "jpeg" | "gif" | "bmp") => 'i',
        _ => 'u',
    }
}

fn create_link(store: &mut Store, di: usize, id: &str, req: &Req) -> ApiResult<Reply> {
    let body = action_params(
        req.body,
        &["type", "scope", "expirationDateTime", "password", "recipients", "retainInheritedPermissions"],
    )?;
    let kind = body.get("type").and_then(Value::as_str).map(str::to_ascii_lowercase);
    let kind = match kind.as_deref() {
        Some(k @ ("view" | "edit" | "embed")) => k.to_owned(),
        Some(other) => return Err(invalid_request(format!("Invalid link type '{other}': use view, edit or embed."))),
        None => return Err(invalid_request("The type parameter (view, edit or embed) is required.")),
    };
    let scope = match body.get("scope").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
        None => "organization".to_owned(),
        Some(s @ ("anonymous" | "organization" | "users")) => s.to_owned(),
        Some(other) => {
            return Err(invalid_request(format!("Invalid scope '{other}': use anonymous, organization or users.")));
        }
    };
    let expires = match body.get("expirationDateTime") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let t = parse_instant(s).ok_or_else(|| invalid_request("expirationDateTime is not a date-time."))?;
            if t <= req.now {
                return Err(invalid_request("expirationDateTime must be in the future."));
            }
            Some(t)
        }
        Some(_) => return Err(invalid_request("expirationDateTime must be a string.")),
    };
    let has_password = body.get("password").and_then(Value::as_str).is_some_and(|p| !p.is_empty());
    let perm_id = store.ids.token(24);
    let token = store.ids.token(33);
    let d = &mut store.drive.drives[di];
    let item = d.item(id)?;
    let letter = link_letter(&item.name, item.folder);
    let existing = item.permissions.iter().position(|p| {
        p.link.as_ref().is_some_and(|l| l.kind == kind && l.scope == scope && !l.has_password)
            && !has_password
            && p.expires == expires
    });
    let (status, pid) = match existing {
        Some(i) => (StatusCode::OK, item.permissions[i].id.clone()),
        None => {
            let web_url = format!(
                "https://contoso-my.sharepoint.com/:{letter}:/g/personal/{}/{token}",
                personal_segment(&d.owner_upn)
            );
            let p = PermissionRec {
                id: perm_id.clone(),
                roles: vec![if kind == "edit" { "write" } else { "read" }.to_owned()],
                link: Some(LinkRec { kind, scope, web_url, has_password }),
                granted_to: None,
                expires,
                share_id: format!("u!{}", URL_SAFE_NO_PAD.encode(token.as_bytes())),
            };
            d.item_mut(id)?.permissions.push(p);
            let by = d.owner_id.clone();
            d.touch(id, &by, req.now);
            (StatusCode::CREATED, perm_id)
        }
    };
    let d = &store.drive.drives[di];
    let item = d.item(id)?;
    let p = item.permissions.iter().find(|p| p.id == pid).ok_or_else(item_not_found)?;
    let v = view_of(store, req);
    let body = with_context(v.get().permission(d, p, None), req.context("microsoft.graph.permission"));
    Ok(Reply::json(status, body))
}

fn invite(store: &mut Store, di: usize, id: &str, req: &Req) -> ApiResult<Reply> {
    let body = action_params(
        req.body,
        &["recipients", "roles", "requireSignIn", "sendInvitation", "message", "expirationDateTime", "password"],
    )?;
    let recipients = body
        .get("recipients")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| invalid_request("recipients (at least one) is required."))?;
    let roles: Vec<String> = body
        .get("roles")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_ascii_lowercase).collect())
        .unwrap_or_default();
    let role = match roles.as_slice() {
        [r] if r == "read" || r == "write" => r.clone(),
        _ => return Err(invalid_request("roles must be [\"read\"] or [\"write\"].")),
    };
    let mut users = Vec::new();
    for r in recipients {
        let email = r.get("email").and_then(Value::as_str).or_else(|| r.get("objectId").and_then(Value::as_str));
        let user = email.and_then(|e| store.user(e)).ok_or_else(|| {
            invalid_request("Only users of the tenant can be invited in the emulator (by email or objectId).")
        })?;
        users.push(user.id.clone());
    }
    let mut ids = Vec::new();
    for u in users {
        let pid = store.ids.token(24);
        let d = &mut store.drive.drives[di];
        if u == d.owner_id {
            continue;
        }
        ids.push(d.grant(id, &u, &[role.as_str()], pid)?.id.clone());
        let owner = d.owner_id.clone();
        d.touch(id, &owner, req.now);
    }
    let d = &store.drive.drives[di];
    let item = d.item(id)?;
    let v = view_of(store, req);
    let list: Vec<Value> =
        item.permissions.iter().filter(|p| ids.contains(&p.id)).map(|p| v.get().permission(d, p, None)).collect();
    Ok(Reply::ok(json!({"@odata.context": req.context("Collection(microsoft.graph.permission)"), "value": list})))
}

fn delete_permission(store: &mut Store, di: usize, id: &str, pid: &str, req: &Req) -> ApiResult<Reply> {
    let d = &mut store.drive.drives[di];
    if_match(req, d, id)?;
    if let Some(i) = d.item(id)?.permissions.iter().position(|p| p.id == pid) {
        d.item_mut(id)?.permissions.remove(i);
        let owner = d.owner_id.clone();
        d.touch(id, &owner, req.now);
        return Ok(Reply::no_content());
    }
    let inherited =
        d.ancestors(id).iter().any(|a| d.items.get(a).is_some_and(|x| x.permissions.iter().any(|p| p.id == pid)));
    if inherited {
        return Err(invalid_request(
            "Only permissions that are not inherited can be deleted: delete it on the item it is inherited from.",
        ));
    }
    let v = view_of(store, req);
    let d = &store.drive.drives[di];
    let is_owner = v.get().permissions(d, d.item(id)?).first().is_some_and(|p| p["id"] == pid);
    if is_owner {
        return Err(access_denied());
    }
    Err(item_not_found())
}

// ---------------------------------------------------------------------------- thumbnails

fn thumbnails(store: &mut Store, di: usize, id: &str, rest: &[Tok], req: &Req) -> ApiResult<Reply> {
    let d = &store.drive.drives[di];
    let item = d.item(id)?;
    let vo = view_of(store, req);
    let v = vo.get();
    let sets = v.thumbnails(d, item);
    let sizes = |set: &Value| -> Value {
        match req.query.select.as_deref() {
            Some(sel) => {
                let mut o = Map::new();
                o.insert("id".into(), set["id"].clone());
                for s in sel {
                    if let Some(val) = set.get(s.as_str()) {
                        o.insert(s.clone(), val.clone());
                    } else if let Some(t) = custom_size(s) {
                        o.insert(s.clone(), v.thumbnail(d, item, t.0, t.1));
                    }
                }
                Value::Object(o)
            }
            None => set.clone(),
        }
    };
    match rest {
        [] => {
            let list: Vec<Value> = sets.iter().map(sizes).collect();
            Ok(Reply::ok(json!({"@odata.context": ctx_items(req, d, id, "thumbnails"), "value": list})))
        }
        [Tok::Seg(set_id), more @ ..] => {
            let set = sets.iter().find(|s| s["id"] == *set_id).ok_or_else(item_not_found)?;
            match more {
                [] => Ok(Reply::ok(sizes(set))),
                [Tok::Seg(size), tail @ ..] => {
                    let thumb = match set.get(size.as_str()) {
                        Some(t) => t.clone(),
                        None => match custom_size(size) {
                            Some((w, h)) => v.thumbnail(d, item, w, h),
                            None => return Err(item_not_found()),
                        },
                    };
                    match tail {
                        [] => Ok(Reply::ok(thumb)),
                        [c] if is(c, "content") => Ok(redirect(thumb["url"].as_str().unwrap_or_default().to_owned())),
                        _ => Err(GraphError::bad_request("Unsupported thumbnail path.")),
                    }
                }
                _ => Err(GraphError::bad_request("Unsupported thumbnail path.")),
            }
        }
        _ => Err(GraphError::bad_request("Unsupported thumbnail path.")),
    }
}

/// `c300x400` or `c300x400_crop`.
fn custom_size(s: &str) -> Option<(u32, u32)> {
    let rest = s.strip_prefix('c')?;
    let rest = rest.strip_suffix("_crop").unwrap_or(rest);
    let (w, h) = rest.split_once('x')?;
    let (w, h): (u32, u32) = (w.parse().ok()?, h.parse().ok()?);
    (w > 0 && h > 0 && w <= 1600 && h <= 1600).then_some((w, h))
}

// ---------------------------------------------------------------------------- search

fn matches(terms: &[String], name: &str, text: Option<&str>) -> bool {
    let name = name.to_lowercase();
    let text = text.map(str::to_lowercase).unwrap_or_default();
    terms.iter().all(|t| name.contains(t.as_str()) || text.contains(t.as_str()))
}

fn search(
    store: &mut Store,
    principal: &Principal,
    di: usize,
    scope: Option<&str>,
    q: &str,
    req: &Req,
) -> ApiResult<Reply> {
    check_query(req, false)?;
    let terms: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    let include_shared = scope.is_none();
    if include_shared {
        ensure_all_drives(store);
    }
    let d = &store.drive.drives[di];
    let root = scope.map(str::to_owned).unwrap_or_else(|| d.root_id.clone());
    if scope.is_none() {
        check(d, principal, &root, false, req.now)?;
    }
    let vo = view_of(store, req);
    let v = vo.get();
    let mut items: Vec<Value> = d
        .subtree(&root, false)
        .iter()
        .skip(1)
        .filter_map(|id| d.items.get(id))
        .filter(|i| matches(&terms, &i.name, i.text.as_deref()))
        .map(|i| {
            let mut x = v.item(d, i, false);
            x["searchResult"] = json!({});
            x
        })
        .collect();
    if include_shared && let Some(u) = me(principal) {
        for (odi, sid) in store.drive.shared_with(u, req.now) {
            let od = &store.drive.drives[odi];
            for id in od.subtree(&sid, false) {
                if let Some(i) = od.items.get(&id)
                    && matches(&terms, &i.name, i.text.as_deref())
                {
                    let mut x = v.remote_item(Some(d), od, i);
                    x["searchResult"] = json!({});
                    items.push(x);
                }
            }
        }
    }
    let mut body = page(req, items, req.context("Collection(driveItem)"))?;
    apply_item_select(&mut body, req);
    Ok(Reply::ok(body))
}

fn apply_item_select(body: &mut Value, req: &Req) {
    if let Some(values) = body.get_mut("value").and_then(Value::as_array_mut) {
        for item in values.iter_mut() {
            *item = select(std::mem::take(item), req.query.select.as_deref());
        }
    }
}

fn shared_with_me(store: &mut Store, principal: &Principal, di: usize, req: &Req) -> ApiResult<Reply> {
    check_query(req, false)?;
    ensure_all_drives(store);
    let d = &store.drive.drives[di];
    let user = me(principal).map(str::to_owned).unwrap_or_else(|| d.owner_id.clone());
    let vo = view_of(store, req);
    let v = vo.get();
    let items: Vec<Value> = store
        .drive
        .shared_with(&user, req.now)
        .into_iter()
        .filter_map(|(odi, id)| {
            let od = &store.drive.drives[odi];
            od.items.get(&id).map(|i| v.remote_item(Some(d), od, i))
        })
        .collect();
    let mut body = page(req, items, req.context("Collection(driveItem)"))?;
    apply_item_select(&mut body, req);
    Ok(Reply::ok(body))
}

fn recent(store: &mut Store, principal: &Principal, di: usize, req: &Req) -> ApiResult<Reply> {
    check_query(req, false)?;
    let d = &store.drive.drives[di];
    check(d, principal, &d.root_id, false, req.now)?;
    let mut files: Vec<&crate::state::drive::ItemRec> =
        d.subtree(&d.root_id, false).iter().filter_map(|id| d.items.get(id)).filter(|i| !i.folder).collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.modified));
    let ids: Vec<String> = files.iter().take(25).map(|i| i.id.clone()).collect();
    let vo = view_of(store, req);
    Ok(Reply::ok(listing(&vo.get(), d, &ids, req, req.context("Collection(driveItem)"))?))
}

// ---------------------------------------------------------------------------- delta

/// The URL of the delta function as the client called it, without arguments.
fn delta_link_base(req: &Req) -> String {
    let lower = req.path.to_ascii_lowercase();
    let cut = lower.rfind("/delta").map(|i| i + "/delta".len()).unwrap_or(req.path.len());
    format!("{}{}", req.origin, &req.path[..cut])
}

fn resync(req: &Req) -> GraphError {
    GraphError::new(
        StatusCode::GONE,
        "resyncChangesApplyDifferences",
        "The delta token is not valid any more. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last synced; upload any local changes that the server doesn't know about. Start again from the Location URL.",
    )
    .with_header(header::LOCATION, &delta_link_base(req))
}

fn delta(
    store: &mut Store,
    principal: &Principal,
    di: usize,
    scope: &str,
    call_token: Option<String>,
    req: &Req,
) -> ApiResult<Reply> {
    check_query(req, false)?;
    let d = &store.drive.drives[di];
    if !d.item(scope)?.folder {
        return Err(invalid_request("Delta is available on folders (and the root) only."));
    }
    check(d, principal, scope, false, req.now)?;
    let exclude_parents = req.headers.contains_key("deltaexcludeparent");
    let token = call_token.or_else(|| req.query.param("token").map(str::to_owned)).filter(|t| !t.is_empty());
    let page_size = req.query.top.or(req.prefs.max_page_size).unwrap_or(DEFAULT_PAGE).clamp(1, 1000);
    let drive_id = d.id.clone();
    let (entries, offset, upto, sel, size) = match token.as_deref() {
        None => (
            Arc::new(d.delta_entries(scope, Since::Start, exclude_parents)),
            0,
            d.seq,
            req.query.select.clone(),
            page_size,
        ),
        Some(t) if t.eq_ignore_ascii_case("latest") => {
            let tok = store.ids.token(32);
            let since = store.drive.drives[di].seq;
            let state = DeltaToken::Round {
                drive_id,
                scope: scope.to_owned(),
                since,
                select: req.query.select.clone(),
                page: page_size,
            };
            store.drive.issue_token(tok.clone(), state);
            let link = format!("{}?token={tok}", delta_link_base(req));
            return Ok(Reply::ok(json!({
                "@odata.context": req.context("Collection(driveItem)"),
                "value": [],
                "@odata.deltaLink": link,
            })));
        }
        Some(t) => match store.drive.token(t).cloned() {
            Some(DeltaToken::Page { drive_id: did, scope: s, entries, offset, upto, select, page })
                if did == drive_id && s == scope =>
            {
                (entries, offset, upto, select, page)
            }
            Some(DeltaToken::Round { drive_id: did, scope: s, since, select, page })
                if did == drive_id && s == scope =>
            {
                (Arc::new(d.delta_entries(scope, Since::Seq(since), exclude_parents)), 0, d.seq, select, page)
            }
            Some(_) => return Err(resync(req)),
            None => match parse_instant(t).filter(|_| t.contains('T') || t.contains('-')) {
                Some(when) => (
                    Arc::new(d.delta_entries(scope, Since::Time(when), exclude_parents)),
                    0,
                    d.seq,
                    req.query.select.clone(),
                    page_size,
                ),
                None => return Err(resync(req)),
            },
        },
    };
    let end = (offset + size).min(entries.len());
    let vo = view_of(store, req);
    let v = vo.get();
    let value: Vec<Value> = entries[offset.min(end)..end]
        .iter()
        .map(|e| match e {
            DeltaEntry::Item(id) => match d.live(id) {
                Some(item) => select(v.item(d, item, true), sel.as_deref()),
                None => v.deleted_item(d, id),
            },
            DeltaEntry::Deleted(id) => v.deleted_item(d, id),
        })
        .collect();
    let tok = store.ids.token(32);
    let more = end < entries.len();
    let state = if more {
        DeltaToken::Page { drive_id, scope: scope.to_owned(), entries, offset: end, upto, select: sel, page: size }
    } else {
        DeltaToken::Round { drive_id, scope: scope.to_owned(), since: upto, select: sel, page: size }
    };
    store.drive.issue_token(tok.clone(), state);
    let link = format!("{}?token={tok}", delta_link_base(req));
    let mut body = json!({"@odata.context": req.context("Collection(driveItem)"), "value": value});
    body[if more { "@odata.nextLink" } else { "@odata.deltaLink" }] = json!(link);
    Ok(Reply::ok(body))
}

// ---------------------------------------------------------------------------- pre-authenticated URLs

fn range_of(headers: &HeaderMap, len: usize) -> Result<Option<(usize, usize)>, ()> {
    let Some(v) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Some(spec) = v.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None); // several ranges: the whole file, as the docs allow
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let (a, b) = (a.trim(), b.trim());
    let range = match (a.parse::<usize>(), b.parse::<usize>()) {
        (Ok(start), Ok(end)) if start <= end => (start, end.min(len.saturating_sub(1))),
        (Ok(start), Err(_)) if b.is_empty() => (start, len.saturating_sub(1)),
        (Err(_), Ok(n)) if a.is_empty() && n > 0 => (len.saturating_sub(n), len.saturating_sub(1)),
        _ => return Ok(None),
    };
    if range.0 >= len { Err(()) } else { Ok(Some(range)) }
}

/// `GET /download/{token}`: a file's bytes, `Range` honoured (206), no token needed.
pub(crate) async fn download_endpoint(
    State(shared): State<Arc<Shared>>,
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    to_response(download(&shared, &ctx, &token, &method, &headers), &ctx)
}

fn download(shared: &Shared, ctx: &Ctx, token: &str, method: &Method, headers: &HeaderMap) -> ApiResult<Reply> {
    reject_authorization(headers, UploadKind::Drive)?;
    if *method != Method::GET && *method != Method::HEAD {
        return Err(GraphError::method_not_allowed());
    }
    let store = lock(&shared.store);
    let fields = verify(store.drive.key, token, ctx.now).filter(|f| f.len() == 4 && f[0] == "d").ok_or_else(|| {
        GraphError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "The download URL is not valid or has expired.")
    })?;
    let d = store.drive.by_id(&fields[1]).map(|i| &store.drive.drives[i]).ok_or_else(item_not_found)?;
    let item = d.item(&fields[2])?;
    let content = if fields[3].is_empty() {
        item.content.clone()
    } else {
        item.versions.iter().find(|v| v.label == fields[3]).map(|v| v.content.clone()).ok_or_else(item_not_found)?
    };
    let len = content.len();
    let encoded = percent_encoding::utf8_percent_encode(&item.name, percent_encoding::NON_ALPHANUMERIC);
    let mut reply_headers: Vec<(HeaderName, String)> = vec![
        (header::ACCEPT_RANGES, "bytes".into()),
        (header::ETAG, item.etag()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{encoded}")),
    ];
    let (status, body) = match range_of(headers, len) {
        Err(()) => {
            return Err(GraphError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "invalidRange",
                format!("The range is outside the file ({len} bytes)."),
            )
            .with_header(header::CONTENT_RANGE, &format!("bytes */{len}")));
        }
        Ok(Some((a, b))) => {
            reply_headers.push((header::CONTENT_RANGE, format!("bytes {a}-{b}/{len}")));
            (StatusCode::PARTIAL_CONTENT, content.slice(a..=b).to_vec())
        }
        Ok(None) => (StatusCode::OK, content.to_vec()),
    };
    let body = if *method == Method::HEAD {
        reply_headers.push((header::CONTENT_LENGTH, body.len().to_string()));
        reply_headers.push((header::CONTENT_TYPE, item.mime.clone()));
        Body::Empty
    } else {
        Body::Bytes(item.mime.clone(), body)
    };
    Ok(Reply { status, body, headers: reply_headers })
}

/// `GET /thumbnails/{token}`: a generated PNG of the thumbnail's size.
pub(crate) async fn thumbnail_endpoint(
    State(shared): State<Arc<Shared>>,
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        reject_authorization(&headers, UploadKind::Drive)?;
        let store = lock(&shared.store);
        let f = verify(store.drive.key, &token, ctx.now).filter(|f| f.len() == 5 && f[0] == "t").ok_or_else(|| {
            GraphError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "The thumbnail URL is not valid or has expired.",
            )
        })?;
        let (w, h): (u32, u32) = (f[3].parse().unwrap_or(96), f[4].parse().unwrap_or(96));
        let (w, h) = scale(w, h, 1600);
        let seed = f[2].bytes().fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(u64::from(b)));
        Ok(Reply::bytes("image/png", gradient_png(w, h, seed)))
    })();
    to_response(result, &ctx)
}

/// `GET /monitor/{id}`: a copy's progress, `inProgress` for two polls, then `completed`.
pub(crate) async fn monitor_endpoint(
    State(shared): State<Arc<Shared>>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        reject_authorization(&headers, UploadKind::Drive)?;
        if method != Method::GET {
            return Err(GraphError::method_not_allowed());
        }
        let mut store = lock(&shared.store);
        let m = store.drive.poll_monitor(&id).ok_or_else(item_not_found)?;
        let body = match m.polls {
            1 => json!({"operation": "ItemCopy", "percentageComplete": 33.3, "status": "inProgress"}),
            2 => json!({"operation": "ItemCopy", "percentageComplete": 66.7, "status": "inProgress"}),
            _ => {
                json!({"operation": "ItemCopy", "percentageComplete": 100.0, "resourceId": m.resource_id, "status": "completed"})
            }
        };
        Ok(Reply::json(StatusCode::ACCEPTED, body))
    })();
    to_response(result, &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_tokenize_with_components_decoded_one_by_one() {
        assert_eq!(
            tokens("/v1.0/me/drive/root:/Documents/a%20b%23c%3F.txt:/content").unwrap(),
            vec![
                Tok::Seg("me".into()),
                Tok::Seg("drive".into()),
                Tok::Seg("root".into()),
                Tok::Path(vec!["Documents".into(), "a b#c?.txt".into()]),
                Tok::Seg("content".into()),
            ]
        );
        assert_eq!(
            tokens("/v1.0/drives/b!x/items/01AB:/x%2Fy").unwrap(),
            vec![
                Tok::Seg("drives".into()),
                Tok::Seg("b!x".into()),
                Tok::Seg("items".into()),
                Tok::Seg("01AB".into()),
                Tok::Path(vec!["x/y".into()]),
            ]
        );
        assert_eq!(
            tokens("/v1.0/me/drive/root:").unwrap(),
            vec![Tok::Seg("me".into()), Tok::Seg("drive".into()), Tok::Seg("root".into()), Tok::Path(vec![])]
        );
        assert_eq!(
            tokens("/v1.0/me/drive/root/search(q='it''s%20a/b')").unwrap().last(),
            Some(&Tok::Call("search".into(), Some("it's a/b".into())))
        );
        assert_eq!(tokens("/v1.0/me/drive/root/delta()").unwrap().last(), Some(&Tok::Call("delta".into(), None)));
        assert!(tokens("/v1.0/me/drive/search(q='a'b')").is_err());
    }

    #[test]
    fn ranges_parse_like_http() {
        let mut h = HeaderMap::new();
        h.insert(header::RANGE, "bytes=0-9".parse().unwrap());
        assert_eq!(range_of(&h, 100), Ok(Some((0, 9))));
        h.insert(header::RANGE, "bytes=90-".parse().unwrap());
        assert_eq!(range_of(&h, 100), Ok(Some((90, 99))));
        h.insert(header::RANGE, "bytes=-10".parse().unwrap());
        assert_eq!(range_of(&h, 100), Ok(Some((90, 99))));
        h.insert(header::RANGE, "bytes=100-".parse().unwrap());
        assert_eq!(range_of(&h, 100), Err(()));
        h.insert(header::RANGE, "bytes=0-1,5-6".parse().unwrap());
        assert_eq!(range_of(&h, 100), Ok(None));
    }
}
