//! Phase timings, printed to stderr when `PAPERSHELF_TIMINGS` is set: where a build spends
//! its time, step by step, for profiling without a profiler.

use std::time::Instant;

/// A stopwatch over the named steps of one build.
pub struct Timings {
    enabled: bool,
    last: Instant,
    steps: Vec<(&'static str, f64)>,
}

impl Timings {
    pub fn start() -> Timings {
        Timings { enabled: std::env::var_os("PAPERSHELF_TIMINGS").is_some(), last: Instant::now(), steps: Vec::new() }
    }

    /// Ends the current step, naming it.
    pub fn step(&mut self, name: &'static str) {
        if self.enabled {
            let now = Instant::now();
            self.steps.push((name, (now - self.last).as_secs_f64() * 1000.0));
            self.last = now;
        }
    }
}

impl Drop for Timings {
    fn drop(&mut self) {
        if self.enabled && !self.steps.is_empty() {
            let line: Vec<String> = self.steps.iter().map(|(n, ms)| format!("{n} {ms:.1}")).collect();
            eprintln!("timings (ms): {}", line.join(", "));
        }
    }
}
