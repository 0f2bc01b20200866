//! Delta queries on a mail folder
//! (<https://learn.microsoft.com/graph/delta-query-messages>) and on a
//! calendar view (<https://learn.microsoft.com/graph/delta-query-events>).
//!
//! A round starts without a token (everything in the folder) or with a
//! `$deltatoken` (what changed since the round that issued it). Its pages are
//! linked by `$skiptoken`s; its last page carries `@odata.deltaLink`. Both
//! tokens are opaque strings the server keeps: a token it never issued, or
//! one dropped with [`crate::EmulatorHandle::expire_delta_tokens`], gets
//! 410 Gone with `syncStateNotFound`.
//!
//! Query options are given on the first request of the first round and are
//! carried by the tokens: `$select`, `$top`, `changeType=created|updated|deleted`,
//! `$filter=receivedDateTime ge|gt <date>` and `$orderby=receivedDateTime desc`
//! (the only forms Graph supports in mail delta).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::odata::{CmpOp, Expr, Lit, Operand, apply_select};
use crate::routes::{Reply, Req};
use crate::state::mail::{MESSAGE_PROPS, render_message};
use crate::state::store::{MessageRec, Store};
use crate::state::tokens::{TokenTable, Weigh, json_bytes, select_bytes};
use crate::time::parse_instant;

/// Which changes a round reports (`changeType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeType {
    Created,
    Updated,
    Deleted,
}

/// Options fixed at the start of a sync and carried by its tokens.
#[derive(Debug, Clone, Default)]
pub(crate) struct DeltaParams {
    pub select: Option<Vec<String>>,
    pub change_type: Option<ChangeType>,
    /// `receivedDateTime ge|gt` bound: (instant, inclusive).
    pub received: Option<(DateTime<Utc>, bool)>,
    pub page_size: Option<usize>,
}

/// One change of a round.
#[derive(Debug, Clone)]
pub(crate) enum DeltaEntry {
    /// A message of the folder, and its place in the mailbox's list when the
    /// round started: a hint that saves a search per item on every page
    /// (checked before use; the list shifts when a message leaves it).
    Changed(String, usize),
    Removed(String),
}

/// What a token stands for.
#[derive(Debug, Clone)]
pub(crate) enum DeltaState {
    /// The rest of a round in progress.
    Page {
        user_id: String,
        folder_id: String,
        entries: Arc<Vec<DeltaEntry>>,
        offset: usize,
        upto: u64,
        params: DeltaParams,
    },
    /// A finished round: the next one reports changes after `since`.
    Round { user_id: String, folder_id: String, since: u64, params: DeltaParams },
    /// The rest of a calendar view round: rendered items, and the view's
    /// state (id -> changeKey) at the start of the round.
    ViewPage {
        user_id: String,
        calendar_id: String,
        window: Window,
        items: Arc<Vec<Value>>,
        offset: usize,
        snapshot: Snapshot,
    },
    /// A finished calendar view round.
    ViewRound { user_id: String, calendar_id: String, window: Window, snapshot: Snapshot },
}

/// A calendar view's window.
pub(crate) type Window = (DateTime<Utc>, DateTime<Utc>);
/// What a calendar view held: id -> changeKey.
pub(crate) type Snapshot = Arc<HashMap<String, String>>;

/// Issued tokens, bounded by count and bytes (an evicted token answers 410,
/// as an expired sync state does on Graph).
pub(crate) type DeltaRegistry = TokenTable<DeltaState>;

impl Weigh for DeltaState {
    fn own_bytes(&self) -> usize {
        match self {
            DeltaState::Page { user_id, folder_id, params, .. }
            | DeltaState::Round { user_id, folder_id, params, .. } => {
                user_id.len() + folder_id.len() + select_bytes(&params.select)
            }
            DeltaState::ViewPage { user_id, calendar_id, .. } | DeltaState::ViewRound { user_id, calendar_id, .. } => {
                user_id.len() + calendar_id.len()
            }
        }
    }

