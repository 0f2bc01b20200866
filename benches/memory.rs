//! Memory: peak resident set of a child process that reads N messages and
//! drops each after use, for N = 10,000 and 100,000: through the SDK's
//! `.stream()`, the raw reqwest + serde_json loop, a streamed delta first
//! sync (`DeltaSync::pages`), and the buffered delta `run()`. The bench
//! re-executes its own binary in child mode and reads the child's `VmHWM`
//! from `/proc/<pid>/status` after the read ended (the child waits on stdin
//! until it was read; `benches/rss/mod.rs`, shared with the partitioned bench).
//!
//! ```text
//! cargo bench -p msgraph --bench memory
//! MSGRAPH_BENCH_MEMORY_N=10000,100000 MSGRAPH_BENCH_MEMORY_REPS=3 \
//!   MSGRAPH_BENCH_MEMORY_MODES=sdk,raw,delta,delta-run cargo bench -p msgraph --bench memory
//! ```

mod rss;
mod support;

use std::process::Command;

use rss::mib;

use support::consume;
use support::env::{list_var, usize_var, words_var};
use support::server::BenchServer;

const CHILD: &str = "MSGRAPH_BENCH_CHILD";
const CHILD_BASE: &str = "MSGRAPH_BENCH_CHILD_BASE";
const CHILD_N: &str = "MSGRAPH_BENCH_CHILD_N";

/// What a child can read (the value of `MSGRAPH_BENCH_CHILD`), and its label.
const MODES: &[(&str, &str)] = &[
    ("sdk", "SDK .stream() (read-ahead on)"),
    ("raw", "raw reqwest + serde_json (reference)"),
    ("delta", "SDK delta first sync, streamed (pages / next_page / commit)"),
    ("delta-run", "SDK delta first sync, buffered run() (contrast)"),
];

fn main() {
    if let Ok(mode) = std::env::var(CHILD) {
        child(&mode);
        return;
    }
    let sizes = list_var("MSGRAPH_BENCH_MEMORY_N", &[10_000, 100_000]);
    let reps = usize_var("MSGRAPH_BENCH_MEMORY_REPS", 3).max(1);
    let modes = words_var("MSGRAPH_BENCH_MEMORY_MODES", &MODES.iter().map(|(m, _)| *m).collect::<Vec<_>>());
    support::print_header("memory");
    let server = BenchServer::start(sizes.iter().copied().max().unwrap_or(0), 0);
    let exe = std::env::current_exe().expect("the bench's own path");

    println!();
    println!("| child reads | N | peak RSS (VmHWM), median of {reps} | min | max | vs the smallest N |");
    println!("|---|---|---|---|---|---|");
    for mode in &modes {
        let Some(&(mode, label)) = MODES.iter().find(|(m, _)| m == mode) else {
            panic!("unknown memory mode {mode:?}; known: {:?}", MODES.iter().map(|(m, _)| *m).collect::<Vec<_>>())
        };
        let mut first: Option<u64> = None;
        for &n in &sizes {
            let n = server.set_list_len(n);
            let mut peaks: Vec<u64> = (0..reps).map(|_| run_child(&exe, mode, server.base_url(), n)).collect();
            peaks.sort_unstable();
            let median = peaks[peaks.len() / 2];
            let base = *first.get_or_insert(median);
            println!(
                "| {label} | {n} | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.3} |",
                mib(median),
                mib(peaks[0]),
                mib(peaks[peaks.len() - 1]),
                median as f64 / base as f64
            );
        }
    }
    println!();
    println!("load average at end: {}", support::load_average());
}

/// Runs one child and returns its peak resident set in kB.
fn run_child(exe: &std::path::Path, mode: &str, base_url: &str, n: usize) -> u64 {
    let mut child = Command::new(exe);
    child.env(CHILD, mode).env(CHILD_BASE, base_url).env(CHILD_N, n.to_string());
    rss::peak_rss_kb(child, &format!("done {n}"))
}

/// Child mode: stream, report, then wait until the parent has read our peak RSS.
fn child(mode: &str) {
    let base = std::env::var(CHILD_BASE).expect("base URL");
    let n: u64 = std::env::var(CHILD_N).ok().and_then(|v| v.parse().ok()).expect("message count");
    let client = support::sdk_client(&base);
    let rt = support::client_runtime();
    let count = rt.block_on(async {
        match mode {
            "raw" => consume::raw(support::raw_client(), consume::first_page_url(&base)).await,
            "delta" => consume::sdk_delta(client).await,
            "delta-run" => consume::sdk_delta_run(client).await,
            _ => consume::sdk(client, true).await,
        }
    });
    assert_eq!(count, n);
    rss::report_and_wait(&format!("done {count}"));
}
