//! Delta: throughput of a streamed delta first sync of the inbox
//! (`DeltaSync::<Message>::pages()`, `next_page` until `None`, `commit`)
//! against the SDK's paging stream (`ListBuilder<Message>::stream()`) over
//! the same generated messages and page size, paired per round. The
//! buffered `run()` and the paging stream without read-ahead run alongside
//! for contrast. Peak memory of the same sync is in the `memory` bench.
//!
//! ```text
//! cargo bench -p msgraph --bench delta
//! MSGRAPH_BENCH_DELTA_N=10000,100000 MSGRAPH_BENCH_REPS=11 MSGRAPH_BENCH_REPS_LARGE=7 \
//!   cargo bench -p msgraph --bench delta
//! ```

mod support;

use support::consume;
use support::env::{list_var, usize_var};
use support::messages::PAGE_SIZE;
use support::timing::{Variant, side_by_side, throughput_header, throughput_row};

/// The streamed delta's items/s must be at least this share of the paging stream's.
const GOAL: f64 = 0.9;

fn main() {
    let sizes = list_var("MSGRAPH_BENCH_DELTA_N", &[10_000, 100_000]);
    let reps = usize_var("MSGRAPH_BENCH_REPS", 11);
    let reps_large = usize_var("MSGRAPH_BENCH_REPS_LARGE", 7);

    support::print_header("delta");
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let server = support::listing_server(largest);

    let client = support::sdk_client(server.base_url());
    let http = support::raw_client();
    let rt = support::client_runtime();

    rt.block_on(async {
        let sample = consume::check_first_page(&http, &consume::inbox_delta_url(server.base_url())).await;
        println!("first delta page: {sample} bytes; every message parses with all its fields typed");

        // One round, counted by the server: every page, then the first
        // deltaLink once more (the SDK confirms it before keeping it).
        let n = server.set_list_len(sizes.first().copied().unwrap_or(PAGE_SIZE).min(largest));
        server.reset_counters();
        let got = consume::sdk_delta(client.clone()).await;
        let requests = server.counters().http_requests;
        assert_eq!(got, n as u64, "the delta round read {got} of {n} messages");
        assert_eq!(requests, (n / PAGE_SIZE + 1) as u64, "pages + the deltaLink once more");
        println!(
            "a first sync of {n} messages: {requests} requests ({} pages + 1 to confirm the deltaLink)",
            n / PAGE_SIZE
        );
        println!();
        println!("### Delta first sync vs paging (warm-up 1, then rounds side by side)");
        println!();
        throughput_header("paging");
        let mut verdicts = Vec::new();
        for &n in &sizes {
            let n = server.set_list_len(n);
            let reps = if n >= 50_000 { reps_large } else { reps };
            let mut variants = [
                Variant::new("delta, streamed (pages / next_page / commit)", || consume::sdk_delta(client.clone())),
                Variant::new("paging .stream(), read-ahead on (default)", || consume::sdk(client.clone(), true)),
                Variant::new("paging .stream(), read-ahead off", || consume::sdk(client.clone(), false)),
                Variant::new("delta, buffered run() (contrast)", || consume::sdk_delta_run(client.clone())),
            ];
            let stats = side_by_side(&mut variants, 1, reps).await;
            for s in &stats {
                assert_eq!(s.output, n as u64, "{}: read {} of {n} messages", s.name, s.output);
            }
            let paging = &stats[1];
            for s in &stats {
                throughput_row(n, s, paging);
            }
            verdicts.push((n, paging.paired_ratio(&stats[0]), stats[2].paired_ratio(&stats[0])));
        }
        println!();
        for (n, r, r_off) in verdicts {
            let met = if r >= GOAL { "met" } else { "NOT met" };
            println!(
                "goal, N = {n}: streamed delta msgs/s ≥ {GOAL} × paging stream (paired): {r:.3} ({met}); \
                 against paging with read-ahead off: {r_off:.3}"
            );
        }
    });
    println!();
    println!("load average at end: {}", support::load_average());
}
