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
//!
//! This module is the registry of tokens and the computation of rounds and
//! pages over the store; the HTTP handlers are in `crate::routes::delta`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::odata::{CmpOp, Expr, Lit, Operand, QueryOptions, apply_select};
use crate::state::mail::{BodyPref, MESSAGE_PROPS, render_message};
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

/// Page size when neither `$top` nor `Prefer: odata.maxpagesize` gives one.
pub(crate) const DEFAULT_PAGE: usize = 10;

/// The options of a sync's first request, checked against what Graph supports in mail delta.
pub(crate) fn params_from_query(q: &QueryOptions) -> ApiResult<DeltaParams> {
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

/// The changes of a round over a folder: everything (newest first) when
/// `since` is 0, else what changed after `since` (oldest change first),
/// with `Removed` entries for messages that left the folder.
pub(crate) fn compute_round(
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

/// A message that left the folder, as a delta page shows it.
pub(crate) fn removed(id: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.message", "id": id, "@removed": {"reason": "deleted"}})
}

/// The items of one page of a mail folder round, rendered: `entries` is the
/// page's slice of the round; a message that has left the folder since the
/// round started shows as removed.
pub(crate) fn page_values(
    store: &Store,
    user_id: &str,
    folder_id: &str,
    entries: &[DeltaEntry],
    select: Option<&[String]>,
    body: BodyPref,
) -> ApiResult<Vec<Value>> {
    let mb = store.mailbox(user_id)?;
    let at_hint = |id: &str, hint: usize| mb.messages.get(hint).filter(|m| m.id == id && m.folder_id == folder_id);
    // Items whose message moved in the list (or left the folder) since the
    // round started: one pass over the mailbox for all of them.
    let missed: HashSet<&str> = entries
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
    for e in entries {
        match e {
            DeltaEntry::Removed(id) => value.push(removed(id)),
            DeltaEntry::Changed(id, hint) => match at_hint(id, *hint).or_else(|| shifted.get(id.as_str()).copied()) {
                Some(m) => {
                    let mut v = render_message(m, select, body);
                    if let Value::Object(o) = &mut v {
                        o.insert("@odata.type".into(), json!("#microsoft.graph.message"));
                    }
                    value.push(apply_select(v, select, MESSAGE_PROPS));
                }
                None => value.push(removed(id)),
            },
        }
    }
    Ok(value)
}

/// A calendar view round from the view's instances now (`now`, rendered) and
/// the snapshot of the previous round, if any: every instance on the first
/// round; later, `@removed` for the instances that left and the instances
/// that are new or whose changeKey changed. Returns the items and the new snapshot.
pub(crate) fn view_round(now: Vec<Value>, previous: Option<&Snapshot>) -> (Vec<Value>, Snapshot) {
    let snapshot: HashMap<String, String> = now
        .iter()
        .filter_map(|e| Some((e["id"].as_str()?.to_owned(), e["changeKey"].as_str().unwrap_or_default().to_owned())))
        .collect();
    let mut items = Vec::new();
    if let Some(prev) = previous {
        let mut gone: Vec<&String> = prev.keys().filter(|id| !snapshot.contains_key(*id)).collect();
        gone.sort();
        for id in gone {
            items.push(json!({"@odata.type": "#microsoft.graph.event", "id": id, "@removed": {"reason": "deleted"}}));
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
    (items, Arc::new(snapshot))
}

/// The state layer on its own: a store, its delta registry and the change
/// computation, with no server, no `Req` and no `Reply`.
#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::demo;
    use crate::state::seed::{add_demo_users, seed_demo_data};

    fn demo_store() -> Store {
        let anchor = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
        let mut store = Store::new(demo::TENANT_ID, anchor);
        add_demo_users(&mut store);
        seed_demo_data(&mut store);
        store
    }

    fn ids(entries: &[DeltaEntry]) -> Vec<(&str, bool)> {
        entries
            .iter()
            .map(|e| match e {
                DeltaEntry::Changed(id, _) => (id.as_str(), true),
                DeltaEntry::Removed(id) => (id.as_str(), false),
            })
            .collect()
    }

    #[test]
    fn rounds_tokens_and_pages_work_on_the_store_alone() {
        let mut store = demo_store();
        let user = demo::USER_ID;
        let inbox = store.mailbox(user).unwrap().well_known_id("inbox");
        let params = params_from_query(&QueryOptions::parse("$select=subject&$top=2").unwrap()).unwrap();
        assert_eq!(params.page_size, Some(2));

        // First round: every message of the folder, newest first.
        let first = compute_round(&store, user, &inbox, 0, &params).unwrap();
        let in_inbox = store.mailbox(user).unwrap().messages.iter().filter(|m| m.folder_id == inbox).count();
        assert!(in_inbox > 2, "{in_inbox}");
        assert_eq!(first.len(), in_inbox);
        assert!(first.iter().all(|e| matches!(e, DeltaEntry::Changed(..))));
        let page = page_values(&store, user, &inbox, &first[..2], params.select.as_deref(), BodyPref::Html).unwrap();
        assert_eq!(page.len(), 2);
        assert!(page[0]["receivedDateTime"].is_null() && page[0]["subject"].is_string(), "{}", page[0]);
        assert_eq!(page[0]["@odata.type"], "#microsoft.graph.message");

        // The round's end is a token in the registry.
        let since = store.seq;
        store.delta.issue(
            "round-1".into(),
            DeltaState::Round { user_id: user.into(), folder_id: inbox.clone(), since, params: params.clone() },
        );
        assert!(matches!(store.delta.get("round-1"), Some(DeltaState::Round { since: s, .. }) if *s == since));
        assert!(store.delta.get("never-issued").is_none());

        // One message changed, one deleted: the next round has exactly those.
        let (touched, deleted) = match (&first[0], &first[1]) {
            (DeltaEntry::Changed(a, _), DeltaEntry::Changed(b, _)) => (a.clone(), b.clone()),
            _ => unreachable!(),
        };
        store.touch_message(user, &touched, Utc::now()).unwrap();
        store.remove_message(user, &deleted).unwrap();
        let next = compute_round(&store, user, &inbox, since, &params).unwrap();
        assert_eq!(ids(&next), vec![(deleted.as_str(), false), (touched.as_str(), true)]);
        let page = page_values(&store, user, &inbox, &next, None, BodyPref::Html).unwrap();
        assert_eq!(page[0], removed(&deleted));
        assert_eq!(page[1]["id"], touched.as_str());

        // A stale page entry (the message left since the round started) renders as removed.
        let stale = page_values(&store, user, &inbox, &first[1..2], None, BodyPref::Html).unwrap();
        assert_eq!(stale, vec![removed(&deleted)]);

        // changeType=created sees neither an update nor a deletion.
        let created = DeltaParams { change_type: Some(ChangeType::Created), ..DeltaParams::default() };
        assert!(compute_round(&store, user, &inbox, since, &created).unwrap().is_empty());

        // Dropping the tokens (expire_delta_tokens) forgets the round.
        store.delta.clear();
        assert!(store.delta.get("round-1").is_none());
    }

    #[test]
    fn unsupported_delta_options_are_refused_without_a_request() {
        for q in ["$search=x", "changeType=moved", "$filter=subject eq 'x'", "$orderby=subject"] {
            assert!(params_from_query(&QueryOptions::parse(q).unwrap()).is_err(), "{q}");
        }
        let p = params_from_query(&QueryOptions::parse("$filter=receivedDateTime gt 2026-01-01T00:00:00Z").unwrap())
            .unwrap();
        assert!(matches!(p.received, Some((_, false))));
    }

    #[test]
    fn calendar_view_rounds_report_new_changed_and_gone_instances() {
        let ev = |id: &str, ck: &str| json!({"id": id, "changeKey": ck, "subject": id});
        let (items, snap) = view_round(vec![ev("a", "1"), ev("b", "1"), ev("c", "1")], None);
        assert_eq!(items.len(), 3);
        assert!(items.iter().all(|e| e["@odata.type"] == "#microsoft.graph.event"));
        let (items, snap2) = view_round(vec![ev("a", "1"), ev("b", "2"), ev("d", "1")], Some(&snap));
        let got: Vec<(&str, bool)> =
            items.iter().map(|e| (e["id"].as_str().unwrap(), e.get("@removed").is_some())).collect();
        assert_eq!(got, vec![("c", true), ("b", false), ("d", false)]);
        assert_eq!(snap2.len(), 3);
    }
}
