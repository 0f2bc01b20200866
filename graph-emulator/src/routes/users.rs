//! Users (`/me`, `/users`, `/users/{id | userPrincipalName}`), their Outlook
//! master categories and their mailbox settings.
//!
//! Graph docs: <https://learn.microsoft.com/graph/api/resources/user>,
//! <https://learn.microsoft.com/graph/api/resources/outlookcategory>,
//! <https://learn.microsoft.com/graph/api/resources/mailboxsettings>.

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::odata::{Listing, apply_select, get_ci};
use crate::routes::{Reply, Req, with_context};
use crate::state::ids::is_well_formed;
use crate::state::schema::json_object;
use crate::state::store::{CategoryRec, Store, UserRec};
use crate::time::find_zone;

/// Properties of `microsoft.graph.user` the emulator knows.
pub(crate) const USER_PROPS: &[&str] = &[
    "id",
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "accountEnabled",
    "city",
    "companyName",
    "country",
    "department",
    "usageLocation",
    "userType",
    "mailboxSettings",
    "createdDateTime",
    "identities",
    "otherMails",
    "proxyAddresses",
];

const CATEGORY_PROPS: &[&str] = &["id", "displayName", "color"];

const SETTINGS_KEYS: &[&str] = &[
    "archiveFolder",
    "automaticRepliesSetting",
    "dateFormat",
    "delegateMeetingMessageDeliveryOptions",
    "language",
    "timeFormat",
    "timeZone",
    "workingHours",
    "userPurpose",
];

const SETTINGS_WRITABLE: &[&str] = &[
    "automaticRepliesSetting",
    "dateFormat",
    "delegateMeetingMessageDeliveryOptions",
    "language",
    "timeFormat",
    "timeZone",
    "workingHours",
];

fn render_user(store: &Store, u: &UserRec, select: Option<&[String]>) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(u.id));
    for (k, v) in &u.profile {
        o.insert(k.clone(), v.clone());
    }
    let wants = |p: &str| select.is_some_and(|s| s.iter().any(|x| x.eq_ignore_ascii_case(p)));
    if wants("mailboxSettings")
        && let Some(mb) = store.mailboxes.get(&u.id)
    {
        o.insert("mailboxSettings".into(), Value::Object(mb.settings.clone()));
    }
    for (p, v) in [
        ("accountEnabled", json!(true)),
        ("userType", json!("Member")),
        ("usageLocation", json!("US")),
        ("companyName", json!("Contoso")),
        ("country", json!("United States")),
        ("otherMails", json!([])),
        ("proxyAddresses", json!([format!("SMTP:{}", u.mail)])),
    ] {
        if wants(p) {
            o.insert(p.into(), v);
        }
    }
    apply_select(Value::Object(o), select, USER_PROPS)
}

/// `GET /me`, `GET /users/{id}`.
pub(crate) fn get(store: &Store, user_id: &str, req: &Req) -> ApiResult<Reply> {
    if req.method != Method::GET {
        return Err(GraphError::method_not_allowed());
    }
    req.query.validate(USER_PROPS, "user")?;
    let u = store.users.iter().find(|u| u.id == user_id).ok_or_else(GraphError::item_not_found)?;
    let v = render_user(store, u, req.query.select.as_deref());
    Ok(Reply::ok(with_context(v, req.context("users/$entity"))))
}

/// `GET /users`.
pub(crate) fn list(store: &Store, req: &Req) -> ApiResult<Reply> {
    if req.method != Method::GET {
        return Err(GraphError::method_not_allowed());
    }
    req.query.validate(USER_PROPS, "user")?;
    let items = store.users.iter().map(|u| render_user(store, u, None)).collect();
    let listing = Listing {
        query: &req.query,
        props: USER_PROPS,
        context: req.context("users"),
        link_base: &req.link_base(),
        prefer_max: req.prefs.max_page_size,
        default_page: 100,
        max_page: 999,
    };
    Ok(Reply::ok(listing.render(items)))
}

