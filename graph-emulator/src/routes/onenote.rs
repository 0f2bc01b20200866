//! OneNote (`/me/onenote`, `/users/{id}/onenote`): notebooks, section
//! groups, sections, pages (list, get, content, preview, create from HTML or
//! multipart, PATCH commands, delete, `copyToSection` with its operation),
//! resources, and OneNote's numeric error codes
//! (<https://learn.microsoft.com/graph/onenote-error-codes>).

use axum::http::{HeaderName, Method, StatusCode, header};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::odata::{Listing, QueryOptions, apply_select};
use crate::routes::{Reply, Req};
use crate::state::onenote::{
    BinaryPart, Command, GroupRec, NotebookRec, OPERATION_POLLS, OperationRec, PageRec, SectionRec, UserNotes,
    not_found, onenote_error, parse_html, refers_to_parts,
};
use crate::state::store::Store;

const KEYWORDS: &[&str] = &[
    "notebooks",
    "sectiongroups",
    "sections",
    "pages",
    "content",
    "preview",
    "copytosection",
    "operations",
    "resources",
    "$value",
    "getnotebookfromweburl",
];

const PAGE_PROPS: &[&str] = &[
    "id",
    "self",
    "title",
    "createdByAppId",
    "contentUrl",
    "createdDateTime",
    "lastModifiedDateTime",
    "links",
    "level",
    "order",
    "parentSection",
    "parentNotebook",
    "userTags",
];
const SECTION_PROPS: &[&str] = &[
    "id",
    "self",
    "displayName",
    "createdDateTime",
    "lastModifiedDateTime",
    "createdBy",
    "lastModifiedBy",
    "isDefault",
    "pagesUrl",
    "links",
    "parentNotebook",
    "parentSectionGroup",
];
const NOTEBOOK_PROPS: &[&str] = &[
    "id",
    "self",
    "displayName",
    "createdDateTime",
    "lastModifiedDateTime",
    "createdBy",
    "lastModifiedBy",
    "isDefault",
    "isShared",
    "userRole",
    "sectionsUrl",
    "sectionGroupsUrl",
    "links",
    "sections",
    "sectionGroups",
];
const GROUP_PROPS: &[&str] = &[
    "id",
    "self",
    "displayName",
    "createdDateTime",
    "lastModifiedDateTime",
    "createdBy",
    "lastModifiedBy",
    "sectionsUrl",
    "sectionGroupsUrl",
    "parentNotebook",
    "parentSectionGroup",
    "sections",
    "sectionGroups",
];

/// Whether a request (segments after `/v1.0`) is for OneNote.
pub(crate) fn is_onenote(segs: &[String]) -> bool {
    match segs {
        [me, on, ..] if me == "me" => on.eq_ignore_ascii_case("onenote"),
        [users, _, on, ..] if users == "users" => on.eq_ignore_ascii_case("onenote"),
        _ => false,
    }
}

/// OneNote's throttling answer: 429 with error 20166 and, unlike Outlook, no `Retry-After`.
pub(crate) fn throttled() -> GraphError {
    onenote_error(
        429,
        "20166",
        "The application has issued too many requests on behalf of a user in a short period of time. Please try again later.",
    )
}

/// OneNote's query options: as Graph's, plus `tolower(...)` / `toupper(...)`
/// around a property in `$filter` (comparisons are case-insensitive anyway).
pub(crate) fn parse_query(raw_query: &str) -> ApiResult<QueryOptions> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw_query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        if k.trim_start_matches('$').eq_ignore_ascii_case("filter") {
            ser.append_pair(k, &strip_case_functions(v));
        } else {
            ser.append_pair(k, v);
        }
    }
    let mut q = QueryOptions::parse(&ser.finish())
        .map_err(|e| onenote_error(400, "20143", format!("The OData query is invalid: {}", e.message)))?;
    q.raw = pairs;
    Ok(q)
}

fn strip_case_functions(filter: &str) -> String {
    let mut s = filter.to_owned();
    for f in ["tolower(", "toupper("] {
        while let Some(start) = s.to_ascii_lowercase().find(f) {
            let inner_start = start + f.len();
            let Some(close) = s[inner_start..].find(')') else { break };
            let inner = s[inner_start..inner_start + close].to_owned();
            s.replace_range(start..inner_start + close + 1, &inner);
        }
    }
    s
}

/// URLs and names a rendering needs.
struct Ctx {
    /// `{origin}/v1.0/users/{id}/onenote`
    base: String,
    /// The user's (imaginary) OneDrive notebooks folder.
    web: String,
    /// The context prefix: `users('{id}')/onenote`.
    ctx: String,
}

fn ctx_for(store: &Store, user_id: &str, req: &Req) -> Ctx {
    let upn = store.user(user_id).map(|u| u.upn.clone()).unwrap_or_default();
    let tenant_host = upn.split('@').nth(1).and_then(|d| d.split('.').next()).unwrap_or("contoso").to_ascii_lowercase();
    Ctx {
        base: format!("{}/v1.0/users/{user_id}/onenote", req.origin),
        web: format!(
            "https://{tenant_host}-my.sharepoint.com/personal/{}/Documents/Notebooks",
            upn.to_ascii_lowercase().replace(['@', '.'], "_")
        ),
        ctx: format!("users('{user_id}')/onenote"),
    }
}

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn identity(store: &Store, user_id: &str) -> Value {
    let name = store.user(user_id).map(|u| u.display_name.clone()).unwrap_or_default();
    json!({"user": {"id": user_id, "displayName": name}})
}

fn links(web: &str) -> Value {
    json!({"oneNoteClientUrl": {"href": format!("onenote:{web}")}, "oneNoteWebUrl": {"href": web}})
}

fn notebook_web(c: &Ctx, nb: &NotebookRec) -> String {
    format!("{}/{}", c.web, enc(&nb.name))
}

