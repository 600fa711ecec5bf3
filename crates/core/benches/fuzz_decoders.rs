//! `cargo bench --bench fuzz_decoders [-- CASES]`: the mutation fuzzer of `fuzz_core.rs` over
//! every decoder of untrusted input, 10⁶ cases each by default. Prints executions, time and the
//! slowest case per decoder; a crash aborts the run (so finishing means none). Never fails on a
//! figure: it is a benchmark.
mod fuzz_core;
use std::time::Instant;

fn main() {
    let cases: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    for decoder in fuzz_core::DECODERS {
        let t0 = Instant::now();
        let (runs, slowest) = fuzz_core::fuzz(decoder, cases, 0x5eed_0000 ^ decoder.len() as u64);
        println!(
            "{decoder:14} {runs:>9} executions in {:6.1} s, 0 crashes, slowest case {:.1} ms",
            t0.elapsed().as_secs_f64(),
            slowest.as_secs_f64() * 1000.0
        );
    }
}
