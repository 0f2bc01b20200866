//! The webhook receiver under a burst: 10,000 change notifications in
//! batches of 10, sent at 500 requests per second over loopback to the
//! receiver's axum router, while the app drains the channel. Reports the
//! acknowledgement latency (median, p99, max) and checks that every
//! notification was handed over exactly once.
//!
//! ```text
//! cargo bench -p msgraph --bench notifications
//! MSGRAPH_BENCH_NOTIFY_N=50000 MSGRAPH_BENCH_NOTIFY_RATE=1000 cargo bench -p msgraph --bench notifications
//! ```

use std::collections::HashSet;
use std::time::{Duration, Instant};

use msgraph::notifications::{ClientStates, Receiver};

fn var(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let total = var("MSGRAPH_BENCH_NOTIFY_N", 10_000);
    let per_batch = 10;
    let rate = var("MSGRAPH_BENCH_NOTIFY_RATE", 500).max(1);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    rt.block_on(async move {
        let states = ClientStates::new();
        states.insert("sub-1", "bench-client-state");
        let (receiver, mut rx) = Receiver::new(states, 100_000);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, receiver.router("/notify")).await;
        });
        // the app: drains the channel as notifications come
        let app = tokio::spawn(async move {
            let mut ids = Vec::with_capacity(total);
            while let Some(n) = rx.recv().await {
                ids.push(n.id.unwrap_or_default());
                if ids.len() == total {
                    break;
                }
            }
            ids
        });
        let http = reqwest::Client::new();
        let url = format!("http://{addr}/notify");
        let batches = total.div_ceil(per_batch);
        let interval = Duration::from_secs_f64(1.0 / rate as f64);
        let started = Instant::now();
        let mut sends = Vec::with_capacity(batches);
        for b in 0..batches {
            let body = serde_json::json!({"value": (0..per_batch).map(|i| serde_json::json!({
                "id": format!("n{}", b * per_batch + i),
                "subscriptionId": "sub-1",
                "clientState": "bench-client-state",
                "changeType": "created",
                "resource": format!("users/u/messages/m{}", b * per_batch + i),
                "resourceData": {"@odata.type": "#Microsoft.Graph.Message", "id": format!("m{}", b * per_batch + i)},
            })).collect::<Vec<_>>()})
            .to_string();
            let http = http.clone();
            let url = url.clone();
            // open loop: each request leaves on its schedule, whatever the others do
            tokio::time::sleep_until(tokio::time::Instant::from_std(started + interval * b as u32)).await;
            sends.push(tokio::spawn(async move {
                let t = Instant::now();
                let status = http.post(&url).header("content-type", "application/json; charset=utf-8").body(body).send().await.map(|r| r.status().as_u16()).unwrap_or(0);
                (status, t.elapsed())
            }));
        }
        let mut latencies = Vec::with_capacity(batches);
        let mut not_accepted = 0;
        for s in sends {
            let (status, d) = s.await.expect("a send task");
            if status != 202 {
                not_accepted += 1;
            }
            latencies.push(d);
        }
        let ids = app.await.expect("the app task");
        let elapsed = started.elapsed();
        let unique: HashSet<&String> = ids.iter().collect();
        latencies.sort();
        println!("# notifications: receiver burst");
        println!();
        println!("| notifications | batches | rate (req/s) | handed over | unique | not 202 | ack median | ack p99 | ack max | wall |");
        println!("|---|---|---|---|---|---|---|---|---|---|");
        println!(
            "| {total} | {batches} | {rate} | {} | {} | {not_accepted} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} s |",
            ids.len(),
            unique.len(),
            percentile(&latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3,
            latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
            elapsed.as_secs_f64()
        );
        assert_eq!(ids.len(), total, "every notification handed over");
        assert_eq!(unique.len(), total, "each exactly once");
    });
}
