//! What every bench shares: criterion's settings, an allocation counter, and
//! a same-run SDK / raw comparison that prints its ratio.
//!
//! Criterion reports each function alone; the ratio lines come from a
//! second, simpler measurement: after a warm-up, SDK and raw samples
//! alternate, so drift and other load hit both sides alike. Each round's
//! SDK / raw ratio is kept; the line shows the median ratio, its interquartile
//! range, and the median time of each side. Nothing here asserts a duration:
//! benchmarks report, they do not fail.

use std::alloc::System;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

// Counts every allocation of the process (atomically) and forwards it to
// `System`. A hand-written wrapper would need `unsafe impl GlobalAlloc`, which
// the workspace's `unsafe_code = "forbid"` refuses.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// How long one alternating sample runs, about.
const SAMPLE: Duration = Duration::from_millis(2);
/// Alternating samples per side.
const ROUNDS: usize = 51;
/// Inputs prepared ahead of one sample, at most (for operations that consume
/// their input, such as a response to parse).
const MAX_BATCH: u64 = 4096;

/// Criterion, set up to keep a whole bench under two minutes on two cores,
/// without plots; command-line options still override it.
pub fn criterion() -> Criterion {
    Criterion::default()
        .without_plots()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args()
}

/// Heap allocations (`alloc` and `realloc` calls) made while `op` runs; what
/// `op` returns is dropped afterwards, uncounted.
pub fn allocations<O>(op: impl FnOnce() -> O) -> usize {
    let region = Region::new(GLOBAL);
    let output = op();
    let change = region.change();
    drop(output);
    change.allocations + change.reallocations
}

/// Runs `op` `iterations` times; how long that took.
pub fn timed<O>(iterations: u64, mut op: impl FnMut() -> O) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(op());
    }
    start.elapsed()
}

/// Runs `op` `iterations` times on inputs from `setup`, prepared beforehand;
/// how long the calls of `op` took (not the setup, not the drops).
pub fn timed_batched<I, O>(
    iterations: u64,
    mut setup: impl FnMut() -> I,
    mut op: impl FnMut(I) -> O,
) -> Duration {
    let mut elapsed = Duration::ZERO;
    let mut left = iterations;
    while left > 0 {
        let batch = left.min(MAX_BATCH);
        left -= batch;
        let inputs: Vec<I> = (0..batch).map(|_| setup()).collect();
        let mut outputs = Vec::with_capacity(inputs.len());
        let start = Instant::now();
        for input in inputs {
            outputs.push(black_box(op(black_box(input))));
        }
        elapsed += start.elapsed();
    }
    elapsed
}

/// One bench run: whether to time at all, the name filter, and the lines
/// printed so far (repeated as a summary at the end).
pub struct Run {
    timing: bool,
    filter: Option<String>,
    lines: Vec<String>,
}

/// Criterion options that take a value: the argument after one is no filter.
const VALUED: [&str; 16] = [
    "--save-baseline",
    "--baseline",
    "--baseline-lenient",
    "--load-baseline",
    "--sample-size",
    "--warm-up-time",
    "--measurement-time",
    "--nresamples",
    "--noise-threshold",
    "--confidence-level",
    "--significance-level",
    "--profile-time",
    "--plotting-backend",
    "--output-format",
    "--color",
    "--format",
];

impl Run {
    /// Reads the command line as criterion does: `cargo bench` passes
    /// `--bench`; without it (`cargo test --benches`, `-- --test`) every
    /// operation runs once, untimed.
    pub fn from_args() -> Self {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let has = |flag: &str| args.iter().any(|arg| arg == flag);
        let timing = has("--bench") && !has("--test") && !has("--list");
        let filter = args
            .iter()
            .enumerate()
            .find(|(i, arg)| {
                !arg.starts_with('-') && (*i == 0 || !VALUED.contains(&args[i - 1].as_str()))
            })
            .map(|(_, arg)| arg.clone());
        Self {
            timing,
            filter,
            lines: Vec::new(),
        }
    }

    fn wanted(&self, name: &str) -> bool {
        self.filter.as_deref().is_none_or(|f| name.contains(f))
    }

    fn print(&mut self, line: String) {
        println!("{line}");
        self.lines.push(line);
    }