fn parent_notebook(c: &Ctx, nb: &NotebookRec) -> Value {
    json!({"id": nb.id, "displayName": nb.name, "self": format!("{}/notebooks/{}", c.base, nb.id)})
}

fn render_notebook(notes: &UserNotes, c: &Ctx, who: &Value, nb: &NotebookRec, expand: &[(String, String)]) -> Value {
    let mut v = json!({
        "id": nb.id,
        "self": format!("{}/notebooks/{}", c.base, nb.id),
        "createdDateTime": ts(nb.created),
        "displayName": nb.name,
        "lastModifiedDateTime": ts(nb.modified),
        "isDefault": nb.is_default,
        "userRole": "Owner",
        "isShared": false,
        "sectionsUrl": format!("{}/notebooks/{}/sections", c.base, nb.id),
        "sectionGroupsUrl": format!("{}/notebooks/{}/sectionGroups", c.base, nb.id),
        "createdBy": who,
        "lastModifiedBy": who,
        "links": links(&notebook_web(c, nb)),
    });
    for (name, nested) in expand {
        if name.eq_ignore_ascii_case("sections") {
            v["sections"] = by_name(
                notes
                    .sections
                    .iter()
                    .filter(|s| s.notebook_id == nb.id && s.group_id.is_none())
                    .map(|s| render_section(notes, c, who, s))
                    .collect::<Vec<_>>(),
            );
        } else if name.eq_ignore_ascii_case("sectionGroups") {
            let inner = parse_expand(nested);
            v["sectionGroups"] = by_name(
                notes
                    .groups
                    .iter()
                    .filter(|g| g.notebook_id == nb.id && g.parent_group.is_none())
                    .map(|g| render_group(notes, c, who, g, &inner))
                    .collect::<Vec<_>>(),
            );
        }
    }
    v
}

fn render_group(notes: &UserNotes, c: &Ctx, who: &Value, g: &GroupRec, expand: &[(String, String)]) -> Value {
    let nb = notes.notebooks.iter().find(|n| n.id == g.notebook_id);
    let parent_group = g.parent_group.as_ref().and_then(|p| notes.groups.iter().find(|x| x.id == *p));
    let mut v = json!({
        "id": g.id,
        "self": format!("{}/sectionGroups/{}", c.base, g.id),
        "createdDateTime": ts(g.created),
        "displayName": g.name,
        "lastModifiedDateTime": ts(g.modified),
        "createdBy": who,
        "lastModifiedBy": who,
        "sectionsUrl": format!("{}/sectionGroups/{}/sections", c.base, g.id),
        "sectionGroupsUrl": format!("{}/sectionGroups/{}/sectionGroups", c.base, g.id),
        "parentNotebook": nb.map(|n| parent_notebook(c, n)),
        "parentSectionGroup": parent_group.map(|p| json!({"id": p.id, "displayName": p.name, "self": format!("{}/sectionGroups/{}", c.base, p.id)})),
    });
    for (name, nested) in expand {
        if name.eq_ignore_ascii_case("sections") {
            v["sections"] = by_name(
                notes
                    .sections
                    .iter()
                    .filter(|s| s.group_id.as_deref() == Some(g.id.as_str()))
                    .map(|s| render_section(notes, c, who, s))
                    .collect::<Vec<_>>(),
            );
        } else if name.eq_ignore_ascii_case("sectionGroups") {
            let inner = parse_expand(nested);
            v["sectionGroups"] = by_name(
                notes
                    .groups
                    .iter()
                    .filter(|x| x.parent_group.as_deref() == Some(g.id.as_str()))
                    .map(|x| render_group(notes, c, who, x, &inner))
                    .collect::<Vec<_>>(),
            );
        }
    }
    v
}

fn section_web(notes: &UserNotes, c: &Ctx, s: &SectionRec) -> String {
    let nb = notes.notebooks.iter().find(|n| n.id == s.notebook_id).map(|n| notebook_web(c, n)).unwrap_or_default();
    format!("{nb}/{}.one", enc(&s.name))
}

fn render_section(notes: &UserNotes, c: &Ctx, who: &Value, s: &SectionRec) -> Value {
    let nb = notes.notebooks.iter().find(|n| n.id == s.notebook_id);
    let group = s.group_id.as_ref().and_then(|g| notes.groups.iter().find(|x| x.id == *g));
    json!({
        "id": s.id,
        "self": format!("{}/sections/{}", c.base, s.id),
        "createdDateTime": ts(s.created),
        "displayName": s.name,
        "lastModifiedDateTime": ts(s.modified),
        "isDefault": s.is_default,
        "pagesUrl": format!("{}/sections/{}/pages", c.base, s.id),
        "createdBy": who,
        "lastModifiedBy": who,
        "links": links(&section_web(notes, c, s)),
        "parentNotebook": nb.map(|n| parent_notebook(c, n)),
        "parentSectionGroup": group.map(|g| json!({"id": g.id, "displayName": g.name, "self": format!("{}/sectionGroups/{}", c.base, g.id)})),
    })
}

fn render_page(notes: &UserNotes, c: &Ctx, p: &PageRec, level: bool, with_notebook: bool) -> Value {
    let section = notes.sections.iter().find(|s| s.id == p.section_id);
    let web = section.map(|s| section_web(notes, c, s)).unwrap_or_default();
    let mut v = json!({
        "id": p.id,
        "self": format!("{}/pages/{}", c.base, p.id),
        "createdDateTime": ts(p.created),
        "title": p.title,
        "createdByAppId": "",
        "contentUrl": format!("{}/pages/{}/content", c.base, p.id),
        "lastModifiedDateTime": ts(p.modified),
        "links": links(&format!("{web}#{}&section-id={{{}}}&page-id={{{}}}&end", enc(&p.title), p.section_id.trim_start_matches("1-"), p.guid)),
        "userTags": [],
        "parentSection": section.map(|s| json!({"id": s.id, "displayName": s.name, "self": format!("{}/sections/{}", c.base, s.id)})),
    });
    if level {
        v["level"] = json!(p.level);
        v["order"] = json!(p.order);
    }
    if with_notebook && let Some(nb) = section.and_then(|s| notes.notebooks.iter().find(|n| n.id == s.notebook_id)) {
        v["parentNotebook"] = parent_notebook(c, nb);
    }
    v
}

