//! Graph's URL space: turning a request into segments and sending it to the
//! handler of its area. Handlers are synchronous functions over the store;
//! the server (`crate::server`) takes care of auth, throttling, faults and
//! the HTTP details around them.
//!
//! Graph's path segments are case-insensitive (`/me/MailFolders/Inbox` works)
//! and ids are percent-decoded one segment at a time, so an id containing
//! `%2F` stays one segment. The key syntax `mailFolders('id')` is accepted
//! too. That is why routing is done here on decoded segments rather than
//! with a case-sensitive route table.

pub(crate) mod calendar;
pub(crate) mod delta;
pub(crate) mod drive;
pub(crate) mod folders;
pub(crate) mod identity;
pub(crate) mod mail;
pub(crate) mod onenote;
pub(crate) mod response;
pub(crate) mod subscriptions;
pub(crate) mod todo;
pub(crate) mod upload;
pub(crate) mod users;

use axum::http::{HeaderMap, HeaderName, Method, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::errors::{ApiResult, GraphError};
use crate::odata::QueryOptions;
use crate::state::auth::Principal;
use crate::state::mail::BodyPref;
use crate::state::store::Store;

/// What the client prefers (`Prefer` header).
#[derive(Debug, Clone, Default)]
pub(crate) struct Prefs {
    pub max_page_size: Option<usize>,
    pub timezone: Option<String>,
    pub body_type: BodyPref,
    pub immutable_id: bool,
}

impl Prefs {
    /// Reads every `Prefer` header (comma-separated preferences).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let mut p = Prefs::default();
        for value in headers.get_all("prefer") {
            let Ok(text) = value.to_str() else { continue };
            for pref in split_prefs(text) {
                let (k, v) = match pref.split_once('=') {
                    Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_owned()),
                    None => (pref.trim().to_ascii_lowercase(), String::new()),
                };
                match k.as_str() {
                    "odata.maxpagesize" => p.max_page_size = v.parse().ok(),
                    "outlook.timezone" => p.timezone = Some(v),
                    "outlook.body-content-type" => {
                        p.body_type = match v.to_ascii_lowercase().as_str() {
                            "text" => BodyPref::Text,
                            "html" => BodyPref::Html,
                            _ => BodyPref::AsStored,
                        }
                    }
                    "idtype" => p.immutable_id = v.eq_ignore_ascii_case("ImmutableId"),
                    _ => {}
                }
            }
        }
        p
    }
}

/// Splits on commas outside quotes.
fn split_prefs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// One Graph request, parsed.
#[derive(Debug)]
pub(crate) struct Req<'a> {
    pub method: Method,
    /// The raw path as sent (for links).
    pub path: String,
    /// Segments after `/v1.0`.
    pub segs: Vec<String>,
    pub query: QueryOptions,
    pub body: &'a [u8],
    /// `http://host:port` as the client addressed us.
    pub origin: String,
    pub now: DateTime<Utc>,
    pub prefs: Prefs,
    /// The request's headers (`If-Match`, `deltaExcludeParent`, ...).
    pub headers: &'a HeaderMap,
}

impl Req<'_> {
    /// The absolute URL of this path, without query (base of nextLinks).
    pub fn link_base(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }

    /// An `@odata.context` URL.
    pub fn context(&self, fragment: &str) -> String {
        format!("{}/v1.0/$metadata#{fragment}", self.origin)
    }
}

/// A response body.
#[derive(Debug)]
pub(crate) enum Body {
    Json(Value),
    Bytes(String, Vec<u8>),
    Empty,
    /// An answer to build once the store lock is released, from what the
    /// handler copied out of the store (see [`Reply::resolve`]).
    Deferred(Deferred),
}

/// Work a handler leaves for after the store lock (getSchedule).
pub(crate) struct Deferred(pub Box<dyn FnOnce() -> ApiResult<Reply> + Send>);

impl std::fmt::Debug for Deferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Deferred")
    }
}

/// A successful response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Body,
    pub headers: Vec<(HeaderName, String)>,
}

impl Reply {
    /// A reply built later, outside the store lock.
    pub fn deferred(build: impl FnOnce() -> ApiResult<Reply> + Send + 'static) -> Self {
        Reply { status: StatusCode::OK, body: Body::Deferred(Deferred(Box::new(build))), headers: Vec::new() }
    }

    /// Runs deferred work (call it without the store lock); other replies are returned as they are.
    pub fn resolve(self) -> ApiResult<Reply> {
        let mut reply = self;
        // A deferred answer does not defer again; the loop only keeps this total.
        while let Body::Deferred(d) = reply.body {
            reply = (d.0)()?;
        }
        Ok(reply)
    }

    pub fn json(status: StatusCode, v: Value) -> Self {
        Reply { status, body: Body::Json(v), headers: Vec::new() }
    }

    pub fn ok(v: Value) -> Self {
        Reply::json(StatusCode::OK, v)
    }

    pub fn created(v: Value) -> Self {
        Reply::json(StatusCode::CREATED, v)
    }

    pub fn accepted() -> Self {
        Reply { status: StatusCode::ACCEPTED, body: Body::Empty, headers: Vec::new() }
    }

    pub fn no_content() -> Self {
        Reply { status: StatusCode::NO_CONTENT, body: Body::Empty, headers: Vec::new() }
    }

    pub fn bytes(content_type: &str, bytes: Vec<u8>) -> Self {
        Reply { status: StatusCode::OK, body: Body::Bytes(content_type.to_owned(), bytes), headers: Vec::new() }
    }

