//! OneNote's per-user concurrency limit: 20 page creations started at
//! once never have more than 5 requests in flight at the server.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::join_all;
use msgraph_onenote::{DEFAULT_CONCURRENCY, OnenoteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::{CREATED, graph};

const DELAY: Duration = Duration::from_millis(150);

/// Answers every request after `DELAY` and notes when each arrived. A
/// request that arrived less than `DELAY` before an instant is still in
/// flight then (its answer cannot have left the server yet), so the most
/// arrivals inside any `DELAY` window is a lower bound of the most requests
/// in flight at once, and the client's limit is an upper bound of it.
#[derive(Clone, Default)]
struct Delayed {
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for Delayed {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.arrivals.lock().unwrap().push(Instant::now());
        ResponseTemplate::new(201).set_body_string(CREATED).set_delay(DELAY)
    }
}

impl Delayed {
    fn max_in_flight(&self) -> usize {
        let a = self.arrivals.lock().unwrap().clone();
        a.iter().map(|t| a.iter().filter(|u| *u <= t && t.duration_since(**u) < DELAY).count()).max().unwrap_or(0)
    }

    fn count(&self) -> usize {
        self.arrivals.lock().unwrap().len()
    }
}

#[tokio::test]
async fn twenty_parallel_page_creations_never_exceed_five_in_flight() {
    let g = graph().await;
    let server = Delayed::default();
    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/sections/s1/pages"))
        .respond_with(server.clone())
        .expect(20)
        .mount(&g.server)
        .await;
    let client = g.client();
    // two handlers of the same user share the limit
    let (a, b) = (client.me().onenote(), client.me().onenote());
    let started = Instant::now();
    let creations = (0..20).map(|i| {
        let on = if i % 2 == 0 { a.clone() } else { b.clone() };
        async move { on.pages().create("s1", format!("Page {i}"), "<p>x</p>").await }
    });
    for r in join_all(creations).await {
        r.unwrap();
    }
    assert_eq!(server.count(), 20);
    assert_eq!(DEFAULT_CONCURRENCY, 5);
    let most = server.max_in_flight();
    assert!(most <= 5, "{most} requests in flight at once");
    assert_eq!(most, 5, "the limit is used, not just respected");
    // 20 requests, 5 at a time, each held DELAY by the server: at least 4 rounds
    assert!(started.elapsed() >= DELAY * 4);
}

#[tokio::test]
async fn a_handler_can_have_a_limit_of_its_own() {
    let g = graph().await;
    let server = Delayed::default();
    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/sections/s1/pages"))
        .respond_with(server.clone())
        .expect(6)
        .mount(&g.server)
        .await;
    let on = g.client().me().onenote().with_concurrency_limit(2);
    assert_eq!(on.concurrency_limit(), 2);
    let creations = (0..6).map(|i| {
        let on = on.clone();
        async move { on.pages().create("s1", format!("Page {i}"), "<p>x</p>").await }
    });
    for r in join_all(creations).await {
        r.unwrap();
    }
    assert_eq!(server.max_in_flight(), 2);
}
