//! A bootstrap scan at network latency: the plain sequential nextLink loop
//! (reqwest + serde_json, typed) against the SDK's partitioned scan
//! (`messages().list().partitioned(k)`), on a server that adds a delay to
//! every page, like Graph's 100-300 ms (default 20 ms, a fast network).
//!
//! The server lists N messages (the bench's Graph-shaped 3 KB messages over
//! a span of N seconds: message i received at T0 + i s, or with
//! MSGRAPH_BENCH_PARTITION_SKEW=p, p% of them in the last 10% of the span,
//! many to a second, the rest spread over the first 90%), honours `receivedDateTime ge/lt` range
//! filters and `$orderby receivedDateTime asc|desc` with `$top`, and records
//! the most requests it held at once. Every variant returns a checksum of
//! the ids it saw, which must equal the listing's. Each k runs with work
//! stealing on and off.
//!
//! Then the peak RSS (VmHWM) of a child process that reads every message
//! one by one, sequential `.stream()` against `partitioned(k)` (the first k),
//! on the same server with MSGRAPH_BENCH_RSS_DELAY_MS per page (default 0:
//! the client is the bottleneck, so every chain's buffer is full).
//!
//! `cargo bench --bench partitioned` (env: MSGRAPH_BENCH_PARTITION_N,
//! MSGRAPH_BENCH_PAGE_DELAY_MS, MSGRAPH_BENCH_REPS (0: no timing),
//! MSGRAPH_BENCH_PARTITION_K, MSGRAPH_BENCH_PARTITION_SKEW,
//! MSGRAPH_BENCH_RSS_REPS (0: no RSS), MSGRAPH_BENCH_RSS_DELAY_MS).

mod rss;
mod support;

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, TimeDelta, Utc};
use futures::TryStreamExt as _;
use msgraph_core::Page;
use msgraph_mail::{MailExt as _, Message, MessageListExt as _};
use support::env::{list_var, usize_var};
use support::timing::{Variant, ms, side_by_side};

const PAGE: usize = 50;

struct Listing {
    origin: String,
    t0: DateTime<Utc>,
    /// Seconds after `t0` each message was received, ascending.
    offsets: Vec<i64>,
    bodies: Vec<Bytes>,
    delay_ms: AtomicU64,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Listing {
    fn new(n: usize, delay: Duration, skew: usize) -> (Arc<Listing>, std::net::TcpListener, u64) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let origin = format!("http://127.0.0.1:{}", listener.local_addr().expect("addr").port());
        let t0 = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").expect("t0").with_timezone(&Utc);
        let mut checksum = 0u64;
        let offsets = offsets(n, skew);
        let bodies = (0..n)
            .map(|i| {
                let mut s = String::with_capacity(3000);
                support::messages::write_message(&mut s, i, None);
                let mut v: serde_json::Value = serde_json::from_str(&s).expect("bench message");
                v["receivedDateTime"] = serde_json::json!(stamp(t0 + TimeDelta::seconds(offsets[i])));
                checksum = checksum.wrapping_add(fnv(v["id"].as_str().unwrap_or_default()));
                Bytes::from(serde_json::to_vec(&v).expect("bench message"))
            })
            .collect();
        let l = Listing {
            origin,
            t0,
            offsets,
            bodies,
            delay_ms: AtomicU64::new(delay.as_millis() as u64),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        };
        (Arc::new(l), listener, checksum)
    }

    /// The index of the first message received at or after `t`.
    fn index(&self, t: &str) -> usize {
        let t = DateTime::parse_from_rfc3339(t).map(|d| d.with_timezone(&Utc)).unwrap_or(self.t0);
        let at = (t - self.t0).num_seconds();
        self.offsets.partition_point(|o| *o < at)
    }
}

/// Received offsets (s after T0) of `n` messages over a span of `n` s:
/// uniform (one a second), or `skew`% of them in the last 10% of the span.
fn offsets(n: usize, skew: usize) -> Vec<i64> {
    let n = n as i64;
    if skew == 0 {
        return (0..n).collect();
    }
    let dense = n * skew.min(100) as i64 / 100;
    let sparse = n - dense;
    let (head, tail) = (n * 9 / 10, n - n * 9 / 10);
    let mut out: Vec<i64> = (0..sparse).map(|i| i * head / sparse.max(1)).collect();
    out.extend((0..dense).map(|j| head + j * tail / dense.max(1)));
    out
}

