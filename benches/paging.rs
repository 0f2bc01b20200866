//! Paging: throughput of streaming typed messages through the SDK versus a
//! raw reqwest + serde_json loop (read-ahead on and off), and the read-ahead
//! win when the server and the consumer each take 20 ms per page.
//!
//! ```text
//! cargo bench -p msgraph --bench paging
//! MSGRAPH_BENCH_PAGING_N=10000,100000 MSGRAPH_BENCH_REPS=11 MSGRAPH_BENCH_REPS_LARGE=7 \
//!   MSGRAPH_BENCH_PREFETCH_PAGES=25 MSGRAPH_BENCH_PAGE_DELAY_MS=20 cargo bench -p msgraph --bench paging
//! ```

mod support;

use std::time::Duration;

use futures::TryStreamExt as _;
use msgraph_core::GraphClient;
use msgraph_mail::MailExt as _;

use support::consume;
use support::env::{list_var, usize_var};
use support::messages::PAGE_SIZE;
use support::timing::{Variant, ms, ratio, side_by_side, throughput_header, throughput_row};

fn main() {
    let sizes = list_var("MSGRAPH_BENCH_PAGING_N", &[10_000, 100_000]);
    let reps = usize_var("MSGRAPH_BENCH_REPS", 11);
    let reps_large = usize_var("MSGRAPH_BENCH_REPS_LARGE", 7);
    let prefetch_pages = usize_var("MSGRAPH_BENCH_PREFETCH_PAGES", 25);
    let prefetch_reps = usize_var("MSGRAPH_BENCH_PREFETCH_REPS", 3);
    let delay = Duration::from_millis(usize_var("MSGRAPH_BENCH_PAGE_DELAY_MS", 20) as u64);

    support::print_header("paging");
    let largest = sizes.iter().copied().max().unwrap_or(0).max(prefetch_pages * PAGE_SIZE);
    let server = support::listing_server(largest);

    let client = support::sdk_client(server.base_url());
    let http = support::raw_client();
    let first = consume::first_page_url(server.base_url());
    let rt = support::client_runtime();

    rt.block_on(async {
        let sample = consume::check_first_page(&http, &first).await;
        println!("first page: {sample} bytes; every message parses with all its fields typed");
        println!();
        println!("### Throughput (warm-up 1, then rounds side by side)");
        println!();
        throughput_header("raw");
        for &n in &sizes {
            let n = server.set_list_len(n);
            let reps = if n >= 50_000 { reps_large } else { reps };
            let mut variants = [
                Variant::new("SDK .stream(), read-ahead on (default)", || consume::sdk(client.clone(), true)),
                Variant::new("raw reqwest + serde_json::from_slice", || consume::raw(http.clone(), first.clone())),
                Variant::new("SDK .stream(), read-ahead off", || consume::sdk(client.clone(), false)),
            ];
            let stats = side_by_side(&mut variants, 1, reps).await;
            for s in &stats {
                assert_eq!(s.output, n as u64, "{}: streamed {} of {n} messages", s.name, s.output);
            }
            let raw = &stats[1];
            for s in &stats {
                throughput_row(n, s, raw);
            }
        }

        println!();
        println!(
            "### Read-ahead: {prefetch_pages} pages, server +{} per page, consumer {} per page (warm-up 1, {prefetch_reps} rounds)",
            ms(delay),
            ms(delay)
        );
        println!();
        let n = server.set_list_len(prefetch_pages * PAGE_SIZE);
        server.set_page_delay(delay);
        let mut variants = [
            Variant::new("read-ahead on (default)", || slow_consumer(client.clone(), true, delay)),
            Variant::new("read-ahead off", || slow_consumer(client.clone(), false, delay)),
        ];
        let stats = side_by_side(&mut variants, 1, prefetch_reps).await;
        server.set_page_delay(Duration::ZERO);
        for s in &stats {
            assert_eq!(s.output, n as u64, "{}: streamed {} of {n} messages", s.name, s.output);
        }
        println!("| variant | median | min | on / off (median) | on / off (min) |");
        println!("|---|---|---|---|---|");
        let off = &stats[1];
        for s in &stats {
            println!(
                "| {} | {} | {} | {:.3} | {:.3} |",
                s.name,
                ms(s.median()),
                ms(s.min()),
                ratio(s.median(), off.median()),
                ratio(s.min(), off.min())
            );
        }
        let sequential = delay * 2 * prefetch_pages as u32;
        let overlapped = delay * (prefetch_pages as u32 + 1);
        println!();
        println!(
            "ideal: off = {} (server + consumer per page), on = {} (one page of latency, then overlapped), ratio {:.3}",
            ms(sequential),
            ms(overlapped),
            ratio(overlapped, sequential)
        );
    });
    println!();
    println!("load average at end: {}", support::load_average());
}

/// Streams pages and spends `work` on each (a consumer that calls a model,
/// writes a database, ...). Returns the number of messages.
async fn slow_consumer(client: GraphClient, prefetch: bool, work: Duration) -> u64 {
    let mut pages = client.me().messages().list().top(PAGE_SIZE as u32).prefetch(prefetch).pages();
    let mut n = 0u64;
    while let Some(page) = pages.try_next().await.expect("the SDK page stream failed") {
        for m in &page.value {
            consume::use_message(m);
        }
        n += page.value.len() as u64;
        tokio::time::sleep(work).await;
    }
    n
}