/// Expanded children, by name (as the collections list them by default).
fn by_name(mut items: Vec<Value>) -> Value {
    items.sort_by(|a, b| crate::odata::compare_json(a.get("displayName"), b.get("displayName")));
    Value::Array(items)
}

/// `sections,sectionGroups($expand=sections)` -> [("sections", ""), ("sectionGroups", "sections")].
fn parse_expand(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    let mut items = Vec::new();
    for ch in s.chars() {
        match ch {
            '(' => {
                depth += 1;
                cur.push(ch);
            }
            ')' => {
                depth = depth.saturating_sub(1);
                cur.push(ch);
            }
            ',' if depth == 0 => items.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    items.push(cur);
    for item in items {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        match item.split_once('(') {
            Some((name, rest)) => {
                let inner = rest.strip_suffix(')').unwrap_or(rest);
                let nested = inner
                    .split(';')
                    .find_map(|o| {
                        let (k, v) = o.split_once('=')?;
                        k.trim().trim_start_matches('$').eq_ignore_ascii_case("expand").then(|| v.trim().to_owned())
                    })
                    .unwrap_or_default();
                out.push((name.trim().to_owned(), nested));
            }
            None => out.push((item.to_owned(), String::new())),
        }
    }
    out
}

fn expand_of(req: &Req, allowed: &[&str]) -> ApiResult<Vec<(String, String)>> {
    let list = parse_expand(req.query.param("expand").unwrap_or_default());
    for (name, _) in &list {
        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(name)) {
            return Err(onenote_error(
                400,
                "20145",
                format!("The expand expression contains an invalid term: '{name}'."),
            ));
        }
    }
    Ok(list)
}

/// Filters, sorts and pages a collection; `default_order` when there is no `$orderby`.
#[allow(clippy::too_many_arguments)]
fn listing(
    req: &Req,
    items: Vec<Value>,
    props: &[&str],
    type_name: &str,
    context: String,
    default_order: (&str, bool),
    default_page: usize,
    max_page: usize,
) -> ApiResult<Reply> {
    req.query.validate(props, type_name).map_err(|e| onenote_error(400, "20127", e.message))?;
    let mut q = req.query.clone();
    if q.orderby.is_empty() {
        q.orderby = vec![(vec![default_order.0.to_owned()], default_order.1)];
    }
    if let Some(top) = q.top
        && top > max_page
    {
        return Err(onenote_error(
            400,
            "20129",
            format!("The top query parameter value {top} is too high: the maximum is {max_page}."),
        ));
    }
    let link_base = req.link_base();
    let l = Listing { query: &q, props, context, link_base: &link_base, prefer_max: None, default_page, max_page };
    Ok(Reply::ok(l.render(items)))
}

fn method_not_allowed() -> GraphError {
    GraphError::method_not_allowed()
}

/// Routes what follows `/onenote`.
pub(crate) fn route(store: &mut Store, user_id: &str, tail: &[&str], req: &Req) -> ApiResult<Reply> {
    let segs: Vec<String> = tail
        .iter()
        .map(|s| {
            let lower = s.to_ascii_lowercase();
            if KEYWORDS.contains(&lower.as_str()) { lower } else { (*s).to_owned() }
        })
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let c = ctx_for(store, user_id, req);
    let who = identity(store, user_id);
    store.onenote_mut(user_id);
    let m = &req.method;
    match segs.as_slice() {
        ["notebooks"] => match *m {
            Method::GET => list_notebooks(store, user_id, &c, &who, req),
            Method::POST => create_notebook(store, user_id, &c, &who, req),
            _ => Err(method_not_allowed()),
        },
        ["notebooks", "getnotebookfromweburl"] => match *m {
            Method::POST => notebook_from_url(store, user_id, &c, &who, req),
            _ => Err(method_not_allowed()),
        },
        ["notebooks", id] => match *m {
            Method::GET => {
                let expand = expand_of(req, &["sections", "sectionGroups"])?;
                let notes = store.onenote_mut(user_id);
                let nb = notes.notebook(id)?;
                let v = render_notebook(notes, &c, &who, nb, &expand);
                Ok(Reply::ok(entity(req, v, NOTEBOOK_PROPS, &format!("{}/notebooks/$entity", c.ctx))))
            }
            _ => Err(method_not_allowed()),
        },
        ["notebooks", id, "sections"] => match *m {
            Method::GET => {
                let notes = store.onenote_mut(user_id);
                notes.notebook(id)?;
                let items = notes
                    .sections
                    .iter()
                    .filter(|s| s.notebook_id == *id && s.group_id.is_none())
                    .map(|s| render_section(notes, &c, &who, s))
                    .collect();
                list_sections_reply(req, &c, items)
            }
            Method::POST => create_section(store, user_id, &c, &who, req, Some(id), None),
            _ => Err(method_not_allowed()),
        },
        ["notebooks", id, "sectiongroups"] => match *m {
            Method::GET => {
                let notes = store.onenote_mut(user_id);
                notes.notebook(id)?;
                let items = notes
                    .groups
                    .iter()
                    .filter(|g| g.notebook_id == *id && g.parent_group.is_none())
                    .map(|g| render_group(notes, &c, &who, g, &[]))
                    .collect();
                list_groups_reply(req, &c, items)
            }
            Method::POST => create_group(store, user_id, &c, &who, req, Some(id), None),
            _ => Err(method_not_allowed()),
        },
        ["sectiongroups"] => match *m {
            Method::GET => {
                let expand = expand_of(req, &["sections", "sectionGroups"])?;
                let notes = store.onenote_mut(user_id);
                let items = notes.groups.iter().map(|g| render_group(notes, &c, &who, g, &expand)).collect();
                list_groups_reply(req, &c, items)
            }
            _ => Err(method_not_allowed()),
        },
        ["sectiongroups", id] => match *m {
            Method::GET => {
                let expand = expand_of(req, &["sections", "sectionGroups", "parentNotebook", "parentSectionGroup"])?;
                let notes = store.onenote_mut(user_id);
                let g = notes.group(id)?;
                let v = render_group(notes, &c, &who, g, &expand);
                Ok(Reply::ok(entity(req, v, GROUP_PROPS, &format!("{}/sectionGroups/$entity", c.ctx))))
            }
            _ => Err(method_not_allowed()),
        },
        ["sectiongroups", id, "sections"] => match *m {
            Method::GET => {
                let notes = store.onenote_mut(user_id);
                notes.group(id)?;
                let items = notes
                    .sections
                    .iter()
                    .filter(|s| s.group_id.as_deref() == Some(*id))
                    .map(|s| render_section(notes, &c, &who, s))
                    .collect();
                list_sections_reply(req, &c, items)
            }
            Method::POST => create_section(store, user_id, &c, &who, req, None, Some(id)),
            _ => Err(method_not_allowed()),
        },
        ["sectiongroups", id, "sectiongroups"] => match *m {
            Method::GET => {
                let notes = store.onenote_mut(user_id);
                notes.group(id)?;
                let items = notes
                    .groups
                    .iter()
                    .filter(|g| g.parent_group.as_deref() == Some(*id))
                    .map(|g| render_group(notes, &c, &who, g, &[]))
                    .collect();
                list_groups_reply(req, &c, items)
            }
            Method::POST => create_group(store, user_id, &c, &who, req, None, Some(id)),
            _ => Err(method_not_allowed()),
        },
        ["sections"] => match *m {
            Method::GET => {
                expand_of(req, &["parentNotebook", "parentSectionGroup"])?;
                let notes = store.onenote_mut(user_id);
                let items = notes.sections.iter().map(|s| render_section(notes, &c, &who, s)).collect();
                list_sections_reply(req, &c, items)
            }
            _ => Err(method_not_allowed()),
        },
        ["sections", id] => match *m {
            Method::GET => {
                expand_of(req, &["parentNotebook", "parentSectionGroup"])?;
                let notes = store.onenote_mut(user_id);
                let s = notes.section(id)?;
                let v = render_section(notes, &c, &who, s);
                Ok(Reply::ok(entity(req, v, SECTION_PROPS, &format!("{}/sections/$entity", c.ctx))))
            }
            _ => Err(method_not_allowed()),
        },
        ["sections", id, "pages"] => match *m {
            Method::GET => list_pages(store, user_id, &c, req, Some(id)),
            Method::POST => create_page(store, user_id, &c, req, Some(id)),
            _ => Err(method_not_allowed()),
        },
        ["pages"] => match *m {
            Method::GET => list_pages(store, user_id, &c, req, None),
            Method::POST => create_page(store, user_id, &c, req, None),
            _ => Err(method_not_allowed()),
        },
        ["pages", id] => match *m {
            Method::GET => {
                let expand = expand_of(req, &["parentSection", "parentNotebook"])?;
                let level = pagelevel(req);
                let notes = store.onenote_mut(user_id);
                let p = &notes.pages[notes.page_index(id)?];
                let nb = expand.iter().any(|(n, _)| n.eq_ignore_ascii_case("parentNotebook"));
                let v = render_page(notes, &c, p, level, nb);
                Ok(Reply::ok(entity(req, v, PAGE_PROPS, &format!("{}/pages/$entity", c.ctx))))
            }
            Method::DELETE => {
                let notes = store.onenote_mut(user_id);
                let i = notes.page_index(id)?;
                notes.pages.remove(i);
                Ok(Reply::no_content())
            }
            _ => Err(method_not_allowed()),
        },
        ["pages", id, "content"] => match *m {
            Method::GET => {
                let include_ids = req.query.param("includeIDs").is_some_and(|v| v.eq_ignore_ascii_case("true"));
                let base = format!("{}/v1.0/users('{user_id}')/onenote/resources/", req.origin);
                let notes = store.onenote_mut(user_id);
                let p = &notes.pages[notes.page_index(id)?];
                let html = p.output_html(include_ids, &base, &notes.resources);
                Ok(Reply::bytes("text/html", html.into_bytes()))
            }
            Method::PATCH => patch_page(store, user_id, id, req),
            _ => Err(method_not_allowed()),
        },
        ["pages", id, "preview"] => match *m {
            Method::GET => {
                let notes = store.onenote_mut(user_id);
                let p = &notes.pages[notes.page_index(id)?];
                Ok(Reply::ok(json!({
                    "@odata.context": req.context("microsoft.graph.onenotePagePreview"),
                    "previewText": p.preview_text(),
                    "links": {"previewImageUrl": Value::Null},
                })))
            }
            _ => Err(method_not_allowed()),
        },
        ["pages", id, "copytosection"] => match *m {
            Method::POST => copy_to_section(store, user_id, id, req),
            _ => Err(method_not_allowed()),
        },
        ["operations", id] => match *m {
            Method::GET => get_operation(store, user_id, &c, id, req),
            _ => Err(method_not_allowed()),
        },
        ["resources", id, "$value" | "content"] => match *m {
            Method::GET => {
                let notes = store.onenote_mut(user_id);
                let r = notes.resources.get(*id).ok_or_else(not_found)?;
                Ok(Reply::bytes(&r.content_type, r.bytes.clone()))
            }
            _ => Err(method_not_allowed()),
        },
        [] => Err(onenote_error(
            400,
            "20130",
            "Request a OneNote collection: notebooks, sectionGroups, sections or pages.",
        )),
        [other, ..] => {
            Err(onenote_error(400, "20130", format!("The OneNote resource '{other}' does not exist at this address.")))
        }
    }
}

/// An entity with `@odata.context` and `$select` applied.
fn entity(req: &Req, v: Value, props: &[&str], fragment: &str) -> Value {
    let v = apply_select(v, req.query.select.as_deref(), props);
    crate::routes::with_context(v, req.context(fragment))
}

fn pagelevel(req: &Req) -> bool {
    req.query.param("pagelevel").is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

fn list_notebooks(store: &mut Store, user_id: &str, c: &Ctx, who: &Value, req: &Req) -> ApiResult<Reply> {
    let expand = expand_of(req, &["sections", "sectionGroups"])?;
    let notes = store.onenote_mut(user_id);
    let items = notes.notebooks.iter().map(|n| render_notebook(notes, c, who, n, &expand)).collect();
    listing(
        req,
        items,
        NOTEBOOK_PROPS,
        "notebook",
        req.context(&format!("{}/notebooks", c.ctx)),
        ("displayName", false),
        usize::MAX,
        usize::MAX,
    )
}

fn list_sections_reply(req: &Req, c: &Ctx, items: Vec<Value>) -> ApiResult<Reply> {
    listing(
        req,
        items,
        SECTION_PROPS,
        "onenoteSection",
        req.context(&format!("{}/sections", c.ctx)),
        ("displayName", false),
        usize::MAX,
        usize::MAX,
    )
}

fn list_groups_reply(req: &Req, c: &Ctx, items: Vec<Value>) -> ApiResult<Reply> {
    listing(
        req,
        items,
        GROUP_PROPS,
        "sectionGroup",
        req.context(&format!("{}/sectionGroups", c.ctx)),
        ("displayName", false),
        usize::MAX,
        usize::MAX,
    )
}

fn list_pages(store: &mut Store, user_id: &str, c: &Ctx, req: &Req, section: Option<&str>) -> ApiResult<Reply> {
    if req.query.search.is_some() {
        return Err(onenote_error(
            400,
            "20108",
            "The search query parameter is supported only for notebooks of personal Microsoft accounts.",
        ));
    }
    let level = pagelevel(req);
    if level && section.is_none() {
        return Err(onenote_error(
            400,
            "20104",
            "The pagelevel query option is supported only for the pages of a section or a single page.",
        ));
    }
    let expand = expand_of(req, &["parentSection", "parentNotebook"])?;
    let nb = expand.iter().any(|(n, _)| n.eq_ignore_ascii_case("parentNotebook"));
    let notes = store.onenote_mut(user_id);
    if let Some(s) = section {
        notes.section(s)?;
    }
    // newest first, so that pages changed within the same millisecond still
    // list the later one first (the sort below is stable)
    let items = notes
        .pages
        .iter()
        .rev()
        .filter(|p| section.is_none_or(|s| p.section_id == s))
        .map(|p| render_page(notes, c, p, level, nb))
        .collect();
    let default_order = if level { ("order", false) } else { ("lastModifiedDateTime", true) };
    listing(req, items, PAGE_PROPS, "onenotePage", req.context(&format!("{}/pages", c.ctx)), default_order, 20, 100)
}

/// OneNote's name rules (20152-20155).
fn check_name(name: &str, max: usize, forbidden: &[char]) -> ApiResult<()> {
    if name.trim().is_empty() {
        return Err(onenote_error(400, "20152", "There is no name value specified for the entity."));
    }
    if name.starts_with(' ') {
        return Err(onenote_error(400, "20154", "The entity name cannot start with a space."));
    }
    if name.chars().any(|ch| forbidden.contains(&ch)) {
        let list: String = forbidden.iter().map(|ch| format!("{ch} ")).collect();
        let code = if max == 128 { "20115" } else { "20153" };
        return Err(onenote_error(400, code, format!("The name contains invalid characters: {}", list.trim_end())));
    }
    if name.chars().count() > max {
        return Err(onenote_error(
            400,
            "20155",
            format!("The entity name is too long: the limit is {max} characters."),
        ));
    }
    Ok(())
}

const NOTEBOOK_FORBIDDEN: &[char] = &['?', '*', '\\', '/', ':', '<', '>', '|', '\'', '"'];
const SECTION_FORBIDDEN: &[char] = &['?', '*', '\\', '/', ':', '<', '>', '|', '&', '#', '"', '%', '~'];

fn display_name(req: &Req) -> ApiResult<String> {
    let body: Value = serde_json::from_slice(req.body)
        .map_err(|_| onenote_error(400, "20020", "Encountered malformed Json in request body."))?;
    Ok(body.get("displayName").and_then(Value::as_str).unwrap_or_default().to_owned())
}

fn duplicate(what: &str, name: &str) -> GraphError {
    onenote_error(409, "20117", format!("A {what} named '{name}' already exists in this location."))
}

fn create_notebook(store: &mut Store, user_id: &str, c: &Ctx, who: &Value, req: &Req) -> ApiResult<Reply> {
    let name = display_name(req)?;
    check_name(&name, 128, NOTEBOOK_FORBIDDEN)?;
    let notes = store.onenote_mut(user_id);
    if notes.notebooks.iter().any(|n| n.name.eq_ignore_ascii_case(&name)) {
        return Err(duplicate("notebook", &name));
    }
    let id = notes.new_entity_id();
    let rec = NotebookRec { id, name, is_default: false, created: req.now, modified: req.now };
    let v = render_notebook(notes, c, who, &rec, &[]);
    notes.notebooks.push(rec);
    Ok(Reply::created(crate::routes::with_context(v, req.context(&format!("{}/notebooks/$entity", c.ctx)))))
}

fn notebook_from_url(store: &mut Store, user_id: &str, c: &Ctx, who: &Value, req: &Req) -> ApiResult<Reply> {
    let body: Value = serde_json::from_slice(req.body)
        .map_err(|_| onenote_error(400, "20020", "Encountered malformed Json in request body."))?;
    let url = body.get("webUrl").and_then(Value::as_str).unwrap_or_default();
    let url = url.strip_prefix("onenote:").unwrap_or(url).trim_end_matches('/');
    let notes = store.onenote_mut(user_id);
    let nb = notes
        .notebooks
        .iter()
        .find(|n| notebook_web(c, n).eq_ignore_ascii_case(url))
        .ok_or_else(|| onenote_error(404, "20102", "No notebook exists at the given web URL."))?;
    let v = render_notebook(notes, c, who, nb, &[]);
    Ok(Reply::ok(crate::routes::with_context(v, req.context("microsoft.graph.CopyNotebookModel"))))
}

fn create_section(
    store: &mut Store,
    user_id: &str,
    c: &Ctx,
    who: &Value,
    req: &Req,
    notebook: Option<&str>,
    group: Option<&str>,
) -> ApiResult<Reply> {
    let name = display_name(req)?;
    check_name(&name, 50, SECTION_FORBIDDEN)?;
    let notes = store.onenote_mut(user_id);
    let notebook_id = match (notebook, group) {
        (Some(n), _) => notes.notebook(n)?.id.clone(),
        (None, Some(g)) => notes.group(g)?.notebook_id.clone(),
        _ => return Err(not_found()),
    };
    let group_id = group.map(str::to_owned);
    if notes
        .sections
        .iter()
        .any(|s| s.notebook_id == notebook_id && s.group_id == group_id && s.name.eq_ignore_ascii_case(&name))
    {
        return Err(duplicate("section", &name));
    }
    let id = notes.new_entity_id();
    let rec = SectionRec { id, name, notebook_id, group_id, is_default: false, created: req.now, modified: req.now };
    notes.sections.push(rec.clone());
    let v = render_section(notes, c, who, &rec);
    Ok(Reply::created(crate::routes::with_context(v, req.context(&format!("{}/sections/$entity", c.ctx)))))
}

fn create_group(
    store: &mut Store,
    user_id: &str,
    c: &Ctx,
    who: &Value,
    req: &Req,
    notebook: Option<&str>,
    group: Option<&str>,
) -> ApiResult<Reply> {
    let name = display_name(req)?;
    check_name(&name, 50, SECTION_FORBIDDEN)?;
    let notes = store.onenote_mut(user_id);
    let notebook_id = match (notebook, group) {
        (Some(n), _) => notes.notebook(n)?.id.clone(),
        (None, Some(g)) => notes.group(g)?.notebook_id.clone(),
        _ => return Err(not_found()),
    };
    let parent_group = group.map(str::to_owned);
    if notes
        .groups
        .iter()
        .any(|g| g.notebook_id == notebook_id && g.parent_group == parent_group && g.name.eq_ignore_ascii_case(&name))
    {
        return Err(duplicate("section group", &name));
    }
    let id = notes.new_entity_id();
    let rec = GroupRec { id, name, notebook_id, parent_group, created: req.now, modified: req.now };
    notes.groups.push(rec.clone());
    let v = render_group(notes, c, who, &rec, &[]);
    Ok(Reply::created(crate::routes::with_context(v, req.context(&format!("{}/sectionGroups/$entity", c.ctx)))))
}

fn content_type(req: &Req) -> String {
    req.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// A part of a `multipart/form-data` body.
#[derive(Debug)]
struct FormPart {
    name: String,
    content_type: String,
    data: Vec<u8>,
}

fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

fn malformed(why: &str) -> GraphError {
    onenote_error(400, "20011", format!("The request contains a malformed multipart payload: {why}."))
}

/// Parses a `multipart/form-data` body (OneNote's errors 20010-20013 for bad parts).
fn parse_multipart(body: &[u8], content_type: &str) -> ApiResult<Vec<FormPart>> {
    let boundary = content_type
        .split(';')
        .find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_owned())
        })
        .filter(|b| !b.is_empty())
        .ok_or_else(|| malformed("the Content-Type has no boundary"))?;
    let delim = format!("--{boundary}").into_bytes();
    let mut pos = find_bytes(body, &delim, 0).ok_or_else(|| malformed("no part separator"))? + delim.len();
    let mut parts = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            break;
        }
        pos += if body[pos..].starts_with(b"\r\n") {
            2
        } else if body[pos..].starts_with(b"\n") {
            1
        } else {
            return Err(malformed("a separator is not followed by a line break"));
        };
        let (head_end, sep) = match (find_bytes(body, b"\r\n\r\n", pos), find_bytes(body, b"\n\n", pos)) {
            (Some(a), Some(b)) if b < a => (b, 2),
            (Some(a), _) => (a, 4),
            (None, Some(b)) => (b, 2),
            (None, None) => return Err(malformed("a part has no blank line after its headers")),
        };
        let head = String::from_utf8_lossy(&body[pos..head_end]).into_owned();
        let data_start = head_end + sep;
        let mut next_delim = Vec::from(&b"\r\n"[..]);
        next_delim.extend_from_slice(&delim);
        let (data_end, after) = match find_bytes(body, &next_delim, data_start) {
            Some(i) => (i, i + next_delim.len()),
            None => {
                let mut lf = Vec::from(&b"\n"[..]);
                lf.extend_from_slice(&delim);
                let i = find_bytes(body, &lf, data_start).ok_or_else(|| malformed("the last separator is missing"))?;
                (i, i + lf.len())
            }
        };
        let mut name = None;
        let mut ct = None;
        let mut disposition = false;
        for line in head.lines() {
            let Some((k, v)) = line.split_once(':') else { continue };
            if k.trim().eq_ignore_ascii_case("content-disposition") {
                disposition = true;
                name = v.split(';').find_map(|p| {
                    let (k, v) = p.split_once('=')?;
                    k.trim().eq_ignore_ascii_case("name").then(|| v.trim().trim_matches('"').to_owned())
                });
            } else if k.trim().eq_ignore_ascii_case("content-type") {
                ct = Some(v.trim().to_owned());
            }
        }
        match (disposition, ct) {
            (false, None) => {
                return Err(onenote_error(
                    400,
                    "20013",
                    "A part has no Content-Type and no Content-Disposition header.",
                ));
            }
            (false, Some(_)) => {
                return Err(onenote_error(400, "20010", "A part has no Content-Disposition header."));
            }
            (true, None) => return Err(onenote_error(400, "20012", "A part has no Content-Type header.")),
            (true, Some(ct)) => {
                let name = name.filter(|n| !n.is_empty()).ok_or_else(|| malformed("a part has no name"))?;
                if parts.iter().any(|p: &FormPart| p.name.eq_ignore_ascii_case(&name)) {
                    let code = if name.eq_ignore_ascii_case("presentation") { "20002" } else { "20009" };
                    return Err(onenote_error(400, code, format!("The request contains two parts named '{name}'.")));
                }
                parts.push(FormPart { name, content_type: ct, data: body[data_start..data_end].to_vec() });
            }
        }
        pos = after;
        if pos >= body.len() {
            return Err(malformed("the closing separator is missing"));
        }
    }
    Ok(parts)
}

