//! Fleet throughput: seeded messages handed over per second by 1, 2 and 4
//! worker processes (the fleet example's workers: this binary run again)
//! sharing 500 mailboxes through PostgreSQL, the emulator adding 50 ms to
//! every request (I/O-bound, as with real Graph). Goals: 2 workers at
//! least 1.7x one worker, 4 workers at least 3x. Needs a database
//! (`MSGRAPH_PG_URL` or `MSGRAPH_TEST_PG`, e.g. `eval "$(.ci/postgres.sh start)"`).
//!
//! ```text
//! cargo bench -p msgraph --features store-postgres --bench fleet
//! MSGRAPH_BENCH_FLEET_WORKERS=1,2,4 MSGRAPH_BENCH_FLEET_MAILBOXES=500 MSGRAPH_BENCH_FLEET_LATENCY_MS=50 \
//!   MSGRAPH_BENCH_REPS=3 cargo bench -p msgraph --features store-postgres --bench fleet
//! ```

#[path = "../examples/fleet.rs"]
#[allow(dead_code)]
mod fleet_example;
mod support;

use std::time::Duration;

use support::env::{list_var, usize_var};

fn main() {
    if fleet_example::worker_mode() {
        return;
    }
    support::print_header("fleet");
    let Some(db) = fleet_example::database_url() else {
        println!("skipped: set MSGRAPH_PG_URL or MSGRAPH_TEST_PG (eval \"$(.ci/postgres.sh start)\")");
        return;
    };
    let workers = list_var("MSGRAPH_BENCH_FLEET_WORKERS", &[1, 2, 4]);
    let mailboxes = usize_var("MSGRAPH_BENCH_FLEET_MAILBOXES", 500);
    let latency = usize_var("MSGRAPH_BENCH_FLEET_LATENCY_MS", 50);
    let concurrency = usize_var("MSGRAPH_BENCH_FLEET_CONCURRENCY", 8);
    let reps = usize_var("MSGRAPH_BENCH_REPS", 3).max(1);
    println!(
        "{mailboxes} mailboxes x 24 messages, {latency} ms per request, {concurrency} rounds in flight per worker, best of {reps}"
    );
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let mut best: Vec<(usize, f64)> = Vec::new();
    for &n in &workers {
        let cfg = fleet_example::Config {
            workers: n,
            mailboxes,
            messages: 24,
            latency: Duration::from_millis(latency as u64),
            deliver: 0,
            concurrency,
            max_per_worker: None,
            verbose: false,
        };
        let mut rates = Vec::new();
        for _ in 0..reps {
            let report = rt.block_on(fleet_example::run_fleet(&cfg, &db)).expect("a fleet run");
            rates.push(report.throughput());
        }
        let top = rates.iter().copied().fold(0.0, f64::max);
        println!(
            "{n} worker(s): {top:>8.0} messages/s (runs: {})",
            rates.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(", ")
        );
        best.push((n, top));
    }
    if let Some(&(1, one)) = best.first() {
        for &(n, rate) in &best[1..] {
            let goal = match n {
                2 => Some(1.7),
                4 => Some(3.0),
                _ => None,
            };
            let ratio = rate / one;
            let verdict = goal
                .map_or(String::new(), |g| format!(" (goal >= {g}x: {})", if ratio >= g { "met" } else { "NOT met" }));
            println!("{n} workers / 1 worker: {ratio:.2}x{verdict}");
        }
    }
}
