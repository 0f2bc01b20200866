//! Microsoft To Do (`/me/todo/...`, `/users/{id}/todo/...`): task lists,
//! tasks, checklist items, linked resources, task file attachments (inline
//! and through an upload session), and delta for lists and tasks.
//!
//! Graph docs: <https://learn.microsoft.com/graph/api/resources/todotasklist>,
//! <https://learn.microsoft.com/graph/api/resources/todotask>,
//! <https://learn.microsoft.com/graph/api/resources/checklistitem>,
//! <https://learn.microsoft.com/graph/api/resources/linkedresource>,
//! <https://learn.microsoft.com/graph/api/resources/taskfileattachment>,
//! <https://learn.microsoft.com/graph/api/todotask-delta>,
//! <https://learn.microsoft.com/graph/api/todotasklist-delta>.
//!
//! The upload URL of a large attachment is a Graph resource
//! (`.../attachmentSessions/{id}`, an
//! [attachmentSession](https://learn.microsoft.com/graph/api/resources/attachmentsession)):
//! read and deleted there, its bytes `PUT` to `.../content`, all with the
//! user's token, as Graph's [To Do attachment walkthrough](https://learn.microsoft.com/graph/todo-attachments) shows.

use std::cmp::Ordering;
use std::sync::Arc;

use axum::http::{HeaderName, Method, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::odata::{Expr, Listing, Lit, Operand, apply_select, compare_json, get_path};
use crate::routes::{Reply, Req, with_context};
use crate::state::calendar::OutZone;
use crate::state::ids::IdKind;
use crate::state::schema::{check_body, json_object};
use crate::state::store::{Obj, Store};
use crate::state::todo::{
    ATTACHMENT_PROPS, CHECKLIST_PROPS, LINK_PROPS, LIST_PROPS, ListRec, MAX_INLINE_ATTACHMENT, MAX_SESSION_ATTACHMENT,
    TASK_DATES, TASK_PROPS, TASK_WRITABLE, TaskAttachmentRec, TaskExpand, TaskRec, TaskUploadSession, TodoDelta,
    TodoEntry, UserTodo, WK_NONE, apply_checklist_patch, filter_view, format_precise, invalid_request,
    new_checklist_item, new_link, normalize_dttz, not_found_or_malformed, render_attachment, render_checklist,
    render_link, render_list, render_task,
};
use crate::time::find_zone;

/// Page size of lists, tasks and delta rounds when the client does not ask.
const DEFAULT_PAGE: usize = 10;

/// Keywords of To Do paths, matched case-insensitively.
const KEYWORDS: &[&str] = &[
    "lists",
    "delta",
    "tasks",
    "checklistitems",
    "linkedresources",
    "attachments",
    "createuploadsession",
    "$value",
    "attachmentsessions",
    "content",
];

fn method_not_allowed() -> GraphError {
    GraphError::method_not_allowed()
}

/// Routes what follows `/me/todo` or `/users/{id}/todo`.
pub(crate) fn route(store: &mut Store, user_id: &str, tail: &[&str], req: &Req) -> ApiResult<Reply> {
    let segs: Vec<String> = tail
        .iter()
        .map(|s| {
            let lower = s.to_ascii_lowercase();
            if KEYWORDS.contains(&lower.as_str()) { lower } else { (*s).to_owned() }
        })
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    store.todo_mut(user_id);
    let m = &req.method;
    match segs.as_slice() {
        [] => match *m {
            Method::GET => Ok(Reply::ok(json!({
                "@odata.context": req.context(&format!("users('{user_id}')/todo/$entity")),
                "id": format!("todo-{user_id}"),
            }))),
            _ => Err(method_not_allowed()),
        },
        ["lists"] => match *m {
            Method::GET => list_lists(store, user_id, req),
            Method::POST => create_list(store, user_id, req),
            _ => Err(method_not_allowed()),
        },
        ["lists", "delta"] => match *m {
            Method::GET => delta(store, user_id, None, req),
            _ => Err(method_not_allowed()),
        },
        ["lists", lid] => match *m {
            Method::GET => get_list(store, user_id, lid, req),
            Method::PATCH => update_list(store, user_id, lid, req),
            Method::DELETE => delete_list(store, user_id, lid),
            _ => Err(method_not_allowed()),
        },
        ["lists", lid, "tasks"] => match *m {
            Method::GET => list_tasks(store, user_id, lid, req),
            Method::POST => create_task(store, user_id, lid, req),
            _ => Err(method_not_allowed()),
        },
        ["lists", lid, "tasks", "delta"] => match *m {
            Method::GET => {
                let list_id = list_ref(store, user_id, lid)?.id.clone();
                delta(store, user_id, Some(list_id), req)
            }
            _ => Err(method_not_allowed()),
        },
        ["lists", lid, "tasks", tid] => match *m {
            Method::GET => get_task(store, user_id, lid, tid, req),
            Method::PATCH => update_task(store, user_id, lid, tid, req),
            Method::DELETE => delete_task(store, user_id, lid, tid),
            _ => Err(method_not_allowed()),
        },
        ["lists", lid, "tasks", tid, "checklistitems", rest @ ..] => checklist(store, user_id, lid, tid, rest, req),
        ["lists", lid, "tasks", tid, "linkedresources", rest @ ..] => links(store, user_id, lid, tid, rest, req),
        ["lists", lid, "tasks", tid, "attachments", rest @ ..] => attachments(store, user_id, lid, tid, rest, req),
        ["lists", _, "tasks", _, "attachmentsessions", sid] => match *m {
            Method::GET | Method::DELETE => upload(store, user_id, sid, false, req),
            _ => Err(method_not_allowed()),
        },
        ["lists", _, "tasks", _, "attachmentsessions", sid, "content"] => match *m {
            Method::PUT => upload(store, user_id, sid, true, req),
            _ => Err(method_not_allowed()),
        },
        [other, ..] => Err(GraphError::segment_not_found(other)),
    }
}

// ----------------------------------------------------------------------------------------------
// Helpers
// ----------------------------------------------------------------------------------------------

fn user<'a>(store: &'a Store, user_id: &str) -> ApiResult<&'a UserTodo> {
    store.todo.users.get(user_id).ok_or_else(GraphError::item_not_found)
}