/// The target section of `POST .../pages`: the one in the path, the
/// top-level section `sectionName` of the default notebook (made when
/// missing), or the default section.
fn target_section(store: &mut Store, user_id: &str, req: &Req, section: Option<&str>) -> ApiResult<String> {
    let now = req.now;
    let notes = store.onenote_mut(user_id);
    if let Some(s) = section {
        return Ok(notes.section(s)?.id.clone());
    }
    let default_nb = notes.notebooks.iter().find(|n| n.is_default).map(|n| n.id.clone()).ok_or_else(not_found)?;
    match req.query.param("sectionName") {
        Some(name) => {
            check_name(name, 50, SECTION_FORBIDDEN)?;
            if let Some(s) = notes
                .sections
                .iter()
                .find(|s| s.notebook_id == default_nb && s.group_id.is_none() && s.name.eq_ignore_ascii_case(name))
            {
                return Ok(s.id.clone());
            }
            let id = notes.new_entity_id();
            notes.sections.push(SectionRec {
                id: id.clone(),
                name: name.to_owned(),
                notebook_id: default_nb,
                group_id: None,
                is_default: false,
                created: now,
                modified: now,
            });
            Ok(id)
        }
        None => notes
            .sections
            .iter()
            .find(|s| s.is_default)
            .or_else(|| notes.sections.iter().find(|s| s.notebook_id == default_nb))
            .map(|s| s.id.clone())
            .ok_or_else(not_found),
    }
}

