//! One scan of the bench server's message listing with graph-rs-sdk 3.0's
//! typed paging stream (`client.me().messages().list_messages().top("50")
//! .paging().stream::<HandPage>()`), into the same hand-written struct as
//! the plain reqwest + serde_json baseline of benches/paging.rs.
//!
//! ```text
//! peer-graph-rs-sdk <base url printed by `MSGRAPH_BENCH_PAGING_MODE=serve`>
//! ```
//!
//! Prints `client graph-rs-sdk n <count> wall_ms <ms> cpu_ms <ms>`, like the
//! paging bench's `client` mode (CPU time of this process only).

#[path = "../../../support/handwritten.rs"]
#[allow(dead_code)]
mod handwritten;

use std::time::{Duration, Instant};

use futures::StreamExt as _;
use graph_rs_sdk::{GraphClient, GraphClientConfiguration, ODataQuery as _};
use handwritten::{HandPage, use_hand_message};

fn main() {
    let base = std::env::args().nth(1).expect("usage: peer-graph-rs-sdk <base url>");
    let url = url::Url::parse(&base).expect("a base URL");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    let cpu = process_cpu_time();
    let start = Instant::now();
    let n = rt.block_on(scan(&url));
    let wall = start.elapsed();
    let cpu = process_cpu_time().saturating_sub(cpu);
    println!(
        "client graph-rs-sdk n {n} wall_ms {:.3} cpu_ms {:.3}",
        wall.as_secs_f64() * 1000.0,
        cpu.as_secs_f64() * 1000.0
    );
}

async fn scan(base: &url::Url) -> u64 {
    // https_only(false) and use_test_endpoint: the bench server is plain HTTP on 127.0.0.1.
    let config = GraphClientConfiguration::new().access_token("bench-token").https_only(false);
    let mut client = GraphClient::from(config);
    client.use_test_endpoint(base);
    let mut stream =
        client.me().messages().list_messages().top("50").paging().stream::<HandPage>().expect("a paging stream");
    let (mut n, mut sum) = (0u64, 0u64);
    while let Some(page) = stream.next().await {
        let page = page.expect("graph-rs-sdk: a page failed").into_body().expect("graph-rs-sdk: page JSON");
        for m in &page.value {
            sum = sum.wrapping_add(use_hand_message(m));
            n += 1;
        }
    }
    std::hint::black_box(sum);
    n
}

/// CPU time of this process: the on-CPU nanoseconds of its threads.
fn process_cpu_time() -> Duration {
    let mut total: u64 = 0;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            if let Ok(s) = std::fs::read_to_string(t.path().join("schedstat")) {
                total += s.split_whitespace().next().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            }
        }
    }
    Duration::from_nanos(total)
}