fn user_mut<'a>(store: &'a mut Store, user_id: &str) -> ApiResult<&'a mut UserTodo> {
    store.todo.users.get_mut(user_id).ok_or_else(GraphError::item_not_found)
}

fn list_ref<'a>(store: &'a Store, user_id: &str, lid: &str) -> ApiResult<&'a ListRec> {
    let u = user(store, user_id)?;
    Ok(&u.lists[u.list_index(lid)?])
}

fn list_mut<'a>(store: &'a mut Store, user_id: &str, lid: &str) -> ApiResult<&'a mut ListRec> {
    let u = user_mut(store, user_id)?;
    let i = u.list_index(lid)?;
    Ok(&mut u.lists[i])
}

fn task_ref<'a>(store: &'a Store, user_id: &str, lid: &str, tid: &str) -> ApiResult<&'a TaskRec> {
    let l = list_ref(store, user_id, lid)?;
    Ok(&l.tasks[l.task_index(tid)?])
}

fn task_mut<'a>(store: &'a mut Store, user_id: &str, lid: &str, tid: &str) -> ApiResult<&'a mut TaskRec> {
    let l = list_mut(store, user_id, lid)?;
    let i = l.task_index(tid)?;
    Ok(&mut l.tasks[i])
}

/// `#users('{id}')/todo/lists...` contexts.
fn ctx(req: &Req, user_id: &str, rest: &str) -> String {
    req.context(&format!("users('{user_id}')/todo/{rest}"))
}

/// The zone dates are shown in (`Prefer: outlook.timezone`), and the
/// `Preference-Applied` header when one was honoured.
fn out_zone(req: &Req) -> (OutZone, Option<String>) {
    match req.prefs.timezone.as_deref() {
        Some(name) => match find_zone(name) {
            Some(zone) => (OutZone { zone, name: name.to_owned() }, Some(format!("outlook.timezone=\"{name}\""))),
            None => (OutZone::default(), None),
        },
        None => (OutZone::default(), None),
    }
}

fn applied(reply: Reply, pref: Option<String>) -> Reply {
    match pref {
        Some(p) => reply.with_header(HeaderName::from_static("preference-applied"), p),
        None => reply,
    }
}

fn expand_of(req: &Req) -> ApiResult<TaskExpand> {
    let mut e = TaskExpand::default();
    for item in &req.query.expand {
        let base = item.split('(').next().unwrap_or(item).trim().to_ascii_lowercase();
        match base.as_str() {
            "checklistitems" => e.checklist = true,
            "linkedresources" => e.links = true,
            "attachments" => e.attachments = true,
            "*" => {
                e.checklist = true;
                e.links = true;
                e.attachments = true;
            }
            _ => {
                return Err(GraphError::bad_request(format!(
                    "Could not find a navigation property named '{item}' on type 'microsoft.graph.todoTask'."
                )));
            }
        }
    }
    Ok(e)
}

fn listing<'a>(req: &'a Req, props: &'a [&'a str], context: String, link_base: &'a str) -> Listing<'a> {
    Listing {
        query: &req.query,
        props,
        context,
        link_base,
        prefer_max: req.prefs.max_page_size,
        default_page: DEFAULT_PAGE,
        max_page: 1000,
    }
}

/// `dueDateTime/dateTime lt '2024-03-20T00:00:00'`: a quoted date-time
/// compared with a `dateTime` path is read as an instant, as Graph does,
/// rather than compared as text.
fn dates_as_instants(e: &Expr) -> Expr {
    let is_dt =
        |o: &Operand| matches!(o, Operand::Path(p) if p.last().is_some_and(|s| s.eq_ignore_ascii_case("dateTime")));
    let conv = |o: &Operand| match o {
        Operand::Lit(Lit::Str(s)) => match crate::time::parse_instant(s) {
            Some(d) => Operand::Lit(Lit::Date(d)),
            None => o.clone(),
        },
        _ => o.clone(),
    };
    match e {
        Expr::And(a, b) => Expr::And(Box::new(dates_as_instants(a)), Box::new(dates_as_instants(b))),
        Expr::Or(a, b) => Expr::Or(Box::new(dates_as_instants(a)), Box::new(dates_as_instants(b))),
        Expr::Not(a) => Expr::Not(Box::new(dates_as_instants(a))),
        Expr::Cmp(l, op, r) if is_dt(l) => Expr::Cmp(l.clone(), *op, conv(r)),
        Expr::Cmp(l, op, r) if is_dt(r) => Expr::Cmp(conv(l), *op, r.clone()),
        other => other.clone(),
    }
}

