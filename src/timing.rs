//! Phase timings, printed to stderr when `PAPERSHELF_TIMINGS` is set: where a build spends
//! its time, step by step, and the memory held after each step (`[N MiB]`, resident), for
//! profiling without a profiler.

use std::time::Instant;

/// A stopwatch over the named steps of one build.
pub struct Timings {
    enabled: bool,
    last: Instant,
    steps: Vec<(&'static str, f64, Option<u64>)>,
}

impl Timings {
    pub fn start() -> Timings {
        Timings { enabled: std::env::var_os("PAPERSHELF_TIMINGS").is_some(), last: Instant::now(), steps: Vec::new() }
    }

    /// Records a duration measured elsewhere (such as work done on another thread).
    pub fn note(&mut self, name: &'static str, took: std::time::Duration) {
        if self.enabled {
            self.steps.push((name, took.as_secs_f64() * 1000.0, None));
        }
    }

    /// Ends the current step, naming it.
    pub fn step(&mut self, name: &'static str) {
        if self.enabled {
            let now = Instant::now();
            self.steps.push((name, (now - self.last).as_secs_f64() * 1000.0, resident_mib()));
            self.last = now;
        }
    }
}

impl Drop for Timings {
    fn drop(&mut self) {
        if self.enabled && !self.steps.is_empty() {
            let line: Vec<String> = self
                .steps
                .iter()
                .map(|(n, ms, rss)| match rss {
                    Some(mib) => format!("{n} {ms:.1} [{mib} MiB]"),
                    None => format!("{n} {ms:.1}"),
                })
                .collect();
            crate::errln!("timings (ms): {}", line.join(", "));
        }
    }
}

/// The process's resident memory at the end of a step (Linux), to see which step holds what.
fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Time spent rendering pages, summed per page kind over all threads (when enabled).
pub struct PerKind {
    enabled: bool,
    totals: std::sync::Mutex<std::collections::BTreeMap<&'static str, (u32, f64)>>,
}

impl PerKind {
    pub fn new() -> PerKind {
        PerKind { enabled: std::env::var_os("PAPERSHELF_TIMINGS").is_some(), totals: Default::default() }
    }

    pub fn start(&self) -> Option<Instant> {
        self.enabled.then(Instant::now)
    }

    pub fn add(&self, kind: &'static str, started: Option<Instant>) {
        if let Some(t) = started {
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let mut totals = self.totals.lock().expect("timings lock");
            let e = totals.entry(kind).or_default();
            e.0 += 1;
            e.1 += ms;
        }
    }
}

impl Default for PerKind {
    fn default() -> Self {
        PerKind::new()
    }
}

impl Drop for PerKind {
    fn drop(&mut self) {
        let totals = self.totals.lock().expect("timings lock");
        if self.enabled && !totals.is_empty() {
            let line: Vec<String> = totals.iter().map(|(k, (n, ms))| format!("{k} {n}× {ms:.0}")).collect();
            crate::errln!("render time by kind (ms, all threads): {}", line.join(", "));
        }
    }
}
