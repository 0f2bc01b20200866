//! Paging: throughput of streaming typed messages through the SDK versus a
//! plain reqwest + serde_json loop into a hand-written struct (the floor)
//! and into the SDK's own `Page<Message>` (read-ahead on and off), and the
//! read-ahead win when the server and the consumer each take 20 ms per page.
//!
//! ```text
//! cargo bench -p msgraph --bench paging
//! MSGRAPH_BENCH_PAGING_N=10000,100000 MSGRAPH_BENCH_REPS=11 MSGRAPH_BENCH_REPS_LARGE=7 \
//!   MSGRAPH_BENCH_PREFETCH_PAGES=25 MSGRAPH_BENCH_PAGE_DELAY_MS=20 cargo bench -p msgraph --bench paging
//! ```
//!
//! Other modes, chosen by `MSGRAPH_BENCH_PAGING_MODE` (used by
//! scripts/peer_paging.sh and for profiling):
//!
//! - `serve`: only the bench server, listing `MSGRAPH_BENCH_SERVE_N`
//!   messages; prints `base_url <url>` and runs until killed.
//! - `client`: one scan of `MSGRAPH_BENCH_URL` (a base URL printed by
//!   `serve`) by `MSGRAPH_BENCH_CLIENT` (`sdk`, `sdk-off`, `plain`, `raw`);
//!   prints `client <name> n <count> wall_ms <ms> cpu_ms <ms>`.
//! - `parse`: no HTTP; parses `MSGRAPH_BENCH_PARSE_PAGES` generated pages
//!   `MSGRAPH_BENCH_REPS` times with `MSGRAPH_BENCH_PARSE` (`sdk`: into
//!   `Page<Message>`, `hand`: into the hand-written struct, `both`: side by
//!   side with paired ratios), for `valgrind --tool=callgrind` and `perf`.

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
    match std::env::var("MSGRAPH_BENCH_PAGING_MODE").as_deref() {
        Ok("serve") => return serve(),
        Ok("client") => return client_once(),
        Ok("parse") => return parse_only(),
        _ => {}
    }
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
        throughput_header("plain");
        for &n in &sizes {
            let n = server.set_list_len(n);
            let reps = if n >= 50_000 { reps_large } else { reps };
            let mut variants = [
                Variant::new("SDK .stream(), read-ahead on (default)", || consume::sdk(client.clone(), true)),
                Variant::new("plain reqwest + serde_json, hand-written struct", || {
                    consume::handwritten(http.clone(), first.clone())
                }),
                Variant::new("plain reqwest + serde_json, SDK's Page<Message>", || {
                    consume::raw(http.clone(), first.clone())
                }),
                Variant::new("SDK .stream(), read-ahead off", || consume::sdk(client.clone(), false)),
            ];
            let stats = side_by_side(&mut variants, 1, reps).await;
            for s in &stats {
                assert_eq!(s.output, n as u64, "{}: streamed {} of {n} messages", s.name, s.output);
            }
            let plain = &stats[1];
            for s in &stats {
                throughput_row(n, s, plain);
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

/// `MSGRAPH_BENCH_PAGING_MODE=serve`: the listing server alone, for clients
/// in other processes (scripts/peer_paging.sh). Runs until killed.
fn serve() {
    let n = usize_var("MSGRAPH_BENCH_SERVE_N", 100_000);
    let server = support::listing_server(n);
    server.set_list_len(n);
    println!("base_url {}", server.base_url());
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}

/// `MSGRAPH_BENCH_PAGING_MODE=client`: one scan of the server at
/// `MSGRAPH_BENCH_URL` by `MSGRAPH_BENCH_CLIENT`, timed (wall, and this
/// process's CPU: the server runs in another one).
fn client_once() {
    let base = std::env::var("MSGRAPH_BENCH_URL").expect("MSGRAPH_BENCH_URL: the server's base URL");
    let which = std::env::var("MSGRAPH_BENCH_CLIENT").unwrap_or_else(|_| "sdk".to_owned());
    let client = support::sdk_client(&base);
    let http = support::raw_client();
    let first = consume::first_page_url(&base);
    let rt = support::client_runtime();
    let cpu = support::timing::process_cpu_time();
    let start = std::time::Instant::now();
    let n = rt.block_on(async {
        match which.as_str() {
            "sdk" => consume::sdk(client, true).await,
            "sdk-off" => consume::sdk(client, false).await,
            "plain" => consume::handwritten(http, first).await,
            "raw" => consume::raw(http, first).await,
            other => panic!("MSGRAPH_BENCH_CLIENT: unknown client {other}"),
        }
    });
    let wall = start.elapsed();
    let cpu = support::timing::process_cpu_time().saturating_sub(cpu);
    println!(
        "client {which} n {n} wall_ms {:.3} cpu_ms {:.3}",
        wall.as_secs_f64() * 1000.0,
        cpu.as_secs_f64() * 1000.0
    );
}

/// `MSGRAPH_BENCH_PAGING_MODE=parse`: parsing alone, no HTTP.
fn parse_only() {
    use support::handwritten::{HandPage, use_hand_message};
    let pages = usize_var("MSGRAPH_BENCH_PARSE_PAGES", 20);
    let reps = usize_var("MSGRAPH_BENCH_REPS", 1);
    let which = std::env::var("MSGRAPH_BENCH_PARSE").unwrap_or_else(|_| "both".to_owned());
    let bodies: Vec<Vec<u8>> = (0..pages)
        .map(|p| {
            let mut b = support::messages::page_head("http://127.0.0.1:1", p).into_bytes();
            b.extend_from_slice(br#","@odata.nextLink":"http://127.0.0.1:1/v1.0/me/messages?%24top=50&%24skip=50"}"#);
            b
        })
        .collect();
    let sdk = || {
        let mut sum = 0u64;
        for b in &bodies {
            let page: msgraph_core::Page<msgraph_mail::Message> = serde_json::from_slice(b).expect("SDK page");
            for m in &page.value {
                sum = sum.wrapping_add(consume::use_message(m));
            }
        }
        sum
    };
    let hand = || {
        let mut sum = 0u64;
        for b in &bodies {
            let page: HandPage = serde_json::from_slice(b).expect("hand-written page");
            for m in &page.value {
                sum = sum.wrapping_add(use_hand_message(m));
            }
        }
        sum
    };
    match which.as_str() {
        "sdk" => {
            for _ in 0..reps {
                std::hint::black_box(sdk());
            }
        }
        "hand" => {
            for _ in 0..reps {
                std::hint::black_box(hand());
            }
        }
        _ => {
            let rt = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
            let (sdk, hand) = (&sdk, &hand);
            rt.block_on(async {
                let mut variants = [
                    Variant::new("parse into Page<Message>", move || async move { std::hint::black_box(sdk()) }),
                    Variant::new(
                        "parse into the hand-written struct",
                        move || async move { std::hint::black_box(hand()) },
                    ),
                ];
                let stats = side_by_side(&mut variants, 1, reps.max(5)).await;
                println!("| variant | median | time / hand (paired) | CPU / hand (paired) |");
                println!("|---|---|---|---|");
                for s in &stats {
                    println!(
                        "| {} | {} | {:.3} | {:.3} |",
                        s.name,
                        ms(s.median()),
                        s.paired_ratio(&stats[1]),
                        s.paired_cpu_ratio(&stats[1])
                    );
                }
            });
        }
    }
}