fn create_page(store: &mut Store, user_id: &str, c: &Ctx, req: &Req, section: Option<&str>) -> ApiResult<Reply> {
    let ct = content_type(req);
    let lower = ct.to_ascii_lowercase();
    let (html, binary) = if lower.starts_with("multipart/form-data") {
        let parts = parse_multipart(req.body, &ct)?;
        let mut presentation = None;
        let mut binary = Vec::new();
        for p in parts {
            if p.name.eq_ignore_ascii_case("presentation") {
                let t = p.content_type.to_ascii_lowercase();
                if !(t.starts_with("text/html") || t.starts_with("application/xhtml+xml")) {
                    return Err(onenote_error(
                        400,
                        "20003",
                        "The content type of the Presentation part can be only text/html or application/xhtml+xml.",
                    ));
                }
                presentation = Some(String::from_utf8_lossy(&p.data).into_owned());
            } else {
                binary.push(BinaryPart { name: p.name, content_type: p.content_type, data: p.data });
            }
        }
        let html = presentation
            .ok_or_else(|| onenote_error(400, "20001", "The request is missing the required Presentation part."))?;
        (html, binary)
    } else if lower.starts_with("text/html") || lower.starts_with("application/xhtml+xml") {
        let html = String::from_utf8_lossy(req.body).into_owned();
        if let Some(part) = refers_to_parts(&parse_html(&html)) {
            return Err(onenote_error(
                400,
                "20110",
                format!(
                    "Page create requests with data parts require the content to be multipart, with a Presentation part (the HTML refers to 'name:{part}')."
                ),
            ));
        }
        (html, Vec::new())
    } else if req.body.is_empty() {
        return Err(onenote_error(400, "20132", "The request has no content."));
    } else {
        return Err(onenote_error(
            415,
            "20131",
            format!("The Content-Type '{ct}' is not valid here: use text/html or multipart/form-data."),
        ));
    };
    if html.trim().is_empty() {
        return Err(onenote_error(400, "20132", "The request has no content."));
    }
    let section_id = target_section(store, user_id, req, section)?;
    let notes = store.onenote_mut(user_id);
    let id = notes.add_page(&section_id, &html, &binary, req.now)?;
    let p = &notes.pages[notes.page_index(&id)?];
    let v = render_page(notes, c, p, false, false);
    let location = v["self"].as_str().unwrap_or_default().to_owned();
    Ok(Reply::created(crate::routes::with_context(v, req.context(&format!("{}/pages/$entity", c.ctx))))
        .with_header(header::LOCATION, location))
}