fn render_category(c: &CategoryRec) -> Value {
    json!({"id": c.id, "displayName": c.display_name, "color": c.color})
}

fn check_color(v: &Value) -> ApiResult<String> {
    let s = v.as_str().unwrap_or_default();
    let ok = s.eq_ignore_ascii_case("none")
        || s.to_ascii_lowercase().strip_prefix("preset").and_then(|n| n.parse::<u8>().ok()).is_some_and(|n| n <= 24);
    if ok {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(GraphError::body_read(format!(
            "Cannot convert the literal '{s}' to the expected type 'microsoft.graph.categoryColor'."
        )))
    }
}

/// `/outlook/masterCategories[/{id}]`.
pub(crate) fn master_categories(store: &mut Store, user_id: &str, tail: &[&str], req: &Req) -> ApiResult<Reply> {
    let ctx = req.context(&format!("users('{user_id}')/outlook/masterCategories"));
    match (tail, &req.method) {
        ([], &Method::GET) => {
            req.query.validate(CATEGORY_PROPS, "outlookCategory")?;
            let items = store.mailbox(user_id)?.categories.iter().map(render_category).collect();
            let listing = Listing {
                query: &req.query,
                props: CATEGORY_PROPS,
                context: ctx,
                link_base: &req.link_base(),
                prefer_max: req.prefs.max_page_size,
                default_page: 1000,
                max_page: 1000,
            };
            Ok(Reply::ok(listing.render(items)))
        }
        ([], &Method::POST) => {
            let body = json_object(req.body)?;
            let mut name = None;
            let mut color = "preset0".to_owned();
            for (k, v) in &body {
                match k.as_str() {
                    "displayName" => name = v.as_str().map(str::to_owned),
                    "color" => color = check_color(v)?,
                    "id" => {}
                    k if k.starts_with('@') => {}
                    other => {
                        return Err(GraphError::body_read(format!(
                            "The property '{other}' does not exist on type 'microsoft.graph.outlookCategory'."
                        )));
                    }
                }
            }
            let name = name
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| GraphError::invalid_request("displayName is required."))?;
            if store.mailbox(user_id)?.categories.iter().any(|c| c.display_name.eq_ignore_ascii_case(&name)) {
                return Err(GraphError::new(
                    StatusCode::CONFLICT,
                    "ErrorDuplicateCategory",
                    format!("A category with the name '{name}' already exists."),
                ));
            }
            let id = store.ids.guid();
            let c = CategoryRec { id, display_name: name, color };
            let v = render_category(&c);
            store.mailbox_mut(user_id)?.categories.push(c);
            Ok(Reply::created(with_context(v, format!("{ctx}/$entity"))))
        }
        ([id], m) => {
            let mb = store.mailbox_mut(user_id)?;
            let Some(i) = mb.categories.iter().position(|c| c.id == *id) else {
                return Err(GraphError::item_not_found());
            };
            match *m {
                Method::GET => {
                    Ok(Reply::ok(with_context(render_category(&mb.categories[i]), format!("{ctx}/$entity"))))
                }
                Method::PATCH => {
                    let body = json_object(req.body)?;
                    for (k, v) in &body {
                        match k.as_str() {
                            "color" => mb.categories[i].color = check_color(v)?,
                            "displayName" => {
                                return Err(GraphError::invalid_request(
                                    "The displayName of a category cannot be changed once it is created.",
                                ));
                            }
                            k if k.starts_with('@') => {}
                            other => {
                                return Err(GraphError::body_read(format!(
                                    "The property '{other}' does not exist on type 'microsoft.graph.outlookCategory'."
                                )));
                            }
                        }
                    }
                    Ok(Reply::ok(with_context(render_category(&mb.categories[i]), format!("{ctx}/$entity"))))
                }
                Method::DELETE => {
                    mb.categories.remove(i);
                    Ok(Reply::no_content())
                }
                _ => Err(GraphError::method_not_allowed()),
            }
        }
        ([], _) => Err(GraphError::method_not_allowed()),
        ([_, other, ..], _) => Err(GraphError::segment_not_found(other)),
    }
}