    /// Times `sdk` against `raw` (each runs a given number of iterations and
    /// returns the time taken) and prints `name: sdk X ns, raw Y ns, ratio Z`
    /// with the target and both sides' allocations per operation.
    pub fn compare(
        &mut self,
        name: &str,
        target: f64,
        allocations: (usize, usize),
        mut sdk: impl FnMut(u64) -> Duration,
        mut raw: impl FnMut(u64) -> Duration,
    ) {
        if !self.wanted(name) {
            return;
        }
        if !self.timing {
            sdk(1);
            raw(1);
            return;
        }
        let iterations = calibrate(&mut sdk).min(calibrate(&mut raw));
        let per_iteration = |d: Duration| d.as_secs_f64() * 1e9 / iterations as f64;
        let mut sdk_ns = Vec::with_capacity(ROUNDS);
        let mut raw_ns = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            // Alternate which side goes first.
            if round % 2 == 0 {
                sdk_ns.push(per_iteration(sdk(iterations)));
                raw_ns.push(per_iteration(raw(iterations)));
            } else {
                raw_ns.push(per_iteration(raw(iterations)));
                sdk_ns.push(per_iteration(sdk(iterations)));
            }
        }
        let mut ratios: Vec<f64> = sdk_ns.iter().zip(&raw_ns).map(|(s, r)| s / r).collect();
        ratios.sort_by(f64::total_cmp);
        let (low, ratio, high) = (
            ratios[ROUNDS / 4],
            ratios[ROUNDS / 2],
            ratios[3 * ROUNDS / 4],
        );
        let (sdk_ns, raw_ns) = (median(sdk_ns), median(raw_ns));
        let verdict = if ratio <= target { "met" } else { "MISSED" };
        self.print(format!(
            "{name}: sdk {sdk_ns:.0} ns, raw {raw_ns:.0} ns, ratio {ratio:.2} \
             (IQR {low:.2}-{high:.2}; target <= {target:.2}: {verdict}); \
             allocations sdk {}, raw {}",
            allocations.0, allocations.1
        ));
    }

    /// Times one operation against an absolute target, in nanoseconds, and
    /// prints it with its allocations per operation.
    pub fn single(
        &mut self,
        name: &str,
        target_ns: Option<f64>,
        allocations: usize,
        mut op: impl FnMut(u64) -> Duration,
    ) {
        if !self.wanted(name) {
            return;
        }
        if !self.timing {
            op(1);
            return;
        }
        let iterations = calibrate(&mut op);
        let mut samples: Vec<f64> = (0..ROUNDS)
            .map(|_| op(iterations).as_secs_f64() * 1e9 / iterations as f64)
            .collect();
        samples.sort_by(f64::total_cmp);
        let (low, ns, high) = (
            samples[ROUNDS / 4],
            samples[ROUNDS / 2],
            samples[3 * ROUNDS / 4],
        );
        let target = match target_ns {
            Some(t) if ns <= t => format!("; target <= {t:.0} ns: met"),
            Some(t) => format!("; target <= {t:.0} ns: MISSED"),
            None => String::new(),
        };
        self.print(format!(
            "{name}: {ns:.1} ns (IQR {low:.1}-{high:.1}{target}); allocations {allocations}"
        ));
    }

    /// Prints every line again, together, at the end of the run.
    pub fn summary(&self) {
        if self.lines.is_empty() {
            return;
        }
        println!("\n== Measured in this run ({ROUNDS} alternating samples a side)");
        for line in &self.lines {
            println!("{line}");
        }
    }
}

/// Iterations for one sample of about [`SAMPLE`], after a warm-up.
fn calibrate(op: &mut impl FnMut(u64) -> Duration) -> u64 {
    let warm_up = Instant::now();
    let mut iterations = 1;
    loop {
        let took = op(iterations);
        if took >= SAMPLE / 4 && warm_up.elapsed() >= Duration::from_millis(100) {
            let per = took.as_secs_f64() / iterations as f64;
            return ((SAMPLE.as_secs_f64() / per) as u64).max(1);
        }
        if took < SAMPLE / 4 {
            iterations *= 2;
        }
    }
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
