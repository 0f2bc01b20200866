//! A fleet of worker processes sharing mailboxes through PostgreSQL: each
//! worker is this program run again (`MSGRAPH_FLEET_EXAMPLE_WORKER` set),
//! claims its share of the mailboxes (leases with fencing tokens), runs
//! inbox delta rounds for them against the in-process emulator with an
//! app-only token, and hands the changes over before committing the
//! tokens. The parent delivers mail while they run, notifies the holders
//! through `LISTEN/NOTIFY` as a webhook receiver would, and prints the
//! throughput and each worker's counters.
//!
//! ```sh
//! eval "$(.ci/postgres.sh start)"        # or MSGRAPH_PG_URL=postgres://user:pw@host/db
//! cargo run --example fleet --features store-postgres -- --workers 3 --mailboxes 50
//! cargo run --example fleet --features store-postgres -- --workers 2 --mailboxes 200 --latency-ms 50
//! ```
//!
//! Options: `--workers N`, `--mailboxes M`, `--messages K` (per mailbox,
//! default 24), `--latency-ms L` (added by the emulator to every request),
//! `--deliver D` (mail delivered after the first sync, default 100),
//! `--concurrency C` (rounds in flight per worker, default 8),
//! `--max-per-worker X` (default: an even share).
//!
//! It uses the `msgraph_*` tables of the database it is given: it removes
//! its own mailboxes (`user0000@contoso.com`, ...) and their tokens there
//! before and after the run. Point it at a scratch database.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use msgraph::core::delta::{Change, DeltaStore as _};
use msgraph::mail::Message;
use msgraph::store::{Fleet, PostgresStore};
use msgraph::{GraphClient, StaticTokenCredential};
use msgraph_emulator::{Emulator, fleet_user};

type AnyError = Box<dyn std::error::Error + Send + Sync>;

const ROLE: &str = "MSGRAPH_FLEET_EXAMPLE_WORKER";

/// One run of the fleet.
#[derive(Debug, Clone)]
pub struct Config {
    pub workers: usize,
    pub mailboxes: usize,
    pub messages: usize,
    pub latency: Duration,
    pub deliver: usize,
    pub concurrency: usize,
    pub max_per_worker: Option<usize>,
    pub verbose: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            workers: 3,
            mailboxes: 50,
            messages: 24,
            latency: Duration::ZERO,
            deliver: 100,
            concurrency: 8,
            max_per_worker: None,
            verbose: true,
        }
    }
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// Messages in the mailboxes at the start.
    pub seeded: u64,
    /// From the mailboxes entering the table to every seeded message handed over.
    pub first_sync: Duration,
    /// Mail delivered after the first sync, and the time until all of it was handed over.
    pub delivered: u64,
    pub deliveries: Duration,
    /// Changes handed over in all (at least once: may exceed seeded + delivered).
    pub handed: u64,
    /// Each worker's last line: its `FleetStats`.
    pub stats: Vec<String>,
}

impl Report {
    /// Seeded messages handed over per second during the first sync.
    pub fn throughput(&self) -> f64 {
        self.seeded as f64 / self.first_sync.as_secs_f64()
    }
}

/// The database: `MSGRAPH_PG_URL`, else `MSGRAPH_TEST_PG`.
pub fn database_url() -> Option<String> {
    std::env::var("MSGRAPH_PG_URL").ok().or_else(|| std::env::var("MSGRAPH_TEST_PG").ok())
}

fn app_client(graph: &str, token: &str) -> Result<GraphClient, AnyError> {
    Ok(GraphClient::builder().base_url(graph).credential(StaticTokenCredential::new(token.to_owned())).build()?)
}

/// When this process was started as a worker: runs it to the end (stdin
/// closing is the signal to stop) and answers true.
pub fn worker_mode() -> bool {
    let Ok(id) = std::env::var(ROLE) else { return false };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    if let Err(e) = rt.block_on(worker(id)) {
        eprintln!("worker error: {e}");
        std::process::exit(1);
    }
    true
}

