//! The delta handlers: a mail folder's `messages/delta` and a calendar's
//! `calendarView/delta`. Tokens, rounds and the changes they report are in
//! [`crate::state::delta`]; this is the HTTP side (query options, `Prefer`,
//! links, the response body).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::routes::{Reply, Req};
use crate::state::delta::{
    DEFAULT_PAGE, DeltaState, Snapshot, Window, compute_round, page_values, params_from_query, view_round,
};
use crate::state::store::Store;

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
            let params = params_from_query(&req.query)?;
            let entries = compute_round(store, user_id, folder_id, 0, &params)?;
            (Arc::new(entries), 0, store.seq, params)
        }
    };
    let size = req.prefs.max_page_size.or(params.page_size).unwrap_or(DEFAULT_PAGE).clamp(1, 1000);
    let end = (offset + size).min(entries.len());
    let value =
        page_values(store, user_id, folder_id, &entries[offset..end], params.select.as_deref(), req.prefs.body_type)?;
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
        Ok(view_round(render(store, window)?, previous))
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
