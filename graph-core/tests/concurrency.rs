//! At most N requests in flight per mailbox (Graph allows 4 per app and
//! mailbox): measured at a server that counts the requests it is holding.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use msgraph_core::{GraphClient, GraphPath, ListBuilder, StaticTokenCredential};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A server answering every request after 100 ms; records the most requests
/// it held at once, per mailbox prefix (`/v1.0/me`, `/v1.0/users/b`).
struct Counting {
    base: String,
    max_me: Arc<AtomicUsize>,
    max_b: Arc<AtomicUsize>,
}

async fn server() -> Counting {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1.0", listener.local_addr().unwrap());
    let (now_me, max_me, now_b, max_b) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let (m1, m2) = (max_me.clone(), max_b.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let (now_me, max_me, now_b, max_b) = (now_me.clone(), m1.clone(), now_b.clone(), m2.clone());
            tokio::spawn(async move {
                loop {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match sock.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&head).to_string();
                    let (now, max) = if text.contains(" /v1.0/me") { (&now_me, &max_me) } else { (&now_b, &max_b) };
                    let held = now.fetch_add(1, Ordering::SeqCst) + 1;
                    max.fetch_max(held, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    let body = r#"{"id":"1","displayName":"x"}"#;
                    let resp = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if sock.write_all(resp.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Counting { base, max_me, max_b }
}

/// `GET /{mailbox}/{resource}` (e.g. `me` + `messages`).
async fn list(c: GraphClient, mailbox: &'static [&'static str], resource: &'static str) -> msgraph_core::Result<()> {
    let mut path = GraphPath::new();
    for s in mailbox {
        path = path.push(s);
    }
    ListBuilder::<serde_json::Value>::new(c, path.push(resource)).send().await.map(|_| ())
}

fn client(base: &str, limit: Option<usize>) -> GraphClient {
    let b = GraphClient::builder().base_url(base).credential(StaticTokenCredential::new("t"));
    match limit {
        Some(n) => b.max_concurrent_per_mailbox(n).build().unwrap(),
        None => b.build().unwrap(),
    }
}

#[tokio::test]
async fn twenty_concurrent_calls_to_one_mailbox_never_put_more_than_four_in_flight() {
    let s = server().await;
    let c = client(&s.base, None);
    let calls: Vec<_> = (0..20)
        .map(|_| {
            tokio::spawn({
                let c = c.clone();
                async move { list(c, &["me"], "messages").await }
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(s.max_me.load(Ordering::SeqCst), 4, "the default limit is reached and never passed");
}

#[tokio::test]
async fn two_mailboxes_do_not_wait_on_each_other_and_the_limit_is_a_setting() {
    let s = server().await;
    let c = client(&s.base, Some(2));
    let started = std::time::Instant::now();
    let mut calls = Vec::new();
    for i in 0..8 {
        let c = c.clone();
        calls.push(tokio::spawn(async move {
            if i % 2 == 0 { list(c, &["me"], "events").await } else { list(c, &["users", "b"], "mailFolders").await }
        }));
    }
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(s.max_me.load(Ordering::SeqCst), 2);
    assert_eq!(s.max_b.load(Ordering::SeqCst), 2);
    // 4 calls per mailbox, 2 at a time, both mailboxes side by side: ~200 ms, not ~400 ms
    assert!(started.elapsed() < Duration::from_millis(390), "{:?}", started.elapsed());
}

#[tokio::test]
async fn no_limit_when_turned_off() {
    let s = server().await;
    let c = client(&s.base, Some(0));
    let calls: Vec<_> = (0..8)
        .map(|_| {
            tokio::spawn({
                let c = c.clone();
                async move { list(c, &["me"], "messages").await }
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert!(s.max_me.load(Ordering::SeqCst) > 4);
}

/// The limit is Outlook's: OneDrive, OneNote and the user object are not
/// counted (OneNote has its own limit in msgraph-onenote).
#[tokio::test]
async fn only_outlook_resources_are_limited() {
    for resource in ["drive", "onenote"] {
        let s = server().await;
        let c = client(&s.base, None);
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let c = c.clone();
                tokio::spawn(async move { list(c, &["me"], resource).await })
            })
            .collect();
        for call in calls {
            call.await.unwrap().unwrap();
        }
        assert!(s.max_me.load(Ordering::SeqCst) > 4, "{resource}: {}", s.max_me.load(Ordering::SeqCst));
    }
}
