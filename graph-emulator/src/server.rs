//! The HTTP server: an axum router for the identity endpoints and the Graph
//! root (`/v1.0/...`), a layer that every request goes through (request ids,
//! injected latency and faults, the request log), and the Graph entry point
//! (bearer-token check, per-mailbox throttling, `$batch`, dispatch).

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body as AxumBody, Bytes};
use axum::extract::{DefaultBodyLimit, Extension, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use serde_json::{Map, Value, json};

use crate::context::{Ctx, RecordedRequest, Shared, cut, lock};
use crate::errors::{ApiResult, GraphError, default_code_for_status};
use crate::faults::Fault;
use crate::odata::QueryOptions;
use crate::routes::response::{GRAPH_JSON, error_response, json_response, origin, to_response};
use crate::routes::{self, Body, Prefs, Reply, Req, identity};
use crate::state::path::split_path;
use crate::throttle::retry_after_secs;

/// The router.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/devicecode", post(identity::device_code))
        .route("/{tenant}/oauth2/v2.0/token", post(identity::token))
        .route("/{tenant}/v2.0/.well-known/openid-configuration", get(identity::openid_configuration))
        .route("/{tenant}/discovery/v2.0/keys", get(identity::signing_keys))
        .route("/devicelogin", get(identity::device_login))
        .route("/v1.0", any(graph))
        .route("/v1.0/", any(graph))
        .route("/v1.0/{*rest}", any(graph))
        .merge(routes::upload::router())
        .merge(routes::subscriptions::router(graph))
        .fallback(unknown_path)
        // OneDrive's simple upload takes files up to 250 MB (checked in the handler).
        .layer(DefaultBodyLimit::max(251 << 20))
        .layer(middleware::from_fn_with_state(shared.clone(), common))
        .with_state(shared)
}

/// Every request: request id, latency, faults, `request-id` /
/// `client-request-id` response headers, the request log.
async fn common(State(shared): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let request_id = shared.next_request_id();
    let client_request_id = req
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| request_id.clone());
    let ctx = Ctx { request_id: request_id.clone(), client_request_id: client_request_id.clone(), now: Utc::now() };
    if let Some(host) = req.headers().get(header::HOST)
        && !is_loopback_host(host.as_bytes())
    {
        // DNS rebinding: a web page whose name resolves to 127.0.0.1 must not reach the mailboxes.
        let e = GraphError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "MisdirectedRequest",
            "msgraph-emulator answers requests addressed to localhost, 127.0.0.1 or [::1] only.",
        );
        return error_response(&e, &ctx);
    }
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(cut);
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            let value = if *k == header::AUTHORIZATION {
                "<redacted>".to_owned()
            } else {
                cut(&String::from_utf8_lossy(v.as_bytes()))
            };
            (cut(k.as_str()), value)
        })
        .collect();
    let (latency, fault) = {
        let mut c = lock(&shared.controls);
        (c.latency, c.faults.take(&method, &path))
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut resp = match fault {
        Some(f) => fault_response(&f, &ctx),
        None => {
            req.extensions_mut().insert(ctx.clone());
            next.run(req).await
        }
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        h.insert(HeaderName::from_static("request-id"), v);
    }
    if let Ok(v) = HeaderValue::from_str(&client_request_id) {
        h.insert(HeaderName::from_static("client-request-id"), v);
    }
    let status = resp.status().as_u16();
    let logged = RecordedRequest { method: cut(&method), path: cut(&path), query, status, headers, request_id };
    lock(&shared.controls).log.push(logged);
    resp
}

