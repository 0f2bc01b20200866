//! Throttling goodput and batching: 2,000 gets of messages by id through one
//! cloned GraphClient, against a server that allows R requests per second
//! per mailbox (fixed 1-second windows, 429 + Retry-After beyond); then the
//! same gets through `$batch`, unthrottled and throttled.
//!
//! ```text
//! cargo bench -p msgraph --bench throttling
//! MSGRAPH_BENCH_RATE=200 MSGRAPH_BENCH_GETS=2000 MSGRAPH_BENCH_TASKS=8 MSGRAPH_BENCH_BATCH_REPS=7 \
//!   cargo bench -p msgraph --bench throttling
//! ```

mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use msgraph_core::GraphClient;
use msgraph_core::batch::Batch;
use msgraph_mail::{MailExt as _, Message};

use support::env::usize_var;
use support::server::BenchServer;
use support::timing::{Variant, ms, side_by_side};

/// What a run achieved.
#[derive(Debug, Default, Clone)]
struct Outcome {
    ok: u64,
    failed: u64,
    first_error: Option<String>,
    http_requests: u64,
    /// Time spent building the `Batch` (adding every item), before sending.
    build: Duration,
}

fn main() {
    let rate = usize_var("MSGRAPH_BENCH_RATE", 200) as u32;
    let gets = usize_var("MSGRAPH_BENCH_GETS", 2000);
    let tasks = usize_var("MSGRAPH_BENCH_TASKS", 8).max(1);
    let reps = usize_var("MSGRAPH_BENCH_BATCH_REPS", 7);
    let throttled_batch = usize_var("MSGRAPH_BENCH_THROTTLED_BATCH", 1) != 0;

    support::print_header("throttling");
    let server = BenchServer::start(0, gets);
    let ids: Arc<Vec<String>> = Arc::new(server.ids().to_vec());
    let client = support::sdk_client(server.base_url());
    let http = support::raw_client();
    let rt = support::client_runtime();

    rt.block_on(async {
        // Warm the connection pool, unthrottled.
        server.set_rate_limit(0);
        let warm = fetch_each(&client, &ids, tasks).await;
        assert_eq!(warm.ok, gets as u64, "warm-up: {:?}", warm.first_error);

        println!();
        println!("### Throttling goodput: {gets} gets by id, {tasks} tasks, one cloned client, R = {rate}/s per mailbox");
        println!();
        server.reset_counters();
        server.set_rate_limit(rate);
        let start = Instant::now();
        let out = fetch_each(&client, &ids, tasks).await;
        let wall = start.elapsed();
        let c = server.counters();
        let windows = server.window_log();
        server.set_rate_limit(0);
        let goodput = out.ok as f64 / wall.as_secs_f64();
        let ideal = Duration::from_secs_f64(gets as f64 / f64::from(rate.max(1)));
        println!("| wall | ok | failed | requests seen by server | 429s | 429 share | successful req/s | / R |");
        println!("|---|---|---|---|---|---|---|---|");
        println!(
            "| {} | {} | {} | {} | {} | {:.1}% | {:.1} | {:.3} |",
            ms(wall),
            out.ok,
            out.failed,
            c.gets,
            c.gets_throttled,
            100.0 * c.gets_throttled as f64 / c.gets.max(1) as f64,
            goodput,
            goodput / f64::from(rate.max(1))
        );
        if let Some(e) = &out.first_error {
            println!("first error: {e}");
        }
        println!();
        println!(
            "{gets} / R = {}; with fixed windows the last window's requests finish early in it, so a short run can exceed R",
            ms(ideal)
        );
        if let Some(drift) = gate_drift_ms(&windows) {
            println!(
                "the client's first 429 comes {drift:.1} ms later in each window than in the one before (the gate waits \
                 the whole Retry-After from the 429, past the reset); steady state: R / (1 + {:.3}) = {:.3} R",
                drift / 1000.0,
                1.0 / (1.0 + drift / 1000.0)
            );
        }
        print_windows(&windows);

        println!();
        println!("### Batching: {gets} gets by id, unthrottled (warm-up 1, {reps} rounds side by side)");
        println!();
        let mut variants = [
            Variant::new("one GET per id, 8 tasks", || {
                let (client, ids) = (client.clone(), ids.clone());
                async move { fetch_each(&client, &ids, tasks).await.ok }
            }),
            Variant::new("$batch, default (1 call at a time)", || {
                let (client, ids) = (client.clone(), ids.clone());
                async move { fetch_batch(&client, &ids, 1).await.ok }
            }),
            Variant::new("$batch, .concurrency(4)", || {
                let (client, ids) = (client.clone(), ids.clone());
                async move { fetch_batch(&client, &ids, 4).await.ok }
            }),
            Variant::new("raw reqwest GET per id, 8 tasks (reference)", || {
                let (http, ids) = (http.clone(), ids.clone());
                let base = server.base_url().to_owned();
                async move { fetch_each_raw(&http, &base, &ids, tasks).await }
            }),
        ];
        let stats = side_by_side(&mut variants, 1, reps).await;
        for s in &stats {
            assert_eq!(s.output, gets as u64, "{}: {} of {gets} gets succeeded", s.name, s.output);
        }
        // One more counted run of each, for the number of HTTP requests.
        let mut counts = Vec::new();
        let mut build = Duration::ZERO;
        for variant in 0..4 {
            server.reset_counters();
            let out = match variant {
                0 => fetch_each(&client, &ids, tasks).await,
                1 => fetch_batch(&client, &ids, 1).await,
                2 => fetch_batch(&client, &ids, 4).await,
                _ => Outcome { ok: fetch_each_raw(&http, server.base_url(), &ids, tasks).await, ..Outcome::default() },
            };
            let c = server.counters();
            counts.push((c.http_requests, out.http_requests));
            if variant == 1 {
                build = out.build;
            }
        }
        println!(
            "| variant | HTTP requests (server) | SDK-reported | median | min | time / SDK one-per-id (paired) | time / raw one-per-id (paired) |"
        );
        println!("|---|---|---|---|---|---|---|");
        let (single, raw) = (&stats[0], &stats[3]);
        for (s, (server_count, sdk_count)) in stats.iter().zip(&counts) {
            let sdk_count = if *sdk_count == 0 { "-".to_owned() } else { sdk_count.to_string() };
            println!(
                "| {} | {server_count} | {sdk_count} | {} | {} | {:.3} | {:.3} |",
                s.name,
                ms(s.median()),
                ms(s.min()),
                s.paired_ratio(single),
                s.paired_ratio(raw)
            );
        }

        println!();
        println!("building the {gets}-item Batch (batch.add for each get, before sending): {}", ms(build));

        if throttled_batch {
            println!();
            println!("### $batch under the same limit (R = {rate}/s, each item counts), default retry policy, one run");
            println!();
            server.reset_counters();
            server.set_rate_limit(rate);
            let start = Instant::now();
            let out = fetch_batch(&client, &ids, 1).await;
            let wall = start.elapsed();
            let c = server.counters();
            let windows = server.window_log();
            server.set_rate_limit(0);
            println!("| wall | items ok | items failed | $batch calls | item 429s | 429 share of items sent | ok items/s / R |");
            println!("|---|---|---|---|---|---|---|");
            println!(
                "| {} | {} | {} | {} | {} | {:.1}% | {:.3} |",
                ms(wall),
                out.ok,
                out.failed,
                c.batch_calls,
                c.gets_throttled,
                100.0 * c.gets_throttled as f64 / c.gets.max(1) as f64,
                out.ok as f64 / wall.as_secs_f64() / f64::from(rate.max(1))
            );
            if let Some(e) = &out.first_error {
                println!("first error: {e}");
            }
            print_windows(&windows);
        }
    });
    println!();
    println!("load average at end: {}", support::load_average());
}

