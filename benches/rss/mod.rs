//! Peak resident set of a child process (bench-only): the bench re-executes
//! its own binary in a child mode; the child does its work, prints one line
//! and waits on stdin, and the parent reads the child's `VmHWM` from
//! `/proc/<pid>/status` before letting it exit. Used by the `memory` and
//! `partitioned` benches (`mod rss;`).
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Command, Stdio};

/// Runs `child` (a command that ends in [`report_and_wait`]), checks the
/// line it reports and returns its peak resident set in kB.
pub fn peak_rss_kb(mut child: Command, expected_line: &str) -> u64 {
    let mut child =
        child.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("spawn the child");
    let mut out = BufReader::new(child.stdout.take().expect("child stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("read the child's report");
    assert_eq!(line.trim(), expected_line, "the child did not do all its work");
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).expect("read /proc/<pid>/status");
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmHWM in /proc/<pid>/status");
    drop(child.stdin.take());
    let mut rest = String::new();
    let _ = out.read_to_string(&mut rest);
    let exit = child.wait().expect("wait for the child");
    assert!(exit.success(), "the child failed: {exit}");
    hwm
}

/// The child's side: prints `line`, then waits until the parent has read
/// its peak resident set (closed our stdin).
pub fn report_and_wait(line: &str) {
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
    let mut wait = String::new();
    let _ = std::io::stdin().read_line(&mut wait);
}

/// kB to MiB.
pub fn mib(kb: u64) -> f64 {
    kb as f64 / 1024.0
}