/// `[lo, hi)` from `receivedDateTime ge X` / `lt Y` in a filter.
fn range(l: &Listing, filter: &str) -> (usize, usize) {
    let bound = |op: &str| {
        filter
            .split(" and ")
            .find_map(|c| c.trim().strip_prefix(&format!("receivedDateTime {op} ")).map(|t| l.index(t.trim())))
    };
    (bound("ge").unwrap_or(0), bound("lt").unwrap_or(l.bodies.len()))
}

async fn list(State(l): State<Arc<Listing>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let now = l.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    l.max_in_flight.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(l.delay_ms.load(Ordering::Relaxed))).await;
    // a nextLink carries where the chain is and where its range ends
    let (pos, hi) = match q.get("$skiptoken").and_then(|t| t.split_once('-')) {
        Some((pos, hi)) => (pos.parse().unwrap_or(0), hi.parse().unwrap_or(0)),
        None => range(&l, q.get("$filter").map_or("", String::as_str)),
    };
    let hi = hi.min(l.bodies.len());
    let top: usize = q.get("$top").and_then(|t| t.parse().ok()).unwrap_or(PAGE);
    let desc = q.get("$orderby").is_some_and(|o| o.ends_with("desc"));
    let mut out = Vec::with_capacity(top * 3000);
    out.extend_from_slice(b"{\"value\":[");
    let end = (pos + top).min(hi);
    let picked: Vec<usize> = if desc && top == 1 { (hi.saturating_sub(1)..hi).collect() } else { (pos..end).collect() };
    for (k, i) in picked.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&l.bodies[*i]);
    }
    out.push(b']');
    if top > 1 && end < hi {
        out.extend_from_slice(
            format!(",\"@odata.nextLink\":\"{}/v1.0/me/messages?$skiptoken={end}-{hi}\"", l.origin).as_bytes(),
        );
    }
    out.push(b'}');
    l.in_flight.fetch_sub(1, Ordering::SeqCst);
    ([(header::CONTENT_TYPE, "application/json")], out).into_response()
}

/// The plain sequential loop over the unfiltered listing.
async fn raw(http: reqwest::Client, base: String) -> u64 {
    let mut url = format!("{base}/me/messages?%24top={PAGE}");
    let mut sum = 0u64;
    loop {
        let body =
            http.get(&url).bearer_auth(support::TOKEN).send().await.expect("raw").bytes().await.expect("raw body");
        let page: Page<Message> = serde_json::from_slice(&body).expect("raw page");
        for m in &page.value {
            support::consume::use_message(m);
            sum = sum.wrapping_add(fnv(m.id.as_deref().unwrap_or_default()));
        }
        match page.next_link {
            Some(next) => url = next,
            None => break,
        }
    }
    black_box(sum)
}

/// The SDK's scan: sequential `.stream()` for k = 0, else `partitioned(k)`.
async fn sdk(client: msgraph_core::GraphClient, k: usize, steal: bool) -> u64 {
    let list = client.me().messages().list().top(PAGE as u32);
    let mut items = if k == 0 {
        Box::pin(list.stream()) as std::pin::Pin<Box<dyn futures::Stream<Item = _> + Send>>
    } else {
        list.partitioned(k).work_stealing(steal).stream()
    };
    let mut sum = 0u64;
    while let Some(m) = items.try_next().await.expect("the SDK scan failed") {
        support::consume::use_message(&m);
        sum = sum.wrapping_add(fnv(m.id.as_deref().unwrap_or_default()));
    }
    black_box(sum)
}

const CHILD: &str = "MSGRAPH_BENCH_CHILD";
const CHILD_BASE: &str = "MSGRAPH_BENCH_CHILD_BASE";

/// Child mode: one scan (k = 0: sequential), report its checksum, wait.
fn child(k: usize) {
    let base = std::env::var(CHILD_BASE).expect("base URL");
    let client = support::sdk_client(&base);
    let sum = support::client_runtime().block_on(sdk(client, k, true));
    rss::report_and_wait(&format!("done {sum}"));
}

