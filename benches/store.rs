//! Commit latency of a delta token: msgraph-store's `SqliteStore` (one row
//! updated in a transaction, WAL) against core's `JsonFileDeltaStore` (the
//! whole map rewritten to a temporary file and renamed), on the same data:
//! `MSGRAPH_BENCH_STORE_KEYS` mailboxes' tokens (deltaLinks of Graph's
//! length) already stored, then `MSGRAPH_BENCH_STORE_COMMITS` saves of a
//! random one, each timed on its own. Both files live in the same temporary
//! directory.
//!
//! `cargo bench --bench store --features store`

mod support;

use std::time::{Duration, Instant};

use msgraph_core::delta::{DeltaStore, JsonFileDeltaStore};
use msgraph_store::SqliteStore;
use support::env::usize_var;

fn link(i: usize, round: usize) -> String {
    // Graph's deltaLinks carry a ~250-character token.
    format!(
        "https://graph.microsoft.com/v1.0/users/user{i:04}@contoso.com/mailFolders('inbox')/messages/delta?$deltatoken={}",
        format!("{round:08}{i:04}").repeat(21)
    )
}

fn us(d: Duration) -> String {
    format!("{:.0} us", d.as_secs_f64() * 1e6)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).copied().unwrap_or_default()
}

async fn commits(store: &dyn DeltaStore, keys: usize, n: usize, seed: u64) -> Vec<Duration> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut times = Vec::with_capacity(n);
    for round in 0..n {
        let i = rng.usize(..keys);
        let started = Instant::now();
        store.save(&format!("user{i:04}@contoso.com/inbox"), &link(i, round)).await.expect("save");
        times.push(started.elapsed());
    }
    times.sort();
    times
}

fn main() {
    let keys = usize_var("MSGRAPH_BENCH_STORE_KEYS", 500);
    let n = usize_var("MSGRAPH_BENCH_STORE_COMMITS", 1000);
    support::print_header("store");
    let dir = std::env::temp_dir().join(format!("msgraph-bench-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let rt = support::client_runtime();
    rt.block_on(async {
        let sqlite = SqliteStore::open(dir.join("agent.db")).await.expect("sqlite");
        let json = JsonFileDeltaStore::new(dir.join("delta_tokens.json"));
        for i in 0..keys {
            let key = format!("user{i:04}@contoso.com/inbox");
            sqlite.save(&key, &link(i, 0)).await.expect("seed sqlite");
            json.save(&key, &link(i, 0)).await.expect("seed json");
        }
        println!("{keys} tokens stored, {n} commits of a random one, each timed");
        println!();
        // Warm-up, then the two stores alternately in blocks so both see the same machine.
        commits(&sqlite, keys, 50, 1).await;
        commits(&json, keys, 50, 1).await;
        let (mut s_all, mut j_all) = (Vec::new(), Vec::new());
        for block in 0..4u64 {
            s_all.extend(commits(&sqlite, keys, n / 4, 10 + block).await);
            j_all.extend(commits(&json, keys, n / 4, 10 + block).await);
        }
        s_all.sort();
        j_all.sort();
        println!("| store | median | p99 | max | median / JSON file |");
        println!("|---|---|---|---|---|");
        let jm = percentile(&j_all, 0.5);
        for (name, t) in [
            ("SqliteStore (WAL, one row per commit)", &s_all),
            ("JsonFileDeltaStore (whole file, atomic rename)", &j_all),
        ] {
            let m = percentile(t, 0.5);
            println!(
                "| {name} | {} | {} | {} | {:.3} |",
                us(m),
                us(percentile(t, 0.99)),
                us(t.last().copied().unwrap_or_default()),
                m.as_secs_f64() / jm.as_secs_f64().max(1e-9)
            );
        }
        let size = std::fs::metadata(dir.join("delta_tokens.json")).map(|m| m.len()).unwrap_or(0);
        println!();
        println!("JSON file: {size} bytes rewritten per commit");
    });
    let _ = std::fs::remove_dir_all(&dir);
}