async fn worker(id: String) -> Result<(), AnyError> {
    let var = |k: &str| std::env::var(k).map_err(|_| format!("{k} is not set"));
    let num = |k: &str| -> Result<usize, AnyError> { Ok(var(k)?.parse()?) };
    let store = PostgresStore::connect(var("FLEET_DB")?).await?;
    let client = app_client(&var("FLEET_GRAPH")?, &var("FLEET_TOKEN")?)?;
    let max = num("FLEET_MAX")?;
    let fleet = Fleet::builder(store, client, id.clone())
        .max_mailboxes(max)
        .claim_batch(max)
        .claim_every(Duration::from_millis(100))
        .concurrency(num("FLEET_CONCURRENCY")?)
        .poll_every(Duration::from_secs(30))
        .lease_ttl(Duration::from_secs(10))
        .build();
    println!("ready");
    let handler = |mailbox: String, changes: Vec<Change<Message>>| async move {
        // the application's work goes here; the parent counts these lines
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "handed {} {mailbox}", changes.len());
        Ok(())
    };
    let stop = async {
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
    };
    fleet.run(handler, stop).await?;
    println!("stats {id}: {:?}", fleet.stats());
    Ok(())
}

/// Forgets the example's mailboxes and their tokens in `store`.
async fn clean(store: &PostgresStore, mailboxes: &[String]) -> Result<(), AnyError> {
    store.remove_mailboxes(mailboxes).await?;
    for m in mailboxes {
        store.remove(&PostgresStore::mailbox_key(m, "inbox")).await?;
    }
    Ok(())
}

struct Workers {
    children: Vec<Child>,
    ready: Arc<AtomicUsize>,
    handed: Arc<AtomicU64>,
    stats: Arc<Mutex<Vec<String>>>,
}

fn spawn_workers(cfg: &Config, db: &str, graph: &str, token: &str) -> Result<Workers, AnyError> {
    let ready = Arc::new(AtomicUsize::new(0));
    let handed = Arc::new(AtomicU64::new(0));
    let stats = Arc::new(Mutex::new(Vec::new()));
    let max = cfg.max_per_worker.unwrap_or(cfg.mailboxes.div_ceil(cfg.workers));
    let mut children = Vec::new();
    for w in 0..cfg.workers {
        let mut child = Command::new(std::env::current_exe()?)
            .env(ROLE, format!("worker-{w}"))
            .env("FLEET_DB", db)
            .env("FLEET_GRAPH", graph)
            .env("FLEET_TOKEN", token)
            .env("FLEET_MAX", max.to_string())
            .env("FLEET_CONCURRENCY", cfg.concurrency.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let out = child.stdout.take().ok_or("no stdout")?;
        let (ready, handed, stats) = (ready.clone(), handed.clone(), stats.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if line == "ready" {
                    ready.fetch_add(1, Ordering::SeqCst);
                } else if let Some(rest) = line.strip_prefix("handed ") {
                    let n: u64 = rest.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
                    handed.fetch_add(n, Ordering::SeqCst);
                } else if let Some(s) = line.strip_prefix("stats ") {
                    stats.lock().unwrap_or_else(|p| p.into_inner()).push(s.to_owned());
                }
            }
        });
        children.push(child);
    }
    Ok(Workers { children, ready, handed, stats })
}

async fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) -> Result<(), AnyError> {
    let until = Instant::now() + timeout;
    while !done() {
        if Instant::now() > until {
            return Err(format!("timed out waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}

/// Runs the fleet once: a fresh emulator, `cfg.workers` worker processes.
pub async fn run_fleet(cfg: &Config, db: &str) -> Result<Report, AnyError> {
    let emu = Emulator::builder()
        .seed(false)
        .users(cfg.mailboxes)
        .user_messages(cfg.messages)
        .latency(cfg.latency)
        .start()
        .await?;
    let mailboxes: Vec<String> = (0..cfg.mailboxes).map(fleet_user).collect();
    let store = PostgresStore::connect(db).await?;
    clean(&store, &mailboxes).await?;
    let token = emu.issue_app_token();
    let mut workers = spawn_workers(cfg, db, &emu.base_url(), &token)?;
    let result = async {
        wait_until("the workers to start", Duration::from_secs(60), || {
            workers.ready.load(Ordering::SeqCst) == cfg.workers
        })
        .await?;
        let seeded = (cfg.mailboxes * cfg.messages) as u64;
        let start = Instant::now();
        store.add_mailboxes(&mailboxes).await?;
        wait_until("the first sync", Duration::from_secs(600), || workers.handed.load(Ordering::SeqCst) >= seeded)
            .await?;
        let first_sync = start.elapsed();
        if cfg.verbose {
            println!(
                "first sync: {seeded} messages in {:.2} s ({:.0} messages/s)",
                first_sync.as_secs_f64(),
                seeded as f64 / first_sync.as_secs_f64()
            );
        }
        // mail arrives; the webhook receiver (here: us) notifies the holder
        let before = workers.handed.load(Ordering::SeqCst);
        let start = Instant::now();
        let mut rng = fastrand::Rng::with_seed(7);
        for i in 0..cfg.deliver {
            let m = &mailboxes[rng.usize(..mailboxes.len())];
            emu.deliver_mail(m, &format!("delivery {i}"), "hello")?;
            store.notify(m, r#"{"changeType":"created"}"#).await?;
        }
        let delivered = cfg.deliver as u64;
        wait_until("the deliveries", Duration::from_secs(600), || {
            workers.handed.load(Ordering::SeqCst) >= before + delivered
        })
        .await?;
        let deliveries = start.elapsed();
        if cfg.verbose && delivered > 0 {
            println!("{delivered} deliveries handed over in {:.2} s", deliveries.as_secs_f64());
        }
        Ok::<_, AnyError>((seeded, first_sync, delivered, deliveries))
    }
    .await;
    // graceful stop: stdin closes, each worker finishes, commits and releases
    for c in &mut workers.children {
        drop(c.stdin.take());
    }
    for c in &mut workers.children {
        let _ = c.wait();
    }
    // the reader threads end with the pipes; give them a moment to read the last lines
    tokio::time::sleep(Duration::from_millis(50)).await;
    clean(&store, &mailboxes).await?;
    let (seeded, first_sync, delivered, deliveries) = result?;
    let stats = workers.stats.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Ok(Report { seeded, first_sync, delivered, deliveries, handed: workers.handed.load(Ordering::SeqCst), stats })
}

fn parse_args() -> Result<Config, AnyError> {
    let mut cfg = Config::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || -> Result<usize, AnyError> { Ok(it.next().ok_or(format!("{a} needs a value"))?.parse()?) };
        match a.as_str() {
            "--workers" => cfg.workers = value()?.max(1),
            "--mailboxes" => cfg.mailboxes = value()?.max(1),
            "--messages" => cfg.messages = value()?,
            "--latency-ms" => cfg.latency = Duration::from_millis(value()? as u64),
            "--deliver" => cfg.deliver = value()?,
            "--concurrency" => cfg.concurrency = value()?.max(1),
            "--max-per-worker" => cfg.max_per_worker = Some(value()?.max(1)),
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    Ok(cfg)
}

fn main() -> std::process::ExitCode {
    if worker_mode() {
        return std::process::ExitCode::SUCCESS;
    }
    let Some(db) = database_url() else {
        eprintln!(
            "set MSGRAPH_PG_URL=postgres://user:password@host:port/database (a scratch database), \
             or start a throwaway cluster: eval \"$(.ci/postgres.sh start)\""
        );
        return std::process::ExitCode::FAILURE;
    };
    let cfg = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    println!(
        "{} worker processes, {} mailboxes x {} messages, {} ms latency per request",
        cfg.workers,
        cfg.mailboxes,
        cfg.messages,
        cfg.latency.as_millis()
    );
    match rt.block_on(run_fleet(&cfg, &db)) {
        Ok(report) => {
            println!("handed over: {} changes (at least once)", report.handed);
            for s in &report.stats {
                println!("  {s}");
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