    pub fn with_header(mut self, name: HeaderName, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// Adds `@odata.context` to an entity.
pub(crate) fn with_context(mut v: Value, context: String) -> Value {
    if let Value::Object(o) = &mut v {
        o.insert("@odata.context".into(), Value::String(context));
    }
    v
}

/// Which mailbox a request targets, for throttling: `/me/...` or
/// `/users/{id}/...`. `None` for tenant-level paths.
pub(crate) fn target_mailbox(store: &Store, principal: &Principal, segs: &[String]) -> Option<String> {
    match segs.first().map(String::as_str) {
        Some("me") => match principal {
            Principal::User(u) => Some(u.clone()),
            Principal::App(_) => None,
        },
        Some("users") => segs.get(1).and_then(|k| store.user(k)).map(|u| u.id.clone()),
        _ => None,
    }
}

/// Routes a Graph request (the part after `/v1.0`) to its handler.
pub(crate) fn dispatch(store: &mut Store, principal: &Principal, req: &Req) -> ApiResult<Reply> {
    let segs: Vec<&str> = req.segs.iter().map(String::as_str).collect();
    match segs.as_slice() {
        [] => Err(GraphError::bad_request("Invalid request: a resource path is required.")),
        ["me", rest @ ..] => {
            let Principal::User(user_id) = principal else {
                return Err(GraphError::bad_request("/me request is only valid with delegated authentication flow."));
            };
            let user_id = user_id.clone();
            if matches!(rest.first(), Some(&("drive" | "drives"))) {
                return drive::route_user(store, principal, &user_id, req);
            }
            mailbox(store, &user_id, rest, req)
        }
        ["users"] => users::list(store, req),
        ["drives", ..] => drive::route_drives(store, principal, req),
        ["users", key, rest @ ..] => {
            let Some(user) = store.user(key) else {
                return Err(if rest.is_empty() {
                    GraphError::new(
                        StatusCode::NOT_FOUND,
                        "Request_ResourceNotFound",
                        format!(
                            "Resource '{key}' does not exist or one of its queried reference-property objects are not present."
                        ),
                    )
                } else {
                    GraphError::new(
                        StatusCode::NOT_FOUND,
                        "ErrorInvalidUser",
                        format!("The requested user '{key}' is invalid."),
                    )
                });
            };
            let user_id = user.id.clone();
            // Another user's drive: its metadata, and the items they shared (checked per item).
            let drive = matches!(rest.first(), Some(&("drive" | "drives")));
            if let Principal::User(me) = principal
                && *me != user_id
                && !rest.is_empty()
                && !drive
            {
                return Err(GraphError::access_denied());
            }
            if drive {
                return drive::route_user(store, principal, &user_id, req);
            }
            mailbox(store, &user_id, rest, req)
        }
        [first, rest @ ..] if first.eq_ignore_ascii_case("subscriptions") => {
            subscriptions::route(store, principal, rest, req)
        }
        [other, ..] => Err(GraphError::segment_not_found(other)),
    }
}

/// Routes what follows `/me` or `/users/{id}`.
fn mailbox(store: &mut Store, user_id: &str, rest: &[&str], req: &Req) -> ApiResult<Reply> {
    match rest {
        [] => users::get(store, user_id, req),
        ["messages", tail @ ..] => mail::messages(store, user_id, None, tail, req),
        ["mailfolders", tail @ ..] => folders::route(store, user_id, tail, req),
        ["sendmail"] => match req.method {
            Method::POST => mail::send_mail(store, user_id, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        ["outlook", "mastercategories", tail @ ..] => users::master_categories(store, user_id, tail, req),
        ["mailboxsettings", tail @ ..] => users::mailbox_settings(store, user_id, tail, req),
        ["events", ..] | ["calendar", ..] | ["calendars", ..] | ["calendarview", ..] => {
            calendar::route(store, user_id, rest, req)
        }
        [first, tail @ ..] if first.eq_ignore_ascii_case("todo") => todo::route(store, user_id, tail, req),
        [first, tail @ ..] if first.eq_ignore_ascii_case("onenote") => onenote::route(store, user_id, tail, req),
        [other, ..] => Err(GraphError::segment_not_found(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deferred_replies_resolve_to_their_answer() {
        let r = Reply::deferred(|| Ok(Reply::ok(serde_json::json!({"x": 1})))).resolve().unwrap();
        assert!(matches!(r.body, Body::Json(ref v) if v["x"] == 1));
        let e = Reply::deferred(|| Err(GraphError::bad_request("no"))).resolve().unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert!(matches!(Reply::ok(serde_json::json!(null)).resolve().unwrap().body, Body::Json(_)));
    }

    #[test]
    fn prefer_headers_are_read() {
        let mut h = HeaderMap::new();
        h.append("prefer", "odata.maxpagesize=3, outlook.timezone=\"Pacific Standard Time\"".parse().unwrap());
        h.append("prefer", "outlook.body-content-type=\"text\"".parse().unwrap());
        h.append("prefer", "IdType=\"ImmutableId\"".parse().unwrap());
        let p = Prefs::from_headers(&h);
        assert_eq!(p.max_page_size, Some(3));
        assert_eq!(p.timezone.as_deref(), Some("Pacific Standard Time"));
        assert_eq!(p.body_type, BodyPref::Text);
        assert!(p.immutable_id);
    }
}