fn fault_response(f: &Fault, ctx: &Ctx) -> Response {
    let status = StatusCode::from_u16(f.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = match &f.raw_body {
        Some((ct, bytes)) => {
            let mut r = Response::new(AxumBody::from(bytes.clone()));
            if let Ok(v) = HeaderValue::from_str(ct) {
                r.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            r
        }
        None => {
            let code = f.code.clone().unwrap_or_else(|| default_code_for_status(f.status).to_owned());
            let message = f.message.clone().unwrap_or_else(|| format!("Injected fault ({} {}).", f.status, code));
            let e = GraphError::new(status, &code, message);
            json_response(status, &e.body(&ctx.request_id, &ctx.client_request_id, ctx.now))
        }
    };
    *resp.status_mut() = status;
    if let Some(ra) = &f.retry_after
        && let Ok(v) = HeaderValue::from_str(ra)
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

async fn unknown_path(Extension(ctx): Extension<Ctx>, uri: Uri) -> Response {
    let first = uri.path().trim_start_matches('/').split('/').next().unwrap_or_default().to_owned();
    let e = if first.eq_ignore_ascii_case("beta") || first.starts_with('v') {
        GraphError::bad_request(format!("Invalid version: {first}. msgraph-emulator serves v1.0."))
    } else {
        GraphError::new(StatusCode::NOT_FOUND, "NotFound", format!("No resource at '{}'.", uri.path()))
    };
    error_response(&e, &ctx)
}

/// Whether a `Host` header names this machine's loopback interface
/// (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`), with or without a port.
fn is_loopback_host(host: &[u8]) -> bool {
    let Ok(host) = std::str::from_utf8(host) else { return false };
    let name = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, rest)) if rest.is_empty() || rest.starts_with(':') => {
                return addr.parse::<std::net::Ipv6Addr>().is_ok_and(|a| a.is_loopback());
            }
            _ => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(n, port)| if port.parse::<u16>().is_ok() { n } else { host }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

pub(crate) async fn graph(
    State(shared): State<Arc<Shared>>,
    Extension(ctx): Extension<Ctx>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let origin = origin(&headers, shared.addr);
    let result =
        handle_graph(&shared, &ctx, method, uri.path(), uri.query().unwrap_or(""), &headers, &body, &origin, true);
    to_response(result, &ctx)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

/// Auth, throttling, `$batch` and dispatch for one Graph request.
#[allow(clippy::too_many_arguments)]
fn handle_graph(
    shared: &Shared,
    ctx: &Ctx,
    method: Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
    origin: &str,
    allow_batch: bool,
) -> ApiResult<Reply> {
    let mut segs = split_path(path);
    if segs.first().is_some_and(|s| s == "v1.0") {
        segs.remove(0);
    }
    let Some(token) = bearer(headers) else {
        return Err(GraphError::unauthorized("Access token is empty.", origin));
    };
    let mut store = lock(&shared.store);
    let principal = store.authenticate(token, ctx.now).map_err(|m| GraphError::unauthorized(m, origin))?;
    if segs.len() == 1 && segs[0] == "$batch" {
        drop(store);
        if !allow_batch || method != Method::POST {
            return Err(GraphError::bad_request("$batch must be a POST to /v1.0/$batch and cannot be nested."));
        }
        return batch(shared, ctx, headers, body, origin);
    }
    if let Some(mailbox) = routes::target_mailbox(&store, &principal, &segs) {
        let verdict = lock(&shared.controls).throttler.check(&mailbox, Instant::now());
        if let Err(wait) = verdict {
            // OneNote answers its 429s without Retry-After.
            return Err(if routes::onenote::is_onenote(&segs) {
                routes::onenote::throttled()
            } else {
                GraphError::throttled(retry_after_secs(wait))
            });
        }
    }
    let query = if routes::onenote::is_onenote(&segs) {
        routes::onenote::parse_query(query)?
    } else {
        QueryOptions::parse(query)?
    };
    let req = Req {
        method,
        path: path.to_owned(),
        segs,
        query,
        body,
        origin: origin.to_owned(),
        now: ctx.now,
        prefs: Prefs::from_headers(headers),
        headers,
    };
    let result = routes::dispatch(&mut store, &principal, &req);
    // Deferred answers (getSchedule) are built without holding the store.
    drop(store);
    result.and_then(Reply::resolve)
}

/// JSON batching (<https://learn.microsoft.com/graph/json-batching>): up to
/// 20 requests, `dependsOn` honoured (a failed dependency gives 424), each
/// request authenticated with the batch's token and throttled on its own.
fn batch(shared: &Shared, ctx: &Ctx, headers: &HeaderMap, body: &[u8], origin: &str) -> ApiResult<Reply> {
    let parsed: Value = serde_json::from_slice(body).map_err(|_| GraphError::unreadable_json())?;
    let Some(requests) = parsed.get("requests").and_then(Value::as_array) else {
        return Err(GraphError::bad_request("Invalid batch payload format: a 'requests' array is required."));
    };
    if requests.len() > 20 {
        return Err(GraphError::bad_request("Number of requests exceeds the limit of 20."));
    }
    let mut ids: Vec<String> = Vec::new();
    for r in requests {
        let id = match r.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(GraphError::bad_request("Every request in a batch needs an 'id'.")),
        };
        if ids.contains(&id) {
            return Err(GraphError::bad_request(format!("Request id '{id}' is used more than once in the batch.")));
        }
        if r.get("method").and_then(Value::as_str).is_none() || r.get("url").and_then(Value::as_str).is_none() {
            return Err(GraphError::bad_request(format!("Request '{id}' needs a 'method' and a 'url'.")));
        }
        ids.push(id);
    }
    let deps: Vec<Vec<String>> = requests
        .iter()
        .map(|r| {
            r.get("dependsOn")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|d| d.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        })
        .collect();
    for d in deps.iter().flatten() {
        if !ids.contains(d) {
            return Err(GraphError::bad_request(format!("Request dependsOn id '{d}' is not in the batch.")));
        }
    }
    let mut status: Vec<Option<u16>> = vec![None; requests.len()];
    let mut responses: Vec<Option<Value>> = vec![None; requests.len()];
    loop {
        let mut progressed = false;
        for i in 0..requests.len() {
            if status[i].is_some() {
                continue;
            }
            let dep_status: Vec<Option<u16>> =
                deps[i].iter().map(|d| ids.iter().position(|x| x == d).and_then(|j| status[j])).collect();
            if dep_status.iter().any(Option::is_none) {
                continue;
            }
            progressed = true;
            let failed_dep = dep_status.iter().flatten().any(|s| *s >= 400);
            let (st, resp) = if failed_dep {
                let e = GraphError::new(
                    StatusCode::FAILED_DEPENDENCY,
                    "Failed Dependency",
                    "A request this one depends on failed.",
                );
                (
                    424,
                    json!({"id": ids[i], "status": 424, "body": e.body(&ctx.request_id, &ctx.client_request_id, ctx.now)}),
                )
            } else {
                batch_item(shared, ctx, headers, &requests[i], &ids[i], origin)
            };
            status[i] = Some(st);
            responses[i] = Some(resp);
        }
        if status.iter().all(Option::is_some) {
            break;
        }
        if !progressed {
            return Err(GraphError::bad_request("The dependsOn relations of the batch form a cycle."));
        }
    }
    Ok(Reply::ok(json!({"responses": responses.into_iter().flatten().collect::<Vec<_>>()})))
}

/// `retry-after` -> `Retry-After`, as Graph writes header names in batch responses.
fn title_case(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn batch_item(shared: &Shared, ctx: &Ctx, outer: &HeaderMap, r: &Value, id: &str, origin: &str) -> (u16, Value) {
    let method = r["method"].as_str().unwrap_or("GET").to_ascii_uppercase();
    let url = r["url"].as_str().unwrap_or_default();
    let url = url.strip_prefix("https://graph.microsoft.com").unwrap_or(url);
    let url = url.trim_start_matches('/');
    let url = url.strip_prefix("v1.0/").unwrap_or(url);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = format!("/v1.0/{path}");
    let mut headers = HeaderMap::new();
    if let Some(auth) = outer.get(header::AUTHORIZATION) {
        headers.insert(header::AUTHORIZATION, auth.clone());
    }
    if let Some(host) = outer.get(header::HOST) {
        headers.insert(header::HOST, host.clone());
    }
    let mut content_type = String::new();
    if let Some(h) = r.get("headers").and_then(Value::as_object) {
        for (k, v) in h {
            if let (Ok(name), Some(Ok(val))) =
                (HeaderName::from_bytes(k.as_bytes()), v.as_str().map(HeaderValue::from_str))
            {
                if name == header::CONTENT_TYPE {
                    content_type = v.as_str().unwrap_or_default().to_ascii_lowercase();
                }
                headers.insert(name, val);
            }
        }
    }
    let body: Vec<u8> = match r.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if !content_type.contains("json") => {
            STANDARD.decode(s).unwrap_or_else(|_| s.clone().into_bytes())
        }
        Some(v) => v.to_string().into_bytes(),
    };
    let sub =
        Ctx { request_id: shared.next_request_id(), client_request_id: ctx.client_request_id.clone(), now: ctx.now };
    let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET);
    let result =
        handle_graph(shared, &sub, method, &path, query, &headers, &body, origin, false).and_then(Reply::resolve);
    let mut out_headers = Map::new();
    let (status, body) = match result {
        Ok(reply) => {
            for (k, v) in &reply.headers {
                out_headers.insert(title_case(k.as_str()), json!(v));
            }
            let body = match reply.body {
                Body::Json(v) => {
                    out_headers.insert("Content-Type".into(), json!(GRAPH_JSON));
                    Some(v)
                }
                Body::Bytes(ct, bytes) => {
                    out_headers.insert("Content-Type".into(), json!(ct));
                    Some(json!(STANDARD.encode(bytes)))
                }
                Body::Empty | Body::Deferred(_) => None,
            };
            (reply.status.as_u16(), body)
        }
        Err(e) => {
            for (k, v) in &e.headers {
                out_headers.insert(title_case(k.as_str()), json!(v.to_str().unwrap_or_default()));
            }
            out_headers.insert("Content-Type".into(), json!(GRAPH_JSON));
            (e.status.as_u16(), Some(e.body(&sub.request_id, &sub.client_request_id, sub.now)))
        }
    };
    let mut item = Map::new();
    item.insert("id".into(), json!(id));
    item.insert("status".into(), json!(status));
    item.insert("headers".into(), Value::Object(out_headers));
    if let Some(b) = body {
        item.insert("body".into(), b);
    }
    (status, Value::Object(item))
}
