//! Helpers shared by the benchmarks (bench-only; not part of any published crate).
//!
//! Every bench binary includes this module with `mod support;` and uses a
//! different part of it, so unused items are expected in each binary.
#![allow(dead_code)]

pub mod consume;
pub mod env;
pub mod handwritten;
pub mod messages;
pub mod server;
pub mod timing;

use msgraph_core::{GraphClient, StaticTokenCredential};

/// The bearer token both the SDK and the raw baseline send (the bench server ignores it).
pub const TOKEN: &str = "bench-token";

/// A GraphClient on the bench server, with a static token and the default
/// pipeline (retry, throttle gate, read-ahead).
pub fn sdk_client(base_url: &str) -> GraphClient {
    GraphClient::builder()
        .base_url(base_url)
        .credential(StaticTokenCredential::new(TOKEN))
        .build()
        .expect("a GraphClient on the bench server")
}

/// A plain reqwest client, as a hand-written baseline would make it. Built
/// after [`sdk_client`] so that a rustls crypto provider is installed.
pub fn raw_client() -> reqwest::Client {
    reqwest::Client::builder().build().expect("a plain reqwest client")
}

/// The multi-threaded runtime the client side runs on (one worker per core).
pub fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime")
}

/// A bench server that lists up to `messages` messages (and gets none by
/// id), with a line on what it generated.
pub fn listing_server(messages: usize) -> server::BenchServer {
    let generated = std::time::Instant::now();
    let server = server::BenchServer::start(messages, 0);
    println!(
        "server: {} pages of {} generated in {}, {} bytes per message on average",
        messages.div_ceil(messages::PAGE_SIZE),
        messages::PAGE_SIZE,
        timing::ms(generated.elapsed()),
        server.average_message_size()
    );
    server
}

/// `/proc/loadavg`'s 1, 5 and 15 minute load averages, for the report.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// Prints the bench header: what runs, on how many cores, under what load.
pub fn print_header(name: &str) {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("## {name}  (cores: {cores}, load average at start: {})", load_average());
}