fn main() {
    if let Some(k) = std::env::var(CHILD).ok().and_then(|k| k.parse().ok()) {
        child(k);
        return;
    }
    let n = usize_var("MSGRAPH_BENCH_PARTITION_N", 100_000);
    let delay = Duration::from_millis(usize_var("MSGRAPH_BENCH_PAGE_DELAY_MS", 20) as u64);
    let reps = usize_var("MSGRAPH_BENCH_REPS", 3);
    let ks = list_var("MSGRAPH_BENCH_PARTITION_K", &[4, 8]);
    let skew = usize_var("MSGRAPH_BENCH_PARTITION_SKEW", 0);
    let rss_reps = usize_var("MSGRAPH_BENCH_RSS_REPS", 3);
    let rss_delay = usize_var("MSGRAPH_BENCH_RSS_DELAY_MS", 0) as u64;
    support::print_header("partitioned");
    let (listing, listener, checksum) = Listing::new(n, delay, skew);
    let app = Router::new().route("/v1.0/me/messages", get(list)).with_state(listing.clone());
    std::thread::spawn(move || {
        let rt =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("server");
        });
    });
    let base = format!("{}/v1.0", listing.origin);
    let client = support::sdk_client(&base);
    let http = support::raw_client();
    let rt = support::client_runtime();
    let shape =
        if skew == 0 { "one a second".to_owned() } else { format!("{skew}% of them in the last 10% of the span") };
    println!(
        "{n} messages ({shape}), {PAGE} per page, server +{} per page, warm-up 0, {reps} rounds side by side",
        ms(delay)
    );
    println!();
    if reps > 0 {
        timing(&rt, &ks, reps, checksum, &http, &base, &client);
        println!();
        println!(
            "most requests the server held at once (one mailbox, whole run): {}",
            listing.max_in_flight.load(Ordering::SeqCst)
        );
    }
    if rss_reps > 0 {
        listing.delay_ms.store(rss_delay, Ordering::Relaxed);
        let k = ks.first().copied().unwrap_or(4);
        println!();
        println!(
            "peak RSS (VmHWM) of a child reading all {n} one by one, server +{rss_delay} ms per page, {rss_reps} runs"
        );
        println!();
        println!("| child | median | min | max |");
        println!("|---|---|---|---|");
        let exe = std::env::current_exe().expect("the bench's own path");
        let mut medians = Vec::new();
        for (kk, label) in
            [(0, "SDK `.stream()` (sequential, read-ahead on)".to_owned()), (k, format!("SDK `partitioned({k})`"))]
        {
            let mut peaks: Vec<u64> = (0..rss_reps)
                .map(|_| {
                    let mut cmd = std::process::Command::new(&exe);
                    cmd.env(CHILD, kk.to_string()).env(CHILD_BASE, &base);
                    rss::peak_rss_kb(cmd, &format!("done {checksum}"))
                })
                .collect();
            peaks.sort_unstable();
            let median = peaks[peaks.len() / 2];
            medians.push(median);
            println!(
                "| {label} | {:.1} MiB | {:.1} MiB | {:.1} MiB |",
                rss::mib(median),
                rss::mib(peaks[0]),
                rss::mib(peaks[peaks.len() - 1])
            );
        }
        println!();
        println!("partitioned / sequential peak RSS: {:.3}", medians[1] as f64 / medians[0] as f64);
    }
    println!("load average at end: {}", support::load_average());
}

fn timing(
    rt: &tokio::runtime::Runtime,
    ks: &[usize],
    reps: usize,
    checksum: u64,
    http: &reqwest::Client,
    base: &str,
    client: &msgraph_core::GraphClient,
) {
    rt.block_on(async {
        let mut variants =
            vec![Variant::new("plain sequential loop (reqwest + serde_json)", || raw(http.clone(), base.to_owned()))];
        for &k in ks {
            for steal in [true, false] {
                let name: &'static str = Box::leak(
                    format!("SDK partitioned(k = {k}), work stealing {}", if steal { "on" } else { "off" })
                        .into_boxed_str(),
                );
                let c = client.clone();
                variants.push(Variant::new(name, move || sdk(c.clone(), k, steal)));
            }
        }
        let stats = side_by_side(&mut variants, 0, reps).await;
        println!("| variant | median | min | / plain (paired median) | same ids |");
        println!("|---|---|---|---|---|");
        let plain = &stats[0];
        for s in &stats {
            println!(
                "| {} | {} | {} | {:.3} | {} |",
                s.name,
                ms(s.median()),
                ms(s.min()),
                s.paired_ratio(plain),
                if s.output == checksum { "yes" } else { "NO" }
            );
            assert_eq!(s.output, checksum, "{}: the scan saw other ids than the listing has", s.name);
        }
    });
}