    fn shared(&self) -> Vec<(usize, Box<dyn Fn() -> usize + '_>)> {
        let snapshot = |s: &'_ Snapshot| -> (usize, Box<dyn Fn() -> usize + '_>) {
            let s = s.clone();
            (Arc::as_ptr(&s) as usize, Box::new(move || s.iter().map(|(k, v)| k.len() + v.len() + 64).sum()))
        };
        match self {
            DeltaState::Page { entries, .. } => vec![(
                Arc::as_ptr(entries) as usize,
                Box::new(|| {
                    entries
                        .iter()
                        .map(|e| match e {
                            DeltaEntry::Changed(id, _) | DeltaEntry::Removed(id) => id.len() + 48,
                        })
                        .sum()
                }),
            )],
            DeltaState::Round { .. } => Vec::new(),
            DeltaState::ViewPage { items, snapshot: snap, .. } => vec![
                (Arc::as_ptr(items) as usize, Box::new(|| items.iter().map(|v| json_bytes(v) + 32).sum())),
                snapshot(snap),
            ],
            DeltaState::ViewRound { snapshot: snap, .. } => vec![snapshot(snap)],
        }
    }
}

const DEFAULT_PAGE: usize = 10;

fn params_from_query(req: &Req) -> ApiResult<DeltaParams> {
    let q = &req.query;
    q.validate(MESSAGE_PROPS, "message")?;
    if q.search.is_some() {
        return Err(GraphError::bad_request("$search is not supported on delta queries."));
    }
    let change_type = match q.param("changeType").map(str::to_ascii_lowercase).as_deref() {
        None => None,
        Some("created") => Some(ChangeType::Created),
        Some("updated") => Some(ChangeType::Updated),
        Some("deleted") => Some(ChangeType::Deleted),
        Some(other) => {
            return Err(GraphError::bad_request(format!(
                "Invalid changeType '{other}'. Supported values are created, updated and deleted."
            )));
        }
    };
    let received = match &q.filter {
        None => None,
        Some(Expr::Cmp(Operand::Path(p), op @ (CmpOp::Ge | CmpOp::Gt), Operand::Lit(lit)))
            if p.len() == 1 && p[0].eq_ignore_ascii_case("receivedDateTime") =>
        {
            let when = match lit {
                Lit::Date(d) => Some(*d),
                Lit::Str(s) => parse_instant(s),
                _ => None,
            }
            .ok_or_else(|| GraphError::bad_request("receivedDateTime must be compared with a date-time."))?;
            Some((when, *op == CmpOp::Ge))
        }
        Some(_) => {
            return Err(GraphError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "ErrorInvalidUrlQueryFilter",
                "Delta queries on messages support only $filter=receivedDateTime ge|gt {value}.",
            ));
        }
    };
    match q.orderby.as_slice() {
        [] => {}
        [(p, true)] if p.len() == 1 && p[0].eq_ignore_ascii_case("receivedDateTime") => {}
        _ => {
            return Err(GraphError::bad_request(
                "Delta queries on messages support only $orderby=receivedDateTime desc.",
            ));
        }
    }
    Ok(DeltaParams { select: q.select.clone(), change_type, received, page_size: q.top })
}

fn compute_round(
    store: &Store,
    user_id: &str,
    folder_id: &str,
    since: u64,
    params: &DeltaParams,
) -> ApiResult<Vec<DeltaEntry>> {
    let mb = store.mailbox(user_id)?;
    let initial = since == 0;
    let mut changed: Vec<(usize, &MessageRec)> = mb
        .messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.folder_id == folder_id && m.changed_seq > since)
        .filter(|(_, m)| match params.change_type {
            None => true,
            Some(ChangeType::Created) => m.created_seq > since,
            Some(ChangeType::Updated) => !initial && m.created_seq <= since,
            Some(ChangeType::Deleted) => false,
        })
        .filter(|(_, m)| match params.received {
            None => true,
            Some((bound, inclusive)) => {
                let r = m.data.get("receivedDateTime").and_then(Value::as_str).and_then(parse_instant);
                r.is_some_and(|r| if inclusive { r >= bound } else { r > bound })
            }
        })
        .collect();
    if initial {
        changed.sort_by(|(_, a), (_, b)| {
            let ka = a.data.get("receivedDateTime").and_then(Value::as_str).unwrap_or_default();
            let kb = b.data.get("receivedDateTime").and_then(Value::as_str).unwrap_or_default();
            kb.cmp(ka).then_with(|| a.id.cmp(&b.id))
        });
    } else {
        changed.sort_by_key(|(_, m)| m.changed_seq);
    }
    let mut entries = Vec::new();
    if !initial && matches!(params.change_type, None | Some(ChangeType::Deleted)) {
        let mut seen: Vec<&str> = Vec::new();
        for t in mb.tombstones.iter().filter(|t| t.folder_id == folder_id && t.seq > since) {
            let still_here = mb.messages.iter().any(|m| m.id == t.id && m.folder_id == folder_id);
            if !still_here && !seen.contains(&t.id.as_str()) {
                seen.push(&t.id);
                entries.push(DeltaEntry::Removed(t.id.clone()));
            }
        }
    }
    entries.extend(changed.into_iter().map(|(i, m)| DeltaEntry::Changed(m.id.clone(), i)));
    Ok(entries)
}

