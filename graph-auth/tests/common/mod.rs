//! Helpers shared by the integration tests: a fake identity platform (core's
//! MockGraph, whose catch-all fails the test on any unexpected request),
//! form decoding, token bodies and a timer that records instead of waiting.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::future::BoxFuture;
use msgraph_core::test_util::MockGraph;
use serde_json::{Value, json};

pub const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

/// A fake identity platform with a catch-all for unexpected requests.
pub async fn identity() -> MockGraph {
    MockGraph::start().await
}

/// The form fields of a request body.
pub fn form(req: &wiremock::Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&req.body).into_owned().collect()
}

/// Every request to `path`, in order.
pub async fn requests_to(server: &MockGraph, path: &str) -> Vec<wiremock::Request> {
    server.requests().await.into_iter().filter(|r| r.url.path() == path).collect()
}

/// An unsigned id token naming `username`.
pub fn id_token(username: &str) -> String {
    let claims = json!({ "preferred_username": username, "oid": "oid-1", "tid": "tid-1" });
    format!("e30.{}.", URL_SAFE_NO_PAD.encode(claims.to_string()))
}

/// A token endpoint success body.
pub fn token_body(access: &str, refresh: Option<&str>, account: Option<&str>) -> Value {
    let mut body =
        json!({ "token_type": "Bearer", "access_token": access, "expires_in": 3599, "ext_expires_in": 3599 });
    if let Some(r) = refresh {
        body["refresh_token"] = json!(r);
    }
    if let Some(a) = account {
        body["id_token"] = json!(id_token(a));
    }
    body
}

/// An identity-platform error body.
pub fn error_body(error: &str, aadsts: u32, description: &str) -> Value {
    json!({
        "error": error,
        "error_description": format!("AADSTS{aadsts}: {description}\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2024-01-01 00:00:00Z"),
        "error_codes": [aadsts],
        "timestamp": "2024-01-01 00:00:00Z",
        "trace_id": "t",
        "correlation_id": "c"
    })
}

/// A timer that records the intervals asked for and returns at once.
#[derive(Clone, Default)]
pub struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl RecordingSleep {
    pub fn sleeper(&self) -> impl Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync + 'static {
        let log = self.0.clone();
        move |d| {
            log.lock().unwrap().push(d);
            Box::pin(async {})
        }
    }

    pub fn intervals(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

/// A fresh, empty directory under the system temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("msgraph-auth-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Decodes one base64url part of a JWT as JSON.
pub fn jwt_part(jwt: &str, index: usize) -> Value {
    let part = jwt.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}