fn parse_commands(bytes: &[u8]) -> ApiResult<Vec<Command>> {
    let bad = || onenote_error(400, "20109", "The payload in the PATCH request is not constructed correctly.");
    let v: Value = serde_json::from_slice(bytes).map_err(|_| bad())?;
    let list = match v {
        Value::Array(a) => a,
        Value::Object(_) => vec![v],
        _ => return Err(bad()),
    };
    let s = |o: &Map<String, Value>, k: &str| {
        o.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).and_then(|(_, v)| v.as_str()).map(str::to_owned)
    };
    list.iter()
        .map(|c| {
            let o = c.as_object().ok_or_else(bad)?;
            Ok(Command {
                target: s(o, "target").ok_or_else(bad)?,
                action: s(o, "action").ok_or_else(bad)?,
                position: s(o, "position"),
                content: s(o, "content").unwrap_or_default(),
            })
        })
        .collect()
}

fn patch_page(store: &mut Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    let ct = content_type(req);
    let (commands, binary) = if ct.to_ascii_lowercase().starts_with("multipart/form-data") {
        let parts = parse_multipart(req.body, &ct)?;
        let mut commands = None;
        let mut binary = Vec::new();
        for p in parts {
            if p.name.eq_ignore_ascii_case("commands") {
                commands = Some(parse_commands(&p.data)?);
            } else {
                binary.push(BinaryPart { name: p.name, content_type: p.content_type, data: p.data });
            }
        }
        let commands = commands.ok_or_else(|| {
            onenote_error(400, "20124", "The multipart PATCH request has no Commands part with the PATCH actions.")
        })?;
        (commands, binary)
    } else {
        (parse_commands(req.body)?, Vec::new())
    };
    let notes = store.onenote_mut(user_id);
    let i = notes.page_index(id)?;
    notes.patch_page(i, &commands, &binary, req.now)?;
    Ok(Reply::no_content())
}