fn removed(id: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.message", "id": id, "@removed": {"reason": "deleted"}})
}

/// `GET .../mailFolders/{id}/messages/delta`.
pub(crate) fn messages_delta(store: &mut Store, user_id: &str, folder_id: &str, req: &Req) -> ApiResult<Reply> {
    let skip = req.query.param("skiptoken").map(str::to_owned);
    let delta = req.query.param("deltatoken").map(str::to_owned);
    let (entries, offset, upto, params) = match (skip, delta) {
        (Some(tok), _) => match store.delta.get(&tok) {
            Some(DeltaState::Page { user_id: u, folder_id: f, entries, offset, upto, params })
                if u == user_id && f == folder_id =>
            {
                (entries.clone(), *offset, *upto, params.clone())
            }
            _ => return Err(GraphError::sync_state_not_found()),
        },
        (None, Some(tok)) => match store.delta.get(&tok) {
            Some(DeltaState::Round { user_id: u, folder_id: f, since, params }) if u == user_id && f == folder_id => {
                let (since, params) = (*since, params.clone());
                let entries = compute_round(store, user_id, folder_id, since, &params)?;
                (Arc::new(entries), 0, store.seq, params)
            }
            _ => return Err(GraphError::sync_state_not_found()),
        },
        (None, None) => {
            let params = params_from_query(req)?;
            let entries = compute_round(store, user_id, folder_id, 0, &params)?;
            (Arc::new(entries), 0, store.seq, params)
        }
    };
    let size = req.prefs.max_page_size.or(params.page_size).unwrap_or(DEFAULT_PAGE).clamp(1, 1000);
    let end = (offset + size).min(entries.len());
    let mb = store.mailbox(user_id)?;
    let at_hint = |id: &str, hint: usize| mb.messages.get(hint).filter(|m| m.id == id && m.folder_id == folder_id);
    // Items whose message moved in the list (or left the folder) since the
    // round started: one pass over the mailbox for all of them.
    let missed: HashSet<&str> = entries[offset..end]
        .iter()
        .filter_map(|e| match e {
            DeltaEntry::Changed(id, hint) if at_hint(id, *hint).is_none() => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let mut shifted: HashMap<&str, &MessageRec> = HashMap::new();
    if !missed.is_empty() {
        for m in mb.messages.iter().filter(|m| m.folder_id == folder_id && missed.contains(m.id.as_str())) {
            shifted.entry(m.id.as_str()).or_insert(m);
        }
    }
    let mut value = Vec::new();
    for e in &entries[offset..end] {
        match e {
            DeltaEntry::Removed(id) => value.push(removed(id)),
            DeltaEntry::Changed(id, hint) => match at_hint(id, *hint).or_else(|| shifted.get(id.as_str()).copied()) {
                Some(m) => {
                    let mut v = render_message(m, params.select.as_deref(), req.prefs.body_type);
                    if let Value::Object(o) = &mut v {
                        o.insert("@odata.type".into(), json!("#microsoft.graph.message"));
                    }
                    value.push(apply_select(v, params.select.as_deref(), MESSAGE_PROPS));
                }
                None => value.push(removed(id)),
            },
        }
    }
    let token = store.ids.token(24);
    let mut body = Map::new();
    body.insert("@odata.context".into(), json!(req.context("Collection(message)")));
    let base = req.link_base();
    if end < entries.len() {
        body.insert("@odata.nextLink".into(), json!(format!("{base}?$skiptoken={token}")));
        store.delta.issue(
            token,
            DeltaState::Page {
                user_id: user_id.to_owned(),
                folder_id: folder_id.to_owned(),
                entries,
                offset: end,
                upto,
                params,
            },
        );
    } else {
        body.insert("@odata.deltaLink".into(), json!(format!("{base}?$deltatoken={token}")));
        store.delta.issue(
            token,
            DeltaState::Round { user_id: user_id.to_owned(), folder_id: folder_id.to_owned(), since: upto, params },
        );
    }
    body.insert("value".into(), Value::Array(value));
    Ok(Reply::ok(Value::Object(body)))
}

/// `GET .../calendarView/delta?startDateTime=...&endDateTime=...`: the first
/// round returns every instance in the window (recurrences expanded); later
/// rounds return the instances that appeared or changed since, and
/// `@removed` for those that left the window or were deleted.
pub(crate) fn calendar_view_delta(
    store: &mut Store,
    user_id: &str,
    calendar_id: &str,
    req: &Req,
    render: impl Fn(&Store, Window) -> ApiResult<Vec<Value>>,
    window_of: impl Fn(&Req) -> ApiResult<Window>,
) -> ApiResult<Reply> {
    let skip = req.query.param("skiptoken").map(str::to_owned);
    let delta = req.query.param("deltatoken").map(str::to_owned);
    let round = |store: &Store, window: Window, previous: Option<&Snapshot>| -> ApiResult<(Vec<Value>, Snapshot)> {
        let now: Vec<Value> = render(store, window)?;
        let snapshot: HashMap<String, String> = now
            .iter()
            .filter_map(|e| {
                Some((e["id"].as_str()?.to_owned(), e["changeKey"].as_str().unwrap_or_default().to_owned()))
            })
            .collect();
        let mut items = Vec::new();
        if let Some(prev) = previous {
            let mut gone: Vec<&String> = prev.keys().filter(|id| !snapshot.contains_key(*id)).collect();
            gone.sort();
            for id in gone {
                items.push(
                    json!({"@odata.type": "#microsoft.graph.event", "id": id, "@removed": {"reason": "deleted"}}),
                );
            }
        }
        for mut e in now {
            let id = e["id"].as_str().unwrap_or_default().to_owned();
            let unchanged = previous.is_some_and(|p| p.get(&id) == snapshot.get(&id));
            if unchanged {
                continue;
            }
            if let Value::Object(o) = &mut e {
                o.insert("@odata.type".into(), json!("#microsoft.graph.event"));
            }
            items.push(e);
        }
        Ok((items, Arc::new(snapshot)))
    };
    let (items, offset, window, snapshot) = match (skip, delta) {
        (Some(tok), _) => match store.delta.get(&tok) {
            Some(DeltaState::ViewPage { user_id: u, calendar_id: c, window, items, offset, snapshot })
                if u == user_id && c == calendar_id =>
            {
                (items.clone(), *offset, *window, snapshot.clone())
            }
            _ => return Err(GraphError::sync_state_not_found()),
        },
        (None, Some(tok)) => match store.delta.get(&tok) {
            Some(DeltaState::ViewRound { user_id: u, calendar_id: c, window, snapshot })
                if u == user_id && c == calendar_id =>
            {
                let (window, previous) = (*window, snapshot.clone());
                let (items, snapshot) = round(store, window, Some(&previous))?;
                (Arc::new(items), 0, window, snapshot)
            }
            _ => return Err(GraphError::sync_state_not_found()),
        },
        (None, None) => {
            let window = window_of(req)?;
            let (items, snapshot) = round(store, window, None)?;
            (Arc::new(items), 0, window, snapshot)
        }
    };
    let size = req.prefs.max_page_size.unwrap_or(DEFAULT_PAGE).clamp(1, 1000);
    let end = (offset + size).min(items.len());
    let value = items[offset..end].to_vec();
    let token = store.ids.token(24);
    let base = req.link_base();
    let mut body = Map::new();
    body.insert("@odata.context".into(), json!(req.context("Collection(event)")));
    let state = if end < items.len() {
        body.insert("@odata.nextLink".into(), json!(format!("{base}?$skiptoken={token}")));
        DeltaState::ViewPage {
            user_id: user_id.to_owned(),
            calendar_id: calendar_id.to_owned(),
            window,
            items,
            offset: end,
            snapshot,
        }
    } else {
        body.insert("@odata.deltaLink".into(), json!(format!("{base}?$deltatoken={token}")));
        DeltaState::ViewRound { user_id: user_id.to_owned(), calendar_id: calendar_id.to_owned(), window, snapshot }
    };
    store.delta.issue(token, state);
    body.insert("value".into(), Value::Array(value));
    Ok(Reply::ok(Value::Object(body)))
}