/// `/mailboxSettings[/{property}]`: GET and PATCH. A PATCH answers with the
/// properties it changed, as Graph does.
pub(crate) fn mailbox_settings(store: &mut Store, user_id: &str, tail: &[&str], req: &Req) -> ApiResult<Reply> {
    let ctx = req.context(&format!("users('{user_id}')/mailboxSettings"));
    match (tail, &req.method) {
        ([], &Method::GET) => {
            let mut o = store.mailbox(user_id)?.settings.clone();
            if let Some(sel) = &req.query.select {
                for s in sel {
                    if !SETTINGS_KEYS.iter().any(|k| k.eq_ignore_ascii_case(s)) {
                        return Err(GraphError::unknown_property(s, "mailboxSettings"));
                    }
                }
                o.retain(|k, _| sel.iter().any(|s| s.eq_ignore_ascii_case(k)));
            }
            o.insert("@odata.context".into(), json!(ctx));
            Ok(Reply::ok(Value::Object(o)))
        }
        ([], &Method::PATCH) => {
            let body = json_object(req.body)?;
            let mut changed = Map::new();
            for (k, v) in &body {
                if k.starts_with('@') {
                    continue;
                }
                if !SETTINGS_WRITABLE.contains(&k.as_str()) {
                    return Err(if SETTINGS_KEYS.contains(&k.as_str()) {
                        GraphError::invalid_request(format!("The property '{k}' is read-only."))
                    } else {
                        GraphError::body_read(format!(
                            "The property '{k}' does not exist on type 'microsoft.graph.mailboxSettings'."
                        ))
                    });
                }
                if k == "timeZone" {
                    let tz = v.as_str().unwrap_or_default();
                    if tz.is_empty() {
                        return Err(GraphError::invalid_request("timeZone must be a time zone name."));
                    }
                    if find_zone(tz).is_none() && !tz.contains('/') && !tz.ends_with("Time") {
                        return Err(GraphError::new(
                            StatusCode::BAD_REQUEST,
                            "ErrorTimeZoneNotSupported",
                            format!("The time zone '{tz}' is not supported."),
                        ));
                    }
                }
                changed.insert(k.clone(), v.clone());
            }
            let mb = store.mailbox_mut(user_id)?;
            for (k, v) in &changed {
                match (mb.settings.get_mut(k), v) {
                    (Some(Value::Object(cur)), Value::Object(new)) => {
                        for (nk, nv) in new {
                            cur.insert(nk.clone(), nv.clone());
                        }
                    }
                    _ => {
                        mb.settings.insert(k.clone(), v.clone());
                    }
                }
            }
            let mut out = Map::new();
            out.insert("@odata.context".into(), json!(ctx));
            for k in changed.keys() {
                if let Some(v) = mb.settings.get(k) {
                    out.insert(k.clone(), v.clone());
                }
            }
            Ok(Reply::ok(Value::Object(out)))
        }
        ([prop], &Method::GET) => {
            let settings = &store.mailbox(user_id)?.settings;
            let Some(v) = get_ci(settings, prop) else {
                return Err(GraphError::segment_not_found(prop));
            };
            let mut out = match v {
                Value::Object(o) => o.clone(),
                other => Map::from_iter([("value".to_owned(), other.clone())]),
            };
            out.insert("@odata.context".into(), json!(format!("{ctx}/{prop}")));
            Ok(Reply::ok(Value::Object(out)))
        }
        _ if !tail.is_empty() && is_well_formed(tail[0]) => Err(GraphError::segment_not_found(tail[0])),
        _ => Err(GraphError::method_not_allowed()),
    }
}