fn print_windows(windows: &[(u64, support::server::Window)]) {
    let ms = |v: Option<u32>| v.map_or("-".to_owned(), |v| v.to_string());
    let cells: Vec<String> = windows
        .iter()
        .map(|(w, s)| format!("{w}:{}/{}@{}-{}", s.ok, s.throttled, ms(s.first_ok_ms), ms(s.first_429_ms)))
        .collect();
    println!("per 1-s window (index:ok/429@ms of first ok-ms of first 429 within the window): {}", cells.join(" "));
}

/// Mean shift of the first 429 from one window to the next (ms), over
/// consecutive windows that both saw one.
fn gate_drift_ms(windows: &[(u64, support::server::Window)]) -> Option<f64> {
    let shifts: Vec<f64> = windows
        .windows(2)
        .filter(|w| w[1].0 == w[0].0 + 1)
        .filter_map(|w| Some(f64::from(w[1].1.first_429_ms?) - f64::from(w[0].1.first_429_ms?)))
        .filter(|d| *d >= 0.0)
        .collect();
    (!shifts.is_empty()).then(|| shifts.iter().sum::<f64>() / shifts.len() as f64)
}

/// Gets every id with `tasks` concurrent tasks sharing one client.
async fn fetch_each(client: &GraphClient, ids: &Arc<Vec<String>>, tasks: usize) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (client, ids, next) = (client.clone(), ids.clone(), next.clone());
            tokio::spawn(async move {
                let mut out = Outcome::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(id) = ids.get(i) else { break };
                    match client.me().messages().get(id.clone()).send().await {
                        Ok(m) => {
                            black_box(&m);
                            out.ok += 1;
                        }
                        Err(e) => {
                            out.failed += 1;
                            out.first_error.get_or_insert_with(|| e.to_string());
                        }
                    }
                }
                out
            })
        })
        .collect();
    let mut total = Outcome::default();
    for h in handles {
        let o = h.await.expect("a get task panicked");
        total.ok += o.ok;
        total.failed += o.failed;
        if total.first_error.is_none() {
            total.first_error = o.first_error;
        }
    }
    total
}

