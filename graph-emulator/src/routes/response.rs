//! Handler results as HTTP responses: Graph's JSON content type and
//! headers, error bodies, and the origin absolute links are built on.

use std::net::SocketAddr;

use axum::body::Body as AxumBody;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::Value;

use crate::context::Ctx;
use crate::errors::{ApiResult, GraphError};
use crate::routes::{Body, Reply};

/// Graph's JSON content type.
pub(crate) const GRAPH_JSON: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

pub(crate) fn json_response(status: StatusCode, v: &Value) -> Response {
    let mut r = Response::new(AxumBody::from(v.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(GRAPH_JSON));
    r.headers_mut().insert(HeaderName::from_static("odata-version"), HeaderValue::from_static("4.0"));
    r
}

/// A Graph error as an HTTP response.
pub(crate) fn error_response(e: &GraphError, ctx: &Ctx) -> Response {
    let mut r = json_response(e.status, &e.body(&ctx.request_id, &ctx.client_request_id, ctx.now));
    for (k, v) in &e.headers {
        r.headers_mut().insert(k.clone(), v.clone());
    }
    r
}

/// A handler's result as an HTTP response.
pub(crate) fn to_response(result: ApiResult<Reply>, ctx: &Ctx) -> Response {
    match result.and_then(Reply::resolve) {
        Err(e) => error_response(&e, ctx),
        Ok(reply) => {
            let mut r = match reply.body {
                Body::Json(v) => json_response(reply.status, &v),
                Body::Bytes(ct, bytes) => {
                    let mut r = Response::new(AxumBody::from(bytes));
                    if let Ok(v) = HeaderValue::from_str(&ct) {
                        r.headers_mut().insert(header::CONTENT_TYPE, v);
                    }
                    r
                }
                Body::Empty | Body::Deferred(_) => Response::new(AxumBody::empty()),
            };
            *r.status_mut() = reply.status;
            for (k, v) in reply.headers {
                if let Ok(v) = HeaderValue::from_str(&v) {
                    r.headers_mut().insert(k, v);
                }
            }
            r
        }
    }
}

/// `scheme://host` as the client addressed us (for absolute links).
pub(crate) fn origin(headers: &HeaderMap, addr: SocketAddr) -> String {
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if !host.is_empty() => format!("http://{host}"),
        _ => format!("http://{addr}"),
    }
}