/// Filters and sorts (on `views`) and returns the matching `outputs` in order.
fn filter_sort(req: &Req, views: Vec<Value>, outputs: Vec<Value>) -> Vec<Value> {
    let filter = req.query.filter.as_ref().map(dates_as_instants);
    let mut pairs: Vec<(Value, Value)> = views.into_iter().zip(outputs).collect();
    if let Some(f) = &filter {
        pairs.retain(|(v, _)| f.eval(v, &mut Vec::new()));
    }
    if !req.query.orderby.is_empty() {
        let keys = req.query.orderby.clone();
        pairs.sort_by(|(a, _), (b, _)| {
            for (path, desc) in &keys {
                let ord = compare_json(get_path(a, path), get_path(b, path));
                let ord = if *desc { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        });
    }
    pairs.into_iter().map(|(_, o)| o).collect()
}

// ----------------------------------------------------------------------------------------------
// Lists
// ----------------------------------------------------------------------------------------------

fn list_lists(store: &mut Store, user_id: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(LIST_PROPS, "todoTaskList")?;
    let items: Vec<Value> = user(store, user_id)?.lists.iter().map(render_list).collect();
    let base = req.link_base();
    Ok(Reply::ok(listing(req, LIST_PROPS, ctx(req, user_id, "lists"), &base).render(items)))
}

fn get_list(store: &mut Store, user_id: &str, lid: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(LIST_PROPS, "todoTaskList")?;
    let v = render_list(list_ref(store, user_id, lid)?);
    let v = apply_select(v, req.query.select.as_deref(), LIST_PROPS);
    Ok(Reply::ok(with_context(v, ctx(req, user_id, "lists/$entity"))))
}

fn display_name(body: &Obj, required: bool) -> ApiResult<Option<String>> {
    for k in body.keys() {
        if !k.starts_with('@')
            && !matches!(k.as_str(), "displayName" | "id" | "isOwner" | "isShared" | "wellknownListName")
        {
            return Err(GraphError::body_read(format!(
                "The property '{k}' does not exist on type 'microsoft.graph.todoTaskList'. Make sure to only use property names that are defined by the type or mark the type as open type."
            )));
        }
    }
    match body.get("displayName") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(Value::String(_)) | Some(Value::Null) => {
            Err(invalid_request("The displayName of a task list can't be empty."))
        }
        Some(_) => Err(GraphError::body_read(
            "Cannot convert the value of property 'displayName' to the expected type 'Edm.String'.",
        )),
        None if required => Err(invalid_request("The displayName of a task list is required.")),
        None => Ok(None),
    }
}

fn create_list(store: &mut Store, user_id: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let name = display_name(&body, true)?.unwrap_or_default();
    let seq = store.next_seq();
    let id = store.todo.ids.next(IdKind::Folder);
    let rec = ListRec {
        id,
        display_name: name,
        wellknown: WK_NONE,
        is_shared: false,
        changed_seq: seq,
        tasks: Vec::new(),
        tombstones: Vec::new(),
    };
    let v = render_list(&rec);
    user_mut(store, user_id)?.lists.push(rec);
    Ok(Reply::created(with_context(v, ctx(req, user_id, "lists/$entity"))))
}

fn update_list(store: &mut Store, user_id: &str, lid: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let name = display_name(&body, false)?;
    if list_ref(store, user_id, lid)?.is_built_in() && name.is_some() {
        return Err(invalid_request("Your request can't be completed. A default task folder can't be renamed."));
    }
    let seq = store.next_seq();
    let l = list_mut(store, user_id, lid)?;
    if let Some(n) = name {
        l.display_name = n;
        l.changed_seq = seq;
    }
    let v = render_list(l);
    Ok(Reply::ok(with_context(v, ctx(req, user_id, "lists/$entity"))))
}

fn delete_list(store: &mut Store, user_id: &str, lid: &str) -> ApiResult<Reply> {
    if list_ref(store, user_id, lid)?.is_built_in() {
        return Err(invalid_request("Your request can't be completed. A default task folder can't be deleted."));
    }
    let seq = store.next_seq();
    let u = user_mut(store, user_id)?;
    let i = u.list_index(lid)?;
    let gone = u.lists.remove(i);
    u.list_tombstones.push((gone.id.clone(), seq));
    store.todo.sessions.retain(|_, s| s.list_id != gone.id);
    Ok(Reply::no_content())
}

// ----------------------------------------------------------------------------------------------
// Tasks
// ----------------------------------------------------------------------------------------------

fn list_tasks(store: &mut Store, user_id: &str, lid: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(TASK_PROPS, "todoTask")?;
    if req.query.search.is_some() {
        return Err(GraphError::bad_request("$search is not supported on todoTask collections."));
    }
    let expand = expand_of(req)?;
    let (out, pref) = out_zone(req);
    let l = list_ref(store, user_id, lid)?;
    let views: Vec<Value> = l.tasks.iter().map(filter_view).collect();
    let outputs: Vec<Value> = l.tasks.iter().map(|t| render_task(t, &out, expand)).collect();
    let items = filter_sort(req, views, outputs);
    let base = req.link_base();
    let context = ctx(req, user_id, &format!("lists('{}')/tasks", l.id));
    Ok(applied(Reply::ok(listing(req, TASK_PROPS, context, &base).page(items)), pref))
}

fn get_task(store: &mut Store, user_id: &str, lid: &str, tid: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(TASK_PROPS, "todoTask")?;
    let expand = expand_of(req)?;
    let (out, pref) = out_zone(req);
    let list_id = list_ref(store, user_id, lid)?.id.clone();
    let v = render_task(task_ref(store, user_id, lid, tid)?, &out, expand);
    let v = apply_select(v, req.query.select.as_deref(), TASK_PROPS);
    Ok(applied(Reply::ok(with_context(v, ctx(req, user_id, &format!("lists('{list_id}')/tasks/$entity")))), pref))
}

/// Reads and checks the writable properties of a task body; dates normalized.
fn task_fields(body: &Obj) -> ApiResult<Obj> {
    let mut data = check_body(body, TASK_WRITABLE, "todoTask")?;
    for key in TASK_DATES {
        if let Some(v) = data.get(*key).cloned() {
            data.insert((*key).to_owned(), normalize_dttz(&v, key)?);
        }
    }
    if let Some(title) = data.get("title")
        && title.as_str().is_none_or(|t| t.trim().is_empty())
    {
        return Err(invalid_request("The title of a task can't be empty."));
    }
    if let Some(rec) = data.get("recurrence")
        && !rec.is_null()
    {
        crate::state::calendar::check_recurrence(rec)?;
    }
    Ok(data)
}

fn utc_dttz(now: DateTime<Utc>) -> Value {
    json!({"dateTime": crate::time::format_local(now.naive_utc()), "timeZone": "UTC"})
}

fn create_task(store: &mut Store, user_id: &str, lid: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let mut data = task_fields(&body)?;
    if data.get("title").is_none_or(Value::is_null) {
        return Err(invalid_request("The title of a task is required."));
    }
    let now = req.now;
    let links_in = data.remove("linkedResources");
    let steps_in = data.remove("checklistItems");
    let mut links = Vec::new();
    for l in links_in.as_ref().and_then(Value::as_array).into_iter().flatten() {
        let obj = l.as_object().ok_or_else(|| GraphError::body_read("A linkedResource must be an object."))?;
        links.push(new_link(&mut store.todo.ids, obj)?);
    }
    let mut steps = Vec::new();
    for c in steps_in.as_ref().and_then(Value::as_array).into_iter().flatten() {
        let obj = c.as_object().ok_or_else(|| GraphError::body_read("A checklistItem must be an object."))?;
        steps.push(new_checklist_item(&mut store.todo.ids, obj, now)?);
    }
    data.entry("importance").or_insert(json!("normal"));
    data.entry("isReminderOn").or_insert(json!(false));
    data.entry("status").or_insert(json!("notStarted"));
    data.entry("body").or_insert(json!({"content": "", "contentType": "text"}));
    data.entry("categories").or_insert(json!([]));
    for k in TASK_DATES {
        if data.get(*k).is_some_and(Value::is_null) {
            data.remove(*k);
        }
    }
    if data.get("status").and_then(Value::as_str) == Some("completed") && !data.contains_key("completedDateTime") {
        data.insert("completedDateTime".into(), utc_dttz(now));
    }
    let list_id = list_ref(store, user_id, lid)?.id.clone();
    let seq = store.next_seq();
    let task = TaskRec {
        id: store.todo.ids.next(IdKind::Message),
        data,
        created: now,
        modified: now,
        body_modified: now,
        checklist: steps,
        links,
        attachments: Vec::new(),
        changed_seq: seq,
    };
    let (out, pref) = out_zone(req);
    let expand = TaskExpand { checklist: steps_in.is_some(), links: links_in.is_some(), attachments: false };
    let v = render_task(&task, &out, expand);
    list_mut(store, user_id, lid)?.tasks.push(task);
    Ok(applied(Reply::created(with_context(v, ctx(req, user_id, &format!("lists('{list_id}')/tasks/$entity")))), pref))
}

fn update_task(store: &mut Store, user_id: &str, lid: &str, tid: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let data = task_fields(&body)?;
    if data.contains_key("linkedResources") || data.contains_key("checklistItems") {
        return Err(invalid_request(
            "Navigation properties can't be updated with the task: use its checklistItems and linkedResources.",
        ));
    }
    let now = req.now;
    let seq = store.next_seq();
    let list_id = list_ref(store, user_id, lid)?.id.clone();
    let t = task_mut(store, user_id, lid, tid)?;
    let was_completed = t.data.get("status").and_then(Value::as_str) == Some("completed");
    for (k, v) in data {
        if k == "body" {
            t.body_modified = now;
        }
        if v.is_null() && (TASK_DATES.contains(&k.as_str()) || k == "recurrence") {
            t.data.remove(&k);
        } else {
            t.data.insert(k, v);
        }
    }
    let completed = t.data.get("status").and_then(Value::as_str) == Some("completed");
    if completed && !was_completed && !body.contains_key("completedDateTime") {
        t.data.insert("completedDateTime".into(), utc_dttz(now));
    }
    if !completed {
        t.data.remove("completedDateTime");
    }
    t.modified = now;
    t.changed_seq = seq;
    let (out, pref) = out_zone(req);
    let v = render_task(t, &out, TaskExpand::default());
    Ok(applied(Reply::ok(with_context(v, ctx(req, user_id, &format!("lists('{list_id}')/tasks/$entity")))), pref))
}

fn delete_task(store: &mut Store, user_id: &str, lid: &str, tid: &str) -> ApiResult<Reply> {
    let seq = store.next_seq();
    let l = list_mut(store, user_id, lid)?;
    let i = l.task_index(tid)?;
    let gone = l.tasks.remove(i);
    l.tombstones.push((gone.id.clone(), seq));
    store.todo.sessions.retain(|_, s| s.task_id != gone.id);
    Ok(Reply::no_content())
}

/// Marks a task changed (a checklist item, link or attachment of it changed).
fn touch(store: &mut Store, user_id: &str, lid: &str, tid: &str, now: DateTime<Utc>) -> ApiResult<()> {
    let seq = store.next_seq();
    let t = task_mut(store, user_id, lid, tid)?;
    t.changed_seq = seq;
    t.modified = now;
    Ok(())
}

// ----------------------------------------------------------------------------------------------
// Checklist items and linked resources
// ----------------------------------------------------------------------------------------------

fn checklist(store: &mut Store, user_id: &str, lid: &str, tid: &str, rest: &[&str], req: &Req) -> ApiResult<Reply> {
    let m = &req.method;
    let base_ctx = {
        let l = list_ref(store, user_id, lid)?;
        let t = &l.tasks[l.task_index(tid)?];
        format!("lists('{}')/tasks('{}')/checklistItems", l.id, t.id)
    };
    match rest {
        [] => match *m {
            Method::GET => {
                req.query.validate(CHECKLIST_PROPS, "checklistItem")?;
                let items: Vec<Value> =
                    task_ref(store, user_id, lid, tid)?.checklist.iter().map(render_checklist).collect();
                let base = req.link_base();
                Ok(Reply::ok(listing(req, CHECKLIST_PROPS, ctx(req, user_id, &base_ctx), &base).render(items)))
            }
            Method::POST => {
                let body = json_object(req.body)?;
                let item = new_checklist_item(&mut store.todo.ids, &body, req.now)?;
                let v = render_checklist(&item);
                task_mut(store, user_id, lid, tid)?.checklist.push(item);
                touch(store, user_id, lid, tid, req.now)?;
                Ok(Reply::created(with_context(v, ctx(req, user_id, &format!("{base_ctx}/$entity")))))
            }
            _ => Err(method_not_allowed()),
        },
        [cid] => {
            let i = task_ref(store, user_id, lid, tid)?
                .checklist
                .iter()
                .position(|c| c.id == *cid)
                .ok_or_else(GraphError::item_not_found)?;
            match *m {
                Method::GET => {
                    let v = render_checklist(&task_ref(store, user_id, lid, tid)?.checklist[i]);
                    let v = apply_select(v, req.query.select.as_deref(), CHECKLIST_PROPS);
                    Ok(Reply::ok(with_context(v, ctx(req, user_id, &format!("{base_ctx}/$entity")))))
                }
                Method::PATCH => {
                    let body = json_object(req.body)?;
                    let t = task_mut(store, user_id, lid, tid)?;
                    apply_checklist_patch(&mut t.checklist[i], &body, req.now)?;
                    if t.checklist[i].display_name.trim().is_empty() {
                        return Err(invalid_request("The displayName of a checklist item can't be empty."));
                    }
                    let v = render_checklist(&t.checklist[i]);
                    touch(store, user_id, lid, tid, req.now)?;
                    Ok(Reply::ok(with_context(v, ctx(req, user_id, &format!("{base_ctx}/$entity")))))
                }
                Method::DELETE => {
                    task_mut(store, user_id, lid, tid)?.checklist.remove(i);
                    touch(store, user_id, lid, tid, req.now)?;
                    Ok(Reply::no_content())
                }
                _ => Err(method_not_allowed()),
            }
        }
        [_, other, ..] => Err(GraphError::segment_not_found(other)),
    }
}

fn links(store: &mut Store, user_id: &str, lid: &str, tid: &str, rest: &[&str], req: &Req) -> ApiResult<Reply> {
    let m = &req.method;
    let base_ctx = {
        let l = list_ref(store, user_id, lid)?;
        let t = &l.tasks[l.task_index(tid)?];
        format!("lists('{}')/tasks('{}')/linkedResources", l.id, t.id)
    };
    match rest {
        [] => match *m {
            Method::GET => {
                req.query.validate(LINK_PROPS, "linkedResource")?;
                let items: Vec<Value> = task_ref(store, user_id, lid, tid)?.links.iter().map(render_link).collect();
                let base = req.link_base();
                Ok(Reply::ok(listing(req, LINK_PROPS, ctx(req, user_id, &base_ctx), &base).render(items)))
            }
            Method::POST => {
                let body = json_object(req.body)?;
                let link = new_link(&mut store.todo.ids, &body)?;
                let has = |k: &str| link.data.get(k).and_then(Value::as_str).is_some_and(|s| !s.trim().is_empty());
                if !has("webUrl") && !has("externalId") {
                    return Err(invalid_request("A linked resource needs a webUrl or an externalId."));
                }
                let v = render_link(&link);
                task_mut(store, user_id, lid, tid)?.links.push(link);
                touch(store, user_id, lid, tid, req.now)?;
                Ok(Reply::created(with_context(v, ctx(req, user_id, &format!("{base_ctx}/$entity")))))
            }
            _ => Err(method_not_allowed()),
        },
        [rid] => {
            let i = task_ref(store, user_id, lid, tid)?
                .links
                .iter()
                .position(|l| l.id == *rid)
                .ok_or_else(GraphError::item_not_found)?;
            match *m {
                Method::GET => {
                    let v = render_link(&task_ref(store, user_id, lid, tid)?.links[i]);
                    let v = apply_select(v, req.query.select.as_deref(), LINK_PROPS);
                    Ok(Reply::ok(with_context(v, ctx(req, user_id, &format!("{base_ctx}/$entity")))))
                }
                Method::PATCH => {
                    let body = json_object(req.body)?;
                    let patch = new_link(&mut store.todo.ids, &body)?;
                    let t = task_mut(store, user_id, lid, tid)?;
                    for (k, v) in patch.data {
                        t.links[i].data.insert(k, v);
                    }
                    let v = render_link(&t.links[i]);
                    touch(store, user_id, lid, tid, req.now)?;
                    Ok(Reply::ok(with_context(v, ctx(req, user_id, &format!("{base_ctx}/$entity")))))
                }
                Method::DELETE => {
                    task_mut(store, user_id, lid, tid)?.links.remove(i);
                    touch(store, user_id, lid, tid, req.now)?;
                    Ok(Reply::no_content())
                }
                _ => Err(method_not_allowed()),
            }
        }
        [_, other, ..] => Err(GraphError::segment_not_found(other)),
    }
}

// ----------------------------------------------------------------------------------------------
// Attachments
// ----------------------------------------------------------------------------------------------

fn attachments(store: &mut Store, user_id: &str, lid: &str, tid: &str, rest: &[&str], req: &Req) -> ApiResult<Reply> {
    let m = &req.method;
    let (list_id, task_id) = {
        let l = list_ref(store, user_id, lid)?;
        (l.id.clone(), l.tasks[l.task_index(tid)?].id.clone())
    };
    let base_ctx = format!("lists('{list_id}')/tasks('{task_id}')/attachments");
    match rest {
        [] => match *m {
            Method::GET => {
                req.query.validate(ATTACHMENT_PROPS, "taskFileAttachment")?;
                let items: Vec<Value> = task_ref(store, user_id, lid, tid)?
                    .attachments
                    .iter()
                    .map(|a| render_attachment(a, false))
                    .collect();
                let base = req.link_base();
                Ok(Reply::ok(listing(req, ATTACHMENT_PROPS, ctx(req, user_id, &base_ctx), &base).render(items)))
            }
            Method::POST => add_attachment(store, user_id, lid, tid, &base_ctx, req),
            _ => Err(method_not_allowed()),
        },
        ["createuploadsession"] => match *m {
            Method::POST => create_upload_session(store, user_id, &list_id, &task_id, req),
            _ => Err(method_not_allowed()),
        },
        [aid, tail @ ..] => {
            let i = task_ref(store, user_id, lid, tid)?
                .attachments
                .iter()
                .position(|a| a.id == *aid)
                .ok_or_else(|| not_found_or_malformed(aid))?;
            match (tail, m.clone()) {
                ([], Method::GET) => {
                    let v = render_attachment(&task_ref(store, user_id, lid, tid)?.attachments[i], true);
                    let v = apply_select(v, req.query.select.as_deref(), ATTACHMENT_PROPS);
                    Ok(Reply::ok(with_context(v, ctx(req, user_id, &format!("{base_ctx}/$entity")))))
                }
                ([], Method::DELETE) => {
                    task_mut(store, user_id, lid, tid)?.attachments.remove(i);
                    touch(store, user_id, lid, tid, req.now)?;
                    Ok(Reply::no_content())
                }
                (["$value"], Method::GET) => {
                    let a = &task_ref(store, user_id, lid, tid)?.attachments[i];
                    Ok(Reply::bytes(&a.content_type, a.content.clone()))
                }
                ([] | ["$value"], _) => Err(method_not_allowed()),
                ([other, ..], _) => Err(GraphError::segment_not_found(other)),
            }
        }
    }
}

fn add_attachment(
    store: &mut Store,
    user_id: &str,
    lid: &str,
    tid: &str,
    base_ctx: &str,
    req: &Req,
) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let mut name = None;
    let mut content_type = None;
    let mut content = None;
    for (k, v) in &body {
        match k.as_str() {
            "@odata.type" => {
                let t = v.as_str().unwrap_or_default().trim_start_matches('#');
                if !t.eq_ignore_ascii_case("microsoft.graph.taskFileAttachment") {
                    return Err(invalid_request(format!(
                        "To Do tasks take file attachments only (#microsoft.graph.taskFileAttachment), not '{t}'."
                    )));
                }
            }
            "name" => name = v.as_str().map(str::to_owned),
            "contentType" => content_type = v.as_str().map(str::to_owned),
            "contentBytes" => {
                let s = v.as_str().ok_or_else(|| {
                    GraphError::body_read(
                        "Cannot convert the value of property 'contentBytes' to the expected type 'Edm.Binary'.",
                    )
                })?;
                content = Some(STANDARD.decode(s.trim()).map_err(|_| {
                    GraphError::body_read(
                        "Cannot convert the value of property 'contentBytes' to the expected type 'Edm.Binary'.",
                    )
                })?);
            }
            "size" | "id" | "lastModifiedDateTime" => {}
            k if k.starts_with('@') => {}
            other => {
                return Err(GraphError::body_read(format!(
                    "The property '{other}' does not exist on type 'microsoft.graph.taskFileAttachment'. Make sure to only use property names that are defined by the type or mark the type as open type."
                )));
            }
        }
    }
    let name = name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| invalid_request("The name of an attachment is required."))?;
    let content = content.ok_or_else(|| invalid_request("The contentBytes of an attachment are required."))?;
    if content.len() >= MAX_INLINE_ATTACHMENT {
        return Err(GraphError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            format!(
                "The attachment is {} bytes; attachments of 3 MB or more need an upload session (attachments/createUploadSession).",
                content.len()
            ),
        ));
    }
    let rec = TaskAttachmentRec {
        id: store.todo.ids.next(IdKind::Attachment),
        name,
        content_type: content_type.unwrap_or_else(|| "application/octet-stream".to_owned()),
        content,
        modified: req.now,
    };
    let v = render_attachment(&rec, false);
    task_mut(store, user_id, lid, tid)?.attachments.push(rec);
    touch(store, user_id, lid, tid, req.now)?;
    Ok(Reply::created(with_context(v, ctx(req, user_id, &format!("{base_ctx}/$entity")))))
}