/// The reference for one request per id: a plain reqwest GET per id with
/// `tasks` concurrent tasks, each body parsed straight into `Message`.
/// Returns how many succeeded.
async fn fetch_each_raw(http: &reqwest::Client, base_url: &str, ids: &Arc<Vec<String>>, tasks: usize) -> u64 {
    let next = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (http, ids, next) = (http.clone(), ids.clone(), next.clone());
            let base = base_url.to_owned();
            tokio::spawn(async move {
                let mut ok = 0u64;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(id) = ids.get(i) else { break };
                    let resp = http
                        .get(format!("{base}/me/messages/{id}"))
                        .bearer_auth(support::TOKEN)
                        .send()
                        .await
                        .and_then(reqwest::Response::error_for_status);
                    if let Ok(resp) = resp
                        && let Ok(body) = resp.bytes().await
                        && let Ok(m) = serde_json::from_slice::<Message>(&body)
                    {
                        black_box(&m);
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let mut ok = 0;
    for h in handles {
        ok += h.await.expect("a get task panicked");
    }
    ok
}

/// Gets every id through `$batch` (split into calls of 20 by the SDK).
async fn fetch_batch(client: &GraphClient, ids: &[String], concurrency: usize) -> Outcome {
    let started = Instant::now();
    let mut batch = Batch::new();
    let keys: Vec<_> = ids
        .iter()
        .map(|id| {
            let request = client.me().messages().get(id.clone()).into_request().expect("a valid get");
            batch.add::<Message>(request)
        })
        .collect();
    let mut out = Outcome { build: started.elapsed(), ..Outcome::default() };
    match client.batch(batch).concurrency(concurrency).send().await {
        Ok(responses) => {
            out.http_requests = responses.http_requests() as u64;
            for k in &keys {
                match responses.get(k) {
                    Ok(m) => {
                        black_box(&m);
                        out.ok += 1;
                    }
                    Err(e) => {
                        out.failed += 1;
                        out.first_error.get_or_insert_with(|| e.to_string());
                    }
                }
            }
        }
        Err(e) => {
            out.failed = ids.len() as u64;
            out.first_error = Some(e.to_string());
        }
    }
    out
}
