//! Helpers for driving the emulator over plain HTTP.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use msgraph_emulator::{Emulator, demo};
use reqwest::header::HeaderMap;
use reqwest::{Client, Method};
use serde_json::Value;

/// A fixed anchor so dates in assertions are stable: Wednesday 2024-03-13 00:00 UTC.
pub fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 13, 0, 0, 0).unwrap()
}

/// An emulator with the demo data around [`anchor`], and a client signed in as Adele.
pub struct T {
    pub emu: Emulator,
    pub http: Client,
    pub token: String,
}

/// What came back.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `value` array of a collection.
    pub fn values(&self) -> Vec<Value> {
        self.json["value"].as_array().cloned().unwrap_or_default()
    }

    pub fn error_code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or_default()
    }
}

pub fn client() -> Client {
    Client::builder().no_proxy().build().expect("client")
}

impl T {
    pub async fn start() -> T {
        Self::with(Emulator::builder()).await
    }

    pub async fn with(builder: msgraph_emulator::EmulatorBuilder) -> T {
        let emu = builder.anchor(anchor()).start().await.expect("emulator starts");
        let token = emu.issue_token(demo::USER_UPN).expect("token");
        T { emu, http: client(), token }
    }

    /// An absolute URL for a Graph path (`/me/messages`) or an absolute URL as is.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") { path.to_owned() } else { format!("{}{}", self.emu.base_url(), path) }
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Resp {
        self.call_as(&self.token.clone(), method, path, body, headers).await
    }

    pub async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut rb = self.http.request(method, self.url(path));
        if !token.is_empty() {
            rb = rb.bearer_auth(token);
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.header("content-type", "application/json").body(b.to_string());
        }
        let r = rb.send().await.expect("request sent");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.expect("body").to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp { status, headers, json, bytes }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, None, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        self.call(Method::GET, path, None, headers).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.call(Method::POST, path, Some(body), &[]).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.call(Method::PATCH, path, Some(body), &[]).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.call(Method::DELETE, path, None, &[]).await
    }

    /// Follows `@odata.nextLink` to the end; returns every item and the number of pages.
    pub async fn all_pages(&self, path: &str, headers: &[(&str, &str)]) -> (Vec<Value>, usize) {
        let mut url = self.url(path);
        let mut items = Vec::new();
        let mut pages = 0;
        loop {
            let r = self.get_with(&url, headers).await;
            assert_eq!(r.status, 200, "{url}: {}", r.json);
            pages += 1;
            items.extend(r.values());
            match r.json["@odata.nextLink"].as_str() {
                Some(next) => {
                    assert!(next.starts_with(&self.emu.authority_url()), "nextLink on the emulator's origin: {next}");
                    url = next.to_owned();
                }
                None => return (items, pages),
            }
            assert!(pages < 200, "paging does not end");
        }
    }
}

/// Percent-encodes an id as one path segment.
pub fn seg(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Checks Graph's error shape and returns the code.
pub fn assert_graph_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "status of {}", r.json);
    assert_eq!(r.json["error"]["code"], code, "code of {}", r.json);
    assert!(r.json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "message in {}", r.json);
    let inner = &r.json["error"]["innerError"];
    assert!(inner["request-id"].as_str().is_some_and(|s| s.len() == 36), "request-id in {}", r.json);
    assert!(inner["date"].as_str().is_some(), "date in {}", r.json);
    assert!(inner["client-request-id"].as_str().is_some(), "client-request-id in {}", r.json);
    assert_eq!(r.header("request-id"), inner["request-id"].as_str(), "request-id header matches the body");
}