fn create_upload_session(
    store: &mut Store,
    user_id: &str,
    list_id: &str,
    task_id: &str,
    req: &Req,
) -> ApiResult<Reply> {
    let body = crate::state::schema::action_params(req.body, &["attachmentInfo"])?;
    let info = body
        .get("attachmentInfo")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid_request("The attachmentInfo parameter is required."))?;
    let kind = info.get("attachmentType").and_then(Value::as_str).unwrap_or_default();
    if !kind.eq_ignore_ascii_case("file") {
        return Err(invalid_request(format!("attachmentType '{kind}' is not supported: use 'file'.")));
    }
    let name = info
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| invalid_request("The attachmentInfo.name is required."))?
        .to_owned();
    let size = info
        .get("size")
        .and_then(Value::as_u64)
        .filter(|s| *s > 0)
        .ok_or_else(|| invalid_request("The attachmentInfo.size must be a positive number of bytes."))?;
    if size > MAX_SESSION_ATTACHMENT {
        return Err(invalid_request(format!(
            "The attachment is {size} bytes; To Do takes attachments up to 25 MB ({MAX_SESSION_ATTACHMENT} bytes)."
        )));
    }
    let content_type = info.get("contentType").and_then(Value::as_str).unwrap_or("application/octet-stream").to_owned();
    let now = req.now;
    store.todo.sessions.retain(|_, s| s.expires > now);
    let id = store.todo.ids.next(IdKind::Attachment);
    let expires = now + Duration::hours(2);
    store.todo.sessions.insert(
        id.clone(),
        TaskUploadSession {
            user_id: user_id.to_owned(),
            list_id: list_id.to_owned(),
            task_id: task_id.to_owned(),
            name,
            content_type,
            size,
            received: Vec::new(),
            expires,
        },
    );
    Ok(Reply::ok(json!({
        "@odata.context": req.context("microsoft.graph.uploadSession"),
        "uploadUrl": upload_url(&req.origin, user_id, list_id, task_id, &id),
        "expirationDateTime": format_precise(expires),
        "nextExpectedRanges": ["0-"],
    })))
}