/// `.../v1.0/me` or `.../v1.0/users/{id}`: the request's path before `/onenote`.
fn user_prefix(req: &Req) -> String {
    let lower = req.path.to_ascii_lowercase();
    let end = lower.find("/onenote").unwrap_or(req.path.len());
    format!("{}{}", req.origin, &req.path[..end])
}

fn copy_to_section(store: &mut Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    let body: Value = serde_json::from_slice(req.body)
        .map_err(|_| onenote_error(400, "20020", "Encountered malformed Json in request body."))?;
    let section = body.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
    if section.trim().is_empty() {
        return Err(onenote_error(400, "20157", "The specified ID for the destination entity is invalid."));
    }
    if body.get("groupId").and_then(Value::as_str).is_some_and(|g| !g.is_empty()) {
        return Err(onenote_error(
            404,
            "20160",
            "Unable to find an Office 365 unified group that has the specified ID.",
        ));
    }
    let now = req.now;
    let notes = store.onenote_mut(user_id);
    notes.page_index(id)?;
    if notes.section(&section).is_err() {
        return Err(onenote_error(404, "20156", "The specified ID for the destination resource does not exist."));
    }
    let op_id = format!("copy-{}", notes.next_guid().replace('-', ""));
    notes.operations.push(OperationRec {
        id: op_id.clone(),
        page_id: id.to_owned(),
        section_id: section,
        polls: 0,
        created: now,
        last_action: now,
        outcome: None,
    });
    let location = format!("{}/onenote/operations/{op_id}", user_prefix(req));
    Ok(Reply { status: StatusCode::ACCEPTED, body: crate::routes::Body::Empty, headers: Vec::new() }
        .with_header(HeaderName::from_static("operation-location"), location))
}

