//! A small timing harness: warm-up, then repetitions run side by side,
//! reported as median and minimum.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// One thing to time. `run` returns a count (items streamed, requests made)
/// that the caller checks, so a failed run is never timed as a fast one.
pub struct Variant<'a> {
    /// Label in the report.
    pub name: &'static str,
    run: Box<dyn FnMut() -> Pin<Box<dyn Future<Output = u64> + Send + 'a>> + 'a>,
}

impl<'a> Variant<'a> {
    /// A variant whose run is the future `run()` makes.
    pub fn new<F, Fut>(name: &'static str, mut run: F) -> Self
    where
        F: FnMut() -> Fut + 'a,
        Fut: Future<Output = u64> + Send + 'a,
    {
        Variant { name, run: Box::new(move || Box::pin(run())) }
    }
}

/// The samples of one variant.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Label of the variant.
    pub name: &'static str,
    /// One wall-clock duration per repetition, in the order they ran.
    pub samples: Vec<Duration>,
    /// CPU time the whole process (client, runtime, bench server) used in
    /// each repetition: less sensitive than wall time to other load.
    pub cpu: Vec<Duration>,
    /// What the last run returned.
    pub output: u64,
}

impl Stats {
    /// The median wall time.
    pub fn median(&self) -> Duration {
        median(&self.samples)
    }

    /// The median CPU time.
    pub fn median_cpu(&self) -> Duration {
        median(&self.cpu)
    }

    /// The median over rounds of `self / other` in the same round (the runs
    /// of one round are adjacent in time, so slow drifts of the machine
    /// cancel out).
    pub fn paired_ratio(&self, other: &Stats) -> f64 {
        paired(&self.samples, &other.samples)
    }

    /// [`paired_ratio`](Self::paired_ratio) of CPU time.
    pub fn paired_cpu_ratio(&self, other: &Stats) -> f64 {
        paired(&self.cpu, &other.cpu)
    }

    /// The fastest sample.
    pub fn min(&self) -> Duration {
        self.samples.iter().copied().min().unwrap_or_default()
    }
}

/// Runs every variant `warmup` times, then `reps` rounds in which each
/// variant runs once; the order rotates every round so that no variant
/// always runs first (or right after another one).
pub async fn side_by_side(variants: &mut [Variant<'_>], warmup: usize, reps: usize) -> Vec<Stats> {
    let mut stats: Vec<Stats> = variants
        .iter()
        .map(|v| Stats { name: v.name, samples: Vec::with_capacity(reps), cpu: Vec::with_capacity(reps), output: 0 })
        .collect();
    for _ in 0..warmup {
        for v in variants.iter_mut() {
            (v.run)().await;
        }
    }
    let n = variants.len();
    for round in 0..reps {
        for k in 0..n {
            let i = (round + k) % n;
            let cpu = process_cpu_time();
            let start = Instant::now();
            let out = (variants[i].run)().await;
            stats[i].samples.push(start.elapsed());
            stats[i].cpu.push(process_cpu_time().saturating_sub(cpu));
            stats[i].output = out;
        }
    }
    stats
}

/// Prints the header of a throughput table whose ratios are against the
/// variant called `reference` (e.g. `raw`, `paging`).
pub fn throughput_header(reference: &str) {
    println!(
        "| N | variant | reps | median | min | msgs/s (median) | time / {reference} (medians) | time / {reference} (paired) | CPU / {reference} (paired) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
}

/// One line of a throughput table over `n` messages: `s` against `reference`.
pub fn throughput_row(n: usize, s: &Stats, reference: &Stats) {
    let per_sec = n as f64 / s.median().as_secs_f64();
    println!(
        "| {n} | {} | {} | {} | {} | {:.0} | {:.3} | {:.3} | {:.3} |",
        s.name,
        s.samples.len(),
        ms(s.median()),
        ms(s.min()),
        per_sec,
        ratio(s.median(), reference.median()),
        s.paired_ratio(reference),
        s.paired_cpu_ratio(reference)
    );
}

/// `d` in milliseconds with one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A ratio with three decimals.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    if b.is_zero() { f64::NAN } else { a.as_secs_f64() / b.as_secs_f64() }
}

/// The median (the mean of the two middle samples when even).
pub fn median(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    match s.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2,
    }
}

/// CPU time of this process so far: the sum of the on-CPU nanoseconds of
/// its threads (`/proc/self/task/*/schedstat`), which has nanosecond
/// resolution; falls back to `utime + stime` of `/proc/self/stat` (clock
/// ticks) when schedstat is missing.
pub fn process_cpu_time() -> Duration {
    let mut total: u64 = 0;
    let mut found = false;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            if let Ok(s) = std::fs::read_to_string(t.path().join("schedstat"))
                && let Some(ns) = s.split_whitespace().next().and_then(|v| v.parse::<u64>().ok())
            {
                total += ns;
                found = true;
            }
        }
    }
    if found {
        return Duration::from_nanos(total);
    }
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
            // After the command name: state is field 3; utime and stime are 14 and 15.
            Some(rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn paired(a: &[Duration], b: &[Duration]) -> f64 {
    let mut r: Vec<f64> = a.iter().zip(b).map(|(x, y)| ratio(*x, *y)).filter(|r| r.is_finite()).collect();
    r.sort_by(f64::total_cmp);
    match r.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => r[n / 2],
        n => (r[n / 2 - 1] + r[n / 2]) / 2.0,
    }
}