fn seg(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn upload_url(origin: &str, user_id: &str, list_id: &str, task_id: &str, id: &str) -> String {
    format!(
        "{origin}/v1.0/users/{}/todo/lists/{}/tasks/{}/attachmentSessions/{}",
        seg(user_id),
        seg(list_id),
        seg(task_id),
        seg(id)
    )
}

// ----------------------------------------------------------------------------------------------
// Delta
// ----------------------------------------------------------------------------------------------

fn removed(kind: &str, id: &str) -> Value {
    json!({"@odata.type": format!("#microsoft.graph.{kind}"), "id": id, "@removed": {"reason": "deleted"}})
}

/// The changes since `since` (everything when 0), lists or the tasks of a list.
fn compute_round(store: &Store, user_id: &str, list_id: Option<&str>, since: u64) -> ApiResult<Vec<TodoEntry>> {
    let u = user(store, user_id)?;
    let mut out = Vec::new();
    match list_id {
        None => {
            if since > 0 {
                for (id, seq) in &u.list_tombstones {
                    if *seq > since && !u.lists.iter().any(|l| &l.id == id) {
                        out.push(TodoEntry::Removed(id.clone()));
                    }
                }
            }
            let mut changed: Vec<&ListRec> = u.lists.iter().filter(|l| l.changed_seq > since).collect();
            changed.sort_by_key(|l| l.changed_seq);
            out.extend(changed.into_iter().map(|l| TodoEntry::Changed(l.id.clone())));
        }
        Some(lid) => {
            let l = &u.lists[u.list_index(lid)?];
            if since > 0 {
                for (id, seq) in &l.tombstones {
                    if *seq > since && !l.tasks.iter().any(|t| &t.id == id) {
                        out.push(TodoEntry::Removed(id.clone()));
                    }
                }
            }
            let mut changed: Vec<&TaskRec> = l.tasks.iter().filter(|t| t.changed_seq > since).collect();
            changed.sort_by_key(|t| t.changed_seq);
            out.extend(changed.into_iter().map(|t| TodoEntry::Changed(t.id.clone())));
        }
    }
    Ok(out)
}

/// `GET .../lists/delta` (`list_id` `None`) and `GET .../lists/{id}/tasks/delta`.
fn delta(store: &mut Store, user_id: &str, list_id: Option<String>, req: &Req) -> ApiResult<Reply> {
    let skip = req.query.param("skiptoken").map(str::to_owned);
    let token = req.query.param("deltatoken").map(str::to_owned);
    let same = |u: &str, l: &Option<String>| u == user_id && *l == list_id;
    let (entries, offset, upto, select, page_size) = match (skip, token) {
        (Some(tok), _) => match store.todo.token(&tok) {
            Some(TodoDelta::Page { user_id: u, list_id: l, entries, offset, upto, select, page_size })
                if same(u, l) =>
            {
                (entries.clone(), *offset, *upto, select.clone(), *page_size)
            }
            _ => return Err(GraphError::sync_state_not_found()),
        },
        (None, Some(tok)) => match store.todo.token(&tok) {
            Some(TodoDelta::Round { user_id: u, list_id: l, since, select, page_size }) if same(u, l) => {
                let (since, select, page_size) = (*since, select.clone(), *page_size);
                let entries = compute_round(store, user_id, list_id.as_deref(), since)?;
                (Arc::new(entries), 0, store.seq, select, page_size)
            }
            _ => return Err(GraphError::sync_state_not_found()),
        },
        (None, None) => {
            let props = if list_id.is_some() { TASK_PROPS } else { LIST_PROPS };
            req.query.validate(props, if list_id.is_some() { "todoTask" } else { "todoTaskList" })?;
            if req.query.search.is_some() {
                return Err(GraphError::bad_request("$search is not supported on delta queries."));
            }
            let entries = compute_round(store, user_id, list_id.as_deref(), 0)?;
            (Arc::new(entries), 0, store.seq, req.query.select.clone(), req.query.top)
        }
    };
    let size = req.prefs.max_page_size.or(page_size).unwrap_or(DEFAULT_PAGE).clamp(1, 1000);
    let end = (offset + size).min(entries.len());
    let (out, pref) = out_zone(req);
    let u = user(store, user_id)?;
    let mut value = Vec::new();
    for e in &entries[offset..end] {
        match (e, &list_id) {
            (TodoEntry::Removed(id), None) => value.push(removed("todoTaskList", id)),
            (TodoEntry::Removed(id), Some(_)) => value.push(removed("todoTask", id)),
            (TodoEntry::Changed(id), None) => match u.lists.iter().find(|l| &l.id == id) {
                Some(l) => value.push(apply_select(render_list(l), select.as_deref(), LIST_PROPS)),
                None => value.push(removed("todoTaskList", id)),
            },
            (TodoEntry::Changed(id), Some(lid)) => {
                let task = u.lists.iter().find(|l| &l.id == lid).and_then(|l| l.tasks.iter().find(|t| &t.id == id));
                match task {
                    Some(t) => {
                        let mut v = render_task(t, &out, TaskExpand::default());
                        if let Value::Object(o) = &mut v {
                            o.insert("@odata.type".into(), json!("#microsoft.graph.todoTask"));
                        }
                        value.push(apply_select(v, select.as_deref(), TASK_PROPS));
                    }
                    None => value.push(removed("todoTask", id)),
                }
            }
        }
    }
    let next_token = store.todo.ids.token(24);
    let mut body = Map::new();
    let context = match &list_id {
        None => ctx(req, user_id, "lists/delta()"),
        Some(lid) => ctx(req, user_id, &format!("lists('{lid}')/tasks/delta()")),
    };
    body.insert("@odata.context".into(), json!(context));
    let base = req.link_base();
    if end < entries.len() {
        body.insert("@odata.nextLink".into(), json!(format!("{base}?$skiptoken={next_token}")));
        store.todo.issue(
            next_token,
            TodoDelta::Page { user_id: user_id.to_owned(), list_id, entries, offset: end, upto, select, page_size },
        );
    } else {
        body.insert("@odata.deltaLink".into(), json!(format!("{base}?$deltatoken={next_token}")));
        store.todo.issue(
            next_token,
            TodoDelta::Round { user_id: user_id.to_owned(), list_id, since: upto, select, page_size },
        );
    }
    body.insert("value".into(), Value::Array(value));
    Ok(applied(Reply::ok(Value::Object(body)), pref))
}

// ----------------------------------------------------------------------------------------------
// The upload session (a Graph resource: `attachmentSessions/{id}`, its bytes at `.../content`)
// ----------------------------------------------------------------------------------------------

fn session_error(status: StatusCode, code: &str, message: impl Into<String>) -> GraphError {
    GraphError::new(status, code, message)
}

fn ranges_reply(s: &TaskUploadSession) -> Reply {
    Reply::ok(json!({
        "expirationDateTime": format_precise(s.expires),
        "nextExpectedRanges": [format!("{}-", s.received.len())],
    }))
}

/// `GET` / `DELETE` on the session (`content` false), `PUT` of a slice on
/// its `content` (true); the caller's token has reached `user_id`'s To Do.
fn upload(store: &mut Store, user_id: &str, id: &str, content: bool, req: &Req) -> ApiResult<Reply> {
    let (method, headers, body, graph_origin, now) = (&req.method, req.headers, req.body, &req.origin, req.now);
    store.todo.sessions.retain(|_, s| s.expires > now);
    let gone = || {
        session_error(StatusCode::NOT_FOUND, "ErrorItemNotFound", "The upload session was not found or has expired.")
    };
    let Some(s) = store.todo.sessions.get(id).filter(|s| s.user_id == user_id) else { return Err(gone()) };
    match *method {
        Method::GET if !content => Ok(ranges_reply(s)),
        Method::DELETE if !content => {
            store.todo.sessions.remove(id);
            Ok(Reply::no_content())
        }
        Method::PUT if content => {
            let range = headers.get(header::CONTENT_RANGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
            let parsed = range.trim().strip_prefix("bytes ").and_then(|r| {
                let (span, total) = r.split_once('/')?;
                let (a, b) = span.split_once('-')?;
                Some((a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?, total.trim().parse::<u64>().ok()?))
            });
            let Some((first, last, total)) = parsed else {
                return Err(invalid_request(
                    "A Content-Range header of the form 'bytes first-last/total' is required.",
                ));
            };
            if total != s.size {
                return Err(invalid_request(format!(
                    "The total size {total} does not match the session's size {}.",
                    s.size
                )));
            }
            if last < first || last >= total || (last - first + 1) != body.len() as u64 {
                return Err(invalid_request(format!(
                    "The Content-Range {range} does not match the {} bytes sent.",
                    body.len()
                )));
            }
            if body.len() as u64 > 4 * 1024 * 1024 {
                return Err(invalid_request("Upload at most 4 MB per request."));
            }
            if first != s.received.len() as u64 {
                return Err(session_error(
                    StatusCode::RANGE_NOT_SATISFIABLE,
                    "ErrorInvalidRange",
                    format!("The server expects byte {} next.", s.received.len()),
                ));
            }
            let Some(s) = store.todo.sessions.get_mut(id) else { return Err(gone()) };
            s.received.extend_from_slice(body);
            if (s.received.len() as u64) < s.size {
                return Ok(ranges_reply(s));
            }
            let Some(s) = store.todo.sessions.remove(id) else { return Err(gone()) };
            let aid = store.todo.ids.next(IdKind::Attachment);
            let rec = TaskAttachmentRec {
                id: aid.clone(),
                name: s.name,
                content_type: s.content_type,
                content: s.received,
                modified: now,
            };
            let t = task_mut(store, &s.user_id, &s.list_id, &s.task_id).map_err(|_| gone())?;
            t.attachments.push(rec);
            touch(store, &s.user_id, &s.list_id, &s.task_id, now)?;
            let location = format!(
                "{graph_origin}/v1.0/users/{}/todo/lists/{}/tasks/{}/attachments/{}",
                seg(&s.user_id),
                seg(&s.list_id),
                seg(&s.task_id),
                seg(&aid)
            );
            Ok(Reply { status: StatusCode::CREATED, body: crate::routes::Body::Empty, headers: Vec::new() }
                .with_header(header::LOCATION, location))
        }
        _ => Err(method_not_allowed()),
    }
}