fn get_operation(store: &mut Store, user_id: &str, c: &Ctx, id: &str, req: &Req) -> ApiResult<Reply> {
    let now = req.now;
    let notes = store.onenote_mut(user_id);
    let i = notes.operations.iter().position(|o| o.id == id).ok_or_else(not_found)?;
    notes.operations[i].polls += 1;
    let op = notes.operations[i].clone();
    if op.polls >= OPERATION_POLLS && op.outcome.is_none() {
        let outcome = notes.copy_page(&op.page_id, &op.section_id, now);
        notes.operations[i].outcome = Some(outcome);
        notes.operations[i].last_action = now;
    } else if op.outcome.is_none() {
        notes.operations[i].last_action = now;
    }
    let op = notes.operations[i].clone();
    let mut v = json!({
        "@odata.context": req.context(&format!("{}/operations/$entity", c.ctx)),
        "id": op.id,
        "createdDateTime": ts(op.created),
        "lastActionDateTime": ts(op.last_action),
    });
    match &op.outcome {
        None if op.polls <= 1 => {
            v["status"] = json!("NotStarted");
            v["percentComplete"] = json!("0");
        }
        None => {
            v["status"] = json!("Running");
            v["percentComplete"] = json!("50");
        }
        Some(Ok(page)) => {
            v["status"] = json!("Completed");
            v["percentComplete"] = json!("100");
            v["resourceId"] = json!(page);
            v["resourceLocation"] = json!(format!("{}/onenote/pages/{page}", user_prefix(req)));
        }
        Some(Err(message)) => {
            v["status"] = json!("Failed");
            v["error"] = json!({"code": "20102", "message": message});
        }
    }
    Ok(Reply::ok(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_is_split_outside_parentheses() {
        assert_eq!(
            parse_expand("sections,sectionGroups($expand=sections,sectionGroups)"),
            vec![
                ("sections".to_owned(), String::new()),
                ("sectionGroups".to_owned(), "sections,sectionGroups".to_owned())
            ]
        );
    }

    #[test]
    fn case_functions_are_stripped() {
        assert_eq!(strip_case_functions("contains(tolower(title),'plan')"), "contains(title,'plan')");
    }

    #[test]
    fn multipart_bodies_are_parsed() {
        let body = b"--b1\r\nContent-Disposition: form-data; name=\"Presentation\"\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b1\r\nContent-Disposition: form-data; name=\"img\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--b1--\r\n";
        let parts = parse_multipart(body, "multipart/form-data; boundary=b1").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].data, b"<p>x</p>");
        assert_eq!(parts[1].data, b"\x89PNG");
        assert_eq!(parse_multipart(b"junk", "multipart/form-data; boundary=b1").unwrap_err().code, "20011");
    }
}
